// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the core's instances and pools.
 */
#include <zebra.h>

#include <check.h>

#include "module/vapp_core.h"
#include "check_vapp.h"

static struct vapp_ctx ctx;

static void setup(void)
{
	vapp_ctx_init(&ctx);
}

static void teardown(void)
{
	vapp_ctx_fini(&ctx);
}

START_TEST(inst_default_vrf_aliases)
{
	struct vapp_inst *a = vapp_inst_get(&ctx, NULL);

	ck_assert_str_eq(a->vrf, VAPP_VRF_DEFAULT);
	ck_assert_ptr_eq(vapp_inst_get(&ctx, ""), a);
	ck_assert_ptr_eq(vapp_inst_find(&ctx, "default"), a);
	ck_assert_ptr_null(vapp_inst_find(&ctx, "red"));
	ck_assert_uint_eq(vapp_inst_count(&ctx), 1);
}
END_TEST

START_TEST(inst_sorted_iteration)
{
	struct vapp_inst *i;
	const char *want[] = { "blue", "default", "red" };
	size_t n = 0;

	vapp_inst_get(&ctx, "red");
	vapp_inst_get(&ctx, NULL);
	vapp_inst_get(&ctx, "blue");
	for (i = vapp_inst_first(&ctx); i; i = vapp_inst_next(&ctx, i))
		ck_assert_str_eq(i->vrf, want[n++]);
	ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(pool_prepare_attach_abort)
{
	struct vapp_inst *inst = vapp_inst_get(&ctx, NULL);
	struct vapp_pool *p = vapp_pool_new("tenant-a");
	struct vapp_pool *dup = vapp_pool_new("tenant-a");

	/* detached pools are invisible until attached */
	ck_assert_ptr_null(vapp_pool_find(inst, "tenant-a"));
	ck_assert_int_eq(vapp_pool_attach(inst, p), 0);
	ck_assert_ptr_eq(vapp_pool_find(inst, "tenant-a"), p);
	ck_assert_ptr_eq(vapp_pool_lookup(inst, "tenant-a"), p);
	ck_assert_ptr_eq(p->inst, inst);

	/* a second pool of the same name is refused, and can be freed */
	ck_assert_int_ne(vapp_pool_attach(inst, dup), 0);
	ck_assert_ptr_null(dup->inst);
	vapp_pool_free(dup);
	ck_assert_uint_eq(vapp_pool_count(inst), 1);

	/* attaching twice is refused */
	ck_assert_int_ne(vapp_pool_attach(inst, p), 0);
}
END_TEST

START_TEST(pool_peer_group_binding)
{
	struct vapp_inst *inst = vapp_inst_get(&ctx, NULL);
	struct vapp_pool *a = vapp_pool_new("a"), *b = vapp_pool_new("b"), *c = vapp_pool_new("c");

	vapp_pool_attach(inst, a);
	vapp_pool_attach(inst, b);
	vapp_pool_attach(inst, c);
	ck_assert_ptr_null(a->peer_group);
	vapp_pool_set_peer_group(a, "APPL");
	vapp_pool_set_peer_group(b, "APPL");
	vapp_pool_set_peer_group(c, "OTHER");
	ck_assert_str_eq(a->peer_group, "APPL");
	ck_assert_uint_eq(vapp_inst_pools_of_group(inst, "APPL"), 2);
	ck_assert_uint_eq(vapp_inst_pools_of_group(inst, "OTHER"), 1);
	ck_assert_uint_eq(vapp_inst_pools_of_group(inst, "NONE"), 0);

	vapp_pool_set_peer_group(b, NULL);
	ck_assert_ptr_null(b->peer_group);
	ck_assert_uint_eq(vapp_inst_pools_of_group(inst, "APPL"), 1);

	vapp_pool_del(a);
	ck_assert_ptr_null(vapp_pool_find(inst, "a"));
	ck_assert_uint_eq(vapp_inst_pools_of_group(inst, "APPL"), 0);
}
END_TEST

START_TEST(pool_sorted_iteration)
{
	struct vapp_inst *inst = vapp_inst_get(&ctx, "red");
	const char *names[] = { "zeta", "alpha", "mid" };
	const char *want[] = { "alpha", "mid", "zeta" };
	struct vapp_pool *p;
	size_t n = 0;

	for (size_t i = 0; i < array_size(names); i++)
		vapp_pool_attach(inst, vapp_pool_new(names[i]));
	for (p = vapp_pool_first(inst); p; p = vapp_pool_next(inst, p))
		ck_assert_str_eq(p->name, want[n++]);
	ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(pool_name_truncation_is_bounded)
{
	char longname[200];
	struct vapp_pool *p;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	p = vapp_pool_new(longname);
	ck_assert_uint_eq(strlen(p->name), VAPP_NAME_MAX);
	vapp_pool_free(p);
}
END_TEST

START_TEST(inst_del_frees_pools)
{
	struct vapp_inst *inst = vapp_inst_get(&ctx, "blue");

	vapp_pool_attach(inst, vapp_pool_new("p1"));
	vapp_pool_attach(inst, vapp_pool_new("p2"));
	vapp_inst_del(inst);
	ck_assert_ptr_null(vapp_inst_find(&ctx, "blue"));
	ck_assert_uint_eq(vapp_inst_count(&ctx), 0);
}
END_TEST

/* RFC 9003 messages are cut between characters, never inside one */
START_TEST(utf8_cut_on_a_boundary)
{
	char s[300];

	ck_assert_uint_eq(vapp_utf8_cut("maintenance", 255), 11);
	ck_assert_uint_eq(vapp_utf8_cut("maintenance", 4), 4);
	memset(s, 'a', 299);
	s[299] = '\0';
	ck_assert_uint_eq(vapp_utf8_cut(s, 255), 255);
	/* "\xc3\xa9" (two octets) x 130: 255 would split the 128th */
	for (int i = 0; i < 130; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);
	s[260] = '\0';
	ck_assert_uint_eq(vapp_utf8_cut(s, 255), 254);
	/* a three-octet character across the limit goes whole */
	memset(s, 'a', 253);
	memcpy(s + 253, "\xe2\x82\xac", 3);
	s[256] = '\0';
	ck_assert_uint_eq(vapp_utf8_cut(s, 255), 253);
	ck_assert_uint_eq(vapp_utf8_cut(s, 256), 256);
}
END_TEST

START_TEST(prometheus_label_and_path)
{
	char buf[16], big[300];

	ck_assert_str_eq(vapp_prom_label("web", buf, sizeof(buf)), "web");
	ck_assert_str_eq(vapp_prom_label("a\"b\\c\nd", buf, sizeof(buf)), "a\\\"b\\\\c\\nd");
	/* cut to fit, never inside an escape or a UTF-8 sequence */
	ck_assert_str_eq(vapp_prom_label("aaaaaaaaaaaaaa\"", buf, sizeof(buf)), "aaaaaaaaaaaaaa");
	ck_assert_str_eq(vapp_prom_label("aaaaaaaaaaaaaa\xc3\xa9", buf, sizeof(buf)),
			 "aaaaaaaaaaaaaa");
	ck_assert_str_eq(vapp_prom_label("aaaaaaaaaaaaa\xc3\xa9", buf, sizeof(buf)),
			 "aaaaaaaaaaaaa\xc3\xa9");
	ck_assert_ptr_null(
		vapp_metrics_path_invalid("/var/lib/prometheus/node-exporter/vappliance.prom"));
	ck_assert_ptr_null(vapp_metrics_path_invalid("/x.prom"));
	ck_assert_ptr_nonnull(vapp_metrics_path_invalid("vappliance.prom"));
	ck_assert_ptr_nonnull(vapp_metrics_path_invalid("/var/lib/vappliance.txt"));
	ck_assert_ptr_nonnull(vapp_metrics_path_invalid("/var/lib/.vappliance.prom"));
	ck_assert_ptr_nonnull(vapp_metrics_path_invalid("/var/lib/.prom"));
	ck_assert_ptr_nonnull(vapp_metrics_path_invalid("/var/lib/a\nb.prom"));
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	strcpy(big + sizeof(big) - 6, ".prom");
	ck_assert_ptr_nonnull(vapp_metrics_path_invalid(big));
}
END_TEST

START_TEST(name_rules)
{
	char n63[64], n64[65];

	memset(n63, 'a', 63);
	n63[63] = '\0';
	memset(n64, 'a', 64);
	n64[64] = '\0';
	ck_assert_ptr_null(vapp_name_invalid("tenant-a"));
	ck_assert_ptr_null(vapp_name_invalid("0pool_1.x:y"));
	ck_assert_ptr_null(vapp_name_invalid(n63));
	ck_assert_ptr_nonnull(vapp_name_invalid(""));
	ck_assert_ptr_nonnull(vapp_name_invalid(n64));
	ck_assert_ptr_nonnull(vapp_name_invalid("-lead"));
	ck_assert_ptr_nonnull(vapp_name_invalid("_lead"));
	ck_assert_ptr_nonnull(vapp_name_invalid("bad/name"));
	ck_assert_ptr_nonnull(vapp_name_invalid("it's"));
	ck_assert_ptr_nonnull(vapp_name_invalid("sp ace"));
}
END_TEST

Suite *vapp_core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("objects");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inst_default_vrf_aliases);
	tcase_add_test(tc, utf8_cut_on_a_boundary);
	tcase_add_test(tc, prometheus_label_and_path);
	tcase_add_test(tc, inst_sorted_iteration);
	tcase_add_test(tc, pool_prepare_attach_abort);
	tcase_add_test(tc, pool_peer_group_binding);
	tcase_add_test(tc, pool_sorted_iteration);
	tcase_add_test(tc, pool_name_truncation_is_bounded);
	tcase_add_test(tc, inst_del_frees_pools);
	tcase_add_test(tc, name_rules);
	suite_add_tcase(s, tc);
	return s;
}
