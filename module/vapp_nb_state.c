// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance northbound: operational state (config false) callbacks.
 * List entries are the core's objects; leaf values come from bgpd via the
 * glue, read at the time of the query.
 */
#include <zebra.h>

#include "northbound.h"
#include "darr.h"
#include "yang.h"

#include "vappliance.h"
#include "vapp_nb.h"

/* .../instance */
const void *vapp_nb_inst_get_next(struct nb_cb_get_next_args *args)
{
	/* the northbound hands back our own entry; iteration does not modify it */
	struct vapp_inst *inst = (struct vapp_inst *)args->list_entry;

	return inst ? vapp_inst_next(&vapp_g, inst) : vapp_inst_first(&vapp_g);
}

int vapp_nb_inst_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vapp_inst *inst = args->list_entry;

	args->keys->num = 1;
	strlcpy(args->keys->key[0], inst->vrf, sizeof(args->keys->key[0]));
	return NB_OK;
}

const void *vapp_nb_inst_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vapp_inst_find(&vapp_g, args->keys->key[0]);
}

/* .../instance/pool */
const void *vapp_nb_pool_get_next(struct nb_cb_get_next_args *args)
{
	/* the northbound hands back our own entries; iteration does not modify them */
	struct vapp_inst *inst = (struct vapp_inst *)args->parent_list_entry;
	struct vapp_pool *pool = (struct vapp_pool *)args->list_entry;

	return pool ? vapp_pool_next(inst, pool) : vapp_pool_first(inst);
}

int vapp_nb_pool_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vapp_pool *pool = args->list_entry;

	args->keys->num = 1;
	strlcpy(args->keys->key[0], pool->name, sizeof(args->keys->key[0]));
	return NB_OK;
}

const void *vapp_nb_pool_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vapp_pool_lookup(args->parent_list_entry, args->keys->key[0]);
}

/* .../instance/pool/state/peer-group-exists */
struct yang_data *vapp_nb_pool_state_pg_exists_get_elem(struct nb_cb_get_elem_args *args)
{
	struct vapp_pool_live live;

	vapp_bgp_pool_live(args->list_entry, &live);
	return yang_data_new_bool(args->xpath, live.peer_group_exists);
}

/* .../instance/pool/state/sessions */
struct yang_data *vapp_nb_pool_state_sessions_get_elem(struct nb_cb_get_elem_args *args)
{
	struct vapp_pool_live live;

	vapp_bgp_pool_live(args->list_entry, &live);
	return yang_data_new_uint32(args->xpath, live.sessions);
}

/* .../instance/pool/state/password-set */
struct yang_data *vapp_nb_pool_state_password_set_get_elem(struct nb_cb_get_elem_args *args)
{
	struct vapp_pool_live live;

	vapp_bgp_pool_live(args->list_entry, &live);
	return yang_data_new_bool(args->xpath, live.password_set);
}

/* .../instance/pool/state/admitted */
/* .../instance/pool/state/sessions-held */
struct yang_data *vapp_nb_pool_state_held_get_elem(struct nb_cb_get_elem_args *args)
{
	return yang_data_new_uint32(args->xpath, vapp_pool_sessions_held(args->list_entry));
}

struct yang_data *vapp_nb_pool_state_admitted_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vapp_pool *pool = args->list_entry;

	return yang_data_new_uint64(args->xpath, pool->admitted);
}

/* YANG leaf names under state/rejected, indexed by reason */
static const char *const vapp_nb_reason_leaf[VAPP_REASON_MAX] = {
	[VAPP_REASON_REMOTE_AS] = "remote-as",
	[VAPP_REASON_ROUTER_ID] = "router-id",
	[VAPP_REASON_POOL_FULL] = "pool-full",
	[VAPP_REASON_DENIED_SOURCE] = "denied-source",
	[VAPP_REASON_QUARANTINED] = "quarantined",
	[VAPP_REASON_NO_PASSWORD] = "no-password",
	[VAPP_REASON_POLICY_NOT_ENFORCED] = "policy-not-enforced",
	[VAPP_REASON_NO_POOL] = "no-pool",
	[VAPP_REASON_OPEN_MISMATCH] = "open-mismatch",
	[VAPP_REASON_ALREADY_PEERED] = "already-peered",
	[VAPP_REASON_MOVED] = "moved",
};

