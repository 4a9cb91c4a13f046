// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: the paths a BGP UPDATE announces and withdraws.
 *
 * The glue needs what bgpd's route-map callback does not carry: the
 * ADD-PATH identifier of the path being evaluated, and the withdrawals,
 * which never reach the route-map. Both come from the message bgpd is about
 * to process (the bgp_packet_dump hook), read here in the order
 * bgp_update_receive() hands the NLRI to bgp_update()/bgp_withdraw().
 */
#include <zebra.h>

#include "prefix.h"

#include "vapp_core_int.h"

#define VAPP_ATTR_FLAG_EXTLEN 0x10
#define VAPP_ATTR_MP_REACH    14
#define VAPP_ATTR_MP_UNREACH  15
#define VAPP_AFI_IP	      1
#define VAPP_AFI_IP6	      2
#define VAPP_SAFI_UNICAST     1
#define VAPP_SAFI_LABELED     4
#define VAPP_LABEL_BYTES      3

struct vapp_nlri {
	uint8_t family, safi;
	bool addpath, withdrawn;
	void (*fn)(const struct vapp_rkey *k, bool withdrawn, void *arg);
	void *arg;
};

/*
 * RFC 8277 labels precede the prefix: 3 octets each, up to the one with
 * the bottom-of-stack bit, or a withdrawal's compatibility value 0x800000
 * (bgp_nlri_get_labels() stops on either). Returns their length in bits,
 * or -1 when bgpd would refuse the NLRI.
 */
static int vapp_nlri_labels(const uint8_t *b, size_t bytes)
{
	size_t n = 0;
	bool bottom = false;

	while (!bottom && n + VAPP_LABEL_BYTES <= bytes) {
		const uint8_t *l = b + n;

		n += VAPP_LABEL_BYTES;
		bottom = (l[2] & 0x01) || ((l[0] == 0x80 || l[0] == 0x00) && l[1] == 0x00 &&
					   (l[2] == 0x00 || l[2] == 0x02));
	}
	/* no bottom of stack before the NLRI ends: bgpd's label reader runs
	 * past it and refuses the prefix length that results */
	if (!n || (!bottom && n < bytes))
		return -1;
	return (int)(n * 8);
}

static bool vapp_nlri_walk(const uint8_t *b, size_t len, const struct vapp_nlri *w)
{
	size_t pos = 0, maxlen = w->family == AF_INET ? 32 : 128;

	while (pos < len) {
		/* the key holds bgpd's safi_t, not the IANA code */
		struct vapp_rkey k = { .p.family = w->family,
				       .safi = w->safi == VAPP_SAFI_LABELED ? SAFI_LABELED_UNICAST
									    : SAFI_UNICAST };
		size_t bits, bytes;
		int lbits = 0;

		if (w->addpath) {
			if (pos + 4 > len)
				return false;
			k.path_id = (uint32_t)b[pos] << 24 | (uint32_t)b[pos + 1] << 16 |
				    (uint32_t)b[pos + 2] << 8 | b[pos + 3];
			pos += 4;
		}
		if (pos >= len)
			return false;
		bits = b[pos++];
		bytes = (bits + 7) / 8;
		if (pos + bytes > len)
			return false;
		if (w->safi == VAPP_SAFI_LABELED) {
			lbits = vapp_nlri_labels(b + pos, bytes);
			if (lbits < 0 || (size_t)lbits > bits)
				return false;
		}
		if (bits - lbits > maxlen)
			return false;
		k.p.prefixlen = bits - lbits;
		memcpy(&k.p.u.prefix, b + pos + lbits / 8, bytes - lbits / 8);
		pos += bytes;
		apply_mask(&k.p);
		w->fn(&k, w->withdrawn, w->arg);
	}
	return true;
}

/* MP_REACH_NLRI: AFI, SAFI, next hop length and next hop, a reserved octet */
static bool vapp_mp_walk(const uint8_t *v, size_t vlen, bool reach, const bool addpath[2][2],
			 struct vapp_nlri *w)
{
	size_t skip = 3;
	uint16_t afi;
	uint8_t safi;

	if (vlen < 3)
		return false;
	afi = (uint16_t)v[0] << 8 | v[1];
	safi = v[2];
	if ((afi != VAPP_AFI_IP && afi != VAPP_AFI_IP6) ||
	    (safi != VAPP_SAFI_UNICAST && safi != VAPP_SAFI_LABELED))
		return true; /* not an address family the module governs */
	if (reach) {
		if (vlen < 4 || 4 + (size_t)v[3] + 1 > vlen)
			return false;
		skip = 4 + v[3] + 1;
	}
	w->family = afi == VAPP_AFI_IP ? AF_INET : AF_INET6;
	w->safi = safi;
	w->addpath = addpath[afi == VAPP_AFI_IP6][safi == VAPP_SAFI_LABELED];
	w->withdrawn = !reach;
	return vapp_nlri_walk(v + skip, vlen - skip, w);
}

