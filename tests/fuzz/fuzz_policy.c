// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the appliance prefix policy, differential against a
 * reference model.
 *
 * Each input is a run: up to three pools (each bound to its own
 * peer-group, so an appliance picks its pool by the peer-group it connects
 * to) with prefix entries (ge/le), a next-hop rule, listen ranges and a
 * max-prefixes limit; anycast addresses (reserved prefixes); up to five
 * appliances connecting, being admitted, closing and reconnecting; and
 * announcements and withdrawals of paths from them -- a path is a prefix,
 * its SAFI (unicast or labeled-unicast) and its ADD-PATH identifier, and
 * several appliances announce the same prefix --, withdrawals also as
 * encoded UPDATE messages and as raw bytes through the UPDATE reader.
 * Every verdict, every per-verdict count and every recorded verdict is
 * compared with the model, which keeps each appliance's paths in a plain
 * array and decides by linear scans, bit by bit, from doc/concepts.rst.
 * How bgpd's paths reach the core (soft reconfiguration, ADD-PATH ids on
 * the wire, labeled-unicast in the unicast RIB, shows that run the
 * route-map) is the glue's: the differential topotest judges that.
 */
#include <zebra.h>

#include "darr.h"
#include "prefix.h"

#include "module/vapp_policy.h"
#include "fuzz_common.h"

#define NPOOL	3
#define NAPP	5
#define NRANGE	8
#define NLISTEN 4
#define NANY	3
#define NROUTE	48
#define MAX_OPS 300
#define NWD	64
#define OWN_ID	0x0aff0001 /* the route server's BGP identifier */
#define APP_ASN 65001
#define NOW	5000000
#define CEASE	6

/* ---- the model's own address and prefix types ---------------------------- */

struct maddr {
	uint8_t fam; /* 4 or 6 */
	uint8_t b[16];
};

struct mpfx {
	uint8_t fam;
	uint8_t len;
	uint8_t b[16];
};

static unsigned int m_maxlen(uint8_t fam)
{
	return fam == 4 ? 32 : 128;
}

static bool m_bit(const uint8_t *b, unsigned int i)
{
	return (b[i / 8] >> (7 - i % 8)) & 1;
}

/* clears every bit past the length */
static void m_mask(struct mpfx *p)
{
	for (unsigned int i = p->len; i < 128; i++)
		p->b[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
}

static bool m_pfx_same(const struct mpfx *a, const struct mpfx *b)
{
	if (a->fam != b->fam || a->len != b->len)
		return false;
	for (unsigned int i = 0; i < a->len; i++)
		if (m_bit(a->b, i) != m_bit(b->b, i))
			return false;
	return true;
}

/* @outer contains @inner (same family, not longer, same leading bits) */
static bool m_covers(const struct mpfx *outer, const struct mpfx *inner)
{
	if (outer->fam != inner->fam || outer->len > inner->len)
		return false;
	for (unsigned int i = 0; i < outer->len; i++)
		if (m_bit(outer->b, i) != m_bit(inner->b, i))
			return false;
	return true;
}

static bool m_addr_in(const struct mpfx *p, const struct maddr *a)
{
	if (p->fam != a->fam)
		return false;
	for (unsigned int i = 0; i < p->len; i++)
		if (m_bit(p->b, i) != m_bit(a->b, i))
			return false;
	return true;
}

static bool m_addr_same(const struct maddr *a, const struct maddr *b)
{
	return a->fam == b->fam && !memcmp(a->b, b->b, a->fam == 4 ? 4 : 16);
}

/* ::ffff:a.b.c.d is a.b.c.d */
static void m_unmap(struct maddr *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (a->fam == 6 && !memcmp(a->b, mapped, 12)) {
		uint8_t v4[4];

		memcpy(v4, a->b + 12, 4);
		memset(a->b, 0, sizeof(a->b));
		memcpy(a->b, v4, 4);
		a->fam = 4;
	}
}

/* conversions to libfrr's types, for the calls into the core */
static struct prefix to_prefix(const struct mpfx *m)
{
	struct prefix p;

	memset(&p, 0, sizeof(p));
	p.family = m->fam == 4 ? AF_INET : AF_INET6;
	p.prefixlen = m->len;
	memcpy(&p.u.prefix, m->b, m->fam == 4 ? 4 : 16);
	return p;
}

static struct mpfx from_prefix(const struct prefix *p)
{
	struct mpfx m;

	memset(&m, 0, sizeof(m));
	m.fam = p->family == AF_INET ? 4 : 6;
	m.len = p->prefixlen;
	memcpy(m.b, &p->u.prefix, m.fam == 4 ? 4 : 16);
	return m;
}

static struct ipaddr to_ipaddr(const struct maddr *m)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (m->fam == 4) {
		SET_IPADDR_V4(&a);
		memcpy(&a.ipaddr_v4, m->b, 4);
	} else {
		SET_IPADDR_V6(&a);
		memcpy(&a.ipaddr_v6, m->b, 16);
	}
	return a;
}

/* ---- input: addresses and prefixes from a small space, so they collide --- */

static const uint8_t oct[8] = { 0, 1, 2, 3, 64, 128, 254, 255 };
static const uint8_t v4first[4] = { 10, 10, 192, 0 };
static const uint8_t len4[] = { 0, 8, 16, 22, 23, 24, 25, 26, 28, 30, 31, 32, 32 };
static const uint8_t len6[] = { 0, 16, 32, 40, 48, 56, 60, 64, 72, 96, 127, 128, 128 };

static struct maddr gen_addr(struct fz *f, uint8_t fam)
{
	struct maddr a = { .fam = fam };
	uint8_t x = fz_u8(f), y = fz_u8(f);

	if (fam == 4) {
		a.b[0] = v4first[x & 3];
		a.b[1] = oct[(x >> 2) & 7];
		a.b[2] = oct[(x >> 5) & 7];
		a.b[3] = oct[y & 7];
	} else {
		a.b[0] = (x >> 6) == 3 ? 0xfc : 0x20;
		a.b[1] = (x >> 6) == 3 ? 0x00 : 0x01;
		a.b[2] = 0x0d;
		a.b[3] = 0xb8;
		a.b[4] = oct[x & 7];
		a.b[6] = oct[(x >> 3) & 7];
		a.b[15] = oct[y & 7];
		if (y & 0x80)
			a.b[8] = oct[(y >> 3) & 7];
	}
	return a;
}

