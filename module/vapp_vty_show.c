// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance operational CLI: show and clear commands. They read the core
 * and, through the glue, bgpd; nothing here goes through the northbound.
 */
#include <zebra.h>

#include "command.h"
#include "darr.h"
#include "json.h"
#include "monotime.h"
#include "vrf.h"
#include "vty.h"

#include "bgpd/bgpd.h"

#include "vappliance.h"
#include "vapp_vty.h"

#include "module/vapp_vty_show_clippy.c"

/* ---- clear ---------------------------------------------------------------------- */

bool vapp_su2ipaddr(const union sockunion *su, struct ipaddr *addr)
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

static time_t vapp_mono_to_unix(int64_t mono_ms)
{
	struct timeval mono = { .tv_sec = mono_ms / 1000 }, real;

	monotime_to_realtime(&mono, &real);
	return real.tv_sec;
}

const char *vapp_unix_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

void vapp_json_time_add(json_object *j, const char *key, int64_t mono_ms)
{
	time_t t = vapp_mono_to_unix(mono_ms);
	char buf[32], epoch[64];

	json_object_string_add(j, key, vapp_unix_time(t, buf, sizeof(buf)));
	/* as FRR's own json has its times: Unix seconds, "...Epoch" */
	snprintf(epoch, sizeof(epoch), "%sEpoch", key);
	json_object_int_add(j, epoch, t);
}

/* monotonic milliseconds -> "2026-11-26T10:00:00Z" (vapp_vty.h) */
const char *vapp_cli_time(int64_t mono_ms, char *buf, size_t len)
{
	return vapp_unix_time(vapp_mono_to_unix(mono_ms), buf, len);
}

const char *vapp_json_str(json_object *j, const char *key)
{
	json_object *v = json_object_object_get(j, key);

	return v ? json_object_get_string(v) : NULL;
}

