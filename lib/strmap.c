#include "common.h"

#include "hash.h"
#include "strmap.h"

struct strmap_slot {
	char *key;       /* NULL: empty */
	size_t len;
	uint64_t h;
	int val;
};

static struct strmap_slot *find(const struct strmap *m, const char *k, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		struct strmap_slot *sl = &m->slot[i];
		if (!sl->key || (sl->h == h && sl->len == n && memcmp(sl->key, k, n) == 0))
			return sl;
		i = (i + 1) & (m->cap - 1);
	}
}

/* The value of key k, or -1. */
int strmap_get(const struct strmap *m, const char *k, size_t n)
{
	if (!m->cap)
		return -1;
	const struct strmap_slot *sl = find(m, k, n, hash_fnv1a(k, n, 0));
	return sl->key ? sl->val : -1;
}

/* Add k = v unless k is there; returns the value k has. */
int strmap_add(struct strmap *m, const char *k, size_t n, int v)
{
	uint64_t h = hash_fnv1a(k, n, 0);
	struct strmap_slot *sl;

	if ((m->n + 1) * 10 > m->cap * 7) {
		struct strmap old = *m;
		m->cap = old.cap ? old.cap * 2 : 64;
		m->slot = xcalloc(m->cap, sizeof *m->slot);
		for (size_t i = 0; i < old.cap; i++)
			if (old.slot[i].key)
				*find(m, old.slot[i].key, old.slot[i].len,
					     old.slot[i].h) = old.slot[i];
		free(old.slot);
	}
	sl = find(m, k, n, h);
	if (sl->key)
		return sl->val;
	sl->key = xstrndup(k, n);
	sl->len = n;
	sl->h = h;
	sl->val = v;
	m->n++;
	return v;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i].key);
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}
