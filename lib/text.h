/*
 * text.h - the one idea of a blank, and trimming by it.
 *
 * A blank is ASCII white space (space, tab, CR, LF, VT, FF) or a Unicode
 * space that exports and spreadsheets leave around values: U+00A0 no-break
 * space, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000
 * ideographic space (全角空格), and the invisible U+200B zero-width space and
 * U+FEFF byte-order mark.
 *
 *   text_trim(&s, &n);              s and n narrowed to the value without
 *                                   blanks at either end
 *   char *v = text_dup_trimmed(s, n);   the trimmed value as a new string,
 *                                   NULL when nothing is left
 *   size_t k = text_cut(s, n, max);  at most max bytes of s, ending on a
 *                                   UTF-8 character (for a message)
 */
#ifndef CITYOPS_TEXT_H
#define CITYOPS_TEXT_H

void text_trim(const char **s, size_t *n);
char *text_dup_trimmed(const char *s, size_t n);
size_t text_cut(const char *s, size_t n, size_t max);

#endif
