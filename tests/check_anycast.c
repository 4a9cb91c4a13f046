// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the anycast health state machine (fake clock).
 */
#include <zebra.h>

#include <check.h>

#include "darr.h"

#include "module/vapp_policy.h"
#include "check_vapp.h"

static struct vapp_ctx ctx;
static struct vapp_inst *inst;
static struct vapp_anycast *ac;
static int64_t now;
static unsigned int changes;

static void on_anycast(const struct vapp_anycast *a, unsigned int old, void *arg)
{
	changes++;
}

static void setup(void)
{
	struct prefix p;

	vapp_ctx_init(&ctx);
	ctx.on_anycast = on_anycast;
	inst = vapp_inst_get(&ctx, NULL);
	str2prefix("10.255.0.1/32", &p);
	ac = vapp_anycast_get(inst, &p);
	now = 5000000;
	changes = 0;
}

static void teardown(void)
{
	vapp_ctx_fini(&ctx);
}

/* runs the machine like the glue: actions done, results reported */
static unsigned int run(void)
{
	unsigned int acts = vapp_anycast_eval(ac, now);

	if (acts & VAPP_AC_DO_REMOVE)
		vapp_anycast_removed(ac, true, NULL, now);
	if (acts & VAPP_AC_DO_INSTALL)
		vapp_anycast_installed(ac, true, NULL, now);
	return acts;
}

static void tracks(uint32_t est)
{
	struct vapp_track *t;

	darr_foreach_p (ac->tracks, t)
		t->established = est;
}

START_TEST(startup_waits_restore_delay)
{
	ac->restore_delay = 10;
	vapp_anycast_track(ac, "FABRIC", 1);
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_DOWN); /* no session yet */
	tracks(1);
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_STARTUP);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 10000);
	now += 9999;
	ck_assert_int_eq(run(), 0);
	now += 1;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	ck_assert(ac->installed);
}
END_TEST

START_TEST(unhealthy_removes_at_once_flap_restarts_delay)
{
	ac->restore_delay = 10;
	vapp_anycast_track(ac, "FABRIC", 2);
	tracks(2);
	run();
	now += 10000;
	run();
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	tracks(1);
	/* the sessions on the address are told before it goes */
	ck_assert_int_eq(run(), VAPP_AC_DO_REMOVE | VAPP_AC_DO_RESET);
	ck_assert_int_eq(ac->state, VAPP_AC_DOWN);
	ck_assert_ptr_nonnull(strstr(ac->reason, "FABRIC: 1 of 2"));
	ck_assert(!ac->installed);
	/* flapping: each return to health restarts the delay */
	now += 1000;
	tracks(2);
	run();
	ck_assert_int_eq(ac->state, VAPP_AC_RESTORING);
	now += 5000;
	tracks(0);
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_DOWN);
	now += 1000;
	tracks(2);
	run();
	now += 9000;
	ck_assert_int_eq(run(), 0);
	now += 1000;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_uint_eq(ac->transitions, 6); /* up down restoring down restoring up */
}
END_TEST

START_TEST(lease_renewal_schedule)
{
	ac->restore_delay = 0;
	ac->lease = 9;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL); /* no tracks: healthy, no delay */
	ck_assert_int_eq(ac->lease_until, now + 9000);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 3000);
	now += 2999;
	ck_assert_int_eq(run(), 0);
	now += 1;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->lease_until, now + 9000);
	ck_assert_uint_eq(changes, 1); /* renewals are no transitions */
	/* the kernel operations the metrics count */
	ck_assert_uint_eq(ac->installs, 1);
	ck_assert_uint_eq(ac->renewals, 1);
	ck_assert_uint_eq(ac->install_failures + ac->removals, 0);
	vapp_anycast_track(ac, "FABRIC", 1); /* no session: unhealthy */
	ck_assert_int_eq(run(), VAPP_AC_DO_REMOVE | VAPP_AC_DO_RESET);
	ck_assert_uint_eq(ac->removals, 1);
}
END_TEST

