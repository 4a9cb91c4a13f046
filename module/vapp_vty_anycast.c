// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance CLI: the anycast addresses' commands and their running-config
 * rendering, and the drain of every address at once.
 */
#include <zebra.h>

#include "command.h"
#include "northbound_cli.h"
#include "vty.h"
#include "yang.h"

#include "bgpd/bgpd.h"

#include "vappliance.h"
#include "vapp_nb.h"
#include "vapp_vty.h"

#include "module/vapp_vty_anycast_clippy.c"

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
	   "[no] vappliance anycast <A.B.C.D/M|X:X::X:X/M>$pfx track peer-group WORD$pg [min-established (1-10000)$min]",
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
		/* as the YANG default: one session */
		snprintf(leaf, sizeof(leaf), "%s/min-established", entry);
		nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, min_str ? min_str : "1");
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

/* queues the shutdown of the anycast address at @xpath (or its removal) */
static void vapp_cli_enqueue_shutdown(struct vty *vty, const char *xpath, bool no,
				      const char *grace, const char *msg)
{
	char sd[XPATH_MAXLEN], leaf[XPATH_MAXLEN + 32];

	snprintf(sd, sizeof(sd), "%s/shutdown", xpath);
	if (no) {
		nb_cli_enqueue_change(vty, sd, NB_OP_DESTROY, NULL);
		return;
	}
	nb_cli_enqueue_change(vty, sd, NB_OP_CREATE, NULL);
	snprintf(leaf, sizeof(leaf), "%s/grace", sd);
	nb_cli_enqueue_change(vty, leaf, NB_OP_MODIFY, grace ? grace : "0");
	snprintf(leaf, sizeof(leaf), "%s/message", sd);
	nb_cli_enqueue_change(vty, leaf, msg ? NB_OP_MODIFY : NB_OP_DESTROY, msg);
}

static bool vapp_cli_msg_ok(struct vty *vty, const char *msg)
{
	if (msg && strlen(msg) > 255) {
		vty_out(vty, "%% a shutdown message is at most 255 octets (RFC 9003)\n");
		return false;
	}
	return true;
}

static int vapp_cli_anycast_shutdown(struct vty *vty, const struct prefix *pfx, bool no,
				     const char *grace, const char *msg)
{
	char xpath[XPATH_MAXLEN];

	if (!vapp_cli_anycast_xpath(vty, pfx, true, xpath, sizeof(xpath)) ||
	    (!no && !vapp_cli_msg_ok(vty, msg)))
		return CMD_WARNING_CONFIG_FAILED;
	vapp_cli_enqueue_shutdown(vty, xpath, no, grace, msg);
	return nb_cli_apply_changes(vty, NULL);
}

/*
 * The whole route server: the shutdown of every anycast address of the
 * instance in one commit (running-config shows each address's own line,
 * so the drain survives a restart as configured).
 */
static int vapp_cli_anycast_all(struct vty *vty, bool no, const char *grace, const char *msg)
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	const char *vrf = vapp_bgp_vrf_name(bgp);
	const struct lyd_node *inst, *child;
	char xpath[XPATH_MAXLEN];
	unsigned int n = 0;

	if (!no && !vapp_cli_msg_ok(vty, msg))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY, vrf);
	inst = vapp_cli_candidate(vty, xpath);
	if (inst)
		LY_LIST_FOR (lyd_child(inst), child) {
			if (strcmp(child->schema->name, "anycast") ||
			    (no && !yang_dnode_exists(child, "shutdown")))
				continue;
			snprintf(xpath, sizeof(xpath), VAPP_XP_ANYCAST_KEY, vrf,
				 yang_dnode_get_string(child, "prefix"));
			vapp_cli_enqueue_shutdown(vty, xpath, no, grace, msg);
			n++;
		}
	if (!n) {
		if (no)
			return CMD_SUCCESS; /* none is shut down: nothing to undo */
		vty_out(vty, "%% no vappliance anycast address is configured to shut down\n");
		return CMD_WARNING_CONFIG_FAILED;
	}
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
	char *text = vapp_cli_message(argc, argv);
	int ret;

	/* the change queue copies the value */
	ret = vapp_cli_anycast_shutdown(vty, pfx, !!no, grace_str, text);
	XFREE(MTYPE_TMP, text);
	return ret;
}

/* ---- running-config ---------------------------------------------------------- */

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

DEFPY_YANG(vapp_anycast_all_shutdown, vapp_anycast_all_shutdown_cmd,
	   "[no] vappliance anycast all shutdown [grace (0-3600)$grace]",
	   NO_STR VAPP_STR "Anycast loopback addresses of this route server\n"
	   "Every anycast address: drains the whole route server\n"
	   "Drain for maintenance, each address as with its own shutdown\n"
	   "Seconds the addresses and their sessions stay before Administrative Shutdown (default 0)\n"
	   "Seconds\n")
{
	return vapp_cli_anycast_all(vty, !!no, grace_str, NULL);
}

DEFPY_YANG(vapp_anycast_all_shutdown_msg, vapp_anycast_all_shutdown_msg_cmd,
	   "vappliance anycast all shutdown [grace (0-3600)$grace] message MSG...",
	   VAPP_STR "Anycast loopback addresses of this route server\n"
	   "Every anycast address: drains the whole route server\n"
	   "Drain for maintenance, each address as with its own shutdown\n"
	   "Seconds the addresses and their sessions stay before Administrative Shutdown (default 0)\n"
	   "Seconds\n"
	   "Shutdown communication sent with it (RFC 9003)\n"
	   "Message text\n")
{
	char *text = vapp_cli_message(argc, argv);
	int ret;

	ret = vapp_cli_anycast_all(vty, false, grace_str, text);
	XFREE(MTYPE_TMP, text);
	return ret;
}

void vapp_vty_anycast_init(void)
{
	install_element(BGP_NODE, &vapp_anycast_cmd);
	install_element(BGP_NODE, &no_vapp_anycast_cmd);
	install_element(BGP_NODE, &vapp_anycast_track_cmd);
	install_element(BGP_NODE, &vapp_anycast_restore_delay_cmd);
	install_element(BGP_NODE, &vapp_anycast_lease_cmd);
	install_element(BGP_NODE, &vapp_anycast_shutdown_cmd);
	install_element(BGP_NODE, &vapp_anycast_shutdown_msg_cmd);
	install_element(BGP_NODE, &vapp_anycast_all_shutdown_cmd);
	install_element(BGP_NODE, &vapp_anycast_all_shutdown_msg_cmd);
}
