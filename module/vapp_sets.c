// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: prefix sets (libfrr route tables, longest
 * match), ASN range sets, and the BGP OPEN reader.
 */
#include <zebra.h>

#include "asn.h"
#include "darr.h"
#include "prefix.h"
#include "table.h"

#include "vapp_core.h"

/* ---- per-family route tables ----------------------------------------------- */

void vapp_aftab_init(struct vapp_aftab *aft)
{
	aft->t4 = route_table_init();
	aft->t6 = route_table_init();
}

static void vapp_aftab_drop_all(struct route_table *t, void (*drop)(void *info))
{
	struct route_node *rn;

	for (rn = route_top(t); rn; rn = route_next(rn))
		if (rn->info) {
			if (drop)
				drop(rn->info);
			rn->info = NULL;
			route_unlock_node(rn); /* the entry's lock */
		}
}

void vapp_aftab_fini(struct vapp_aftab *aft, void (*drop)(void *info))
{
	struct route_table **tables[] = { &aft->t4, &aft->t6 };

	for (size_t i = 0; i < array_size(tables); i++) {
		if (!*tables[i])
			continue;
		vapp_aftab_drop_all(*tables[i], drop);
		route_table_finish(*tables[i]);
		*tables[i] = NULL;
	}
}

struct route_table *vapp_aftab_table(const struct vapp_aftab *aft, uint8_t family)
{
	if (family == AF_INET)
		return aft->t4;
	if (family == AF_INET6)
		return aft->t6;
	return NULL;
}

struct route_node *vapp_aftab_node(struct vapp_aftab *aft, const struct prefix *p)
{
	struct route_table *t = vapp_aftab_table(aft, p->family);
	struct prefix m;

	if (!t)
		return NULL;
	prefix_copy(&m, p);
	apply_mask(&m);
	return route_node_get(t, &m);
}

void *vapp_aftab_take(struct vapp_aftab *aft, const struct prefix *p)
{
	struct route_table *t = vapp_aftab_table(aft, p->family);
	struct route_node *rn;
	struct prefix m;
	void *info;

	if (!t)
		return NULL;
	prefix_copy(&m, p);
	apply_mask(&m);
	rn = route_node_lookup(t, &m);
	if (!rn)
		return NULL;
	route_unlock_node(rn); /* the lookup's lock */
	info = rn->info;
	if (!info)
		return NULL;
	rn->info = NULL;
	route_unlock_node(rn); /* the entry's lock; may free rn */
	return info;
}

void vapp_aftab_walk(const struct vapp_aftab *aft,
		     void (*fn)(const struct route_node *rn, void *arg), void *arg)
{
	struct route_table *tables[] = { aft->t4, aft->t6 };
	struct route_node *rn;

	for (size_t i = 0; i < array_size(tables); i++) {
		if (!tables[i])
			continue;
		for (rn = route_top(tables[i]); rn; rn = route_next(rn))
			if (rn->info)
				fn(rn, arg);
	}
}

/* ---- prefix sets ---------------------------------------------------------- */

/* route tables take node->info != NULL as "present"; we store no data */
static int vapp_pfx_present;

void vapp_pfxset_init(struct vapp_pfxset *set)
{
	vapp_aftab_init(&set->tabs);
	set->count = 0;
}

void vapp_pfxset_fini(struct vapp_pfxset *set)
{
	vapp_aftab_fini(&set->tabs, NULL); /* the info is borrowed */
	set->count = 0;
}

bool vapp_pfxset_add(struct vapp_pfxset *set, const struct prefix *p)
{
	struct route_node *rn = vapp_aftab_node(&set->tabs, p);

	if (!rn)
		return false;
	if (rn->info) {
		route_unlock_node(rn);
		return false;
	}
	rn->info = &vapp_pfx_present; /* keeps the node's lock */
	set->count++;
	return true;
}

bool vapp_pfxset_del(struct vapp_pfxset *set, const struct prefix *p)
{
	if (!vapp_aftab_take(&set->tabs, p))
		return false;
	set->count--;
	return true;
}

