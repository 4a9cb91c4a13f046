// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance glue: anycast loopback health. Runs the core's state machine
 * on bgpd's session events (no polling: a tracked session going down
 * removes the address from within the status hook) and on its own timer
 * (restore-delay, lease renewal, drain grace), and carries out its actions
 * through rtnetlink.
 */
#include <zebra.h>

#include "frrevent.h"
#include "sockunion.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_fsm.h"
#include "bgpd/bgp_packet.h"

#include "vappliance.h"
#include "vapp_errors.h"
#include "vapp_debug.h"
#include "vapp_nb.h"

/* bgpd's privileges (bgp_main.c): CAP_NET_ADMIN for address changes */
extern struct zebra_privs_t bgpd_privs;

static struct event *vapp_ac_timer, *vapp_ac_soon;
static bool vapp_ac_started;

static struct bgp *vapp_ac_bgp(const struct vapp_inst *inst)
{
	if (strcmp(inst->vrf, VAPP_VRF_DEFAULT) == 0)
		return bgp_get_default();
	return bgp_lookup_by_name(inst->vrf);
}

/* O(1) per track: the counts follow bgpd's status events (vapp_bgp_tracked.c) */
static void vapp_ac_count(struct vapp_anycast *ac, struct bgp *bgp)
{
	struct vapp_track *t;

	darr_foreach_p (ac->tracks, t)
		t->established = vapp_tracked_count(bgp, t->peer_group);
}

static bool vapp_ac_local_is(const struct peer *peer, const struct prefix *p)
{
	const union sockunion *su = peer->connection->su_local;

	if (!su || su->sa.sa_family != p->family)
		return false;
	if (p->family == AF_INET)
		return su->sin.sin_addr.s_addr == p->u.prefix4.s_addr;
	return IPV6_ADDR_SAME(&su->sin6.sin6_addr, &p->u.prefix6);
}

/*
 * Cease with @subcode and the RFC 9003 message @msg to every established
 * appliance session on the address, deferred (vapp_bgp_kick_msg(): no FSM
 * action inside the caller's event). Returns how many were told.
 */
static unsigned int vapp_ac_tell(const struct vapp_anycast *ac, struct bgp *bgp, uint8_t subcode,
				 const char *msg)
{
	struct listnode *node;
	struct peer *peer;
	unsigned int n = 0;

	if (!bgp)
		return 0;
	for (ALL_LIST_ELEMENTS_RO(bgp->peer, node, peer)) {
		if (!peer_dynamic_neighbor(peer) || !peer_established(peer->connection) ||
		    !vapp_ac_local_is(peer, &ac->prefix))
			continue;
		vapp_bgp_kick_msg(peer, BGP_NOTIFY_CEASE, subcode, msg);
		n++;
	}
	return n;
}

/* Draining: Cease / Administrative Shutdown with the operator's message */
static void vapp_ac_drain(struct vapp_anycast *ac, struct bgp *bgp)
{
	unsigned int n;

	if (!bgp)
		return;
	n = vapp_ac_tell(ac, bgp, BGP_NOTIFY_CEASE_ADMIN_SHUTDOWN, ac->message);
	zlog_notice("vappliance: anycast %pFX drained: %u appliance sessions sent Administrative Shutdown%s%s",
		    &ac->prefix, n, ac->message ? ": " : "", ac->message ? ac->message : "");
}

/* Unhealthy: Cease / Administrative Reset with the reason as message */
static unsigned int vapp_ac_reset(struct vapp_anycast *ac, struct bgp *bgp)
{
	char msg[sizeof(ac->reason) + 64];
	unsigned int n;

	snprintfrr(msg, sizeof(msg), "route server unhealthy, anycast %pFX withdrawn: %s",
		   &ac->prefix, ac->reason);
	n = vapp_ac_tell(ac, bgp, BGP_NOTIFY_CEASE_ADMIN_RESET, msg);
	if (n)
		zlog_notice("vappliance: anycast %pFX unhealthy: %u appliance sessions sent Administrative Reset before it goes",
			    &ac->prefix, n);
	return n;
}

/*
 * Asks the kernel to remove the address; on failure it is still there, so
 * still installed, retried with backoff (vapp_anycast_removed()) and shown.
 */
static void vapp_ac_remove(struct vapp_anycast *ac, int64_t now)
{
	int ret = vapp_nl_addr_del(ac->ifname, &ac->prefix);
	char err[96];

	if (ret == 0) {
		if (ac->remove_pending)
			zlog_notice("vappliance: anycast %pFX removed from %s after %u failed attempts",
				    &ac->prefix, ac->ifname, ac->remove_attempts);
		vapp_anycast_removed(ac, true, NULL, now);
		return;
	}
	snprintf(err, sizeof(err), "%s", safe_strerror(-ret));
	vapp_anycast_removed(ac, false, err, now);
	flog_err(EC_VAPP_ANYCAST_REMOVE,
		 "vappliance: removing anycast %pFX from %s failed (attempt %u): %s; it stays until a retry in %" PRId64
		 " ms works or its lease ends in %" PRId64 " s",
		 &ac->prefix, ac->ifname, ac->remove_attempts, err, ac->remove_retry_at - now,
		 (ac->lease_until - now) / 1000);
}

