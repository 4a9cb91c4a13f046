// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_anycast's bgpd side (fuzz_sessions.h). One instance, its
 * peer-groups and six peers, in bgpd's own structures as
 * vapp_bgp_tracked.c reads them: peers come up in a peer-group, go down,
 * are deleted (peer_delete() unlinks them from their group before the
 * status changes), are bound to another group while up, or change state
 * without the status hook (drift). The model keeps, for each peer, what
 * bgpd shows (up, group) and the group its session counts for, from
 * doc/concepts.rst: a session counts for the peer-group it was in when it
 * became Established until bgpd reports it left Established, whatever its
 * group is by then; a recount finds any count that differs from bgpd's
 * lists and rebuilds them all.
 */
#include <zebra.h>

#include "linklist.h"

#include "bgpd/bgpd.h"

#include "module/vappliance.h"
#include "fuzz_sessions.h"

#define NPEER 6

const char *const fs_group_names[FS_NGROUP] = { "A", "B", "C", "U" };

static struct {
	struct bgp bgp;
	struct peer_group grp[FS_NGROUP];
	struct peer peer[NPEER];
	struct peer_connection conn[NPEER];
} b;

static struct mpeer {
	bool up;     /* Established, as bgpd has it */
	int grp;     /* its peer-group, -1: none */
	int counted; /* the group its session counts for, -1: none */
} m[NPEER];

const struct bgp *fs_bgp(void)
{
	return &b.bgp;
}

uint32_t fs_model_count(int g)
{
	uint32_t n = 0;

	for (int p = 0; p < NPEER; p++)
		n += m[p].counted == g;
	return n;
}

void fs_check(void)
{
	for (int g = 0; g < FS_NGROUP; g++)
		FZ_CHECK(vapp_tracked_count(&b.bgp, fs_group_names[g]) == fs_model_count(g),
			 "peer-group %s: %u counted Established, model %u", fs_group_names[g],
			 vapp_tracked_count(&b.bgp, fs_group_names[g]), fs_model_count(g));
}

static void set_group(int p, int g)
{
	struct peer *peer = &b.peer[p];

	if (peer->group)
		listnode_delete(peer->group->peer, peer);
	peer->group = g >= 0 ? &b.grp[g] : NULL;
	if (peer->group)
		listnode_add(peer->group->peer, peer);
	m[p].grp = g;
}

/*
 * Peer @p's session goes to @st. @hook: bgpd's peer_status_changed hook
 * runs the counting code; without it, a change the module never heard of.
 * Returns the group whose count changed, or -1.
 */
static int set_status(int p, enum bgp_fsm_status st, bool hook, int64_t rel_now)
{
	struct mpeer *mp = &m[p];
	char group[160] = "";
	int g = -1;
	bool got;

	b.conn[p].status = st;
	mp->up = st == Established;
	fz_trace("+%" PRId64 " peer %d %s (group %s)%s", rel_now, p,
		 mp->up ? "Established" : "not Established",
		 mp->grp >= 0 ? fs_group_names[mp->grp] : "-", hook ? "" : ", unheard");
	if (!hook)
		return -1;
	if (mp->up && mp->counted < 0 && mp->grp >= 0)
		g = mp->counted = mp->grp;
	else if (!mp->up && mp->counted >= 0)
		g = mp->counted, mp->counted = -1;
	got = vapp_tracked_event(&b.peer[p], group, sizeof(group));
	FZ_CHECK(got == (g >= 0), "peer %d: counted %d, model %d", p, got, g >= 0);
	FZ_CHECK(!got || !strcmp(group, fs_group_names[g]), "peer %d counted for %s, model %s", p,
		 group, fs_group_names[g]);
	return g;
}

/* the anycast timer's recount from bgpd's lists */
static int recount(int64_t rel_now)
{
	bool drift = false;
	unsigned int fixed;

	for (int g = 0; g < FS_NGROUP; g++) {
		uint32_t truth = 0;

		for (int q = 0; q < NPEER; q++)
			truth += m[q].up && m[q].grp == g;
		drift |= truth != fs_model_count(g);
	}
	fixed = vapp_tracked_recount(&b.bgp);
	fz_trace("+%" PRId64 " recount: %u fixed", rel_now, fixed);
	FZ_CHECK((fixed != 0) == drift, "recount fixed %u, model drift %d", fixed, drift);
	if (drift)
		for (int q = 0; q < NPEER; q++)
			m[q].counted = m[q].up ? m[q].grp : -1;
	return FS_RECOUNT;
}

int fs_step(struct fz *f, int64_t rel_now)
{
	static const enum bgp_fsm_status downs[] = { Idle, Connect, Active, OpenSent, Clearing };
	int p = fz_below(f, NPEER);
	uint8_t x = fz_u8(f);

	switch (x % 6) {
	case 0: /* comes up, after joining a peer-group (or none) if idle */
		if (m[p].up)
			return -1;
		if (x & 8)
			set_group(p, (int)fz_below(f, FS_NGROUP) - (x & 16 ? 1 : 0));
		return set_status(p, Established, true, rel_now);
	case 1: /* goes down, or moves between states below Established */
		return set_status(p, fz_pick(f, downs), true, rel_now);
	case 2:
		/* deleted (bgp_stop() of a dynamic neighbor, no neighbor):
		 * peer_delete() unlinks it from its group before the status
		 * changes */
		set_group(p, -1);
		return set_status(p, Deleted, true, rel_now);
	case 3: /* neighbor X peer-group Y: bound to another group, the session reset */
		set_group(p, fz_below(f, FS_NGROUP));
		return m[p].up ? set_status(p, Idle, true, rel_now) : -1;
	case 4: /* a change the hook never reported */
		return set_status(p, m[p].up ? Idle : Established, false, rel_now);
	default:
		return recount(rel_now);
	}
}

void fs_init(void)
{
	memset(&b, 0, sizeof(b));
	b.bgp.group = list_new();
	for (int g = 0; g < FS_NGROUP; g++) {
		b.grp[g].name = (char *)fs_group_names[g];
		b.grp[g].bgp = &b.bgp;
		b.grp[g].peer = list_new();
		listnode_add(b.bgp.group, &b.grp[g]);
	}
	for (int p = 0; p < NPEER; p++) {
		b.peer[p].bgp = &b.bgp;
		b.peer[p].connection = &b.conn[p];
		b.conn[p].status = Idle;
		m[p] = (struct mpeer){ false, -1, -1 };
	}
	vapp_tracked_init();
}

void fs_fini(void)
{
	vapp_tracked_fini();
	for (int g = 0; g < FS_NGROUP; g++)
		list_delete(&b.grp[g].peer);
	list_delete(&b.bgp.group);
}
