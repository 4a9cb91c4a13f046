// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: admission decisions, quarantine (fake clock), re-evaluation,
 * admission log.
 */
#include <zebra.h>

#include <check.h>

#include "darr.h"

#include "module/vapp_core.h"
#include "check_vapp.h"

#include "check_admission_fixture.h"

START_TEST(select_longest_source_and_fallback)
{
	struct vapp_pool *wide = pool_add("wide", "APPL", "10.1.0.0/16");
	struct vapp_pool *narrow = pool_add("narrow", "APPL", "10.1.2.0/24");
	struct vapp_pool *rest = pool_add("rest", "APPL", NULL);
	struct vapp_pool *other = pool_add("other", "OTHER", "10.1.2.0/25");
	struct ipaddr a;

	a = A("10.1.2.9");
	ck_assert_ptr_eq(vapp_pool_select(inst, "APPL", &a), narrow);
	ck_assert_ptr_eq(vapp_pool_select(inst, "OTHER", &a), other);
	a = A("10.1.9.9");
	ck_assert_ptr_eq(vapp_pool_select(inst, "APPL", &a), wide);
	a = A("192.0.2.1");
	ck_assert_ptr_eq(vapp_pool_select(inst, "APPL", &a), rest);
	ck_assert_ptr_null(vapp_pool_select(inst, "OTHER", &a));
	ck_assert_ptr_null(vapp_pool_select(inst, "NONE", &a));
	a = A("2001:db8::1");
	ck_assert_ptr_eq(vapp_pool_select(inst, "APPL", &a), rest);
}
END_TEST

START_TEST(connect_no_pool_rejected_and_counted)
{
	struct vapp_app *app;

	pool_add("web", "APPL", "10.1.0.0/16");
	app = conn("APPL", "10.2.0.1");
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(app->reason, VAPP_REASON_NO_POOL);
	ck_assert_ptr_null(app->pool);
	ck_assert_uint_eq(vapp_inst_nopool_count(inst, "APPL"), 1);
	ck_assert_uint_eq(decisions, 1);
	ck_assert_int_eq(last.entry->verdict, VAPP_VERDICT_REJECTED);
	ck_assert_str_eq(vapp_reason_name(last.entry->reason), "noPool");
	vapp_app_closed(app, now);
	ck_assert_uint_eq(vapp_app_count(inst), 0);
}
END_TEST

START_TEST(connect_source_checks_in_order)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *app;

	add_pfx(&p->deny, "10.1.0.66/32");
	add_pfx(&p->deny, "2001:db8:bad::/48");
	app = conn("APPL", "10.1.0.66");
	ck_assert_int_eq(app->reason, VAPP_REASON_DENIED_SOURCE);
	vapp_app_closed(app, now);
	app = conn("APPL", "2001:db8:bad::7");
	ck_assert_int_eq(app->reason, VAPP_REASON_DENIED_SOURCE);
	vapp_app_closed(app, now);

	password = false;
	app = conn("APPL", "10.1.0.5");
	ck_assert_int_eq(app->reason, VAPP_REASON_NO_PASSWORD);
	vapp_app_closed(app, now);
	p->require_password = false;
	app = conn("APPL", "10.1.0.5");
	ck_assert_int_eq(app->state, VAPP_APP_CONNECTING);
	vapp_app_closed(app, now);

	policy = false;
	app = conn("APPL", "10.1.0.6");
	ck_assert_int_eq(app->reason, VAPP_REASON_POLICY_NOT_ENFORCED);
	vapp_app_closed(app, now);

	ck_assert_uint_eq(p->rejected[VAPP_REASON_DENIED_SOURCE], 2);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_NO_PASSWORD], 1);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_POLICY_NOT_ENFORCED], 1);

	/* several failing at once: the first in the documented order wins
	 * (deniedSource, quarantined, noPassword, policyNotEnforced, poolFull) */
	p->require_password = true;
	password = false;
	policy = false;
	p->max_sessions = 1;
	app = conn("APPL", "10.1.0.9");
	ck_assert_int_eq(app->reason, VAPP_REASON_NO_PASSWORD);
	vapp_app_closed(app, now);
	app = conn("APPL", "10.1.0.66");
	ck_assert_int_eq(app->reason, VAPP_REASON_DENIED_SOURCE);
	vapp_app_closed(app, now);
	password = true;
	app = conn("APPL", "10.1.0.9");
	ck_assert_int_eq(app->reason, VAPP_REASON_POLICY_NOT_ENFORCED);
	vapp_app_closed(app, now);
	/* the slot taken: pool full only counts once the others pass */
	policy = true;
	app = conn("APPL", "10.1.0.10");
	ck_assert_int_eq(app->state, VAPP_APP_CONNECTING);
	policy = false;
	ck_assert_int_eq(conn("APPL", "10.1.0.11")->reason, VAPP_REASON_POLICY_NOT_ENFORCED);
	policy = true;
	ck_assert_int_eq(conn("APPL", "10.1.0.12")->reason, VAPP_REASON_POOL_FULL);
}
END_TEST

