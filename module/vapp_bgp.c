// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance glue to bgpd: the only part of the module that knows struct
 * bgp, struct peer and bgpd's hooks. It feeds bgpd events to the core and
 * reads bgpd state for the northbound and the show commands.
 */
#include <zebra.h>

#include "hook.h"
#include "vty.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_fsm.h"

#include "vappliance.h"
#include "vapp_nb.h"
#include "vapp_vty.h"

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

void vapp_bgp_pool_live(const struct vapp_pool *pool, struct vapp_pool_live *live)
{
	struct peer_group *group = NULL;
	struct listnode *node;
	struct peer *peer;
	struct bgp *bgp;

	memset(live, 0, sizeof(*live));
	bgp = pool->inst ? vapp_bgp_lookup(pool->inst->vrf) : NULL;
	if (!bgp)
		return;
	live->bgp_exists = true;
	if (pool->peer_group)
		group = peer_group_lookup(bgp, pool->peer_group);
	if (!group)
		return;
	live->peer_group_exists = true;
	for (ALL_LIST_ELEMENTS_RO(group->peer, node, peer)) {
		if (!peer_dynamic_neighbor(peer))
			continue;
		live->dyn_members++;
		if (peer_established(peer->connection))
			live->sessions++;
	}
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
	return 0;
}

void vapp_bgp_init(void)
{
	hook_register(bgp_inst_config_write, vapp_bgp_config_write);
	hook_register(bgp_inst_delete, vapp_bgp_inst_delete);
}

void vapp_bgp_fini(void)
{
	hook_unregister(bgp_inst_config_write, vapp_bgp_config_write);
	hook_unregister(bgp_inst_delete, vapp_bgp_inst_delete);
}
