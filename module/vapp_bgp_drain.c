// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance glue: a hitless drain. While an anycast address is in its
 * drain's grace, the routes of the appliance sessions on it match `match
 * vappliance draining`, which the operator's outbound policy toward the
 * fabric turns into RFC 8326 graceful shutdown (GRACEFUL_SHUTDOWN
 * community, LOCAL_PREF 0): the fabric moves to the other route server's
 * copies while this one still has them. Only then do the Cease and the
 * address go (vapp_bgp_anycast.c). Undrain reverses it.
 */
#include <zebra.h>

#include "frrevent.h"
#include "sockunion.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_route.h"

#include "vappliance.h"

static struct event *vapp_drain_ev;
/*
 * Some anycast address is draining: the outbound route-map asks about
 * every route it advertises, and without a drain the answer is no
 * without a lookup. Recounted at each state change (a deleted address
 * may leave it set: then the lookup answers).
 */
static bool vapp_drain_any;

/* the appliance's session runs on an anycast address in its drain's grace */
static bool vapp_bgp_session_draining(struct peer *src)
{
	const union sockunion *su = src->connection->su_local;
	struct vapp_anycast *ac;
	struct vapp_inst *inst;
	struct prefix p;

	if (!su || !sockunion2hostprefix(su, &p))
		return false;
	inst = vapp_inst_find(&vapp_g, vapp_bgp_vrf_name(src->bgp));
	ac = inst ? vapp_anycast_find(inst, &p) : NULL;
	return ac && vapp_anycast_in_grace(ac);
}

/*
 * The route-map's object: for an outbound policy bgpd passes the peer the
 * route goes to and the one it came from (prep_for_rmap_apply()); inbound,
 * the peer it came from.
 */
bool vapp_bgp_path_draining(const struct bgp_path_info *path)
{
	struct peer *src;

	if (!vapp_drain_any)
		return false;
	src = CHECK_FLAG(path->peer->rmap_type, PEER_RMAP_TYPE_OUT) ? path->from : path->peer;
	return src && peer_dynamic_neighbor(src) && vapp_bgp_peer_app(src) &&
	       vapp_bgp_session_draining(src);
}

/*
 * Every Established static peer (the fabric) gets its routes again through
 * its outbound policy (soft out: no reset). Says so when none of them has
 * a policy that uses the clause: the drain is then not hitless.
 */
static void vapp_drain_refresh(struct event *ev)
{
	struct listnode *node, *pnode;
	unsigned int peers = 0, aware = 0;
	struct bgp *bgp;
	struct peer *peer;
	afi_t afi;
	safi_t safi;

	for (ALL_LIST_ELEMENTS_RO(bm->bgp, node, bgp))
		for (ALL_LIST_ELEMENTS_RO(bgp->peer, pnode, peer)) {
			bool uses = false;

			if (peer_dynamic_neighbor(peer) || !peer_established(peer->connection))
				continue;
			FOREACH_AFI_SAFI (afi, safi) {
				if (!peer->afc_nego[afi][safi])
					continue;
				uses |= vapp_rmap_uses_draining(
					ROUTE_MAP_OUT_NAME(&peer->filter[afi][safi]));
				peer_clear_soft(peer, afi, safi, BGP_CLEAR_SOFT_OUT);
			}
			peers++;
			aware += uses;
		}
	if (peers && !aware)
		zlog_warn("vappliance: a drain began or ended, but no outbound route-map of the %u Established static peers uses 'match vappliance draining': the fabric keeps this route server's routes until their sessions close (not hitless)",
			  peers);
}

void vapp_bgp_drain_changed(const struct vapp_anycast *ac, unsigned int old_state)
{
	struct vapp_inst *inst;
	struct vapp_anycast *a;

	/* into the grace, or out of it (undrain) */
	if ((old_state == VAPP_AC_DRAINING) == (ac->state == VAPP_AC_DRAINING))
		return;
	vapp_drain_any = false;
	for (inst = vapp_inst_first(&vapp_g); inst; inst = vapp_inst_next(&vapp_g, inst))
		for (a = vapp_anycast_first(inst); a; a = vapp_anycast_next(inst, a))
			vapp_drain_any |= a->state == VAPP_AC_DRAINING;
	event_add_event(bm->master, vapp_drain_refresh, NULL, 0, &vapp_drain_ev);
}

void vapp_bgp_drain_fini(void)
{
	event_cancel(&vapp_drain_ev);
}
