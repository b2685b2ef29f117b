/*
 * width.h - display width of UTF-8 text on a terminal, independent of locale.
 *
 *   size_t w = width_of("鲁山县", strlen("鲁山县"));   6
 *
 * A character counts as
 *   2  East Asian Wide or Fullwidth: CJK ideographs (also unassigned code
 *      points of the CJK blocks and planes 2 and 3), kana, Hangul syllables,
 *      CJK punctuation (、。「」), fullwidth forms (（）Ａ１), emoji with emoji
 *      presentation
 *   0  combining marks (Mn, Me), format characters (U+200B..U+200F, U+2060,
 *      U+FEFF...), variation selectors (U+FE0F), Hangul medial vowels and
 *      final consonants, and control characters (C0, DEL, C1)
 *   1  everything else, and each byte that is not part of a valid UTF-8
 *      sequence (overlong forms, surrogates, truncated sequences)
 * The tables come from Unicode 14.0 (EastAsianWidth.txt and the general
 * categories).  wcwidth(3) is not used: it depends on the locale.
 */
#ifndef CITYOPS_WIDTH_H
#define CITYOPS_WIDTH_H

size_t width_of(const char *s, size_t n);

#endif
