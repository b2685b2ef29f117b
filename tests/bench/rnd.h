/*
 * rnd.h - the seeded generator of the synthetic data (tests/bench/gencases.c,
 * examples/lushan/genlushan.c): xoshiro256** seeded by
 * splitmix64, so that a seed gives the same file on every machine.
 *
 *   rnd_seed(2023);  rnd_below(n) in [0, n);  rnd_unit() in [0, 1);
 *   chance(p) true with probability p
 *   rnd_parse_u64("2023", &seed) reads a seed or a count: 0, or -1
 */
#ifndef CITYOPS_RND_H
#define CITYOPS_RND_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t rs[4];

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void rnd_seed(uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rnd_next(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

/* uniform in [0, n), n < 2^32 */
static inline uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(((rnd_next() >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [0, 1) */
static inline double rnd_unit(void)
{
	return (double)(rnd_next() >> 11) * (1.0 / 9007199254740992.0);
}

static inline int chance(double p)
{
	return rnd_unit() < p;
}

static inline int rnd_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

#endif
