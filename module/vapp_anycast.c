// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: the health state machine of one anycast
 * loopback address.
 *
 * The address is installed only while every tracked peer-group has enough
 * Established sessions and has had them for restore-delay (also at bgpd
 * start), with a kernel lifetime (lease) renewed every third of it: a
 * crashed or hung bgpd loses the address by itself. Unhealthy means
 * removed at once; shutdown (drain) keeps it for the grace time, then asks
 * the glue to tell the sessions on the address to go and removes it.
 */
#include <zebra.h>

#include "darr.h"
#include "memory.h"
#include "prefix.h"

#include "vapp_core_int.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_ANYCAST, "vappliance anycast address");

static int vapp_anycast_cmp(const struct vapp_anycast *a, const struct vapp_anycast *b)
{
	return prefix_cmp(&a->prefix, &b->prefix);
}
DECLARE_RBTREE_UNIQ(vapp_anycast_tree, struct vapp_anycast, item, vapp_anycast_cmp);

const char *vapp_ac_state_name(enum vapp_ac_state state)
{
	switch (state) {
	case VAPP_AC_STARTUP:
		return "startup";
	case VAPP_AC_UP:
		return "up";
	case VAPP_AC_DOWN:
		return "down";
	case VAPP_AC_RESTORING:
		return "restoring";
	case VAPP_AC_DRAINING:
		return "draining";
	}
	return "?";
}

void vapp_inst_anycasts_init(struct vapp_inst *inst)
{
	vapp_anycast_tree_init(&inst->anycasts);
}

void vapp_inst_anycasts_fini(struct vapp_inst *inst)
{
	struct vapp_anycast *ac;

	while ((ac = vapp_anycast_tree_first(&inst->anycasts)))
		vapp_anycast_del(ac);
	vapp_anycast_tree_fini(&inst->anycasts);
}

bool vapp_anycast_in_grace(const struct vapp_anycast *ac)
{
	return ac->shutdown && ac->state == VAPP_AC_DRAINING && !ac->drain_sent && ac->installed;
}

struct vapp_anycast *vapp_anycast_find(struct vapp_inst *inst, const struct prefix *p)
{
	struct vapp_anycast key = {};

	prefix_copy(&key.prefix, p);
	return vapp_anycast_tree_find(&inst->anycasts, &key);
}

struct vapp_anycast *vapp_anycast_get(struct vapp_inst *inst, const struct prefix *p)
{
	struct vapp_anycast *ac = vapp_anycast_find(inst, p);

	if (ac)
		return ac;
	ac = XCALLOC(MTYPE_VAPP_ANYCAST, sizeof(*ac));
	ac->inst = inst;
	prefix_copy(&ac->prefix, p);
	strlcpy(ac->ifname, "lo", sizeof(ac->ifname));
	ac->restore_delay = VAPP_AC_RESTORE_DELAY;
	ac->lease = VAPP_AC_LEASE;
	ac->grace = VAPP_AC_GRACE;
	ac->state = VAPP_AC_STARTUP;
	strlcpy(ac->reason, "bgpd starting", sizeof(ac->reason));
	vapp_anycast_tree_add(&inst->anycasts, ac);
	vapp_inst_reserve(inst, p, true);
	return ac;
}

void vapp_anycast_del(struct vapp_anycast *ac)
{
	struct vapp_track *t;

	darr_foreach_p (ac->tracks, t)
		XFREE(MTYPE_VAPP_STR, t->peer_group);
	darr_free(ac->tracks);
	XFREE(MTYPE_VAPP_STR, ac->message);
	vapp_inst_reserve(ac->inst, &ac->prefix, false);
	vapp_anycast_tree_del(&ac->inst->anycasts, ac);
	XFREE(MTYPE_VAPP_ANYCAST, ac);
}

struct vapp_anycast *vapp_anycast_first(struct vapp_inst *inst)
{
	return vapp_anycast_tree_first(&inst->anycasts);
}

struct vapp_anycast *vapp_anycast_next(struct vapp_inst *inst, struct vapp_anycast *ac)
{
	return vapp_anycast_tree_next(&inst->anycasts, ac);
}

void vapp_anycast_track(struct vapp_anycast *ac, const char *pg, uint32_t min)
{
	uint i;

	darr_foreach_i (ac->tracks, i)
		if (!strcmp(ac->tracks[i].peer_group, pg)) {
			if (min) {
				ac->tracks[i].min_established = min;
			} else {
				XFREE(MTYPE_VAPP_STR, ac->tracks[i].peer_group);
				darr_remove(ac->tracks, i);
			}
			return;
		}
	if (min) {
		struct vapp_track *t = darr_appendz(ac->tracks);

		t->peer_group = XSTRDUP(MTYPE_VAPP_STR, pg);
		t->min_established = min;
	}
}

void vapp_anycast_set_message(struct vapp_anycast *ac, const char *msg)
{
	XFREE(MTYPE_VAPP_STR, ac->message);
	if (msg)
		ac->message = XSTRDUP(MTYPE_VAPP_STR, msg);
}

