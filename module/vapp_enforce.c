// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance: whether a pool's peer-group enforces the pool's prefix
 * policy, in every address family it activates, and the configuration
 * that would make it.
 *
 * Governed are IPv4/IPv6 unicast and labeled-unicast: bgpd filters each
 * with that address family's inbound route-map (labeled-unicast routes
 * with the labeled-unicast map, although bgpd keeps them in the unicast
 * RIB). Any other address family activated on an appliance peer-group
 * carries routes the module never sees, so the pool is not enforced.
 */
#include <zebra.h>

#include "routemap.h"

#include "bgpd/bgpd.h"

#include "vappliance.h"

/*
 * The minimum rule: the inbound route-map's lowest-sequence entry is `deny`
 * and its only match is `vappliance invalid`. Anything an earlier filter
 * (prefix-list, filter-list, distribute-list) does can only deny more.
 */
static const char *vapp_enforce_problem(const struct route_map *map)
{
	const struct route_map_index *first;
	const struct route_map_rule *r;

	if (!map)
		return "its inbound route-map does not exist";
	first = map->head;
	if (!first)
		return "its inbound route-map has no entries";
	if (first->type != RMAP_DENY)
		return "the inbound route-map's first entry is not deny";
	r = first->match_list.head;
	if (!r || r->next || !vapp_rmap_rule_is_invalid(r))
		return "the inbound route-map's first entry does not match only vappliance invalid";
	return NULL;
}

/* On every route (vapp_bgp_route_in()): a few loads, no lookup by name. */
bool vapp_enforce_map(const struct route_map *map)
{
	return map && map->head && map->head->type == RMAP_DENY && map->head->match_list.head &&
	       !map->head->match_list.head->next &&
	       vapp_rmap_rule_is_invalid(map->head->match_list.head);
}

static const struct {
	afi_t afi;
	safi_t safi;
	bool governed;
	const char *name; /* JSON key */
	const char *yang; /* YANG enum */
	const char *cli;  /* address-family line */
} vapp_afs[] = {
	{ AFI_IP, SAFI_UNICAST, true, "ipv4Unicast", "ipv4-unicast", "ipv4 unicast" },
	{ AFI_IP6, SAFI_UNICAST, true, "ipv6Unicast", "ipv6-unicast", "ipv6 unicast" },
	{ AFI_IP, SAFI_LABELED_UNICAST, true, "ipv4LabeledUnicast", "ipv4-labeled-unicast",
	  "ipv4 labeled-unicast" },
	{ AFI_IP6, SAFI_LABELED_UNICAST, true, "ipv6LabeledUnicast", "ipv6-labeled-unicast",
	  "ipv6 labeled-unicast" },
	{ AFI_IP, SAFI_MULTICAST, false, "ipv4Multicast", "ipv4-multicast", "ipv4 multicast" },
	{ AFI_IP6, SAFI_MULTICAST, false, "ipv6Multicast", "ipv6-multicast", "ipv6 multicast" },
	{ AFI_IP, SAFI_MPLS_VPN, false, "ipv4Vpn", "ipv4-vpn", "ipv4 vpn" },
	{ AFI_IP6, SAFI_MPLS_VPN, false, "ipv6Vpn", "ipv6-vpn", "ipv6 vpn" },
	{ AFI_IP, SAFI_FLOWSPEC, false, "ipv4Flowspec", "ipv4-flowspec", "ipv4 flowspec" },
	{ AFI_IP6, SAFI_FLOWSPEC, false, "ipv6Flowspec", "ipv6-flowspec", "ipv6 flowspec" },
	{ AFI_L2VPN, SAFI_EVPN, false, "l2VpnEvpn", "l2vpn-evpn", "l2vpn evpn" },
};

#define VAPP_NOT_GOVERNED "vappliance does not govern this address family (deactivate it)"

int vapp_enforce_check(const struct vapp_pool *pool, struct vapp_af_policy *out, int max)
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
		out[n].governed = vapp_afs[i].governed;
		out[n].route_map = f->map[RMAP_IN].name;
		if (!vapp_afs[i].governed)
			out[n].problem = VAPP_NOT_GOVERNED;
		else if (!f->map[RMAP_IN].name)
			out[n].problem = "no inbound route-map";
		else
			out[n].problem = vapp_enforce_problem(
				route_map_lookup_by_name(f->map[RMAP_IN].name));
		n++;
	}
	/* an address family this table does not list (newer bgpd) */
	for (afi_t afi = AFI_IP; afi < AFI_MAX && n < max; afi++)
		for (safi_t safi = SAFI_UNICAST; safi < SAFI_MAX; safi++) {
			bool listed = false;

			if (!group->conf->afc[afi][safi])
				continue;
			for (size_t i = 0; i < array_size(vapp_afs); i++)
				listed |= vapp_afs[i].afi == afi && vapp_afs[i].safi == safi;
			if (listed)
				continue;
			out[n++] = (struct vapp_af_policy){
				.af = "other",
				.af_yang = "other",
				.af_cli = "(another address family)",
				.problem = VAPP_NOT_GOVERNED,
			};
			return n;
		}
	if (!n && max > 0)
		/* routes of no address family, but admitted: not vouched for */
		out[n++] = (struct vapp_af_policy){
			.af = "none",
			.af_yang = "none",
			.af_cli = "(none)",
			.governed = true,
			.problem = "no address family is active on the peer-group",
		};
	return n;
}

bool vapp_enforce_pool(const struct vapp_pool *pool)
{
	struct vapp_af_policy afs[VAPP_AF_MAX];
	int n = vapp_enforce_check(pool, afs, array_size(afs));

	for (int i = 0; i < n; i++)
		if (afs[i].problem)
			return false;
	return true;
}

/* The configuration that would make @af enforce the pool's policy. */
void vapp_enforce_fix_lines(const struct vapp_pool *pool, const struct vapp_af_policy *af,
			    void (*line)(const char *s, void *arg), void *arg)
{
	struct route_map *map = af->route_map ? route_map_lookup_by_name(af->route_map) : NULL;
	char buf[256];
	int seq = 1;

	if (!strcmp(af->af, "none")) {
		line("router bgp (this instance) / address-family ipv4 unicast (or ipv6 unicast)",
		     arg);
		snprintf(buf, sizeof(buf), " neighbor %s activate", pool->peer_group);
		line(buf, arg);
		return;
	}
	if (!af->governed) {
		snprintf(buf, sizeof(buf), "router bgp (this instance) / address-family %s",
			 af->af_cli);
		line(buf, arg);
		snprintf(buf, sizeof(buf), " no neighbor %s activate", pool->peer_group);
		line(buf, arg);
		return;
	}
	if (map && map->head && map->head->pref > 1)
		seq = map->head->pref - 1;
	if (!af->route_map) {
		/* the documented map: deny the invalid, permit only the valid */
		snprintf(buf, sizeof(buf), "route-map VAPP-%s-IN deny 1", pool->peer_group);
		line(buf, arg);
		line(" match vappliance invalid", arg);
		snprintf(buf, sizeof(buf), "route-map VAPP-%s-IN permit 100", pool->peer_group);
		line(buf, arg);
		line(" match vappliance valid", arg);
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
