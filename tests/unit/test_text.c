/* text: a value cut for a message ends on a whole UTF-8 character. */
#include "common.h"

#include "encoding.h"
#include "tap.h"
#include "text.h"

int main(void)
{
	/* 1, 2, 3 and 4 bytes a character, then ASCII */
	const char *s = "a\xc3\xa9\xe5\x9f\x8e\xf0\x9f\x8c\x8a" "b";
	size_t n = strlen(s);
	int whole = 1;

	for (size_t max = 0; max <= n + 1; max++) {
		size_t k = text_cut(s, n, max);
		/* the longest prefix of at most max bytes that is valid UTF-8 */
		size_t want = max > n ? n : max;
		while (want > 0 && encoding_utf8_valid(s, want) != want)
			want--;
		if (k != want) {
			whole = 0;
			printf("# max %zu: cut at %zu, want %zu\n", max, k, want);
		}
	}
	ok(whole, "every cut of a string of 1- to 4-byte characters ends on a character");
	is_int((int)text_cut("abc", 3, 60), 3, "a short value is whole");
	is_int((int)text_cut("", 0, 5), 0, "an empty one too");
	return tap_done();
}
