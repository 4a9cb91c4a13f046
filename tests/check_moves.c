// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: appliances that move. A second session of an admitted
 * appliance to another address of the route server (alreadyPeered), and
 * make-before-break mobility (a re-addressed appliance takes over).
 */
#include <zebra.h>

#include <check.h>

#include "darr.h"

#include "check_vapp.h"
#include "check_admission_fixture.h"

/* connect from @src and OPEN with @asn and identifier @rid */
static struct vapp_app *admit_id(const char *src, uint32_t asn, const char *rid)
{
	struct vapp_app *app = conn("APPL", src);

	if (app->state == VAPP_APP_CONNECTING)
		vapp_admit_open(app, asn, I(rid), I("10.255.255.1"), now);
	return app;
}

static struct vapp_app *closed[4];
static unsigned int nclosed;

static void on_moved(struct vapp_app *old, struct vapp_app *app, void *arg)
{
	ck_assert_uint_lt(nclosed, 4);
	closed[nclosed++] = old;
}

static unsigned int takeover(struct vapp_app *app)
{
	nclosed = 0;
	return vapp_app_takeover(app, now, on_moved, NULL);
}

static const struct vapp_appview *view_of(const struct vapp_appview *views, const char *src)
{
	struct ipaddr a = A(src);

	for (size_t i = 0; i < darr_len(views); i++)
		if (!ipaddr_cmp(&views[i].addr, &a))
			return &views[i];
	return NULL;
}

/*
 * Refused, counted in the pool and the appliance, logged once, never a
 * failure; an appliance being decided is protected too, a rejected one
 * (or one waiting for its graceful restart) is not.
 */
START_TEST(second_local_refused_counted_logged_once)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct ipaddr a = A("10.1.0.5");
	struct vapp_appview *views;
	struct vapp_app *app;
	unsigned int before;

	p->quarantine =
		(struct vapp_qcfg){ .enabled = true, .failures = 2, .within = 60, .hold = 300 };
	app = admit_id("10.1.0.5", 65001, "1.1.1.5");
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	before = logged;
	for (int i = 0; i < 5; i++)
		ck_assert(vapp_admit_other_local(app, now + i));
	ck_assert_uint_eq(logged, before + 1); /* once */
	ck_assert_int_eq(last.entry->reason, VAPP_REASON_ALREADY_PEERED);
	ck_assert_int_eq(last.entry->verdict, VAPP_VERDICT_REJECTED);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_ALREADY_PEERED], 5);
	ck_assert_uint_eq(app->peered_refused, 5);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED); /* its session stays */
	ck_assert_uint_eq(vapp_src_find(&p->srcs, &a)->failures, 0);
	ck_assert(vapp_src_find(&p->srcs, &a)->last_admitted); /* the source's record stands */
	ck_assert(!vapp_src_quarantined(vapp_src_find(&p->srcs, &a), now));

	views = vapp_inst_appviews(inst, NULL, now);
	ck_assert_uint_eq(view_of(views, "10.1.0.5")->peered_refused, 5);
	darr_free(views);

	/* the first session goes: the next attempt is a new appliance, admitted */
	vapp_app_established(app, true, now);
	vapp_app_closed(app, now);
	app = admit_id("10.1.0.5", 65001, "1.1.1.5");
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert_uint_eq(app->peered_refused, 0);
	ck_assert(vapp_admit_other_local(app, now));
	ck_assert_uint_eq(logged, before + 3); /* admitted, then one refusal line */

	/* still being decided: protected as well */
	vapp_app_closed(app, now);
	app = conn("APPL", "10.1.0.6");
	ck_assert(vapp_admit_other_local(app, now));
	/* rejected: bgpd's own handling, not counted */
	vapp_admit_open(app, 65001, I("10.255.255.1"), I("10.255.255.1"), now);
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert(!vapp_admit_other_local(app, now));
	ck_assert_uint_eq(p->rejected[VAPP_REASON_ALREADY_PEERED], 7);
}
END_TEST

/*
 * A re-addressed appliance (same pool, AS, identifier): admitted as a move
 * under mobility takeover, and the old one disconnected (moved) only when
 * the new session is Established; no failure, no quarantine.
 */
START_TEST(move_takes_over_when_established)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct ipaddr old_a = A("10.1.0.5"), new_a = A("10.2.0.5");
	struct vapp_app *old, *app;
	struct vapp_appview *views;

	p->quarantine =
		(struct vapp_qcfg){ .enabled = true, .failures = 1, .within = 60, .hold = 300 };
	old = admit_id("10.1.0.5", 65001, "1.1.1.5");
	vapp_app_established(old, true, now);
	app = admit_id("10.2.0.5", 65001, "1.1.1.5");
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert(app->move_pending);
	ck_assert_int_eq(old->state, VAPP_APP_ADMITTED); /* make before break */
	ck_assert_uint_eq(p->rejected[VAPP_REASON_ROUTER_ID], 0);
	views = vapp_inst_appviews(inst, NULL, now);
	ck_assert(view_of(views, "10.2.0.5")->move_pending);
	ck_assert_int_eq(ipaddr_cmp(&view_of(views, "10.2.0.5")->move_from, &old_a), 0);
	darr_free(views);

	vapp_app_established(app, true, now);
	ck_assert_uint_eq(takeover(app), 1);
	ck_assert_ptr_eq(closed[0], old);
	ck_assert_int_eq(old->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(old->reason, VAPP_REASON_MOVED);
	ck_assert_int_eq(last.entry->verdict, VAPP_VERDICT_DISCONNECTED);
	ck_assert_int_eq(last.entry->reason, VAPP_REASON_MOVED);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_MOVED], 1);
	ck_assert(!app->move_pending);
	ck_assert_uint_eq(takeover(app), 0); /* once */
	vapp_app_closed(old, now);
	ck_assert(!vapp_src_quarantined(vapp_src_find(&p->srcs, &old_a), now));
	ck_assert(!vapp_src_quarantined(vapp_src_find(&p->srcs, &new_a), now));
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert_uint_eq(vapp_pool_sessions_held(p), 1);
}
END_TEST

