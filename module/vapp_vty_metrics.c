// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance CLI of the metrics textfile: its configuration (inside
 * `router bgp`, through the northbound), its running-config line, and the
 * show of what the writes did.
 */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "northbound_cli.h"
#include "vrf.h"
#include "vty.h"

#include "bgpd/bgpd.h"

#include "vappliance.h"
#include "vapp_metrics.h"
#include "vapp_nb.h"
#include "vapp_vty.h"

#include "module/vapp_vty_metrics_clippy.c"

#define VAPP_METRICS_STR "Metrics for Prometheus\n"

DEFPY_YANG(vapp_metrics_textfile, vapp_metrics_textfile_cmd,
	   "vappliance metrics textfile PATH$path [interval (1-3600)$iv]",
	   VAPP_STR VAPP_METRICS_STR
	   "Write them to a file for node-exporter's textfile collector\n"
	   "Absolute path, ending in .prom\n"
	   "How often the file is written (default 15 s)\n"
	   "Seconds\n")
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	const char *vrf = vapp_bgp_vrf_name(bgp);
	const char *why = vapp_metrics_path_invalid(path);
	char xpath[XPATH_MAXLEN];

	if (why) {
		vty_out(vty, "%% invalid metrics textfile \"%s\": %s\n", path, why);
		return CMD_WARNING_CONFIG_FAILED;
	}
	snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY "/metrics/textfile", vrf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, path);
	snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY "/metrics/interval", vrf);
	nb_cli_enqueue_change(vty, xpath, iv_str ? NB_OP_MODIFY : NB_OP_DESTROY, iv_str);
	return nb_cli_apply_changes(vty, NULL);
}

DEFPY_YANG(no_vapp_metrics_textfile, no_vapp_metrics_textfile_cmd,
	   "no vappliance metrics textfile [PATH [interval (1-3600)]]",
	   NO_STR VAPP_STR VAPP_METRICS_STR
	   "No metrics file (the file is removed)\n"
	   "Absolute path, ending in .prom\n"
	   "How often the file is written\n"
	   "Seconds\n")
{
	VTY_DECLVAR_CONTEXT(bgp, bgp);
	const char *vrf = vapp_bgp_vrf_name(bgp);
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY "/metrics/textfile", vrf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY "/metrics/interval", vrf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return nb_cli_apply_changes(vty, NULL);
}

void vapp_cli_show_metrics_textfile(struct vty *vty, const struct lyd_node *dnode,
				    bool show_defaults)
{
	uint16_t iv = yang_dnode_get_uint16(dnode, "../interval");

	vty_out(vty, " vappliance metrics textfile %s", yang_dnode_get_string(dnode, NULL));
	if (iv != VAPP_METRICS_INTERVAL_DEFAULT)
		vty_out(vty, " interval %u", iv);
	vty_out(vty, "\n");
}

/* ---- show ---------------------------------------------------------------------- */

DEFPY(show_vapp_metrics, show_vapp_metrics_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance metrics [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR
      "The metrics textfile: where, how often, and what the writes did\n" JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	const struct vapp_metrics *m = vapp_metrics_get(vrf);
	json_object *j = json_object_new_object(), *jm;
	char tbuf[32];

	json_object_string_add(j, "vrfName", vrf);
	if (m) {
		jm = json_object_new_object();
		json_object_string_add(jm, "textfile", m->path);
		json_object_int_add(jm, "interval", m->interval);
		json_object_int_add(jm, "writes", m->writes);
		json_object_int_add(jm, "failures", m->failures);
		if (m->last_write) {
			json_object_string_add(jm, "lastWrite",
					       vapp_unix_time(m->last_write, tbuf, sizeof(tbuf)));
			json_object_int_add(jm, "lastWriteEpoch", m->last_write);
		}
		json_object_int_add(jm, "lastDurationUsec", m->last_usec);
		json_object_int_add(jm, "lastBytes", m->last_bytes);
		if (m->error[0])
			json_object_string_add(jm, "lastError", m->error);
		json_object_object_add(j, "metrics", jm);
	}
	if (uj)
		return vty_json(vty, j);
	/* the text, from the JSON */
	jm = json_object_object_get(j, "metrics");
	if (!jm) {
		vty_out(vty, "No metrics textfile in vrf %s\n", vrf);
	} else {
		vty_out(vty, "Metrics textfile %s, every %s s\n", vapp_json_str(jm, "textfile"),
			vapp_json_str(jm, "interval"));
		vty_out(vty, "  Writes: %s, failures: %s\n", vapp_json_str(jm, "writes"),
			vapp_json_str(jm, "failures"));
		vty_out(vty, "  Last write: %s, %s us, %s bytes\n",
			vapp_json_str(jm, "lastWrite") ?: "never",
			vapp_json_str(jm, "lastDurationUsec"), vapp_json_str(jm, "lastBytes"));
		if (vapp_json_str(jm, "lastError"))
			vty_out(vty, "  Last error: %s (the file is removed until a write works)\n",
				vapp_json_str(jm, "lastError"));
	}
	json_object_free(j);
	return CMD_SUCCESS;
}

void vapp_vty_metrics_init(void)
{
	install_element(BGP_NODE, &vapp_metrics_textfile_cmd);
	install_element(BGP_NODE, &no_vapp_metrics_textfile_cmd);
	install_element(VIEW_NODE, &show_vapp_metrics_cmd);
}
