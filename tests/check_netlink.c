// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests: the rtnetlink exchange against the real kernel, in a network
 * namespace of each test's own (Check forks every test; root needed),
 * with the module's test-only faults: replies matched by sequence number,
 * a bounded wait, a fresh socket after an error.
 */
#include <zebra.h>

#include <check.h>
#include <sched.h>

#include "darr.h"
#include "monotime.h"

#include "module/vappliance.h"
#include "check_vapp.h"

static struct prefix a1;

static void setup(void)
{
	ck_assert_msg(unshare(CLONE_NEWNET) == 0,
		      "unshare(CLONE_NEWNET): %s (the netlink tests need root)", strerror(errno));
	ck_assert(vapp_nl_init(NULL));
	str2prefix("192.0.2.1/32", &a1);
}

static void teardown(void)
{
	vapp_nl_fini();
}

static bool has_ours(const struct prefix *p)
{
	return vapp_nl_addr_owner(p) == VAPP_NL_OURS;
}

START_TEST(set_owner_del)
{
	struct vapp_nl_addr *addrs, *a;
	bool seen = false;

	ck_assert_int_eq(vapp_nl_addr_owner(&a1), VAPP_NL_ABSENT);
	ck_assert_int_eq(vapp_nl_addr_set("lo", &a1, 60), 0);
	ck_assert(has_ours(&a1));
	ck_assert_int_eq(vapp_nl_addrs(&addrs), 0);
	darr_foreach_p (addrs, a)
		seen |= prefix_same(&a->prefix, &a1) && a->proto == VAPP_IFA_PROTO;
	darr_free(addrs);
	ck_assert(seen);
	ck_assert_int_eq(vapp_nl_addr_del("lo", &a1), 0);
	ck_assert_int_eq(vapp_nl_addr_owner(&a1), VAPP_NL_ABSENT);
	/* absent already: nothing to do, no error */
	ck_assert_int_eq(vapp_nl_addr_del("lo", &a1), 0);
	ck_assert_int_eq(vapp_nl_addr_set("nonexistent0", &a1, 60), -ENODEV);
	ck_assert_uint_eq(vapp_nl_get_stats()->errors, 0);
}
END_TEST

/* a transport error: the request fails, the next one runs on a new socket */
START_TEST(fail_reopens_socket)
{
	ck_assert(vapp_nl_faults_set("add:1:fail"));
	ck_assert_int_eq(vapp_nl_addr_set("lo", &a1, 60), -EIO);
	ck_assert_uint_eq(vapp_nl_get_stats()->errors, 1);
	ck_assert_uint_eq(vapp_nl_get_stats()->reopens, 1);
	ck_assert_int_eq(vapp_nl_addr_owner(&a1), VAPP_NL_ABSENT);
	ck_assert_int_eq(vapp_nl_addr_set("lo", &a1, 60), 0);
	ck_assert(has_ours(&a1));
}
END_TEST

/*
 * An answer that never comes: the wait is bounded (about a second), the
 * kernel did carry the request out, and what follows is answered in step.
 */
START_TEST(lost_answer_bounded_wait)
{
	struct timeval t0;
	int64_t ms;

	ck_assert(vapp_nl_faults_set("add:1:noack,del:1:noack"));
	monotime(&t0);
	ck_assert_int_eq(vapp_nl_addr_set("lo", &a1, 60), -ETIMEDOUT);
	ms = monotime_since(&t0, NULL) / 1000;
	ck_assert_msg(ms >= 900 && ms < 3000, "waited %" PRId64 " ms", ms);
	ck_assert(has_ours(&a1));
	ck_assert_int_eq(vapp_nl_addr_del("lo", &a1), -ETIMEDOUT);
	ck_assert_int_eq(vapp_nl_addr_owner(&a1), VAPP_NL_ABSENT);
	ck_assert_uint_eq(vapp_nl_get_stats()->errors, 2);
	ck_assert_int_eq(vapp_nl_addr_set("lo", &a1, 60), 0);
	ck_assert(has_ours(&a1));
}
END_TEST

/*
 * A reply to an earlier request waits in the socket: it is skipped, not
 * taken for the answer (libmnl's own check fails the request on it).
 */
START_TEST(stale_reply_is_skipped)
{
	ck_assert_int_eq(vapp_nl_addr_set("lo", &a1, 60), 0);
	ck_assert(vapp_nl_faults_set("dump:1:stale,del:1:stale"));
	ck_assert(has_ours(&a1));
	ck_assert_uint_eq(vapp_nl_get_stats()->stale, 1);
	ck_assert_int_eq(vapp_nl_addr_del("lo", &a1), 0);
	ck_assert_uint_eq(vapp_nl_get_stats()->stale, 2);
	ck_assert_int_eq(vapp_nl_addr_owner(&a1), VAPP_NL_ABSENT);
	ck_assert_uint_eq(vapp_nl_get_stats()->errors, 0);
	ck_assert_uint_eq(vapp_nl_get_stats()->reopens, 0);
}
END_TEST

START_TEST(fault_specs)
{
	static const char *const bad[] = { "del:0:fail", "x:1:fail", "del:2-1:fail",
					   "del:1:boom", "del:1",    "del:1:fail;" };

	for (size_t i = 0; i < array_size(bad); i++)
		ck_assert_msg(!vapp_nl_faults_set(bad[i]), "accepted %s", bad[i]);
	ck_assert(vapp_nl_faults_set("del:2-3:fail,add:2:noack"));
	ck_assert_int_eq(vapp_nl_addr_set("lo", &a1, 60), 0);
	ck_assert_int_eq(vapp_nl_addr_del("lo", &a1), 0);
	ck_assert_int_eq(vapp_nl_addr_set("lo", &a1, 60), -ETIMEDOUT);
	ck_assert_int_eq(vapp_nl_addr_del("lo", &a1), -EIO);
	ck_assert_int_eq(vapp_nl_addr_del("lo", &a1), -EIO);
	ck_assert(has_ours(&a1));
	ck_assert_int_eq(vapp_nl_addr_del("lo", &a1), 0);
	ck_assert_int_eq(vapp_nl_addr_owner(&a1), VAPP_NL_ABSENT);
	/* empty clears */
	ck_assert(vapp_nl_faults_set(""));
}
END_TEST

Suite *vapp_netlink_suite(void)
{
	Suite *s = suite_create("netlink");
	TCase *tc = tcase_create("kernel");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, set_owner_del);
	tcase_add_test(tc, fail_reopens_socket);
	tcase_add_test(tc, lost_answer_bounded_wait);
	tcase_add_test(tc, stale_reply_is_skipped);
	tcase_add_test(tc, fault_specs);
	suite_add_tcase(s, tc);
	return s;
}