bool vapp_anycast_healthy(const struct vapp_anycast *ac, char *why, size_t len)
{
	const struct vapp_track *t;

	darr_foreach_p (ac->tracks, t)
		if (t->established < t->min_established) {
			snprintf(why, len, "peer-group %s: %u of %u sessions Established",
				 t->peer_group, t->established, t->min_established);
			return false;
		}
	if (darr_len(ac->tracks))
		snprintf(why, len, "tracked sessions Established");
	else
		snprintf(why, len, "no tracks: healthy while bgpd runs");
	return true;
}

static void vapp_ac_set(struct vapp_anycast *ac, enum vapp_ac_state state, const char *reason,
			int64_t now)
{
	enum vapp_ac_state old = ac->state;

	strlcpy(ac->reason, reason, sizeof(ac->reason));
	if (state == old)
		return;
	ac->state = state;
	ac->since = now;
	ac->transitions++;
	if (ac->inst->ctx->on_anycast)
		ac->inst->ctx->on_anycast(ac, old, ac->inst->ctx->arg);
}

unsigned int vapp_anycast_eval(struct vapp_anycast *ac, int64_t now)
{
	unsigned int acts = 0;
	bool healthy;
	char why[128];

	/*
	 * A lease that ran out while installed: bgpd did not run for a while
	 * (stopped, starved) and the kernel has taken the address away. It is
	 * not renewed back on an overdue timer as if nothing happened: the
	 * health seen now is only as old as this run, so restore-delay starts
	 * over.
	 */
	if (ac->installed && ac->lease_until && now >= ac->lease_until) {
		bool pending = ac->remove_pending;

		ac->installed = false;
		ac->lease_until = ac->renew_at = 0;
		ac->healthy_since = 0;
		ac->remove_pending = false;
		ac->remove_attempts = 0;
		if (!ac->shutdown)
			vapp_ac_set(ac, VAPP_AC_DOWN,
				    pending ? "removal failed, the kernel dropped it with its lease"
					    : "lease lapsed: bgpd did not renew it in time",
				    now);
	}
	/*
	 * A removal the kernel refused: the address is still there. Until it
	 * goes (a retry, or its lease, which nothing renews) nothing else
	 * happens to it, and health counts only from after it went.
	 */
	if (ac->remove_pending) {
		char r[sizeof(ac->reason) + sizeof(ac->remove_error)]; /* cut to reason's size */

		ac->healthy_since = 0;
		if (now >= ac->remove_retry_at)
			acts |= VAPP_AC_DO_REMOVE;
		snprintf(r, sizeof(r), "removal failed %u times (%s), retrying",
			 ac->remove_attempts, ac->remove_error);
		vapp_ac_set(ac, ac->state == VAPP_AC_DRAINING ? VAPP_AC_DRAINING : VAPP_AC_DOWN, r,
			    now);
		return acts;
	}
	healthy = vapp_anycast_healthy(ac, why, sizeof(why));
	if (ac->shutdown) {
		/*
		 * Drain: the address stays for the grace time, so that the
		 * sessions on it keep working (Linux cannot send from an
		 * address that is gone, and the appliances' packets would reach
		 * another server, which resets them); then the sessions are told
		 * and the address goes, in that order. The end follows the grace
		 * as configured now, counted from the drain's start. Health still
		 * rules meanwhile: unhealthy, the address goes at once (and stays
		 * gone: the drain is under way).
		 */
		if (ac->state != VAPP_AC_DRAINING) {
			ac->drain_start = now;
			ac->drain_sent = false;
			ac->healthy_since = 0;
			vapp_ac_set(ac, VAPP_AC_DRAINING, "shutdown (drain)", now);
		}
		ac->drain_at = ac->drain_start + (int64_t)ac->grace * 1000;
		if (!ac->drain_sent && now >= ac->drain_at) {
			ac->drain_sent = true;
			acts |= VAPP_AC_DO_DRAIN;
		} else if (!ac->drain_sent && healthy && ac->installed && now >= ac->renew_at) {
			acts |= VAPP_AC_DO_INSTALL;
		}
		if (ac->installed && (ac->drain_sent || !healthy))
			acts |= VAPP_AC_DO_REMOVE;
		if (!ac->drain_sent) {
			char r[sizeof(ac->reason) + sizeof(why)]; /* cut to reason's size */

			snprintf(r, sizeof(r), "shutdown (drain)%s%s",
				 healthy ? "" : ", unhealthy: ", healthy ? "" : why);
			vapp_ac_set(ac, VAPP_AC_DRAINING, r, now);
		}
		return acts;
	}
	if (!healthy) {
		ac->healthy_since = 0;
		if (ac->installed)
			acts |= VAPP_AC_DO_REMOVE | VAPP_AC_DO_RESET;
		vapp_ac_set(ac, VAPP_AC_DOWN, why, now);
		return acts;
	}
	if (!ac->healthy_since || ac->state == VAPP_AC_DRAINING)
		ac->healthy_since = now;
	if (ac->installed) {
		if (now >= ac->renew_at)
			acts |= VAPP_AC_DO_INSTALL;
		vapp_ac_set(ac, VAPP_AC_UP, why, now);
		return acts;
	}
	if (ac->retry_at && now < ac->retry_at) {
		/* stays DOWN with the failure as its reason; after no shutdown
		 * too, or the wake-up would be the old drain's end */
		if (ac->state == VAPP_AC_DRAINING)
			vapp_ac_set(ac, VAPP_AC_DOWN, "install failed, retry pending", now);
		return acts;
	}
	/* the retry is due: no longer a wake-up (it would be in the past) */
	ac->retry_at = 0;
	if (now - ac->healthy_since >= (int64_t)ac->restore_delay * 1000)
		return acts | VAPP_AC_DO_INSTALL;
	snprintf(why, sizeof(why), "healthy, restore-delay %u s", ac->restore_delay);
	vapp_ac_set(ac, ac->ever_up ? VAPP_AC_RESTORING : VAPP_AC_STARTUP, why, now);
	return acts;
}

