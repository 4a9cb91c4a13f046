// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance glue to bgpd: the only part of the module that knows struct
 * bgp, struct peer and bgpd's hooks. It feeds bgpd events to the core,
 * carries out the core's decisions on sessions, and reads bgpd state for
 * the northbound and the show commands.
 *
 * FSM rule: nothing here runs a bgpd FSM action inside a bgpd hook. A
 * rejection is deferred to an event holding a peer reference (peer_lock),
 * which re-checks that the peer still exists before acting. The one
 * synchronous rejection is the AS check at OPEN, done by stock code: the
 * hook runs right before bgp_open_receive(), which sends OPEN Message Error
 * / Bad Peer AS itself when the peer's remote AS is unspecified.
 */
#include <zebra.h>

#include "frrevent.h"
#include "hook.h"
#include "monotime.h"
#include "stream.h"
#include "vty.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_fsm.h"
#include "bgpd/bgp_packet.h"
#include "bgpd/bgp_route.h"

#include "vappliance.h"
#include "vapp_debug.h"
#include "vapp_nb.h"
#include "vapp_vty.h"

/* Re-evaluation of facts bgpd has no hook for (peer-group passwords). */
#define VAPP_AUDIT_INTERVAL_MS 2000

int64_t vapp_bgp_now(void)
{
	struct timeval tv;

	monotime(&tv);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static struct bgp *vapp_bgp_lookup(const char *vrf)
{
	if (strcmp(vrf, VAPP_VRF_DEFAULT) == 0)
		return bgp_get_default();
	return bgp_lookup_by_name(vrf);
}

const char *vapp_bgp_vrf_name(const struct bgp *bgp)
{
	return bgp->name ? bgp->name : VAPP_VRF_DEFAULT;
}

struct peer_group *vapp_bgp_pool_group(const struct vapp_pool *pool)
{
	struct bgp *bgp = pool->inst ? vapp_bgp_lookup(pool->inst->vrf) : NULL;

	if (!bgp || !pool->peer_group)
		return NULL;
	return peer_group_lookup(bgp, pool->peer_group);
}

static bool vapp_bgp_password_set(const struct vapp_pool *pool, void *arg)
{
	struct peer_group *group = vapp_bgp_pool_group(pool);

	return group && group->conf->password;
}

/* New sessions: the policy must be enforced now. */
static bool vapp_bgp_policy_now(const struct vapp_pool *pool, void *arg)
{
	return vapp_enforce_pool(pool);
}

/*
 * Sessions already up: disconnected when the policy stays unenforced for
 * VAPP_POLICY_GRACE_MS, so that an edit of the route-map (or frr-reload's
 * delete-then-add) does not cut every appliance. bgpd re-applies a changed
 * route-map only after its delay timer (5 s by default).
 */
#define VAPP_POLICY_GRACE_MS 3000
static bool vapp_bgp_policy_debounced(const struct vapp_pool *pool, void *arg)
{
	struct vapp_pool *p = (struct vapp_pool *)pool; /* our own state field */
	int64_t now = vapp_bgp_now();

	if (vapp_enforce_pool(pool)) {
		p->policy_bad_since = 0;
		return true;
	}
	if (!p->policy_bad_since) {
		p->policy_bad_since = now;
		zlog_warn("vappliance: pool %s (vrf %s): inbound policy not enforced; new appliances are rejected, admitted ones disconnected in %d ms unless fixed",
			  pool->name, pool->inst->vrf, VAPP_POLICY_GRACE_MS);
	}
	return now - p->policy_bad_since < VAPP_POLICY_GRACE_MS;
}

static const struct vapp_facts vapp_bgp_facts = {
	.password_set = vapp_bgp_password_set,
	.policy_enforced = vapp_bgp_policy_now,
};

static const struct vapp_facts vapp_bgp_facts_reeval = {
	.password_set = vapp_bgp_password_set,
	.policy_enforced = vapp_bgp_policy_debounced,
};

void vapp_bgp_pool_live(const struct vapp_pool *pool, struct vapp_pool_live *live)
{
	struct peer_group *group;

	memset(live, 0, sizeof(*live));
	if (!pool->inst)
		return;
	live->bgp_exists = vapp_bgp_lookup(pool->inst->vrf) != NULL;
	group = vapp_bgp_pool_group(pool);
	live->peer_group_exists = group != NULL;
	live->password_set = group && group->conf->password;
	live->sessions = vapp_pool_established(pool);
}

bool vapp_bgp_group_listens(struct bgp *bgp, const char *pg, const struct prefix *p)
{
	struct peer_group *group = peer_group_lookup(bgp, pg);
	struct listnode *node;
	struct prefix *range;

	if (!group)
		return false;
	for (afi_t afi = AFI_IP; afi < AFI_MAX; afi++) {
		if (!group->listen_range[afi])
			continue;
		for (ALL_LIST_ELEMENTS_RO(group->listen_range[afi], node, range))
			if (prefix_match(range, p) || prefix_match(p, range))
				return true;
	}
	return false;
}

static bool vapp_bgp_peer_addr(const struct peer *peer, struct ipaddr *addr)
{
	const union sockunion *su = &peer->connection->su;

	memset(addr, 0, sizeof(*addr));
	switch (su->sa.sa_family) {
	case AF_INET:
		SET_IPADDR_V4(addr);
		addr->ipaddr_v4 = su->sin.sin_addr;
		return true;
	case AF_INET6:
		SET_IPADDR_V6(addr);
		addr->ipaddr_v6 = su->sin6.sin6_addr;
		return true;
	}
	return false;
}

static struct vapp_inst *vapp_bgp_peer_inst(const struct peer *peer)
{
	return vapp_inst_find(&vapp_g, vapp_bgp_vrf_name(peer->bgp));
}

/*
 * The tracked appliance of a dynamic neighbor, or NULL. The route-map match
 * asks this for every route; routes come in runs from one peer, so the last
 * answer is kept while no appliance was created or freed.
 */
struct vapp_app *vapp_bgp_peer_app(struct peer *peer)
{
	static const struct peer *last_peer;
	static struct vapp_app *last_app;
	static uint64_t last_gen;
	struct vapp_inst *inst;
	struct vapp_app *app;
	struct ipaddr addr;

	if (peer == last_peer && last_gen == vapp_g.app_gen)
		return last_app;
	if (!peer_dynamic_neighbor(peer) || !vapp_bgp_peer_addr(peer, &addr))
		return NULL;
	inst = vapp_bgp_peer_inst(peer);
	if (!inst)
		return NULL;
	app = vapp_app_find(inst, &addr);
	if (app && app->owner != peer)
		app = NULL;
	last_peer = peer;
	last_app = app;
	last_gen = vapp_g.app_gen;
	return app;
}

bool vapp_bgp_peer_pooled(struct peer *peer)
{
	struct vapp_inst *inst;

	if (!peer_dynamic_neighbor(peer) || !peer->group)
		return false;
	inst = vapp_bgp_peer_inst(peer);
	return inst && vapp_inst_pools_of_group(inst, peer->group->name);
}

/*
 * Dynamic neighbors of a peer-group that had no pools when they connected
 * (a pool was added later, or bgpd ran without the module's configuration)
 * are admitted now as if they had just connected; those that would not
 * have been are disconnected. No session escapes the pools' rules.
 */
static void vapp_bgp_adopt(struct vapp_inst *inst)
{
	struct bgp *bgp = vapp_bgp_lookup(inst->vrf);
	struct vapp_pool *pool;
	int64_t now = vapp_bgp_now();

	if (!bgp)
		return;
	for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool)) {
		struct peer_group *group = vapp_bgp_pool_group(pool);
		struct listnode *node;
		struct peer *peer;

		if (!group)
			continue;
		for (ALL_LIST_ELEMENTS_RO(group->peer, node, peer)) {
			enum bgp_fsm_status status = peer->connection->status;
			struct vapp_app *app;
			struct ipaddr addr;

			if (!peer_dynamic_neighbor(peer) || vapp_bgp_peer_app(peer) ||
			    CHECK_FLAG(peer->flags, PEER_FLAG_DELETE) ||
			    (status != Active && status != Connect && status != OpenSent &&
			     status != OpenConfirm && status != Established) ||
			    !vapp_bgp_peer_addr(peer, &addr))
				continue;
			app = vapp_admit_connect(inst, group->name, &addr, peer, &vapp_bgp_facts,
						 now);
			if (app->state == VAPP_APP_CONNECTING &&
			    (status == OpenConfirm || status == Established))
				vapp_admit_open(app, peer->as, peer->remote_id, peer->local_id, now);
			if (app->state == VAPP_APP_REJECTED)
				vapp_bgp_kick(peer, BGP_NOTIFY_CEASE,
					      status == Established
						      ? BGP_NOTIFY_CEASE_ADMIN_RESET
						      : BGP_NOTIFY_CEASE_CONNECT_REJECT);
			else if (status == Established)
				vapp_app_established(app, true, now);
		}
	}
}

