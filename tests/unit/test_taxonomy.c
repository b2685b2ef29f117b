/* taxonomy: the built-in classes and their lookups. */
#include "common.h"

#include "case/taxonomy.h"
#include "tap.h"

int main(void)
{
	struct taxonomy *t;
	const struct tax_class *c;
	int amb;

	ok(taxonomy_load(&t, NULL) == 0, "the built-in taxonomy loads");
	ok(taxonomy_count(t) > 60, "it has the standard's classes (%zu)", taxonomy_count(t));
	c = tax_by_name(t, TAX_ANY, "机动车乱停放", strlen("机动车乱停放"), &amb);
	ok(c && c->kind == TAX_EVENT && strcmp(c->code, "0505") == 0 &&
	   strcmp(c->big_class, "街面秩序类") == 0, "0505 机动车乱停放 is a street-order event");
	c = tax_by_code(t, TAX_ANY, "0101", 4, &amb);
	ok(!c && amb, "0101 is in both kinds: ambiguous without a kind");
	c = tax_by_code(t, TAX_COMPONENT, "0101", 4, &amb);
	ok(c && strcmp(c->name, "上水井盖") == 0, "component 0101 is 上水井盖");
	c = tax_by_code(t, TAX_COMPONENT, "0115", 4, &amb);
	ok(c && strcmp(c->name, "通讯交接箱") == 0, "component 0115 is 通讯交接箱");
	c = tax_by_code(t, TAX_EVENT, "0401", 4, &amb);
	ok(c && strcmp(c->name, "路面塌陷") == 0 && c->basis == BASIS_HOURS, "event 0401 路面塌陷, in hours");
	is_str(tax_big_class(t, TAX_EVENT, "街面秩序", strlen("街面秩序")), "街面秩序类",
	       "a big class matches without its trailing 类");
	is_str(tax_big_class(t, TAX_EVENT, "突发事件类", strlen("突发事件类")), "突发事件类",
	       "and with it");
	ok(tax_big_class(t, TAX_EVENT, "不存在", strlen("不存在")) == NULL, "unknown big class");
	is_int(tax_kind_parse("部件", strlen("部件")), TAX_COMPONENT, "部件 is a component");
	is_int(tax_kind_parse("event", 5), TAX_EVENT, "event");
	is_int(tax_kind_parse("x", 1), -2, "x is no kind");
	ok(strncmp(taxonomy_default_csv(), "kind,code,big_class,name,limit,basis,simple\n", 44) == 0,
	   "the default file's header");
	taxonomy_free(t);
	return tap_done();
}
