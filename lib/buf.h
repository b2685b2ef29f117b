/*
 * buf.h - a growable byte string, always NUL-terminated (git's strbuf).
 *
 *   struct buf b = BUF_INIT;
 *   buf_add(&b, p, n); buf_adds(&b, "x"); buf_addc(&b, 'c');
 *   buf_addf(&b, "%d", 3);
 *   buf_reset(&b);     length 0, memory kept
 *   buf_free(&b);      memory released, back to BUF_INIT
 *   buf_detach(&b)     the string, which the caller frees
 *
 * b.s is never NULL after the first add; before it, use buf_str(&b).
 */
#ifndef CITYOPS_BUF_H
#define CITYOPS_BUF_H

struct buf {
	char *s;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...) ATTR_PRINTF(2, 3);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
char *buf_detach(struct buf *b);
const char *buf_str(const struct buf *b);

static inline void buf_addc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

#endif