/* a prefix; @raw keeps host bits (the core is to mask), @m is masked */
static void gen_pfx(struct fz *f, uint8_t fam, struct mpfx *raw, struct mpfx *m)
{
	struct maddr a = gen_addr(f, fam);
	uint8_t l = fz_u8(f);

	memset(raw, 0, sizeof(*raw));
	raw->fam = fam;
	memcpy(raw->b, a.b, 16);
	if (l < 0xc0)
		raw->len = fam == 4 ? len4[l % sizeof(len4)] : len6[l % sizeof(len6)];
	else
		raw->len = l % (m_maxlen(fam) + 1);
	*m = *raw;
	m_mask(m);
	/* bgpd hands the policy masked prefixes; now and then test host bits */
	if (!(l & 0x20) || (fz_u8(f) & 7))
		*raw = *m;
}

static uint8_t gen_fam(struct fz *f)
{
	return fz_bool(f) ? 6 : 4;
}

/* ---- the model --------------------------------------------------------- */

struct mrange {
	struct mpfx p;
	uint8_t lo, hi;
};

struct mpool {
	bool live;
	struct vapp_pool *pool;
	struct mrange r[NRANGE];
	int nr;
	enum vapp_nh_mode nh;
	uint32_t maxp;
	struct mpfx listen[NLISTEN];
	int nl;
};

struct mroute {
	struct mpfx p;
	uint32_t id; /* ADD-PATH identifier */
	bool lu;     /* labeled-unicast (SAFI 4): each (prefix, SAFI, id) is a path */
	uint8_t v;
	struct maddr nh; /* the next hop it came with last */
};

struct mapp {
	bool live;
	struct vapp_app *app;
	struct maddr addr;
	int pool; /* -1: none (no pool, or the pool was deleted) */
	enum vapp_app_state state;
	struct mroute rt[NROUTE];
	int nrt;
};

/* a path the UPDATE reader (or the reference) reported */
struct mpath {
	struct mpfx p;
	uint32_t id;
	bool wd, lu;
};

struct run {
	struct fz f;
	struct vapp_ctx ctx;
	struct vapp_inst *inst;
	struct mpool pools[NPOOL];
	struct mapp apps[NAPP];
	struct mpfx any[NANY];
	bool any_live[NANY];
	uint32_t next_rid;
	/* paths the UPDATE reader reported */
	struct mpath wd[NWD];
	int nwd;
	bool wd_overflow;
};

static const char *const pg_names[NPOOL] = { "G0", "G1", "G2" };
static const char *const pool_names[NPOOL] = { "p0", "p1", "p2" };

static int m_route_find(const struct mapp *a, const struct mpfx *p, uint32_t id, bool lu)
{
	for (int i = 0; i < a->nrt; i++)
		if (m_pfx_same(&a->rt[i].p, p) && a->rt[i].id == id && a->rt[i].lu == lu)
			return i;
	return -1;
}

static safi_t m_safi(bool lu)
{
	return lu ? SAFI_LABELED_UNICAST : SAFI_UNICAST;
}

static void m_route_del(struct mapp *a, int i)
{
	a->rt[i] = a->rt[a->nrt - 1];
	a->nrt--;
}

static unsigned int m_count(const struct mapp *a, uint8_t v)
{
	unsigned int n = 0;

	for (int i = 0; i < a->nrt; i++)
		if (a->rt[i].v == v)
			n++;
	return n;
}

static bool m_reserved(const struct run *r, const struct mpfx *p)
{
	/* the anycast prefixes, and anything covering them */
	for (int i = 0; i < NANY; i++)
		if (r->any_live[i] && m_covers(p, &r->any[i]))
			return true;
	return false;
}

/*
 * The documented verdict order: notAdmitted, reserved, outsideRange /
 * prefixLength (prefix-list semantics over every entry covering the
 * prefix), the default route only through an entry allowing length 0,
 * nextHop, overLimit ("already has max-prefixes routes accepted", this
 * route not counted), accepted.
 */
static uint8_t m_eval(const struct run *r, const struct mapp *a, const struct mpfx *p, uint32_t id,
		      bool lu, const struct maddr *nh_in)
{
	const struct mpool *mp;
	bool covered = false, allowed = false, nh_ok = false;
	struct maddr nh = *nh_in;
	unsigned int others = 0;

	if (a->state != VAPP_APP_ADMITTED || a->pool < 0)
		return VAPP_P_NOT_ADMITTED;
	mp = &r->pools[a->pool];
	if (m_reserved(r, p))
		return VAPP_P_RESERVED;
	for (int i = 0; i < mp->nr; i++)
		if (m_covers(&mp->r[i].p, p)) {
			covered = true;
			if (p->len >= mp->r[i].lo && p->len <= mp->r[i].hi)
				allowed = true;
		}
	if (p->len == 0 && !allowed)
		return VAPP_P_RESERVED;
	if (!covered)
		return VAPP_P_OUTSIDE_RANGE;
	if (!allowed)
		return VAPP_P_PREFIX_LENGTH;
	m_unmap(&nh);
	switch (mp->nh) {
	case VAPP_NH_PEER_ADDRESS:
		nh_ok = m_addr_same(&nh, &a->addr);
		break;
	case VAPP_NH_POOL_RANGE:
		for (int i = 0; i < mp->nl; i++)
			if (m_addr_in(&mp->listen[i], &nh))
				nh_ok = true;
		break;
	case VAPP_NH_ANY:
		nh_ok = true;
		break;
	}
	if (!nh_ok)
		return VAPP_P_NEXT_HOP;
	for (int i = 0; i < a->nrt; i++)
		if (a->rt[i].v == VAPP_P_ACCEPTED &&
		    !(m_pfx_same(&a->rt[i].p, p) && a->rt[i].id == id && a->rt[i].lu == lu))
			others++;
	if (mp->maxp && others >= mp->maxp)
		return VAPP_P_OVER_LIMIT;
	return VAPP_P_ACCEPTED;
}

/* ---- comparisons --------------------------------------------------------- */

