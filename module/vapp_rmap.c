// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance route-map clause `match vappliance (valid|invalid|draining)`:
 * its callback, command and running-config (vapp_enforce.c checks that
 * every pool's inbound policy uses it, vapp_bgp_routes.c decides the
 * verdict, vapp_bgp_drain.c what is draining).
 *
 * FRR 10.3 has no YANG extension point for route-map clauses of loadable
 * modules (match rpki works because its YANG and callbacks are compiled
 * into bgpd). So the clause is a classic command that adds the rule to the
 * committed route-map entry (route_map_add_match(), as `match rpki` does
 * through bgpd's northbound), and the running-config shows it by wrapping
 * the cli_show callback of the route-map entry node.
 */
#include <zebra.h>

#include "command.h"
#include "northbound.h"
#include "northbound_cli.h"
#include "routemap.h"
#include "vty.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_route.h"

#include "vappliance.h"
#include "vapp_errors.h"
#include "vapp_nb.h"

#define VAPP_RMAP_RULE	   "vappliance"
#define VAPP_XP_RMAP_ENTRY "/frr-route-map:lib/route-map/entry"

static const int vapp_rmap_valid = 1, vapp_rmap_invalid = 0, vapp_rmap_draining = 2;

static void *vapp_rmap_compile(const char *arg)
{
	if (!strcmp(arg, "valid"))
		return (void *)&vapp_rmap_valid;
	if (!strcmp(arg, "invalid"))
		return (void *)&vapp_rmap_invalid;
	if (!strcmp(arg, "draining"))
		return (void *)&vapp_rmap_draining;
	return NULL;
}

static void vapp_rmap_free(void *rule)
{
	/* compiled rules point to static values */
}

/*
 * The verdict of a route of a dynamic neighbor. One that no pool governs
 * (its peer-group has none, or it is not tracked yet) is never valid;
 * static neighbors match neither (the clause is about appliances).
 */
static enum route_map_cmd_result_t vapp_rmap_match(void *rule, const struct prefix *prefix,
						   void *object)
{
	const struct bgp_path_info *path = object;
	struct peer *peer = path->peer;
	enum vapp_pverdict v;
	struct vapp_app *app;

	if (!peer || !path->attr)
		return RMAP_NOMATCH;
	if (rule == &vapp_rmap_draining)
		return vapp_bgp_path_draining(path) ? RMAP_MATCH : RMAP_NOMATCH;
	if (!peer_dynamic_neighbor(peer))
		return RMAP_NOMATCH;
	app = vapp_bgp_peer_app(peer);
	if (!app)
		v = VAPP_P_NOT_ADMITTED;
	else if (CHECK_FLAG(peer->rmap_type, PEER_RMAP_TYPE_IN))
		v = vapp_bgp_route_in(peer, app, prefix, path);
	else
		v = vapp_bgp_route_peek(peer, app, prefix, path);
	if (v == VAPP_P_MAX)
		return RMAP_NOMATCH; /* the module cannot vouch either way */
	if ((v == VAPP_P_ACCEPTED) == (*(const int *)rule == vapp_rmap_valid))
		return RMAP_MATCH;
	return RMAP_NOMATCH;
}

static const struct route_map_rule_cmd vapp_rmap_match_cmd = {
	VAPP_RMAP_RULE,
	vapp_rmap_match,
	vapp_rmap_compile,
	vapp_rmap_free,
};

bool vapp_rmap_rule_is_invalid(const struct route_map_rule *r)
{
	return r->cmd == &vapp_rmap_match_cmd && r->value == &vapp_rmap_invalid;
}

bool vapp_rmap_uses_draining(const char *name)
{
	struct route_map *map = name ? route_map_lookup_by_name(name) : NULL;
	struct route_map_index *index;
	struct route_map_rule *r;

	for (index = map ? map->head : NULL; index; index = index->next)
		for (r = index->match_list.head; r; r = r->next)
			if (r->cmd == &vapp_rmap_match_cmd && r->value == &vapp_rmap_draining)
				return true;
	return false;
}

/* ---- CLI --------------------------------------------------------------------------- */

#include "module/vapp_rmap_clippy.c"

/*
 * A classic (non-YANG) command: cmd_execute() commits pending northbound
 * changes first, so the route-map entry this node stands in exists in
 * running, also while the configuration file is read.
 */
DEFPY(vapp_match, vapp_match_cmd, "[no] match vappliance <valid|invalid|draining>$what",
      NO_STR MATCH_STR "vappliance appliance prefix policy\n"
      "Routes the appliance's pool allows\n"
      "Routes it does not (deny these first)\n"
      "Routes of appliance sessions on an anycast address in its drain's grace (outbound to the fabric)\n")
{
	struct route_map_index *index = nb_running_get_entry(NULL, VTY_CURR_XPATH, false);
	enum rmap_compile_rets ret;

	if (!index) {
		vty_out(vty, "%% route-map entry not found\n");
		return CMD_WARNING_CONFIG_FAILED;
	}
	if (no)
		ret = route_map_delete_match(index, VAPP_RMAP_RULE, what, RMAP_EVENT_MATCH_DELETED);
	else
		ret = route_map_add_match(index, VAPP_RMAP_RULE, what, RMAP_EVENT_MATCH_ADDED);
	switch (ret) {
	case RMAP_COMPILE_SUCCESS:
		return CMD_SUCCESS;
	case RMAP_RULE_MISSING:
		vty_out(vty, "%% match vappliance %s is not configured here\n", what);
		return CMD_WARNING_CONFIG_FAILED;
	case RMAP_COMPILE_ERROR:
		break;
	}
	vty_out(vty, "%% cannot %s match vappliance %s\n", no ? "remove" : "add", what);
	return CMD_WARNING_CONFIG_FAILED;
}

/* ---- running-config: wrap the route-map entry's cli_show ---------------------------- */

static void (*vapp_entry_show_orig)(struct vty *vty, const struct lyd_node *dnode,
				    bool show_defaults);

/*
 * Prints the entry header through FRR's own callback, then our clause:
 * it renders inside its route-map block, before the northbound's own
 * match and set lines. The running entry of this node is the
 * struct route_map_index (not a routemap_hook_context).
 */
static void vapp_entry_show(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	struct route_map_index *index = nb_running_get_entry(dnode, NULL, false);
	struct route_map_rule *r;

	vapp_entry_show_orig(vty, dnode, show_defaults);
	if (!index)
		return;
	for (r = index->match_list.head; r; r = r->next)
		if (r->cmd == &vapp_rmap_match_cmd)
			vty_out(vty, " match vappliance %s\n", r->rule_str);
}

void vapp_rmap_init(void)
{
	struct nb_node *nn;

	route_map_install_match(&vapp_rmap_match_cmd);
	nn = nb_node_find(VAPP_XP_RMAP_ENTRY);
	if (!nn || !nn->cbs.cli_show) {
		/* a clause that running-config cannot show would be lost on the
		 * next write: refuse it; pools then stay policyNotEnforced */
		flog_err(EC_VAPP_RMAP_HOOK,
			 "vappliance: route-map entry node not found, match vappliance unavailable");
		return;
	}
	vapp_entry_show_orig = nn->cbs.cli_show;
	nn->cbs.cli_show = vapp_entry_show;
	install_element(RMAP_NODE, &vapp_match_cmd);
}

void vapp_rmap_fini(void)
{
	struct nb_node *nn = nb_node_find(VAPP_XP_RMAP_ENTRY);

	if (nn && vapp_entry_show_orig)
		nn->cbs.cli_show = vapp_entry_show_orig;
	vapp_entry_show_orig = NULL;
}