/* .../instance/pool/state/rejected/<reason> (one callback for all) */
struct yang_data *vapp_nb_pool_state_rejected_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vapp_pool *pool = args->list_entry;
	const char *leaf = strrchr(args->xpath, '/') + 1;

	for (int r = VAPP_REASON_NONE + 1; r < VAPP_REASON_MAX; r++) {
		if (!strcmp(leaf, vapp_nb_reason_leaf[r]))
			return yang_data_new_uint64(args->xpath, vapp_pool_rejections(pool, r));
	}
	return NULL;
}

/*
 * .../instance/appliance: a snapshot of the instance's appliance views,
 * taken when a walk starts (get_next without an entry, or a keyed lookup);
 * entries point into it until the next walk.
 */
static struct vapp_appview *vapp_nb_views;
static const struct vapp_inst *vapp_nb_views_inst;

static void vapp_nb_views_take(const struct vapp_inst *inst)
{
	darr_free(vapp_nb_views);
	vapp_nb_views = vapp_inst_appviews(inst, NULL, vapp_bgp_now());
	vapp_nb_views_inst = inst;
}

void vapp_nb_state_fini(void)
{
	darr_free(vapp_nb_views);
	vapp_nb_views_inst = NULL;
}

const void *vapp_nb_app_get_next(struct nb_cb_get_next_args *args)
{
	const struct vapp_appview *v = args->list_entry;

	if (!v) {
		vapp_nb_views_take(args->parent_list_entry);
		return darr_len(vapp_nb_views) ? &vapp_nb_views[0] : NULL;
	}
	v++;
	return v < darr_end(vapp_nb_views) ? v : NULL;
}

int vapp_nb_app_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vapp_appview *v = args->list_entry;

	args->keys->num = 1;
	snprintfrr(args->keys->key[0], sizeof(args->keys->key[0]), "%pIA", &v->addr);
	return NB_OK;
}

const void *vapp_nb_app_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	const struct vapp_appview *v;
	struct ipaddr addr;

	if (str2ipaddr(args->keys->key[0], &addr))
		return NULL;
	vapp_nb_views_take(args->parent_list_entry);
	darr_foreach_p (vapp_nb_views, v)
		if (!ipaddr_cmp(&v->addr, &addr))
			return v;
	return NULL;
}

struct yang_data *vapp_nb_app_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vapp_appview *v = args->list_entry;
	const char *leaf = strrchr(args->xpath, '/') + 1;

	if (!strcmp(leaf, "pool"))
		return v->pool ? yang_data_new_string(args->xpath, v->pool) : NULL;
	if (!strcmp(leaf, "state"))
		return yang_data_new_string(args->xpath, vapp_view_state_name(v->state));
	if (!strcmp(leaf, "established"))
		return yang_data_new_bool(args->xpath, v->established);
	if (!strcmp(leaf, "reason"))
		return yang_data_new_string(args->xpath, vapp_reason_name(v->reason));
	if (!strcmp(leaf, "remote-as"))
		return v->remote_as ? yang_data_new_uint32(args->xpath, v->remote_as) : NULL;
	if (!strcmp(leaf, "router-id"))
		return v->router_id.s_addr ? yang_data_new_ipv4(args->xpath, &v->router_id) : NULL;
	if (!strcmp(leaf, "since"))
		return yang_data_new_date_and_time(args->xpath, v->since / 1000, true);
	if (!strcmp(leaf, "quarantined-until"))
		return v->until ? yang_data_new_date_and_time(args->xpath, v->until / 1000, true)
				: NULL;
	if (!strcmp(leaf, "second-sessions-refused"))
		return v->state == VAPP_VIEW_ADMITTED || v->state == VAPP_VIEW_CONNECTING
			       ? yang_data_new_uint32(args->xpath, v->peered_refused)
			       : NULL;
	if (!strcmp(leaf, "moving-from"))
		return v->move_pending ? yang_data_new_ip(args->xpath, &v->move_from) : NULL;
	return NULL;
}