void vapp_bgp_reevaluate(struct vapp_inst *inst)
{
	vapp_inst_reevaluate(inst, &vapp_bgp_facts_reeval, vapp_bgp_disconnect, vapp_bgp_now());
	vapp_bgp_adopt(inst);
	vapp_bgp_policy_changed(inst);
}

static struct event *vapp_reeval_ev;

static void vapp_bgp_reevaluate_all(struct event *ev)
{
	struct vapp_inst *inst;

	for (inst = vapp_inst_first(&vapp_g); inst; inst = vapp_inst_next(&vapp_g, inst))
		vapp_bgp_reevaluate(inst);
}

void vapp_bgp_reevaluate_soon(void)
{
	/* coalesced: a scheduled run covers every change until it runs */
	event_add_event(bm->master, vapp_bgp_reevaluate_all, NULL, 0, &vapp_reeval_ev);
}

/* ---- decisions: log and notify ---------------------------------------------- */

static void vapp_bgp_on_decision(const struct vapp_decision *d, void *arg)
{
	const struct vapp_alog_entry *e = d->entry;
	const char *pool = e->pool[0] ? e->pool : "-";
	char more[64] = "", as[24] = "";

	if (d->suppressed)
		snprintf(more, sizeof(more), " (%u earlier decisions not logged)", d->suppressed);
	if (e->asn)
		snprintf(as, sizeof(as), ", AS %u", e->asn);

	if (e->verdict == VAPP_VERDICT_REJECTED || e->verdict == VAPP_VERDICT_DISCONNECTED)
		vapp_nb_notify_rejected(d->inst->vrf, e);
	if (!d->log)
		return;
	if (d->pool_held)
		zlog_notice("vappliance: pool %s (vrf %s): %u admission decisions not logged in the interval before this one (at most %d lines per pool per %d s)",
			    pool, d->inst->vrf, d->pool_held, VAPP_POOL_LOG_BURST,
			    VAPP_LOG_INTERVAL_MS / 1000);
	switch (e->verdict) {
	case VAPP_VERDICT_ADMITTED:
		zlog_info("vappliance: admitted %pIA to pool %s%s (vrf %s)%s", &e->addr, pool, as,
			  d->inst->vrf, more);
		break;
	case VAPP_VERDICT_REJECTED:
		if (e->reason == VAPP_REASON_ALREADY_PEERED)
			zlog_notice("vappliance: refused a second session of %pIA (pool %s%s, vrf %s) to another address of this router: alreadyPeered, its first session stays (further ones counted, not logged)",
				    &e->addr, pool, as, d->inst->vrf);
		else
			zlog_notice("vappliance: rejected %pIA (pool %s%s, vrf %s): %s%s", &e->addr,
				    pool, as, d->inst->vrf, vapp_reason_name(e->reason), more);
		break;
	case VAPP_VERDICT_DISCONNECTED:
		if (e->reason == VAPP_REASON_MOVED)
			break; /* vapp_bgp_takeover() says where it moved */
		zlog_notice("vappliance: disconnecting %pIA (pool %s, vrf %s) after a configuration change: %s%s",
			    &e->addr, pool, d->inst->vrf, vapp_reason_name(e->reason), more);
		break;
	case VAPP_VERDICT_QUARANTINED:
		zlog_warn("vappliance: source %pIA quarantined in pool %s (vrf %s) after repeated failures%s",
			  &e->addr, pool, d->inst->vrf, more);
		break;
	}
}

