/*
 * plate.h - Chinese number plates: normalised and checked.
 *
 *   char p[PLATE_MAX];
 *   const char *why = plate_normalise(s, n, p);   NULL: p holds the plate;
 *                                                 else why it is not one
 *
 * Normalising: full-width letters and digits become ASCII (Ｄ -> D), lower
 * case becomes upper, and separators are dropped: spaces (also U+3000), the
 * middle dots · • ・ and - . so that "豫D·12345", "豫d 12345" and "豫Ｄ12345"
 * are all "豫D12345".
 * Checking (GA 36-2018): a province's one-character name, the issuing
 * office's letter, then either 5 letters or digits (no I or O; the last may
 * be 挂 学 警 港 澳 领 试 超), 7 characters in all, or a new-energy serial of
 * 6: D or F, a letter or digit and 4 digits (small vehicles), or 5 digits
 * and D or F (large vehicles), 8 characters in all.
 */
#ifndef CITYOPS_GPS_PLATE_H
#define CITYOPS_GPS_PLATE_H

#include <stddef.h>

#define PLATE_MAX 40

const char *plate_normalise(const char *s, size_t n, char out[PLATE_MAX]);

#endif