START_TEST(pool_full_counts_slots)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *a1, *a2, *a3;

	p->max_sessions = 2;
	a1 = admit("APPL", "10.1.0.1", 65001);
	a2 = conn("APPL", "10.1.0.2"); /* connecting holds a slot too */
	a3 = conn("APPL", "10.1.0.3");
	ck_assert_int_eq(a1->state, VAPP_APP_ADMITTED);
	ck_assert_int_eq(a2->state, VAPP_APP_CONNECTING);
	ck_assert_int_eq(a3->reason, VAPP_REASON_POOL_FULL);
	ck_assert_uint_eq(vapp_pool_sessions_held(p), 2);
	/* a pool-full rejection is not the appliance's failure */
	ck_assert_uint_eq(vapp_srctab_count(&p->srcs), 2); /* a1's and a3's decisions */
	ck_assert_uint_eq(vapp_src_find(&p->srcs, &a3->addr)->failures, 0);
	vapp_app_closed(a3, now);
	vapp_app_closed(a2, now);
	ck_assert_uint_eq(vapp_pool_sessions_held(p), 1);
	a3 = conn("APPL", "10.1.0.3");
	ck_assert_int_eq(a3->state, VAPP_APP_CONNECTING);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_POOL_FULL], 1);
}
END_TEST

START_TEST(open_asn_set_and_router_id)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *app, *b;

	/* empty set: any AS */
	app = admit("APPL", "10.1.0.1", 4294967295u);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert_uint_eq(p->admitted, 1);

	add_asn(p, "65001-65010");
	add_asn(p, "65536");
	app = admit("APPL", "10.1.0.2", 65010);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	app = admit("APPL", "10.1.0.3", 65536);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	app = admit("APPL", "10.1.0.4", 65535);
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(app->reason, VAPP_REASON_REMOTE_AS);
	ck_assert(!app->holds_slot);
	ck_assert_uint_eq(app->remote_as, 65535);

	/* router-id: the route server's own, or another admitted appliance's */
	app = conn("APPL", "10.1.0.5");
	vapp_admit_open(app, 65001, I("10.255.255.1"), I("10.255.255.1"), now);
	ck_assert_int_eq(app->reason, VAPP_REASON_ROUTER_ID);
	b = conn("APPL", "10.1.0.6");
	vapp_admit_open(b, 65001, I("10.1.0.2"), I("10.255.255.1"), now);
	ck_assert_int_eq(b->reason, VAPP_REASON_ROUTER_ID);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_ROUTER_ID], 2);
	/* a dual-stack appliance: its IPv6 session may share the identifier
	 * (same AS); another AS, or a second IPv6 session, may not (mobility
	 * reject: under takeover that is the appliance moved, check_moves.c) */
	p->mobility = VAPP_MOBILITY_REJECT;
	b = conn("APPL", "2001:db8::2");
	vapp_admit_open(b, 65010, I("10.1.0.2"), I("10.255.255.1"), now);
	ck_assert_int_eq(b->state, VAPP_APP_ADMITTED);
	b = conn("APPL", "2001:db8::3");
	vapp_admit_open(b, 65001, I("10.1.0.3"), I("10.255.255.1"), now);
	ck_assert_int_eq(b->reason, VAPP_REASON_ROUTER_ID);
	b = conn("APPL", "2001:db8::4");
	vapp_admit_open(b, 65010, I("10.1.0.2"), I("10.255.255.1"), now);
	ck_assert_int_eq(b->reason, VAPP_REASON_ROUTER_ID);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_REMOTE_AS], 1);
	/* a second OPEN changes nothing */
	ck_assert_int_eq(vapp_admit_open(b, 65001, I("10.9.9.9"), I("10.255.255.1"), now),
			 VAPP_APP_REJECTED);
}
END_TEST