/* ---- bgpd hooks ---------------------------------------------------------------- */

/*
 * The local address of a connection just accepted is no longer one of this
 * router's: an anycast address withdrawn a moment ago, or one whose lease
 * lapsed while bgpd was stopped, the connection queued meanwhile. bgpd
 * would fail it in bgp_connect_success() (bgp_getsockname() ->
 * bgp_nexthop_set()), and that error path (NOTIFICATION with writes on,
 * then Idle) lets bgp_fsm_nht_update() start the neighbor with its writes
 * still on: bgp_start() asserts and bgpd aborts (seen with FRR 10.3 after
 * SIGSTOP/SIGCONT). Refused here instead: our event runs before the
 * TCP_connection_open event bgp_accept() queues right after this hook, and
 * deleting the neighbor cancels that.
 */
static bool vapp_bgp_local_gone(struct peer *peer)
{
	static int64_t last_log;
	union sockunion su;
	socklen_t len = sizeof(su);
	bool gone = false;

	memset(&su, 0, sizeof(su));
	if (peer->connection->fd < 0 || getsockname(peer->connection->fd, &su.sa, &len) < 0)
		return false;
	if (su.sa.sa_family == AF_INET)
		gone = !if_address_is_local(&su.sin.sin_addr, AF_INET, peer->bgp->vrf_id);
	else if (su.sa.sa_family == AF_INET6)
		gone = !IN6_IS_ADDR_V4MAPPED(&su.sin6.sin6_addr) &&
		       !if_address_is_local(&su.sin6.sin6_addr, AF_INET6, peer->bgp->vrf_id);
	if (gone && vapp_bgp_log_due(&last_log))
		zlog_notice("vappliance: refused %s: it connected to %pSU, no longer an address of this router (anycast withdrawn?)",
			    peer->host, &su);
	return gone;
}

