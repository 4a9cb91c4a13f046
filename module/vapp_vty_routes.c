// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance operational CLI: every path one appliance announces now, with
 * the verdict the module gave it, read from the module's own verdict store
 * (so rejected routes show without soft-reconfiguration inbound; BIRD's
 * "import keep filtered" gives operators the same view). The JSON is built
 * once; the text is printed from it.
 */
#include <zebra.h>

#include "command.h"
#include "darr.h"
#include "json.h"
#include "vrf.h"
#include "vty.h"

#include "vappliance.h"
#include "vapp_vty.h"

#include "module/vapp_vty_routes_clippy.c"

struct vapp_route_row {
	struct vapp_rkey k;
	enum vapp_pverdict v;
	bool nh_kept;
	struct ipaddr nh;
};

struct vapp_routes_ctx {
	struct vapp_route_row *rows; /* darr */
	int which;		     /* 0 all, 1 accepted, 2 rejected */
};

static void vapp_routes_collect(const struct vapp_rkey *k, enum vapp_pverdict v,
				const struct ipaddr *nh, void *arg)
{
	struct vapp_routes_ctx *ctx = arg;
	struct vapp_route_row *r;

	if ((ctx->which == 1 && v != VAPP_P_ACCEPTED) || (ctx->which == 2 && v == VAPP_P_ACCEPTED))
		return;
	r = darr_append(ctx->rows);
	r->k = *k;
	r->v = v;
	r->nh_kept = nh != NULL;
	if (nh)
		r->nh = *nh;
}

/* by prefix (as bgpd lists a table), then SAFI, then path id */
static int vapp_route_row_cmp(const void *a, const void *b)
{
	const struct vapp_route_row *x = a, *y = b;
	int c = prefix_cmp(&x->k.p, &y->k.p);

	if (c)
		return c;
	if (x->k.safi != y->k.safi)
		return x->k.safi < y->k.safi ? -1 : 1;
	return x->k.path_id < y->k.path_id ? -1 : x->k.path_id > y->k.path_id;
}

static void vapp_routes_json(json_object *j, const struct vapp_app *app, int which)
{
	struct vapp_routes_ctx ctx = { .which = which };
	json_object *jr = json_object_new_object(), *ja = NULL;
	uint32_t rejected = 0;
	char pbuf[PREFIX_STRLEN];

	vapp_policy_walk(app, vapp_routes_collect, &ctx);
	if (darr_len(ctx.rows))
		qsort(ctx.rows, darr_len(ctx.rows), sizeof(ctx.rows[0]), vapp_route_row_cmp);
	for (uint i = 0; i < darr_len(ctx.rows); i++) {
		const struct vapp_route_row *r = &ctx.rows[i];
		json_object *je = json_object_new_object();

		if (!i || prefix_cmp(&r->k.p, &ctx.rows[i - 1].k.p)) {
			ja = json_object_new_array();
			json_object_object_add(jr, prefix2str(&r->k.p, pbuf, sizeof(pbuf)), ja);
		}
		json_object_int_add(je, "pathId", r->k.path_id);
		json_object_string_add(je, "safi",
				       r->k.safi == SAFI_LABELED_UNICAST ? "labeled-unicast"
									 : "unicast");
		if (r->nh_kept)
			json_object_string_addf(je, "nextHop", "%pIA", &r->nh);
		json_object_string_add(je, "verdict",
				       r->v == VAPP_P_ACCEPTED ? "accepted" : "rejected");
		if (r->v != VAPP_P_ACCEPTED)
			json_object_string_add(je, "reason", vapp_pverdict_name(r->v));
		json_object_array_add(ja, je);
	}
	json_object_object_add(j, "routes", jr);
	json_object_int_add(j, "shown", darr_len(ctx.rows));
	for (int v = 0; v < VAPP_P_MAX; v++)
		if (v != VAPP_P_ACCEPTED)
			rejected += app->pcount[v];
	json_object_int_add(j, "accepted", app->pcount[VAPP_P_ACCEPTED]);
	json_object_int_add(j, "rejected", rejected);
	/* the store's bound, named when it was reached */
	json_object_int_add(j, "rejectedNotKept", app->unkept);
	json_object_int_add(j, "rejectedKeptMax", VAPP_REJECTED_KEPT);
	darr_free(ctx.rows);
}

/* the text, as bgpd lays out received-routes, printed from the JSON */
static void vapp_routes_text(struct vty *vty, json_object *j)
{
	json_object *jr = json_object_object_get(j, "routes");

	vty_out(vty, "Appliance %s, vrf %s: %s accepted, %s rejected\n\n",
		vapp_json_str(j, "appliance"), vapp_json_str(j, "vrfName"),
		vapp_json_str(j, "accepted"), vapp_json_str(j, "rejected"));
	vty_out(vty, "   %-43s %10s %-39s %-15s %s\n", "Network", "PathId", "Next Hop", "SAFI",
		"Verdict");
	json_object_object_foreach(jr, pfx, ja)
	{
		for (size_t i = 0; i < json_object_array_length(ja); i++) {
			json_object *je = json_object_array_get_idx(ja, i);
			const char *reason = vapp_json_str(je, "reason");

			vty_out(vty, "   %-43s %10s %-39s %-15s %s%s%s%s\n", pfx,
				vapp_json_str(je, "pathId"),
				vapp_json_str(je, "nextHop") ?: "(not kept)",
				vapp_json_str(je, "safi"), vapp_json_str(je, "verdict"),
				reason ? " (" : "", reason ?: "", reason ? ")" : "");
		}
	}
	vty_out(vty, "\nDisplayed %s paths\n", vapp_json_str(j, "shown"));
	if (json_object_get_int64(json_object_object_get(j, "rejectedNotKept")))
		vty_out(vty,
			"%s further rejected paths were counted but not kept (at most %s rejected paths are kept per appliance)\n",
			vapp_json_str(j, "rejectedNotKept"), vapp_json_str(j, "rejectedKeptMax"));
}

DEFPY(show_vapp_appliance_routes, show_vapp_appliance_routes_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance appliance <A.B.C.D|X:X::X:X>$src routes [<accepted|rejected>$which] [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR
      "One appliance\n"
      "Its IPv4 address\n"
      "Its IPv6 address\n"
      "Every path it announces now, with the module's verdict\n"
      "Only the accepted paths\n"
      "Only the rejected paths\n" JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	struct vapp_app *app = NULL;
	struct ipaddr addr;
	json_object *j;

	vapp_su2ipaddr(src, &addr);
	if (inst)
		app = vapp_app_find(inst, &addr);
	if (!app) {
		if (uj) {
			vty_out(vty, "{}\n");
			return CMD_SUCCESS;
		}
		vty_out(vty, "%% no appliance session from %s in vrf %s\n", src_str, vrf);
		return CMD_WARNING;
	}
	j = json_object_new_object();
	json_object_string_add(j, "vrfName", vrf);
	json_object_string_addf(j, "appliance", "%pIA", &addr);
	vapp_routes_json(j, app, !which ? 0 : which[0] == 'a' ? 1 : 2);
	if (uj)
		return vty_json(vty, j);
	vapp_routes_text(vty, j);
	json_object_free(j);
	return CMD_SUCCESS;
}

void vapp_vty_routes_init(void)
{
	install_element(VIEW_NODE, &show_vapp_appliance_routes_cmd);
}
