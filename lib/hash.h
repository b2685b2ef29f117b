/*
 * hash.h - FNV-1a, 64 bits: for hash tables and grid cells, not for
 * anything an attacker may choose to collide at scale.
 *
 *   uint64_t h = hash_fnv1a(p, n, 0);     0 starts from the offset basis
 *   h = hash_fnv1a(q, m, h);              continue over more bytes
 */
#ifndef CITYOPS_HASH_H
#define CITYOPS_HASH_H

#include <stdint.h>

static inline uint64_t hash_fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	if (!h)
		h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#endif
