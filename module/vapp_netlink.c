// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance: the anycast addresses in the kernel, through rtnetlink
 * (libmnl), inside bgpd's privilege handling.
 *
 * Addresses carry the module's mark in the address protocol attribute
 * (IFA_PROTO, Linux 6.3+): the module removes only what it installed,
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
#include "privs.h"
#include "prefix.h"

#include "vappliance.h"

/*
 * IFA_PROTO (u8, Linux 6.3). FRR's bundled include/linux/if_addr.h, which
 * comes first on the include path, predates it, so it is spelled here.
 */
#define VAPP_IFA_PROTO_ATTR 11
#define VAPP_IFA_ATTR_MAX   VAPP_IFA_PROTO_ATTR

/* bgpd's privileges (bgp_main.c): CAP_NET_ADMIN for address changes */
extern struct zebra_privs_t bgpd_privs;

static struct mnl_socket *vapp_nl;
static unsigned int vapp_nl_seq;

bool vapp_nl_init(void)
{
	frr_with_privs (&bgpd_privs) {
		vapp_nl = mnl_socket_open(NETLINK_ROUTE);
		if (vapp_nl && mnl_socket_bind(vapp_nl, 0, MNL_SOCKET_AUTOPID) < 0) {
			mnl_socket_close(vapp_nl);
			vapp_nl = NULL;
		}
	}
	if (!vapp_nl)
		zlog_err("vappliance: cannot open an rtnetlink socket: %s", safe_strerror(errno));
	return vapp_nl != NULL;
}

void vapp_nl_fini(void)
{
	if (vapp_nl)
		mnl_socket_close(vapp_nl);
	vapp_nl = NULL;
}

/* Sends one request and runs the replies through @cb; 0 or -errno. */
static int vapp_nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int portid;
	int ret;

	if (!vapp_nl)
		return -ENOTCONN;
	nlh->nlmsg_seq = ++vapp_nl_seq;
	portid = mnl_socket_get_portid(vapp_nl);
	frr_with_privs (&bgpd_privs) {
		ret = mnl_socket_sendto(vapp_nl, nlh, nlh->nlmsg_len);
	}
	if (ret < 0)
		return -errno;
	for (;;) {
		ret = mnl_socket_recvfrom(vapp_nl, buf, sizeof(buf));
		if (ret < 0)
			return -errno;
		ret = mnl_cb_run(buf, ret, nlh->nlmsg_seq, portid, cb, data);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -errno : 0;
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
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

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

	if (!ifindex)
		return -ENODEV;
	return vapp_nl_talk(vapp_nl_addr_msg(buf, RTM_DELADDR, 0, p, ifindex), NULL, NULL);
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

struct vapp_nl_addr *vapp_nl_addrs(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct vapp_nl_dump dump = {};
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	if (vapp_nl_talk(nlh, vapp_nl_addr_cb, &dump) < 0) {
		darr_free(dump.addrs);
		return NULL;
	}
	return dump.addrs;
}

/* compares the address only (an anycast address is a host prefix) */
static bool vapp_nl_same_addr(const struct prefix *a, const struct prefix *b)
{
	return a->family == b->family &&
	       !memcmp(&a->u.prefix, &b->u.prefix, a->family == AF_INET ? 4 : 16);
}

enum vapp_nl_owner vapp_nl_addr_owner(const struct prefix *p)
{
	struct vapp_nl_addr *addrs = vapp_nl_addrs(), *a;
	enum vapp_nl_owner owner = VAPP_NL_ABSENT;

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
	struct vapp_nl_addr *addrs = vapp_nl_addrs(), *a;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int n = 0;

	darr_foreach_p (addrs, a) {
		if (a->proto != VAPP_IFA_PROTO)
			continue;
		if (vapp_nl_talk(vapp_nl_addr_msg(buf, RTM_DELADDR, 0, &a->prefix, a->ifindex),
				 NULL, NULL) == 0) {
			zlog_info("vappliance: removed leftover anycast address %pFX (ifindex %u) of an earlier bgpd",
				  &a->prefix, a->ifindex);
			n++;
		}
	}
	darr_free(addrs);
	return n;
}