static void check_app(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	const struct vapp_app *app = a->app;

	if (!a->live)
		return;
	FZ_CHECK(vapp_app_lookup(r->inst, &app->addr) == app, "app %d not found by address", i);
	FZ_CHECK(app->state == a->state, "app %d state %d, model %d", i, app->state, a->state);
	FZ_CHECK(a->pool < 0 ? app->pool == NULL : app->pool == r->pools[a->pool].pool,
		 "app %d pool differs (model %d)", i, a->pool);
	for (uint8_t v = 0; v < VAPP_P_MAX; v++)
		FZ_CHECK(app->pcount[v] == m_count(a, v), "app %d count of %s: %u, model %u", i,
			 vapp_pverdict_name(v), app->pcount[v], m_count(a, v));
}

/*
 * What the routes show reads (vapp_policy_walk): exactly the model's paths,
 * each with its verdict and the next hop it came with last, or none once
 * the appliance's list of next hops is full.
 */
struct walk_ctx {
	struct run *r;
	int i, seen;
};

static void walk_path(const struct vapp_rkey *k, enum vapp_pverdict v, const struct ipaddr *nh,
		      void *arg)
{
	struct walk_ctx *w = arg;
	struct mapp *a = &w->r->apps[w->i];
	struct mpfx m = from_prefix(&k->p);
	int j = m_route_find(a, &m, k->path_id, k->safi == SAFI_LABELED_UNICAST);
	struct ipaddr want;

	w->seen++;
	FZ_CHECK(j >= 0, "app %d walk: %pFX path %u not in the model", w->i, &k->p, k->path_id);
	FZ_CHECK(v == a->rt[j].v, "app %d walk: %pFX %s, model %s", w->i, &k->p,
		 vapp_pverdict_name(v), vapp_pverdict_name(a->rt[j].v));
	want = to_ipaddr(&a->rt[j].nh);
	if (nh)
		FZ_CHECK(!ipaddr_cmp(nh, &want), "app %d walk: %pFX next hop %pIA, model %pIA",
			 w->i, &k->p, nh, &want);
	else
		FZ_CHECK(darr_len(a->app->nexthops) == VAPP_NEXTHOPS_KEPT,
			 "app %d walk: %pFX next hop not kept with %u of %u kept", w->i, &k->p,
			 darr_len(a->app->nexthops), VAPP_NEXTHOPS_KEPT);
}

static void check_walk(struct run *r, int i)
{
	struct walk_ctx w = { .r = r, .i = i };

	vapp_policy_walk(r->apps[i].app, walk_path, &w);
	FZ_CHECK(w.seen == r->apps[i].nrt, "app %d walk: %d paths, model %d", i, w.seen,
		 r->apps[i].nrt);
}

static void check_routes(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];

	if (!a->live)
		return;
	for (int k = 0; k < a->nrt; k++) {
		struct prefix p = to_prefix(&a->rt[k].p);
		struct vapp_rkey key = { .p = p,
					 .path_id = a->rt[k].id,
					 .safi = m_safi(a->rt[k].lu) };
		enum vapp_pverdict v = vapp_policy_lookup(a->app, &key);

		FZ_CHECK(v == a->rt[k].v, "app %d %pFX recorded %s, model %s", i, &p,
			 vapp_pverdict_name(v), vapp_pverdict_name(a->rt[k].v));
	}
	check_walk(r, i);
}

static void check_all(struct run *r, bool routes)
{
	size_t live = 0;

	for (int i = 0; i < NAPP; i++) {
		check_app(r, i);
		if (routes)
			check_routes(r, i);
		live += r->apps[i].live;
	}
	FZ_CHECK(vapp_app_count(r->inst) == live, "%zu appliances, model %zu",
		 vapp_app_count(r->inst), live);
	for (int i = 0; i < NPOOL; i++) {
		struct mpool *mp = &r->pools[i];

		FZ_CHECK((vapp_pool_lookup(r->inst, pool_names[i]) != NULL) == mp->live,
			 "pool %d existence", i);
		if (!mp->live)
			continue;
		FZ_CHECK(mp->pool->ranges.count == (unsigned int)mp->nr,
			 "pool %d: %u ranges, model %d", i, mp->pool->ranges.count, mp->nr);
		FZ_CHECK(mp->pool->listen.count == (unsigned int)mp->nl,
			 "pool %d: %u listen ranges, model %d", i, mp->pool->listen.count, mp->nl);
	}
}

/* ---- operations ------------------------------------------------------------ */

static void pool_create(struct run *r, int i)
{
	struct mpool *mp = &r->pools[i];

	memset(mp, 0, sizeof(*mp));
	mp->live = true;
	mp->nh = VAPP_NH_PEER_ADDRESS;
	mp->pool = vapp_pool_new(pool_names[i]);
	/* admission is another harness's subject: let everyone in */
	mp->pool->quarantine.enabled = false;
	FZ_CHECK(vapp_pool_attach(r->inst, mp->pool) == 0, "attach %d", i);
	vapp_pool_set_peer_group(mp->pool, pg_names[i]);
}

static void pool_delete(struct run *r, int i)
{
	vapp_pool_del(r->pools[i].pool);
	r->pools[i].live = false;
	r->pools[i].pool = NULL;
	/* its appliances stay, with no pool */
	for (int k = 0; k < NAPP; k++)
		if (r->apps[k].live && r->apps[k].pool == i)
			r->apps[k].pool = -1;
}

