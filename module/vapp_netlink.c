// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance: the anycast addresses in the kernel, through rtnetlink
 * (libmnl), inside bgpd's privilege handling.
 *
 * Addresses carry the module's mark in the address protocol attribute
 * (IFA_PROTO, Linux 5.18+): the module removes only what it installed,
 * cleans up its own leftovers at start and refuses to manage an address
 * someone else put there. They are installed with a valid and preferred
 * lifetime (the lease), so the kernel drops them by itself when bgpd dies
 * or hangs and stops renewing.
 */
#include <zebra.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "darr.h"
#include "memory.h"
#include "monotime.h"
#include "privs.h"
#include "prefix.h"

#include "vappliance.h"
#include "vapp_errors.h"

/*
 * IFA_PROTO (u8, Linux 5.18). FRR's bundled include/linux/if_addr.h, which
 * comes first on the include path, predates it, so it is spelled here.
 */
#define VAPP_IFA_PROTO_ATTR 11
#define VAPP_IFA_ATTR_MAX   VAPP_IFA_PROTO_ATTR

/*
 * One request at a time, on bgpd's main thread: each waits for the reply
 * with its own sequence number, at most VAPP_NL_WAIT_MS per receive and
 * in all. A reply of an earlier request (one whose wait ran out) is
 * skipped, never taken for the current one's. After anything but the
 * kernel's own answer (a send or receive error, a timeout, a malformed
 * reply) the socket is replaced: whatever was left in it goes with it.
 */
#define VAPP_NL_WAIT_MS 1000

static struct zebra_privs_t *vapp_nl_privs;
static struct mnl_socket *vapp_nl;
static unsigned int vapp_nl_seq;
static struct vapp_nl_stats vapp_nl_stats;

/* ---- test-only fault injection (VAPP_TEST_NETLINK_FAULTS) ------------------------- */

enum vapp_nl_op { VAPP_NL_OP_ADD, VAPP_NL_OP_DEL, VAPP_NL_OP_DUMP, VAPP_NL_OP_MAX };
static const char *const vapp_nl_op_names[VAPP_NL_OP_MAX] = { "add", "del", "dump" };
static const char *const vapp_nl_fault_names[] = {
	[VAPP_NL_FAULT_NONE] = "none",	     [VAPP_NL_FAULT_FAIL] = "fail",
	[VAPP_NL_FAULT_NOACK] = "noack",     [VAPP_NL_FAULT_STALE] = "stale",
	[VAPP_NL_FAULT_NOPROTO] = "noproto",
};

struct vapp_nl_fault_rule {
	enum vapp_nl_op op;
	unsigned int first, last; /* ordinals of the op's requests, from 1 */
	enum vapp_nl_fault fault;
};

static struct vapp_nl_fault_rule *vapp_nl_rules; /* darr */
static unsigned int vapp_nl_ops[VAPP_NL_OP_MAX];

static bool vapp_nl_parse_rule(const char *s, struct vapp_nl_fault_rule *r)
{
	char op[8], mode[8];
	int n = 0;

	if (sscanf(s, "%7[a-z]:%u-%u:%7[a-z]%n", op, &r->first, &r->last, mode, &n) != 4 || s[n]) {
		n = 0;
		if (sscanf(s, "%7[a-z]:%u:%7[a-z]%n", op, &r->first, mode, &n) != 3 || s[n])
			return false;
		r->last = r->first;
	}
	if (!r->first || r->last < r->first)
		return false;
	for (r->op = 0; r->op < VAPP_NL_OP_MAX && strcmp(op, vapp_nl_op_names[r->op]); r->op++)
		;
	for (r->fault = VAPP_NL_FAULT_FAIL;
	     r->fault <= VAPP_NL_FAULT_NOPROTO && strcmp(mode, vapp_nl_fault_names[r->fault]);
	     r->fault++)
		;
	return r->op < VAPP_NL_OP_MAX && r->fault <= VAPP_NL_FAULT_NOPROTO;
}

