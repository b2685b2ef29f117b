#include "common.h"

#include "text.h"

static size_t text_blank_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (n == 0)
		return 0;
	switch (p[0]) {
	case ' ': case '\t': case '\r': case '\n': case '\v': case '\f':
		return 1;
	case 0xC2: /* U+00A0 */
		return n >= 2 && p[1] == 0xA0 ? 2 : 0;
	case 0xE1: /* U+1680 */
		return n >= 3 && p[1] == 0x9A && p[2] == 0x80 ? 3 : 0;
	case 0xE2:
		if (n < 3)
			return 0;
		if (p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8B) ||
				     p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF))
			return 3; /* U+2000..U+200B, U+2028, U+2029, U+202F */
		return p[1] == 0x81 && p[2] == 0x9F ? 3 : 0; /* U+205F */
	case 0xE3: /* U+3000 */
		return n >= 3 && p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	case 0xEF: /* U+FEFF */
		return n >= 3 && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
	default:
		return 0;
	}
}

/* Bytes of the blank that ends s[0..n), else 0. */
static size_t blank_before(const char *s, size_t n)
{
	size_t k;

	if (n == 0)
		return 0;
	if (text_blank_len(s + n - 1, 1) == 1)
		return 1;
	for (k = 2; k <= 3 && k <= n; k++)
		if (text_blank_len(s + n - k, k) == k)
			return k;
	return 0;
}

void text_trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t len = *n, k;

	while ((k = text_blank_len(p, len)) != 0) {
		p += k;
		len -= k;
	}
	while ((k = blank_before(p, len)) != 0)
		len -= k;
	*s = p;
	*n = len;
}

char *text_dup_trimmed(const char *s, size_t n)
{
	text_trim(&s, &n);
	return n ? xstrndup(s, n) : NULL;
}

size_t text_cut(const char *s, size_t n, size_t max)
{
	size_t k = n > max ? max : n;

	while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--; /* s[k] continues a character: cut before it */
	return k;
}