static void op_range_set(struct run *r, int i)
{
	struct mpool *mp = &r->pools[i];
	struct mpfx raw, m;
	struct vapp_range vr;
	struct prefix p;
	uint8_t ge, le, max;
	const char *err;
	bool valid;
	int k;

	gen_pfx(&r->f, gen_fam(&r->f), &raw, &m);
	max = (uint8_t)m_maxlen(m.fam);
	/* ge/le: absent, around the prefix length, up to past the maximum */
	ge = fz_bool(&r->f) ? 0 : (uint8_t)(m.len + fz_below(&r->f, 8) - 2);
	le = fz_bool(&r->f) ? 0 : (uint8_t)(m.len + fz_below(&r->f, 12) - 2);
	if (fz_u8(&r->f) < 16)
		ge = fz_u8(&r->f), le = fz_u8(&r->f);
	valid = (!ge || (ge >= m.len && ge <= max)) && (!le || (le >= m.len && le <= max)) &&
		!(ge && le && ge > le);
	p = to_prefix(&raw);
	err = vapp_range_bounds(&p, ge, le, &vr);
	FZ_CHECK(!err == valid, "bounds %pFX ge %u le %u: core %s, model %s", &p, ge, le,
		 err ? err : "valid", valid ? "valid" : "invalid");
	if (!valid)
		return;
	{
		/* exact; ge N: N..max; le N: len..N; both: ge..le */
		uint8_t lo = ge ? ge : m.len;
		uint8_t hi = le ? le : (ge ? max : m.len);

		FZ_CHECK(vr.lo == lo && vr.hi == hi, "bounds %pFX ge %u le %u: %u-%u, model %u-%u",
			 &p, ge, le, vr.lo, vr.hi, lo, hi);
		for (k = 0; k < mp->nr; k++)
			if (m_pfx_same(&mp->r[k].p, &m))
				break;
		if (k == mp->nr) {
			if (mp->nr == NRANGE)
				return;
			mp->nr++;
		}
		mp->r[k].p = m;
		mp->r[k].lo = lo;
		mp->r[k].hi = hi;
	}
	vapp_rangeset_set(&mp->pool->ranges, &p, &vr);
	fz_trace("pool %d prefix %pFX %u-%u", i, &p, vr.lo, vr.hi);
}

static void op_range_del(struct run *r, int i)
{
	struct mpool *mp = &r->pools[i];
	struct mpfx raw, m;
	struct prefix p;
	int k;

	if (mp->nr && fz_u8(&r->f) < 200) {
		m = raw = mp->r[fz_below(&r->f, mp->nr)].p;
	} else {
		gen_pfx(&r->f, gen_fam(&r->f), &raw, &m);
	}
	for (k = 0; k < mp->nr; k++)
		if (m_pfx_same(&mp->r[k].p, &m))
			break;
	p = to_prefix(&raw);
	fz_trace("pool %d no prefix %pFX", i, &p);
	FZ_CHECK(vapp_rangeset_del(&mp->pool->ranges, &p) == (k < mp->nr), "range del %pFX", &p);
	if (k < mp->nr)
		mp->r[k] = mp->r[--mp->nr];
}

static void op_listen(struct run *r, int i)
{
	struct mpool *mp = &r->pools[i];
	struct mpfx raw, m;
	struct prefix p;
	bool add = fz_bool(&r->f);
	int k;

	if (!add && mp->nl && fz_bool(&r->f))
		m = raw = mp->listen[fz_below(&r->f, mp->nl)];
	else
		gen_pfx(&r->f, gen_fam(&r->f), &raw, &m);
	for (k = 0; k < mp->nl; k++)
		if (m_pfx_same(&mp->listen[k], &m))
			break;
	p = to_prefix(&raw);
	if (add) {
		if (k == mp->nl && mp->nl == NLISTEN)
			return;
		FZ_CHECK(vapp_pfxset_add(&mp->pool->listen, &p) == (k == mp->nl), "listen add %pFX",
			 &p);
		if (k == mp->nl)
			mp->listen[mp->nl++] = m;
	} else {
		FZ_CHECK(vapp_pfxset_del(&mp->pool->listen, &p) == (k < mp->nl), "listen del %pFX",
			 &p);
		if (k < mp->nl)
			mp->listen[k] = mp->listen[--mp->nl];
	}
}

static void op_anycast(struct run *r)
{
	int k = fz_below(&r->f, NANY);
	struct maddr a = gen_addr(&r->f, gen_fam(&r->f));
	struct mpfx m = { .fam = a.fam, .len = (uint8_t)m_maxlen(a.fam) };
	struct prefix p;

	memcpy(m.b, a.b, 16);
	if (r->any_live[k]) {
		struct mpfx old = r->any[k];

		p = to_prefix(&old);
		/* another slot may hold the same address: one object */
		r->any_live[k] = false;
		for (int j = 0; j < NANY; j++)
			if (r->any_live[j] && m_pfx_same(&r->any[j], &old))
				r->any_live[j] = false;
		fz_trace("no anycast %pFX", &p);
		vapp_anycast_del(vapp_anycast_find(r->inst, &p));
		return;
	}
	p = to_prefix(&m);
	fz_trace("anycast %pFX", &p);
	vapp_anycast_get(r->inst, &p);
	r->any[k] = m;
	r->any_live[k] = true;
}

static void app_close(struct run *r, int i)
{
	fz_trace("app %d closes", i);
	vapp_app_closed(r->apps[i].app, NOW);
	r->apps[i].live = false;
	r->apps[i].app = NULL;
}

static void op_connect(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	int pool = fz_below(&r->f, NPOOL);
	struct maddr addr = gen_addr(&r->f, gen_fam(&r->f));
	struct ipaddr ia = to_ipaddr(&addr);
	struct vapp_facts facts = {};

	if (a->live)
		app_close(r, i);
	/* one neighbor per address: a record left there is stale, dropped */
	for (int k = 0; k < NAPP; k++)
		if (r->apps[k].live && m_addr_same(&r->apps[k].addr, &addr))
			r->apps[k].live = false;
	memset(a, 0, sizeof(*a));
	a->live = true;
	a->addr = addr;
	a->pool = r->pools[pool].live ? pool : -1;
	a->state = a->pool < 0 ? VAPP_APP_REJECTED : VAPP_APP_CONNECTING;
	a->app = vapp_admit_connect(r->inst, pg_names[pool], &ia, a, &facts, NOW);
	fz_trace("app %d connects from %pIA to %s: %s", i, &ia, pg_names[pool],
		 vapp_app_state_name(a->app->state));
}

static void op_open(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	struct in_addr rid = { .s_addr = htonl(++r->next_rid) };
	struct in_addr own = { .s_addr = htonl(OWN_ID) };

	vapp_admit_open(a->app, APP_ASN, rid, own, NOW);
	fz_trace("app %d OPEN: %s", i, vapp_app_state_name(a->app->state));
	if (a->state == VAPP_APP_CONNECTING && a->pool >= 0)
		a->state = VAPP_APP_ADMITTED;
}

static struct maddr gen_nh(struct run *r, const struct mapp *a)
{
	struct maddr nh;

