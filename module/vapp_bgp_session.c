// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance glue: what the module does to appliance sessions, deferred to
 * events of its own (never an FSM action inside a bgpd hook): disconnects
 * with a reason, re-evaluation of an appliance's routes (soft in) after a
 * policy change or when max-prefixes frees room, and the per-route
 * consequences of a verdict (first-of-its-kind log, action shutdown).
 */
#include <zebra.h>

#include "frrevent.h"
#include "typesafe.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_fsm.h"
#include "bgpd/bgp_packet.h"

#include "vappliance.h"
#include "vapp_nb.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_KICK, "vappliance deferred disconnect");

/* ---- deferred disconnects --------------------------------------------------- */

PREDECL_DLIST(vapp_kicks);
struct vapp_kick {
	struct vapp_kicks_item item;
	struct peer *peer; /* locked */
	struct event *ev;
	uint8_t code, subcode; /* code 0: re-evaluate routes (soft in) */
	char *msg;	       /* RFC 9003 shutdown communication, or NULL */
};
DECLARE_DLIST(vapp_kicks, struct vapp_kick, item);
static struct vapp_kicks_head vapp_kicks;

static void vapp_kick_free(struct vapp_kick *k)
{
	vapp_kicks_del(&vapp_kicks, k);
	XFREE(MTYPE_VAPP_KICK, k->msg);
	peer_unlock(k->peer); /* may free the peer */
	XFREE(MTYPE_VAPP_KICK, k);
}

/*
 * A dynamic neighbor bgpd keeps, with its routes stale, for a graceful
 * restart (bgp_stop(): peer_dynamic_neighbor_no_nsf() false): no session.
 */
static bool vapp_gr_waiting(struct peer *peer)
{
	return !CHECK_FLAG(peer->flags, PEER_FLAG_DELETE) && peer->connection->status != Deleted &&
	       !peer_established(peer->connection) && peer_dynamic_neighbor(peer) &&
	       CHECK_FLAG(peer->sflags, PEER_STATUS_NSF_WAIT);
}

/*
 * Mirrors what bgp_stop() does for a dynamic neighbor, from an event of
 * our own: send the NOTIFICATION, then delete the peer at once, which also
 * cancels its pending FSM events (otherwise bgpd could still send its OPEN
 * after our NOTIFICATION).
 */
static void vapp_kick_run(struct event *ev)
{
	struct vapp_kick *k = EVENT_ARG(ev);
	struct peer *peer = k->peer;
	struct peer_connection *c = peer->connection;

	k->ev = NULL;
	if (k->code == 0) {
		/*
		 * Re-run the inbound policy over the appliance's routes without
		 * a reset: from the Adj-RIB-In with soft-reconfiguration
		 * inbound, else by ROUTE-REFRESH (peer_clear_soft() picks).
		 */
		bool cannot = false;

		static const safi_t safis[] = { SAFI_UNICAST, SAFI_LABELED_UNICAST };

		/* stale routes of a graceful restart: no session to re-run them
		 * with, so they go (fail closed); the restarted session re-sends */
		if (vapp_gr_waiting(peer)) {
			zlog_notice("vappliance: %s: the pool's prefix policy changed while bgpd kept its routes for graceful restart; removing them, they cannot be re-evaluated without a session",
				    peer->host);
			peer_delete(peer);
			vapp_kick_free(k);
			return;
		}
		if (peer_established(c) && !CHECK_FLAG(peer->flags, PEER_FLAG_DELETE))
			for (afi_t afi = AFI_IP; afi <= AFI_IP6; afi++)
				for (size_t i = 0; i < array_size(safis); i++)
					if (peer->afc_nego[afi][safis[i]] &&
					    peer_clear_soft(peer, afi, safis[i], BGP_CLEAR_SOFT_IN) ==
						    BGP_ERR_SOFT_RECONFIG_UNCONFIGURED)
						cannot = true;
		if (cannot) {
			/* neither route refresh nor an Adj-RIB-In: the only way
			 * to apply the new policy to its routes is a new session */
			zlog_warn("vappliance: %s supports no ROUTE-REFRESH and its peer-group has no soft-reconfiguration inbound; resetting it to apply the pool's new prefix policy",
				  peer->host);
			bgp_notify_send(c, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_ADMIN_RESET);
			if (peer_dynamic_neighbor(peer))
				peer_delete(peer);
		}
	} else if (!CHECK_FLAG(peer->flags, PEER_FLAG_DELETE) && c->status != Deleted &&
		   c->status != Clearing && c->status != Idle && c->fd >= 0) {
		if (k->msg) {
			/* RFC 9003: length octet, then the UTF-8 text */
			uint8_t data[256];
			size_t len = vapp_utf8_cut(k->msg, sizeof(data) - 1);

			data[0] = len;
			memcpy(data + 1, k->msg, len);
			bgp_notify_send_with_data(c, k->code, k->subcode, data, len + 1);
		} else {
			bgp_notify_send(c, k->code, k->subcode);
		}
		/* a second connection's temporary peer goes as well, as
		 * bgp_accept() deletes an older one (its queued OPEN with it) */
		if (peer_dynamic_neighbor(peer) ||
		    (CHECK_FLAG(peer->sflags, PEER_STATUS_ACCEPT_PEER) &&
		     !CHECK_FLAG(peer->flags, PEER_FLAG_CONFIG_NODE)))
			peer_delete(peer);
	} else if (vapp_gr_waiting(peer)) {
		/*
		 * No session to tell: a neighbor bgpd keeps for graceful
		 * restart, its routes stale. Deleted as the restart timer's
		 * end would (bgp_graceful_restart_timer_off()); peer_delete()
		 * stops the helper and clears the stale routes.
		 */
		peer_delete(peer);
	}
	vapp_kick_free(k);
}

