// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance operational CLI for one appliance: its detail, and clearing
 * its session. Read from the core and bgpd's peer; nothing goes through
 * the northbound.
 */
#include <zebra.h>

#include "command.h"
#include "darr.h"
#include "json.h"
#include "vty.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_debug.h"

#include "vappliance.h"
#include "vapp_vty.h"

#include "module/vapp_vty_appliance_clippy.c"

/* the newest admission-log entries of one source shown in its detail */
#define VAPP_DETAIL_DECISIONS 10

/* ---- clear ---------------------------------------------------------------------- */

/*
 * One appliance out, on purpose (maintenance, a misbehaving tenant): Cease
 * / Administrative Reset with the operator's message (RFC 9003), logged.
 * Not a failure toward quarantine: the session was Established and the
 * route server ended it; the appliance is decided anew when it connects.
 */
static int vapp_cli_clear_appliance(struct vty *vty, const char *vrf_name,
				    const union sockunion *src, const char *src_str,
				    const char *text)
{
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf_name);
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	/* cut to RFC 9003's 255 octets when sent */
	const char *msg = text ? text : "vappliance: cleared by the route server's operator";
	struct vapp_app *app = NULL;
	struct ipaddr addr;

	vapp_su2ipaddr(src, &addr);
	if (inst)
		app = vapp_app_find(inst, &addr);
	if (!app || !app->owner || app->state != VAPP_APP_ADMITTED || !app->established) {
		vty_out(vty, "%% %s has no admitted, established appliance session in vrf %s\n",
			src_str, vrf);
		return CMD_WARNING;
	}
	zlog_notice("vappliance: %pIA (pool %s, vrf %s) cleared by the operator: \"%s\"", &addr,
		    app->pool ? app->pool->name : "-", inst->vrf, msg);
	vapp_bgp_kick_msg(app->owner, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_ADMIN_RESET, msg);
	vty_out(vty, "%s told: Cease / Administrative Reset \"%s\"\n", src_str, msg);
	return CMD_SUCCESS;
}

DEFPY(clear_vapp_appliance, clear_vapp_appliance_cmd,
      "clear bgp [vrf NAME$vrf_name] vappliance appliance <A.B.C.D|X:X::X:X>$src",
      CLEAR_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR
      "Disconnect one appliance (Cease / Administrative Reset)\n"
      "Its IPv4 address\n"
      "Its IPv6 address\n")
{
	return vapp_cli_clear_appliance(vty, vrf_name, src, src_str, NULL);
}

DEFPY(clear_vapp_appliance_msg, clear_vapp_appliance_msg_cmd,
      "clear bgp [vrf NAME$vrf_name] vappliance appliance <A.B.C.D|X:X::X:X>$src message MSG...",
      CLEAR_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR
      "Disconnect one appliance (Cease / Administrative Reset)\n"
      "Its IPv4 address\n"
      "Its IPv6 address\n"
      "Shutdown communication sent with the Cease (RFC 9003)\n"
      "Message text\n")
{
	char *text = vapp_cli_message(argc, argv);
	int ret;

	ret = vapp_cli_clear_appliance(vty, vrf_name, src, src_str, text);
	XFREE(MTYPE_TMP, text);
	return ret;
}

/* ---- detail ---------------------------------------------------------------------- */

/* the appliance's entry of `show ... appliances json`, and more */
static void vapp_detail_json(json_object *j, const struct vapp_inst *inst,
			     const struct vapp_appview *v, const struct vapp_app *app)
{
	json_object *jv = vapp_json_appview(v), *jx;

	json_object_object_foreach(jv, key, val)
		json_object_object_add(j, key, json_object_get(val));
	json_object_put(jv);
	if (app) {
		const struct peer *peer = app->owner;

		json_object_string_add(j, "peerGroup", app->peer_group);
		if (peer)
			json_object_string_add(j, "bgpState",
					       lookup_msg(bgp_status_msg, peer->connection->status,
							  NULL));
		json_object_boolean_add(j, "gracefulRestartWait", app->gr_wait);
		if (app->pool && app->pool->max_prefixes) {
			jx = json_object_new_object();
			json_object_int_add(jx, "maxPrefixes", app->pool->max_prefixes);
			json_object_string_add(jx, "action",
					       app->pool->limit_action == VAPP_LIMIT_SHUTDOWN
						       ? "shutdown"
						       : "block");
			json_object_boolean_add(jx, "reached",
						app->pcount[VAPP_P_OVER_LIMIT] ||
							app->limit_exceeded);
			json_object_object_add(j, "limit", jx);
		}
	}
	jx = json_object_new_array();
	for (size_t i = 0, n = 0; n < VAPP_DETAIL_DECISIONS && i < vapp_alog_count(inst); i++) {
		const struct vapp_alog_entry *e = vapp_alog_get(inst, i);
		json_object *je;

		if (ipaddr_cmp(&e->addr, &v->addr))
			continue;
		je = json_object_new_object();
		vapp_json_time_add(je, "time", e->time);
		json_object_string_add(je, "verdict", vapp_verdict_name(e->verdict));
		json_object_string_add(je, "reason", vapp_reason_name(e->reason));
		if (e->pool[0])
			json_object_string_add(je, "pool", e->pool);
		if (e->asn)
			json_object_int_add(je, "remoteAs", e->asn);
		json_object_array_add(jx, je);
		n++;
	}
	json_object_object_add(j, "decisions", jx);
}