/* .../instance/appliance/prefixes/<verdict> */
static const char *const vapp_nb_pverdict_leaf[VAPP_P_MAX] = {
	[VAPP_P_ACCEPTED] = "accepted",		  [VAPP_P_OUTSIDE_RANGE] = "outside-range",
	[VAPP_P_PREFIX_LENGTH] = "prefix-length", [VAPP_P_NEXT_HOP] = "next-hop",
	[VAPP_P_OVER_LIMIT] = "over-limit",	  [VAPP_P_NOT_ADMITTED] = "not-admitted",
	[VAPP_P_RESERVED] = "reserved",
};

struct yang_data *vapp_nb_app_prefixes_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vapp_appview *v = args->list_entry;
	const char *leaf = strrchr(args->xpath, '/') + 1;

	for (int i = 0; i < VAPP_P_MAX; i++)
		if (!strcmp(leaf, vapp_nb_pverdict_leaf[i]))
			return yang_data_new_uint32(args->xpath, v->pcount[i]);
	if (!strcmp(leaf, "unkept"))
		return yang_data_new_uint64(args->xpath, v->unkept);
	return NULL;
}

/* .../instance/pool/state/address-family: computed when a walk starts */
static struct vapp_af_policy vapp_nb_afs[VAPP_AF_MAX];
static int vapp_nb_afs_n;

const void *vapp_nb_pool_af_get_next(struct nb_cb_get_next_args *args)
{
	const struct vapp_af_policy *af = args->list_entry;

	if (!af) {
		vapp_nb_afs_n = vapp_enforce_check(args->parent_list_entry, vapp_nb_afs,
						   array_size(vapp_nb_afs));
		return vapp_nb_afs_n ? &vapp_nb_afs[0] : NULL;
	}
	af++;
	return af < &vapp_nb_afs[vapp_nb_afs_n] ? af : NULL;
}

int vapp_nb_pool_af_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vapp_af_policy *af = args->list_entry;

	args->keys->num = 1;
	strlcpy(args->keys->key[0], af->af_yang, sizeof(args->keys->key[0]));
	return NB_OK;
}

const void *vapp_nb_pool_af_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	vapp_nb_afs_n = vapp_enforce_check(args->parent_list_entry, vapp_nb_afs,
					   array_size(vapp_nb_afs));
	for (int i = 0; i < vapp_nb_afs_n; i++)
		if (!strcmp(vapp_nb_afs[i].af_yang, args->keys->key[0]))
			return &vapp_nb_afs[i];
	return NULL;
}

struct yang_data *vapp_nb_pool_af_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vapp_af_policy *af = args->list_entry;
	const char *leaf = strrchr(args->xpath, '/') + 1;

	if (!strcmp(leaf, "route-map"))
		return af->route_map ? yang_data_new_string(args->xpath, af->route_map) : NULL;
	if (!strcmp(leaf, "enforced"))
		return yang_data_new_bool(args->xpath, af->problem == NULL);
	if (!strcmp(leaf, "problem"))
		return af->problem ? yang_data_new_string(args->xpath, af->problem) : NULL;
	return NULL;
}

/* .../instance/admission-log: entries of the ring, newest first */
const void *vapp_nb_alog_get_next(struct nb_cb_get_next_args *args)
{
	const struct vapp_inst *inst = args->parent_list_entry;
	const struct vapp_alog_entry *e = args->list_entry;

	if (!e)
		return vapp_alog_get(inst, 0);
	return vapp_alog_get(inst, inst->alog_seq - e->seq + 1);
}

int vapp_nb_alog_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vapp_alog_entry *e = args->list_entry;

	args->keys->num = 1;
	snprintf(args->keys->key[0], sizeof(args->keys->key[0]), "%" PRIu64, e->seq);
	return NB_OK;
}