START_TEST(install_failure_fails_closed_and_retries)
{
	ac->restore_delay = 0;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
	vapp_anycast_installed(ac, false, "No such device", now);
	ck_assert_int_eq(ac->state, VAPP_AC_DOWN);
	ck_assert(!ac->installed);
	ck_assert_ptr_nonnull(strstr(ac->reason, "install failed: No such device"));
	ck_assert_int_eq(vapp_anycast_eval(ac, now + 500), 0);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + VAPP_AC_RETRY_MS);
	now += VAPP_AC_RETRY_MS;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
}
END_TEST

START_TEST(drain_and_undrain)
{
	ac->restore_delay = 5;
	ac->lease = 9;
	run();
	now += 5000;
	run();
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	ac->shutdown = true;
	ac->grace = 4;
	/* the sessions keep working through the grace: the address stays */
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_DRAINING);
	ck_assert(ac->installed);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 3000); /* renewal first */
	now += 3000;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 1000); /* then the grace end */
	now += 999;
	ck_assert_int_eq(run(), 0);
	now += 1;
	/* tell the sessions, then remove */
	ck_assert_int_eq(run(), VAPP_AC_DO_DRAIN | VAPP_AC_DO_REMOVE);
	ck_assert(!ac->installed);
	now += 10000;
	ck_assert_int_eq(run(), 0); /* once */
	ck_assert_int_eq(vapp_anycast_wakeup(ac), 0);
	/* back: restore-delay from the undrain */
	ac->shutdown = false;
	run();
	ck_assert_int_eq(ac->state, VAPP_AC_RESTORING);
	now += 5000;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
}
END_TEST

START_TEST(drain_grace_zero_and_while_down)
{
	vapp_anycast_track(ac, "FABRIC", 1); /* unhealthy: never installed */
	run();
	ac->shutdown = true;
	ck_assert_int_eq(run(), VAPP_AC_DO_DRAIN); /* grace 0, nothing to remove */
	ck_assert_int_eq(ac->state, VAPP_AC_DRAINING);
}
END_TEST

/*
 * Found by fuzz_anycast: a lease renewal failing in the drain's grace took
 * the address from draining to down, and the next run entered draining
 * again with a fresh grace: the sessions were told late (or never, had
 * the lease run out first).
 */
START_TEST(drain_renewal_failure_keeps_schedule)
{
	ac->restore_delay = 0;
	ac->lease = 9;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ac->shutdown = true;
	ac->grace = 10;
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_DRAINING);
	now += 3000;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
	vapp_anycast_installed(ac, false, "No buffer space available", now);
	ck_assert_int_eq(ac->state, VAPP_AC_DRAINING);
	/* the address keeps the lease it has; the renewal is retried */
	ck_assert(ac->installed);
	ck_assert_uint_eq(changes, 2); /* startup -> up -> draining, no more */
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + VAPP_AC_RETRY_MS);
	now += VAPP_AC_RETRY_MS;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
	vapp_anycast_installed(ac, false, "No buffer space available", now);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + VAPP_AC_RETRY_MS);
	now += 5999;
	/* the renewals keep failing; the drain stays on the original schedule */
	while (vapp_anycast_eval(ac, now) == VAPP_AC_DO_INSTALL)
		vapp_anycast_installed(ac, false, "No buffer space available", now);
	ck_assert(!ac->installed); /* the lease (9 s) ran out before the grace (10 s) */
	now += 1;
	ck_assert_int_eq(run(), VAPP_AC_DO_DRAIN);
	ck_assert_int_eq(ac->state, VAPP_AC_DRAINING);
}
END_TEST

/*
 * Found by fuzz_anycast: right after no shutdown the state is still
 * draining when the install result comes back; a successful install left
 * it there (up only at the next run, a renewal later) and a failed one
 * kept it too (with the fix above keyed on the state alone).
 */