bool vapp_nl_faults_set(const char *spec)
{
	struct vapp_nl_fault_rule *rules = NULL, r;
	char *copy = XSTRDUP(MTYPE_TMP, spec ? spec : ""), *tok, *save = NULL;
	bool ok = true;

	for (tok = strtok_r(copy, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
		ok = vapp_nl_parse_rule(tok, &r);
		if (ok)
			*darr_append(rules) = r;
	}
	XFREE(MTYPE_TMP, copy);
	if (!ok) {
		darr_free(rules);
		return false;
	}
	darr_free(vapp_nl_rules);
	vapp_nl_rules = rules;
	memset(vapp_nl_ops, 0, sizeof(vapp_nl_ops));
	return true;
}

static enum vapp_nl_fault vapp_nl_fault_take(uint16_t type)
{
	enum vapp_nl_op op = type == RTM_NEWADDR   ? VAPP_NL_OP_ADD
			     : type == RTM_DELADDR ? VAPP_NL_OP_DEL
						   : VAPP_NL_OP_DUMP;
	unsigned int n = ++vapp_nl_ops[op];
	struct vapp_nl_fault_rule *r;

	darr_foreach_p (vapp_nl_rules, r)
		if (r->op == op && n >= r->first && n <= r->last) {
			zlog_warn("vappliance: test fault %s injected into rtnetlink %s request %u",
				  vapp_nl_fault_names[r->fault], vapp_nl_op_names[op], n);
			return r->fault;
		}
	return VAPP_NL_FAULT_NONE;
}

/* ---- the socket ------------------------------------------------------------------ */

static bool vapp_nl_open(void)
{
	struct timeval tv = { .tv_sec = VAPP_NL_WAIT_MS / 1000,
			      .tv_usec = (VAPP_NL_WAIT_MS % 1000) * 1000 };

	frr_with_privs (vapp_nl_privs) {
		vapp_nl = mnl_socket_open(NETLINK_ROUTE);
		if (vapp_nl && (mnl_socket_bind(vapp_nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
				setsockopt(mnl_socket_get_fd(vapp_nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
					   sizeof(tv)) < 0)) {
			mnl_socket_close(vapp_nl);
			vapp_nl = NULL;
		}
	}
	return vapp_nl != NULL;
}

bool vapp_nl_init(struct zebra_privs_t *privs)
{
	const char *spec = getenv("VAPP_TEST_NETLINK_FAULTS");

	vapp_nl_privs = privs;
	memset(&vapp_nl_stats, 0, sizeof(vapp_nl_stats));
	if (spec && *spec) {
		if (vapp_nl_faults_set(spec))
			zlog_warn("vappliance: TEST ONLY: rtnetlink faults injected as VAPP_TEST_NETLINK_FAULTS=%s asks",
				  spec);
		else
			flog_err(EC_VAPP_NETLINK_FAULTS,
				 "vappliance: VAPP_TEST_NETLINK_FAULTS=%s is not OP:N[-M]:MODE[,...] (OP add, del or dump; MODE fail, noack or stale): ignored",
				 spec);
	}
	if (!vapp_nl_open())
		flog_err(EC_VAPP_NETLINK_SOCKET, "vappliance: cannot open an rtnetlink socket: %s",
			 safe_strerror(errno));
	return vapp_nl != NULL;
}

void vapp_nl_fini(void)
{
	if (vapp_nl)
		mnl_socket_close(vapp_nl);
	vapp_nl = NULL;
	darr_free(vapp_nl_rules);
	memset(vapp_nl_ops, 0, sizeof(vapp_nl_ops));
}

const struct vapp_nl_stats *vapp_nl_get_stats(void)
{
	return &vapp_nl_stats;
}

/* The exchange fell out of step: a new socket, so nothing left over answers later. */
static int vapp_nl_broken(int err, const char *what)
{
	vapp_nl_stats.errors++;
	if (vapp_nl)
		mnl_socket_close(vapp_nl);
	vapp_nl = NULL;
	if (vapp_nl_open())
		vapp_nl_stats.reopens++;
	zlog_warn("vappliance: rtnetlink %s: %s; %s", what, safe_strerror(-err),
		  vapp_nl ? "continuing on a new socket"
			  : "no socket, every request fails until one opens");
	return err;
}

/*
 * Runs the replies in @buf that answer @seq through @cb: 1 while more are
 * due, 0 or the kernel's -errno when the answer is complete, -EBADMSG when
 * the buffer is malformed.
 */
static int vapp_nl_replies(const char *buf, int len, unsigned int seq, unsigned int portid,
			   mnl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != portid) {
			vapp_nl_stats.stale++;
			continue;
		}
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				return -EBADMSG;
			return e->error; /* 0: the acknowledgement */
		}
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 0;
		if (cb && cb(nlh, data) < MNL_CB_OK)
			return -EBADMSG;
	}
	return len ? -EBADMSG : 1;
}

