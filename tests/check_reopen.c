// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: OPENs after the first one of a connection's decision: a
 * collision's second connection, the OPEN bgpd read (checked against what
 * was admitted), the restarted session of a graceful restart.
 */
#include <zebra.h>

#include <check.h>

#include "darr.h"

#include "module/vapp_policy.h"
#include "check_vapp.h"
#include "check_admission_fixture.h"

/*
 * A second connection from an appliance's address (bgpd's collision path):
 * its OPEN decides an undecided appliance, and after the admission it must
 * carry the same AS and pass the same checks, or it is refused and counted.
 */
START_TEST(second_open_decides_and_is_checked)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *app;

	add_asn(p, "65001");
	/* undecided: the second connection's refused AS rejects the appliance */
	app = conn("APPL", "10.1.0.5");
	ck_assert_int_eq(vapp_admit_second_open(app, 64999, I("10.9.9.9"), I("10.255.255.1"), now),
			 VAPP_REASON_REMOTE_AS);
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_REMOTE_AS], 1);
	vapp_app_closed(app, now);

	/* admitted with AS 65001: another AS, or the route server's own
	 * identifier, on a second connection is refused; the same is fine */
	app = admit("APPL", "10.1.0.6", 65001);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert_int_eq(vapp_admit_second_open(app, 65001, I("10.1.0.6"), I("10.255.255.1"), now),
			 VAPP_REASON_NONE);
	ck_assert_int_eq(vapp_admit_second_open(app, 65002, I("10.1.0.6"), I("10.255.255.1"), now),
			 VAPP_REASON_REMOTE_AS);
	ck_assert_int_eq(vapp_admit_second_open(app, 65001, I("10.255.255.1"), I("10.255.255.1"),
						now),
			 VAPP_REASON_ROUTER_ID);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED); /* its session is left alone */
	ck_assert_uint_eq(p->rejected[VAPP_REASON_REMOTE_AS], 2);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_ROUTER_ID], 1);
	ck_assert_int_eq(last.entry->verdict, VAPP_VERDICT_REJECTED);
}
END_TEST

/* what bgpd read of the OPEN must be what was admitted */
START_TEST(confirm_compares_what_bgpd_read)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct ipaddr a = A("10.1.0.9");
	struct vapp_app *app;

	add_asn(p, "65001-65010");
	p->quarantine.failures = 2;
	app = admit("APPL", "10.1.0.5", 65001);
	ck_assert_int_eq(vapp_admit_confirm(app, 65001, I("10.1.0.5"), now), VAPP_REASON_NONE);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_OPEN_MISMATCH], 0);

	/* another AS (inside the pool's set too): refused all the same */
	decisions = 0;
	ck_assert_int_eq(vapp_admit_confirm(app, 65002, I("10.1.0.5"), now),
			 VAPP_REASON_OPEN_MISMATCH);
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(app->reason, VAPP_REASON_OPEN_MISMATCH);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_OPEN_MISMATCH], 1);
	ck_assert_uint_eq(decisions, 1);
	ck_assert_int_eq(last.entry->verdict, VAPP_VERDICT_REJECTED);
	ck_assert_int_eq(last.entry->reason, VAPP_REASON_OPEN_MISMATCH);
	ck_assert_uint_eq(last.entry->asn, 65001); /* the AS it was admitted with */
	/* decided once: the Established that may follow changes nothing */
	ck_assert_int_eq(vapp_admit_confirm(app, 65002, I("10.1.0.5"), now), VAPP_REASON_NONE);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_OPEN_MISMATCH], 1);
	vapp_app_closed(app, now);

	/* another identifier; twice is a quarantine (failures 2) */
	for (int i = 0; i < 2; i++) {
		app = admit("APPL", "10.1.0.9", 65003);
		ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
		ck_assert_int_eq(vapp_admit_confirm(app, 65003, I("10.1.0.99"), now),
				 VAPP_REASON_OPEN_MISMATCH);
		vapp_app_closed(app, now);
	}
	ck_assert(vapp_src_quarantined(vapp_src_find(&p->srcs, &a), now));
	ck_assert_uint_eq(p->rejected[VAPP_REASON_OPEN_MISMATCH], 3);

	/* one not admitted is not for this check */
	app = conn("APPL", "10.1.0.6");
	ck_assert_int_eq(vapp_admit_confirm(app, 65001, I("10.1.0.6"), now), VAPP_REASON_NONE);
	ck_assert_int_eq(app->state, VAPP_APP_CONNECTING);
	vapp_app_closed(app, now);
}
END_TEST

