#include "common.h"

#include "gps/hours.h"

/* Read "HH:MM" (also "H:MM", "HH：MM"); minutes or -1. */
static int clock_at(const char **p, const char *e)
{
	int h = 0, m = 0, k = 0;
	const char *s = *p;

	while (s < e && *s >= '0' && *s <= '9' && k < 2) {
		h = h * 10 + (*s++ - '0');
		k++;
	}
	if (!k)
		return -1;
	if (s < e && *s == ':')
		s++;
	else if (e - s >= 3 && memcmp(s, "\xef\xbc\x9a", 3) == 0)
		s += 3;
	else
		return -1;
	if (e - s < 2 || s[0] < '0' || s[0] > '5' || s[1] < '0' || s[1] > '9')
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	s += 2;
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	*p = s;
	return h * 60 + m;
}

static int skip_word(const char **p, const char *e, const char *const *words)
{
	for (; *words; words++) {
		size_t n = strlen(*words);
		if ((size_t)(e - *p) >= n && memcmp(*p, *words, n) == 0) {
			*p += n;
			return 1;
		}
	}
	return 0;
}

static void set_range(struct gps_hours *h, int a, int b)
{
	for (int m = a; m < b; m++)
		h->mask[m >> 3] |= (unsigned char)(1u << (m & 7));
}

const char *hours_parse(const char *s, size_t n, struct gps_hours *h)
{
	static const char *const dashes[] = { "-", "~", "\xe2\x80\x93", "\xe2\x80\x94",
		"\xe8\x87\xb3", "\xef\xbd\x9e", NULL };
	static const char *const seps[] = { ",", ";", " ", "\xe3\x80\x81",
		"\xef\xbc\x8c", "\xef\xbc\x9b", "\xe3\x80\x80", NULL };
	const char *p = s, *e = s + n;
	int any = 0;

	memset(h, 0, sizeof *h);
	snprintf(h->text, sizeof h->text, "%.*s", (int)(n < 63 ? n : 63), s);
	while (p < e) {
		int a, b;
		if (skip_word(&p, e, seps))
			continue;
		if ((a = clock_at(&p, e)) < 0 || a == 1440)
			return "expected HH:MM-HH:MM";
		while (p < e && *p == ' ')
			p++;
		if (!skip_word(&p, e, dashes))
			return "expected HH:MM-HH:MM";
		while (p < e && *p == ' ')
			p++;
		if ((b = clock_at(&p, e)) < 0)
			return "expected HH:MM-HH:MM";
		if (a < b) {
			set_range(h, a, b);
		} else if (a == b || (a == 0 && b == 1440)) {
			set_range(h, 0, 1440);
		} else {
			set_range(h, a, 1440);
			set_range(h, 0, b);
		}
		any = 1;
	}
	return any ? NULL : "no hours";
}