/*
 * A failed first install may still have put the address there (an answer
 * lost to a timeout), and when the kernel cannot be asked the module
 * cannot vouch that it did not: held, and removed (fail closed).
 */
static void vapp_ac_install_failed(struct vapp_anycast *ac, const char *err, int64_t now)
{
	bool was = ac->installed;
	enum vapp_nl_owner owner;

	vapp_anycast_installed(ac, false, err, now);
	if (was)
		return; /* a renewal: the address keeps its lease, retried */
	owner = vapp_nl_addr_owner(&ac->prefix);
	if (owner != VAPP_NL_OURS && owner != VAPP_NL_UNKNOWN)
		return;
	zlog_warn("vappliance: anycast %pFX: install failed (%s) but the kernel %s; removing it",
		  &ac->prefix, err,
		  owner == VAPP_NL_OURS ? "holds it" : "cannot say whether it holds it");
	vapp_anycast_held(ac, now);
	vapp_ac_remove(ac, now);
}

static void vapp_ac_install(struct vapp_anycast *ac, int64_t now)
{
	enum vapp_nl_owner owner = VAPP_NL_ABSENT;
	char err[96];
	int ret;

	/* never take over an address somebody else put there, nor one the
	 * kernel cannot tell about */
	if (!ac->installed)
		owner = vapp_nl_addr_owner(&ac->prefix);
	if (owner == VAPP_NL_FOREIGN) {
		vapp_anycast_installed(ac, false, "the address is in the kernel and not ours", now);
		return;
	}
	if (owner == VAPP_NL_UNKNOWN) {
		vapp_anycast_installed(ac, false, "cannot read the kernel's addresses", now);
		return;
	}
	ret = vapp_nl_addr_set(ac->ifname, &ac->prefix, ac->lease);
	if (ret < 0) {
		snprintf(err, sizeof(err), "%s on %s", safe_strerror(-ret), ac->ifname);
		vapp_ac_install_failed(ac, err, now);
		return;
	}
	if (!ac->installed && (owner = vapp_nl_addr_owner(&ac->prefix)) != VAPP_NL_OURS) {
		/* the kernel dropped the marker: we could not tell it from an
		 * operator's address later, so we do not keep it (fail closed) */
		vapp_anycast_installed(ac, false,
				       owner == VAPP_NL_UNKNOWN
					       ? "cannot read the kernel's addresses"
					       : "the kernel keeps no address protocol mark (IFA_PROTO, Linux 5.18 or later)",
				       now);
		vapp_anycast_held(ac, now);
		vapp_ac_remove(ac, now);
		return;
	}
	vapp_anycast_installed(ac, true, NULL, now);
}

/* after a drain's NOTIFICATIONs were written: the next run removes the address */
static void vapp_ac_drain_done(struct event *ev)
{
	vapp_bgp_ac_run();
}

static void vapp_ac_timer_fire(struct event *ev)
{
	struct vapp_inst *inst;
	struct bgp *bgp;

	/* the timer's run (renewals, delays) also mends the counts */
	for (inst = vapp_inst_first(&vapp_g); inst; inst = vapp_inst_next(&vapp_g, inst))
		if (vapp_anycast_first(inst) && (bgp = vapp_ac_bgp(inst)))
			vapp_tracked_recount(bgp);
	vapp_bgp_ac_run();
}


void vapp_bgp_ac_run(void)
{
	struct vapp_inst *inst;
	struct vapp_anycast *ac;
	int64_t now = vapp_bgp_now(), next = 0;

	if (!vapp_ac_started)
		return;
	for (inst = vapp_inst_first(&vapp_g); inst; inst = vapp_inst_next(&vapp_g, inst)) {
		struct bgp *bgp = vapp_ac_bgp(inst);

		for (ac = vapp_anycast_first(inst); ac; ac = vapp_anycast_next(inst, ac)) {
			unsigned int acts;
			int64_t w;

			vapp_ac_count(ac, bgp);
			acts = vapp_anycast_eval(ac, now);
			VAPP_DEBUG(anycast, "%pFX on %s: %s (%s), actions%s%s%s%s%s", &ac->prefix,
				   ac->ifname, vapp_ac_state_name(ac->state), ac->reason,
				   acts ? "" : " none", acts & VAPP_AC_DO_INSTALL ? " install" : "",
				   acts & VAPP_AC_DO_REMOVE ? " remove" : "",
				   acts & VAPP_AC_DO_DRAIN ? " drain" : "",
				   acts & VAPP_AC_DO_RESET ? " reset" : "");
			if (acts & VAPP_AC_DO_DRAIN) {
				/* the NOTIFICATIONs go out from deferred events; the
				 * address must still be there when they do: it goes
				 * in an event queued after them */
				vapp_ac_drain(ac, bgp);
				event_add_event(bm->master, vapp_ac_drain_done, NULL, 0, NULL);
				acts &= ~VAPP_AC_DO_REMOVE;
			}
			/*
			 * Unhealthy with sessions on the address: they are dead
			 * ends now (the fabric takes their packets to another
			 * server, which cannot reset a TCP-MD5 session it does not
			 * know, so they would wait out their hold time). They are
			 * told first, as in a drain, and the address goes in the
			 * event after those NOTIFICATIONs; without sessions, at
			 * once.
			 */
			if ((acts & VAPP_AC_DO_RESET) && vapp_ac_reset(ac, bgp)) {
				event_add_event(bm->master, vapp_ac_drain_done, NULL, 0, NULL);
				acts &= ~VAPP_AC_DO_REMOVE;
			}
			/* a removal that worked after failures: what was held
			 * back behind it (restore-delay, undrain) runs next */
			if (acts & VAPP_AC_DO_REMOVE) {
				bool was_pending = ac->remove_pending;

				vapp_ac_remove(ac, now);
				if (was_pending && !ac->remove_pending)
					vapp_bgp_ac_run_soon();
			}
			if (acts & VAPP_AC_DO_INSTALL)
				vapp_ac_install(ac, now);
			w = vapp_anycast_wakeup(ac);
			if (w && (!next || w < next))
				next = w;
		}
	}
	event_cancel(&vapp_ac_timer);
	if (next)
		event_add_timer_msec(bm->master, vapp_ac_timer_fire, NULL,
				     next > now ? next - now : 0, &vapp_ac_timer);
}