/*
 * A second connection from a dynamic neighbor's address goes to a
 * doppelganger (PEER_STATUS_ACCEPT_PEER: no peer-group, no config node).
 * When the neighbor is stopped, bgpd deletes it (it is dynamic) and
 * peer_delete() only unlinks the doppelganger, which then runs its session
 * alone: FRR 10.3 lets it reach Established with the AS rule the neighbor
 * had and none of the peer-group's inbound policy, admission never asked.
 * True for such an orphan whose address lies in a listen range of a
 * peer-group that has pools.
 */
static bool vapp_bgp_pooled_orphan(struct peer *peer)
{
	struct peer_group *group;
	struct prefix p, *range;
	struct vapp_inst *inst;

	if (!CHECK_FLAG(peer->sflags, PEER_STATUS_ACCEPT_PEER) ||
	    CHECK_FLAG(peer->flags, PEER_FLAG_CONFIG_NODE) || peer->doppelganger ||
	    !sockunion2hostprefix(&peer->connection->su, &p))
		return false;
	group = peer_group_lookup_dynamic_neighbor(peer->bgp, &p, &range);
	inst = group ? vapp_bgp_peer_inst(peer) : NULL;
	return inst && vapp_inst_pools_of_group(inst, group->name);
}

bool vapp_bgp_log_due(int64_t *last)
{
	int64_t now = vapp_bgp_now();

	if (now - *last < VAPP_LOG_INTERVAL_MS)
		return false;
	*last = now;
	return true;
}