START_TEST(undrain_install_result_leaves_draining)
{
	ac->restore_delay = 0;
	run();
	ac->shutdown = true;
	ck_assert_int_eq(run(), VAPP_AC_DO_DRAIN | VAPP_AC_DO_REMOVE);
	ac->shutdown = false;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	ck_assert_uint_eq(changes, 3); /* up, draining, up */

	ac->shutdown = true;
	ck_assert_int_eq(run(), VAPP_AC_DO_DRAIN | VAPP_AC_DO_REMOVE);
	ac->shutdown = false;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
	vapp_anycast_installed(ac, false, "No such device", now);
	ck_assert_int_eq(ac->state, VAPP_AC_DOWN);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + VAPP_AC_RETRY_MS);
}
END_TEST

/*
 * Found by fuzz_anycast: once a failed install's retry time had passed,
 * the wake-up kept returning it: a time in the past, on which the glue
 * re-arms its timer at 0 ms and spins until the restore-delay ends.
 */
START_TEST(wakeup_after_passed_retry_is_restore_end)
{
	ac->restore_delay = 10;
	vapp_anycast_track(ac, "FABRIC", 1);
	tracks(1);
	run();
	now += 10000;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
	vapp_anycast_installed(ac, false, "Operation not permitted", now);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + VAPP_AC_RETRY_MS);
	/* the fabric flaps meanwhile */
	now += 500;
	tracks(0);
	ck_assert_int_eq(run(), 0);
	now += 4500;
	tracks(1);
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_STARTUP);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 10000);
	now += 10000;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
}
END_TEST

/*
 * Found by fuzz_anycast: no shutdown while a failed install's retry was
 * pending left the address draining, and its wake-up was the old drain's
 * end (up to the grace, 3600 s) instead of the retry.
 */
START_TEST(undrain_with_retry_pending)
{
	ac->restore_delay = 0;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
	vapp_anycast_installed(ac, false, "No such device", now);
	ac->shutdown = true;
	ac->grace = 3600;
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_DRAINING);
	now += 200;
	ac->shutdown = false;
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_DOWN);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 800);
	now += 800;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
}
END_TEST

/* the drain's end follows the grace as configured now, from the drain's start */
START_TEST(drain_grace_change_moves_the_end)
{
	ac->restore_delay = 0;
	ac->lease = 30;
	run();
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	ac->shutdown = true;
	ac->grace = 10;
	run();
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 10000);
	now += 2000;
	ac->grace = 1; /* shutdown grace 1, re-entered: the end has passed */
	ck_assert_int_eq(run(), VAPP_AC_DO_DRAIN | VAPP_AC_DO_REMOVE);
	ck_assert(!ac->installed);
	/* and longer: later than first said */
	ac->shutdown = false;
	run();
	run();
	ck_assert(ac->installed);
	ac->shutdown = true;
	ac->grace = 2;
	run();
	ac->grace = 6;
	now += 3000;
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 3000);
}
END_TEST

/* tracks still rule in a drain: unhealthy removes the address at once */
START_TEST(drain_unhealthy_removes_at_once)
{
	ac->restore_delay = 0;
	ac->lease = 9;
	vapp_anycast_track(ac, "FABRIC", 1);
	tracks(1);
	run();
	run();
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	ac->shutdown = true;
	ac->grace = 30;
	ck_assert_int_eq(run(), 0);
	ck_assert(ac->installed);
	tracks(0);
	ck_assert_int_eq(run(), VAPP_AC_DO_REMOVE);
	ck_assert(!ac->installed);
	ck_assert_int_eq(ac->state, VAPP_AC_DRAINING);
	ck_assert(strstr(ac->reason, "unhealthy: peer-group FABRIC: 0 of 1") != NULL);
	/* healthy again within the grace: still draining, not put back */
	tracks(1);
	now += 5000;
	ck_assert_int_eq(run(), 0);
	ck_assert(!ac->installed);
	ck_assert_str_eq(ac->reason, "shutdown (drain)");
	/* the sessions are still told at the end */
	now += 25000;
	ck_assert_int_eq(run(), VAPP_AC_DO_DRAIN);
}
END_TEST

