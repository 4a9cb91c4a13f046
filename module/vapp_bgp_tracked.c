// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance glue: Established sessions per peer-group, for anycast
 * tracks, kept incrementally from bgpd's status events.
 *
 * A session is remembered by its peer from the event that brought it to
 * Established, with the peer-group it counted for, and counted down by the
 * event that takes it out of Established, whatever peer->group says then:
 * for a dynamic neighbor bgp_stop() calls peer_delete() first, which clears
 * peer->group before the status changes, and `no neighbor` does the same
 * for a static one. A full recount (vapp_tracked_recount()) on the
 * anycast timer mends any drift and says so.
 */
#include <zebra.h>

#include "hash.h"
#include "jhash.h"
#include "memory.h"
#include "typesafe.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_fsm.h"

#include "vappliance.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_TRACKED, "vappliance tracked session counts");

/* Established sessions of one peer-group of one instance. */
PREDECL_HASH(vapp_tgroups);
struct vapp_tgroup {
	struct vapp_tgroups_item item;
	const struct bgp *bgp;
	char *name;
	uint32_t up;
	uint32_t seen; /* recount scratch */
};

static int vapp_tgroup_cmp(const struct vapp_tgroup *a, const struct vapp_tgroup *b)
{
	if (a->bgp != b->bgp)
		return a->bgp < b->bgp ? -1 : 1;
	return strcmp(a->name, b->name);
}

static uint32_t vapp_tgroup_hash(const struct vapp_tgroup *g)
{
	return jhash(g->name, strlen(g->name), (uint32_t)(uintptr_t)g->bgp);
}

DECLARE_HASH(vapp_tgroups, struct vapp_tgroup, item, vapp_tgroup_cmp, vapp_tgroup_hash);

/* One Established session and the group it counts for. */
PREDECL_HASH(vapp_tpeers);
struct vapp_tpeer {
	struct vapp_tpeers_item item;
	const struct peer *peer;
	struct vapp_tgroup *group;
};

static int vapp_tpeer_cmp(const struct vapp_tpeer *a, const struct vapp_tpeer *b)
{
	return a->peer == b->peer ? 0 : (a->peer < b->peer ? -1 : 1);
}

static uint32_t vapp_tpeer_hash(const struct vapp_tpeer *p)
{
	uintptr_t v = (uintptr_t)p->peer;

	return jhash_2words((uint32_t)v, (uint32_t)(v >> 32), 0x7ac3);
}

DECLARE_HASH(vapp_tpeers, struct vapp_tpeer, item, vapp_tpeer_cmp, vapp_tpeer_hash);

static struct vapp_tgroups_head vapp_tgroups;
static struct vapp_tpeers_head vapp_tpeers;

static struct vapp_tgroup *vapp_tgroup_find(const struct bgp *bgp, const char *name, bool create)
{
	struct vapp_tgroup key = { .bgp = bgp, .name = (char *)name }, *g;

	g = vapp_tgroups_find(&vapp_tgroups, &key);
	if (g || !create)
		return g;
	g = XCALLOC(MTYPE_VAPP_TRACKED, sizeof(*g));
	g->bgp = bgp;
	g->name = XSTRDUP(MTYPE_VAPP_TRACKED, name);
	vapp_tgroups_add(&vapp_tgroups, g);
	return g;
}

static void vapp_tgroup_put(struct vapp_tgroup *g)
{
	if (g->up)
		return;
	vapp_tgroups_del(&vapp_tgroups, g);
	XFREE(MTYPE_VAPP_TRACKED, g->name);
	XFREE(MTYPE_VAPP_TRACKED, g);
}

static void vapp_tpeer_drop(struct vapp_tpeer *p)
{
	struct vapp_tgroup *g = p->group;

	vapp_tpeers_del(&vapp_tpeers, p);
	XFREE(MTYPE_VAPP_TRACKED, p);
	g->up--;
	vapp_tgroup_put(g);
}

bool vapp_tracked_event(struct peer *peer, char *group, size_t len)
{
	struct peer_connection *c = peer->connection;
	struct vapp_tpeer key = { .peer = peer }, *p;
	struct vapp_tgroup *g;

	p = vapp_tpeers_find(&vapp_tpeers, &key);
	if (c->status == Established) {
		if (p || !peer->group)
			return false;
		g = vapp_tgroup_find(peer->bgp, peer->group->name, true);
		p = XCALLOC(MTYPE_VAPP_TRACKED, sizeof(*p));
		p->peer = peer;
		p->group = g;
		vapp_tpeers_add(&vapp_tpeers, p);
		g->up++;
		strlcpy(group, g->name, len);
		return true;
	}
	if (!p)
		return false;
	strlcpy(group, p->group->name, len);
	vapp_tpeer_drop(p);
	return true;
}

uint32_t vapp_tracked_count(const struct bgp *bgp, const char *group)
{
	struct vapp_tgroup *g = bgp ? vapp_tgroup_find(bgp, group, false) : NULL;

	return g ? g->up : 0;
}

unsigned int vapp_tracked_recount(const struct bgp *bgp)
{
	struct vapp_tgroup *g;
	struct peer_group *group;
	struct listnode *node, *pnode;
	struct peer *peer;
	unsigned int fixed = 0;

	frr_each (vapp_tgroups, &vapp_tgroups, g)
		g->seen = 0;
	for (ALL_LIST_ELEMENTS_RO(bgp->group, node, group))
		for (ALL_LIST_ELEMENTS_RO(group->peer, pnode, peer)) {
			if (!peer_established(peer->connection))
				continue;
			g = vapp_tgroup_find(bgp, group->name, false);
			if (g)
				g->seen++;
			else
				fixed++; /* up, never seen come up */
		}
	frr_each (vapp_tgroups, &vapp_tgroups, g)
		if (g->bgp == bgp && g->seen != g->up) {
			zlog_warn("vappliance: peer-group %s: %u sessions counted Established, %u are; recounted",
				  g->name, g->up, g->seen);
			fixed++;
		}
	if (!fixed)
		return 0;
	/* rebuild this instance's records from bgpd's lists */
	vapp_tracked_forget_bgp(bgp);
	for (ALL_LIST_ELEMENTS_RO(bgp->group, node, group))
		for (ALL_LIST_ELEMENTS_RO(group->peer, pnode, peer))
			if (peer_established(peer->connection) && peer->group == group) {
				char name[64];

				vapp_tracked_event(peer, name, sizeof(name));
			}
	return fixed;
}

void vapp_tracked_forget_bgp(const struct bgp *bgp)
{
	struct vapp_tpeer *p;

	frr_each_safe (vapp_tpeers, &vapp_tpeers, p)
		if (p->group->bgp == bgp)
			vapp_tpeer_drop(p);
}

void vapp_tracked_init(void)
{
	vapp_tgroups_init(&vapp_tgroups);
	vapp_tpeers_init(&vapp_tpeers);
}

void vapp_tracked_fini(void)
{
	struct vapp_tpeer *p;

	while ((p = vapp_tpeers_first(&vapp_tpeers)))
		vapp_tpeer_drop(p);
	vapp_tpeers_fini(&vapp_tpeers);
	vapp_tgroups_fini(&vapp_tgroups);
}