static void vapp_bgp_orphan_refused(struct peer *peer, const char *what)
{
	static int64_t last_log;
	static uint32_t suppressed;

	if (!vapp_bgp_log_due(&last_log)) {
		suppressed++;
		return;
	}
	zlog_notice("vappliance: refused %s: a second connection from a neighbor's address outlived the neighbor (%s)%s",
		    peer->host, what, suppressed ? " (and earlier ones not logged)" : "");
	suppressed = 0;
}

static void vapp_bgp_open_mismatch(struct peer *peer, const struct vapp_app *app)
{
	static int64_t last_log;

	if (!vapp_bgp_log_due(&last_log))
		return;
	zlog_warn("vappliance: %s: bgpd read AS %u, identifier %pI4 from its OPEN, the module admitted AS %u, identifier %pI4; refusing it",
		  peer->host, peer->as, &peer->remote_id, app->remote_as, &app->router_id);
}

static void vapp_bgp_gr_log(struct peer *peer, const struct vapp_app *app)
{
	static int64_t last_log;

	if (!vapp_bgp_log_due(&last_log))
		return;
	zlog_notice("vappliance: %s (pool %s): session down into graceful restart: bgpd keeps its routes (stale) for up to %u s; its next OPEN is decided as a new session's",
		    peer->host, app->pool ? app->pool->name : "-", peer->v_gr_restart);
}