	switch (fz_below(&r->f, 6)) {
	case 0:
	case 1:
		return a->addr;
	case 2:
		/* an IPv4 session's next hop as IPv4-mapped IPv6 */
		nh = a->addr;
		if (nh.fam == 4) {
			memmove(nh.b + 12, nh.b, 4);
			memset(nh.b, 0, 12);
			nh.b[10] = nh.b[11] = 0xff;
			nh.fam = 6;
		}
		return nh;
	case 3:
		nh = gen_addr(&r->f, 4);
		memmove(nh.b + 12, nh.b, 4);
		memset(nh.b, 0, 12);
		nh.b[10] = nh.b[11] = 0xff;
		nh.fam = 6;
		return nh;
	default:
		return gen_addr(&r->f, gen_fam(&r->f));
	}
}

static void announce(struct run *r, int i, const struct mpfx *raw, const struct mpfx *m,
		     uint32_t id, bool lu, const struct maddr *nh)
{
	struct mapp *a = &r->apps[i];
	struct prefix p = to_prefix(raw);
	struct vapp_rkey key = { .p = p, .path_id = id, .safi = m_safi(lu) };
	struct ipaddr n = to_ipaddr(nh);
	int k = m_route_find(a, m, id, lu);
	uint8_t want, got, ev;

	if (k < 0 && a->nrt == NROUTE)
		return;
	want = m_eval(r, a, m, id, lu, nh);
	/* the same question without recording first */
	ev = vapp_policy_eval(a->app, &p, &n, k >= 0 && a->rt[k].v == VAPP_P_ACCEPTED);
	FZ_CHECK(ev == want, "app %d eval %pFX via %pIA: %s, model %s", i, &p, &n,
		 vapp_pverdict_name(ev), vapp_pverdict_name(want));
	got = vapp_policy_announce(a->app, &key, &n);
	fz_trace("app %d announces %pFX path %u%s via %pIA: %s", i, &p, id, lu ? " (LU)" : "", &n,
		 vapp_pverdict_name(got));
	FZ_CHECK(got == want, "app %d announce %pFX via %pIA: %s, model %s", i, &p, &n,
		 vapp_pverdict_name(got), vapp_pverdict_name(want));
	if (k < 0)
		k = a->nrt++;
	a->rt[k].p = *m;
	a->rt[k].id = id;
	a->rt[k].lu = lu;
	a->rt[k].v = want;
	a->rt[k].nh = *nh;
}

/* a prefix one of the other appliances holds (the same prefix from several) */
static bool live_other(struct run *r, int i, struct mpfx *out)
{
	int j = fz_below(&r->f, NAPP);

	for (int n = 0; n < NAPP; n++, j = (j + 1) % NAPP)
		if (j != i && r->apps[j].live && r->apps[j].nrt) {
			*out = r->apps[j].rt[fz_below(&r->f, r->apps[j].nrt)].p;
			return true;
		}
	return false;
}

static void op_announce(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	struct mpfx raw, m;
	struct maddr nh;
	uint32_t id = fz_below(&r->f, 3); /* ADD-PATH: another path of a prefix */
	bool lu = fz_u8(&r->f) < 64;	  /* the prefix in labeled-unicast */
	int k;

	if (a->nrt && fz_u8(&r->f) < 80) {
		k = fz_below(&r->f, a->nrt);
		m = raw = a->rt[k].p;
		if (fz_bool(&r->f)) {
			id = a->rt[k].id;
			lu = a->rt[k].lu;
		}
	} else if (fz_u8(&r->f) < 64 && live_other(r, i, &m)) {
		raw = m; /* a prefix another appliance announced */
	} else {
		gen_pfx(&r->f, gen_fam(&r->f), &raw, &m);
	}
	nh = gen_nh(r, a);
	announce(r, i, &raw, &m, id, lu, &nh);
}

static void m_withdraw(struct mapp *a, const struct mpfx *m, uint32_t id, bool lu)
{
	int k = m_route_find(a, m, id, lu);

	if (k >= 0)
		m_route_del(a, k);
}

static void op_withdraw(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	struct mpfx raw, m;
	struct vapp_rkey key = { 0 };
	uint32_t id = fz_below(&r->f, 3);
	bool lu = fz_u8(&r->f) < 64;
	int k;

	if (a->nrt && fz_u8(&r->f) < 200) {
		k = fz_below(&r->f, a->nrt);
		m = raw = a->rt[k].p;
		if (fz_u8(&r->f) < 220) {
			id = a->rt[k].id;
			lu = a->rt[k].lu;
		}
	} else {
		gen_pfx(&r->f, gen_fam(&r->f), &raw, &m);
	}
	key.p = to_prefix(&raw);
	key.path_id = id;
	key.safi = m_safi(lu);
	fz_trace("app %d withdraws %pFX path %u%s", i, &key.p, id, lu ? " (LU)" : "");
	vapp_policy_withdraw(a->app, &key);
	m_withdraw(a, &m, id, lu);
}

/* the glue's re-evaluation after a policy change: every route again */
static void op_reannounce_all(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	struct maddr nh = a->addr;

	/* with the session address as next hop, or each from the input */
	for (int k = 0; k < a->nrt; k++) {
		struct mpfx m = a->rt[k].p;

		if (fz_u8(&r->f) & 1)
			nh = gen_nh(r, a);
		announce(r, i, &m, &m, a->rt[k].id, a->rt[k].lu, &nh);
	}
}

static void on_withdrawn(const struct vapp_rkey *k, bool withdrawn, void *arg)
{
	struct run *r = arg;
	const struct prefix *p = &k->p;
	struct prefix m = *p;

	/* the generated UPDATEs carry withdrawals only; damaged ones may
	 * read as announcements, which the reference reports too */
	apply_mask(&m);
	FZ_CHECK(prefix_same(&m, p), "UPDATE reader handed over %pFX unmasked", p);
	FZ_CHECK(p->prefixlen <= (p->family == AF_INET ? 32 : 128), "bad length %u", p->prefixlen);
	if (r->nwd < NWD) {
		r->wd[r->nwd].p = from_prefix(p);
		r->wd[r->nwd].id = k->path_id;
		r->wd[r->nwd].wd = withdrawn;
		r->wd[r->nwd].lu = k->safi == SAFI_LABELED_UNICAST;
		r->nwd++;
	} else {
		r->wd_overflow = true;
	}
}

