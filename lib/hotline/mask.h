/*
 * mask.h - the personal data of 12345 callers, masked (DESIGN §3 "Personal
 * data"): what the store keeps and what every export shows unless the user
 * asks for --keep-pii.
 *
 *   hotline_mask_name(&b, "张三丰", n)          "张**": the first character, then
 *                                         a '*' for each other one; a name
 *                                         of one character is "*"
 *   hotline_mask_phone(&b, "13812345678", n)   "138****5678": of the digits (and
 *                                         '*'s) the first 3 and last 4 stay
 *                                         when there are 11 or more, the
 *                                         last 2 when 6 to 10, none when
 *                                         fewer; other characters stay
 *   hotline_mask_text(&b, s, n)                free text with every mobile number
 *                                         (11 digits 1[3-9]..., not part of
 *                                         a longer number) masked as above;
 *                                         returns 1 when it masked one
 *
 * Each appends to b.  Masking is idempotent: a masked value masks to
 * itself, so a stored masked value and a new unmasked one compare equal
 * once both are masked.
 */
#ifndef CITYOPS_HOTLINE_MASK_H
#define CITYOPS_HOTLINE_MASK_H

#include "buf.h"

void hotline_mask_name(struct buf *b, const char *s, size_t n);
void hotline_mask_phone(struct buf *b, const char *s, size_t n);
int hotline_mask_text(struct buf *b, const char *s, size_t n);

#endif