static void vapp_ipaddr2prefix(const struct ipaddr *addr, struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (IS_IPADDR_V4(addr)) {
		p->family = AF_INET;
		p->prefixlen = IPV4_MAX_BITLEN;
		p->u.prefix4 = addr->ipaddr_v4;
	} else if (IS_IPADDR_V6(addr)) {
		p->family = AF_INET6;
		p->prefixlen = IPV6_MAX_BITLEN;
		p->u.prefix6 = addr->ipaddr_v6;
	}
}

int vapp_pfxset_match(const struct vapp_pfxset *set, const struct ipaddr *addr)
{
	struct route_table *t;
	struct route_node *rn;
	struct prefix host;
	int len;

	vapp_ipaddr2prefix(addr, &host);
	t = vapp_aftab_table(&set->tabs, host.family);
	if (!t || !set->count)
		return -1;
	rn = route_node_match(t, &host);
	if (!rn)
		return -1;
	len = rn->p.prefixlen;
	route_unlock_node(rn);
	return len;
}

struct vapp_pfxset_walk_ctx {
	void (*fn)(const struct prefix *p, void *arg);
	void *arg;
};

static void vapp_pfxset_walk1(const struct route_node *rn, void *arg)
{
	struct vapp_pfxset_walk_ctx *ctx = arg;

	ctx->fn(&rn->p, ctx->arg);
}

void vapp_pfxset_walk(const struct vapp_pfxset *set, void (*fn)(const struct prefix *p, void *arg),
		      void *arg)
{
	struct vapp_pfxset_walk_ctx ctx = { .fn = fn, .arg = arg };

	vapp_aftab_walk(&set->tabs, vapp_pfxset_walk1, &ctx);
}

/* ---- ASN sets ---------------------------------------------------------------- */

static const char *vapp_asn_parse1(const char *str, uint32_t *asn)
{
	as_t as;

	size_t hi = strspn(str, "0123456789");

	/*
	 * asn_str2asn() stops quietly at the first character after an asplain
	 * number ("65001abc" is 65001, "65001." asdot 65001.0): only digits, or
	 * digits "." digits, reach it.
	 */
	if (hi == 0 || (str[hi] && (str[hi] != '.' || !str[hi + 1] ||
				    strspn(str + hi + 1, "0123456789") != strlen(str + hi + 1))))
		return "not an AS number (1-4294967295, asplain or asdot)";
	/* asn_str2asn() refuses 0 like any bad string; say why */
	if (strspn(str, "0") == strlen(str))
		return "AS 0 is reserved (RFC 7607) and cannot be allowed";
	if (!asn_str2asn(str, &as))
		return "not an AS number (1-4294967295, asplain or asdot)";
	if (as == 0)
		return "AS 0 is reserved (RFC 7607) and cannot be allowed";
	*asn = as;
	return NULL;
}

const char *vapp_asn_range_parse(const char *str, struct vapp_asn_range *r)
{
	char buf[64];
	const char *err;
	char *dash;

	if (strlcpy(buf, str, sizeof(buf)) >= sizeof(buf))
		return "AS range too long";
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	err = vapp_asn_parse1(buf, &r->lo);
	if (err)
		return err;
	if (!dash) {
		r->hi = r->lo;
		return NULL;
	}
	err = vapp_asn_parse1(dash + 1, &r->hi);
	if (err)
		return err;
	if (r->hi < r->lo)
		return "AS range is reversed (the first AS must not exceed the last)";
	return NULL;
}

void vapp_asn_range_str(const struct vapp_asn_range *r, char *buf, size_t len)
{
	if (r->lo == r->hi)
		snprintf(buf, len, "%u", r->lo);
	else
		snprintf(buf, len, "%u-%u", r->lo, r->hi);
}

void vapp_asnset_fini(struct vapp_asnset *set)
{
	darr_free(set->ranges);
}

