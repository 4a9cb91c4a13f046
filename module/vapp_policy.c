// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: the appliance prefix policy.
 *
 * A route from an admitted appliance is valid when it lies in one of its
 * pool's ranges with an allowed length, its next hop obeys the pool's rule,
 * the appliance is under its prefix limit, and it is not one of the route
 * server's own (anycast) prefixes or the default route. Each appliance keeps
 * the verdict of every prefix it currently announces, so the counts by
 * verdict and the limit stay right through re-announcements, withdrawals and
 * re-evaluations.
 */
#include <zebra.h>

#include "darr.h"
#include "memory.h"
#include "prefix.h"
#include "table.h"

#include "vapp_core_int.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_RANGE, "vappliance pool prefix");
DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_NEXTHOPS, "vappliance appliance next hops");

static const char *const vapp_pverdict_names[VAPP_P_MAX] = {
	[VAPP_P_ACCEPTED] = "accepted",		 [VAPP_P_OUTSIDE_RANGE] = "outsideRange",
	[VAPP_P_PREFIX_LENGTH] = "prefixLength", [VAPP_P_NEXT_HOP] = "nextHop",
	[VAPP_P_OVER_LIMIT] = "overLimit",	 [VAPP_P_NOT_ADMITTED] = "notAdmitted",
	[VAPP_P_RESERVED] = "reserved",
};

const char *vapp_pverdict_name(enum vapp_pverdict v)
{
	return v < VAPP_P_MAX ? vapp_pverdict_names[v] : "?";
}

const char *vapp_nh_mode_name(enum vapp_nh_mode mode)
{
	switch (mode) {
	case VAPP_NH_PEER_ADDRESS:
		return "peer-address";
	case VAPP_NH_POOL_RANGE:
		return "pool-range";
	case VAPP_NH_ANY:
		return "any";
	}
	return "?";
}

/* ---- ranges ---------------------------------------------------------------------- */

const char *vapp_range_bounds(const struct prefix *p, uint8_t ge, uint8_t le, struct vapp_range *r)
{
	uint8_t max = prefix_blen(p) * 8;

	if (p->family != AF_INET && p->family != AF_INET6)
		return "only IPv4 and IPv6 prefixes";
	if (ge && ge < p->prefixlen)
		return "ge must not be below the prefix length";
	if (le && le < p->prefixlen)
		return "le must not be below the prefix length";
	if (ge && le && ge > le)
		return "ge must not exceed le";
	if (ge > max || le > max)
		return p->family == AF_INET ? "ge and le are at most 32 for IPv4"
					    : "ge and le are at most 128 for IPv6";
	/* prefix-list semantics: exact; ge N: N..max; le N: len..N */
	r->lo = ge ? ge : p->prefixlen;
	r->hi = le ? le : (ge ? max : p->prefixlen);
	return NULL;
}

void vapp_rangeset_init(struct vapp_rangeset *set)
{
	vapp_aftab_init(&set->tabs);
	set->count = 0;
}

static void vapp_range_drop(void *info)
{
	XFREE(MTYPE_VAPP_RANGE, info);
}

void vapp_rangeset_fini(struct vapp_rangeset *set)
{
	vapp_aftab_fini(&set->tabs, vapp_range_drop);
	set->count = 0;
}

void vapp_rangeset_set(struct vapp_rangeset *set, const struct prefix *p, const struct vapp_range *r)
{
	struct route_node *rn = vapp_aftab_node(&set->tabs, p);

	if (!rn)
		return;
	if (rn->info) {
		route_unlock_node(rn); /* one lock per stored entry */
	} else {
		rn->info = XCALLOC(MTYPE_VAPP_RANGE, sizeof(struct vapp_range));
		set->count++;
	}
	*(struct vapp_range *)rn->info = *r;
}

bool vapp_rangeset_del(struct vapp_rangeset *set, const struct prefix *p)
{
	struct vapp_range *r = vapp_aftab_take(&set->tabs, p);

	if (!r)
		return false;
	XFREE(MTYPE_VAPP_RANGE, r);
	set->count--;
	return true;
}

enum vapp_pverdict vapp_rangeset_match(const struct vapp_rangeset *set, const struct prefix *p)
{
	struct route_table *t = vapp_aftab_table(&set->tabs, p->family);
	enum vapp_pverdict v = VAPP_P_OUTSIDE_RANGE;
	struct route_node *rn, *up;

	if (!t || !set->count)
		return v;
	rn = route_node_match(t, p);
	if (!rn)
		return v;
	/* every entry covering p, from the longest up: one allowing p's length */
	for (up = rn; up; up = up->parent) {
		const struct vapp_range *r = up->info;

		if (!r)
			continue;
		if (p->prefixlen >= r->lo && p->prefixlen <= r->hi) {
			v = VAPP_P_ACCEPTED;
			break;
		}
		v = VAPP_P_PREFIX_LENGTH;
	}
	route_unlock_node(rn);
	return v;
}