START_TEST(quarantine_window_hold_and_expiry)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *app;
	int i;

	add_asn(p, "65001");
	p->quarantine.failures = 3;
	p->quarantine.within = 10;
	p->quarantine.hold = 100;

	/* two failures, then the window (10 s) passes: the count restarts */
	for (i = 0; i < 2; i++) {
		app = admit("APPL", "10.1.0.9", 65099);
		vapp_app_closed(app, now);
		now += 1000;
	}
	now += 10000;
	for (i = 0; i < 2; i++) {
		app = admit("APPL", "10.1.0.9", 65099);
		ck_assert_int_eq(app->reason, VAPP_REASON_REMOTE_AS);
		vapp_app_closed(app, now);
		now += 1000;
	}
	app = conn("APPL", "10.1.0.9");
	ck_assert_int_eq(app->state, VAPP_APP_CONNECTING);
	vapp_admit_open(app, 65099, I("10.1.0.9"), I("10.255.255.1"), now);
	ck_assert_int_eq(last.entry->verdict, VAPP_VERDICT_QUARANTINED);
	vapp_app_closed(app, now);

	/* held: rejected at connect, not extended, not a failure */
	now += 99000;
	app = conn("APPL", "10.1.0.9");
	ck_assert_int_eq(app->reason, VAPP_REASON_QUARANTINED);
	vapp_app_closed(app, now);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_QUARANTINED], 1);
	/* other sources unaffected */
	app = admit("APPL", "10.1.0.10", 65001);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);

	now += 1000; /* hold over */
	app = admit("APPL", "10.1.0.9", 65001);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
}
END_TEST

START_TEST(quarantine_failures_from_sessions)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *app;
	struct ipaddr a = A("10.1.0.7");

	p->quarantine.failures = 2;
	/* dies before Established: failure */
	app = admit("APPL", "10.1.0.7", 65001);
	vapp_app_closed(app, now);
	ck_assert_uint_eq(vapp_src_find(&p->srcs, &a)->failures, 1);
	/* Established, then a clean close: no failure */
	app = admit("APPL", "10.1.0.7", 65001);
	vapp_app_established(app, true, now);
	vapp_app_closed(app, now);
	ck_assert_uint_eq(vapp_src_find(&p->srcs, &a)->failures, 1);
	/* Established, then an error NOTIFICATION from the appliance: failure */
	app = admit("APPL", "10.1.0.7", 65001);
	vapp_app_established(app, true, now);
	vapp_app_notify_received(app, 3);
	vapp_app_closed(app, now);
	ck_assert(vapp_src_quarantined(vapp_src_find(&p->srcs, &a), now));

	/* disabled: nothing is counted, nothing held */
	ck_assert_uint_ge(vapp_inst_clear_quarantine(inst, &a), 1);
	ck_assert(!vapp_src_quarantined(vapp_src_find(&p->srcs, &a), now));
	p->quarantine.enabled = false;
	for (int i = 0; i < 5; i++) {
		app = admit("APPL", "10.1.0.7", 65001);
		vapp_app_closed(app, now);
	}
	app = conn("APPL", "10.1.0.7");
	ck_assert_int_eq(app->state, VAPP_APP_CONNECTING);
}
END_TEST

START_TEST(quarantine_clear_one_or_all)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct ipaddr a = A("10.1.0.1"), b = A("10.1.0.2");
	struct vapp_src *s;

	p->quarantine.failures = 1;
	s = vapp_src_get(&p->srcs, &a);
	vapp_src_failure(s, &p->quarantine, now);
	s = vapp_src_get(&p->srcs, &b);
	vapp_src_failure(s, &p->quarantine, now);
	ck_assert_uint_eq(vapp_inst_clear_quarantine(inst, &a), 1);
	ck_assert(!vapp_src_quarantined(vapp_src_find(&p->srcs, &a), now));
	ck_assert(vapp_src_quarantined(vapp_src_find(&p->srcs, &b), now));
	ck_assert_uint_eq(vapp_inst_clear_quarantine(inst, NULL), 1);
	ck_assert(!vapp_src_quarantined(vapp_src_find(&p->srcs, &b), now));
}
END_TEST