const char *vapp_asnset_add(struct vapp_asnset *set, const struct vapp_asn_range *r)
{
	uint i;

	darr_foreach_i (set->ranges, i) {
		const struct vapp_asn_range *c = &set->ranges[i];

		if (c->lo == r->lo && c->hi == r->hi)
			return NULL; /* already there */
		if (r->lo <= c->hi && c->lo <= r->hi)
			return "AS range overlaps another remote-as of the pool";
		if (r->hi < c->lo)
			break;
	}
	*darr_insert(set->ranges, i) = *r;
	return NULL;
}

bool vapp_asnset_del(struct vapp_asnset *set, const struct vapp_asn_range *r)
{
	uint i;

	darr_foreach_i (set->ranges, i)
		if (set->ranges[i].lo == r->lo && set->ranges[i].hi == r->hi) {
			darr_remove(set->ranges, i);
			return true;
		}
	return false;
}

bool vapp_asnset_empty(const struct vapp_asnset *set)
{
	return darr_len(set->ranges) == 0;
}

size_t vapp_asnset_count(const struct vapp_asnset *set)
{
	return darr_len(set->ranges);
}

bool vapp_asnset_contains(const struct vapp_asnset *set, uint32_t asn)
{
	const struct vapp_asn_range *r;

	darr_foreach_p (set->ranges, r)
		if (asn >= r->lo && asn <= r->hi)
			return true;
	return false;
}

/* ---- OPEN ------------------------------------------------------------------- */

#define VAPP_OPEN_MIN	    10 /* version, AS, hold time, BGP ID, opt len */
#define VAPP_OPT_CAPABILITY 2
#define VAPP_CAP_AS4	    65
#define VAPP_OPT_EXT_MARKER 255 /* RFC 9072 */

bool vapp_open_peek(const uint8_t *body, size_t len, uint32_t *asn, struct in_addr *router_id)
{
	size_t optlen, pos, end;
	bool ext = false, as4_seen = false;

	if (len < VAPP_OPEN_MIN)
		return false;
	*asn = (uint32_t)body[1] << 8 | body[2];
	memcpy(&router_id->s_addr, body + 5, 4);
	optlen = body[9];
	pos = 10;
	/*
	 * RFC 9072: non-ext optlen 255 and param type 255, then 2-octet length.
	 * bgpd takes the octet after a 255 for that marker whatever it is and
	 * parses from the next one: 255 octets of plain parameters are not
	 * read the way bgpd reads them, so no AS from them.
	 */
	if (optlen == VAPP_OPT_EXT_MARKER) {
		if (len < 13 || body[10] != VAPP_OPT_EXT_MARKER)
			return false;
		ext = true;
		optlen = (size_t)body[11] << 8 | body[12];
		pos = 13;
	}
	end = pos + optlen;
	if (end > len)
		return false;

	while (pos < end) {
		size_t plen, hdr = ext ? 3 : 2;
		uint8_t ptype;

		if (pos + hdr > end)
			return false;
		ptype = body[pos];
		plen = ext ? ((size_t)body[pos + 1] << 8 | body[pos + 2]) : body[pos + 1];
		pos += hdr;
		if (pos + plen > end)
			return false;
		if (ptype == VAPP_OPT_CAPABILITY) {
			size_t c = pos, cend = pos + plen;

			while (c + 2 <= cend) {
				uint8_t code = body[c], clen = body[c + 1];

				if (c + 2 + clen > cend)
					return false;
				/*
				 * The first AS4 capability decides, as in bgpd
				 * (peek_for_as4_capability), or the pool's
				 * remote-as would be checked against another AS
				 * than the session's. One of another length bgpd
				 * reads as AS 4294967295: none to admit.
				 */
				if (code == VAPP_CAP_AS4 && !as4_seen) {
					if (clen != 4)
						return false;
					as4_seen = true;
					*asn = (uint32_t)body[c + 2] << 24 |
					       (uint32_t)body[c + 3] << 16 |
					       (uint32_t)body[c + 4] << 8 | body[c + 5];
				}
				c += 2 + clen;
			}
		}
		pos += plen;
	}
	return true;
}
