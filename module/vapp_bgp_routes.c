// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance glue: which path of which appliance the inbound route-map is
 * asked about, and the accounting of the appliance's paths from bgpd's own
 * events.
 *
 * bgpd's route-map callback gets a struct bgp_path_info that is a stack
 * temporary of bgp_input_modifier() (its address repeats from call to call
 * and from peer to peer), with the peer, the attributes and the RIB node
 * (dest), but no ADD-PATH identifier and no SAFI. So:
 * - the SAFI is labeled-unicast when the peer negotiated it for the AFI
 *   (FRR 10.3 refuses unicast and labeled-unicast on one peer, and bgpd
 *   keeps labeled-unicast routes in the unicast RIB);
 * - the path identifier is 0 without ADD-PATH; with it, bgpd is either
 *   processing an UPDATE of this peer (peer->curr is set), and the path is
 *   the first one of that message with this prefix not yet decided, or it
 *   re-runs the Adj-RIB-In (soft reconfiguration), and the path is the
 *   peer's Adj-RIB-In entry at dest whose attributes these are;
 * - one bgp_update() asks once per route-map entry with the clause (deny
 *   invalid, then permit valid): the decision is kept for (peer, dest,
 *   prefix) until bgpd's bgp_process hook, which bgp_update() fires after
 *   the route-map on every path (accepted, implicit withdraw, filtered).
 *   That hook is also where a path bgpd dropped before the route-map
 *   (treat-as-withdraw, an earlier filter) is forgotten; its second call
 *   for a filtered path that replaced an older one (bgp_rib_remove())
 *   is not such a drop.
 * Shows and recounts (show ... received-routes/filtered-routes,
 * maximum-prefix force) run the inbound route-map with no dest: they read
 * verdicts and never record one.
 */
#include <zebra.h>

#include "darr.h"
#include "hook.h"
#include "routemap.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_advertise.h"
#include "bgpd/bgp_attr.h"
#include "bgpd/bgp_packet.h"
#include "bgpd/bgp_route.h"
#include "bgpd/bgp_table.h"

#include "vappliance.h"
#include "vapp_debug.h"

/* The paths of the UPDATE bgpd is processing (ADD-PATH appliances only). */
struct vapp_upath {
	struct vapp_rkey k;
	bool withdrawn, decided;
};
static struct {
	const struct peer *peer;
	struct vapp_upath *paths; /* darr */
} vapp_upd;

/*
 * The (peer, dest) whose decision the last hook call ended: a filtered
 * path that replaced an older one fires the hook again from
 * bgp_rib_remove(), which is no news.
 */
static struct {
	const struct peer *peer;
	const struct bgp_dest *dest;
} vapp_done;

/* The path one bgp_update() call is deciding, and its verdict. */
static struct {
	const struct peer *peer; /* NULL: none */
	const struct bgp_dest *dest;
	struct vapp_rkey k;
	int upath; /* index in vapp_upd.paths, or -1 */
	enum vapp_pverdict v;
} vapp_cur;

static safi_t vapp_routes_safi(const struct peer *peer, afi_t afi)
{
	return peer->afc_nego[afi][SAFI_LABELED_UNICAST] ? SAFI_LABELED_UNICAST : SAFI_UNICAST;
}

static void vapp_routes_nexthop(const struct attr *attr, const struct prefix *p, struct ipaddr *nh)
{
	memset(nh, 0, sizeof(*nh));
	if (p->family == AF_INET && CHECK_FLAG(attr->flag, ATTR_FLAG_BIT(BGP_ATTR_NEXT_HOP))) {
		SET_IPADDR_V4(nh);
		nh->ipaddr_v4 = attr->nexthop;
	} else if (attr->mp_nexthop_len == BGP_ATTR_NHLEN_IPV4) {
		SET_IPADDR_V4(nh);
		nh->ipaddr_v4 = attr->mp_nexthop_global_in;
	} else {
		/* IPv6 (or RFC 8950) next hop: the global one */
		SET_IPADDR_V6(nh);
		nh->ipaddr_v6 = attr->mp_nexthop_global;
	}
}

/* ---- the UPDATE being processed ----------------------------------------------- */

static void vapp_routes_upath(const struct vapp_rkey *k, bool withdrawn, void *arg)
{
	struct vapp_app *app = arg;
	struct vapp_upath *u;

	/* withdrawals never reach the route-map: applied now */
	if (withdrawn)
		vapp_policy_withdraw(app, k);
	if (!vapp_upd.peer)
		return;
	u = darr_append(vapp_upd.paths);
	u->k = *k;
	u->withdrawn = withdrawn;
	u->decided = false;
}