/* the text of the detail, printed from the JSON the command builds */
static void vapp_detail_text(struct vty *vty, json_object *j)
{
	json_object *jp = json_object_object_get(j, "prefixes");
	json_object *jl = json_object_object_get(j, "limit");
	json_object *jd = json_object_object_get(j, "decisions");
	const char *s;

	vty_out(vty, "Appliance %s, pool %s, %s", vapp_json_str(j, "appliance"),
		vapp_json_str(j, "pool") ?: "-", vapp_json_str(j, "state"));
	if ((s = vapp_json_str(j, "reason")))
		vty_out(vty, " (%s)", s);
	vty_out(vty, " since %s\n", vapp_json_str(j, "since"));
	if ((s = vapp_json_str(j, "quarantinedUntil")))
		vty_out(vty, "  Quarantined until %s\n", s);
	vty_out(vty, "  Session: %s",
		vapp_json_bool(j, "established") ? "established" : "not established");
	if ((s = vapp_json_str(j, "bgpState")))
		vty_out(vty, " (bgpd: %s%s)", s,
			vapp_json_bool(j, "gracefulRestartWait")
				? ", waiting for its graceful restart"
				: "");
	if ((s = vapp_json_str(j, "remoteAs")))
		vty_out(vty, ", AS %s", s);
	if ((s = vapp_json_str(j, "routerId")))
		vty_out(vty, ", router-id %s", s);
	vty_out(vty, "\n");
	if ((s = vapp_json_str(j, "movingFrom")))
		vty_out(vty, "  Moving from %s: takes over when its session is Established\n", s);
	if ((s = vapp_json_str(j, "secondSessionsRefused")) && strcmp(s, "0"))
		vty_out(vty, "  Second sessions to another address of this router refused: %s\n", s);
	if (jp) {
		vty_out(vty, "  Paths:");
		json_object_object_foreach(jp, k, val)
			vty_out(vty, " %s %s", k, json_object_get_string(val));
		vty_out(vty, "\n");
	}
	if (jl)
		vty_out(vty, "  Limit: max-prefixes %s (%s)%s\n", vapp_json_str(jl, "maxPrefixes"),
			vapp_json_str(jl, "action"),
			vapp_json_bool(jl, "reached") ? ", reached" : "");
	vty_out(vty, "  Last decisions (newest first):\n");
	for (size_t i = 0; i < json_object_array_length(jd); i++) {
		json_object *je = json_object_array_get_idx(jd, i);

		vty_out(vty, "    %s %-12s %-17s %s\n", vapp_json_str(je, "time"),
			vapp_json_str(je, "verdict"), vapp_json_str(je, "reason"),
			vapp_json_str(je, "pool") ?: "-");
	}
}

DEFPY(show_vapp_appliance, show_vapp_appliance_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance appliance <A.B.C.D|X:X::X:X>$src [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR
      "One appliance in detail: admission, session, paths, limit, last decisions\n"
      "Its IPv4 address\n"
      "Its IPv6 address\n" JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	struct vapp_appview *views = NULL, *v, *found = NULL;
	json_object *j;
	struct ipaddr addr;

	vapp_su2ipaddr(src, &addr);
	if (inst)
		views = vapp_inst_appviews(inst, NULL, vapp_bgp_now());
	darr_foreach_p (views, v)
		if (!ipaddr_cmp(&v->addr, &addr)) {
			found = v;
			break;
		}
	if (!found) {
		darr_free(views);
		if (uj) {
			vty_out(vty, "{}\n");
			return CMD_SUCCESS;
		}
		vty_out(vty,
			"%% no appliance %s in vrf %s (not connected, not rejected within the hour)\n",
			src_str, vrf);
		return CMD_WARNING;
	}
	j = json_object_new_object();
	json_object_string_add(j, "vrfName", vrf);
	json_object_string_addf(j, "appliance", "%pIA", &addr);
	/* a source listed without a connection has no tracked appliance */
	vapp_detail_json(j, inst, found, vapp_app_find(inst, &addr));
	darr_free(views);
	if (uj)
		return vty_json(vty, j);
	vapp_detail_text(vty, j);
	json_object_free(j);
	return CMD_SUCCESS;
}

void vapp_vty_appliance_init(void)
{
	install_element(VIEW_NODE, &show_vapp_appliance_cmd);
	install_element(ENABLE_NODE, &clear_vapp_appliance_cmd);
	install_element(ENABLE_NODE, &clear_vapp_appliance_msg_cmd);
}