struct vapp_rangeset_walk_ctx {
	void (*fn)(const struct prefix *p, const struct vapp_range *r, void *arg);
	void *arg;
};

static void vapp_rangeset_walk1(const struct route_node *rn, void *arg)
{
	struct vapp_rangeset_walk_ctx *ctx = arg;

	ctx->fn(&rn->p, rn->info, ctx->arg);
}

void vapp_rangeset_walk(const struct vapp_rangeset *set,
			void (*fn)(const struct prefix *p, const struct vapp_range *r, void *arg),
			void *arg)
{
	struct vapp_rangeset_walk_ctx ctx = { .fn = fn, .arg = arg };

	vapp_aftab_walk(&set->tabs, vapp_rangeset_walk1, &ctx);
}

void vapp_ipaddr_unmap(struct ipaddr *addr)
{
	struct in_addr v4;

	if (!IS_IPADDR_V6(addr) || !IN6_IS_ADDR_V4MAPPED(&addr->ipaddr_v6))
		return;
	memcpy(&v4, addr->ipaddr_v6.s6_addr + 12, sizeof(v4));
	memset(addr, 0, sizeof(*addr));
	SET_IPADDR_V4(addr);
	addr->ipaddr_v4 = v4;
}

/* ---- reserved prefixes ------------------------------------------------------------- */

bool vapp_inst_reserved_hit(const struct vapp_inst *inst, const struct prefix *p)
{
	const struct prefix *r;

	darr_foreach_p (inst->reserved, r)
		if (r->family == p->family && prefix_match(p, r))
			return true;
	return false;
}

void vapp_inst_reserve(struct vapp_inst *inst, const struct prefix *p, bool add)
{
	uint i;

	darr_foreach_i (inst->reserved, i)
		if (prefix_same(&inst->reserved[i], p)) {
			if (!add)
				darr_remove(inst->reserved, i);
			return;
		}
	if (add)
		prefix_copy(darr_append(inst->reserved), p);
}

/* ---- evaluation ---------------------------------------------------------------------- */

static bool vapp_nexthop_ok(const struct vapp_app *app, const struct ipaddr *nh)
{
	struct ipaddr n = *nh;

	vapp_ipaddr_unmap(&n);
	switch (app->pool->nh_mode) {
	case VAPP_NH_PEER_ADDRESS:
		return ipaddr_cmp(&n, &app->addr) == 0;
	case VAPP_NH_POOL_RANGE:
		return vapp_pfxset_match(&app->pool->listen, &n) >= 0;
	case VAPP_NH_ANY:
		return true;
	}
	return false;
}

enum vapp_pverdict vapp_policy_eval(const struct vapp_app *app, const struct prefix *p,
				    const struct ipaddr *nh, bool accepted)
{
	const struct vapp_pool *pool = app->pool;
	enum vapp_pverdict v;
	uint32_t others;

	if (app->state != VAPP_APP_ADMITTED || !pool)
		return VAPP_P_NOT_ADMITTED;
	if (vapp_inst_reserved_hit(app->inst, p))
		return VAPP_P_RESERVED;
	v = vapp_rangeset_match(&pool->ranges, p);
	/* the default route only through a pool prefix that is exactly it */
	if (p->prefixlen == 0 && v != VAPP_P_ACCEPTED)
		return VAPP_P_RESERVED;
	if (v != VAPP_P_ACCEPTED)
		return v;
	if (!vapp_nexthop_ok(app, nh))
		return VAPP_P_NEXT_HOP;
	if (pool->max_prefixes) {
		/* the other accepted prefixes, this one not counted */
		others = app->pcount[VAPP_P_ACCEPTED] - (accepted ? 1 : 0);
		if (others >= pool->max_prefixes)
			return VAPP_P_OVER_LIMIT;
	}
	return VAPP_P_ACCEPTED;
}

/*
 * The verdicts of an appliance's prefixes live in a flat hash table per
 * address family (vapp_vtab.h): looking up or adding one is a probe in one
 * array and allocates only when the table grows, where a route_table took
 * a malloc and a trie walk per new prefix (the largest part of this
 * module's cost per route on a large ingest).
 */
static struct vapp_vtab *vapp_app_vtab(struct vapp_app *app, uint8_t family)
{
	return family == AF_INET ? &app->routes4 : family == AF_INET6 ? &app->routes6 : NULL;
}

/*
 * The index of next hop @nh in @app's list, added when new; VAPP_NH_SELF
 * for its own session address (nearly every path: nothing allocated),
 * VAPP_NH_UNKEPT when the list is full.
 */
static uint8_t vapp_nexthop_index(struct vapp_app *app, const struct ipaddr *nh)
{
	uint i;

	if (!ipaddr_cmp(nh, &app->addr))
		return VAPP_NH_SELF;
	darr_foreach_i (app->nexthops, i)
		if (!ipaddr_cmp(&app->nexthops[i], nh))
			return i;
	if (darr_len(app->nexthops) >= VAPP_NEXTHOPS_KEPT)
		return VAPP_NH_UNKEPT;
	*darr_append_mt(app->nexthops, MTYPE_VAPP_NEXTHOPS) = *nh;
	return darr_len(app->nexthops) - 1;
}