START_TEST(srctab_cap_evicts_oldest)
{
	struct vapp_srctab tab;
	struct ipaddr a;
	char buf[32];

	vapp_srctab_init(&tab, 4);
	for (int i = 1; i <= 4; i++) {
		snprintf(buf, sizeof(buf), "10.0.0.%d", i);
		a = A(buf);
		vapp_src_get(&tab, &a);
	}
	/* touch .1: .2 becomes the oldest */
	a = A("10.0.0.1");
	vapp_src_get(&tab, &a);
	a = A("10.0.0.5");
	vapp_src_get(&tab, &a);
	ck_assert_uint_eq(vapp_srctab_count(&tab), 4);
	ck_assert_uint_eq(tab.evicted, 1);
	a = A("10.0.0.2");
	ck_assert_ptr_null(vapp_src_find(&tab, &a));
	a = A("10.0.0.1");
	ck_assert_ptr_nonnull(vapp_src_find(&tab, &a));
	/* a flood stays bounded */
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "10.1.%d.%d", i / 250, i % 250);
		a = A(buf);
		vapp_src_get(&tab, &a);
	}
	ck_assert_uint_eq(vapp_srctab_count(&tab), 4);
	ck_assert_uint_eq(tab.evicted, 1001);
	vapp_srctab_fini(&tab);
}
END_TEST

START_TEST(reevaluate_asn_removed_disconnects_exactly_that)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *a1, *a2;
	struct vapp_asn_range r;

	add_asn(p, "65001");
	add_asn(p, "65002");
	a1 = admit("APPL", "10.1.0.1", 65001);
	a2 = admit("APPL", "10.1.0.2", 65002);
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 0);
	vapp_asn_range_parse("65002", &r);
	vapp_asnset_del(&p->asns, &r);
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 1);
	ck_assert_uint_eq(disconnects, 1);
	ck_assert_int_eq(a1->state, VAPP_APP_ADMITTED);
	ck_assert_int_eq(a2->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(a2->reason, VAPP_REASON_REMOTE_AS);
	ck_assert_int_eq(last.entry->verdict, VAPP_VERDICT_DISCONNECTED);
	/* already rejected: not disconnected twice */
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 0);
}
END_TEST

START_TEST(reevaluate_deny_password_max_sessions)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *a[4];
	char buf[32];

	for (int i = 0; i < 4; i++) {
		snprintf(buf, sizeof(buf), "10.1.0.%d", i + 1);
		a[i] = admit("APPL", buf, 65001);
		now += 1000;
	}
	add_pfx(&p->deny, "10.1.0.2/32");
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 1);
	ck_assert_int_eq(a[1]->reason, VAPP_REASON_DENIED_SOURCE);

	/* max-sessions lowered: the newest go */
	p->max_sessions = 2;
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 1);
	ck_assert_int_eq(a[0]->state, VAPP_APP_ADMITTED);
	ck_assert_int_eq(a[2]->state, VAPP_APP_ADMITTED);
	ck_assert_int_eq(a[3]->reason, VAPP_REASON_POOL_FULL);

	password = false;
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 2);
	ck_assert_int_eq(a[0]->reason, VAPP_REASON_NO_PASSWORD);
	ck_assert_uint_eq(vapp_pool_sessions_held(p), 0);
}
END_TEST