static int vapp_bgp_status_changed(struct peer *peer)
{
	struct peer_connection *c = peer->connection;
	struct vapp_inst *inst;
	struct vapp_app *app;
	struct ipaddr addr;

	/* sessions of tracked peer-groups move anycast health; those leaving
	 * Established are found by peer (peer->group may be gone already) */
	if (c->status == Established || c->ostatus == Established)
		vapp_bgp_ac_peer_event(peer);
	/* a second connection from an appliance's address (it carries the
	 * neighbor's flags, dynamic included, not its group) */
	if (vapp_bgp_other_local(peer))
		return 0;
	if (!peer_dynamic_neighbor(peer)) {
		/* an orphan got past its OPEN while still linked: close it */
		if ((c->status == OpenConfirm || c->status == Established) &&
		    vapp_bgp_pooled_orphan(peer)) {
			vapp_bgp_orphan_refused(peer, "closed in OpenConfirm/Established");
			vapp_bgp_kick(peer, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);
		}
		return 0;
	}
	/*
	 * A pooled neighbor stops (refused, or its session ended): its
	 * doppelganger goes with it, as bgp_session_reset() does it, before
	 * peer_delete() can leave it behind as an orphan.
	 */
	if ((c->status == Idle || c->status == Clearing) && peer->doppelganger &&
	    !CHECK_FLAG(peer->doppelganger->flags, PEER_FLAG_CONFIG_NODE) &&
	    peer->doppelganger->connection->status != Deleted && vapp_bgp_peer_app(peer))
		vapp_bgp_kick(peer->doppelganger, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);

	/* bgp_accept() created a dynamic neighbor: its first status change */
	if (c->status == Active && c->ostatus == Idle) {
		inst = vapp_bgp_peer_inst(peer);
		if (!inst || !peer->group || !vapp_inst_pools_of_group(inst, peer->group->name) ||
		    !vapp_bgp_peer_addr(peer, &addr))
			return 0;
		if (vapp_bgp_local_gone(peer)) {
			vapp_bgp_kick(peer, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);
			return 0;
		}
		app = vapp_admit_connect(inst, peer->group->name, &addr, peer, &vapp_bgp_facts,
					 vapp_bgp_now());
		VAPP_DEBUG(admission, "%s (peer-group %s, vrf %s): connection, pool %s: %s%s%s",
			   peer->host, peer->group->name, inst->vrf,
			   app->pool ? app->pool->name : "-", vapp_app_state_name(app->state),
			   app->state == VAPP_APP_REJECTED ? ", " : "",
			   app->state == VAPP_APP_REJECTED ? vapp_reason_name(app->reason) : "");
		if (app->state == VAPP_APP_REJECTED)
			vapp_bgp_kick(peer, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);
		return 0;
	}

	app = vapp_bgp_peer_app(peer);
	if (!app)
		return 0;
	/*
	 * An OPEN the packet hook never saw: a second connection from the
	 * address of a neighbor that still exists goes to a doppelganger,
	 * which bgp_accept() does not make a dynamic neighbor; when it wins
	 * the collision its session moves to this peer (peer_xfer_conn()),
	 * which arrives at OpenConfirm still undecided. Decide here, from
	 * what bgpd read from that OPEN; until then its routes are invalid
	 * (not admitted), and a rejection closes the session from an event.
	 */
	if ((c->status == OpenConfirm || c->status == Established) &&
	    app->state == VAPP_APP_CONNECTING) {
		vapp_admit_open(app, peer->as, peer->remote_id, peer->local_id, vapp_bgp_now());
		if (app->state == VAPP_APP_REJECTED) {
			if (app->reason == VAPP_REASON_REMOTE_AS)
				vapp_bgp_kick(peer, BGP_NOTIFY_OPEN_ERR,
					      BGP_NOTIFY_OPEN_BAD_PEER_AS);
			else
				vapp_bgp_kick(peer, BGP_NOTIFY_CEASE,
					      BGP_NOTIFY_CEASE_CONNECT_REJECT);
			return 0;
		}
	}
	/*
	 * bgpd has read the OPEN (peer->as, peer->remote_id): the module must
	 * have admitted the same AS and identifier, or the two readers
	 * disagree on what the appliance sent and the module's checks were
	 * made on another OPEN than the session's. From here its routes are
	 * not admitted; the session is closed from an event.
	 */
	if ((c->status == OpenConfirm || c->status == Established) &&
	    vapp_admit_confirm(app, peer->as, peer->remote_id, vapp_bgp_now()) != VAPP_REASON_NONE) {
		vapp_bgp_open_mismatch(peer, app);
		vapp_bgp_kick(peer, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);
		return 0;
	}
	if (c->status == Deleted) {
		vapp_app_closed(app, vapp_bgp_now());
	} else if (c->ostatus == Established && c->status != Established &&
		   CHECK_FLAG(peer->sflags, PEER_STATUS_NSF_WAIT)) {
		/* bgp_stop() keeps a neighbor in graceful restart, its routes
		 * stale (peer_dynamic_neighbor_no_nsf()) */
		vapp_app_gr_wait(app, vapp_bgp_now());
		vapp_bgp_gr_log(peer, app);
	} else if (c->status == Established || c->ostatus == Established) {
		vapp_app_established(app, c->status == Established, vapp_bgp_now());
		if (c->status == Established)
			vapp_bgp_takeover_arm(peer, app);
	}
	return 0;
}

/*
 * bgp_accept() gives a second connection from the address of a neighbor
 * that still exists to a doppelganger (PEER_STATUS_ACCEPT_PEER) with the
 * neighbor's flags but not its group; it is no appliance of ours, yet it
 * may win the collision and take over the neighbor's session
 * (peer_xfer_conn() at Established). Its OPEN is decided as the
 * appliance's: refused, bgp_open_receive() answers Bad Peer AS (the
 * as_type trick) or our event closes it.
 */
