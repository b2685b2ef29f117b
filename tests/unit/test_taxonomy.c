/* taxonomy: the built-in classes and their lookups. */
#include "common.h"

#include <unistd.h>

#include "case/taxonomy.h"
#include "tap.h"

int main(void)
{
	struct taxonomy *t;
	const struct taxonomy_class *c;
	int amb;

	ok(taxonomy_load(&t, NULL) == 0, "the built-in taxonomy loads");
	ok(taxonomy_count(t) > 60, "it has the standard's classes (%zu)", taxonomy_count(t));
	c = taxonomy_by_name(t, TAXONOMY_ANY, "机动车乱停放", strlen("机动车乱停放"), &amb);
	ok(c && c->kind == TAXONOMY_EVENT && strcmp(c->code, "0505") == 0 &&
	   strcmp(c->big_class, "街面秩序类") == 0, "0505 机动车乱停放 is a street-order event");
	c = taxonomy_by_code(t, TAXONOMY_ANY, "0101", 4, &amb);
	ok(!c && amb, "0101 is in both kinds: ambiguous without a kind");
	c = taxonomy_by_code(t, TAXONOMY_COMPONENT, "0101", 4, &amb);
	ok(c && strcmp(c->name, "上水井盖") == 0, "component 0101 is 上水井盖");
	c = taxonomy_by_code(t, TAXONOMY_COMPONENT, "0115", 4, &amb);
	ok(c && strcmp(c->name, "通讯交接箱") == 0, "component 0115 is 通讯交接箱");
	c = taxonomy_by_code(t, TAXONOMY_EVENT, "0401", 4, &amb);
	ok(c && strcmp(c->name, "路面塌陷") == 0 && c->limit.unit == CALENDAR_HOURS,
	   "event 0401 路面塌陷, in hours");
	is_str(taxonomy_big_class(t, TAXONOMY_EVENT, "街面秩序", strlen("街面秩序")), "街面秩序类",
	       "a big class matches without its trailing 类");
	is_str(taxonomy_big_class(t, TAXONOMY_EVENT, "突发事件类", strlen("突发事件类")), "突发事件类",
	       "and with it");
	ok(taxonomy_big_class(t, TAXONOMY_EVENT, "不存在", strlen("不存在")) == NULL, "unknown big class");
	is_int(taxonomy_kind_parse("部件", strlen("部件")), TAXONOMY_COMPONENT, "部件 is a component");
	is_int(taxonomy_kind_parse("event", 5), TAXONOMY_EVENT, "event");
	is_int(taxonomy_kind_parse("x", 1), -2, "x is no kind");
	is_str(taxonomy_default_lines()[0], "kind,code,big_class,name,limit,basis,simple",
	       "the default file's header");
	taxonomy_free(t);

	/* the 2026 scheme's 5-digit codes, and more classes than the old
	 * fixed table held (511) */
	{
		char path[] = "/tmp/test_taxonomy.XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
		int found = 0;
		ok(f != NULL, "a temporary classes file");
		if (f) {
			fprintf(f, "kind,code,big_class,name,limit\n");
			for (int i = 0; i < 3000; i++)
				fprintf(f, "%s,%05d,大类%d,小类%d,%dwh\n", i % 2 ? "event" : "部件",
					10000 + i, i / 100, i, i % 8 + 1);
			fclose(f);
			ok(taxonomy_load(&t, path) == 0, "3,000 classes with 5-digit codes load");
			for (int i = 0; i < 3000; i++) {
				char code[8];
				snprintf(code, sizeof code, "%05d", 10000 + i);
				c = taxonomy_by_code(t, TAXONOMY_ANY, code, 5, &amb);
				found += c && c->limit.n == i % 8 + 1 && c->limit.unit == CALENDAR_WORKING_HOURS;
			}
			is_int(found, 3000, "every one is found by its code, with its limit");
			taxonomy_free(t);
			unlink(path);
		}
	}
	return tap_done();
}