/* a lease that ran out (bgpd stopped) is not renewed back at once */
START_TEST(lease_lapse_restarts_restore_delay)
{
	ac->restore_delay = 3;
	ac->lease = 6;
	run();
	now += 3000;
	run();
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	/* SIGSTOP for 8 s: the renewal (due at 2 s) is 6 s late */
	now += 8000;
	ck_assert_int_eq(run(), 0);
	ck_assert(!ac->installed);
	ck_assert_int_eq(ac->state, VAPP_AC_RESTORING);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 3000);
	now += 3000;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	/* a renewal just before the end is no lapse */
	now += 5999;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
}
END_TEST

START_TEST(tracks_and_reserved)
{
	struct prefix p;

	vapp_anycast_track(ac, "A", 1);
	vapp_anycast_track(ac, "B", 3);
	vapp_anycast_track(ac, "A", 2);
	ck_assert_uint_eq(darr_len(ac->tracks), 2);
	ck_assert_uint_eq(ac->tracks[0].min_established, 2);
	vapp_anycast_track(ac, "A", 0);
	ck_assert_uint_eq(darr_len(ac->tracks), 1);
	ck_assert_str_eq(ac->tracks[0].peer_group, "B");
	/* the address is reserved: appliances may not announce it */
	str2prefix("10.255.0.0/24", &p);
	ck_assert(vapp_inst_reserved_hit(inst, &p));
	vapp_anycast_del(ac);
	ck_assert(!vapp_inst_reserved_hit(inst, &p));
	ck_assert_str_eq(vapp_ac_state_name(VAPP_AC_DRAINING), "draining");
}
END_TEST

/* issue 13: a renewal that fails keeps the address on its lease, never past it */
START_TEST(renewal_failure_keeps_address_until_lease)
{
	unsigned int failed = 0;
	int64_t until;

	ac->restore_delay = 0;
	ac->lease = 9;
	run();
	until = ac->lease_until;
	now += 3000;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
	vapp_anycast_installed(ac, false, "Timer expired", now);
	ck_assert(ac->installed);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	ck_assert_int_eq(ac->lease_until, until);
	ck_assert_ptr_nonnull(strstr(ac->reason, "lease renewal failed: Timer expired"));
	ck_assert_uint_eq(changes, 1);
	/* retried each second; the last retry is at the lease's end */
	while (now < until - VAPP_AC_RETRY_MS) {
		now = vapp_anycast_wakeup(ac);
		ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
		vapp_anycast_installed(ac, false, "Timer expired", now);
		failed++;
	}
	ck_assert_int_eq(vapp_anycast_wakeup(ac), until);
	now = until;
	run(); /* the kernel dropped it: down, restore-delay over (0): back */
	ck_assert_uint_eq(changes, 3); /* up, down (lapse), up */
	ck_assert(ac->installed);
	/* the first failure before the loop; after the lapse a fresh install */
	ck_assert_uint_eq(ac->install_failures, failed + 1);
	ck_assert_uint_eq(ac->installs, 2);
	ck_assert_uint_eq(ac->renewals, 0);
}
END_TEST

/* issue 13: a refused removal keeps the address installed, retried with backoff */
START_TEST(remove_failure_keeps_address_and_backs_off)
{
	static const int64_t backoff[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000 };
	unsigned int i;

	ac->restore_delay = 5;
	ac->lease = 3600;
	vapp_anycast_track(ac, "FABRIC", 1);
	tracks(1);
	run();
	now += 5000;
	run();
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
	tracks(0);
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_REMOVE | VAPP_AC_DO_RESET);
	for (i = 0; i < array_size(backoff); i++) {
		vapp_anycast_removed(ac, false, "Input/output error", now);
		ck_assert(ac->installed);
		ck_assert(ac->remove_pending);
		ck_assert_uint_eq(ac->remove_attempts, i + 1);
		ck_assert_int_eq(vapp_anycast_wakeup(ac), now + backoff[i]);
		now += backoff[i] - 1;
		/* health back meanwhile changes nothing: the address must go first */
		tracks(1);
		ck_assert_int_eq(vapp_anycast_eval(ac, now), 0);
		ck_assert_int_eq(ac->state, VAPP_AC_DOWN);
		ck_assert_ptr_nonnull(strstr(ac->reason, "removal failed"));
		ck_assert_ptr_nonnull(strstr(ac->reason, "Input/output error"));
		now += 1;
		ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_REMOVE);
	}
	ck_assert_uint_eq(ac->remove_failures, array_size(backoff));
	vapp_anycast_removed(ac, true, NULL, now);
	ck_assert(!ac->installed);
	ck_assert(!ac->remove_pending);
	/* healthy: the restore-delay counts from after the address went */
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(ac->state, VAPP_AC_RESTORING);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 5000);
	now += 5000;
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
}
END_TEST