void vapp_anycast_installed(struct vapp_anycast *ac, bool ok, const char *err, int64_t now)
{
	/*
	 * A result within the drain (a renewal in the grace) keeps the state
	 * and its schedule. The state alone does not say so: right after no
	 * shutdown it is still draining when the first install returns.
	 */
	bool draining = ac->shutdown && ac->state == VAPP_AC_DRAINING;
	char why[160];

	if (!ok)
		ac->install_failures++;
	else if (ac->installed)
		ac->renewals++;
	else
		ac->installs++;
	if (!ok && ac->installed && !ac->remove_pending) {
		/*
		 * A renewal failed: the address stays with the lease it has,
		 * and is not taken away for a passing fault; renewals are
		 * retried until the lease runs out, when the kernel drops it.
		 */
		ac->renew_at = MIN(now + VAPP_AC_RETRY_MS, ac->lease_until);
		snprintf(why, sizeof(why), "lease renewal failed: %s, retrying", err ? err : "?");
		vapp_ac_set(ac, ac->state, why, now);
		return;
	}
	if (!ok) {
		/* fail closed: treated as not installed (the glue says when
		 * the kernel holds it anyway: vapp_anycast_held()) */
		ac->installed = false;
		ac->retry_at = now + VAPP_AC_RETRY_MS;
		snprintf(why, sizeof(why), "install failed: %s", err ? err : "?");
		/* leaving DRAINING would restart the grace at the next run */
		vapp_ac_set(ac, draining ? VAPP_AC_DRAINING : VAPP_AC_DOWN, why, now);
		return;
	}
	ac->installed = true;
	ac->ever_up = true;
	ac->retry_at = 0;
	ac->lease_until = now + (int64_t)ac->lease * 1000;
	ac->renew_at = now + (int64_t)ac->lease * 1000 / 3;
	if (draining)
		return; /* a renewal through the drain's grace */
	vapp_anycast_healthy(ac, why, sizeof(why));
	vapp_ac_set(ac, VAPP_AC_UP, why, now);
}

void vapp_anycast_removed(struct vapp_anycast *ac, bool ok, const char *err, int64_t now)
{
	if (!ok) {
		/* doubling per failed attempt; 1 s << 5 is past the cap */
		int64_t backoff = (int64_t)VAPP_AC_REMOVE_RETRY_MS << MIN(ac->remove_attempts, 5);

		ac->installed = true; /* the kernel holds it */
		ac->remove_pending = true;
		ac->remove_failures++;
		ac->remove_attempts++;
		ac->remove_retry_at = now + MIN(backoff, VAPP_AC_REMOVE_RETRY_MAX_MS);
		strlcpy(ac->remove_error, err ? err : "?", sizeof(ac->remove_error));
		return;
	}
	ac->removals++;
	ac->installed = false;
	ac->lease_until = 0;
	ac->renew_at = 0;
	ac->remove_pending = false;
	ac->remove_attempts = 0;
	ac->remove_retry_at = 0;
}

void vapp_anycast_held(struct vapp_anycast *ac, int64_t now)
{
	int64_t until = now + (int64_t)ac->lease * 1000;

	/* the failed request carried this lease: the kernel drops it by then */
	if (!ac->installed || ac->lease_until < until)
		ac->lease_until = until;
	ac->installed = true;
	ac->renew_at = 0;
}

int64_t vapp_anycast_wakeup(const struct vapp_anycast *ac)
{
	if (ac->remove_pending)
		return MIN(ac->remove_retry_at, ac->lease_until);
	if (ac->state == VAPP_AC_DRAINING) {
		if (ac->drain_sent)
			return 0;
		return ac->installed && ac->renew_at < ac->drain_at ? ac->renew_at : ac->drain_at;
	}
	if (ac->installed)
		return ac->renew_at;
	if (!ac->healthy_since)
		return 0;
	if (ac->retry_at)
		return ac->retry_at;
	return ac->healthy_since + (int64_t)ac->restore_delay * 1000;
}