enum vapp_pverdict vapp_policy_announce(struct vapp_app *app, const struct vapp_rkey *k,
					const struct ipaddr *nh)
{
	struct vapp_vtab *t = vapp_app_vtab(app, k->p.family);
	enum vapp_pverdict v;
	uint32_t rejected;
	uint8_t *slot;
	int old;

	if (!t)
		return VAPP_P_OUTSIDE_RANGE;
	/* one probe: the slot is added when @k is new (the ingest case) */
	slot = vapp_vtab_ref(t, k, &old);
	v = vapp_policy_eval(app, &k->p, nh, old == VAPP_P_ACCEPTED);
	if (old < 0 && v != VAPP_P_ACCEPTED) {
		/* the new entry already counts in t->count */
		rejected = app->routes4.count + app->routes6.count - 1 -
			   app->pcount[VAPP_P_ACCEPTED];
		if (rejected >= VAPP_REJECTED_KEPT) {
			vapp_vtab_del(t, k);
			app->unkept++;
			return v;
		}
	}
	if (old >= 0)
		app->pcount[old]--;
	app->pcount[v]++;
	vapp_vtab_store(slot, v);
	vapp_vtab_store_aux(slot, vapp_nexthop_index(app, nh));
	return v;
}

enum vapp_pverdict vapp_policy_lookup(const struct vapp_app *app, const struct vapp_rkey *k)
{
	const struct vapp_vtab *t = vapp_app_vtab((struct vapp_app *)app, k->p.family);
	int v = t ? vapp_vtab_get(t, k) : -1;

	return v >= 0 ? (enum vapp_pverdict)v : VAPP_P_MAX;
}

uint32_t vapp_pool_warn_threshold(const struct vapp_pool *pool)
{
	uint64_t t;

	if (!pool->max_prefixes || !pool->limit_warn_pct)
		return 0;
	t = ((uint64_t)pool->max_prefixes * pool->limit_warn_pct + 99) / 100;
	return MAX(t, 1);
}

int vapp_policy_warn_edge(struct vapp_app *app)
{
	uint32_t t = app->pool ? vapp_pool_warn_threshold(app->pool) : 0;
	bool over = t && app->pcount[VAPP_P_ACCEPTED] >= t;

	if (over == app->limit_warned)
		return 0;
	app->limit_warned = over;
	/* the warning was configured away: nothing crossed */
	return over ? 1 : t ? -1 : 0;
}

struct vapp_policy_walk_ctx {
	const struct vapp_app *app;
	void (*fn)(const struct vapp_rkey *k, enum vapp_pverdict v, const struct ipaddr *nh,
		   void *arg);
	void *arg;
};

static void vapp_policy_walk1(const struct vapp_rkey *k, uint8_t value, uint8_t aux, void *arg)
{
	struct vapp_policy_walk_ctx *ctx = arg;
	const struct ipaddr *nh = aux == VAPP_NH_SELF		       ? &ctx->app->addr
				  : aux < darr_len(ctx->app->nexthops) ? &ctx->app->nexthops[aux]
								       : NULL;

	ctx->fn(k, value, nh, ctx->arg);
}

void vapp_policy_walk(const struct vapp_app *app,
		      void (*fn)(const struct vapp_rkey *k, enum vapp_pverdict v,
				 const struct ipaddr *nh, void *arg),
		      void *arg)
{
	struct vapp_policy_walk_ctx ctx = { .app = app, .fn = fn, .arg = arg };

	vapp_vtab_walk(&app->routes4, AF_INET, vapp_policy_walk1, &ctx);
	vapp_vtab_walk(&app->routes6, AF_INET6, vapp_policy_walk1, &ctx);
}

void vapp_policy_withdraw(struct vapp_app *app, const struct vapp_rkey *k)
{
	struct vapp_vtab *t = vapp_app_vtab(app, k->p.family);
	int old = t ? vapp_vtab_del(t, k) : -1;

	if (old >= 0)
		app->pcount[old]--;
}

void vapp_policy_keep_accepted(struct vapp_app *app)
{
	vapp_vtab_retain(&app->routes4, AF_INET, VAPP_P_ACCEPTED);
	vapp_vtab_retain(&app->routes6, AF_INET6, VAPP_P_ACCEPTED);
	for (int v = 0; v < VAPP_P_MAX; v++)
		if (v != VAPP_P_ACCEPTED)
			app->pcount[v] = 0;
	app->unkept = 0;
}

void vapp_policy_reset(struct vapp_app *app)
{
	vapp_vtab_fini(&app->routes4);
	vapp_vtab_fini(&app->routes6);
	darr_free(app->nexthops);
	memset(app->pcount, 0, sizeof(app->pcount));
	app->limit_exceeded = false;
	app->limit_warned = false; /* a new session is warned of anew */
	app->unchecked = false;
	app->unkept = 0;
}
