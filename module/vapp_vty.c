// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance CLI. Configuration commands sit flat inside `router bgp ASN
 * [vrf NAME]` (vtysh cannot enter nodes a module defines) and go through the
 * northbound; show commands read the core and, through the glue, bgpd.
 */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "northbound_cli.h"
#include "vrf.h"
#include "vty.h"
#include "yang.h"

#include "bgpd/bgpd.h"

#include "vappliance.h"
#include "vapp_nb.h"
#include "vapp_vty.h"

#include "module/vapp_vty_clippy.c"

#define VAPP_STR "Virtual appliance route-server policy\n"
#define VAPP_POOL_STR                                                                              \
	"Appliance pool\n"                                                                         \
	"Pool name\n"

static const struct lyd_node *vapp_cli_candidate(struct vty *vty, const char *xpath)
{
	const struct lyd_node *root = vty->candidate_config->dnode;

	if (!root || !yang_dnode_exists(root, xpath))
		return NULL;
	return yang_dnode_get(root, xpath);
}

/* Clear messages for bad names before they reach the northbound. */
static bool vapp_cli_name_ok(struct vty *vty, const char *what, const char *name)
{
	const char *why = vapp_name_invalid(name);

	if (why)
		vty_out(vty, "%% invalid %s name \"%s\": %s\n", what, name, why);
	return why == NULL;
}

#define VAPP_PEER_GROUP_NAME_MAX 128 /* YANG typedef peer-group-name */

DEFPY_YANG(vapp_pool_peer_group, vapp_pool_peer_group_cmd,
	   "vappliance pool WORD$name peer-group WORD$pg",
	   VAPP_STR VAPP_POOL_STR
	   "Bind the pool to a peer-group of this BGP instance\n"
	   "Peer-group name\n")
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_name_ok(vty, "pool", name))
		return CMD_WARNING_CONFIG_FAILED;
	if (strlen(pg) > VAPP_PEER_GROUP_NAME_MAX) {
		vty_out(vty, "%% peer-group name is at most %d characters long\n",
			VAPP_PEER_GROUP_NAME_MAX);
		return CMD_WARNING_CONFIG_FAILED;
	}
	snprintf(xpath, sizeof(xpath), VAPP_XP_POOL_KEY, vapp_bgp_vrf_name(bgp), name);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	strlcat(xpath, "/peer-group", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, pg);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(no_vapp_pool, no_vapp_pool_cmd,
	   "no vappliance pool WORD$name [peer-group WORD$pg]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Peer-group the pool is bound to\n"
	   "Peer-group name\n")
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	const char *vrf = vapp_bgp_vrf_name(bgp);
	const struct lyd_node *dpool, *dinst, *child;
	char xpath[XPATH_MAXLEN];
	unsigned int others = 0;

	if (!vapp_cli_name_ok(vty, "pool", name))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(xpath, sizeof(xpath), VAPP_XP_POOL_KEY, vrf, name);
	dpool = vapp_cli_candidate(vty, xpath);
	if (!dpool) {
		vty_out(vty, "%% vappliance pool %s does not exist\n", name);
		return CMD_WARNING_CONFIG_FAILED;
	}
	if (pg && strcmp(pg, yang_dnode_get_string(dpool, "peer-group"))) {
		vty_out(vty, "%% vappliance pool %s is bound to peer-group %s, not %s\n", name,
			yang_dnode_get_string(dpool, "peer-group"), pg);
		return CMD_WARNING_CONFIG_FAILED;
	}

	/* the instance entry goes with its last child (keeps configs tidy) */
	dinst = lyd_parent(dpool);
	LY_LIST_FOR (lyd_child(dinst), child)
		if (child != dpool && !lysc_is_key(child->schema))
			others++;
	if (others == 0)
		snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY, vrf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return nb_cli_apply_changes(vty, NULL);
}

void vapp_cli_show_pool(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s peer-group %s\n", yang_dnode_get_string(dnode, "name"),
		yang_dnode_get_string(dnode, "peer-group"));
}

void vapp_config_write_inst(struct vty *vty, const char *vrf)
{
	const struct lyd_node *dnode;
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY, vrf);
	if (!running_config->dnode || !yang_dnode_exists(running_config->dnode, xpath))
		return;
	dnode = yang_dnode_get(running_config->dnode, xpath);
	nb_cli_show_dnode_cmds(vty, dnode, false);
}

DEFPY(show_vapp_pools, show_vapp_pools_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance pools [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR
      "Appliance pools and their live state\n" JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	const struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	const struct vapp_pool *pool;
	struct vapp_pool_live live;
	json_object *json = NULL, *jpools = NULL;

	if (uj) {
		json = json_object_new_object();
		jpools = json_object_new_object();
		json_object_string_add(json, "vrf", vrf);
		json_object_object_add(json, "pools", jpools);
	} else if (!inst || !vapp_pool_count(inst)) {
		vty_out(vty, "No vappliance pools in vrf %s\n", vrf);
		return CMD_SUCCESS;
	} else {
		vty_out(vty, "vappliance pools, vrf %s\n", vrf);
		vty_out(vty, "%-20s %-20s %-9s %8s\n", "Pool", "Peer-group", "PG-exists",
			"Sessions");
	}

	for (pool = inst ? vapp_pool_first(inst) : NULL; pool; pool = vapp_pool_next(inst, pool)) {
		vapp_bgp_pool_live(pool, &live);
		if (uj) {
			json_object *jp = json_object_new_object();

			json_object_string_add(jp, "peerGroup", pool->peer_group);
			json_object_boolean_add(jp, "peerGroupExists", live.peer_group_exists);
			json_object_int_add(jp, "sessions", live.sessions);
			json_object_object_add(jpools, pool->name, jp);
		} else {
			vty_out(vty, "%-20s %-20s %-9s %8u\n", pool->name, pool->peer_group,
				live.peer_group_exists ? "yes" : "no", live.sessions);
		}
	}
	if (uj)
		return vty_json(vty, json);
	return CMD_SUCCESS;
}

void vapp_vty_init(void)
{
	install_element(BGP_NODE, &vapp_pool_peer_group_cmd);
	install_element(BGP_NODE, &no_vapp_pool_cmd);
	install_element(VIEW_NODE, &show_vapp_pools_cmd);
}
