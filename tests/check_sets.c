// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: prefix sets, ASN sets and the OPEN reader.
 */
#include <zebra.h>

#include <check.h>

#include "module/vapp_core.h"
#include "check_vapp.h"

static struct ipaddr A(const char *s) {
	struct ipaddr ip;

	ck_assert_int_eq(str2ipaddr(s, &ip), 0);
	return ip;
}

static struct prefix
P(const char *s) {
	struct prefix p;

	ck_assert_int_ne(str2prefix(s, &p), 0);
	return p;
}

START_TEST(pfxset_longest_match_v4_v6)
{
	struct vapp_pfxset set;
	struct prefix p;
	struct ipaddr a;

	vapp_pfxset_init(&set);
	p = P("10.1.0.0/16");
	ck_assert(vapp_pfxset_add(&set, &p));
	p = P("10.1.2.0/24");
	ck_assert(vapp_pfxset_add(&set, &p));
	p = P("2001:db8::/32");
	ck_assert(vapp_pfxset_add(&set, &p));
	p = P("2001:db8:1::/48");
	ck_assert(vapp_pfxset_add(&set, &p));
	ck_assert_uint_eq(set.count, 4);

	a = A("10.1.2.3");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), 24);
	a = A("10.1.3.3");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), 16);
	a = A("10.2.0.1");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), -1);
	a = A("2001:db8:1::5");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), 48);
	a = A("2001:db8:2::5");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), 32);
	a = A("2001:db9::1");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), -1);
	/* an IPv4 source never matches an IPv6 entry and vice versa */
	a = A("::ffff:10.1.2.3");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), -1);

	/* host bits are masked; duplicates refused; deletes exact */
	p = P("10.1.2.77/24");
	ck_assert(!vapp_pfxset_add(&set, &p));
	ck_assert(vapp_pfxset_del(&set, &p));
	ck_assert(!vapp_pfxset_del(&set, &p));
	a = A("10.1.2.3");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), 16);
	p = P("10.0.0.0/8");
	ck_assert(!vapp_pfxset_del(&set, &p));
	ck_assert_uint_eq(set.count, 3);
	vapp_pfxset_fini(&set);
}
END_TEST

static void count_cb(const struct prefix *p, void *arg)
{
	(*(int *)arg)++;
}

START_TEST(pfxset_host_routes_and_walk)
{
	struct vapp_pfxset set;
	struct prefix p;
	struct ipaddr a;
	int n = 0;

	vapp_pfxset_init(&set);
	a = A("192.0.2.1");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), -1);
	p = P("192.0.2.1/32");
	vapp_pfxset_add(&set, &p);
	p = P("0.0.0.0/0");
	vapp_pfxset_add(&set, &p);
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), 32);
	a = A("198.51.100.1");
	ck_assert_int_eq(vapp_pfxset_match(&set, &a), 0);
	p = P("::/0");
	vapp_pfxset_add(&set, &p);
	vapp_pfxset_walk(&set, count_cb, &n);
	ck_assert_int_eq(n, 3);
	vapp_pfxset_fini(&set);
}
END_TEST

static struct vapp_asn_range R(const char *s) {
	struct vapp_asn_range r;
	const char *err = vapp_asn_range_parse(s, &r);

	ck_assert_msg(err == NULL, "%s: %s", s, err);
	return r;
}