START_TEST(reevaluate_pool_deleted)
{
	struct vapp_pool *web = pool_add("web", "APPL", "10.1.0.0/24");
	struct vapp_app *a1, *a2, *b1;

	pool_add("db", "APPL", "10.2.0.0/24");
	struct vapp_pool *solo = pool_add("solo", "SOLO", NULL);

	a1 = admit("APPL", "10.1.0.1", 65001);
	a2 = admit("APPL", "10.2.0.1", 65001);
	b1 = admit("SOLO", "10.3.0.1", 65001);
	ck_assert_ptr_eq(a1->pool, web);

	/* the group keeps a pool: web's appliances must reconnect (noPool) */
	vapp_pool_del(web);
	ck_assert_ptr_null(a1->pool);
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 1);
	ck_assert_int_eq(a1->reason, VAPP_REASON_NO_POOL);
	ck_assert_int_eq(a2->state, VAPP_APP_ADMITTED);

	/* the group's last pool: its appliances are cut too, none is left
	 * unchecked (noPool), and a rejected one is not counted twice */
	vapp_pool_del(solo);
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 1);
	ck_assert_uint_eq(disconnects, 2);
	ck_assert_int_eq(b1->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(b1->reason, VAPP_REASON_NO_POOL);
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 0);
	ck_assert_uint_eq(vapp_app_count(inst), 3); /* until their sessions are gone */
}
END_TEST

START_TEST(reevaluate_source_moves_pool)
{
	struct vapp_pool *rest = pool_add("rest", "APPL", NULL);
	struct vapp_pool *narrow;
	struct vapp_app *a1, *a2;

	a1 = admit("APPL", "10.1.0.1", 65001);
	a2 = admit("APPL", "10.9.0.1", 65001);
	ck_assert_ptr_eq(a1->pool, rest);
	narrow = pool_add("narrow", "APPL", "10.1.0.0/24");
	ck_assert_uint_eq(vapp_inst_reevaluate(inst, &facts, on_disconnect, now), 1);
	ck_assert_int_eq(a1->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(a2->state, VAPP_APP_ADMITTED);
	a1 = admit("APPL", "10.1.0.1", 65001);
	ck_assert_ptr_eq(a1->pool, narrow);
}
END_TEST

START_TEST(alog_ring_and_rate_limit)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	const struct vapp_alog_entry *e;
	struct vapp_app *app;
	char addr[32];

	add_asn(p, "65001");
	p->quarantine.enabled = false;
	/* 3 equal decisions for one source within 10 s: one line, one entry */
	for (int i = 0; i < 3; i++) {
		app = admit("APPL", "10.1.0.1", 65002);
		vapp_app_closed(app, now);
		now += 1000;
	}
	ck_assert_uint_eq(decisions, 3);
	ck_assert_uint_eq(logged, 1);
	ck_assert_uint_eq(vapp_alog_count(inst), 1);
	/* a different decision is logged at once, with the count left out */
	app = admit("APPL", "10.1.0.1", 65001);
	ck_assert_uint_eq(logged, 2);
	ck_assert_uint_eq(last.suppressed, 2);
	vapp_app_closed(app, now);
	ck_assert_uint_eq(vapp_alog_count(inst), 2);
	e = vapp_alog_get(inst, 0);
	ck_assert_int_eq(e->verdict, VAPP_VERDICT_ADMITTED);
	ck_assert_str_eq(e->pool, "web");
	ck_assert_uint_eq(e->asn, 65001);
	ck_assert_uint_eq(e->suppressed, 2);
	e = vapp_alog_get(inst, 1);
	ck_assert_int_eq(e->reason, VAPP_REASON_REMOTE_AS);
	ck_assert_uint_eq(e->suppressed, 0);
	ck_assert_ptr_null(vapp_alog_get(inst, 2));
	/* and so is going back; then equal ones wait for the interval */
	app = admit("APPL", "10.1.0.1", 65002);
	vapp_app_closed(app, now);
	app = admit("APPL", "10.1.0.1", 65002);
	vapp_app_closed(app, now);
	ck_assert_uint_eq(logged, 3);
	ck_assert_uint_eq(vapp_alog_count(inst), 3);
	now += 10000;
	app = admit("APPL", "10.1.0.1", 65002);
	vapp_app_closed(app, now);
	ck_assert_uint_eq(logged, 4);
	ck_assert_uint_eq(vapp_alog_get(inst, 0)->suppressed, 1);

	/* wraps at VAPP_ALOG_SIZE, newest first (within the pool's budget) */
	for (int i = 0; i < VAPP_ALOG_SIZE + 10; i++) {
		if (i % VAPP_POOL_LOG_BURST == 0)
			now += VAPP_LOG_INTERVAL_MS;
		snprintf(addr, sizeof(addr), "10.2.%d.%d", i / 200, i % 200 + 1);
		app = admit("APPL", addr, 65002);
		vapp_app_closed(app, now);
	}
	ck_assert_uint_eq(vapp_alog_count(inst), VAPP_ALOG_SIZE);
	ck_assert_uint_eq(vapp_alog_get(inst, 0)->seq, VAPP_ALOG_SIZE + 14);
	ck_assert_uint_eq(vapp_alog_get(inst, VAPP_ALOG_SIZE - 1)->seq, 15);
}
END_TEST

