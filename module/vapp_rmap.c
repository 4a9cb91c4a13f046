// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance route-map clause `match vappliance (valid|invalid)` and the
 * check that every pool's inbound policy enforces it.
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
#include "bgpd/bgp_attr.h"
#include "bgpd/bgp_route.h"

#include "vappliance.h"
#include "vapp_nb.h"

#define VAPP_RMAP_RULE	   "vappliance"
#define VAPP_XP_RMAP_ENTRY "/frr-route-map:lib/route-map/entry"

static const int vapp_rmap_valid = 1, vapp_rmap_invalid = 0;

static void *vapp_rmap_compile(const char *arg)
{
	if (!strcmp(arg, "valid"))
		return (void *)&vapp_rmap_valid;
	if (!strcmp(arg, "invalid"))
		return (void *)&vapp_rmap_invalid;
	return NULL;
}

static void vapp_rmap_free(void *rule)
{
	/* compiled rules point to static values */
}

/*
 * One evaluation serves the route-map's entries that ask about the same
 * route in one apply (typically `deny ... invalid` then `permit ... valid`):
 * the verdict is reused while nothing else was evaluated in between.
 */
static struct {
	const void *path, *attr;
	struct prefix p;
	uint64_t seq;
	enum vapp_pverdict v;
} vapp_rmap_last;
static uint64_t vapp_rmap_seq;

static void vapp_bgp_route_nexthop(const struct attr *attr, const struct prefix *p,
				   struct ipaddr *nh)
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

static enum route_map_cmd_result_t vapp_rmap_match(void *rule, const struct prefix *prefix,
						   void *object)
{
	const struct bgp_path_info *path = object;
	struct peer *peer = path->peer;
	enum vapp_pverdict v;
	struct vapp_app *app;
	struct ipaddr nh;
	bool inbound;

	if (!peer || !peer_dynamic_neighbor(peer) || !path->attr)
		return RMAP_NOMATCH;
	inbound = CHECK_FLAG(peer->rmap_type, PEER_RMAP_TYPE_IN);
	if (inbound && vapp_rmap_last.seq == vapp_rmap_seq && vapp_rmap_last.path == path &&
	    vapp_rmap_last.attr == path->attr && prefix_same(&vapp_rmap_last.p, prefix)) {
		v = vapp_rmap_last.v;
		goto verdict;
	}

	app = vapp_bgp_peer_app(peer);
	if (!app) {
		/* peers in no pool match neither; untracked ones of a pooled
		 * peer-group (adopted at the next audit) are not admitted */
		if (!vapp_bgp_peer_pooled(peer))
			return RMAP_NOMATCH;
		v = VAPP_P_NOT_ADMITTED;
	} else {
		vapp_bgp_route_nexthop(path->attr, prefix, &nh);
		if (inbound) {
			/* bgp_input_modifier(): record the appliance's route */
			v = vapp_policy_announce(app, prefix, &nh);
			vapp_bgp_route_verdict(app, prefix, v);
		} else {
			/* outbound or show: what the inbound policy decided */
			v = vapp_policy_lookup(app, prefix);
			if (v == VAPP_P_MAX)
				v = vapp_policy_eval(app, prefix, &nh, false);
		}
	}
	if (inbound) {
		vapp_rmap_last.path = path;
		vapp_rmap_last.attr = path->attr;
		prefix_copy(&vapp_rmap_last.p, prefix);
		vapp_rmap_last.seq = ++vapp_rmap_seq;
		vapp_rmap_last.v = v;
	}
verdict:
	if ((v == VAPP_P_ACCEPTED) == (*(const int *)rule == vapp_rmap_valid))
		return RMAP_MATCH;
	return RMAP_NOMATCH;
}

void vapp_rmap_invalidate(void)
{
	vapp_rmap_seq++;
}

static const struct route_map_rule_cmd vapp_rmap_match_cmd = {
	VAPP_RMAP_RULE,
	vapp_rmap_match,
	vapp_rmap_compile,
	vapp_rmap_free,
};

/* ---- CLI --------------------------------------------------------------------------- */

#include "module/vapp_rmap_clippy.c"

/*
 * A classic (non-YANG) command: cmd_execute() commits pending northbound
 * changes first, so the route-map entry this node stands in exists in
 * running, also while the configuration file is read.
 */
DEFPY(vapp_match, vapp_match_cmd, "[no] match vappliance <valid|invalid>$what",
      NO_STR MATCH_STR "vappliance appliance prefix policy\n"
      "Routes the appliance's pool allows\n"
      "Routes it does not (deny these first)\n")
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

/* ---- enforcement ------------------------------------------------------------------------ */

