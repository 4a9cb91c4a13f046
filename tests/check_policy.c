// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the appliance prefix policy.
 */
#include <zebra.h>

#include <check.h>

#include "darr.h"

#include "module/vapp_policy.h"
#include "check_vapp.h"

static struct vapp_ctx ctx;
static struct vapp_inst *inst;
static struct vapp_pool *pool;

static struct ipaddr A(const char *s) {
	struct ipaddr ip;

	ck_assert_int_eq(str2ipaddr(s, &ip), 0);
	return ip;
}

static struct prefix
P(const char *s) {
	struct prefix p;

	ck_assert_msg(str2prefix(s, &p), "bad prefix %s", s);
	return p;
}

static struct in_addr
I(const char *s) {
	struct in_addr in;

	inet_pton(AF_INET, s, &in);
	return in;
}

static void
range(const char *pfx, uint8_t ge, uint8_t le)
{
	struct prefix p = P(pfx);
	struct vapp_range r;

	ck_assert_ptr_null(vapp_range_bounds(&p, ge, le, &r));
	vapp_rangeset_set(&pool->ranges, &p, &r);
}

static struct vapp_app *admitted(const char *src)
{
	static uint32_t rid = 0x0a0a0000;
	struct ipaddr a = A(src);
	struct vapp_facts facts = {};
	struct vapp_app *app = vapp_admit_connect(inst, "APPL", &a, NULL, &facts, 1000);
	struct in_addr id = { .s_addr = htonl(++rid) };

	vapp_admit_open(app, 65001, id, I("10.255.0.1"), 1000);
	ck_assert_int_eq(app->state, VAPP_APP_ADMITTED);
	return app;
}

/* a path key: unicast, path identifier 0 unless given */
#define RK(pp) (&(struct vapp_rkey){ .p = *(pp), .safi = SAFI_UNICAST })

static enum vapp_pverdict ann_id(struct vapp_app *app, const char *pfx, uint32_t id, const char *nh)
{
	struct vapp_rkey k = { .p = P(pfx), .path_id = id, .safi = SAFI_UNICAST };
	struct ipaddr n = A(nh);

	return vapp_policy_announce(app, &k, &n);
}

static enum vapp_pverdict ann(struct vapp_app *app, const char *pfx, const char *nh)
{
	return ann_id(app, pfx, 0, nh);
}

static void wd_id(struct vapp_app *app, const char *pfx, uint32_t id)
{
	struct vapp_rkey k = { .p = P(pfx), .path_id = id, .safi = SAFI_UNICAST };

	vapp_policy_withdraw(app, &k);
}

static void wd(struct vapp_app *app, const char *pfx)
{
	wd_id(app, pfx, 0);
}

static void setup(void)
{
	vapp_ctx_init(&ctx);
	inst = vapp_inst_get(&ctx, NULL);
	pool = vapp_pool_new("web");
	vapp_pool_attach(inst, pool);
	vapp_pool_set_peer_group(pool, "APPL");
}

static void teardown(void)
{
	vapp_ctx_fini(&ctx);
}

START_TEST(bounds_validation)
{
	struct vapp_range r;
	struct prefix p = P("10.1.0.0/24");

	ck_assert_ptr_null(vapp_range_bounds(&p, 0, 0, &r));
	ck_assert_uint_eq(r.lo, 24);
	ck_assert_uint_eq(r.hi, 24);
	ck_assert_ptr_null(vapp_range_bounds(&p, 29, 0, &r));
	ck_assert_uint_eq(r.lo, 29);
	ck_assert_uint_eq(r.hi, 32);
	ck_assert_ptr_null(vapp_range_bounds(&p, 0, 28, &r));
	ck_assert_uint_eq(r.lo, 24);
	ck_assert_uint_eq(r.hi, 28);
	ck_assert_ptr_null(vapp_range_bounds(&p, 24, 24, &r)); /* M <= ge allowed */
	ck_assert_ptr_null(vapp_range_bounds(&p, 32, 32, &r));
	ck_assert_ptr_nonnull(vapp_range_bounds(&p, 23, 0, &r));
	ck_assert_ptr_nonnull(vapp_range_bounds(&p, 0, 20, &r));
	ck_assert_ptr_nonnull(vapp_range_bounds(&p, 30, 29, &r));
	ck_assert_ptr_nonnull(vapp_range_bounds(&p, 0, 33, &r));
	p = P("2001:db8::/48");
	ck_assert_ptr_null(vapp_range_bounds(&p, 64, 128, &r));
	ck_assert_uint_eq(r.hi, 128);
	ck_assert_ptr_nonnull(vapp_range_bounds(&p, 64, 129, &r));
	p = P("0.0.0.0/0");
	ck_assert_ptr_null(vapp_range_bounds(&p, 0, 32, &r));
	ck_assert_uint_eq(r.lo, 0);
}
END_TEST