bool vapp_json_bool(json_object *j, const char *key)
{
	return json_object_get_boolean(json_object_object_get(j, key));
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

		json_object_string_add(ja, "addressFamily", afs[i].af_cli);
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
		json_object_int_add(jr, vapp_reason_name(r), vapp_pool_rejections(pool, r));
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
	json_object_object_add(jp, "remoteAsRanges", ja);
	json_object_boolean_add(jp, "requirePassword", pool->require_password);
	json_object_string_add(jp, "mobility", vapp_mobility_name(pool->mobility));
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

/* ---- the pools' text, printed from their JSON ----------------------------------- */

static json_object *vapp_jget(json_object *j, const char *key)
{
	return json_object_object_get(j, key);
}

/* the strings of array @key of @j, each after a space */
static void vapp_text_list(struct vty *vty, json_object *j, const char *key)
{
	json_object *ja = vapp_jget(j, key);

	for (size_t i = 0; i < json_object_array_length(ja); i++)
		vty_out(vty, " %s", json_object_get_string(json_object_array_get_idx(ja, i)));
}

static void vapp_text_policy(struct vty *vty, json_object *jp)
{
	json_object *jr = vapp_jget(jp, "prefixes"), *jm;

	vty_out(vty, "  Prefixes:");
	if (!json_object_array_length(jr))
		vty_out(vty, " (none: every route is outside the range)");
	for (size_t i = 0; i < json_object_array_length(jr); i++) {
		json_object *e = json_object_array_get_idx(jr, i);
		const char *pfx = vapp_json_str(e, "prefix");
		int len = atoi(strchr(pfx, '/') + 1);
		int lo = json_object_get_int(vapp_jget(e, "minLength"));
		int hi = json_object_get_int(vapp_jget(e, "maxLength"));

		if (lo == len && hi == len)
			vty_out(vty, " %s", pfx);
		else
			vty_out(vty, " %s(/%d-/%d)", pfx, lo, hi);
	}
	vty_out(vty, "\n  Next hop: %s", vapp_json_str(jp, "nextHop"));
	if (vapp_jget(jp, "maxPrefixes"))
		vty_out(vty, ", max-prefixes %s per appliance (%s)",
			vapp_json_str(jp, "maxPrefixes"), vapp_json_str(jp, "maxPrefixesAction"));
	vty_out(vty, "\n");
	json_object_object_foreach(vapp_jget(jp, "policy"), af, ja)
	{
		const char *af_cli = vapp_json_str(ja, "addressFamily");

		(void)af;
		if (vapp_json_bool(ja, "enforced")) {
			vty_out(vty, "  Policy %s: enforced by route-map %s\n", af_cli,
				vapp_json_str(ja, "routeMap"));
			continue;
		}
		vty_out(vty, "  Policy %s: NOT enforced (%s); the pool admits nobody. Add:\n",
			af_cli, vapp_json_str(ja, "problem"));
		jm = vapp_jget(ja, "linesToAdd");
		for (size_t i = 0; i < json_object_array_length(jm); i++)
			vty_out(vty, "      %s\n",
				json_object_get_string(json_object_array_get_idx(jm, i)));
	}
}

static void vapp_text_pool(struct vty *vty, const char *name, json_object *jp)
{
	json_object *jq = vapp_jget(jp, "quarantine");

	vty_out(vty, "Pool %s, peer-group %s%s\n", name, vapp_json_str(jp, "peerGroup"),
		vapp_json_bool(jp, "peerGroupExists") ? "" : " (does not exist)");
	vty_out(vty, "  Sessions: %s established, %s held", vapp_json_str(jp, "sessions"),
		vapp_json_str(jp, "sessionsHeld"));
	if (vapp_jget(jp, "maxSessions"))
		vty_out(vty, ", max %s", vapp_json_str(jp, "maxSessions"));
	vty_out(vty, "\n  Admitted: %s\n  Rejected:", vapp_json_str(jp, "admitted"));
	json_object_object_foreach(vapp_jget(jp, "rejected"), reason, n)
		vty_out(vty, " %s %s", reason, json_object_get_string(n));
	vty_out(vty, "\n  Sources:");
	if (json_object_array_length(vapp_jget(jp, "sources")))
		vapp_text_list(vty, jp, "sources");
	else
		vty_out(vty, " (the peer-group's remaining neighbors)");
	if (json_object_array_length(vapp_jget(jp, "denySources"))) {
		vty_out(vty, "\n  Denied sources:");
		vapp_text_list(vty, jp, "denySources");
	}
	vty_out(vty, "\n  Remote AS:");
	if (!json_object_array_length(vapp_jget(jp, "remoteAsRanges")))
		vty_out(vty, " (as the peer-group allows)");
	vapp_text_list(vty, jp, "remoteAsRanges");
	vty_out(vty, "\n  Password: %s%s\n", vapp_json_bool(jp, "passwordSet") ? "set" : "not set",
		vapp_json_bool(jp, "requirePassword") ? " (required)" : "");
	if (vapp_json_bool(jq, "enabled"))
		vty_out(vty, "  Quarantine: %s failures within %s s, hold %s s\n",
			vapp_json_str(jq, "failures"), vapp_json_str(jq, "within"),
			vapp_json_str(jq, "hold"));
	else
		vty_out(vty, "  Quarantine: off\n");
	vty_out(vty, "  Mobility: %s\n", vapp_json_str(jp, "mobility"));
	vapp_text_policy(vty, jp);
}

DEFPY(show_vapp_pools, show_vapp_pools_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance pools [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR "Appliance pools and their live state\n" JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	struct vapp_pool *pool;
	json_object *json = json_object_new_object(), *jpools = json_object_new_object();

	json_object_string_add(json, "vrfName", vrf);
	json_object_object_add(json, "pools", jpools);
	for (pool = inst ? vapp_pool_first(inst) : NULL; pool; pool = vapp_pool_next(inst, pool))
		json_object_object_add(jpools, pool->name, vapp_json_pool(pool));
	if (uj)
		return vty_json(vty, json);
	if (!json_object_object_length(jpools))
		vty_out(vty, "No vappliance pools in vrf %s\n", vrf);
	json_object_object_foreach(jpools, name, jp) vapp_text_pool(vty, name, jp);
	json_object_free(json);
	return CMD_SUCCESS;
}

/* ---- appliances ---------------------------------------------------------------- */

json_object *vapp_json_appview(const struct vapp_appview *v)
{
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
	vapp_json_time_add(ja, "since", v->since);
	if (v->until)
		vapp_json_time_add(ja, "quarantinedUntil", v->until);
	if (v->state != VAPP_VIEW_QUARANTINED && v->state != VAPP_VIEW_REJECTED) {
		json_object *jx = json_object_new_object();

		for (int i = 0; i < VAPP_P_MAX; i++)
			json_object_int_add(jx, vapp_pverdict_name(i), v->pcount[i]);
		/* rejected past VAPP_REJECTED_KEPT: counted, not remembered */
		json_object_int_add(jx, "unkept", v->unkept);
		json_object_object_add(ja, "prefixes", jx);
		/* its sessions to another address of this router (alreadyPeered) */
		json_object_int_add(ja, "secondSessionsRefused", v->peered_refused);
	}
	if (v->move_pending)
		json_object_string_addf(ja, "movingFrom", "%pIA", &v->move_from);
	return ja;
}

static void vapp_text_appliances(struct vty *vty, json_object *japps)
{
	vty_out(vty, "%-39s %-16s %-11s %-3s %-17s %-10s %-15s %-8s %-8s %s\n", "Source", "Pool",
		"State", "Est", "Reason", "AS", "Router-ID", "Accepted", "Rejected", "Since");
	json_object_object_foreach(japps, addr, ja)
	{
		/* a rejected or quarantined source has no prefix counts */
		json_object *jx = vapp_jget(ja, "prefixes");
		char accepted[24] = "-", rejected[24] = "-";
		int64_t nrej = 0;

		if (jx) {
			json_object_object_foreach(jx, verdict, n) if (strcmp(verdict, "accepted") &&
								       strcmp(verdict, "unkept"))
				nrej += json_object_get_int64(n);
			snprintf(accepted, sizeof(accepted), "%" PRId64,
				 json_object_get_int64(vapp_jget(jx, "accepted")));
			snprintf(rejected, sizeof(rejected), "%" PRId64, nrej);
		}
		vty_out(vty, "%-39s %-16s %-11s %-3s %-17s %-10s %-15s %-8s %-8s %s\n", addr,
			vapp_json_str(ja, "pool") ?: "-", vapp_json_str(ja, "state"),
			vapp_json_bool(ja, "established") ? "yes" : "no",
			vapp_json_str(ja, "reason") ?: "-", vapp_json_str(ja, "remoteAs") ?: "-",
			vapp_json_str(ja, "routerId") ?: "-", accepted, rejected,
			vapp_json_str(ja, "since"));
	}
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
	json_object *json = json_object_new_object(), *japps = json_object_new_object();

	if (inst)
		views = vapp_inst_appviews(inst, pool, vapp_bgp_now());
	json_object_string_add(json, "vrfName", vrf);
	json_object_object_add(json, "appliances", japps);
	darr_foreach_p (views, v)
		json_object_object_addf(japps, vapp_json_appview(v), "%pIA", &v->addr);
	darr_free(views);
	if (uj)
		return vty_json(vty, json);
	vapp_text_appliances(vty, japps);
	json_object_free(json);
	return CMD_SUCCESS;
}

/* ---- admission log -------------------------------------------------------------- */

static json_object *vapp_json_alog_entry(const struct vapp_alog_entry *e)
{
	json_object *je = json_object_new_object();

	json_object_int_add(je, "sequence", e->seq);
	vapp_json_time_add(je, "time", e->time);
	json_object_string_addf(je, "source", "%pIA", &e->addr);
	if (e->pool[0])
		json_object_string_add(je, "pool", e->pool);
	json_object_string_add(je, "verdict", vapp_verdict_name(e->verdict));
	json_object_string_add(je, "reason", vapp_reason_name(e->reason));
	if (e->asn)
		json_object_int_add(je, "remoteAs", e->asn);
	json_object_int_add(je, "suppressed", e->suppressed);
	return je;
}

DEFPY(show_vapp_alog, show_vapp_alog_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance admission-log [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR "Last admission decisions, newest first\n"
      JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	const struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	const struct vapp_alog_entry *e;
	json_object *json = json_object_new_object(), *jlog = json_object_new_array();

	json_object_string_add(json, "vrfName", vrf);
	json_object_object_add(json, "admissionLog", jlog);
	for (size_t i = 0; inst && (e = vapp_alog_get(inst, i)); i++)
		json_object_array_add(jlog, vapp_json_alog_entry(e));
	if (uj)
		return vty_json(vty, json);
	vty_out(vty, "%-20s %-39s %-16s %-12s %-17s %-10s %s\n", "Time", "Source", "Pool",
		"Verdict", "Reason", "AS", "Left out");
	for (size_t i = 0; i < json_object_array_length(jlog); i++) {
		json_object *je = json_object_array_get_idx(jlog, i);

		vty_out(vty, "%-20s %-39s %-16s %-12s %-17s %-10s %s\n", vapp_json_str(je, "time"),
			vapp_json_str(je, "source"), vapp_json_str(je, "pool") ?: "-",
			vapp_json_str(je, "verdict"), vapp_json_str(je, "reason"),
			vapp_json_str(je, "remoteAs") ?: "0", vapp_json_str(je, "suppressed"));
	}
	json_object_free(json);
	return CMD_SUCCESS;
}

/* ---- anycast ---------------------------------------------------------------------- */

static json_object *vapp_json_anycast(const struct vapp_anycast *ac, int64_t now)
{
	json_object *ja = json_object_new_object(), *jt = json_object_new_array();
	int64_t left = ac->installed ? (ac->lease_until - now) / 1000 : 0;
	struct vapp_track *t;

	json_object_string_add(ja, "interface", ac->ifname);
	json_object_string_add(ja, "state", vapp_ac_state_name(ac->state));
	json_object_string_add(ja, "reason", ac->reason);
	if (ac->since)
		vapp_json_time_add(ja, "since", ac->since);
	json_object_int_add(ja, "transitions", ac->transitions);
	json_object_boolean_add(ja, "installed", ac->installed);
	json_object_int_add(ja, "leaseRemaining", MAX(left, 0));
	json_object_int_add(ja, "lease", ac->lease);
	json_object_int_add(ja, "restoreDelay", ac->restore_delay);
	json_object_boolean_add(ja, "removalPending", ac->remove_pending);
	json_object_int_add(ja, "removalFailures", ac->remove_failures);
	if (ac->remove_pending) {
		json_object_int_add(ja, "removalAttempts", ac->remove_attempts);
		json_object_string_add(ja, "removalError", ac->remove_error);
		json_object_int_add(ja, "removalRetryInMsec", MAX(ac->remove_retry_at - now, 0));
	}
	json_object_int_add(ja, "installs", ac->installs);
	json_object_int_add(ja, "renewals", ac->renewals);
	json_object_int_add(ja, "installFailures", ac->install_failures);
	json_object_int_add(ja, "removals", ac->removals);
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
	return ja;
}

static void vapp_text_anycast(struct vty *vty, const char *pfx, json_object *ja)
{
	json_object *jt = vapp_jget(ja, "tracks");
	bool installed = vapp_json_bool(ja, "installed");

	vty_out(vty, "Anycast %s on %s: %s (%s)\n", pfx, vapp_json_str(ja, "interface"),
		vapp_json_str(ja, "state"), vapp_json_str(ja, "reason"));
	vty_out(vty, "  Since %s, %s transitions, %s", vapp_json_str(ja, "since") ?: "-",
		vapp_json_str(ja, "transitions"), installed ? "installed" : "not installed");
	if (installed)
		vty_out(vty, ", lease %s s (%s s left)", vapp_json_str(ja, "lease"),
			vapp_json_str(ja, "leaseRemaining"));
	vty_out(vty, ", restore-delay %s s\n", vapp_json_str(ja, "restoreDelay"));
	if (vapp_json_bool(ja, "removalPending"))
		vty_out(vty,
			"  Removal failed %s times (%s): still in the kernel, next attempt in %s ms\n",
			vapp_json_str(ja, "removalAttempts"), vapp_json_str(ja, "removalError"),
			vapp_json_str(ja, "removalRetryInMsec"));
	vty_out(vty, "  Kernel: %s installs, %s renewals, %s install failures, %s removals\n",
		vapp_json_str(ja, "installs"), vapp_json_str(ja, "renewals"),
		vapp_json_str(ja, "installFailures"), vapp_json_str(ja, "removals"));
	for (size_t i = 0; i < json_object_array_length(jt); i++) {
		json_object *t = json_object_array_get_idx(jt, i);

		vty_out(vty, "  Track peer-group %s: %s Established, %s needed\n",
			vapp_json_str(t, "peerGroup"), vapp_json_str(t, "established"),
			vapp_json_str(t, "minEstablished"));
	}
}

DEFPY(show_vapp_anycast, show_vapp_anycast_cmd,
      "show bgp [vrf NAME$vrf_name] vappliance anycast [json$uj]",
      SHOW_STR BGP_STR VRF_CMD_HELP_STR VAPP_STR "Anycast loopback addresses and their health\n"
      JSON_STR)
{
	const char *vrf = vrf_name ? vrf_name : VAPP_VRF_DEFAULT;
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, vrf);
	const struct vapp_nl_stats *nl = vapp_nl_get_stats();
	json_object *json = json_object_new_object(), *jacs = json_object_new_object(), *jn;
	struct vapp_anycast *ac;
	int64_t now = vapp_bgp_now();

	json_object_string_add(json, "vrfName", vrf);
	json_object_object_add(json, "anycast", jacs);
	for (ac = inst ? vapp_anycast_first(inst) : NULL; ac; ac = vapp_anycast_next(inst, ac))
		json_object_object_addf(jacs, vapp_json_anycast(ac, now), "%pFX", &ac->prefix);
	jn = json_object_new_object();
	json_object_int_add(jn, "requests", nl->requests);
	json_object_int_add(jn, "errors", nl->errors);
	json_object_int_add(jn, "socketsReopened", nl->reopens);
	json_object_int_add(jn, "staleRepliesSkipped", nl->stale);
	json_object_object_add(json, "netlink", jn);
	if (uj)
		return vty_json(vty, json);
	json_object_object_foreach(jacs, pfx, ja) vapp_text_anycast(vty, pfx, ja);
	if (!json_object_object_length(jacs))
		vty_out(vty, "No vappliance anycast addresses in vrf %s\n", vrf);
	vty_out(vty,
		"Netlink: %s requests, %s errors, %s sockets reopened, %s stale replies skipped\n",
		vapp_json_str(jn, "requests"), vapp_json_str(jn, "errors"),
		vapp_json_str(jn, "socketsReopened"), vapp_json_str(jn, "staleRepliesSkipped"));
	json_object_free(json);
	return CMD_SUCCESS;
}

void vapp_vty_show_init(void)
{
	install_element(ENABLE_NODE, &clear_vapp_quarantine_cmd);
	install_element(VIEW_NODE, &show_vapp_pools_cmd);
	install_element(VIEW_NODE, &show_vapp_appliances_cmd);
	install_element(VIEW_NODE, &show_vapp_alog_cmd);
	install_element(VIEW_NODE, &show_vapp_anycast_cmd);
}