static void vapp_bgp_second_open(struct peer *peer, struct stream *s, bgp_size_t size)
{
	struct peer *first = peer->doppelganger;
	enum vapp_reason reason;
	struct vapp_app *app;
	const uint8_t *body;
	struct in_addr rid;
	uint32_t asn;
	size_t len;

	if (!first && vapp_bgp_pooled_orphan(peer)) {
		/*
		 * Its neighbor is gone: refuse it before bgp_open_receive() can
		 * answer KEEPALIVE. The as_type trick is the refusal that takes
		 * effect within this OPEN (Bad Peer AS); the appliance connects
		 * again and is decided as a new neighbor.
		 */
		vapp_bgp_orphan_refused(peer, "refused its OPEN");
		peer->as_type = AS_UNSPECIFIED;
		return;
	}
	if (!CHECK_FLAG(peer->sflags, PEER_STATUS_ACCEPT_PEER) || !first ||
	    !peer_dynamic_neighbor(first) || !(app = vapp_bgp_peer_app(first)))
		return;
	body = STREAM_DATA(s) + stream_get_getp(s);
	len = MIN((size_t)STREAM_READABLE(s), size > BGP_HEADER_SIZE ? size - BGP_HEADER_SIZE : 0);
	if (!vapp_open_peek(body, len, &asn, &rid))
		return; /* malformed: bgp_open_receive() rejects it */
	reason = vapp_admit_second_open(app, asn, rid, peer->local_id, vapp_bgp_now());
	VAPP_DEBUG(admission, "%s: OPEN AS %u, identifier %pI4 on a second connection: %s",
		   peer->host, asn, &rid,
		   reason == VAPP_REASON_NONE ? "accepted" : vapp_reason_name(reason));
	if (reason == VAPP_REASON_NONE)
		return;
	if (reason == VAPP_REASON_REMOTE_AS)
		peer->as_type = AS_UNSPECIFIED;
	else
		vapp_bgp_kick(peer, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);
	/* an appliance rejected just now: its own connection goes too */
	if (app->state == VAPP_APP_REJECTED)
		vapp_bgp_kick(first, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);
}

static int vapp_bgp_packet(struct peer *peer, uint8_t type, bgp_size_t size, struct stream *s)
{
	struct vapp_app *app;
	const uint8_t *body;
	struct in_addr rid;
	size_t len;
	uint32_t asn;

	if (type != BGP_MSG_OPEN && type != BGP_MSG_NOTIFY && type != BGP_MSG_UPDATE)
		return 0;
	app = vapp_bgp_peer_app(peer);
	if (!app) {
		if (type == BGP_MSG_OPEN)
			vapp_bgp_second_open(peer, s, size);
		return 0;
	}
	/* s is peer->curr, its getp just past the 19-byte header */
	body = STREAM_DATA(s) + stream_get_getp(s);
	len = MIN((size_t)STREAM_READABLE(s), size > BGP_HEADER_SIZE ? size - BGP_HEADER_SIZE : 0);

	if (type == BGP_MSG_UPDATE) {
		/* the routes before it are in: a move takes over (make before
		 * break) */
		if (app->move_pending && peer_established(peer->connection) &&
		    vapp_update_is_eor(body, len))
			vapp_bgp_takeover(peer, app);
		vapp_bgp_routes_update(peer, app, body, len);
		return 0;
	}

	if (type == BGP_MSG_NOTIFY) {
		if (len >= 1)
			vapp_app_notify_received(app, body[0]);
		return 0;
	}
	if (!vapp_open_peek(body, len, &asn, &rid))
		return 0; /* malformed: bgp_open_receive() rejects it */
	vapp_admit_open(app, asn, rid, peer->local_id, vapp_bgp_now());
	VAPP_DEBUG(admission, "%s: OPEN AS %u, identifier %pI4: %s%s%s", peer->host, asn, &rid,
		   vapp_app_state_name(app->state), app->state == VAPP_APP_REJECTED ? ", " : "",
		   app->state == VAPP_APP_REJECTED ? vapp_reason_name(app->reason) : "");
	if (app->state != VAPP_APP_REJECTED)
		return 0;
	if (app->reason == VAPP_REASON_REMOTE_AS)
		/* bgp_open_receive(), called next: "remote AS is unspecified"
		 * -> OPEN Message Error / Bad Peer AS, BGP_Stop */
		peer->as_type = AS_UNSPECIFIED;
	else
		vapp_bgp_kick(peer, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);
	return 0;
}

