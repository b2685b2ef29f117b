/*
 * mask.c - masking callers' names and phone numbers (see mask.h).
 */
#include "common.h"

#include "buf.h"
#include "encoding.h"
#include "hotline/mask.h"

void hotline_mask_name(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, k, chars = 0;

	while (i < n) {
		k = encoding_utf8_decode(s + i, n - i, NULL);
		if (k == 0)
			k = 1; /* not UTF-8: one byte, one character */
		if (chars == 0 && i + k < n)
			buf_add(b, s, k);
		else
			buf_addc(b, '*');
		chars++;
		i += k;
	}
}

static int is_pos(char c)
{
	return (c >= '0' && c <= '9') || c == '*';
}

void hotline_mask_phone(struct buf *b, const char *s, size_t n)
{
	size_t npos = 0, pos = 0, head, tail;

	for (size_t i = 0; i < n; i++)
		npos += is_pos(s[i]);
	head = npos >= 11 ? 3 : 0;
	tail = npos >= 11 ? 4 : npos >= 6 ? 2 : 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_pos(s[i])) {
			buf_addc(b, s[i]);
			continue;
		}
		buf_addc(b, pos < head || pos >= npos - tail ? s[i] : '*');
		pos++;
	}
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Is s[i..i+11) a mobile number on its own? */
static int mobile_at(const char *s, size_t n, size_t i)
{
	if (i + 11 > n || s[i] != '1' || s[i + 1] < '3' || s[i + 1] > '9')
		return 0;
	if (i > 0 && digit(s[i - 1]))
		return 0;
	for (size_t k = 2; k < 11; k++)
		if (!digit(s[i + k]))
			return 0;
	return i + 11 == n || !digit(s[i + 11]);
}

int hotline_mask_text(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	int masked = 0;

	while (i < n) {
		if (s[i] == '1' && mobile_at(s, n, i)) {
			buf_add(b, s + run, i - run);
			buf_add(b, s + i, 3);
			buf_add(b, "****", 4);
			buf_add(b, s + i + 7, 4);
			i += 11;
			run = i;
			masked = 1;
		} else {
			i++;
		}
	}
	buf_add(b, s + run, n - run);
	return masked;
}