START_TEST(asn_parse_edges)
{
	struct vapp_asn_range r;
	char buf[32];

	r = R("1");
	ck_assert_uint_eq(r.lo, 1);
	ck_assert_uint_eq(r.hi, 1);
	r = R("65535-65536");
	ck_assert_uint_eq(r.lo, 65535);
	ck_assert_uint_eq(r.hi, 65536);
	r = R("4294967295");
	ck_assert_uint_eq(r.lo, 4294967295u);
	/* asdot: 1.0 = 65536, 65535.65535 = 4294967295 */
	r = R("1.0-1.10");
	ck_assert_uint_eq(r.lo, 65536);
	ck_assert_uint_eq(r.hi, 65546);
	r = R("65535.65535");
	ck_assert_uint_eq(r.lo, 4294967295u);
	vapp_asn_range_str(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "4294967295");
	r = R("64512-65534");
	vapp_asn_range_str(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "64512-65534");

	ck_assert_str_eq(vapp_asn_range_parse("0", &r),
			 "AS 0 is reserved (RFC 7607) and cannot be allowed");
	ck_assert_ptr_nonnull(vapp_asn_range_parse("0-10", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("4294967296", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("65010-65001", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("abc", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("1-", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("-5", &r));
	/* trailing garbage, which asn_str2asn() alone would read as an AS */
	ck_assert_ptr_nonnull(vapp_asn_range_parse("65001abc", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("65001.", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse(".5", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("1.2.3", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("100-200-300", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("4294967295x", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("65002-65003z", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse(" 65001", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("0.0", &r));
	ck_assert_ptr_nonnull(vapp_asn_range_parse("", &r));
}
END_TEST

START_TEST(asnset_overlaps_and_match)
{
	struct vapp_asnset set = {};
	struct vapp_asn_range r;

	ck_assert(vapp_asnset_empty(&set));
	r = R("65001-65010");
	ck_assert_ptr_null(vapp_asnset_add(&set, &r));
	r = R("64512");
	ck_assert_ptr_null(vapp_asnset_add(&set, &r));
	r = R("4200000000-4294967295");
	ck_assert_ptr_null(vapp_asnset_add(&set, &r));
	/* identical is a no-op, overlap refused on either edge */
	r = R("65001-65010");
	ck_assert_ptr_null(vapp_asnset_add(&set, &r));
	ck_assert_uint_eq(vapp_asnset_count(&set), 3);
	r = R("65010-65020");
	ck_assert_ptr_nonnull(vapp_asnset_add(&set, &r));
	r = R("65000-65001");
	ck_assert_ptr_nonnull(vapp_asnset_add(&set, &r));
	r = R("65005");
	ck_assert_ptr_nonnull(vapp_asnset_add(&set, &r));
	r = R("1-4294967295");
	ck_assert_ptr_nonnull(vapp_asnset_add(&set, &r));
	ck_assert_uint_eq(vapp_asnset_count(&set), 3);

	ck_assert(vapp_asnset_contains(&set, 65001));
	ck_assert(vapp_asnset_contains(&set, 65010));
	ck_assert(!vapp_asnset_contains(&set, 65011));
	ck_assert(!vapp_asnset_contains(&set, 65000));
	ck_assert(vapp_asnset_contains(&set, 64512));
	ck_assert(!vapp_asnset_contains(&set, 64513));
	ck_assert(vapp_asnset_contains(&set, 4294967295u));
	ck_assert(!vapp_asnset_contains(&set, 0));

	/* sorted: a range between two others still inserts */
	r = R("65011-65100");
	ck_assert_ptr_null(vapp_asnset_add(&set, &r));
	ck_assert(vapp_asnset_contains(&set, 65050));
	ck_assert_uint_eq(set.ranges[0].lo, 64512);
	ck_assert_uint_eq(set.ranges[2].lo, 65011);

	r = R("64512");
	ck_assert(vapp_asnset_del(&set, &r));
	ck_assert(!vapp_asnset_del(&set, &r));
	ck_assert(!vapp_asnset_contains(&set, 64512));
	vapp_asnset_fini(&set);
}
END_TEST

/* OPEN body builders */
static size_t open_body(uint8_t *b, uint16_t as2, const char *rid, const uint8_t *opt, size_t optlen)
{
	struct in_addr id;

	inet_pton(AF_INET, rid, &id);
	b[0] = 4;
	b[1] = as2 >> 8;
	b[2] = as2 & 0xff;
	b[3] = 0;
	b[4] = 90;
	memcpy(b + 5, &id, 4);
	b[9] = optlen;
	memcpy(b + 10, opt, optlen);
	return 10 + optlen;
}

START_TEST(open_peek_as2_as4_ext)
{
	uint8_t b[300];
	uint32_t asn;
	struct in_addr id;
	size_t len;
	/* capabilities: MP (1, len 4) then AS4 (65, len 4) = 4200000001 */
	const uint8_t caps[] = { 2, 12, 1, 4, 0, 1, 0, 1, 65, 4, 0xfa, 0x56, 0xea, 0x01 };

	len = open_body(b, 65001, "10.1.0.5", NULL, 0);
	ck_assert(vapp_open_peek(b, len, &asn, &id));
	ck_assert_uint_eq(asn, 65001);
	ck_assert_str_eq(inet_ntoa(id), "10.1.0.5");

	len = open_body(b, 23456, "10.1.0.6", caps, sizeof(caps));
	ck_assert(vapp_open_peek(b, len, &asn, &id));
	ck_assert_uint_eq(asn, 4200000001u);

	/* RFC 9072 extended optional parameters */
	{
		uint8_t ext[] = { 255, 0, 15, 2, 0, 12, 1, 4, 0, 1, 0, 1, 65, 4, 0, 1, 0, 0 };

		len = open_body(b, 23456, "10.1.0.7", NULL, 0);
		b[9] = 255;
		memcpy(b + 10, ext, sizeof(ext));
		len = 10 + sizeof(ext);
		ck_assert(vapp_open_peek(b, len, &asn, &id));
		ck_assert_uint_eq(asn, 65536);
	}
}
END_TEST

START_TEST(open_peek_malformed)
{
	uint8_t b[64] = {};
	uint32_t asn;
	struct in_addr id;
	size_t len;
	const uint8_t trunc_param[] = { 2, 20, 65, 4, 0, 0 };
	const uint8_t trunc_cap[] = { 2, 4, 65, 9, 0, 0 };

	ck_assert(!vapp_open_peek(b, 9, &asn, &id));
	len = open_body(b, 65001, "10.0.0.1", trunc_param, sizeof(trunc_param));
	ck_assert(!vapp_open_peek(b, len, &asn, &id));
	len = open_body(b, 65001, "10.0.0.1", trunc_cap, sizeof(trunc_cap));
	ck_assert(!vapp_open_peek(b, len, &asn, &id));
	/* optlen beyond the body */
	len = open_body(b, 65001, "10.0.0.1", NULL, 0);
	b[9] = 30;
	ck_assert(!vapp_open_peek(b, len, &asn, &id));
}
END_TEST

/*
 * Found by fuzz_admission: the reader must take the AS bgpd takes, or a
 * pool's remote-as set is checked against another AS than the session's.
 * bgpd (peek_for_as4_capability) uses the first AS4 capability; the reader
 * used the last, so an appliance sending a refused AS first and an allowed
 * one after was admitted and ran as the refused AS. Where bgpd's reading
 * is no AS the reader can check, it refuses (the appliance is then never
 * admitted): an AS4 capability of another length than 4 (bgpd reads
 * 4294967295), and 255 octets of non-extended parameters (bgpd reads their
 * first octet as the RFC 9072 marker and parses from the next).
 */
START_TEST(open_peek_first_as4_like_bgpd)
{
	uint8_t b[300] = {};
	uint32_t asn;
	struct in_addr id;
	size_t len;
	/* AS4 64999 then AS4 65001, in one parameter and in two */
	const uint8_t two_caps[] = { 2, 12, 65, 4, 0, 0, 0xfd, 0xe7, 65, 4, 0, 0, 0xfd, 0xe9 };
	const uint8_t two_params[] = { 2, 6, 65, 4, 0, 0, 0xfd, 0xe7, 2, 6, 65, 4, 0, 0, 0xfd, 0xe9 };
	/* AS4 of length 2, then a good one */
	const uint8_t bad_len[] = { 2, 10, 65, 2, 0, 0, 65, 4, 0, 0, 0xfd, 0xe9 };

	len = open_body(b, 23456, "10.1.0.5", two_caps, sizeof(two_caps));
	ck_assert(vapp_open_peek(b, len, &asn, &id));
	ck_assert_uint_eq(asn, 64999);
	len = open_body(b, 23456, "10.1.0.5", two_params, sizeof(two_params));
	ck_assert(vapp_open_peek(b, len, &asn, &id));
	ck_assert_uint_eq(asn, 64999);
	len = open_body(b, 23456, "10.1.0.5", bad_len, sizeof(bad_len));
	ck_assert(!vapp_open_peek(b, len, &asn, &id));

	/* 255 octets, non-extended: an unknown parameter padded out */
	len = open_body(b, 65001, "10.1.0.5", NULL, 0);
	b[9] = 255;
	b[10] = 9;
	b[11] = 253;
	ck_assert(!vapp_open_peek(b, 10 + 255, &asn, &id));
}
END_TEST

Suite *vapp_sets_suite(void)
{
	Suite *s = suite_create("sets");
	TCase *tc = tcase_create("sets");

	tcase_add_test(tc, pfxset_longest_match_v4_v6);
	tcase_add_test(tc, pfxset_host_routes_and_walk);
	tcase_add_test(tc, asn_parse_edges);
	tcase_add_test(tc, asnset_overlaps_and_match);
	tcase_add_test(tc, open_peek_as2_as4_ext);
	tcase_add_test(tc, open_peek_malformed);
	tcase_add_test(tc, open_peek_first_as4_like_bgpd);
	suite_add_tcase(s, tc);
	return s;
}