/*
 * A reference reader of the paths in an UPDATE body (RFC 4271 4.3, RFC
 * 4760 3-4, RFC 7911 3, RFC 8277 2), written plainly: false when the
 * structure does not hold together. Order as bgpd processes them: NLRI
 * (only when there are attributes), Withdrawn Routes, each MP_REACH_NLRI,
 * each MP_UNREACH_NLRI; only IPv4/IPv6 unicast (SAFI 1) and labeled-unicast
 * (SAFI 4) ones. Labels: 3 octets each until one has the bottom-of-stack
 * bit or is a withdrawal's 0x800000 / 0x000000.
 */
static bool ref_nlri(const uint8_t *b, size_t len, uint8_t fam, bool addpath, bool lu, bool wd,
		     struct mpath *out, int *nout)
{
	size_t i = 0;

	while (i < len) {
		struct mpath m = { .p.fam = fam, .wd = wd, .lu = lu };
		size_t bits, bytes, lb = 0;

		if (addpath) {
			if (len - i < 4)
				return false;
			m.id = (uint32_t)b[i] << 24 | (uint32_t)b[i + 1] << 16 |
			       (uint32_t)b[i + 2] << 8 | b[i + 3];
			i += 4;
			if (i == len)
				return false;
		}
		bits = b[i++];
		bytes = (bits + 7u) / 8u;
		if (len - i < bytes)
			return false;
		if (lu) {
			bool end = false;

			while (!end && lb + 3 <= bytes) {
				const uint8_t *l = b + i + lb;

				lb += 3;
				end = (l[2] & 1) || ((l[0] == 0x80 || l[0] == 0) && l[1] == 0 &&
						     (l[2] == 0 || l[2] == 2));
			}
			/* no bottom of stack and octets left: bgpd reads on and fails */
			if (!lb || (!end && lb < bytes))
				return false;
		}
		if (bits < lb * 8 || bits - lb * 8 > m_maxlen(fam))
			return false;
		m.p.len = (uint8_t)(bits - lb * 8);
		for (size_t k = lb; k < bytes; k++)
			m.p.b[k - lb] = b[i + k];
		i += bytes;
		m_mask(&m.p);
		if (*nout < NWD)
			out[*nout] = m;
		(*nout)++;
	}
	return true;
}

static bool ref_update(const uint8_t *b, size_t len, const bool ap[2][2], struct mpath *out,
		       int *nout)
{
	size_t wlen, alen, a0, i;

	*nout = 0;
	if (len < 4)
		return false;
	wlen = b[0] * 256u + b[1];
	if (len < 4 + wlen)
		return false;
	a0 = 2 + wlen + 2;
	alen = b[a0 - 2] * 256u + b[a0 - 1];
	if (len - a0 < alen)
		return false;
	/* the attributes must hold together first */
	for (i = a0; i < a0 + alen;) {
		size_t hl = (b[i] & 0x10) ? 4 : 3, vlen;

		if (a0 + alen - i < hl)
			return false;
		vlen = hl == 4 ? b[i + 2] * 256u + b[i + 3] : b[i + 2];
		if (a0 + alen - i - hl < vlen)
			return false;
		i += hl + vlen;
	}
	if (alen && len > a0 + alen &&
	    !ref_nlri(b + a0 + alen, len - a0 - alen, 4, ap[0][0], false, false, out, nout))
		return false;
	if (!ref_nlri(b + 2, wlen, 4, ap[0][0], false, true, out, nout))
		return false;
	for (int pass = 14; pass <= 15; pass++)
		for (i = a0; i < a0 + alen;) {
			size_t hl = (b[i] & 0x10) ? 4 : 3;
			size_t vlen = hl == 4 ? b[i + 2] * 256u + b[i + 3] : b[i + 2];
			const uint8_t *v = b + i + hl;

			i += hl + vlen;
			if (b[i - hl - vlen + 1] != pass)
				continue;
			if (vlen < 3)
				return false;
			unsigned int afi = v[0] * 256u + v[1], safi = v[2];
			size_t skip = 3;

			if ((afi != 1 && afi != 2) || (safi != 1 && safi != 4))
				continue;
			if (pass == 14) {
				if (vlen < 4 || vlen < 5u + v[3])
					return false;
				skip = 5u + v[3];
			}
			if (!ref_nlri(v + skip, vlen - skip, afi == 1 ? 4 : 6,
				      ap[afi - 1][safi == 4], safi == 4, pass == 15, out, nout))
				return false;
		}
	return true;
}

/* the UPDATE reader against the reference reader on any bytes */
static bool same_path(const struct mpath *a, const struct mpath *b)
{
	return m_pfx_same(&a->p, &b->p) && a->id == b->id && a->wd == b->wd && a->lu == b->lu;
}

/* the withdrawals reach the core and the model (announcements need the glue) */
static void apply_withdrawals(struct run *r, int i)
{
	for (int k = 0; k < r->nwd && k < NWD; k++) {
		struct vapp_rkey key = { .p = to_prefix(&r->wd[k].p),
					 .path_id = r->wd[k].id,
					 .safi = m_safi(r->wd[k].lu) };

		if (!r->wd[k].wd)
			continue;
		vapp_policy_withdraw(r->apps[i].app, &key);
		m_withdraw(&r->apps[i], &r->wd[k].p, r->wd[k].id, r->wd[k].lu);
	}
}

static void compare_update(struct run *r, int i, const uint8_t *body, size_t len, bool ap4, bool ap6)
{
	const bool ap[2][2] = { { ap4, ap4 }, { ap6, ap6 } };
	struct mpath ref[NWD];
	int nref;
	bool ok, rok;

	r->nwd = 0;
	r->wd_overflow = false;
	ok = vapp_update_paths(body, len, ap, on_withdrawn, r);
	rok = ref_update(body, len, ap, ref, &nref);
	FZ_CHECK(ok == rok, "UPDATE reader says %s, reference %s", ok ? "ok" : "malformed",
		 rok ? "ok" : "malformed");
	FZ_CHECK(r->nwd == nref || (r->wd_overflow && nref > NWD),
		 "UPDATE reader: %d paths, reference %d", r->nwd, nref);
	for (int k = 0; k < r->nwd && k < NWD; k++) {
		struct prefix p = to_prefix(&r->wd[k].p);

		FZ_CHECK(same_path(&ref[k], &r->wd[k]), "UPDATE path %d (%pFX) differs", k, &p);
	}
	apply_withdrawals(r, i);
}