/*
 * The old session ended first, or another appliance is at the old address
 * now: nothing to take over. Moved twice before the first move came up:
 * both older sessions go.
 */
START_TEST(move_from_gone_or_twice)
{
	struct vapp_pool *p = pool_add("web", "APPL", NULL);
	struct vapp_app *old, *app, *mid;

	old = admit_id("10.1.0.5", 65001, "1.1.1.5");
	app = admit_id("10.2.0.5", 65001, "1.1.1.5");
	ck_assert(app->move_pending);
	vapp_app_closed(old, now);
	old = admit_id("10.1.0.5", 65001, "1.1.1.99");
	ck_assert_uint_eq(takeover(app), 0);
	ck_assert_int_eq(old->state, VAPP_APP_ADMITTED);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_MOVED], 0);

	old = admit_id("10.3.0.5", 65001, "1.1.1.7");
	mid = admit_id("10.4.0.5", 65001, "1.1.1.7");
	app = admit_id("10.5.0.5", 65001, "1.1.1.7");
	ck_assert(mid->move_pending && app->move_pending);
	ck_assert_uint_eq(takeover(app), 2);
	ck_assert_int_eq(old->reason, VAPP_REASON_MOVED);
	ck_assert_int_eq(mid->reason, VAPP_REASON_MOVED);
	ck_assert_uint_eq(takeover(mid), 0); /* rejected already: no move back */
	ck_assert_uint_eq(p->rejected[VAPP_REASON_MOVED], 2);
}
END_TEST

/*
 * Not a move: mobility reject, another AS, another pool, another address
 * family with another AS. Each stays a clone (routerId); the other family
 * with the same AS stays a dual-stack pair, no move.
 */
START_TEST(not_a_move_is_a_clone)
{
	struct vapp_pool *p = pool_add("web", "APPL", "10.1.0.0/16");
	struct vapp_pool *q = pool_add("db", "APPL", "10.2.0.0/16");
	struct vapp_app *app;

	pool_add("v6", "APPL", "2001:db8::/32");
	admit_id("10.1.0.5", 65001, "1.1.1.5");

	app = admit_id("10.1.0.6", 65002, "1.1.1.5"); /* another AS */
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(app->reason, VAPP_REASON_ROUTER_ID);
	app = admit_id("10.2.0.5", 65001, "1.1.1.5"); /* another pool */
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_uint_eq(q->rejected[VAPP_REASON_ROUTER_ID], 1);
	app = admit_id("2001:db8::5", 65001, "1.1.1.5"); /* dual stack */
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	ck_assert(!app->move_pending);

	p->mobility = VAPP_MOBILITY_REJECT;
	app = admit_id("10.1.0.7", 65001, "1.1.1.5");
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(app->reason, VAPP_REASON_ROUTER_ID);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_ROUTER_ID], 2);
	ck_assert_uint_eq(p->rejected[VAPP_REASON_MOVED], 0);
}
END_TEST

/* the takeover waits for the new session's End-of-RIB (RFC 4724) */
START_TEST(end_of_rib_marker)
{
	static const uint8_t v4[] = { 0, 0, 0, 0 };
	static const uint8_t v6[] = { 0, 0, 0, 6, 0x80, 15, 3, 0, 2, 1 };
	static const uint8_t v6ext[] = { 0, 0, 0, 7, 0x90, 15, 0, 3, 0, 2, 1 };
	/* a withdrawal, an MP_UNREACH with a prefix, another attribute, a
	 * truncated one: not End-of-RIB */
	static const uint8_t wd[] = { 0, 2, 8, 10, 0, 0 };
	static const uint8_t v6pfx[] = { 0, 0, 0, 8, 0x80, 15, 5, 0, 2, 1, 8, 0x20 };
	static const uint8_t origin[] = { 0, 0, 0, 4, 0x40, 1, 1, 0 };
	static const uint8_t cut[] = { 0, 0, 0, 6, 0x80, 15, 3, 0 };

	ck_assert(vapp_update_is_eor(v4, sizeof(v4)));
	ck_assert(vapp_update_is_eor(v6, sizeof(v6)));
	ck_assert(vapp_update_is_eor(v6ext, sizeof(v6ext)));
	ck_assert(!vapp_update_is_eor(wd, sizeof(wd)));
	ck_assert(!vapp_update_is_eor(v6pfx, sizeof(v6pfx)));
	ck_assert(!vapp_update_is_eor(origin, sizeof(origin)));
	ck_assert(!vapp_update_is_eor(cut, sizeof(cut)));
	ck_assert(!vapp_update_is_eor(v4, 3));
}
END_TEST

Suite *vapp_moves_suite(void)
{
	Suite *s = suite_create("moves");
	TCase *tc = tcase_create("moves");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, second_local_refused_counted_logged_once);
	tcase_add_test(tc, move_takes_over_when_established);
	tcase_add_test(tc, move_from_gone_or_twice);
	tcase_add_test(tc, not_a_move_is_a_clone);
	tcase_add_test(tc, end_of_rib_marker);
	suite_add_tcase(s, tc);
	return s;
}
