// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the anycast loopback health state machine,
 * differential against a reference model, with a fake clock.
 *
 * Each input is a run over two anycast addresses: restore-delay, lease and
 * grace, tracked peer-groups with their minimum of Established sessions,
 * shutdown with grace and no shutdown, install failures, time advancing by
 * steps or to the next wake-up the core asked for. The sessions are
 * bgpd's (fuzz_sessions.c): six peers on a fake instance come up in a peer-group, go down, are
 * deleted (peer_delete() unlinks them from their group before the status
 * changes), are bound to another group while up, or change state without
 * the status hook (drift); the glue's own counting code
 * (vapp_bgp_tracked.c) follows them, and the anycast timer's recount
 * mends drift. A tracked change runs the machine at once, as bgpd's status
 * hook does. The harness drives the core as the glue (vapp_bgp_anycast.c)
 * does (its netlink and NOTIFICATIONs are the topotests' part): actions are
 * carried out and their results reported; a drain's removal is done at
 * once or deferred to the next run, as the glue defers it behind the
 * NOTIFICATIONs. The counts, the state, every transition reported, the
 * actions, the installed flag and lease, and the wake-up time are compared
 * with the model, written from doc/concepts.rst:
 *
 * - a session counts for the peer-group it was in when it became
 *   Established, until bgpd reports it left Established, whatever its
 *   group is by then; a recount finds any count that differs from bgpd's
 *   lists and rebuilds them all;
 * - without shutdown, unhealthy (a track below its minimum) means down and
 *   the address removed at once;
 * - healthy: the address is installed after restore-delay of continuous
 *   health (startup before it was ever up, restoring after), renewed every
 *   third of the lease while up;
 * - a failed install is retried after VAPP_AC_RETRY_MS, down meanwhile;
 *   a failed renewal keeps the address (and its lease) and is retried
 *   after VAPP_AC_RETRY_MS, no later than the lease's end;
 * - a removal the kernel refused keeps the address installed, nothing
 *   else happens to it (down, or draining if it was) and it is retried
 *   after 1 s, 2 s, 4 s ... at most 30 s, until it works or the lease
 *   runs out; health counts from after it went;
 * - a failed first install the kernel may hold anyway is installed until
 *   removed, with the lease the request carried;
 * - shutdown: draining; the address stays (renewed) for the grace time,
 *   counted from the drain's start with the grace as configured now, then
 *   the drain is asked for once and the address removed; unhealthy in the
 *   grace removes it at once; no shutdown restarts the restore-delay;
 * - a lease that ran out while installed (time jumped past it: bgpd did
 *   not run) is gone: down, and restore-delay starts over;
 * - the wake-up is the next moment at which something is due, never in
 *   the past (the glue would spin) and never later than that moment.
 */
#include <zebra.h>

#include "darr.h"
#include "prefix.h"

#include "module/vapp_core.h"
#include "module/vappliance.h"
#include "fuzz_common.h"
#include "fuzz_sessions.h"

#define NAC	2
#define NTRACK	3
#define MAX_OPS 400
#define T0	5000000
#define NTRANS	64

struct mtrack {
	int pg; /* index into fs_group_names: tracks name A-C, never U */
	uint32_t min;
};

struct mac {
	bool live;
	struct vapp_anycast *ac;
	struct prefix prefix;
	/* configuration */
	uint32_t restore_delay, lease, grace;
	bool shutdown;
	struct mtrack t[NTRACK]; /* in the order they were configured */
	int nt;
	/* state */
	enum vapp_ac_state state;
	int64_t since;
	uint32_t transitions;
	bool installed, ever_up;
	int64_t healthy_from; /* -1: not healthy (or not known to be) */
	int64_t retry_until;  /* a failed install: not before (0: none) */
	int64_t renew_due, lease_until;
	int64_t drain_start, drain_due;
	bool drained;
	bool remove_pending; /* the glue runs again at once (a deferred removal, or
			      * one that worked after failures) */
	bool rm_failed;	     /* the kernel refused the removal */
	uint32_t rm_attempts;
	int64_t rm_retry;
	char fail_msg[32];
};

struct mtrans {
	int ac;
	enum vapp_ac_state from, to;
};

struct run {
	struct fz f;
	struct vapp_ctx ctx;
	struct vapp_inst *inst;
	int64_t now;
	struct mac acs[NAC];
	struct mtrans got[NTRANS], want[NTRANS];
	int ngot, nwant;
};

static int ac_index(struct run *r, const struct vapp_anycast *ac)
{
	for (int i = 0; i < NAC; i++)
		if (r->acs[i].live && r->acs[i].ac == ac)
			return i;
	fz_fail(__FILE__, __LINE__, "unknown anycast address");
}

static void on_anycast(const struct vapp_anycast *ac, unsigned int old, void *arg)
{
	struct run *r = arg;

	FZ_CHECK(r->ngot < NTRANS, "too many transitions");
	r->got[r->ngot++] = (struct mtrans){ ac_index(r, ac), (enum vapp_ac_state)old, ac->state };
	FZ_CHECK(ac->since == r->now, "transition at %" PRId64 ", now %" PRId64, ac->since, r->now);
}

/* ---- the model ----------------------------------------------------------------- */

static void m_set(struct run *r, int i, enum vapp_ac_state st)
{
	struct mac *m = &r->acs[i];

	if (m->state == st)
		return;
	FZ_CHECK(r->nwant < NTRANS, "too many transitions");
	r->want[r->nwant++] = (struct mtrans){ i, m->state, st };
	m->state = st;
	m->since = r->now;
	m->transitions++;
}

/* the first track (in configuration order) below its minimum, or -1 */
static int m_failing_track(const struct run *r, const struct mac *m)
{
	for (int k = 0; k < m->nt; k++)
		if (fs_model_count(m->t[k].pg) < m->t[k].min)
			return k;
	return -1;
}

static unsigned int m_eval(struct run *r, int i)
{
	struct mac *m = &r->acs[i];
	int64_t now = r->now;
	unsigned int acts = 0;
	bool healthy;

	/* the lease ran out while installed: the kernel took the address, and
	 * health counts from now (restore-delay starts over) */
	if (m->installed && m->lease_until && now >= m->lease_until) {
		m->installed = false;
		m->lease_until = m->renew_due = 0;
		m->healthy_from = -1;
		m->rm_failed = false;
		m->rm_attempts = 0;
		if (!m->shutdown)
			m_set(r, i, VAPP_AC_DOWN);
	}
	/* a refused removal: only its retry, until the address is gone */
	if (m->rm_failed) {
		m->healthy_from = -1;
		m_set(r, i, m->state == VAPP_AC_DRAINING ? VAPP_AC_DRAINING : VAPP_AC_DOWN);
		return now >= m->rm_retry ? VAPP_AC_DO_REMOVE : 0;
	}
	healthy = m_failing_track(r, m) < 0;
	if (m->shutdown) {
		if (m->state != VAPP_AC_DRAINING) {
			m->drain_start = now;
			m->drained = false;
			m->healthy_from = -1;
			m_set(r, i, VAPP_AC_DRAINING);
		}
		/* the grace as configured now, from the drain's start */
		m->drain_due = m->drain_start + (int64_t)m->grace * 1000;
		if (!m->drained && now >= m->drain_due) {
			/* the grace is over: tell the sessions, then remove */
			m->drained = true;
			acts |= VAPP_AC_DO_DRAIN;
		} else if (!m->drained && healthy && m->installed && now >= m->renew_due) {
			acts |= VAPP_AC_DO_INSTALL; /* the sessions keep working meanwhile */
		}
		/* unhealthy in the grace: the address goes at once */
		if (m->installed && (m->drained || !healthy))
			acts |= VAPP_AC_DO_REMOVE;
		return acts;
	}
	if (!healthy) {
		m->healthy_from = -1;
		if (m->installed)
			acts |= VAPP_AC_DO_REMOVE | VAPP_AC_DO_RESET;
		m_set(r, i, VAPP_AC_DOWN);
		return acts;
	}
	/* healthy since now, unless it was already; an undrain starts afresh */
	if (m->healthy_from < 0 || m->state == VAPP_AC_DRAINING)
		m->healthy_from = now;
	if (m->installed) {
		if (now >= m->renew_due)
			acts |= VAPP_AC_DO_INSTALL;
		m_set(r, i, VAPP_AC_UP);
		return acts;
	}
	if (m->retry_until && now < m->retry_until) {
		/* down after the failure until the retry, also out of a drain */
		if (m->state == VAPP_AC_DRAINING)
			m_set(r, i, VAPP_AC_DOWN);
		return acts;
	}
	if (now - m->healthy_from >= (int64_t)m->restore_delay * 1000)
		return VAPP_AC_DO_INSTALL;
	m_set(r, i, m->ever_up ? VAPP_AC_RESTORING : VAPP_AC_STARTUP);
	return acts;
}

static void m_installed(struct run *r, int i, bool ok)
{
	struct mac *m = &r->acs[i];

	if (!ok && m->installed) {
		/* a renewal: kept, retried soon, never past the lease */
		m->renew_due = r->now + VAPP_AC_RETRY_MS;
		if (m->renew_due > m->lease_until)
			m->renew_due = m->lease_until;
		return;
	}
	if (!ok) {
		m->installed = false;
		m->retry_until = r->now + VAPP_AC_RETRY_MS;
		/* a failed renewal in the grace: still draining, on schedule */
		if (!m->shutdown)
			m_set(r, i, VAPP_AC_DOWN);
		return;
	}
	m->installed = true;
	m->ever_up = true;
	m->retry_until = 0;
	m->lease_until = r->now + (int64_t)m->lease * 1000;
	m->renew_due = r->now + (int64_t)m->lease * 1000 / 3;
	/* after no shutdown the address is up as soon as it is installed */
	if (!m->shutdown)
		m_set(r, i, VAPP_AC_UP);
}

static void m_removed(struct run *r, int i, bool ok)
{
	struct mac *m = &r->acs[i];
	int64_t delay = 1000;

	if (!ok) {
		for (uint32_t k = 0; k < m->rm_attempts; k++)
			delay = delay * 2 > 30000 ? 30000 : delay * 2;
		m->rm_attempts++;
		m->rm_failed = true;
		m->rm_retry = r->now + delay;
		return;
	}
	m->installed = false;
	m->lease_until = 0;
	m->renew_due = 0;
	m->rm_failed = false;
	m->rm_attempts = 0;
}

/* the kernel may hold what a failed install asked for, with its lease */
static void m_held(struct run *r, int i)
{
	struct mac *m = &r->acs[i];
	int64_t until = r->now + (int64_t)m->lease * 1000;

	if (!m->installed || m->lease_until < until)
		m->lease_until = until;
	m->installed = true;
	m->renew_due = 0;
}

/* the next moment something is due without any event (0: nothing) */
static int64_t m_wakeup(const struct run *r, const struct mac *m)
{
	if (m->rm_failed)
		return m->rm_retry < m->lease_until ? m->rm_retry : m->lease_until;
	if (m->state == VAPP_AC_DRAINING && m->shutdown) {
		if (m->drained)
			return 0;
		if (m->installed && m->renew_due < m->drain_due)
			return m->renew_due;
		return m->drain_due;
	}
	if (m->installed)
		return m->renew_due;
	if (m->healthy_from < 0)
		return 0;
	/* a pending retry, else the end of the restore-delay */
	if (m->retry_until > r->now)
		return m->retry_until;
	return m->healthy_from + (int64_t)m->restore_delay * 1000;
}

/* ---- comparisons ------------------------------------------------------------------ */

static void check_transitions(struct run *r)
{
	FZ_CHECK(r->ngot == r->nwant, "%d transitions, model %d", r->ngot, r->nwant);
	for (int k = 0; k < r->ngot; k++)
		FZ_CHECK(r->got[k].ac == r->want[k].ac && r->got[k].from == r->want[k].from &&
				 r->got[k].to == r->want[k].to,
			 "transition %d: %d %s -> %s; model %d %s -> %s", k, r->got[k].ac,
			 vapp_ac_state_name(r->got[k].from), vapp_ac_state_name(r->got[k].to),
			 r->want[k].ac, vapp_ac_state_name(r->want[k].from),
			 vapp_ac_state_name(r->want[k].to));
	r->ngot = r->nwant = 0;
}

/* as vapp_ac_count() does before each run: the counts the tracked-session code keeps */
static void count_tracks(struct run *r, struct vapp_anycast *ac)
{
	for (size_t k = 0; k < darr_len(ac->tracks); k++)
		ac->tracks[k].established = vapp_tracked_count(fs_bgp(), ac->tracks[k].peer_group);
}

static void check_ac(struct run *r, int i)
{
	struct mac *m = &r->acs[i];
	const struct vapp_anycast *ac = m->ac;
	char why[160];

	if (!m->live)
		return;
	FZ_CHECK(vapp_anycast_find(r->inst, &m->prefix) == ac, "ac %d not found", i);
	FZ_CHECK(ac->state == m->state, "ac %d %s, model %s", i, vapp_ac_state_name(ac->state),
		 vapp_ac_state_name(m->state));
	FZ_CHECK(ac->since == m->since && ac->transitions == m->transitions,
		 "ac %d since %" PRId64 " (%u transitions), model %" PRId64 " (%u)", i, ac->since,
		 ac->transitions, m->since, m->transitions);
	FZ_CHECK(ac->installed == m->installed, "ac %d installed %d, model %d", i, ac->installed,
		 m->installed);
	FZ_CHECK(!m->installed || ac->lease_until == m->lease_until,
		 "ac %d lease until %" PRId64 ", model %" PRId64, i, ac->lease_until,
		 m->lease_until);
	count_tracks(r, m->ac);
	FZ_CHECK(vapp_anycast_healthy(ac, why, sizeof(why)) == (m_failing_track(r, m) < 0),
		 "ac %d health", i);
	FZ_CHECK(darr_len(ac->tracks) == (unsigned int)m->nt, "ac %d: %u tracks, model %d", i,
		 (unsigned int)darr_len(ac->tracks), m->nt);
	for (int k = 0; k < m->nt; k++)
		FZ_CHECK(!strcmp(ac->tracks[k].peer_group, fs_group_names[m->t[k].pg]) &&
				 ac->tracks[k].min_established == m->t[k].min,
			 "ac %d track %d differs", i, k);
}

static void check_all(struct run *r)
{
	fs_check();
	check_transitions(r);
	for (int i = 0; i < NAC; i++)
		check_ac(r, i);
}

/* ---- the glue ---------------------------------------------------------------------- */

/* what vapp_bgp_anycast.c does: counts, evaluates, acts, reports */
static void glue_run(struct run *r, int i)
{
	struct mac *m = &r->acs[i];
	struct vapp_anycast *ac = m->ac;
	unsigned int acts, want;
	int64_t w, ww;
	int ft;

	count_tracks(r, ac);
	want = m_eval(r, i);
	acts = vapp_anycast_eval(ac, r->now);
	fz_trace("+%" PRId64 " run ac %d: actions %#x, %s (%s)", r->now - T0, i, acts,
		 vapp_ac_state_name(ac->state), ac->reason);
	FZ_CHECK(acts == want, "ac %d at +%" PRId64 ": actions %#x, model %#x", i, r->now - T0,
		 acts, want);
	check_transitions(r);
	/* down for a track: the reason names the first failing one; with a
	 * refused removal, the removal */
	ft = m_failing_track(r, m);
	if (m->rm_failed) {
		FZ_CHECK(strstr(ac->reason, "removal failed"), "ac %d reason '%s', model removal",
			 i, ac->reason);
	} else if (!m->shutdown && ft >= 0) {
		char name[32];

		snprintf(name, sizeof(name), "peer-group %s:", fs_group_names[m->t[ft].pg]);
		FZ_CHECK(strstr(ac->reason, name), "ac %d reason '%s', model '%s'", i, ac->reason,
			 name);
	}
	if (acts & (VAPP_AC_DO_DRAIN | VAPP_AC_DO_RESET)) {
		/* the NOTIFICATIONs go first; removal now or from a later run */
		if (acts & VAPP_AC_DO_REMOVE && fz_bool(&r->f)) {
			acts &= ~VAPP_AC_DO_REMOVE;
			m->remove_pending = true;
		}
	}
	if (acts & VAPP_AC_DO_REMOVE) {
		/* most removals work; the kernel refuses some */
		bool ok = fz_u8(&r->f) >= 48;

		/* a refused removal that works now: the glue runs again at once */
		if (ok && m->rm_failed)
			m->remove_pending = true;

		fz_trace("  remove %s", ok ? "ok" : "failed");
		vapp_anycast_removed(ac, ok, ok ? NULL : "Resource temporarily unavailable", r->now);
		m_removed(r, i, ok);
		FZ_CHECK(ok || (ac->installed && strstr(ac->remove_error, "temporarily")),
			 "ac %d: refused removal not kept", i);
	}
	if (acts & VAPP_AC_DO_INSTALL) {
		/* most installs work; a failure carries the kernel's word */
		bool ok = fz_u8(&r->f) >= 32, renewal = ac->installed;
		static const char *const errs[] = { "No such device", "Operation not permitted",
						    "the address is in the kernel and not ours" };

		if (ok) {
			m->fail_msg[0] = '\0';
		} else {
			strlcpy(m->fail_msg, fz_pick(&r->f, errs), sizeof(m->fail_msg));
		}
		vapp_anycast_installed(ac, ok, ok ? NULL : m->fail_msg, r->now);
		m_installed(r, i, ok);
		fz_trace("  install %s: %s", ok ? "ok" : "failed", vapp_ac_state_name(ac->state));
		FZ_CHECK(ok || (strstr(ac->reason,
				       renewal ? "lease renewal failed: " : "install failed: ") &&
				strstr(ac->reason, m->fail_msg)),
			 "ac %d reason '%s'", i, ac->reason);
		/* a lost answer: the glue finds the address held and removes it */
		if (!ok && !renewal && fz_bool(&r->f)) {
			bool rm_ok = fz_bool(&r->f);

			fz_trace("  held by the kernel, remove %s", rm_ok ? "ok" : "failed");
			vapp_anycast_held(ac, r->now);
			m_held(r, i);
			vapp_anycast_removed(ac, rm_ok, rm_ok ? NULL : "Timer expired", r->now);
			m_removed(r, i, rm_ok);
		}
	}
	check_transitions(r);
	w = vapp_anycast_wakeup(ac);
	ww = m_wakeup(r, m);
	if (m->remove_pending)
		return; /* the glue runs again at once; its timer does not matter */
	FZ_CHECK(!w || w > r->now, "ac %d: wake-up %" PRId64 " ms in the past (state %s)", i,
		 r->now - w, vapp_ac_state_name(ac->state));
	FZ_CHECK(w == ww,
		 "ac %d at +%" PRId64 ": wake-up +%" PRId64 ", model +%" PRId64 " (state %s)", i,
		 r->now - T0, w ? w - T0 : 0, ww ? ww - T0 : 0, vapp_ac_state_name(ac->state));
}

static void ac_create(struct run *r, int i)
{
	struct mac *m = &r->acs[i];
	static const uint32_t delays[] = { 0, 1, 5, 10 };

	memset(m, 0, sizeof(*m));
	m->live = true;
	str2prefix(i ? "2001:db8:ffff::1/128" : "10.255.0.1/32", &m->prefix);
	m->ac = vapp_anycast_get(r->inst, &m->prefix);
	m->restore_delay = VAPP_AC_RESTORE_DELAY;
	m->lease = VAPP_AC_LEASE;
	m->grace = VAPP_AC_GRACE;
	m->state = VAPP_AC_STARTUP;
	m->healthy_from = -1;
	/* configured in the same commit as the address, before any run */
	m->ac->restore_delay = m->restore_delay = fz_pick(&r->f, delays);
	fz_trace("+%" PRId64 " ac %d created, restore-delay %u", r->now - T0, i, m->restore_delay);
}

static void ac_delete(struct run *r, int i)
{
	struct mac *m = &r->acs[i];

	/* the glue removes an installed address first */
	if (m->ac->installed)
		vapp_anycast_removed(m->ac, true, NULL, r->now);
	vapp_anycast_del(m->ac);
	fz_trace("+%" PRId64 " ac %d deleted", r->now - T0, i);
	m->live = false;
	m->ac = NULL;
}

static void op_track(struct run *r, int i)
{
	struct mac *m = &r->acs[i];
	int pg = fz_below(&r->f, NTRACK), k;
	uint32_t min = fz_below(&r->f, 4);

	vapp_anycast_track(m->ac, fs_group_names[pg], min);
	fz_trace("  track %s min %u", fs_group_names[pg], min);
	for (k = 0; k < m->nt && m->t[k].pg != pg; k++)
		;
	if (k < m->nt) {
		if (min) {
			m->t[k].min = min;
		} else {
			/* the others keep their order */
			memmove(&m->t[k], &m->t[k + 1], (m->nt - k - 1) * sizeof(m->t[0]));
			m->nt--;
		}
	} else if (min) {
		m->t[m->nt++] = (struct mtrack){ pg, min };
	}
}

static void op_config(struct run *r, int i)
{
	struct mac *m = &r->acs[i];
	static const uint32_t delays[] = { 0, 1, 5, 10, 60 };
	static const uint32_t leases[] = { 3, 4, 9, 10, 30 };
	static const uint32_t graces[] = { 0, 1, 3, 10 };
	static const char *const msgs[] = { NULL, "maintenance", "" };

	fz_trace("+%" PRId64 " ac %d configuration:", r->now - T0, i);
	switch (fz_below(&r->f, 6)) {
	case 0:
		m->ac->restore_delay = m->restore_delay = fz_pick(&r->f, delays);
		fz_trace("  restore-delay %u", m->restore_delay);
		break;
	case 1:
		m->ac->lease = m->lease = fz_pick(&r->f, leases);
		fz_trace("  lease %u", m->lease);
		break;
	case 2:
		m->ac->grace = m->grace = fz_pick(&r->f, graces);
		fz_trace("  grace %u", m->grace);
		break;
	case 3:
		/* shutdown [grace N]: one commit */
		m->ac->shutdown = m->shutdown = !m->shutdown;
		if (m->shutdown && fz_bool(&r->f))
			m->ac->grace = m->grace = fz_pick(&r->f, graces);
		fz_trace("  shutdown %d grace %u", m->shutdown, m->grace);
		break;
	case 4:
		vapp_anycast_set_message(m->ac, fz_pick(&r->f, msgs));
		break;
	case 5:
		op_track(r, i);
		break;
	}
}

/* ---- bgpd's sessions (fuzz_sessions.c) ------------------------------------------- */

static bool m_tracked(const struct run *r, int g)
{
	for (int i = 0; i < NAC; i++)
		for (int k = 0; r->acs[i].live && k < r->acs[i].nt; k++)
			if (r->acs[i].t[k].pg == g)
				return true;
	return false;
}

/*
 * An event on bgpd's side; a tracked group's count changed by the status
 * hook runs the machine at once (vapp_bgp_ac_peer_event()), the anycast
 * timer's recount runs it too.
 */
static void op_peer(struct run *r)
{
	int g = fs_step(&r->f, r->now - T0);

	if (g == FS_RECOUNT || (g >= 0 && m_tracked(r, g)))
		for (int k = 0; k < NAC; k++)
			if (r->acs[k].live)
				glue_run(r, k);
}

static void op_time(struct run *r)
{
	static const int64_t steps[] = { 0,    1,    332,  333,	 999,  1000,  1001,  2999,
					 3000, 3001, 4999, 5000, 9999, 10000, 10001, 60000 };

	if (fz_bool(&r->f))
		r->now += fz_pick(&r->f, steps);
	else
		r->now += fz_u16(&r->f);
	fz_trace("+%" PRId64 " (time)", r->now - T0);
}

static void run_one(struct run *r)
{
	for (int ops = 0; ops < MAX_OPS && fz_more(&r->f); ops++) {
		uint8_t op = fz_u8(&r->f);
		int i = fz_below(&r->f, NAC);
		struct mac *m = &r->acs[i];

		/* a removal the glue deferred behind a drain comes first */
		if (m->live && m->remove_pending) {
			m->remove_pending = false;
			glue_run(r, i);
		}
		switch (op % 10) {
		case 0:
		case 1:
			op_peer(r);
			break;
		case 2:
		case 3:
			op_time(r);
			break;
		case 4:
		case 5:
			if (m->live)
				glue_run(r, i);
			break;
		case 6: {
			/* the timer fires when the core asked */
			int64_t w;

			if (!m->live)
				break;
			w = vapp_anycast_wakeup(m->ac);
			if (w > r->now)
				r->now = w;
			glue_run(r, i);
			break;
		}
		case 7:
		case 8:
			if (m->live)
				op_config(r, i);
			break;
		case 9:
			if (m->live && fz_u8(&r->f) < 32)
				ac_delete(r, i);
			else if (!m->live)
				ac_create(r, i);
			break;
		}
		check_all(r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run r;

	memset(&r, 0, sizeof(r));
	fz_init(&r.f, data, size);
	fs_init();
	r.now = T0;
	vapp_ctx_init(&r.ctx);
	r.ctx.on_anycast = on_anycast;
	r.ctx.arg = &r;
	r.inst = vapp_inst_get(&r.ctx, NULL);
	for (int i = 0; i < NAC; i++)
		ac_create(&r, i);
	run_one(&r);
	vapp_ctx_fini(&r.ctx);
	fs_fini();
	return 0;
}