/* issue 13: a removal that keeps failing ends with the lease */
START_TEST(remove_failure_ends_with_lease)
{
	int64_t until;

	ac->restore_delay = 0;
	ac->lease = 9;
	run();
	until = ac->lease_until;
	ac->shutdown = true;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_DRAIN | VAPP_AC_DO_REMOVE);
	do {
		vapp_anycast_removed(ac, false, "No buffer space available", now);
		ck_assert_int_eq(ac->state, VAPP_AC_DRAINING);
		ck_assert(ac->installed);
		now = vapp_anycast_wakeup(ac);
	} while (vapp_anycast_eval(ac, now) == VAPP_AC_DO_REMOVE);
	ck_assert_int_eq(now, until);
	ck_assert(!ac->installed);
	ck_assert(!ac->remove_pending);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), 0);
}
END_TEST

/* issue 13: a first install whose answer was lost: held until removed */
START_TEST(held_after_failed_install_is_removed)
{
	ac->restore_delay = 0;
	ac->lease = 60;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_INSTALL);
	vapp_anycast_installed(ac, false, "Connection timed out", now);
	ck_assert(!ac->installed);
	vapp_anycast_held(ac, now);
	ck_assert(ac->installed);
	ck_assert_int_eq(ac->lease_until, now + 60000);
	vapp_anycast_removed(ac, false, "Connection timed out", now);
	ck_assert_int_eq(ac->state, VAPP_AC_DOWN);
	ck_assert_int_eq(vapp_anycast_wakeup(ac), now + 1000);
	now += 1000;
	ck_assert_int_eq(vapp_anycast_eval(ac, now), VAPP_AC_DO_REMOVE);
	vapp_anycast_removed(ac, true, NULL, now);
	ck_assert_int_eq(run(), VAPP_AC_DO_INSTALL);
	ck_assert_int_eq(ac->state, VAPP_AC_UP);
}
END_TEST

Suite *vapp_anycast_suite(void)
{
	Suite *s = suite_create("anycast");
	TCase *tc = tcase_create("anycast");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, startup_waits_restore_delay);
	tcase_add_test(tc, unhealthy_removes_at_once_flap_restarts_delay);
	tcase_add_test(tc, lease_renewal_schedule);
	tcase_add_test(tc, install_failure_fails_closed_and_retries);
	tcase_add_test(tc, drain_and_undrain);
	tcase_add_test(tc, drain_grace_zero_and_while_down);
	tcase_add_test(tc, drain_renewal_failure_keeps_schedule);
	tcase_add_test(tc, undrain_install_result_leaves_draining);
	tcase_add_test(tc, wakeup_after_passed_retry_is_restore_end);
	tcase_add_test(tc, undrain_with_retry_pending);
	tcase_add_test(tc, drain_grace_change_moves_the_end);
	tcase_add_test(tc, drain_unhealthy_removes_at_once);
	tcase_add_test(tc, lease_lapse_restarts_restore_delay);
	tcase_add_test(tc, tracks_and_reserved);
	tcase_add_test(tc, renewal_failure_keeps_address_until_lease);
	tcase_add_test(tc, remove_failure_keeps_address_and_backs_off);
	tcase_add_test(tc, remove_failure_ends_with_lease);
	tcase_add_test(tc, held_after_failed_install_is_removed);
	suite_add_tcase(s, tc);
	return s;
}
