/*
 * strmap.h - a hash table from byte strings to ints (open addressing,
 * linear probing; the keys are copied): for header names and JSON keys, a
 * fleet's plates, the plates as a fixes file writes them.  A record with
 * 100,000 keys, or 100,000 records each with a new key, costs a lookup per
 * key, not a scan of every key seen.
 *
 *   struct strmap m = STRMAP_INIT;
 *   v = strmap_add(&m, key, len, 7);   the value key has (7 if it was new)
 *   v = strmap_get(&m, key, len);      -1 when key is not there
 *   strmap_free(&m);
 */
#ifndef CITYOPS_STRMAP_H
#define CITYOPS_STRMAP_H

#include <stddef.h>

struct strmap_slot;
struct strmap {
	struct strmap_slot *slot;
	size_t cap, n;   /* cap: 0 or a power of two */
};

#define STRMAP_INIT { NULL, 0, 0 }

int strmap_get(const struct strmap *m, const char *k, size_t n);
int strmap_add(struct strmap *m, const char *k, size_t n, int v);
void strmap_free(struct strmap *m);

#endif