/* Renders the instance's module configuration inside `router bgp`. */
static int vapp_bgp_config_write(struct bgp *bgp, struct vty *vty)
{
	vapp_config_write_inst(vty, vapp_bgp_vrf_name(bgp));
	return 0;
}

static int vapp_bgp_inst_delete(struct bgp *bgp)
{
	/* on shutdown the configuration stays; it is what gets saved */
	if (bm->terminating)
		return 0;
	vapp_nb_purge_instance(vapp_bgp_vrf_name(bgp));
	vapp_tracked_forget_bgp(bgp);
	return 0;
}

/* ---- periodic audit ------------------------------------------------------------ */

static struct event *vapp_audit_ev;

/* keeps each pool's copy of its peer-group's listen ranges (next-hop pool-range) */
static void vapp_bgp_sync_listen(struct vapp_pool *pool)
{
	struct peer_group *group = vapp_bgp_pool_group(pool);
	struct vapp_pfxset fresh;
	struct listnode *node;
	struct prefix *range;
	unsigned int same = 0;

	vapp_pfxset_init(&fresh);
	for (afi_t afi = AFI_IP; group && afi < AFI_MAX; afi++)
		for (ALL_LIST_ELEMENTS_RO(group->listen_range[afi], node, range)) {
			struct ipaddr a;

			vapp_pfxset_add(&fresh, range);
			/* present in the old set with the same length? */
			memset(&a, 0, sizeof(a));
			if (range->family == AF_INET) {
				SET_IPADDR_V4(&a);
				a.ipaddr_v4 = range->u.prefix4;
			} else {
				SET_IPADDR_V6(&a);
				a.ipaddr_v6 = range->u.prefix6;
			}
			if (vapp_pfxset_match(&pool->listen, &a) == range->prefixlen)
				same++;
		}
	if (same == fresh.count && fresh.count == pool->listen.count) {
		vapp_pfxset_fini(&fresh);
		return;
	}
	vapp_pfxset_fini(&pool->listen);
	pool->listen = fresh;
	if (pool->nh_mode == VAPP_NH_POOL_RANGE)
		pool->policy_gen++;
}

static void vapp_bgp_audit(struct event *ev)
{
	struct vapp_inst *inst;
	struct vapp_pool *pool;

	for (inst = vapp_inst_first(&vapp_g); inst; inst = vapp_inst_next(&vapp_g, inst)) {
		for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool))
			vapp_bgp_sync_listen(pool);
		vapp_bgp_reevaluate(inst);
	}
	event_add_timer_msec(bm->master, vapp_bgp_audit, NULL, VAPP_AUDIT_INTERVAL_MS,
			     &vapp_audit_ev);
}

void vapp_bgp_start(void)
{
	vapp_g.on_decision = vapp_bgp_on_decision;
	event_add_timer_msec(bm->master, vapp_bgp_audit, NULL, VAPP_AUDIT_INTERVAL_MS,
			     &vapp_audit_ev);
}

void vapp_bgp_init(void)
{
	vapp_bgp_session_init();
	vapp_bgp_moves_init();
	vapp_bgp_routes_init();
	vapp_tracked_init();
	hook_register(peer_status_changed, vapp_bgp_status_changed);
	hook_register(bgp_packet_dump, vapp_bgp_packet);
	hook_register(bgp_inst_config_write, vapp_bgp_config_write);
	hook_register(bgp_inst_delete, vapp_bgp_inst_delete);
}

void vapp_bgp_fini(void)
{
	event_cancel(&vapp_audit_ev);
	event_cancel(&vapp_reeval_ev);
	vapp_bgp_session_fini();
	vapp_bgp_moves_fini();
	vapp_tracked_fini();
	vapp_bgp_routes_fini();
	hook_unregister(peer_status_changed, vapp_bgp_status_changed);
	hook_unregister(bgp_packet_dump, vapp_bgp_packet);
	hook_unregister(bgp_inst_config_write, vapp_bgp_config_write);
	hook_unregister(bgp_inst_delete, vapp_bgp_inst_delete);
}