const void *vapp_nb_alog_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	const struct vapp_inst *inst = args->parent_list_entry;
	uint64_t seq = strtoull(args->keys->key[0], NULL, 10);

	if (seq == 0 || seq > inst->alog_seq)
		return NULL;
	return vapp_alog_get(inst, inst->alog_seq - seq);
}

struct yang_data *vapp_nb_alog_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vapp_alog_entry *e = args->list_entry;
	const char *leaf = strrchr(args->xpath, '/') + 1;

	if (!strcmp(leaf, "time"))
		return yang_data_new_date_and_time(args->xpath, e->time / 1000, true);
	if (!strcmp(leaf, "source"))
		return yang_data_new_ip(args->xpath, &e->addr);
	if (!strcmp(leaf, "pool"))
		return e->pool[0] ? yang_data_new_string(args->xpath, e->pool) : NULL;
	if (!strcmp(leaf, "verdict"))
		return yang_data_new_string(args->xpath, vapp_verdict_name(e->verdict));
	if (!strcmp(leaf, "reason"))
		return yang_data_new_string(args->xpath, vapp_reason_name(e->reason));
	if (!strcmp(leaf, "remote-as"))
		return e->asn ? yang_data_new_uint32(args->xpath, e->asn) : NULL;
	if (!strcmp(leaf, "suppressed"))
		return yang_data_new_uint32(args->xpath, e->suppressed);
	return NULL;
}

/* .../instance/anycast */
const void *vapp_nb_anycast_get_next(struct nb_cb_get_next_args *args)
{
	/* the northbound hands back our own entries; iteration does not modify them */
	struct vapp_inst *inst = (struct vapp_inst *)args->parent_list_entry;
	struct vapp_anycast *ac = (struct vapp_anycast *)args->list_entry;

	return ac ? vapp_anycast_next(inst, ac) : vapp_anycast_first(inst);
}

int vapp_nb_anycast_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vapp_anycast *ac = args->list_entry;

	args->keys->num = 1;
	snprintfrr(args->keys->key[0], sizeof(args->keys->key[0]), "%pFX", &ac->prefix);
	return NB_OK;
}

const void *vapp_nb_anycast_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	struct prefix p;

	if (!str2prefix(args->keys->key[0], &p))
		return NULL;
	return vapp_anycast_find((struct vapp_inst *)args->parent_list_entry, &p);
}

struct yang_data *vapp_nb_anycast_state_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct vapp_anycast *ac = args->list_entry;
	const char *leaf = strrchr(args->xpath, '/') + 1;
	int64_t left;

	if (!strcmp(leaf, "state"))
		return yang_data_new_string(args->xpath, vapp_ac_state_name(ac->state));
	if (!strcmp(leaf, "reason"))
		return yang_data_new_string(args->xpath, ac->reason);
	if (!strcmp(leaf, "since"))
		return ac->since ? yang_data_new_date_and_time(args->xpath, ac->since / 1000, true)
				 : NULL;
	if (!strcmp(leaf, "transitions"))
		return yang_data_new_uint32(args->xpath, ac->transitions);
	if (!strcmp(leaf, "installed"))
		return yang_data_new_bool(args->xpath, ac->installed);
	if (!strcmp(leaf, "lease-remaining")) {
		left = ac->installed ? (ac->lease_until - vapp_bgp_now()) / 1000 : 0;
		return yang_data_new_uint32(args->xpath, left > 0 ? left : 0);
	}
	if (!strcmp(leaf, "removal-pending"))
		return yang_data_new_bool(args->xpath, ac->remove_pending);
	if (!strcmp(leaf, "removal-failures"))
		return yang_data_new_uint64(args->xpath, ac->remove_failures);
	if (!strcmp(leaf, "installs"))
		return yang_data_new_uint64(args->xpath, ac->installs);
	if (!strcmp(leaf, "renewals"))
		return yang_data_new_uint64(args->xpath, ac->renewals);
	if (!strcmp(leaf, "install-failures"))
		return yang_data_new_uint64(args->xpath, ac->install_failures);
	if (!strcmp(leaf, "removals"))
		return yang_data_new_uint64(args->xpath, ac->removals);
	return NULL;
}