/*
 * Issue 13: the restarted session of a graceful restart is a new session:
 * its OPEN is decided as a first OPEN, a refused one counts toward the
 * quarantine, and the slot stays held meanwhile.
 */
START_TEST(graceful_restart_reconnect_decided_as_first_open)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct ipaddr a = A("10.1.0.8");
	struct vapp_rkey k_in = { .safi = SAFI_UNICAST }, k_out = { .safi = SAFI_UNICAST };
	struct vapp_range r;
	struct vapp_app *app;
	uint64_t admitted;

	add_asn(p, "65001");
	p->quarantine.failures = 1;
	p->max_sessions = 1;
	app = admit("APPL", "10.1.0.8", 65001);
	vapp_app_established(app, true, now);
	ck_assert_uint_eq(vapp_pool_established(p), 1);
	/* one accepted path (bgpd keeps it, stale), one rejected (gone with
	 * the Adj-RIB-In) */
	str2prefix("10.200.0.0/16", &k_in.p);
	ck_assert_ptr_null(vapp_range_bounds(&k_in.p, 24, 24, &r));
	vapp_rangeset_set(&p->ranges, &k_in.p, &r);
	str2prefix("10.200.1.0/24", &k_in.p);
	str2prefix("10.9.0.0/24", &k_out.p);
	ck_assert_int_eq(vapp_policy_announce(app, &k_in, &a), VAPP_P_ACCEPTED);
	ck_assert_int_eq(vapp_policy_announce(app, &k_out, &a), VAPP_P_OUTSIDE_RANGE);
	vapp_app_gr_wait(app, now);
	ck_assert_int_eq(vapp_policy_lookup(app, &k_in), VAPP_P_ACCEPTED);
	ck_assert_int_eq(vapp_policy_lookup(app, &k_out), VAPP_P_MAX);
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 1);
	ck_assert_uint_eq(app->pcount[VAPP_P_OUTSIDE_RANGE], 0);
	/* down for the pool's sessions, its slot still held */
	ck_assert_uint_eq(vapp_pool_established(p), 0);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert_int_eq(conn("APPL", "10.1.0.9")->state, VAPP_APP_REJECTED); /* poolFull */
	/* the same AS and identifier: admitted again, counted as an admission */
	admitted = p->admitted;
	ck_assert_int_eq(vapp_admit_second_open(app, 65001, I("10.1.0.8"), I("10.255.255.1"), now),
			 VAPP_REASON_NONE);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert_uint_eq(p->admitted, admitted + 1);
	vapp_app_established(app, true, now);
	ck_assert(!app->gr_wait);

	/* a collision (no graceful restart) is not decided again, nor counted */
	ck_assert_int_eq(vapp_admit_second_open(app, 65002, I("10.1.0.8"), I("10.255.255.1"), now),
			 VAPP_REASON_REMOTE_AS);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert_uint_eq(vapp_src_find(&p->srcs, &a)->failures, 0);

	/* restarted with another AS: rejected as a first OPEN is, a failure */
	vapp_app_gr_wait(app, now);
	ck_assert_int_eq(vapp_admit_second_open(app, 65002, I("10.1.0.8"), I("10.255.255.1"), now),
			 VAPP_REASON_REMOTE_AS);
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(app->reason, VAPP_REASON_REMOTE_AS);
	ck_assert_uint_eq(app->remote_as, 65002);
	vapp_app_closed(app, now);
	ck_assert(vapp_src_quarantined(vapp_src_find(&p->srcs, &a), now));
}
END_TEST

Suite *vapp_reopen_suite(void)
{
	Suite *s = suite_create("reopen");
	TCase *tc = tcase_create("reopen");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, second_open_decides_and_is_checked);
	tcase_add_test(tc, confirm_compares_what_bgpd_read);
	tcase_add_test(tc, graceful_restart_reconnect_decided_as_first_open);
	suite_add_tcase(s, tc);
	return s;
}