/*
 * Calls @fn for each attribute of type @want in the attribute field
 * [@b, @b + @len) in order; false when the field does not hold together.
 */
static bool vapp_attrs_walk(const uint8_t *b, size_t len, uint8_t want,
			    bool (*fn)(const uint8_t *v, size_t vlen, void *arg), void *arg)
{
	for (size_t pos = 0; pos < len;) {
		uint8_t flags, type;
		size_t vlen;

		if (pos + 3 > len)
			return false;
		flags = b[pos];
		type = b[pos + 1];
		if (flags & VAPP_ATTR_FLAG_EXTLEN) {
			if (pos + 4 > len)
				return false;
			vlen = (size_t)b[pos + 2] << 8 | b[pos + 3];
			pos += 4;
		} else {
			vlen = b[pos + 2];
			pos += 3;
		}
		if (pos + vlen > len)
			return false;
		if (type == want && fn && !fn(b + pos, vlen, arg))
			return false;
		pos += vlen;
	}
	return true;
}

struct vapp_mp_ctx {
	const bool (*addpath)[2];
	struct vapp_nlri *w;
};

static bool vapp_mp_reach(const uint8_t *v, size_t vlen, void *arg)
{
	struct vapp_mp_ctx *c = arg;

	return vapp_mp_walk(v, vlen, true, c->addpath, c->w);
}

static bool vapp_mp_unreach(const uint8_t *v, size_t vlen, void *arg)
{
	struct vapp_mp_ctx *c = arg;

	return vapp_mp_walk(v, vlen, false, c->addpath, c->w);
}

bool vapp_update_paths(const uint8_t *body, size_t len, const bool addpath[2][2],
		       void (*fn)(const struct vapp_rkey *k, bool withdrawn, void *arg), void *arg)
{
	struct vapp_nlri w = { .family = AF_INET, .safi = VAPP_SAFI_UNICAST, .fn = fn, .arg = arg };
	struct vapp_mp_ctx mp = { .addpath = addpath, .w = &w };
	const uint8_t *attrs;
	size_t wlen, alen, pos;

	if (len < 4)
		return false;
	wlen = (size_t)body[0] << 8 | body[1];
	if (2 + wlen + 2 > len)
		return false;
	pos = 2 + wlen;
	alen = (size_t)body[pos] << 8 | body[pos + 1];
	pos += 2;
	if (pos + alen > len)
		return false;
	attrs = body + pos;
	if (!vapp_attrs_walk(attrs, alen, 0, NULL, NULL))
		return false;
	pos += alen;

	/*
	 * bgp_update_receive(): NLRI (only with attributes), Withdrawn
	 * Routes, MP_REACH_NLRI, MP_UNREACH_NLRI. bgpd refuses an UPDATE
	 * with either MP attribute twice; each one is read here.
	 */
	w.addpath = addpath[0][0];
	if (alen && pos < len && !vapp_nlri_walk(body + pos, len - pos, &w))
		return false;
	w.withdrawn = true;
	w.addpath = addpath[0][0];
	if (!vapp_nlri_walk(body + 2, wlen, &w))
		return false;
	return vapp_attrs_walk(attrs, alen, VAPP_ATTR_MP_REACH, vapp_mp_reach, &mp) &&
	       vapp_attrs_walk(attrs, alen, VAPP_ATTR_MP_UNREACH, vapp_mp_unreach, &mp);
}

/*
 * End-of-RIB (RFC 4724): an UPDATE with neither withdrawn routes nor
 * attributes (IPv4 unicast), or whose only attribute is an MP_UNREACH_NLRI
 * holding just its AFI and SAFI (bgp_update_receive()'s test).
 */
bool vapp_update_is_eor(const uint8_t *body, size_t len)
{
	size_t alen, hlen, vlen;

	if (len < 4 || body[0] || body[1])
		return false;
	alen = (size_t)body[2] << 8 | body[3];
	if (alen == 0)
		return len == 4;
	if (len != 4 + alen || alen < 3)
		return false;
	hlen = body[4] & VAPP_ATTR_FLAG_EXTLEN ? 4 : 3;
	if (alen < hlen || body[5] != VAPP_ATTR_MP_UNREACH)
		return false;
	vlen = hlen == 4 ? (size_t)body[6] << 8 | body[7] : body[6];
	return hlen + vlen == alen && vlen == 3;
}