/*
 * A scan: many sources of one pool, each rejected once. At most
 * VAPP_POOL_LOG_BURST are logged per interval, the first of the next says
 * how many were not; admissions and other pools are not held back.
 */
START_TEST(pool_log_budget)
{
	struct vapp_pool *web = pool_add("web", "APPL", "10.1.0.0/16");
	struct vapp_pool *db = pool_add("db", "APPL", "10.9.0.0/16");
	struct vapp_app *app;
	char addr[32];

	add_asn(web, "65001");
	add_asn(db, "65001");
	web->quarantine.enabled = db->quarantine.enabled = false;
	for (int i = 0; i < 50; i++) {
		snprintf(addr, sizeof(addr), "10.1.%d.%d", i / 200, i % 200 + 1);
		app = admit("APPL", addr, 65002);
		vapp_app_closed(app, now);
		now += 100;
	}
	ck_assert_uint_eq(decisions, 50);
	ck_assert_uint_eq(logged, VAPP_POOL_LOG_BURST);
	ck_assert_uint_eq(vapp_alog_count(inst), VAPP_POOL_LOG_BURST);
	/* the interval is spent for web, not for db, and not for admissions */
	app = admit("APPL", "10.9.0.1", 65002);
	vapp_app_closed(app, now);
	ck_assert_uint_eq(logged, VAPP_POOL_LOG_BURST + 1);
	ck_assert_uint_eq(last.pool_held, 0);
	app = admit("APPL", "10.1.1.1", 65001);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert(last.log);
	ck_assert_uint_eq(logged, VAPP_POOL_LOG_BURST + 2);
	vapp_app_closed(app, now);
	/* a held-back source logs its next decision, counting this one */
	now += VAPP_LOG_INTERVAL_MS;
	app = admit("APPL", "10.1.0.50", 65002);
	vapp_app_closed(app, now);
	ck_assert(last.log);
	ck_assert_uint_eq(last.pool_held, 50 - VAPP_POOL_LOG_BURST);
	ck_assert_uint_eq(last.suppressed, 1);
	ck_assert_uint_eq(vapp_alog_get(inst, 0)->suppressed, 1);
	app = admit("APPL", "10.1.0.49", 65002);
	vapp_app_closed(app, now);
	ck_assert(last.log);
	ck_assert_uint_eq(last.pool_held, 0);
}
END_TEST

/* a quarantine starting is always logged, whatever was logged just before */
START_TEST(quarantine_start_always_logged)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *app;

	add_asn(p, "65001");
	p->quarantine.failures = 2;
	app = admit("APPL", "10.1.0.9", 65002);
	vapp_app_closed(app, now);
	ck_assert_uint_eq(logged, 1);
	now += 500;
	app = admit("APPL", "10.1.0.9", 65002); /* the second failure */
	vapp_app_closed(app, now);
	ck_assert_uint_eq(decisions, 3); /* rejected, rejected, quarantined */
	ck_assert_uint_eq(logged, 2);	 /* the second rejection is not */
	ck_assert(last.log);
	ck_assert_int_eq(last.entry->verdict, VAPP_VERDICT_QUARANTINED);
	ck_assert_int_eq(vapp_alog_get(inst, 0)->verdict, VAPP_VERDICT_QUARANTINED);
}
END_TEST