/* the path identifier put_nlri() writes for @junk */
static uint32_t put_id(uint8_t junk)
{
	return (uint32_t)junk << 8 | 1;
}

/* writes one NLRI: [path id], length, the prefix's significant octets */
static size_t put_nlri(uint8_t *b, const struct mpfx *raw, bool addpath, uint8_t junk)
{
	size_t n = 0, bytes = (raw->len + 7) / 8;

	if (addpath) {
		b[n++] = 0, b[n++] = 0, b[n++] = junk, b[n++] = 1;
	}
	b[n++] = raw->len;
	memcpy(b + n, raw->b, bytes);
	/* bits past the length in the last octet are not the prefix's */
	if (raw->len % 8)
		b[n + bytes - 1] |= junk & (0xff >> (raw->len % 8));
	return n + bytes;
}

static size_t put_attr(uint8_t *b, uint8_t type, const uint8_t *val, size_t vlen, bool ext)
{
	size_t n = 0;

	b[n++] = ext ? 0x90 : 0x80;
	b[n++] = type;
	if (ext)
		b[n++] = (uint8_t)(vlen >> 8);
	b[n++] = (uint8_t)vlen;
	memcpy(b + n, val, vlen);
	return n + vlen;
}

/*
 * Withdrawals as bgpd receives them: a BGP UPDATE body with IPv4 in the
 * Withdrawn Routes field and MP_UNREACH_NLRI attributes (IPv6 or IPv4,
 * unicast; a multicast one as a decoy), with or without add-path and
 * extended attribute lengths. The reader must report exactly the encoded
 * unicast prefixes, in order.
 */
static void op_update(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	struct mpfx want[16], raw, m;
	uint32_t wantid[16];
	int nwant = 0;
	bool ap4 = fz_bool(&r->f), ap6 = fz_bool(&r->f);
	uint8_t body[1024], mp4[256], mp6[256], mpm[256];
	size_t n = 0, l4 = 0, l6 = 0, lm = 0, wlen, alen_at;
	int count = 1 + fz_below(&r->f, 8);
	/* which prefixes go where: field, MP v4, MP v6 */
	struct mpfx field[8], v4mp[8], v6mp[8];
	int nf = 0, nv4 = 0, nv6 = 0;

	for (int k = 0; k < count; k++) {
		if (a->nrt && fz_u8(&r->f) < 170)
			m = raw = a->rt[fz_below(&r->f, a->nrt)].p;
		else
			gen_pfx(&r->f, gen_fam(&r->f), &raw, &m);
		if (m.fam == 6)
			v6mp[nv6++] = m;
		else if (fz_bool(&r->f))
			field[nf++] = m;
		else
			v4mp[nv4++] = m;
	}
	/* Withdrawn Routes field */
	n = 2;
	for (int k = 0; k < nf; k++) {
		uint8_t j = fz_u8(&r->f);

		n += put_nlri(body + n, &field[k], ap4, j);
		wantid[nwant] = ap4 ? put_id(j) : 0;
		want[nwant++] = field[k];
	}
	wlen = n - 2;
	body[0] = (uint8_t)(wlen >> 8);
	body[1] = (uint8_t)wlen;
	/* attributes: ORIGIN, MP_UNREACH v6, decoy, MP_UNREACH v4 */
	alen_at = n;
	n += 2;
	{
		uint8_t origin = 0;

		n += put_attr(body + n, 1, &origin, 1, fz_bool(&r->f));
	}
	uint32_t id6[8], id4[8];

	mp6[0] = 0, mp6[1] = 2, mp6[2] = 1, l6 = 3;
	for (int k = 0; k < nv6; k++) {
		uint8_t j = fz_u8(&r->f);

		l6 += put_nlri(mp6 + l6, &v6mp[k], ap6, j);
		id6[k] = ap6 ? put_id(j) : 0;
	}
	mp4[0] = 0, mp4[1] = 1, mp4[2] = 1, l4 = 3;
	for (int k = 0; k < nv4; k++) {
		uint8_t j = fz_u8(&r->f);

		l4 += put_nlri(mp4 + l4, &v4mp[k], ap4, j);
		id4[k] = ap4 ? put_id(j) : 0;
	}
	/* multicast IPv6: not ours to count */
	mpm[0] = 0, mpm[1] = 2, mpm[2] = 2, lm = 3;
	for (int k = 0; k < nv6; k++)
		lm += put_nlri(mpm + lm, &v6mp[k], ap6, 0);
	if (nv6) {
		n += put_attr(body + n, 15, mp6, l6, l6 > 255 || fz_bool(&r->f));
		for (int k = 0; k < nv6; k++) {
			wantid[nwant] = id6[k];
			want[nwant++] = v6mp[k];
		}
	}
	if (fz_bool(&r->f))
		n += put_attr(body + n, 15, mpm, lm, lm > 255 || fz_bool(&r->f));
	if (nv4) {
		n += put_attr(body + n, 15, mp4, l4, l4 > 255 || fz_bool(&r->f));
		for (int k = 0; k < nv4; k++) {
			wantid[nwant] = id4[k];
			want[nwant++] = v4mp[k];
		}
	}
	body[alen_at] = (uint8_t)((n - alen_at - 2) >> 8);
	body[alen_at + 1] = (uint8_t)(n - alen_at - 2);

	/* now and then damaged: cut short, or one octet changed */
	if (fz_u8(&r->f) < 40) {
		uint8_t how = fz_u8(&r->f);

		if (how & 1)
			n = fz_u16(&r->f) % (n + 1);
		else if (n)
			body[fz_u16(&r->f) % n] ^= (uint8_t)(1 + fz_u8(&r->f) % 255);
		compare_update(r, i, body, n, ap4, ap6);
		return;
	}
	r->nwd = 0;
	r->wd_overflow = false;
	{
		const bool ap[2][2] = { { ap4, ap4 }, { ap6, ap6 } };

		FZ_CHECK(vapp_update_paths(body, n, ap, on_withdrawn, r),
			 "well-formed UPDATE refused");
	}
	FZ_CHECK(r->nwd == nwant, "UPDATE: %d withdrawals read, %d encoded", r->nwd, nwant);
	for (int k = 0; k < nwant && k < r->nwd; k++) {
		struct prefix p = to_prefix(&want[k]), q = to_prefix(&r->wd[k].p);

		FZ_CHECK(m_pfx_same(&want[k], &r->wd[k].p) && r->wd[k].wd &&
				 r->wd[k].id == wantid[k],
			 "UPDATE withdrawal %d: %pFX path %u, encoded %pFX path %u", k, &q,
			 r->wd[k].id, &p, wantid[k]);
	}
	apply_withdrawals(r, i);
	(void)a;
}

