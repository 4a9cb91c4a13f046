// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance CLI. Configuration commands sit flat inside `router bgp ASN
 * [vrf NAME]` (vtysh cannot enter nodes a module defines) and go through the
 * northbound; show commands read the core and, through the glue, bgpd.
 */
#include <zebra.h>

#include "command.h"
#include "darr.h"
#include "json.h"
#include "monotime.h"
#include "northbound_cli.h"
#include "vrf.h"
#include "vty.h"
#include "yang.h"

#include "bgpd/bgpd.h"

#include "vappliance.h"
#include "vapp_nb.h"
#include "vapp_vty.h"

#include "module/vapp_vty_clippy.c"

#define VAPP_STR "Virtual appliance route-server policy\n"
#define VAPP_POOL_STR                                                                              \
	"Appliance pool\n"                                                                         \
	"Pool name\n"

static const struct lyd_node *vapp_cli_candidate(struct vty *vty, const char *xpath)
{
	const struct lyd_node *root = vty->candidate_config->dnode;

	if (!root || !yang_dnode_exists(root, xpath))
		return NULL;
	return yang_dnode_get(root, xpath);
}

/* Clear messages for bad names before they reach the northbound. */
static bool vapp_cli_name_ok(struct vty *vty, const char *what, const char *name)
{
	const char *why = vapp_name_invalid(name);

	if (why)
		vty_out(vty, "%% invalid %s name \"%s\": %s\n", what, name, why);
	return why == NULL;
}

/*
 * xpath of an existing pool (in the candidate) for the pool's sub-commands;
 * false, with a message, when the pool does not exist.
 */
static bool vapp_cli_pool_xpath(struct vty *vty, const char *name, char *xpath, size_t len)
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);

	if (!vapp_cli_name_ok(vty, "pool", name))
		return false;
	snprintf(xpath, len, VAPP_XP_POOL_KEY, vapp_bgp_vrf_name(bgp), name);
	if (!vapp_cli_candidate(vty, xpath)) {
		vty_out(vty,
			"%% vappliance pool %s does not exist; create it with 'vappliance pool %s peer-group PEER-GROUP'\n",
			name, name);
		return false;
	}
	return true;
}

#define VAPP_PEER_GROUP_NAME_MAX 128 /* YANG typedef peer-group-name */

DEFPY_YANG(vapp_pool_peer_group, vapp_pool_peer_group_cmd,
	   "vappliance pool WORD$name peer-group WORD$pg",
	   VAPP_STR VAPP_POOL_STR
	   "Bind the pool to a peer-group of this BGP instance\n"
	   "Peer-group name\n")
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_name_ok(vty, "pool", name))
		return CMD_WARNING_CONFIG_FAILED;
	if (strlen(pg) > VAPP_PEER_GROUP_NAME_MAX) {
		vty_out(vty, "%% peer-group name is at most %d characters long\n",
			VAPP_PEER_GROUP_NAME_MAX);
		return CMD_WARNING_CONFIG_FAILED;
	}
	snprintf(xpath, sizeof(xpath), VAPP_XP_POOL_KEY, vapp_bgp_vrf_name(bgp), name);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	strlcat(xpath, "/peer-group", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, pg);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(no_vapp_pool, no_vapp_pool_cmd, "no vappliance pool WORD$name [peer-group WORD$pg]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Peer-group the pool is bound to\n"
	   "Peer-group name\n")
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	const char *vrf = vapp_bgp_vrf_name(bgp);
	const struct lyd_node *dpool, *dinst, *child;
	char xpath[XPATH_MAXLEN];
	unsigned int others = 0;

	if (!vapp_cli_name_ok(vty, "pool", name))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(xpath, sizeof(xpath), VAPP_XP_POOL_KEY, vrf, name);
	dpool = vapp_cli_candidate(vty, xpath);
	if (!dpool) {
		vty_out(vty, "%% vappliance pool %s does not exist\n", name);
		return CMD_WARNING_CONFIG_FAILED;
	}
	if (pg && strcmp(pg, yang_dnode_get_string(dpool, "peer-group"))) {
		vty_out(vty, "%% vappliance pool %s is bound to peer-group %s, not %s\n", name,
			yang_dnode_get_string(dpool, "peer-group"), pg);
		return CMD_WARNING_CONFIG_FAILED;
	}

	/* the instance entry goes with its last child (keeps configs tidy) */
	dinst = lyd_parent(dpool);
	LY_LIST_FOR (lyd_child(dinst), child)
		if (child != dpool && !lysc_is_key(child->schema))
			others++;
	if (others == 0)
		snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY, vrf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return nb_cli_apply_changes(vty, NULL);
}

/* adds/removes one value of a leaf-list of the pool */
static int vapp_cli_leaflist(struct vty *vty, const char *name, const char *leaf, const char *value,
			     bool no)
{
	char xpath[XPATH_MAXLEN], entry[XPATH_MAXLEN + 64];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	if (no) {
		/* leaf-list entries are destroyed by their full path */
		snprintf(entry, sizeof(entry), "%s/%s[.='%s']", xpath, leaf, value);
		if (!vapp_cli_candidate(vty, entry)) {
			vty_out(vty, "%% %s %s is not configured in vappliance pool %s\n", leaf,
				value, name);
			return CMD_WARNING_CONFIG_FAILED;
		}
		nb_cli_enqueue_change(vty, entry, NB_OP_DESTROY, NULL);
	} else {
		snprintf(entry, sizeof(entry), "%s/%s", xpath, leaf);
		nb_cli_enqueue_change(vty, entry, NB_OP_CREATE, value);
	}
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_pool_source, vapp_pool_source_cmd,
	   "[no] vappliance pool WORD$name source <A.B.C.D/M|X:X::X:X/M>$pfx",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Dynamic neighbors from this prefix belong to the pool\n"
	   "IPv4 prefix\n"
	   "IPv6 prefix\n")
{
	struct prefix m;
	char buf[PREFIX2STR_BUFFER];

	/* stored canonical: host bits cleared */
	prefix_copy(&m, pfx);
	apply_mask(&m);
	return vapp_cli_leaflist(vty, name, "source", prefix2str(&m, buf, sizeof(buf)), !!no);
}

DEFPY_YANG(vapp_pool_deny_source, vapp_pool_deny_source_cmd,
	   "[no] vappliance pool WORD$name deny-source <A.B.C.D/M|X:X::X:X/M>$pfx",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Never admit dynamic neighbors from this prefix\n"
	   "IPv4 prefix\n"
	   "IPv6 prefix\n")
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	char xpath[XPATH_MAXLEN], buf[PREFIX2STR_BUFFER];
	const struct lyd_node *dpool;
	struct prefix m;

	prefix_copy(&m, pfx);
	apply_mask(&m);
	if (!no) {
		/* an unknown pool: its error once, not again from the leaf-list */
		if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
			return CMD_WARNING_CONFIG_FAILED;
		dpool = vapp_cli_candidate(vty, xpath);
		if (!vapp_bgp_group_listens(bgp, yang_dnode_get_string(dpool, "peer-group"), &m))
			vty_out(vty,
				"%% warning: deny-source %pFX lies outside every listen range of peer-group %s\n",
				&m, yang_dnode_get_string(dpool, "peer-group"));
	}
	return vapp_cli_leaflist(vty, name, "deny-source", prefix2str(&m, buf, sizeof(buf)), !!no);
}

DEFPY_YANG(vapp_pool_remote_as, vapp_pool_remote_as_cmd,
	   "[no] vappliance pool WORD$name remote-as WORD$range",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "AS numbers appliances of the pool may use (repeatable)\n"
	   "AS number or range ASN-ASN, asplain or asdot (1-4294967295)\n")
{
	struct vapp_asn_range r;
	const char *err = vapp_asn_range_parse(range, &r);
	char buf[32];

	if (err) {
		vty_out(vty, "%% remote-as %s: %s\n", range, err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	vapp_asn_range_str(&r, buf, sizeof(buf));
	return vapp_cli_leaflist(vty, name, "remote-as", buf, !!no);
}

DEFPY_YANG(vapp_pool_max_sessions, vapp_pool_max_sessions_cmd,
	   "vappliance pool WORD$name max-sessions (1-65535)$max",
	   VAPP_STR VAPP_POOL_STR
	   "Sessions of the pool at once (connecting or admitted)\n"
	   "Number of sessions\n")
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	strlcat(xpath, "/max-sessions", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, max_str);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(no_vapp_pool_max_sessions, no_vapp_pool_max_sessions_cmd,
	   "no vappliance pool WORD$name max-sessions [(1-65535)]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Sessions of the pool at once: unlimited\n"
	   "Number of sessions\n")
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	strlcat(xpath, "/max-sessions", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_pool_quarantine, vapp_pool_quarantine_cmd,
	   "[no] vappliance pool WORD$name quarantine [failures (1-1000)$f within (1-86400)$w hold (1-604800)$h]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Quarantine sources that fail repeatedly (on by default)\n"
	   "Failures that start a quarantine\n"
	   "Number of failures (default 5)\n"
	   "Window the failures must fall in\n"
	   "Seconds (default 60)\n"
	   "How long a quarantined source is rejected\n"
	   "Seconds (default 300)\n")
{
	char xpath[XPATH_MAXLEN], leaf[XPATH_MAXLEN + 32];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(leaf, sizeof(leaf), "%s/quarantine/enabled", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, no ? "false" : "true");
	/*
	 * Without values (and with no): the defaults. `no` resets them too, as
	 * the running-config (which then shows no values) would after a
	 * restart.
	 */
	snprintf(leaf, sizeof(leaf), "%s/quarantine/failures", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, no ? NULL : f_str);
	snprintf(leaf, sizeof(leaf), "%s/quarantine/within", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, no ? NULL : w_str);
	snprintf(leaf, sizeof(leaf), "%s/quarantine/hold", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, no ? NULL : h_str);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_pool_require_password, vapp_pool_require_password_cmd,
	   "[no] vappliance pool WORD$name require-password",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Admit nobody while the peer-group has no TCP-MD5 password (default)\n")
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	strlcat(xpath, "/require-password", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, no ? "false" : "true");
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_pool_prefix, vapp_pool_prefix_cmd,
	   "[no] vappliance pool WORD$name prefix <A.B.C.D/M|X:X::X:X/M>$pfx [{ge (0-128)$ge|le (0-128)$le}]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "A range the pool's appliances may announce (prefix-list semantics)\n"
	   "IPv4 prefix\n"
	   "IPv6 prefix\n"
	   "Shortest length allowed\n"
	   "Length\n"
	   "Longest length allowed\n"
	   "Length\n")
{
	char xpath[XPATH_MAXLEN], entry[XPATH_MAXLEN + PREFIX2STR_BUFFER + 32];
	char leaf[sizeof(entry) + 8], buf[PREFIX2STR_BUFFER];
	const struct lyd_node *dentry;
	struct vapp_range r;
	const char *err;
	struct prefix m;

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	prefix_copy(&m, pfx);
	apply_mask(&m);
	prefix2str(&m, buf, sizeof(buf));
	snprintf(entry, sizeof(entry), "%s/prefix[prefix='%s']", xpath, buf);
	dentry = vapp_cli_candidate(vty, entry);
	if (no) {
		if (!dentry) {
			vty_out(vty, "%% prefix %s is not configured in vappliance pool %s\n", buf,
				name);
			return CMD_WARNING_CONFIG_FAILED;
		}
		nb_cli_enqueue_change(vty, entry, NB_OP_DESTROY, NULL);
		return nb_cli_apply_changes(vty, NULL);
	}
	err = vapp_range_bounds(&m, ge_str ? ge : 0, le_str ? le : 0, &r);
	if (err) {
		vty_out(vty, "%% prefix %s: %s\n", buf, err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	/* one entry per prefix: the command sets its bounds anew */
	nb_cli_enqueue_change(vty, entry, NB_OP_CREATE, NULL);
	snprintf(leaf, sizeof(leaf), "%s/ge", entry);
	nb_cli_enqueue_change(vty, leaf, ge_str ? NB_OP_MODIFY : NB_OP_DESTROY, ge_str);
	snprintf(leaf, sizeof(leaf), "%s/le", entry);
	nb_cli_enqueue_change(vty, leaf, le_str ? NB_OP_MODIFY : NB_OP_DESTROY, le_str);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_pool_next_hop, vapp_pool_next_hop_cmd,
	   "[no] vappliance pool WORD$name next-hop ![<peer-address|pool-range|any>$mode]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Next-hop rule for the appliances' routes\n"
	   "The appliance's session address (default)\n"
	   "Inside a listen range of the pool's peer-group\n"
	   "No rule\n")
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	if (!no && !mode) {
		vty_out(vty, "%% next-hop needs peer-address, pool-range or any\n");
		return CMD_WARNING_CONFIG_FAILED;
	}
	strlcat(xpath, "/next-hop", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, no ? "peer-address" : mode);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_pool_max_prefixes, vapp_pool_max_prefixes_cmd,
	   "vappliance pool WORD$name max-prefixes (1-4294967295)$max [action <block|shutdown>$act]",
	   VAPP_STR VAPP_POOL_STR
	   "Routes accepted from one appliance at most\n"
	   "Number of routes\n"
	   "What happens beyond the limit\n"
	   "Reject the routes beyond it, keep the session (default)\n"
	   "Close the session: Cease / Maximum Number of Prefixes Reached\n")
{
	char xpath[XPATH_MAXLEN], leaf[XPATH_MAXLEN + 32];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, max_str);
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes-action", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, act ? act : "block");
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(no_vapp_pool_max_prefixes, no_vapp_pool_max_prefixes_cmd,
	   "no vappliance pool WORD$name max-prefixes [(1-4294967295) [action <block|shutdown>]]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Routes accepted from one appliance: unlimited\n"
	   "Number of routes\n"
	   "What happens beyond the limit\n"
	   "Reject the routes beyond it\n"
	   "Close the session\n")
{
	char xpath[XPATH_MAXLEN], leaf[XPATH_MAXLEN + 32];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_DESTROY, NULL);
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes-action", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, "block");
	return nb_cli_apply_changes(vty, NULL);
}

/* ---- anycast ---------------------------------------------------------------------- */

#define VAPP_AC_STR                                                                                \
	"Anycast loopback address of this route server\n"                                          \
	"IPv4 /32\n"                                                                               \
	"IPv6 /128\n"

static bool vapp_cli_anycast_xpath(struct vty *vty, const struct prefix *pfx, bool must_exist,
				   char *xpath, size_t len)
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	char buf[PREFIX2STR_BUFFER];

	if (pfx->prefixlen != prefix_blen(pfx) * 8) {
		vty_out(vty, "%% anycast %s: an anycast address is an IPv4 /32 or an IPv6 /128\n",
			prefix2str(pfx, buf, sizeof(buf)));
		return false;
	}
	snprintf(xpath, len, VAPP_XP_ANYCAST_KEY, vapp_bgp_vrf_name(bgp),
		 prefix2str(pfx, buf, sizeof(buf)));
	if (must_exist && !vapp_cli_candidate(vty, xpath)) {
		vty_out(vty,
			"%% vappliance anycast %s does not exist; create it with 'vappliance anycast %s'\n",
			buf, buf);
		return false;
	}
	return true;
}

DEFPY_YANG(vapp_anycast, vapp_anycast_cmd,
	   "vappliance anycast <A.B.C.D/M|X:X::X:X/M>$pfx [interface IFNAME$ifname]",
	   VAPP_STR VAPP_AC_STR
	   "Interface to install it on (default lo)\n"
	   "Interface name\n")
{
	char xpath[XPATH_MAXLEN], leaf[XPATH_MAXLEN + 16];

	if (!vapp_cli_anycast_xpath(vty, pfx, false, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	if (ifname && strlen(ifname) > VAPP_IFNAME_MAX) {
		vty_out(vty, "%% interface name is at most %d characters\n", VAPP_IFNAME_MAX);
		return CMD_WARNING_CONFIG_FAILED;
	}
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	snprintf(leaf, sizeof(leaf), "%s/interface", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, ifname ? ifname : "lo");
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(no_vapp_anycast, no_vapp_anycast_cmd,
	   "no vappliance anycast <A.B.C.D/M|X:X::X:X/M>$pfx [interface IFNAME]",
	   NO_STR VAPP_STR VAPP_AC_STR
	   "Interface\n"
	   "Interface name\n")
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_anycast_xpath(vty, pfx, true, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_anycast_track_cli, vapp_anycast_track_cmd,
	   "[no] vappliance anycast <A.B.C.D/M|X:X::X:X/M>$pfx track peer-group WORD$pg ![min-established (1-10000)$min]",
	   NO_STR VAPP_STR VAPP_AC_STR
	   "Healthy only while enough sessions of a peer-group are Established\n"
	   "Peer-group\n"
	   "Peer-group name\n"
	   "Established sessions needed\n"
	   "Number of sessions\n")
{
	char xpath[XPATH_MAXLEN], entry[XPATH_MAXLEN + 160], leaf[sizeof(entry) + 20];
	char q;

	if (!vapp_cli_anycast_xpath(vty, pfx, true, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	if (strlen(pg) > VAPP_PEER_GROUP_NAME_MAX) {
		vty_out(vty, "%% peer-group name is at most %d characters long\n",
			VAPP_PEER_GROUP_NAME_MAX);
		return CMD_WARNING_CONFIG_FAILED;
	}
	/*
	 * A peer-group name may hold a quote (bgpd takes any WORD): quote the
	 * key with the other kind, as an XPath literal cannot escape one.
	 */
	if (strchr(pg, '\'') && strchr(pg, '"')) {
		vty_out(vty, "%% peer-group %s: a name with both ' and \" cannot be tracked\n", pg);
		return CMD_WARNING_CONFIG_FAILED;
	}
	q = strchr(pg, '\'') ? '"' : '\'';
	snprintf(entry, sizeof(entry), "%s/track[peer-group=%c%s%c]", xpath, q, pg, q);
	if (no) {
		if (!vapp_cli_candidate(vty, entry)) {
			vty_out(vty, "%% anycast %s does not track peer-group %s\n", pfx_str, pg);
			return CMD_WARNING_CONFIG_FAILED;
		}
		nb_cli_enqueue_change(vty, entry, NB_OP_DESTROY, NULL);
	} else {
		nb_cli_enqueue_change(vty, entry, NB_OP_CREATE, NULL);
		snprintf(leaf, sizeof(leaf), "%s/min-established", entry);
		nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, min_str);
	}
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_anycast_restore_delay, vapp_anycast_restore_delay_cmd,
	   "[no] vappliance anycast <A.B.C.D/M|X:X::X:X/M>$pfx restore-delay ![(0-3600)$secs]",
	   NO_STR VAPP_STR VAPP_AC_STR
	   "Healthy must hold this long before the address is installed (default 10)\n"
	   "Seconds\n")
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_anycast_xpath(vty, pfx, true, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	strlcat(xpath, "/restore-delay", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, no ? NB_OP_DESTROY : NB_OP_MODIFY, no ? NULL : secs_str);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_anycast_lease, vapp_anycast_lease_cmd,
	   "[no] vappliance anycast <A.B.C.D/M|X:X::X:X/M>$pfx lease ![(3-3600)$secs]",
	   NO_STR VAPP_STR VAPP_AC_STR
	   "Kernel lifetime of the address, renewed while healthy (default 9)\n"
	   "Seconds\n")
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_anycast_xpath(vty, pfx, true, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	strlcat(xpath, "/lease", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, no ? NB_OP_DESTROY : NB_OP_MODIFY, no ? NULL : secs_str);
	return nb_cli_apply_changes(vty, NULL);
}

static int vapp_cli_anycast_shutdown(struct vty *vty, const struct prefix *pfx, bool no,
				     const char *grace, const char *msg)
{
	char xpath[XPATH_MAXLEN], leaf[XPATH_MAXLEN + 32];

	if (!vapp_cli_anycast_xpath(vty, pfx, true, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	strlcat(xpath, "/shutdown", sizeof(xpath));
	if (no) {
		nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
		return nb_cli_apply_changes(vty, NULL);
	}
	if (msg && strlen(msg) > 255) {
		vty_out(vty, "%% a shutdown message is at most 255 octets (RFC 9003)\n");
		return CMD_WARNING_CONFIG_FAILED;
	}
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	snprintf(leaf, sizeof(leaf), "%s/grace", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, grace ? grace : "0");
	snprintf(leaf, sizeof(leaf), "%s/message", xpath);
	nb_cli_enqueue_change(vty, leaf, msg ? NB_OP_MODIFY : NB_OP_DESTROY, msg);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(vapp_anycast_shutdown, vapp_anycast_shutdown_cmd,
	   "[no] vappliance anycast <A.B.C.D/M|X:X::X:X/M>$pfx shutdown [grace (0-3600)$grace]",
	   NO_STR VAPP_STR VAPP_AC_STR
	   "Drain for maintenance: after the grace, tell its sessions, then remove the address\n"
	   "Seconds the address and its sessions stay before Administrative Shutdown (default 0)\n"
	   "Seconds\n")
{
	return vapp_cli_anycast_shutdown(vty, pfx, !!no, grace_str, NULL);
}

DEFPY_YANG(vapp_anycast_shutdown_msg, vapp_anycast_shutdown_msg_cmd,
	   "[no] vappliance anycast <A.B.C.D/M|X:X::X:X/M>$pfx shutdown [grace (0-3600)$grace] message MSG...",
	   NO_STR VAPP_STR VAPP_AC_STR
	   "Drain for maintenance: after the grace, tell its sessions, then remove the address\n"
	   "Seconds the address and its sessions stay before Administrative Shutdown (default 0)\n"
	   "Seconds\n"
	   "Shutdown communication sent with it (RFC 9003)\n"
	   "Message text\n")
{
	char *text = NULL;
	int idx = 0, ret;

	if (argv_find(argv, argc, "message", &idx))
		text = argv_concat(argv, argc, idx + 1);
	/* the change queue copies the value */
	ret = vapp_cli_anycast_shutdown(vty, pfx, !!no, grace_str, text);
	XFREE(MTYPE_TMP, text);
	return ret;
}

/* ---- running-config ---------------------------------------------------------- */

static const char *vapp_cli_pool_name(const struct lyd_node *dnode)
{
	return yang_dnode_get_string(dnode, "../name");
}

void vapp_cli_show_pool(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s peer-group %s\n", yang_dnode_get_string(dnode, "name"),
		yang_dnode_get_string(dnode, "peer-group"));
}

void vapp_cli_show_source(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s source %s\n", vapp_cli_pool_name(dnode),
		yang_dnode_get_string(dnode, NULL));
}

void vapp_cli_show_remote_as(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s remote-as %s\n", vapp_cli_pool_name(dnode),
		yang_dnode_get_string(dnode, NULL));
}

void vapp_cli_show_max_sessions(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s max-sessions %u\n", vapp_cli_pool_name(dnode),
		yang_dnode_get_uint16(dnode, NULL));
}

void vapp_cli_show_deny_source(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s deny-source %s\n", vapp_cli_pool_name(dnode),
		yang_dnode_get_string(dnode, NULL));
}

void vapp_cli_show_quarantine(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	const char *pool = vapp_cli_pool_name(dnode);

	if (!yang_dnode_get_bool(dnode, "enabled"))
		vty_out(vty, " no vappliance pool %s quarantine\n", pool);
	else
		vty_out(vty, " vappliance pool %s quarantine failures %u within %u hold %u\n", pool,
			yang_dnode_get_uint16(dnode, "failures"),
			yang_dnode_get_uint32(dnode, "within"),
			yang_dnode_get_uint32(dnode, "hold"));
}

void vapp_cli_show_require_password(struct vty *vty, const struct lyd_node *dnode,
				    bool show_defaults)
{
	vty_out(vty, " %svappliance pool %s require-password\n",
		yang_dnode_get_bool(dnode, NULL) ? "" : "no ", vapp_cli_pool_name(dnode));
}

void vapp_cli_show_prefix(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s prefix %s", vapp_cli_pool_name(dnode),
		yang_dnode_get_string(dnode, "prefix"));
	if (yang_dnode_exists(dnode, "ge"))
		vty_out(vty, " ge %u", yang_dnode_get_uint8(dnode, "ge"));
	if (yang_dnode_exists(dnode, "le"))
		vty_out(vty, " le %u", yang_dnode_get_uint8(dnode, "le"));
	vty_out(vty, "\n");
}

void vapp_cli_show_next_hop(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s next-hop %s\n", vapp_cli_pool_name(dnode),
		yang_dnode_get_string(dnode, NULL));
}

void vapp_cli_show_max_prefixes(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	const char *act = yang_dnode_get_string(dnode, "../max-prefixes-action");

	vty_out(vty, " vappliance pool %s max-prefixes %u%s\n", vapp_cli_pool_name(dnode),
		yang_dnode_get_uint32(dnode, NULL),
		strcmp(act, "shutdown") ? "" : " action shutdown");
}

static const char *vapp_cli_ac_prefix(const struct lyd_node *dnode)
{
	return yang_dnode_get_string(dnode, "../prefix");
}

void vapp_cli_show_anycast(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	const char *ifname = yang_dnode_get_string(dnode, "interface");

	vty_out(vty, " vappliance anycast %s", yang_dnode_get_string(dnode, "prefix"));
	if (strcmp(ifname, "lo"))
		vty_out(vty, " interface %s", ifname);
	vty_out(vty, "\n");
}

void vapp_cli_show_anycast_track(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance anycast %s track peer-group %s min-established %u\n",
		vapp_cli_ac_prefix(dnode), yang_dnode_get_string(dnode, "peer-group"),
		yang_dnode_get_uint16(dnode, "min-established"));
}

void vapp_cli_show_anycast_restore_delay(struct vty *vty, const struct lyd_node *dnode,
					 bool show_defaults)
{
	vty_out(vty, " vappliance anycast %s restore-delay %u\n", vapp_cli_ac_prefix(dnode),
		yang_dnode_get_uint16(dnode, NULL));
}

void vapp_cli_show_anycast_lease(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance anycast %s lease %u\n", vapp_cli_ac_prefix(dnode),
		yang_dnode_get_uint16(dnode, NULL));
}

void vapp_cli_show_anycast_shutdown(struct vty *vty, const struct lyd_node *dnode,
				    bool show_defaults)
{
	vty_out(vty, " vappliance anycast %s shutdown", vapp_cli_ac_prefix(dnode));
	if (yang_dnode_get_uint16(dnode, "grace"))
		vty_out(vty, " grace %u", yang_dnode_get_uint16(dnode, "grace"));
	if (yang_dnode_exists(dnode, "message"))
		vty_out(vty, " message %s", yang_dnode_get_string(dnode, "message"));
	vty_out(vty, "\n");
}

void vapp_config_write_inst(struct vty *vty, const char *vrf)
{
	const struct lyd_node *dnode;
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY, vrf);
	if (!running_config->dnode || !yang_dnode_exists(running_config->dnode, xpath))
		return;
	dnode = yang_dnode_get(running_config->dnode, xpath);
	nb_cli_show_dnode_cmds(vty, dnode, false);
}

/* ---- clear ---------------------------------------------------------------------- */

static bool vapp_su2ipaddr(const union sockunion *su, struct ipaddr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (su->sa.sa_family == AF_INET) {
		SET_IPADDR_V4(addr);
		addr->ipaddr_v4 = su->sin.sin_addr;
		return true;
	}
	if (su->sa.sa_family == AF_INET6) {
		SET_IPADDR_V6(addr);
		addr->ipaddr_v6 = su->sin6.sin6_addr;
		return true;
	}
	return false;
}

DEFPY(clear_vapp_quarantine, clear_vapp_quarantine_cmd,
      "clear bgp [vrf NAME$vrf_name] vappliance quarantine [<A.B.C.D|X:X::X:X>$src]",
      CLEAR_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR
      "Lift quarantines and forget failures\n"
      "One IPv4 source\n"
      "One IPv6 source\n")
{
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf_name);
	struct ipaddr addr;
	unsigned int n;

	if (!inst) {
		vty_out(vty, "%% no vappliance pools in vrf %s\n",
			vrf_name ? vrf_name : VAPP_VRF_DEFAULT);
		return CMD_WARNING;
	}
	if (src)
		vapp_su2ipaddr(src, &addr);
	n = vapp_inst_clear_quarantine(inst, src ? &addr : NULL);
	zlog_info("vappliance: quarantine cleared for %s in vrf %s (%u source%s)",
		  src ? src_str : "all sources", inst->vrf, n, n == 1 ? "" : "s");
	vty_out(vty, "cleared %u source%s\n", n, n == 1 ? "" : "s");
	return CMD_SUCCESS;
}

/* ---- show ------------------------------------------------------------------------ */

/* monotonic milliseconds -> "2026-11-26T10:00:00Z" */
static const char *vapp_cli_time(int64_t mono_ms, char *buf, size_t len)
{
	struct timeval mono = { .tv_sec = mono_ms / 1000 }, real;
	struct tm tm;
	time_t t;

	monotime_to_realtime(&mono, &real);
	t = real.tv_sec;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static void vapp_json_prefix(const struct prefix *p, void *arg)
{
	json_object_array_add(arg, json_object_new_stringf("%pFX", p));
}

static void vapp_json_range(const struct prefix *p, const struct vapp_range *r, void *arg)
{
	json_object *j = json_object_new_object();

	json_object_string_addf(j, "prefix", "%pFX", p);
	json_object_int_add(j, "minLength", r->lo);
	json_object_int_add(j, "maxLength", r->hi);
	json_object_array_add(arg, j);
}

static void vapp_json_line(const char *line, void *arg)
{
	json_object_array_add(arg, json_object_new_string(line));
}

static json_object *vapp_json_policy(const struct vapp_pool *pool)
{
	struct vapp_af_policy afs[VAPP_AF_MAX];
	int n = vapp_enforce_check(pool, afs, array_size(afs));
	json_object *j = json_object_new_object();

	for (int i = 0; i < n; i++) {
		json_object *ja = json_object_new_object();

		json_object_boolean_add(ja, "enforced", afs[i].problem == NULL);
		if (afs[i].route_map)
			json_object_string_add(ja, "routeMap", afs[i].route_map);
		if (afs[i].problem) {
			json_object *fix = json_object_new_array();

			json_object_string_add(ja, "problem", afs[i].problem);
			vapp_enforce_fix_lines(pool, &afs[i], vapp_json_line, fix);
			json_object_object_add(ja, "linesToAdd", fix);
		}
		json_object_object_add(j, afs[i].af, ja);
	}
	return j;
}

static json_object *vapp_json_pool(const struct vapp_pool *pool)
{
	json_object *jp = json_object_new_object(), *jr, *ja;
	struct vapp_pool_live live;
	char buf[32];

	vapp_bgp_pool_live(pool, &live);
	json_object_string_add(jp, "peerGroup", pool->peer_group);
	json_object_boolean_add(jp, "peerGroupExists", live.peer_group_exists);
	json_object_boolean_add(jp, "passwordSet", live.password_set);
	json_object_int_add(jp, "sessions", live.sessions);
	json_object_int_add(jp, "sessionsHeld", vapp_pool_sessions_held(pool));
	if (pool->max_sessions)
		json_object_int_add(jp, "maxSessions", pool->max_sessions);
	json_object_int_add(jp, "admitted", pool->admitted);
	jr = json_object_new_object();
	for (int r = VAPP_REASON_NONE + 1; r < VAPP_REASON_MAX; r++)
		json_object_int_add(jr, vapp_reason_name(r),
				    r == VAPP_REASON_NO_POOL
					    ? vapp_inst_nopool_count(pool->inst, pool->peer_group)
					    : pool->rejected[r]);
	json_object_object_add(jp, "rejected", jr);

	ja = json_object_new_array();
	vapp_pfxset_walk(&pool->sources, vapp_json_prefix, ja);
	json_object_object_add(jp, "sources", ja);
	ja = json_object_new_array();
	vapp_pfxset_walk(&pool->deny, vapp_json_prefix, ja);
	json_object_object_add(jp, "denySources", ja);
	ja = json_object_new_array();
	for (size_t i = 0; i < vapp_asnset_count(&pool->asns); i++) {
		vapp_asn_range_str(&pool->asns.ranges[i], buf, sizeof(buf));
		json_object_array_add(ja, json_object_new_string(buf));
	}
	json_object_object_add(jp, "remoteAs", ja);
	json_object_boolean_add(jp, "requirePassword", pool->require_password);
	jr = json_object_new_object();
	json_object_boolean_add(jr, "enabled", pool->quarantine.enabled);
	json_object_int_add(jr, "failures", pool->quarantine.failures);
	json_object_int_add(jr, "within", pool->quarantine.within);
	json_object_int_add(jr, "hold", pool->quarantine.hold);
	json_object_object_add(jp, "quarantine", jr);

	ja = json_object_new_array();
	vapp_rangeset_walk(&pool->ranges, vapp_json_range, ja);
	json_object_object_add(jp, "prefixes", ja);
	json_object_string_add(jp, "nextHop", vapp_nh_mode_name(pool->nh_mode));
	if (pool->max_prefixes) {
		json_object_int_add(jp, "maxPrefixes", pool->max_prefixes);
		json_object_string_add(jp, "maxPrefixesAction",
				       pool->limit_action == VAPP_LIMIT_SHUTDOWN ? "shutdown"
										 : "block");
	}
	json_object_object_add(jp, "policy", vapp_json_policy(pool));
	return jp;
}

static void vapp_vty_prefix(const struct prefix *p, void *arg)
{
	vty_out(arg, " %pFX", p);
}

static void vapp_vty_line(const char *line, void *arg)
{
	vty_out(arg, "      %s\n", line);
}

static void vapp_vty_range(const struct prefix *p, const struct vapp_range *r, void *arg)
{
	if (r->lo == p->prefixlen && r->hi == p->prefixlen)
		vty_out(arg, " %pFX", p);
	else
		vty_out(arg, " %pFX(/%u-/%u)", p, r->lo, r->hi);
}

static void vapp_vty_policy(struct vty *vty, const struct vapp_pool *pool)
{
	struct vapp_af_policy afs[VAPP_AF_MAX];
	int n = vapp_enforce_check(pool, afs, array_size(afs));

	vty_out(vty, "  Prefixes:");
	if (!pool->ranges.count)
		vty_out(vty, " (none: every route is outside the range)");
	vapp_rangeset_walk(&pool->ranges, vapp_vty_range, vty);
	vty_out(vty, "\n  Next hop: %s", vapp_nh_mode_name(pool->nh_mode));
	if (pool->max_prefixes)
		vty_out(vty, ", max-prefixes %u per appliance (%s)", pool->max_prefixes,
			pool->limit_action == VAPP_LIMIT_SHUTDOWN ? "shutdown" : "block");
	vty_out(vty, "\n");
	for (int i = 0; i < n; i++) {
		if (!afs[i].problem) {
			vty_out(vty, "  Policy %s: enforced by route-map %s\n", afs[i].af_cli,
				afs[i].route_map);
			continue;
		}
		vty_out(vty, "  Policy %s: NOT enforced (%s); the pool admits nobody. Add:\n",
			afs[i].af_cli, afs[i].problem);
		vapp_enforce_fix_lines(pool, &afs[i], vapp_vty_line, vty);
	}
}

static void vapp_vty_pool(struct vty *vty, const struct vapp_pool *pool)
{
	struct vapp_pool_live live;
	char buf[32];

	vapp_bgp_pool_live(pool, &live);
	vty_out(vty, "Pool %s, peer-group %s%s\n", pool->name, pool->peer_group,
		live.peer_group_exists ? "" : " (does not exist)");
	vty_out(vty, "  Sessions: %u established, %u held", live.sessions,
		vapp_pool_sessions_held(pool));
	if (pool->max_sessions)
		vty_out(vty, ", max %u", pool->max_sessions);
	vty_out(vty, "\n  Admitted: %" PRIu64 "\n  Rejected:", pool->admitted);
	for (int r = VAPP_REASON_NONE + 1; r < VAPP_REASON_MAX; r++)
		vty_out(vty, " %s %" PRIu64, vapp_reason_name(r),
			r == VAPP_REASON_NO_POOL
				? vapp_inst_nopool_count(pool->inst, pool->peer_group)
				: pool->rejected[r]);
	vty_out(vty, "\n  Sources:");
	if (pool->sources.count)
		vapp_pfxset_walk(&pool->sources, vapp_vty_prefix, vty);
	else
		vty_out(vty, " (the peer-group's remaining neighbors)");
	if (pool->deny.count) {
		vty_out(vty, "\n  Denied sources:");
		vapp_pfxset_walk(&pool->deny, vapp_vty_prefix, vty);
	}
	vty_out(vty, "\n  Remote AS:");
	if (vapp_asnset_empty(&pool->asns))
		vty_out(vty, " (as the peer-group allows)");
	for (size_t i = 0; i < vapp_asnset_count(&pool->asns); i++) {
		vapp_asn_range_str(&pool->asns.ranges[i], buf, sizeof(buf));
		vty_out(vty, " %s", buf);
	}
	vty_out(vty, "\n  Password: %s%s\n", live.password_set ? "set" : "not set",
		pool->require_password ? " (required)" : "");
	if (pool->quarantine.enabled)
		vty_out(vty, "  Quarantine: %u failures within %u s, hold %u s\n",
			pool->quarantine.failures, pool->quarantine.within, pool->quarantine.hold);
	else
		vty_out(vty, "  Quarantine: off\n");
	vapp_vty_policy(vty, pool);
}

DEFPY(show_vapp_pools, show_vapp_pools_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance pools [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR "Appliance pools and their live state\n" JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	struct vapp_pool *pool;
	json_object *json = NULL, *jpools = NULL;

	if (uj) {
		json = json_object_new_object();
		jpools = json_object_new_object();
		json_object_string_add(json, "vrf", vrf);
		json_object_object_add(json, "pools", jpools);
	} else if (!inst || !vapp_pool_count(inst)) {
		vty_out(vty, "No vappliance pools in vrf %s\n", vrf);
		return CMD_SUCCESS;
	}

	for (pool = inst ? vapp_pool_first(inst) : NULL; pool; pool = vapp_pool_next(inst, pool)) {
		if (uj)
			json_object_object_add(jpools, pool->name, vapp_json_pool(pool));
		else
			vapp_vty_pool(vty, pool);
	}
	if (uj)
		return vty_json(vty, json);
	return CMD_SUCCESS;
}

DEFPY(show_vapp_appliances, show_vapp_appliances_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance appliances [pool WORD$pool] [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR
      "Appliances: connected, rejected recently, in quarantine\n"
      "Only one pool\n"
      "Pool name\n" JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	const struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	struct vapp_appview *views = NULL, *v;
	json_object *json = NULL, *japps = NULL;
	int64_t now = vapp_bgp_now();
	char tbuf[32], asbuf[16], ridbuf[INET_ADDRSTRLEN];
	uint32_t rejected;

	if (inst)
		views = vapp_inst_appviews(inst, pool, now);
	if (uj) {
		json = json_object_new_object();
		japps = json_object_new_object();
		json_object_string_add(json, "vrf", vrf);
		json_object_object_add(json, "appliances", japps);
	} else {
		vty_out(vty, "%-39s %-16s %-11s %-3s %-17s %-10s %-15s %-8s %-8s %s\n", "Source",
			"Pool", "State", "Est", "Reason", "AS", "Router-ID", "Accepted", "Rejected",
			"Since");
	}
	darr_foreach_p (views, v) {
		if (uj) {
			json_object *ja = json_object_new_object();

			if (v->pool)
				json_object_string_add(ja, "pool", v->pool);
			json_object_string_add(ja, "state", vapp_view_state_name(v->state));
			json_object_boolean_add(ja, "established", v->established);
			if (v->state == VAPP_VIEW_REJECTED || v->state == VAPP_VIEW_QUARANTINED)
				json_object_string_add(ja, "reason", vapp_reason_name(v->reason));
			if (v->remote_as)
				json_object_int_add(ja, "remoteAs", v->remote_as);
			if (v->router_id.s_addr)
				json_object_string_addf(ja, "routerId", "%pI4", &v->router_id);
			json_object_string_add(ja, "since",
					       vapp_cli_time(v->since, tbuf, sizeof(tbuf)));
			if (v->until)
				json_object_string_add(ja, "quarantinedUntil",
						       vapp_cli_time(v->until, tbuf, sizeof(tbuf)));
			if (v->state != VAPP_VIEW_QUARANTINED && v->state != VAPP_VIEW_REJECTED) {
				json_object *jx = json_object_new_object();

				for (int i = 0; i < VAPP_P_MAX; i++)
					json_object_int_add(jx, vapp_pverdict_name(i), v->pcount[i]);
				/* rejected past VAPP_REJECTED_KEPT: counted, not remembered */
				json_object_int_add(jx, "unkept", v->unkept);
				json_object_object_add(ja, "prefixes", jx);
			}
			json_object_object_addf(japps, ja, "%pIA", &v->addr);
			continue;
		}
		snprintf(asbuf, sizeof(asbuf), "%u", v->remote_as);
		inet_ntop(AF_INET, &v->router_id, ridbuf, sizeof(ridbuf));
		rejected = 0;
		for (int i = VAPP_P_ACCEPTED + 1; i < VAPP_P_MAX; i++)
			rejected += v->pcount[i];
		vty_out(vty, "%-39pIA %-16s %-11s %-3s %-17s %-10s %-15s %-8u %-8u %s\n", &v->addr,
			v->pool ? v->pool : "-", vapp_view_state_name(v->state),
			v->established ? "yes" : "no",
			(v->state == VAPP_VIEW_REJECTED || v->state == VAPP_VIEW_QUARANTINED)
				? vapp_reason_name(v->reason)
				: "-",
			v->remote_as ? asbuf : "-", v->router_id.s_addr ? ridbuf : "-",
			v->pcount[VAPP_P_ACCEPTED], rejected,
			vapp_cli_time(v->since, tbuf, sizeof(tbuf)));
	}
	darr_free(views);
	if (uj)
		return vty_json(vty, json);
	return CMD_SUCCESS;
}

DEFPY(show_vapp_alog, show_vapp_alog_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance admission-log [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR "Last admission decisions, newest first\n"
      JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	const struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	const struct vapp_alog_entry *e;
	json_object *json = NULL, *jlog = NULL;
	char tbuf[32];

	if (uj) {
		json = json_object_new_object();
		jlog = json_object_new_array();
		json_object_string_add(json, "vrf", vrf);
		json_object_object_add(json, "admissionLog", jlog);
	} else {
		vty_out(vty, "%-20s %-39s %-16s %-12s %-17s %-10s %s\n", "Time", "Source", "Pool",
			"Verdict", "Reason", "AS", "Left out");
	}
	for (size_t i = 0; inst && (e = vapp_alog_get(inst, i)); i++) {
		if (uj) {
			json_object *je = json_object_new_object();

			json_object_int_add(je, "sequence", e->seq);
			json_object_string_add(je, "time",
					       vapp_cli_time(e->time, tbuf, sizeof(tbuf)));
			json_object_string_addf(je, "source", "%pIA", &e->addr);
			if (e->pool[0])
				json_object_string_add(je, "pool", e->pool);
			json_object_string_add(je, "verdict", vapp_verdict_name(e->verdict));
			json_object_string_add(je, "reason", vapp_reason_name(e->reason));
			if (e->asn)
				json_object_int_add(je, "remoteAs", e->asn);
			json_object_int_add(je, "suppressed", e->suppressed);
			json_object_array_add(jlog, je);
			continue;
		}
		vty_out(vty, "%-20s %-39pIA %-16s %-12s %-17s %-10u %u\n",
			vapp_cli_time(e->time, tbuf, sizeof(tbuf)), &e->addr,
			e->pool[0] ? e->pool : "-", vapp_verdict_name(e->verdict),
			vapp_reason_name(e->reason), e->asn, e->suppressed);
	}
	if (uj)
		return vty_json(vty, json);
	return CMD_SUCCESS;
}

DEFPY(show_vapp_anycast, show_vapp_anycast_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance anycast [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR "Anycast loopback addresses and their health\n"
      JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	struct vapp_anycast *ac;
	json_object *json = NULL, *jacs = NULL;
	int64_t now = vapp_bgp_now();
	char tbuf[32];

	if (uj) {
		json = json_object_new_object();
		jacs = json_object_new_object();
		json_object_string_add(json, "vrf", vrf);
		json_object_object_add(json, "anycast", jacs);
	}
	for (ac = inst ? vapp_anycast_first(inst) : NULL; ac; ac = vapp_anycast_next(inst, ac)) {
		int64_t left = ac->installed ? (ac->lease_until - now) / 1000 : 0;
		struct vapp_track *t;

		if (left < 0)
			left = 0;
		if (uj) {
			json_object *ja = json_object_new_object(), *jt = json_object_new_array();

			json_object_string_add(ja, "interface", ac->ifname);
			json_object_string_add(ja, "state", vapp_ac_state_name(ac->state));
			json_object_string_add(ja, "reason", ac->reason);
			if (ac->since)
				json_object_string_add(ja, "since",
						       vapp_cli_time(ac->since, tbuf, sizeof(tbuf)));
			json_object_int_add(ja, "transitions", ac->transitions);
			json_object_boolean_add(ja, "installed", ac->installed);
			json_object_int_add(ja, "leaseRemaining", left);
			json_object_int_add(ja, "lease", ac->lease);
			json_object_int_add(ja, "restoreDelay", ac->restore_delay);
			darr_foreach_p (ac->tracks, t) {
				json_object *j = json_object_new_object();

				json_object_string_add(j, "peerGroup", t->peer_group);
				json_object_int_add(j, "established", t->established);
				json_object_int_add(j, "minEstablished", t->min_established);
				json_object_array_add(jt, j);
			}
			json_object_object_add(ja, "tracks", jt);
			if (ac->shutdown) {
				json_object_int_add(ja, "drainGrace", ac->grace);
				if (ac->message)
					json_object_string_add(ja, "drainMessage", ac->message);
			}
			json_object_object_addf(jacs, ja, "%pFX", &ac->prefix);
			continue;
		}
		vty_out(vty, "Anycast %pFX on %s: %s (%s)\n", &ac->prefix, ac->ifname,
			vapp_ac_state_name(ac->state), ac->reason);
		vty_out(vty, "  Since %s, %u transitions, %s",
			ac->since ? vapp_cli_time(ac->since, tbuf, sizeof(tbuf)) : "-",
			ac->transitions, ac->installed ? "installed" : "not installed");
		if (ac->installed)
			vty_out(vty, ", lease %u s (%" PRId64 " s left)", ac->lease, left);
		vty_out(vty, ", restore-delay %u s\n", ac->restore_delay);
		darr_foreach_p (ac->tracks, t)
			vty_out(vty, "  Track peer-group %s: %u Established, %u needed\n",
				t->peer_group, t->established, t->min_established);
	}
	if (uj)
		return vty_json(vty, json);
	if (!inst || !vapp_anycast_first(inst))
		vty_out(vty, "No vappliance anycast addresses in vrf %s\n", vrf);
	return CMD_SUCCESS;
}

void vapp_vty_init(void)
{
	install_element(BGP_NODE, &vapp_pool_peer_group_cmd);
	install_element(BGP_NODE, &no_vapp_pool_cmd);
	install_element(BGP_NODE, &vapp_pool_source_cmd);
	install_element(BGP_NODE, &vapp_pool_deny_source_cmd);
	install_element(BGP_NODE, &vapp_pool_remote_as_cmd);
	install_element(BGP_NODE, &vapp_pool_max_sessions_cmd);
	install_element(BGP_NODE, &no_vapp_pool_max_sessions_cmd);
	install_element(BGP_NODE, &vapp_pool_quarantine_cmd);
	install_element(BGP_NODE, &vapp_pool_require_password_cmd);
	install_element(BGP_NODE, &vapp_pool_prefix_cmd);
	install_element(BGP_NODE, &vapp_pool_next_hop_cmd);
	install_element(BGP_NODE, &vapp_pool_max_prefixes_cmd);
	install_element(BGP_NODE, &no_vapp_pool_max_prefixes_cmd);
	install_element(ENABLE_NODE, &clear_vapp_quarantine_cmd);
	install_element(VIEW_NODE, &show_vapp_pools_cmd);
	install_element(VIEW_NODE, &show_vapp_appliances_cmd);
	install_element(VIEW_NODE, &show_vapp_alog_cmd);
	install_element(VIEW_NODE, &show_vapp_anycast_cmd);
	install_element(BGP_NODE, &vapp_anycast_cmd);
	install_element(BGP_NODE, &no_vapp_anycast_cmd);
	install_element(BGP_NODE, &vapp_anycast_track_cmd);
	install_element(BGP_NODE, &vapp_anycast_restore_delay_cmd);
	install_element(BGP_NODE, &vapp_anycast_lease_cmd);
	install_element(BGP_NODE, &vapp_anycast_shutdown_cmd);
	install_element(BGP_NODE, &vapp_anycast_shutdown_msg_cmd);
}
