#include "common.h"

#include "encoding.h"
#include "gps/plate.h"

static const char provinces[] =
	"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
static const char last_words[] = "挂学警港澳领试超";

/* Is the code point one of the CJK characters in list (UTF-8)? */
static int among(uint32_t cp, const char *list)
{
	size_t n = strlen(list), k;
	uint32_t c;

	for (size_t i = 0; i < n; i += k) {
		k = encoding_utf8_decode(list + i, n - i, &c);
		if (!k)
			return 0;
		if (c == cp)
			return 1;
	}
	return 0;
}

static int is_sep(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '-' || c == '.' || c == 0x3000 ||
	       c == 0x00B7 || c == 0x2022 || c == 0x30FB || c == 0xFF65 ||
	       c == 0x2027 || (c >= 0x2010 && c <= 0x2015) || c == 0x00A0;
}

static int serial(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O');
}

static int digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static int valid(const uint32_t *c, size_t n)
{
	if (n < 7 || n > 8 || !among(c[0], provinces) || c[1] < 'A' || c[1] > 'Z')
		return 0;
	if (n == 7) {
		for (size_t i = 2; i < 6; i++)
			if (!serial(c[i]))
				return 0;
		return serial(c[6]) || among(c[6], last_words);
	}
	if (c[2] == 'D' || c[2] == 'F') {
		if (!serial(c[3]))
			return 0;
		for (size_t i = 4; i < 8; i++)
			if (!digit(c[i]))
				return 0;
		return 1;
	}
	for (size_t i = 2; i < 7; i++)
		if (!digit(c[i]))
			return 0;
	return c[7] == 'D' || c[7] == 'F';
}

const char *plate_normalise(const char *s, size_t n, char out[PLATE_MAX])
{
	uint32_t cps[12];
	size_t ncp = 0, k, len = 0;

	for (size_t i = 0; i < n; i += k) {
		uint32_t c;
		k = encoding_utf8_decode(s + i, n - i, &c);
		if (!k)
			return "not valid UTF-8";
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0; /* full width */
		if (is_sep(c))
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (ncp == ARRAY_SIZE(cps))
			return "too long for a plate";
		cps[ncp++] = c;
	}
	if (ncp == 0)
		return "empty plate";
	if (!valid(cps, ncp))
		return "not a Chinese plate (e.g. 豫D12345, 豫D12345F)";
	for (size_t i = 0; i < ncp; i++) {
		uint32_t c = cps[i];
		if (c < 0x80) {
			out[len++] = (char)c;
		} else if (c < 0x800) {
			out[len++] = (char)(0xC0 | (c >> 6));
			out[len++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[len++] = (char)(0xE0 | (c >> 12));
			out[len++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[len++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[len] = '\0';
	return NULL;
}
