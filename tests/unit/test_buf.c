/* buf: growth, formatting, reset, detach. */
#include "common.h"

#include "buf.h"
#include "tap.h"

int main(void)
{
	struct buf b = BUF_INIT;
	char *s;

	is_str(buf_str(&b), "", "an empty buf reads as \"\"");
	ok(b.s == NULL && b.len == 0, "and holds no memory");
	buf_add(&b, "ab", 2);
	buf_adds(&b, "cd");
	buf_addc(&b, 'e');
	is_str(b.s, "abcde", "add, adds, addc");
	is_int(b.len, 5, "length");
	buf_add(&b, "x\0y", 3);
	ok(b.len == 8 && memcmp(b.s + 5, "x\0y", 3) == 0 && b.s[8] == '\0',
	   "bytes with a NUL, and a NUL after them");
	buf_reset(&b);
	ok(b.len == 0 && b.s[0] == '\0' && b.cap > 0, "reset keeps the memory");
	buf_addf(&b, "%d-%s", 42, "x");
	is_str(b.s, "42-x", "addf");
	buf_reset(&b);
	for (int i = 0; i < 1000; i++)
		buf_addf(&b, "%04d", i);
	ok(b.len == 4000 && memcmp(b.s + 3996, "0999", 4) == 0, "addf grows the buf");
	buf_reset(&b);
	buf_addf(&b, "%s", "");
	{
		char big[10000];
		memset(big, 'z', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		buf_addf(&b, "<%s>", big);
		ok(b.len == 10001 && b.s[0] == '<' && b.s[10000] == '>' && b.s[10001] == '\0',
		   "addf of a text longer than the room left");
	}
	for (size_t i = 0; i < 100000; i++)
		buf_addc(&b, 'q');
	ok(b.len == 110001 && b.cap > b.len, "addc a byte at a time");
	s = buf_detach(&b);
	ok(s && strlen(s) == 110001 && b.s == NULL && b.len == 0 && b.cap == 0,
	   "detach hands the string over");
	free(s);
	s = buf_detach(&b);
	is_str(s, "", "detach of an empty buf: an empty string to free");
	free(s);
	buf_grow(&b, 100);
	ok(b.cap >= 101 && b.s[0] == '\0', "grow makes room and a terminator");
	buf_free(&b);
	buf_free(&b);
	ok(b.s == NULL, "free twice is harmless");
	return tap_done();
}