START_TEST(rangeset_edges)
{
	struct prefix p;

	range("192.0.2.0/24", 29, 32);
	range("198.51.100.7/32", 0, 0);
	range("2001:db8:1::/48", 64, 64);
	range("10.0.0.0/8", 0, 16);
	range("10.5.0.0/16", 24, 24); /* nested: a deeper entry, other lengths */

#define M(pfx, v)                                                                                  \
	do {                                                                                       \
		p = P(pfx);                                                                        \
		ck_assert_msg(vapp_rangeset_match(&pool->ranges, &p) == (v), "%s", pfx);           \
	} while (0)
	M("192.0.2.8/29", VAPP_P_ACCEPTED);
	M("192.0.2.9/32", VAPP_P_ACCEPTED);
	M("192.0.2.0/28", VAPP_P_PREFIX_LENGTH);
	M("192.0.2.0/24", VAPP_P_PREFIX_LENGTH);
	M("192.0.3.0/29", VAPP_P_OUTSIDE_RANGE);
	M("192.0.0.0/16", VAPP_P_OUTSIDE_RANGE); /* covers the range, is not in it */
	M("198.51.100.7/32", VAPP_P_ACCEPTED);
	M("198.51.100.6/32", VAPP_P_OUTSIDE_RANGE);
	M("2001:db8:1:5::/64", VAPP_P_ACCEPTED);
	M("2001:db8:1::/56", VAPP_P_PREFIX_LENGTH);
	M("2001:db8:1::1/128", VAPP_P_PREFIX_LENGTH);
	M("2001:db8:2::/64", VAPP_P_OUTSIDE_RANGE);
	M("10.5.7.0/24", VAPP_P_ACCEPTED); /* by the /16 */
	M("10.5.0.0/16", VAPP_P_ACCEPTED); /* by the /8 le 16 */
	M("10.5.7.0/25", VAPP_P_PREFIX_LENGTH);
	M("10.9.0.0/16", VAPP_P_ACCEPTED);
	M("0.0.0.0/0", VAPP_P_OUTSIDE_RANGE);
	M("::/0", VAPP_P_OUTSIDE_RANGE);

	/* replace and delete */
	range("192.0.2.0/24", 28, 28);
	M("192.0.2.0/28", VAPP_P_ACCEPTED);
	M("192.0.2.8/29", VAPP_P_PREFIX_LENGTH);
	p = P("192.0.2.0/24");
	ck_assert(vapp_rangeset_del(&pool->ranges, &p));
	ck_assert(!vapp_rangeset_del(&pool->ranges, &p));
	M("192.0.2.0/28", VAPP_P_OUTSIDE_RANGE);
	ck_assert_uint_eq(pool->ranges.count, 4);
#undef M
}
END_TEST