void vapp_bgp_kick_msg(struct peer *peer, uint8_t code, uint8_t subcode, const char *msg)
{
	struct vapp_kick *k = XCALLOC(MTYPE_VAPP_KICK, sizeof(*k));

	if (msg)
		k->msg = XSTRDUP(MTYPE_VAPP_KICK, msg);
	/* the event must not be keyed on peer->connection: bgp_stop() and
	 * peer_delete() cancel those, which would leak our reference */
	k->peer = peer_lock(peer);
	k->code = code;
	k->subcode = subcode;
	vapp_kicks_add_tail(&vapp_kicks, k);
	event_add_event(bm->master, vapp_kick_run, k, 0, &k->ev);
}

void vapp_bgp_kick(struct peer *peer, uint8_t code, uint8_t subcode)
{
	vapp_bgp_kick_msg(peer, code, subcode, NULL);
}

/* Delay before routes held back by max-prefixes are looked at again. */
#define VAPP_LIMIT_ROOM_MS 1000

/*
 * Routes over an appliance's max-prefixes (action block) are rejected, not
 * forgotten: when its accepted count falls below the limit again (it
 * withdrew routes, or re-announced some that no longer pass) while some are
 * held back, its routes are evaluated again (soft in, as for a policy
 * change), and the held-back ones take the room, in the order bgpd offers
 * them. Batched: one re-evaluation per appliance within VAPP_LIMIT_ROOM_MS.
 */
void vapp_bgp_limit_room(struct vapp_app *app)
{
	const struct vapp_pool *pool = app->pool;
	struct vapp_kick *k;

	if (!pool || !pool->max_prefixes || pool->limit_action != VAPP_LIMIT_BLOCK ||
	    !app->pcount[VAPP_P_OVER_LIMIT] || app->pcount[VAPP_P_ACCEPTED] >= pool->max_prefixes)
		return;
	frr_each (vapp_kicks, &vapp_kicks, k)
		if (k->peer == app->owner && k->code == 0)
			return; /* one is coming */
	k = XCALLOC(MTYPE_VAPP_KICK, sizeof(*k));
	k->peer = peer_lock(app->owner);
	vapp_kicks_add_tail(&vapp_kicks, k);
	event_add_timer_msec(bm->master, vapp_kick_run, k, VAPP_LIMIT_ROOM_MS, &k->ev);
}

void vapp_bgp_disconnect(struct vapp_app *app, void *arg)
{
	char msg[128];

	/* RFC 9003: the appliance's operator sees why */
	snprintf(msg, sizeof(msg), "vappliance: %s", vapp_reason_name(app->reason));
	vapp_bgp_kick_msg(app->owner, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_ADMIN_RESET, msg);
}