/* raw bytes through the UPDATE reader */
static void op_update_raw(struct run *r, int i)
{
	uint8_t body[128];
	size_t len = fz_below(&r->f, sizeof(body) + 1);
	bool ap4 = fz_bool(&r->f), ap6 = fz_bool(&r->f);

	for (size_t k = 0; k < len; k++)
		body[k] = fz_u8(&r->f);
	/* a plausible header now and then, so the reader gets past it */
	if (len >= 4 && (body[0] & 0x80)) {
		size_t w = body[1] % (len - 3);

		body[0] = 0;
		body[1] = (uint8_t)w;
		if (body[2 + w] & 0x80) {
			body[2 + w] = 0;
			body[3 + w] = (uint8_t)(len - 4 - w);
		}
	}
	compare_update(r, i, body, len, ap4, ap6);
}

static void op_reserved_probe(struct run *r)
{
	struct mpfx raw, m;
	struct prefix p;

	gen_pfx(&r->f, gen_fam(&r->f), &raw, &m);
	p = to_prefix(&raw);
	FZ_CHECK(vapp_inst_reserved_hit(r->inst, &p) == m_reserved(r, &m), "reserved %pFX", &p);
}

static void op_lookup_probe(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	struct mpfx raw, m;
	struct prefix p;
	int k;

	gen_pfx(&r->f, gen_fam(&r->f), &raw, &m);
	{
		uint32_t id = fz_below(&r->f, 3);
		bool lu = fz_bool(&r->f);
		struct vapp_rkey key = { .path_id = id, .safi = m_safi(lu) };

		k = m_route_find(a, &m, id, lu);
		p = to_prefix(&raw);
		key.p = p;
		FZ_CHECK(vapp_policy_lookup(a->app, &key) == (k < 0 ? VAPP_P_MAX : a->rt[k].v),
			 "lookup %pFX path %u%s", &p, id, lu ? " (LU)" : "");
	}
}

static int live_app(struct run *r)
{
	int i = fz_below(&r->f, NAPP);

	for (int k = 0; k < NAPP; k++, i = (i + 1) % NAPP)
		if (r->apps[i].live)
			return i;
	return -1;
}

static void run_one(struct run *r)
{
	for (int ops = 0; ops < MAX_OPS && fz_more(&r->f); ops++) {
		uint8_t op = fz_u8(&r->f);
		int p = fz_below(&r->f, NPOOL), a;

		switch (op % 20) {
		case 0:
		case 1:
			if (r->pools[p].live)
				op_range_set(r, p);
			break;
		case 2:
			if (r->pools[p].live)
				op_range_del(r, p);
			break;
		case 3:
			if (r->pools[p].live) {
				r->pools[p].pool->nh_mode = r->pools[p].nh =
					(enum vapp_nh_mode)fz_below(&r->f, 3);
				fz_trace("pool %d next-hop %s", p,
					 vapp_nh_mode_name(r->pools[p].nh));
			}
			break;
		case 4:
			if (r->pools[p].live) {
				static const uint32_t lims[] = { 0, 0, 1, 2, 3, 5, 0xffffffff };

				r->pools[p].pool->max_prefixes = r->pools[p].maxp = fz_pick(&r->f,
											    lims);
				fz_trace("pool %d max-prefixes %u", p, r->pools[p].maxp);
			}
			break;
		case 5:
			if (r->pools[p].live)
				op_listen(r, p);
			break;
		case 6:
			op_anycast(r);
			break;
		case 7:
			fz_trace("pool %d %s", p, r->pools[p].live ? "deleted" : "created");
			if (r->pools[p].live)
				pool_delete(r, p);
			else
				pool_create(r, p);
			break;
		case 8:
		case 9:
			op_connect(r, fz_below(&r->f, NAPP));
			break;
		case 10:
			a = live_app(r);
			if (a >= 0)
				op_open(r, a);
			break;
		case 11:
			a = live_app(r);
			if (a >= 0 && fz_u8(&r->f) < 64)
				app_close(r, a);
			break;
		case 12:
		case 13:
		case 14:
			a = live_app(r);
			if (a >= 0)
				op_announce(r, a);
			break;
		case 15:
			a = live_app(r);
			if (a >= 0)
				op_withdraw(r, a);
			break;
		case 16:
			a = live_app(r);
			if (a >= 0)
				op_reannounce_all(r, a);
			break;
		case 17:
			a = live_app(r);
			if (a >= 0)
				op_update(r, a);
			break;
		case 18:
			a = live_app(r);
			if (a >= 0)
				op_update_raw(r, a);
			break;
		case 19:
			op_reserved_probe(r);
			a = live_app(r);
			if (a >= 0)
				op_lookup_probe(r, a);
			break;
		}
		check_all(r, false);
	}
	check_all(r, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run r;

	memset(&r, 0, sizeof(r));
	fz_init(&r.f, data, size);
	vapp_ctx_init(&r.ctx);
	r.inst = vapp_inst_get(&r.ctx, NULL);
	/* the first input byte says which pools exist at the start */
	{
		uint8_t first = fz_u8(&r.f);

		for (int i = 0; i < NPOOL; i++)
			if (i == 0 || (first >> i) & 1)
				pool_create(&r, i);
	}
	run_one(&r);
	/* everything goes with the context (leak detection checks it) */
	vapp_ctx_fini(&r.ctx);
	return 0;
}