START_TEST(views_connected_rejected_quarantined)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_pool *q = pool_add("db", "APPL", "10.9.0.0/16");
	struct vapp_appview *v;
	struct vapp_app *app;
	struct ipaddr a;

	add_asn(p, "65001");
	p->quarantine.failures = 1;
	admit("APPL", "10.1.0.3", 65001);	/* admitted, connected */
	conn("APPL", "10.9.0.1");		/* connecting, pool db */
	app = admit("APPL", "10.1.0.2", 65002); /* rejected -> quarantined */
	vapp_app_closed(app, now);
	app = admit("APPL", "10.1.0.1", 65001); /* admitted, up, then gone */
	vapp_app_established(app, true, now);
	vapp_app_closed(app, now);

	v = vapp_inst_appviews(inst, NULL, now);
	ck_assert_uint_eq(darr_len(v), 3); /* 10.1.0.1 left cleanly: not shown */
	a = A("10.1.0.2");
	ck_assert_int_eq(ipaddr_cmp(&v[0].addr, &a), 0);
	ck_assert_int_eq(v[0].state, VAPP_VIEW_QUARANTINED);
	ck_assert_uint_eq(v[0].remote_as, 65002);
	ck_assert_int_eq(v[0].until, now + 300000);
	ck_assert_int_eq(v[1].state, VAPP_VIEW_ADMITTED);
	ck_assert_int_eq(v[2].state, VAPP_VIEW_CONNECTING);
	ck_assert_str_eq(v[2].pool, "db");
	darr_free(v);

	v = vapp_inst_appviews(inst, "db", now);
	ck_assert_uint_eq(darr_len(v), 1);
	darr_free(v);

	/* the quarantine ends: a rejection stays visible for an hour */
	now += 301000;
	v = vapp_inst_appviews(inst, "web", now);
	ck_assert_uint_eq(darr_len(v), 2);
	ck_assert_int_eq(v[0].state, VAPP_VIEW_REJECTED);
	ck_assert_int_eq(v[0].reason, VAPP_REASON_REMOTE_AS);
	darr_free(v);
	now += VAPP_VIEW_REJECTED_TTL_MS;
	v = vapp_inst_appviews(inst, "web", now);
	ck_assert_uint_eq(darr_len(v), 1);
	darr_free(v);
	(void)q;
}
END_TEST

START_TEST(names_of_reasons)
{
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_REMOTE_AS), "remoteAs");
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_ROUTER_ID), "routerId");
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_POOL_FULL), "poolFull");
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_DENIED_SOURCE), "deniedSource");
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_QUARANTINED), "quarantined");
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_NO_PASSWORD), "noPassword");
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_POLICY_NOT_ENFORCED), "policyNotEnforced");
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_NO_POOL), "noPool");
	ck_assert_str_eq(vapp_reason_name(VAPP_REASON_OPEN_MISMATCH), "openMismatch");
	ck_assert(vapp_reason_is_failure(VAPP_REASON_REMOTE_AS));
	ck_assert(vapp_reason_is_failure(VAPP_REASON_OPEN_MISMATCH));
	ck_assert(!vapp_reason_is_failure(VAPP_REASON_POOL_FULL));
	ck_assert(!vapp_reason_is_failure(VAPP_REASON_QUARANTINED));
}
END_TEST

Suite *vapp_admission_suite(void)
{
	Suite *s = suite_create("admission");
	TCase *tc = tcase_create("admission");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, select_longest_source_and_fallback);
	tcase_add_test(tc, connect_no_pool_rejected_and_counted);
	tcase_add_test(tc, connect_source_checks_in_order);
	tcase_add_test(tc, pool_full_counts_slots);
	tcase_add_test(tc, open_asn_set_and_router_id);
	tcase_add_test(tc, quarantine_window_hold_and_expiry);
	tcase_add_test(tc, quarantine_failures_from_sessions);
	tcase_add_test(tc, quarantine_clear_one_or_all);
	tcase_add_test(tc, srctab_cap_evicts_oldest);
	tcase_add_test(tc, reevaluate_asn_removed_disconnects_exactly_that);
	tcase_add_test(tc, reevaluate_deny_password_max_sessions);
	tcase_add_test(tc, reevaluate_pool_deleted);
	tcase_add_test(tc, reevaluate_source_moves_pool);
	tcase_add_test(tc, alog_ring_and_rate_limit);
	tcase_add_test(tc, pool_log_budget);
	tcase_add_test(tc, quarantine_start_always_logged);
	tcase_add_test(tc, views_connected_rejected_quarantined);
	tcase_add_test(tc, names_of_reasons);
	suite_add_tcase(s, tc);
	return s;
}
