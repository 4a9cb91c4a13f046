// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance CLI. Configuration commands sit flat inside `router bgp ASN
 * [vrf NAME]` (vtysh cannot enter nodes a module defines) and go through the
 * northbound (show and clear commands: vapp_vty_show.c).
 */
#include <zebra.h>

#include "command.h"
#include "northbound_cli.h"
#include "vrf.h"
#include "vty.h"
#include "yang.h"

#include "bgpd/bgpd.h"

#include "vappliance.h"
#include "vapp_nb.h"
#include "vapp_vty.h"
#include "vapp_debug.h"

#include "module/vapp_vty_clippy.c"

#define VAPP_POOL_STR                                                                              \
	"Appliance pool\n"                                                                         \
	"Pool name\n"

const struct lyd_node *vapp_cli_candidate(struct vty *vty, const char *xpath)
{
	const struct lyd_node *root = vty->candidate_config->dnode;

	if (!root || !yang_dnode_exists(root, xpath))
		return NULL;
	return yang_dnode_get(root, xpath);
}

char *vapp_cli_message(int argc, struct cmd_token **argv)
{
	int idx = 0;

	return argv_find(argv, argc, "message", &idx) ? argv_concat(argv, argc, idx + 1) : NULL;
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

DEFPY_YANG(vapp_pool_mobility, vapp_pool_mobility_cmd,
	   "[no] vappliance pool WORD$name mobility ![<takeover|reject>$mode]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "What a re-addressed appliance's new session does\n"
	   "Takes over from the old session once Established (default)\n"
	   "Is rejected (routerId) until the old session ends\n")
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	if (!no && !mode) {
		vty_out(vty, "%% mobility needs takeover or reject\n");
		return CMD_WARNING_CONFIG_FAILED;
	}
	strlcat(xpath, "/mobility", sizeof(xpath));
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, no ? "takeover" : mode);
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
	   "vappliance pool WORD$name max-prefixes (1-4294967295)$max [action <block|shutdown>$act] [warning (1-100)$pct]",
	   VAPP_STR VAPP_POOL_STR
	   "Routes accepted from one appliance at most\n"
	   "Number of routes\n"
	   "What happens beyond the limit\n"
	   "Reject the routes beyond it, keep the session (default)\n"
	   "Close the session: Cease / Maximum Number of Prefixes Reached\n"
	   "Log and notify when an appliance reaches a share of the limit\n"
	   "Percent of the limit\n")
{
	char xpath[XPATH_MAXLEN], leaf[XPATH_MAXLEN + 32];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, max_str);
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes-action", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, act ? act : "block");
	/* the line sets the whole limit: no warning unless it says one */
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes-warning", xpath);
	nb_cli_enqueue_change(vty, leaf, pct_str ? NB_OP_MODIFY : NB_OP_DESTROY, pct_str);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(no_vapp_pool_max_prefixes, no_vapp_pool_max_prefixes_cmd,
	   "no vappliance pool WORD$name max-prefixes [(1-4294967295) [action <block|shutdown>] [warning (1-100)]]",
	   NO_STR VAPP_STR VAPP_POOL_STR
	   "Routes accepted from one appliance: unlimited\n"
	   "Number of routes\n"
	   "What happens beyond the limit\n"
	   "Reject the routes beyond it\n"
	   "Close the session\n"
	   "Warning at a share of the limit\n"
	   "Percent of the limit\n")
{
	char xpath[XPATH_MAXLEN], leaf[XPATH_MAXLEN + 32];

	if (!vapp_cli_pool_xpath(vty, name, xpath, sizeof(xpath)))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes-warning", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_DESTROY, NULL);
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_DESTROY, NULL);
	snprintf(leaf, sizeof(leaf), "%s/max-prefixes-action", xpath);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, "block");
	return nb_cli_apply_changes(vty, NULL);
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

void vapp_cli_show_mobility(struct vty *vty, const struct lyd_node *dnode, bool show_defaults)
{
	vty_out(vty, " vappliance pool %s mobility %s\n", vapp_cli_pool_name(dnode),
		yang_dnode_get_string(dnode, NULL));
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

	vty_out(vty, " vappliance pool %s max-prefixes %u%s", vapp_cli_pool_name(dnode),
		yang_dnode_get_uint32(dnode, NULL),
		strcmp(act, "shutdown") ? "" : " action shutdown");
	if (yang_dnode_exists(dnode, "../max-prefixes-warning"))
		vty_out(vty, " warning %u", yang_dnode_get_uint8(dnode, "../max-prefixes-warning"));
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
	install_element(BGP_NODE, &vapp_pool_mobility_cmd);
	install_element(BGP_NODE, &vapp_pool_prefix_cmd);
	install_element(BGP_NODE, &vapp_pool_next_hop_cmd);
	install_element(BGP_NODE, &vapp_pool_max_prefixes_cmd);
	install_element(BGP_NODE, &no_vapp_pool_max_prefixes_cmd);
	vapp_vty_anycast_init();
	vapp_vty_show_init();
	vapp_vty_appliance_init();
	vapp_vty_routes_init();
	vapp_vty_metrics_init();
	vapp_debug_init();
}