/* Sends one request and runs its replies through @cb; 0 or -errno. */
static int vapp_nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	enum vapp_nl_fault fault = vapp_nl_fault_take(nlh->nlmsg_type);
	unsigned int portid, seq;
	struct timeval sent;
	int ret;

	vapp_nl_stats.requests++;
	if (!vapp_nl && !vapp_nl_open())
		return vapp_nl_broken(-ENOTCONN, "socket");
	if (fault == VAPP_NL_FAULT_FAIL)
		return vapp_nl_broken(-EIO, "request (test fault)");
	if (++vapp_nl_seq == 0)
		++vapp_nl_seq;
	seq = nlh->nlmsg_seq = vapp_nl_seq;
	portid = mnl_socket_get_portid(vapp_nl);
	/* carried out, never answered: the wait runs out */
	if (fault == VAPP_NL_FAULT_NOACK)
		nlh->nlmsg_flags &= ~NLM_F_ACK;
	/* as a kernel before 5.18 does: it ignores the IFA_PROTO attribute it
	 * does not know (the last one of an add), the address has no mark */
	if (fault == VAPP_NL_FAULT_NOPROTO && nlh->nlmsg_type == RTM_NEWADDR)
		nlh->nlmsg_len -= MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint8_t));
	frr_with_privs (vapp_nl_privs) {
		/* a no-op under the previous number, its answer ahead of ours */
		if (fault == VAPP_NL_FAULT_STALE) {
			struct nlmsghdr noop = { .nlmsg_len = sizeof(noop),
						 .nlmsg_type = NLMSG_NOOP,
						 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
						 .nlmsg_seq = seq - 1 };

			mnl_socket_sendto(vapp_nl, &noop, noop.nlmsg_len);
		}
		ret = mnl_socket_sendto(vapp_nl, nlh, nlh->nlmsg_len);
	}
	if (ret < 0)
		return vapp_nl_broken(-errno, "send");
	monotime(&sent);
	for (;;) {
		ret = mnl_socket_recvfrom(vapp_nl, buf, sizeof(buf));
		if (ret < 0)
			return vapp_nl_broken(errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT
										      : -errno,
					      "receive");
		ret = vapp_nl_replies(buf, ret, seq, portid, cb, data);
		if (ret == -EBADMSG)
			return vapp_nl_broken(ret, "reply");
		if (ret <= 0)
			return ret; /* the kernel's answer: the socket is in step */
		if (monotime_since(&sent, NULL) > VAPP_NL_WAIT_MS * 1000)
			return vapp_nl_broken(-ETIMEDOUT, "reply");
	}
}

static void vapp_nl_put_addr(struct nlmsghdr *nlh, const struct prefix *p)
{
	if (p->family == AF_INET) {
		mnl_attr_put(nlh, IFA_LOCAL, 4, &p->u.prefix4);
		mnl_attr_put(nlh, IFA_ADDRESS, 4, &p->u.prefix4);
	} else {
		mnl_attr_put(nlh, IFA_ADDRESS, 16, &p->u.prefix6);
	}
}

static struct nlmsghdr *vapp_nl_addr_msg(char *buf, uint16_t type, uint16_t flags,
					 const struct prefix *p, unsigned int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	/* libmnl 1.0.4 (Debian 12) leaves an attribute's padding as it was:
	 * nothing of the stack goes to the kernel */
	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = p->family;
	ifa->ifa_prefixlen = p->prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	/* IPv6: usable at once, no duplicate address detection (anycast) */
	ifa->ifa_flags = p->family == AF_INET6 ? IFA_F_NODAD : 0;
	vapp_nl_put_addr(nlh, p);
	return nlh;
}

int vapp_nl_addr_set(const char *ifname, const struct prefix *p, uint32_t lease)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ifa_cacheinfo ci = { .ifa_prefered = lease, .ifa_valid = lease };
	unsigned int ifindex = if_nametoindex(ifname);
	struct nlmsghdr *nlh;

	if (!ifindex)
		return -ENODEV;
	/* add, or renew the lifetimes of, our address */
	nlh = vapp_nl_addr_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, p, ifindex);
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	mnl_attr_put_u8(nlh, VAPP_IFA_PROTO_ATTR, VAPP_IFA_PROTO);
	return vapp_nl_talk(nlh, NULL, NULL);
}