START_TEST(verdicts_reserved_nexthop)
{
	struct vapp_app *app = admitted("10.1.0.5");
	struct prefix any = P("10.255.0.100/32");

	range("192.0.2.0/24", 29, 32);
	range("2001:db8:5::/48", 64, 64);
	vapp_inst_reserve(inst, &any, true);

	ck_assert_int_eq(ann(app, "192.0.2.8/29", "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann(app, "192.0.2.16/32", "10.1.0.6"), VAPP_P_NEXT_HOP);
	ck_assert_int_eq(ann(app, "192.0.2.0/28", "10.1.0.5"), VAPP_P_PREFIX_LENGTH);
	ck_assert_int_eq(ann(app, "203.0.113.0/24", "10.1.0.5"), VAPP_P_OUTSIDE_RANGE);
	ck_assert_int_eq(ann(app, "0.0.0.0/0", "10.1.0.5"), VAPP_P_RESERVED);
	/* the anycast address, and anything covering it */
	ck_assert_int_eq(ann(app, "10.255.0.100/32", "10.1.0.5"), VAPP_P_RESERVED);
	ck_assert_int_eq(ann(app, "10.255.0.0/24", "10.1.0.5"), VAPP_P_RESERVED);
	ck_assert_int_eq(ann(app, "10.255.0.101/32", "10.1.0.5"), VAPP_P_OUTSIDE_RANGE);
	/* an IPv6 route from an IPv4 session: IPv4-mapped next hop */
	ck_assert_int_eq(ann(app, "2001:db8:5:1::/64", "::ffff:10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann(app, "2001:db8:5:2::/64", "::ffff:10.1.0.9"), VAPP_P_NEXT_HOP);
	ck_assert_int_eq(ann(app, "2001:db8:5:3::/64", "2001:db8::5"), VAPP_P_NEXT_HOP);

	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 2);
	ck_assert_uint_eq(app->pcount[VAPP_P_NEXT_HOP], 3);
	ck_assert_uint_eq(app->pcount[VAPP_P_RESERVED], 3);

	/* the default route is allowed only by a pool prefix that is exactly it,
	 * and never while it covers an anycast prefix */
	range("0.0.0.0/0", 0, 0);
	ck_assert_int_eq(ann(app, "0.0.0.0/0", "10.1.0.5"), VAPP_P_RESERVED);
	vapp_inst_reserve(inst, &any, false);
	ck_assert_int_eq(ann(app, "0.0.0.0/0", "10.1.0.5"), VAPP_P_ACCEPTED);
	/* covered by the 0.0.0.0/0 entry now, whose length it does not have */
	ck_assert_int_eq(ann(app, "10.255.0.100/32", "10.1.0.5"), VAPP_P_PREFIX_LENGTH);
	ck_assert_uint_eq(app->pcount[VAPP_P_RESERVED], 1); /* 10.255.0.0/24 */
}
END_TEST

START_TEST(nexthop_modes)
{
	struct vapp_app *app = admitted("10.1.0.5");
	struct vapp_app *v6 = admitted("2001:db8::5");
	struct prefix lr = P("10.1.0.0/24");

	range("192.0.2.0/24", 32, 32);
	range("2001:db8:5::/48", 64, 64);
	/* IPv6 session: the global next hop must be the session address */
	ck_assert_int_eq(ann(v6, "2001:db8:5:1::/64", "2001:db8::5"), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann(v6, "2001:db8:5:2::/64", "fe80::5"), VAPP_P_NEXT_HOP);

	pool->nh_mode = VAPP_NH_POOL_RANGE;
	vapp_pfxset_add(&pool->listen, &lr);
	ck_assert_int_eq(ann(app, "192.0.2.1/32", "10.1.0.77"), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.2.0.77"), VAPP_P_NEXT_HOP);
	ck_assert_int_eq(ann(app, "192.0.2.3/32", "::ffff:10.1.0.78"), VAPP_P_ACCEPTED);

	pool->nh_mode = VAPP_NH_ANY;
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.2.0.77"), VAPP_P_ACCEPTED);
	ck_assert_str_eq(vapp_nh_mode_name(VAPP_NH_POOL_RANGE), "pool-range");
}
END_TEST

START_TEST(limit_accounting)
{
	struct vapp_app *app = admitted("10.1.0.5");

	range("192.0.2.0/24", 32, 32);
	pool->max_prefixes = 2;
	ck_assert_int_eq(ann(app, "192.0.2.1/32", "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann(app, "192.0.2.3/32", "10.1.0.5"), VAPP_P_OVER_LIMIT);
	/* re-announcing an accepted prefix at the limit keeps it */
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 2);
	ck_assert_uint_eq(app->pcount[VAPP_P_OVER_LIMIT], 1);
	/* a withdrawal frees a slot; the over-limit prefix re-announced gets it */
	wd(app, "192.0.2.1/32");
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 1);
	ck_assert_int_eq(vapp_policy_lookup(app,
					    RK(&((struct prefix){ .family = AF_INET,
								  .prefixlen = 32,
								  .u.prefix4 = I("192.0.2.1") }))),
			 VAPP_P_MAX);
	ck_assert_int_eq(ann(app, "192.0.2.3/32", "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_uint_eq(app->pcount[VAPP_P_OVER_LIMIT], 0);
	ck_assert_int_eq(ann(app, "192.0.2.1/32", "10.1.0.5"), VAPP_P_OVER_LIMIT);
	/* withdrawing what was never announced, or twice, changes nothing */
	wd(app, "192.0.2.99/32");
	wd(app, "192.0.2.1/32");
	wd(app, "192.0.2.1/32");
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 2);
	ck_assert_uint_eq(app->pcount[VAPP_P_OVER_LIMIT], 0);
	/* an accepted prefix that turns invalid leaves the accepted count */
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.1.0.99"), VAPP_P_NEXT_HOP);
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 1);
	/* the limit lowered: re-evaluation keeps only as many as allowed */
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.1.0.5"), VAPP_P_ACCEPTED);
	pool->max_prefixes = 1;
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.1.0.5"), VAPP_P_OVER_LIMIT);
	ck_assert_int_eq(ann(app, "192.0.2.3/32", "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 1);
	vapp_policy_reset(app);
	ck_assert_uint_eq(app->pcount[VAPP_P_OVER_LIMIT], 0);
	ck_assert_ptr_null(app->routes4.slots);
}
END_TEST

START_TEST(not_admitted_and_released)
{
	struct ipaddr a = A("10.1.0.7");
	struct vapp_facts facts = {};
	struct vapp_app *app = vapp_admit_connect(inst, "APPL", &a, NULL, &facts, 1000);

	range("192.0.2.0/24", 32, 32);
	/* connecting: the OPEN was not accepted yet */
	ck_assert_int_eq(ann(app, "192.0.2.1/32", "10.1.0.7"), VAPP_P_NOT_ADMITTED);
	vapp_admit_open(app, 65001, I("10.255.0.1"), I("10.255.0.1"), 1000);
	ck_assert_int_eq(app->state, VAPP_APP_REJECTED);
	ck_assert_int_eq(ann(app, "192.0.2.1/32", "10.1.0.7"), VAPP_P_NOT_ADMITTED);
	ck_assert_uint_eq(app->pcount[VAPP_P_NOT_ADMITTED], 1);
	ck_assert_str_eq(vapp_pverdict_name(VAPP_P_NOT_ADMITTED), "notAdmitted");
	ck_assert_str_eq(vapp_pverdict_name(VAPP_P_OUTSIDE_RANGE), "outsideRange");
	/* released: the session's verdicts go with it; the next connection
	 * from the address starts with none */
	vapp_app_closed(app, 1000);
	app = vapp_admit_connect(inst, "APPL", &a, NULL, &facts, 2000);
	ck_assert_int_eq(app->state, VAPP_APP_CONNECTING);
	ck_assert_uint_eq(app->pcount[VAPP_P_NOT_ADMITTED], 0);
	ck_assert_int_eq(vapp_policy_lookup(app, RK(&(struct prefix){ 0 })), VAPP_P_MAX);
	ck_assert_int_eq(ann(app, "192.0.2.1/32", "10.1.0.7"), VAPP_P_NOT_ADMITTED);
	ck_assert_uint_eq(app->pcount[VAPP_P_NOT_ADMITTED], 1);
}
END_TEST

/* what vapp_update_paths() reported, in order */
static struct {
	struct vapp_rkey k;
	bool withdrawn;
} seen[16];
static unsigned int nseen;

static void path_cb(const struct vapp_rkey *k, bool withdrawn, void *arg)
{
	if (nseen < array_size(seen)) {
		seen[nseen].k = *k;
		seen[nseen].withdrawn = withdrawn;
	}
	nseen++;
}

static const bool no_addpath[2][2];

START_TEST(update_paths_parse)
{
	bool ap6[2][2] = { { false, false }, { true, false } };
	uint8_t b[128];
	size_t n = 0;

	/* withdrawn: 192.0.2.8/29, 10.0.0.0/8; no attributes */
	b[n++] = 0, b[n++] = 7;
	b[n++] = 29, b[n++] = 192, b[n++] = 0, b[n++] = 2, b[n++] = 8;
	b[n++] = 8, b[n++] = 10;
	b[n++] = 0, b[n++] = 0;
	nseen = 0;
	ck_assert(vapp_update_paths(b, n, no_addpath, path_cb, NULL));
	ck_assert_uint_eq(nseen, 2);
	ck_assert(seen[0].withdrawn && seen[1].withdrawn);
	ck_assert_uint_eq(seen[1].k.p.prefixlen, 8);
	ck_assert_uint_eq(seen[1].k.safi, SAFI_UNICAST);

	/* MP_UNREACH IPv6 unicast 2001:db8:1::/48, extended length, add-path */
	n = 0;
	b[n++] = 0, b[n++] = 0;				     /* no withdrawn */
	b[n++] = 0, b[n++] = 18;			     /* attrs length */
	b[n++] = 0x90, b[n++] = 15, b[n++] = 0, b[n++] = 14; /* ext len 14 */
	b[n++] = 0, b[n++] = 2, b[n++] = 1;		     /* AFI 2, SAFI 1 */
	b[n++] = 0, b[n++] = 0, b[n++] = 0, b[n++] = 7;	     /* path id */
	b[n++] = 48, b[n++] = 0x20, b[n++] = 0x01, b[n++] = 0x0d, b[n++] = 0xb8, b[n++] = 0,
	b[n++] = 1;
	nseen = 0;
	ck_assert(vapp_update_paths(b, n, ap6, path_cb, NULL));
	ck_assert_uint_eq(nseen, 1);
	ck_assert_uint_eq(seen[0].k.p.family, AF_INET6);
	ck_assert_uint_eq(seen[0].k.p.prefixlen, 48);
	ck_assert_uint_eq(seen[0].k.path_id, 7);
	ck_assert(seen[0].withdrawn);
	/* without add-path the same bytes, whole, are malformed: read as
	 * prefixes, the path identifier's octets are lengths, and the last
	 * prefix runs past the attribute */
	ck_assert(!vapp_update_paths(b, n, no_addpath, path_cb, NULL));

	/* truncated */
	ck_assert(!vapp_update_paths(b, 3, no_addpath, path_cb, NULL));
	/* /33 is no IPv4 length: every length field right, only that wrong */
	n = 0;
	b[n++] = 0, b[n++] = 5;
	b[n++] = 32, b[n++] = 192, b[n++] = 0, b[n++] = 2, b[n++] = 8;
	b[n++] = 0, b[n++] = 0;
	ck_assert(vapp_update_paths(b, n, no_addpath, path_cb, NULL));
	b[2] = 33;
	ck_assert(!vapp_update_paths(b, n, no_addpath, path_cb, NULL));
}
END_TEST

/*
 * Announcements with ADD-PATH identifiers, and labeled-unicast NLRI (RFC
 * 8277: label, then prefix), reported in the order bgp_update_receive()
 * processes them: NLRI, Withdrawn Routes, MP_REACH, MP_UNREACH.
 */
START_TEST(update_paths_addpath_labeled)
{
	bool ap[2][2] = { { true, true }, { false, false } };
	uint8_t b[128];
	size_t n = 0;

	b[n++] = 0, b[n++] = 6; /* withdrawn: path 3 of 10.0.0.0/8 */
	b[n++] = 0, b[n++] = 0, b[n++] = 0, b[n++] = 3, b[n++] = 8, b[n++] = 10;
	b[n++] = 0, b[n++] = 24; /* attrs: MP_REACH IPv4 LU */
	b[n++] = 0x80, b[n++] = 14, b[n++] = 21;
	b[n++] = 0, b[n++] = 1, b[n++] = 4;			     /* AFI 1, SAFI 4 */
	b[n++] = 4, b[n++] = 10, b[n++] = 1, b[n++] = 0, b[n++] = 7; /* next hop */
	b[n++] = 0;						     /* reserved */
	b[n++] = 0, b[n++] = 0, b[n++] = 0, b[n++] = 2;		     /* path id 2 */
	b[n++] = 24 + 32;					     /* label + /32 */
	b[n++] = 0x00, b[n++] = 0x01, b[n++] = 0x01;		     /* label 16, BoS */
	b[n++] = 192, b[n++] = 0, b[n++] = 2, b[n++] = 9;
	/* NLRI: path 1 of 192.0.2.9/32 (IPv4 unicast) */
	b[n++] = 0, b[n++] = 0, b[n++] = 0, b[n++] = 1;
	b[n++] = 32, b[n++] = 192, b[n++] = 0, b[n++] = 2, b[n++] = 9;
	nseen = 0;
	ck_assert(vapp_update_paths(b, n, ap, path_cb, NULL));
	ck_assert_uint_eq(nseen, 3);
	ck_assert(!seen[0].withdrawn);
	ck_assert_uint_eq(seen[0].k.path_id, 1);
	ck_assert_uint_eq(seen[0].k.safi, SAFI_UNICAST);
	ck_assert(seen[1].withdrawn);
	ck_assert_uint_eq(seen[1].k.path_id, 3);
	ck_assert(!seen[2].withdrawn);
	ck_assert_uint_eq(seen[2].k.safi, SAFI_LABELED_UNICAST);
	ck_assert_uint_eq(seen[2].k.path_id, 2);
	ck_assert_uint_eq(seen[2].k.p.prefixlen, 32);
	ck_assert(prefix_same(&seen[2].k.p, &seen[0].k.p));
	/* a label without bottom of stack: the stack runs past the NLRI */
	b[n - 14] = 0x00;
	ck_assert(!vapp_update_paths(b, n, ap, path_cb, NULL));
}
END_TEST

/*
 * ADD-PATH: each path of a prefix has its own verdict and counts once
 * against max-prefixes; a bad second path does not displace an accepted
 * one; withdrawing one path leaves the other; path churn cannot carry an
 * appliance past its limit.
 */
START_TEST(addpath_verdicts_and_limit)
{
	struct vapp_app *app = admitted("10.1.0.5");
	char pfx[32];

	range("192.0.2.0/24", 32, 32);
	pool->max_prefixes = 3;
	for (int i = 1; i <= 6; i++) {
		snprintf(pfx, sizeof(pfx), "192.0.2.%d/32", i);
		ck_assert_int_eq(ann_id(app, pfx, 1, "10.1.0.5"),
				 i <= 3 ? VAPP_P_ACCEPTED : VAPP_P_OVER_LIMIT);
		ck_assert_int_eq(ann_id(app, pfx, 2, "10.9.9.9"), VAPP_P_NEXT_HOP);
	}
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 3);
	ck_assert_uint_eq(app->pcount[VAPP_P_NEXT_HOP], 6);
	ck_assert_uint_eq(app->pcount[VAPP_P_OVER_LIMIT], 3);
	/* the accepted path 1 of .1 is still accepted */
	ck_assert_int_eq(ann_id(app, "192.0.2.1/32", 1, "10.1.0.5"), VAPP_P_ACCEPTED);
	/* withdrawing path 2 leaves path 1 */
	wd_id(app, "192.0.2.1/32", 2);
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 3);
	ck_assert_uint_eq(app->pcount[VAPP_P_NEXT_HOP], 5);
	/* more paths of an accepted prefix are more paths: over the limit */
	for (uint32_t id = 3; id < 100; id++)
		ck_assert_int_eq(ann_id(app, "192.0.2.1/32", id, "10.1.0.5"), VAPP_P_OVER_LIMIT);
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 3);
	/* withdraw one accepted path: exactly one other gets in */
	wd_id(app, "192.0.2.2/32", 1);
	ck_assert_int_eq(ann_id(app, "192.0.2.1/32", 50, "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann_id(app, "192.0.2.1/32", 51, "10.1.0.5"), VAPP_P_OVER_LIMIT);
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 3);
	/* labeled-unicast and unicast paths with one identifier are two paths */
	{
		struct vapp_rkey k = { .p = P("192.0.2.1/32"),
				       .path_id = 1,
				       .safi = SAFI_LABELED_UNICAST };

		ck_assert_int_eq(vapp_policy_lookup(app, &k), VAPP_P_MAX);
		k.safi = SAFI_UNICAST;
		ck_assert_int_eq(vapp_policy_lookup(app, &k), VAPP_P_ACCEPTED);
	}
}
END_TEST

/* Rejected paths are remembered up to a cap; past it they are only counted. */
START_TEST(rejected_kept_bounded)
{
	struct vapp_app *app = admitted("10.1.0.5");
	char pfx[32];

	range("192.0.2.0/24", 32, 32);
	for (uint32_t i = 0; i < VAPP_REJECTED_KEPT + 100; i++) {
		snprintf(pfx, sizeof(pfx), "198.51.%u.%u/32", (i >> 8) & 0xff, i & 0xff);
		ck_assert_int_eq(ann(app, pfx, "10.1.0.5"), VAPP_P_OUTSIDE_RANGE);
	}
	ck_assert_uint_eq(app->pcount[VAPP_P_OUTSIDE_RANGE], VAPP_REJECTED_KEPT);
	ck_assert_uint_eq(app->unkept, 100);
	ck_assert_uint_eq(app->routes4.count, VAPP_REJECTED_KEPT);
	/* accepted paths are still recorded, and a kept rejected one can turn valid */
	ck_assert_int_eq(ann(app, "192.0.2.1/32", "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_uint_eq(app->pcount[VAPP_P_ACCEPTED], 1);
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.9.9.9"), VAPP_P_NEXT_HOP);
	ck_assert_uint_eq(app->unkept, 101);
	/* withdrawing a kept one makes room for the next rejected one */
	wd(app, "198.51.0.0/32");
	ck_assert_int_eq(ann(app, "192.0.2.2/32", "10.9.9.9"), VAPP_P_NEXT_HOP);
	ck_assert_uint_eq(app->pcount[VAPP_P_NEXT_HOP], 1);
	vapp_policy_reset(app);
	ck_assert_uint_eq(app->unkept, 0);
}
END_TEST

/*
 * The verdict table against a plain array: adds, re-sets, deletes in an
 * order that exercises the backward shift (probe runs across the array's
 * end, growth and shrinking), host bits that must not matter, both
 * families, and everything freed when the last prefix goes.
 */
#define VT_N 3000
START_TEST(verdict_table)
{
	static struct prefix ps[VT_N];
	static int want[VT_N];
	struct vapp_vtab t4 = {}, t6 = {};
	uint32_t x = 12345;
	struct prefix q;

	for (int i = 0; i < VT_N; i++) {
		memset(&ps[i], 0, sizeof(ps[i]));
		x = x * 1103515245 + 12345;
		if (i % 3 == 2) {
			ps[i].family = AF_INET6;
			ps[i].prefixlen = 64 + (x >> 8) % 65;
			ps[i].u.prefix6.s6_addr32[0] = htonl(0x20010db8);
			ps[i].u.prefix6.s6_addr32[1] = htonl(i);
			ps[i].u.prefix6.s6_addr32[3] = htonl(i * 7);
		} else {
			ps[i].family = AF_INET;
			ps[i].prefixlen = 24 + (x >> 8) % 9;
			ps[i].u.prefix4.s_addr = htonl(0x0a000000 + ((uint32_t)i << 8));
		}
		apply_mask(&ps[i]);
		want[i] = -1;
	}
	for (int i = 0; i < VT_N; i++) {
		struct vapp_vtab *t = ps[i].family == AF_INET ? &t4 : &t6;

		ck_assert_int_eq(vapp_vtab_set(t, RK(&ps[i]), i % 7), -1);
		want[i] = i % 7;
	}
	ck_assert_uint_eq(t4.count + t6.count, VT_N);
	/* a prefix with host bits set is the same prefix */
	q = ps[0];
	if (q.prefixlen < 32)
		q.u.prefix4.s_addr |= htonl(1);
	ck_assert_int_eq(vapp_vtab_get(&t4, RK(&q)), want[0]);
	/* another length of the same address is another prefix */
	q = ps[0];
	q.prefixlen = 8;
	ck_assert_int_eq(vapp_vtab_get(&t4, RK(&q)), -1);
	/* re-set returns the old value */
	ck_assert_int_eq(vapp_vtab_set(&t4, RK(&ps[0]), 5), want[0]);
	want[0] = 5;
	/* delete 5 of every 6, in a scattered order */
	for (int k = 0; k < VT_N; k++) {
		int i = (k * 7919) % VT_N;
		struct vapp_vtab *t = ps[i].family == AF_INET ? &t4 : &t6;

		if (i % 6 == 0)
			continue;
		ck_assert_int_eq(vapp_vtab_del(t, RK(&ps[i])), want[i]);
		ck_assert_int_eq(vapp_vtab_del(t, RK(&ps[i])), -1);
		want[i] = -1;
		if (k % 97 == 0)
			for (int j = 0; j < VT_N; j++)
				ck_assert_int_eq(vapp_vtab_get(ps[j].family == AF_INET ? &t4 : &t6,
							       RK(&ps[j])),
						 want[j]);
	}
	for (int j = 0; j < VT_N; j++)
		ck_assert_int_eq(vapp_vtab_get(ps[j].family == AF_INET ? &t4 : &t6, RK(&ps[j])),
				 want[j]);
	/* 500 IPv4 prefixes left: shrunk from 4096 slots once (below 1/8) */
	ck_assert_uint_eq(t4.count, 500);
	ck_assert_uint_eq(t4.cap, 2048);
	for (int i = 0; i < VT_N; i += 6)
		ck_assert_int_eq(vapp_vtab_del(ps[i].family == AF_INET ? &t4 : &t6, RK(&ps[i])),
				 want[i]);
	ck_assert_ptr_null(t4.slots);
	ck_assert_ptr_null(t6.slots);
	ck_assert_uint_eq(t4.count + t6.count, 0);
	vapp_vtab_fini(&t4);
}
END_TEST

/* retain: only the entries of one value stay, all of them findable */
START_TEST(verdict_table_retain)
{
	struct vapp_vtab t4 = {}, t6 = {};
	struct prefix p;

	for (int i = 0; i < 1000; i++) {
		memset(&p, 0, sizeof(p));
		p.family = AF_INET;
		p.prefixlen = 24;
		p.u.prefix4.s_addr = htonl(0x0a000000 + ((uint32_t)i << 8));
		vapp_vtab_set(&t4, RK(&p), i % 4 == 0 ? VAPP_P_ACCEPTED : 1 + i % 3);
	}
	ck_assert_uint_eq(vapp_vtab_retain(&t6, AF_INET6, VAPP_P_ACCEPTED), 0);
	ck_assert_uint_eq(vapp_vtab_retain(&t4, AF_INET, VAPP_P_ACCEPTED), 750);
	ck_assert_uint_eq(t4.count, 250);
	ck_assert_uint_eq(t4.cap, 512); /* sized for what stays */
	for (int i = 0; i < 1000; i++) {
		p.u.prefix4.s_addr = htonl(0x0a000000 + ((uint32_t)i << 8));
		ck_assert_int_eq(vapp_vtab_get(&t4, RK(&p)), i % 4 == 0 ? VAPP_P_ACCEPTED : -1);
	}
	/* nothing to remove: unchanged */
	ck_assert_uint_eq(vapp_vtab_retain(&t4, AF_INET, VAPP_P_ACCEPTED), 0);
	ck_assert_uint_eq(t4.count, 250);
	vapp_vtab_fini(&t4);
}
END_TEST

/* what vapp_policy_walk() reports, by path */
#define WALK_MAX 200
static struct walked {
	struct vapp_rkey k;
	enum vapp_pverdict v;
	bool nh_kept;
	struct ipaddr nh;
} walked[WALK_MAX];
static unsigned int nwalked;

static void walk_cb(const struct vapp_rkey *k, enum vapp_pverdict v, const struct ipaddr *nh,
		    void *arg)
{
	ck_assert_uint_lt(nwalked, WALK_MAX);
	walked[nwalked].k = *k;
	walked[nwalked].v = v;
	walked[nwalked].nh_kept = nh != NULL;
	if (nh)
		walked[nwalked].nh = *nh;
	nwalked++;
}

static const struct walked *walk_find(const char *pfx, uint32_t id, uint8_t safi)
{
	struct prefix p = P(pfx);

	for (unsigned int i = 0; i < nwalked; i++)
		if (prefix_same(&walked[i].k.p, &p) && walked[i].k.path_id == id &&
		    walked[i].k.safi == safi)
			return &walked[i];
	return NULL;
}

static void walk(struct vapp_app *app)
{
	nwalked = 0;
	vapp_policy_walk(app, walk_cb, NULL);
}

/*
 * The routes show reads the store back: every path with its prefix
 * (masked), path id, SAFI, verdict and the next hop it came with last;
 * distinct next hops are remembered up to a cap, past which a path's next
 * hop shows as not kept while its verdict is still right.
 */
START_TEST(store_walk_nexthops)
{
	struct vapp_app *app = admitted("10.1.0.5");
	struct vapp_rkey lu = { .p = P("192.0.2.0/24"), .path_id = 7, .safi = SAFI_LABELED_UNICAST };
	struct ipaddr a = A("10.1.0.5"), other = A("10.9.9.9");
	const struct walked *w;
	char pfx[32];

	range("192.0.2.0/24", 24, 32);
	range("2001:db8::/32", 48, 64);
	ck_assert_int_eq(ann(app, "192.0.2.0/24", "10.1.0.5"), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann(app, "198.51.100.0/24", "10.1.0.5"), VAPP_P_OUTSIDE_RANGE);
	ck_assert_int_eq(ann_id(app, "192.0.2.128/25", 3, "10.9.9.9"), VAPP_P_NEXT_HOP);
	ck_assert_int_eq(vapp_policy_announce(app, &lu, &a), VAPP_P_ACCEPTED);
	ck_assert_int_eq(ann(app, "2001:db8:1::/48", "2001:db8::5"), VAPP_P_NEXT_HOP);
	walk(app);
	ck_assert_uint_eq(nwalked, 5);
	w = walk_find("192.0.2.0/24", 0, SAFI_UNICAST);
	ck_assert(w && w->v == VAPP_P_ACCEPTED && w->nh_kept && !ipaddr_cmp(&w->nh, &a));
	w = walk_find("198.51.100.0/24", 0, SAFI_UNICAST);
	ck_assert(w && w->v == VAPP_P_OUTSIDE_RANGE && !ipaddr_cmp(&w->nh, &a));
	w = walk_find("192.0.2.128/25", 3, SAFI_UNICAST);
	ck_assert(w && w->v == VAPP_P_NEXT_HOP && !ipaddr_cmp(&w->nh, &other));
	w = walk_find("192.0.2.0/24", 7, SAFI_LABELED_UNICAST);
	ck_assert(w && w->v == VAPP_P_ACCEPTED);
	w = walk_find("2001:db8:1::/48", 0, SAFI_UNICAST);
	ck_assert(w && w->v == VAPP_P_NEXT_HOP && w->nh_kept);
	ck_assert_str_eq(ipaddr2str(&w->nh, pfx, sizeof(pfx)), "2001:db8::5");
	/* re-announced with another next hop: the walk shows the new one */
	ck_assert_int_eq(ann_id(app, "192.0.2.128/25", 3, "10.1.0.5"), VAPP_P_ACCEPTED);
	walk(app);
	w = walk_find("192.0.2.128/25", 3, SAFI_UNICAST);
	ck_assert(w && w->v == VAPP_P_ACCEPTED && !ipaddr_cmp(&w->nh, &a));
	/* the next hops beyond the cap: decided, not kept */
	for (unsigned int i = 0; i < VAPP_NEXTHOPS_KEPT + 10; i++) {
		char nh[32];

		snprintf(pfx, sizeof(pfx), "192.0.2.%u/32", i);
		snprintf(nh, sizeof(nh), "10.8.0.%u", i);
		ck_assert_int_eq(ann(app, pfx, nh), VAPP_P_NEXT_HOP);
	}
	/* 2 other next hops before the loop (its own address takes no
	 * entry): 62 more are kept */
	walk(app);
	ck_assert_uint_eq(nwalked, 5 + VAPP_NEXTHOPS_KEPT + 10);
	ck_assert_uint_eq(darr_len(app->nexthops), VAPP_NEXTHOPS_KEPT);
	ck_assert(walk_find("192.0.2.61/32", 0, SAFI_UNICAST)->nh_kept);
	w = walk_find("192.0.2.62/32", 0, SAFI_UNICAST);
	ck_assert(w && !w->nh_kept && w->v == VAPP_P_NEXT_HOP);
	/* a known next hop, and its own address, still show when the list is full */
	ck_assert_int_eq(ann(app, "192.0.2.62/32", "10.9.9.9"), VAPP_P_NEXT_HOP);
	ck_assert_int_eq(ann(app, "192.0.2.63/32", "10.1.0.5"), VAPP_P_ACCEPTED);
	walk(app);
	w = walk_find("192.0.2.62/32", 0, SAFI_UNICAST);
	ck_assert(w && w->nh_kept && !ipaddr_cmp(&w->nh, &other));
	w = walk_find("192.0.2.63/32", 0, SAFI_UNICAST);
	ck_assert(w && w->nh_kept && !ipaddr_cmp(&w->nh, &a));
	/* graceful restart keeps the accepted paths with their next hops */
	vapp_policy_keep_accepted(app);
	walk(app);
	ck_assert_uint_eq(nwalked, app->pcount[VAPP_P_ACCEPTED]);
	ck_assert(walk_find("192.0.2.63/32", 0, SAFI_UNICAST)->nh_kept);
	vapp_policy_reset(app);
	ck_assert_ptr_null(app->nexthops);
	walk(app);
	ck_assert_uint_eq(nwalked, 0);
}
END_TEST

/*
 * The max-prefixes warning: ceil(limit * percent / 100), at least one
 * route; one edge per crossing each way, none while the count stays on one
 * side, and none when the warning is configured away.
 */
START_TEST(limit_warning_edges)
{
	struct vapp_app *app = admitted("10.1.0.5");
	char pfx[32];

	range("192.0.2.0/24", 32, 32);
	ck_assert_uint_eq(vapp_pool_warn_threshold(pool), 0);
	pool->limit_warn_pct = 80;
	ck_assert_uint_eq(vapp_pool_warn_threshold(pool), 0); /* no limit, no warning */
	pool->max_prefixes = 10;
	ck_assert_uint_eq(vapp_pool_warn_threshold(pool), 8);
	pool->limit_warn_pct = 75;
	ck_assert_uint_eq(vapp_pool_warn_threshold(pool), 8); /* 7.5 rounds up */
	pool->max_prefixes = 1;
	pool->limit_warn_pct = 1;
	ck_assert_uint_eq(vapp_pool_warn_threshold(pool), 1);
	pool->max_prefixes = 4294967295u;
	pool->limit_warn_pct = 100;
	ck_assert_uint_eq(vapp_pool_warn_threshold(pool), 4294967295u); /* no overflow */
	pool->max_prefixes = 10;
	pool->limit_warn_pct = 75;
	for (int i = 1; i <= 7; i++) {
		snprintf(pfx, sizeof(pfx), "192.0.2.%d/32", i);
		ann(app, pfx, "10.1.0.5");
		ck_assert_int_eq(vapp_policy_warn_edge(app), 0);
	}
	ann(app, "192.0.2.8/32", "10.1.0.5");
	ck_assert_int_eq(vapp_policy_warn_edge(app), 1);
	ck_assert_int_eq(vapp_policy_warn_edge(app), 0); /* once */
	ann(app, "192.0.2.9/32", "10.1.0.5");
	ck_assert_int_eq(vapp_policy_warn_edge(app), 0);
	wd(app, "192.0.2.9/32");
	ck_assert_int_eq(vapp_policy_warn_edge(app), 0); /* still at 8 */
	/* re-announced with a bad next hop: no longer accepted, below */
	ck_assert_int_eq(ann(app, "192.0.2.8/32", "10.9.9.9"), VAPP_P_NEXT_HOP);
	ck_assert_int_eq(vapp_policy_warn_edge(app), -1);
	ck_assert_int_eq(vapp_policy_warn_edge(app), 0);
	ann(app, "192.0.2.8/32", "10.1.0.5");
	ck_assert_int_eq(vapp_policy_warn_edge(app), 1); /* again, after it fell below */
	pool->limit_warn_pct = 0;
	ck_assert_int_eq(vapp_policy_warn_edge(app), 0); /* configured away: silent */
	ck_assert(!app->limit_warned);
	pool->limit_warn_pct = 50;
	ck_assert_int_eq(vapp_policy_warn_edge(app), 1); /* 8 >= 5 */
	/* a new session is warned of anew */
	vapp_policy_reset(app);
	ck_assert(!app->limit_warned);
}
END_TEST

Suite *vapp_policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bounds_validation);
	tcase_add_test(tc, rangeset_edges);
	tcase_add_test(tc, verdicts_reserved_nexthop);
	tcase_add_test(tc, nexthop_modes);
	tcase_add_test(tc, limit_accounting);
	tcase_add_test(tc, not_admitted_and_released);
	tcase_add_test(tc, update_paths_parse);
	tcase_add_test(tc, update_paths_addpath_labeled);
	tcase_add_test(tc, addpath_verdicts_and_limit);
	tcase_add_test(tc, rejected_kept_bounded);
	tcase_add_test(tc, verdict_table);
	tcase_add_test(tc, verdict_table_retain);
	tcase_add_test(tc, store_walk_nexthops);
	tcase_add_test(tc, limit_warning_edges);
	suite_add_tcase(s, tc);
	return s;
}