void vapp_bgp_policy_changed(struct vapp_inst *inst)
{
	struct vapp_app *app;
	struct vapp_pool *pool;

	for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool)) {
		if (pool->policy_gen == pool->policy_done)
			continue;
		pool->policy_done = pool->policy_gen;
		for (app = vapp_app_first(inst); app; app = vapp_app_next(inst, app))
			if (app->pool == pool && (app->established || app->gr_wait))
				vapp_bgp_kick(app->owner, 0, 0);
	}
}

/*
 * Crossings of the max-prefixes warning logged (and notified) per
 * appliance within VAPP_LOG_INTERVAL_MS: an appliance flapping one route
 * around the threshold cannot flood the log; the next line counts the
 * crossings held back.
 */
#define VAPP_WARN_BURST 4

void vapp_bgp_limit_warning(struct vapp_app *app)
{
	int edge = vapp_policy_warn_edge(app);
	const struct vapp_pool *pool = app->pool;
	uint32_t now_s;

	if (!edge)
		return;
	now_s = vapp_bgp_now() / 1000;
	if (now_s - app->warn_window_s >= VAPP_LOG_INTERVAL_MS / 1000 || !app->warn_lines) {
		app->warn_window_s = now_s;
		app->warn_lines = 0;
	}
	if (app->warn_lines >= VAPP_WARN_BURST) {
		app->warn_unlogged++;
		return;
	}
	app->warn_lines++;
	zlog_warn("vappliance: %pIA (pool %s, vrf %s) %s the max-prefixes warning: %u accepted routes, threshold %u (%u%% of %u; %u crossings not logged before this one)",
		  &app->addr, pool->name, app->inst->vrf, edge > 0 ? "reached" : "fell below",
		  app->pcount[VAPP_P_ACCEPTED], vapp_pool_warn_threshold(pool),
		  pool->limit_warn_pct, pool->max_prefixes, app->warn_unlogged);
	app->warn_unlogged = 0;
	vapp_nb_notify_prefix_threshold(app, edge > 0);
}

void vapp_bgp_pool_warnings(struct vapp_pool *pool)
{
	struct vapp_app *app;

	if (!pool->inst)
		return;
	for (app = vapp_app_first(pool->inst); app; app = vapp_app_next(pool->inst, app))
		if (app->pool == pool)
			vapp_bgp_limit_warning(app);
}

/* first rejection of each kind per appliance session; the limit's action */
void vapp_bgp_route_verdict(struct vapp_app *app, const struct prefix *p, enum vapp_pverdict v)
{
	const struct vapp_pool *pool = app->pool;

	vapp_bgp_limit_warning(app);
	if (v != VAPP_P_ACCEPTED && !(app->plogged & (1u << v))) {
		app->plogged |= 1u << v;
		zlog_notice("vappliance: %pIA (pool %s, vrf %s) announced %pFX: %s (first of its kind from this appliance)",
			    &app->addr, pool ? pool->name : "-", app->inst->vrf, p,
			    vapp_pverdict_name(v));
	}
	if (v != VAPP_P_ACCEPTED && v != VAPP_P_OVER_LIMIT)
		vapp_bgp_limit_room(app); /* an accepted route may have stopped passing */
	if (v == VAPP_P_OVER_LIMIT && pool && pool->limit_action == VAPP_LIMIT_SHUTDOWN &&
	    !app->limit_exceeded) {
		app->limit_exceeded = true;
		zlog_warn("vappliance: %pIA (pool %s, vrf %s) exceeded max-prefixes %u, shutting the session down",
			  &app->addr, pool->name, app->inst->vrf, pool->max_prefixes);
		vapp_bgp_kick(app->owner, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_MAX_PREFIX);
	}
}

void vapp_bgp_session_init(void)
{
	vapp_kicks_init(&vapp_kicks);
}

void vapp_bgp_session_fini(void)
{
	struct vapp_kick *k;

	while ((k = vapp_kicks_first(&vapp_kicks))) {
		event_cancel(&k->ev);
		vapp_kick_free(k);
	}
	vapp_kicks_fini(&vapp_kicks);
}