void vapp_bgp_routes_update(struct peer *peer, struct vapp_app *app, const uint8_t *body, size_t len)
{
	bool addpath[2][2];
	bool any = false;

	for (int a = 0; a < 2; a++)
		for (int s = 0; s < 2; s++) {
			addpath[a][s] = bgp_addpath_encode_rx(peer, a ? AFI_IP6 : AFI_IP,
							      s ? SAFI_LABELED_UNICAST
								: SAFI_UNICAST);
			any |= addpath[a][s];
		}
	darr_reset(vapp_upd.paths);
	vapp_upd.peer = any ? peer : NULL;
	vapp_cur.peer = NULL;
	vapp_done.peer = NULL;
	vapp_update_paths(body, len, addpath, vapp_routes_upath, app);
	vapp_bgp_limit_warning(app);
	vapp_bgp_limit_room(app);
}

/* The first path of the current UPDATE with @k's prefix and SAFI not yet decided. */
static int vapp_routes_upd_find(const struct peer *peer, const struct vapp_rkey *k)
{
	uint i;

	if (vapp_upd.peer != peer || !peer->curr)
		return -1;
	darr_foreach_i (vapp_upd.paths, i) {
		const struct vapp_upath *u = &vapp_upd.paths[i];

		if (!u->decided && u->k.safi == k->safi && prefix_same(&u->k.p, &k->p))
			return (int)i;
	}
	return -1;
}

/*
 * Soft reconfiguration re-runs bgp_update() on each Adj-RIB-In entry with a
 * shallow copy of its (interned) attributes, the weight set by
 * bgp_input_modifier(): the entries of @peer whose attributes compare equal
 * to @attr are the candidates (identical paths under several identifiers
 * are all of them). Returns how many, the identifiers in @ids.
 */
#define VAPP_SOFT_IDS 16
static int vapp_routes_soft_ids(const struct peer *peer, const struct bgp_dest *dest,
				const struct attr *attr, uint32_t *ids)
{
	const struct bgp_adj_in *ain;
	struct attr tmp;
	int n = 0;

	for (ain = dest->adj_in; ain; ain = ain->next) {
		if (ain->peer != peer)
			continue;
		tmp = *attr;
		tmp.weight = ain->attr->weight;
		if (!attrhash_cmp(&tmp, ain->attr))
			continue;
		if (n < VAPP_SOFT_IDS)
			ids[n] = ain->addpath_rx_id;
		n++;
	}
	return n;
}

/* ---- the inbound verdict ------------------------------------------------------------ */

/* What was decided for @k (or would be, when nothing was): reads only. */
static enum vapp_pverdict vapp_routes_peek(struct vapp_app *app, const struct vapp_rkey *k,
					   const struct ipaddr *nh)
{
	enum vapp_pverdict v = vapp_policy_lookup(app, k);

	return v != VAPP_P_MAX ? v : vapp_policy_eval(app, &k->p, nh, false);
}

/* Outside the inbound policy (outbound maps, other callers): read only. */
enum vapp_pverdict vapp_bgp_route_peek(struct peer *peer, struct vapp_app *app,
				       const struct prefix *p, const struct bgp_path_info *path)
{
	struct vapp_rkey k = { .safi = vapp_routes_safi(peer, family2afi(p->family)) };
	struct ipaddr nh;

	prefix_copy(&k.p, p);
	vapp_routes_nexthop(path->attr, p, &nh);
	return vapp_routes_peek(app, &k, &nh);
}

enum vapp_pverdict vapp_bgp_route_in(struct peer *peer, struct vapp_app *app,
				     const struct prefix *p, const struct bgp_path_info *path)
{
	const struct bgp_dest *dest = path->net;
	afi_t afi = family2afi(p->family);
	struct vapp_rkey k;
	uint32_t ids[VAPP_SOFT_IDS];
	enum vapp_pverdict v;
	struct ipaddr nh;
	int upath = -1, n;

	if (afi != AFI_IP && afi != AFI_IP6)
		return VAPP_P_OUTSIDE_RANGE;
	/* the next route-map entry asking about the path being decided */
	if (vapp_cur.peer == peer && vapp_cur.dest == dest && prefix_same(&vapp_cur.k.p, p))
		return vapp_cur.v;
	memset(&k, 0, sizeof(k));
	k.safi = vapp_routes_safi(peer, afi);
	/*
	 * The inbound map being applied must still enforce the pool's policy
	 * (its first entry was edited, or the map replaced, since the last
	 * check): until the audit acts, no entry of it may rely on this
	 * clause, so the route matches neither valid nor invalid.
	 */
	if (!vapp_enforce_map(ROUTE_MAP_IN(&peer->filter[afi][k.safi])))
		return VAPP_P_MAX;
	prefix_copy(&k.p, p);
	vapp_routes_nexthop(path->attr, p, &nh);
	if (!dest) /* a show or a recount: what was decided (or would be) */
		return vapp_routes_peek(app, &k, &nh);

	if (!bgp_addpath_encode_rx(peer, afi, k.safi)) {
		v = vapp_policy_announce(app, &k, &nh);
	} else if ((upath = vapp_routes_upd_find(peer, &k)) >= 0) {
		k.path_id = vapp_upd.paths[upath].k.path_id;
		v = vapp_policy_announce(app, &k, &nh);
	} else if ((n = vapp_routes_soft_ids(peer, dest, path->attr, ids)) > 0) {
		/*
		 * Identical paths cannot be told apart: each is recorded, and
		 * this one passes only when all of them do, so that bgpd never
		 * holds more of them than the module counts.
		 */
		v = VAPP_P_ACCEPTED;
		for (int i = 0; i < MIN(n, VAPP_SOFT_IDS); i++) {
			enum vapp_pverdict vi;

			k.path_id = ids[i];
			vi = vapp_policy_announce(app, &k, &nh);
			if (vi != VAPP_P_ACCEPTED && v == VAPP_P_ACCEPTED)
				v = vi;
		}
		if (n > VAPP_SOFT_IDS)
			v = VAPP_P_OVER_LIMIT;
	} else {
		/* no path of this peer has these attributes: cannot vouch */
		return VAPP_P_MAX;
	}
	vapp_bgp_route_verdict(app, p, v);
	VAPP_DEBUG(policy, "%s %s %pFX path %u next hop %pIA: %s", peer->host,
		   k.safi == SAFI_LABELED_UNICAST ? "labeled-unicast" : "unicast", p, k.path_id,
		   &nh, vapp_pverdict_name(v));
	vapp_done.peer = NULL;
	vapp_cur.peer = peer;
	vapp_cur.dest = dest;
	vapp_cur.k = k;
	vapp_cur.upath = upath;
	vapp_cur.v = v;
	return v;
}