/*
 * The minimum rule: the inbound route-map's lowest-sequence entry is `deny`
 * and its only match is `vappliance invalid`. Anything an earlier filter
 * (prefix-list, filter-list, distribute-list) does can only deny more.
 */
static const char *vapp_rmap_enforces(const char *name)
{
	struct route_map *map;
	struct route_map_index *first;
	struct route_map_rule *r;

	if (!name)
		return "no inbound route-map";
	map = route_map_lookup_by_name(name);
	if (!map)
		return "its inbound route-map does not exist";
	first = map->head;
	if (!first)
		return "its inbound route-map has no entries";
	if (first->type != RMAP_DENY)
		return "the inbound route-map's first entry is not deny";
	r = first->match_list.head;
	if (!r || r->next || r->cmd != &vapp_rmap_match_cmd || r->value != &vapp_rmap_invalid)
		return "the inbound route-map's first entry does not match only vappliance invalid";
	return NULL;
}

static const struct {
	afi_t afi;
	safi_t safi;
	const char *name; /* JSON key */
	const char *yang; /* YANG enum */
	const char *cli;  /* address-family line */
} vapp_afs[] = {
	{ AFI_IP, SAFI_UNICAST, "ipv4Unicast", "ipv4-unicast", "ipv4 unicast" },
	{ AFI_IP6, SAFI_UNICAST, "ipv6Unicast", "ipv6-unicast", "ipv6 unicast" },
};

int vapp_rmap_check(const struct vapp_pool *pool, struct vapp_af_policy *out, int max)
{
	struct peer_group *group = vapp_bgp_pool_group(pool);
	int n = 0;

	if (!group)
		return 0;
	for (size_t i = 0; i < array_size(vapp_afs) && n < max; i++) {
		struct bgp_filter *f;

		if (!group->conf->afc[vapp_afs[i].afi][vapp_afs[i].safi])
			continue;
		f = &group->conf->filter[vapp_afs[i].afi][vapp_afs[i].safi];
		out[n].af = vapp_afs[i].name;
		out[n].af_yang = vapp_afs[i].yang;
		out[n].af_cli = vapp_afs[i].cli;
		out[n].route_map = f->map[RMAP_IN].name;
		out[n].problem = vapp_rmap_enforces(f->map[RMAP_IN].name);
		n++;
	}
	return n;
}

bool vapp_rmap_pool_enforced(const struct vapp_pool *pool)
{
	struct vapp_af_policy afs[4];
	int n = vapp_rmap_check(pool, afs, array_size(afs));

	for (int i = 0; i < n; i++)
		if (afs[i].problem)
			return false;
	return true;
}

/* The configuration that would make @af enforce the pool's policy. */
void vapp_rmap_fix_lines(const struct vapp_pool *pool, const struct vapp_af_policy *af,
			 void (*line)(const char *s, void *arg), void *arg)
{
	struct route_map *map = af->route_map ? route_map_lookup_by_name(af->route_map) : NULL;
	char buf[256];
	int seq = 1;

	if (map && map->head && map->head->pref > 1)
		seq = map->head->pref - 1;
	if (!af->route_map) {
		snprintf(buf, sizeof(buf), "route-map VAPP-%s-IN deny 1", pool->peer_group);
		line(buf, arg);
		line(" match vappliance invalid", arg);
		snprintf(buf, sizeof(buf), "route-map VAPP-%s-IN permit 100", pool->peer_group);
		line(buf, arg);
		snprintf(buf, sizeof(buf), "router bgp (this instance) / address-family %s",
			 af->af_cli);
		line(buf, arg);
		snprintf(buf, sizeof(buf), " neighbor %s route-map VAPP-%s-IN in", pool->peer_group,
			 pool->peer_group);
		line(buf, arg);
		return;
	}
	if (map && map->head && map->head->pref <= 1) {
		snprintf(buf, sizeof(buf),
			 "(renumber route-map %s so that sequence 1 is free, then:)", af->route_map);
		line(buf, arg);
	}
	snprintf(buf, sizeof(buf), "route-map %s deny %d", af->route_map, seq);
	line(buf, arg);
	line(" match vappliance invalid", arg);
}

void vapp_rmap_init(void)
{
	struct nb_node *nn;

	route_map_install_match(&vapp_rmap_match_cmd);
	nn = nb_node_find(VAPP_XP_RMAP_ENTRY);
	if (!nn || !nn->cbs.cli_show) {
		/* a clause that running-config cannot show would be lost on the
		 * next write: refuse it; pools then stay policyNotEnforced */
		zlog_err("vappliance: route-map entry node not found, match vappliance unavailable");
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