int vapp_nl_addr_del(const char *ifname, const struct prefix *p)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int ifindex = if_nametoindex(ifname);
	int ret;

	/* no interface, no address on it */
	if (!ifindex)
		return 0;
	ret = vapp_nl_talk(vapp_nl_addr_msg(buf, RTM_DELADDR, 0, p, ifindex), NULL, NULL);
	/* gone already (its lease ran out, or someone removed it) */
	if (ret == -EADDRNOTAVAIL || ret == -ENOENT || ret == -ENODEV)
		return 0;
	return ret;
}

/* ---- reading the kernel's addresses --------------------------------------------- */

struct vapp_nl_dump {
	struct vapp_nl_addr *addrs; /* darr */
};

static int vapp_nl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= VAPP_IFA_ATTR_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int vapp_nl_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vapp_nl_dump *dump = data;
	const struct nlattr *tb[VAPP_IFA_ATTR_MAX + 1] = {};
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct vapp_nl_addr *out;
	size_t alen;

	mnl_attr_parse(nlh, sizeof(*ifa), vapp_nl_attr_cb, tb);
	a = (ifa->ifa_family == AF_INET && tb[IFA_LOCAL]) ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	alen = ifa->ifa_family == AF_INET ? 4 : 16;
	if (!a || mnl_attr_get_payload_len(a) < alen ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return MNL_CB_OK;
	out = darr_appendz(dump->addrs);
	out->prefix.family = ifa->ifa_family;
	out->prefix.prefixlen = ifa->ifa_prefixlen;
	memcpy(&out->prefix.u.prefix, mnl_attr_get_payload(a), alen);
	out->ifindex = ifa->ifa_index;
	out->proto = tb[VAPP_IFA_PROTO_ATTR] ? mnl_attr_get_u8(tb[VAPP_IFA_PROTO_ATTR]) : 0;
	return MNL_CB_OK;
}

int vapp_nl_addrs(struct vapp_nl_addr **addrs)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct vapp_nl_dump dump = {};
	struct ifaddrmsg *ifa;
	int ret;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	ret = vapp_nl_talk(nlh, vapp_nl_addr_cb, &dump);
	if (ret < 0)
		darr_free(dump.addrs);
	*addrs = dump.addrs;
	return ret;
}

/* compares the address only (an anycast address is a host prefix) */
static bool vapp_nl_same_addr(const struct prefix *a, const struct prefix *b)
{
	return a->family == b->family &&
	       !memcmp(&a->u.prefix, &b->u.prefix, a->family == AF_INET ? 4 : 16);
}

enum vapp_nl_owner vapp_nl_addr_owner(const struct prefix *p)
{
	struct vapp_nl_addr *addrs, *a;
	enum vapp_nl_owner owner = VAPP_NL_ABSENT;

	if (vapp_nl_addrs(&addrs) < 0)
		return VAPP_NL_UNKNOWN;
	darr_foreach_p (addrs, a)
		if (vapp_nl_same_addr(&a->prefix, p)) {
			owner = a->proto == VAPP_IFA_PROTO ? VAPP_NL_OURS : VAPP_NL_FOREIGN;
			break;
		}
	darr_free(addrs);
	return owner;
}

unsigned int vapp_nl_cleanup(void)
{
	struct vapp_nl_addr *addrs, *a;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int n = 0;
	int ret;

	ret = vapp_nl_addrs(&addrs);
	if (ret < 0)
		flog_err(EC_VAPP_LEFTOVER,
			 "vappliance: cannot read the kernel's addresses to remove leftover anycast addresses: %s",
			 safe_strerror(-ret));
	darr_foreach_p (addrs, a) {
		if (a->proto != VAPP_IFA_PROTO)
			continue;
		ret = vapp_nl_talk(vapp_nl_addr_msg(buf, RTM_DELADDR, 0, &a->prefix, a->ifindex),
				   NULL, NULL);
		if (ret == 0) {
			zlog_info("vappliance: removed leftover anycast address %pFX (ifindex %u) of an earlier bgpd",
				  &a->prefix, a->ifindex);
			n++;
		} else {
			flog_err(EC_VAPP_LEFTOVER,
				 "vappliance: cannot remove leftover anycast address %pFX (ifindex %u): %s; its lease removes it",
				 &a->prefix, a->ifindex, safe_strerror(-ret));
		}
	}
	darr_free(addrs);
	return n;
}