/* ---- bgpd's bgp_process hook: bgp_update()/bgp_withdraw() decided a path -------- */

static void vapp_routes_unchecked(struct peer *peer, struct vapp_app *app, const struct prefix *p)
{
	static int64_t last_log;

	if (app->state != VAPP_APP_ADMITTED || app->unchecked)
		return;
	app->unchecked = true; /* one disconnect per session */
	if (vapp_bgp_log_due(&last_log))
		zlog_warn("vappliance: %pIA (pool %s, vrf %s): %pFX was accepted without match vappliance (no inbound route-map?); disconnecting it",
			  &app->addr, app->pool ? app->pool->name : "-", app->inst->vrf, p);
	vapp_bgp_kick_msg(peer, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_ADMIN_RESET,
			  "vappliance: policyNotEnforced");
}

static int vapp_routes_processed(struct bgp *bgp, afi_t afi, safi_t safi, struct bgp_dest *dest,
				 struct peer *peer, bool withdraw)
{
	struct vapp_rkey k;
	struct vapp_app *app;
	int upath;

	if (vapp_cur.peer == peer) {
		/* the route-map decided it: that path of the UPDATE is done */
		if (vapp_cur.upath >= 0 && vapp_upd.peer == peer &&
		    (uint)vapp_cur.upath < darr_len(vapp_upd.paths))
			vapp_upd.paths[vapp_cur.upath].decided = true;
		vapp_cur.peer = NULL;
		vapp_done.peer = peer;
		vapp_done.dest = dest;
		return 0;
	}
	if (vapp_done.peer == peer && vapp_done.dest == dest) {
		/* bgp_update() -> filtered -> bgp_rib_remove() of the old path */
		vapp_done.peer = NULL;
		return 0;
	}
	vapp_done.peer = NULL;
	if (!peer_dynamic_neighbor(peer) || !(app = vapp_bgp_peer_app(peer)))
		return 0;
	if (!withdraw) {
		/*
		 * bgp_update() added a path of an appliance that the route-map
		 * never asked about: its peer-group has no inbound route-map
		 * (removed, or never set with no bgp ebgp-requires-policy).
		 * The path is in; the session goes now, not at the next audit.
		 */
		vapp_routes_unchecked(peer, app, bgp_dest_get_prefix(dest));
		return 0;
	}
	/*
	 * bgpd dropped or withdrew a path the route-map never saw: a
	 * withdrawal (already applied), treat-as-withdraw (RFC 7606) or an
	 * earlier filter (prefix-list, as-path loop, martian next hop).
	 */
	memset(&k, 0, sizeof(k));
	prefix_copy(&k.p, bgp_dest_get_prefix(dest));
	k.safi = vapp_routes_safi(peer, afi);
	if (bgp_addpath_encode_rx(peer, afi, k.safi)) {
		upath = vapp_routes_upd_find(peer, &k);
		if (upath < 0)
			return 0; /* not from an UPDATE: cannot tell the path */
		vapp_upd.paths[upath].decided = true;
		if (vapp_upd.paths[upath].withdrawn)
			return 0;
		k.path_id = vapp_upd.paths[upath].k.path_id;
	}
	vapp_policy_withdraw(app, &k);
	vapp_bgp_limit_warning(app);
	vapp_bgp_limit_room(app);
	return 0;
}

void vapp_bgp_routes_init(void)
{
	hook_register(bgp_process, vapp_routes_processed);
}

void vapp_bgp_routes_fini(void)
{
	hook_unregister(bgp_process, vapp_routes_processed);
	darr_free(vapp_upd.paths);
	vapp_upd.peer = NULL;
	vapp_cur.peer = NULL;
}