static void vapp_ac_soon_fire(struct event *ev)
{
	vapp_bgp_ac_run();
}

void vapp_bgp_ac_run_soon(void)
{
	event_add_event(bm->master, vapp_ac_soon_fire, NULL, 0, &vapp_ac_soon);
}

void vapp_bgp_ac_peer_event(struct peer *peer)
{
	struct vapp_inst *inst;
	struct vapp_anycast *ac;
	struct vapp_track *t;
	char group[160]; /* peer-group names are up to 128 characters */

	/* counted whether or not tracked now: a track added later needs no recount */
	if (!vapp_tracked_event(peer, group, sizeof(group)) || !vapp_ac_started)
		return;
	/* bgpd exiting closes every session: vapp_bgp_ac_stop() removes the
	 * addresses (and says so) once, not one track failure at a time */
	if (bm->terminating)
		return;
	inst = vapp_inst_find(&vapp_g, vapp_bgp_vrf_name(peer->bgp));
	if (!inst)
		return;
	for (ac = vapp_anycast_first(inst); ac; ac = vapp_anycast_next(inst, ac))
		darr_foreach_p (ac->tracks, t)
			if (!strcmp(t->peer_group, group)) {
				/* at once: removal must not wait for the event loop */
				vapp_bgp_ac_run();
				return;
			}
}

bool vapp_bgp_ac_foreign(const struct prefix *p)
{
	return vapp_nl_addr_owner(p) == VAPP_NL_FOREIGN;
}

void vapp_bgp_ac_unconfigure(struct vapp_anycast *ac)
{
	/* a failure is logged; the address goes with its lease, and a
	 * restarted bgpd removes it as a leftover */
	if (ac->installed)
		vapp_ac_remove(ac, vapp_bgp_now());
}

static void vapp_ac_changed(const struct vapp_anycast *ac, unsigned int old, void *arg)
{
	zlog_notice("vappliance: anycast %pFX on %s (vrf %s): %s -> %s: %s", &ac->prefix,
		    ac->ifname, ac->inst->vrf, vapp_ac_state_name(old),
		    vapp_ac_state_name(ac->state), ac->reason);
	vapp_nb_notify_anycast(ac);
	vapp_bgp_drain_changed(ac, old);
}

void vapp_bgp_ac_start(void)
{
	unsigned int n;

	vapp_g.on_anycast = vapp_ac_changed;
	/* without rtnetlink every install fails: the addresses stay down */
	if (vapp_nl_init(&bgpd_privs)) {
		n = vapp_nl_cleanup();
		if (n)
			zlog_notice("vappliance: removed %u leftover anycast addresses at start", n);
	}
	vapp_ac_started = true;
	vapp_bgp_ac_run_soon();
}

void vapp_bgp_ac_stop(void)
{
	struct vapp_inst *inst;
	struct vapp_anycast *ac;

	event_cancel(&vapp_ac_timer);
	event_cancel(&vapp_ac_soon);
	vapp_bgp_drain_fini();
	/* clean exit: the addresses go with bgpd */
	for (inst = vapp_inst_first(&vapp_g); inst; inst = vapp_inst_next(&vapp_g, inst))
		for (ac = vapp_anycast_first(inst); ac; ac = vapp_anycast_next(inst, ac))
			if (ac->installed) {
				vapp_ac_remove(ac, vapp_bgp_now());
				if (!ac->installed)
					zlog_notice("vappliance: anycast %pFX removed at bgpd exit",
						    &ac->prefix);
			}
	vapp_ac_started = false;
	vapp_nl_fini();
}
