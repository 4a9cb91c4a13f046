// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance northbound: configuration callbacks.
 *
 * Phases: VALIDATE (and pre_validate, which sees the whole candidate)
 * refuses what the core cannot take, with a message for the user; PREPARE
 * allocates; ABORT releases what PREPARE allocated; APPLY only links
 * prepared objects in or changes values, and cannot fail. After the apply,
 * the instance's appliances are re-evaluated (apply_finish).
 */
#include <zebra.h>

#include "northbound.h"
#include "prefix.h"
#include "yang.h"

#include "vappliance.h"
#include "vapp_metrics.h"
#include "vapp_nb.h"

static struct vapp_pool *vapp_nb_pool(const struct lyd_node *dnode)
{
	return nb_running_get_entry(dnode, NULL, true);
}

/* ---- .../instance -------------------------------------------------------- */

int vapp_nb_inst_create(struct nb_cb_create_args *args)
{
	struct vapp_inst *inst;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	inst = vapp_inst_get(&vapp_g, yang_dnode_get_string(args->dnode, "vrf"));
	nb_running_set_entry(args->dnode, inst);
	return NB_OK;
}

int vapp_nb_inst_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_anycast *ac;
	struct vapp_inst *inst;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	inst = nb_running_unset_entry(args->dnode);
	/*
	 * The northbound destroys the instance entry only, not its anycast
	 * children (`no router bgp` purges the whole subtree this way): take
	 * the installed addresses off the kernel here, or they would attract
	 * traffic for the rest of their lease with nobody serving it.
	 */
	for (ac = vapp_anycast_first(inst); ac; ac = vapp_anycast_next(inst, ac))
		vapp_bgp_ac_unconfigure(ac);
	vapp_metrics_unset(inst->vrf); /* likewise its metrics file */
	vapp_inst_del(inst);
	return NB_OK;
}

/*
 * Consistency across the pools of one instance: every pool names its
 * peer-group; per peer-group at most one pool without sources (it takes the
 * remaining neighbors) and no source prefix in two pools.
 */
int vapp_nb_inst_pre_validate(struct nb_cb_pre_validate_args *args)
{
	const struct lyd_node *p1, *p2, *s1, *s2;

	LY_LIST_FOR (lyd_child(args->dnode), p1) {
		const char *pg1, *name1;
		bool src1;

		if (strcmp(p1->schema->name, "pool"))
			continue;
		name1 = yang_dnode_get_string(p1, "name");
		if (!yang_dnode_exists(p1, "peer-group")) {
			snprintf(args->errmsg, args->errmsg_len, "pool %s has no peer-group", name1);
			return NB_ERR_VALIDATION;
		}
		pg1 = yang_dnode_get_string(p1, "peer-group");
		src1 = yang_dnode_exists(p1, "source");
		for (p2 = p1->next; p2; p2 = p2->next) {
			const char *name2;

			if (strcmp(p2->schema->name, "pool") ||
			    !yang_dnode_exists(p2, "peer-group") ||
			    strcmp(pg1, yang_dnode_get_string(p2, "peer-group")))
				continue;
			name2 = yang_dnode_get_string(p2, "name");
			if (!src1 && !yang_dnode_exists(p2, "source")) {
				snprintf(args->errmsg, args->errmsg_len,
					 "pools %s and %s of peer-group %s both have no source; at most one pool per peer-group takes the remaining neighbors",
					 name1, name2, pg1);
				return NB_ERR_VALIDATION;
			}
			LY_LIST_FOR (lyd_child(p1), s1) {
				if (strcmp(s1->schema->name, "source"))
					continue;
				LY_LIST_FOR (lyd_child(p2), s2) {
					if (strcmp(s2->schema->name, "source") ||
					    strcmp(lyd_get_value(s1), lyd_get_value(s2)))
						continue;
					snprintf(args->errmsg, args->errmsg_len,
						 "source %s is in pools %s and %s of peer-group %s; a source belongs to one pool",
						 lyd_get_value(s1), name1, name2, pg1);
					return NB_ERR_VALIDATION;
				}
			}
		}
	}
	return NB_OK;
}

void vapp_nb_inst_apply_finish(struct nb_cb_apply_finish_args *args)
{
	/* after the commit, from the event loop: no sessions touched inside it */
	vapp_bgp_reevaluate_soon();
	vapp_bgp_ac_run_soon();
}

/* ---- .../instance/pool ------------------------------------------------------ */

int vapp_nb_pool_create(struct nb_cb_create_args *args)
{
	struct vapp_inst *inst;
	struct vapp_pool *pool;

	switch (args->event) {
	case NB_EV_VALIDATE:
		break;
	case NB_EV_PREPARE:
		pool = vapp_pool_new(yang_dnode_get_string(args->dnode, "name"));
		args->resource->ptr = pool;
		break;
	case NB_EV_ABORT:
		vapp_pool_free(args->resource->ptr);
		break;
	case NB_EV_APPLY:
		pool = args->resource->ptr;
		inst = nb_running_get_entry(args->dnode, NULL, true);
		/* the YANG key makes the name unique within the instance */
		if (vapp_pool_attach(inst, pool) != 0)
			assert(!"duplicate pool name reached APPLY");
		nb_running_set_entry(args->dnode, pool);
		break;
	}
	return NB_OK;
}

int vapp_nb_pool_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_pool *pool;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = nb_running_unset_entry(args->dnode);
	vapp_pool_del(pool);
	return NB_OK;
}

/* AS ranges of one pool must not overlap. */
int vapp_nb_pool_pre_validate(struct nb_cb_pre_validate_args *args)
{
	struct vapp_asnset set = {};
	const struct lyd_node *child;
	const char *err = NULL;

	LY_LIST_FOR (lyd_child(args->dnode), child) {
		struct vapp_asn_range r;

		if (strcmp(child->schema->name, "remote-as"))
			continue;
		err = vapp_asn_range_parse(lyd_get_value(child), &r);
		if (!err)
			err = vapp_asnset_add(&set, &r);
		if (err) {
			snprintf(args->errmsg, args->errmsg_len, "pool %s remote-as %s: %s",
				 yang_dnode_get_string(args->dnode, "name"), lyd_get_value(child),
				 err);
			break;
		}
	}
	vapp_asnset_fini(&set);
	return err ? NB_ERR_VALIDATION : NB_OK;
}

/* .../instance/pool/peer-group */
int vapp_nb_pool_peer_group_modify(struct nb_cb_modify_args *args)
{
	const char *pg = yang_dnode_get_string(args->dnode, NULL);

	switch (args->event) {
	case NB_EV_VALIDATE: {
		/*
		 * A pool's sessions, counters and quarantine belong to the
		 * peer-group it was created for; moving them silently to
		 * another group would re-admit every appliance under other
		 * rules. Rebinding therefore means deleting the pool first.
		 */
		char xpath[XPATH_MAXLEN];
		const struct lyd_node *old = NULL;

		yang_dnode_get_path(args->dnode, xpath, sizeof(xpath));
		if (running_config->dnode && yang_dnode_exists(running_config->dnode, xpath))
			old = yang_dnode_get(running_config->dnode, xpath);
		if (old && strcmp(yang_dnode_get_string(old, NULL), pg) != 0) {
			snprintf(args->errmsg, args->errmsg_len,
				 "pool %s is already bound to peer-group %s; remove the pool first to bind it to %s",
				 yang_dnode_get_string(args->dnode, "../name"),
				 yang_dnode_get_string(old, NULL), pg);
			return NB_ERR_VALIDATION;
		}
		break;
	}
	case NB_EV_PREPARE:
	case NB_EV_ABORT:
		break;
	case NB_EV_APPLY:
		vapp_pool_set_peer_group(vapp_nb_pool(args->dnode), pg);
		break;
	}
	return NB_OK;
}

/* ---- prefixes (source, deny-source) ------------------------------------------ */

static int vapp_nb_prefix_validate(const struct lyd_node *dnode, char *errmsg, size_t len)
{
	struct prefix p, m;

	yang_dnode_get_prefix(&p, dnode, NULL);
	prefix_copy(&m, &p);
	apply_mask(&m);
	if (!prefix_same(&p, &m)) {
		snprintfrr(errmsg, len, "%s %pFX has host bits set; did you mean %pFX?",
			   dnode->schema->name, &p, &m);
		return NB_ERR_VALIDATION;
	}
	return NB_OK;
}

/* the pool's source or deny-source set, by the leaf-list's name */
static struct vapp_pfxset *vapp_nb_pfxset(const struct lyd_node *dnode)
{
	struct vapp_pool *pool = vapp_nb_pool(dnode);

	return strcmp(dnode->schema->name, "source") ? &pool->deny : &pool->sources;
}

static int vapp_nb_prefix_create(struct nb_cb_create_args *args)
{
	struct prefix p;

	if (args->event == NB_EV_VALIDATE)
		return vapp_nb_prefix_validate(args->dnode, args->errmsg, args->errmsg_len);
	if (args->event != NB_EV_APPLY)
		return NB_OK;
	yang_dnode_get_prefix(&p, args->dnode, NULL);
	vapp_pfxset_add(vapp_nb_pfxset(args->dnode), &p);
	return NB_OK;
}

static int vapp_nb_prefix_destroy(struct nb_cb_destroy_args *args)
{
	struct prefix p;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	yang_dnode_get_prefix(&p, args->dnode, NULL);
	vapp_pfxset_del(vapp_nb_pfxset(args->dnode), &p);
	return NB_OK;
}

int vapp_nb_pool_source_create(struct nb_cb_create_args *args)
{
	return vapp_nb_prefix_create(args);
}

int vapp_nb_pool_source_destroy(struct nb_cb_destroy_args *args)
{
	return vapp_nb_prefix_destroy(args);
}

int vapp_nb_pool_deny_source_create(struct nb_cb_create_args *args)
{
	return vapp_nb_prefix_create(args);
}

int vapp_nb_pool_deny_source_destroy(struct nb_cb_destroy_args *args)
{
	return vapp_nb_prefix_destroy(args);
}

/* ---- remote-as --------------------------------------------------------------- */

int vapp_nb_pool_remote_as_create(struct nb_cb_create_args *args)
{
	struct vapp_asn_range r;
	const char *err = vapp_asn_range_parse(yang_dnode_get_string(args->dnode, NULL), &r);

	switch (args->event) {
	case NB_EV_VALIDATE:
		if (err) {
			snprintf(args->errmsg, args->errmsg_len, "remote-as %s: %s",
				 yang_dnode_get_string(args->dnode, NULL), err);
			return NB_ERR_VALIDATION;
		}
		break;
	case NB_EV_PREPARE:
	case NB_EV_ABORT:
		break;
	case NB_EV_APPLY:
		/* pre_validate refused overlaps; the add cannot fail here */
		vapp_asnset_add(&vapp_nb_pool(args->dnode)->asns, &r);
		break;
	}
	return NB_OK;
}

int vapp_nb_pool_remote_as_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_asn_range r;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	if (!vapp_asn_range_parse(yang_dnode_get_string(args->dnode, NULL), &r))
		vapp_asnset_del(&vapp_nb_pool(args->dnode)->asns, &r);
	return NB_OK;
}

/* ---- scalars ------------------------------------------------------------------ */

int vapp_nb_pool_max_sessions_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_nb_pool(args->dnode)->max_sessions = yang_dnode_get_uint16(args->dnode, NULL);
	return NB_OK;
}

int vapp_nb_pool_max_sessions_destroy(struct nb_cb_destroy_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_nb_pool(args->dnode)->max_sessions = 0;
	return NB_OK;
}

/* one callback for the four leaves of .../pool/quarantine */
int vapp_nb_pool_quarantine_modify(struct nb_cb_modify_args *args)
{
	const struct lyd_node *q;
	struct vapp_pool *pool;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = vapp_nb_pool(args->dnode);
	q = lyd_parent(args->dnode);
	pool->quarantine.enabled = yang_dnode_get_bool(q, "enabled");
	pool->quarantine.failures = yang_dnode_get_uint16(q, "failures");
	pool->quarantine.within = yang_dnode_get_uint32(q, "within");
	pool->quarantine.hold = yang_dnode_get_uint32(q, "hold");
	return NB_OK;
}

int vapp_nb_pool_require_password_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_nb_pool(args->dnode)->require_password = yang_dnode_get_bool(args->dnode, NULL);
	return NB_OK;
}

int vapp_nb_pool_mobility_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_nb_pool(args->dnode)->mobility = yang_dnode_get_enum(args->dnode, NULL);
	return NB_OK;
}

/* ---- prefix policy ------------------------------------------------------------- */

/*
 * .../pool/prefix: an entry and its ge/le leaves form one range. Checked as
 * a whole in pre_validate; applied as a whole in apply_finish, which sees
 * the entry as committed even when only a bound was added or removed.
 */
static int vapp_nb_range_of(const struct lyd_node *entry, struct prefix *p, struct vapp_range *r,
			    char *errmsg, size_t len)
{
	bool has_ge = yang_dnode_exists(entry, "ge"), has_le = yang_dnode_exists(entry, "le");
	uint8_t ge = has_ge ? yang_dnode_get_uint8(entry, "ge") : 0;
	uint8_t le = has_le ? yang_dnode_get_uint8(entry, "le") : 0;
	const char *err;
	struct prefix m;

	yang_dnode_get_prefix(p, entry, "prefix");
	prefix_copy(&m, p);
	apply_mask(&m);
	if (!prefix_same(p, &m)) {
		snprintfrr(errmsg, len, "prefix %pFX has host bits set; did you mean %pFX?", p, &m);
		return NB_ERR_VALIDATION;
	}
	/*
	 * The core reads 0 as "not given"; an explicit 0 is a real bound: below
	 * the prefix length it is an error, and on a /0 "ge 0" means every
	 * length (0..max), "le 0" the default route only.
	 */
	if ((has_ge && ge < p->prefixlen) || (has_le && le < p->prefixlen)) {
		snprintfrr(errmsg, len, "prefix %pFX: %s must not be below the prefix length", p,
			   has_ge && ge < p->prefixlen ? "ge" : "le");
		return NB_ERR_VALIDATION;
	}
	/* the core cannot see "ge N le 0" (le 0 reads as not given) */
	if (has_ge && has_le && ge > le) {
		snprintfrr(errmsg, len, "prefix %pFX: ge must not exceed le", p);
		return NB_ERR_VALIDATION;
	}
	if (has_ge && ge == 0 && !has_le)
		le = prefix_blen(p) * 8;
	err = vapp_range_bounds(p, ge, le, r);
	if (err) {
		snprintfrr(errmsg, len, "prefix %pFX: %s", p, err);
		return NB_ERR_VALIDATION;
	}
	return NB_OK;
}

int vapp_nb_pool_prefix_pre_validate(struct nb_cb_pre_validate_args *args)
{
	struct vapp_range r;
	struct prefix p;

	return vapp_nb_range_of(args->dnode, &p, &r, args->errmsg, args->errmsg_len);
}

int vapp_nb_pool_prefix_create(struct nb_cb_create_args *args)
{
	return NB_OK; /* apply_finish sets the range */
}

void vapp_nb_pool_prefix_apply_finish(struct nb_cb_apply_finish_args *args)
{
	struct vapp_pool *pool = vapp_nb_pool(args->dnode);
	struct vapp_range r;
	struct prefix p;
	char err[256];

	if (vapp_nb_range_of(args->dnode, &p, &r, err, sizeof(err)) != NB_OK)
		return; /* pre_validate refused it already */
	vapp_rangeset_set(&pool->ranges, &p, &r);
	pool->policy_gen++;
}

int vapp_nb_pool_prefix_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_pool *pool;
	struct prefix p;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = vapp_nb_pool(args->dnode);
	yang_dnode_get_prefix(&p, args->dnode, "prefix");
	vapp_rangeset_del(&pool->ranges, &p);
	pool->policy_gen++;
	return NB_OK;
}

/* ge/le changes are applied by the entry's apply_finish */
int vapp_nb_pool_prefix_bound_modify(struct nb_cb_modify_args *args)
{
	return NB_OK;
}

int vapp_nb_pool_prefix_bound_destroy(struct nb_cb_destroy_args *args)
{
	return NB_OK;
}

int vapp_nb_pool_next_hop_modify(struct nb_cb_modify_args *args)
{
	struct vapp_pool *pool;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = vapp_nb_pool(args->dnode);
	pool->nh_mode = yang_dnode_get_enum(args->dnode, NULL);
	pool->policy_gen++;
	return NB_OK;
}

int vapp_nb_pool_max_prefixes_modify(struct nb_cb_modify_args *args)
{
	struct vapp_pool *pool;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = vapp_nb_pool(args->dnode);
	pool->max_prefixes = yang_dnode_get_uint32(args->dnode, NULL);
	pool->policy_gen++;
	return NB_OK;
}

int vapp_nb_pool_max_prefixes_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_pool *pool;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = vapp_nb_pool(args->dnode);
	pool->max_prefixes = 0;
	pool->policy_gen++;
	return NB_OK;
}

int vapp_nb_pool_max_prefixes_action_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_nb_pool(args->dnode)->limit_action = yang_dnode_get_enum(args->dnode, NULL);
	return NB_OK;
}

/* a new threshold is looked at for the pool's appliances at once */
int vapp_nb_pool_max_prefixes_warning_modify(struct nb_cb_modify_args *args)
{
	struct vapp_pool *pool;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = vapp_nb_pool(args->dnode);
	pool->limit_warn_pct = yang_dnode_get_uint8(args->dnode, NULL);
	vapp_bgp_pool_warnings(pool);
	return NB_OK;
}

int vapp_nb_pool_max_prefixes_warning_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_pool *pool;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = vapp_nb_pool(args->dnode);
	pool->limit_warn_pct = 0;
	vapp_bgp_pool_warnings(pool);
	return NB_OK;
}

/* ---- .../instance/metrics ------------------------------------------------------- */

static const char *vapp_nb_metrics_vrf(const struct lyd_node *dnode)
{
	return yang_dnode_get_string(dnode, "../../vrf");
}

int vapp_nb_metrics_textfile_modify(struct nb_cb_modify_args *args)
{
	const char *path = yang_dnode_get_string(args->dnode, NULL);
	const char *vrf = vapp_nb_metrics_vrf(args->dnode);
	const char *why, *other;

	switch (args->event) {
	case NB_EV_VALIDATE:
		why = vapp_metrics_path_invalid(path);
		if (why) {
			snprintf(args->errmsg, args->errmsg_len, "metrics textfile %s: %s", path,
				 why);
			return NB_ERR_VALIDATION;
		}
		other = vapp_metrics_path_taken(vrf, path);
		if (other) {
			snprintf(args->errmsg, args->errmsg_len,
				 "metrics textfile %s is written by vrf %s already", path, other);
			return NB_ERR_VALIDATION;
		}
		return NB_OK;
	case NB_EV_APPLY:
		vapp_metrics_set(vrf, path, yang_dnode_get_uint16(args->dnode, "../interval"));
		return NB_OK;
	case NB_EV_PREPARE:
	case NB_EV_ABORT:
		return NB_OK;
	}
	return NB_OK;
}

int vapp_nb_metrics_textfile_destroy(struct nb_cb_destroy_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_metrics_unset(vapp_nb_metrics_vrf(args->dnode));
	return NB_OK;
}

int vapp_nb_metrics_interval_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY && yang_dnode_exists(args->dnode, "../textfile"))
		vapp_metrics_set(vapp_nb_metrics_vrf(args->dnode),
				 yang_dnode_get_string(args->dnode, "../textfile"),
				 yang_dnode_get_uint16(args->dnode, NULL));
	return NB_OK;
}

/* ---- anycast ------------------------------------------------------------------- */

static struct vapp_anycast *vapp_nb_anycast(const struct lyd_node *dnode)
{
	return nb_running_get_entry(dnode, NULL, true);
}

/* the routes of every pool are evaluated again: reserved prefixes changed */
static void vapp_nb_reserved_changed(struct vapp_inst *inst)
{
	struct vapp_pool *pool;

	for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool))
		pool->policy_gen++;
}

int vapp_nb_anycast_create(struct nb_cb_create_args *args)
{
	struct vapp_inst *inst;
	struct vapp_anycast *ac;
	struct prefix p;

	yang_dnode_get_prefix(&p, args->dnode, "prefix");
	switch (args->event) {
	case NB_EV_VALIDATE:
		if (p.prefixlen != prefix_blen(&p) * 8) {
			snprintfrr(args->errmsg, args->errmsg_len,
				   "anycast %pFX: an anycast address is an IPv4 /32 or an IPv6 /128",
				   &p);
			return NB_ERR_VALIDATION;
		}
		/*
		 * The module installs on an interface of bgpd's own namespace
		 * and judges ownership by address; in another VRF (an l3mdev
		 * of its own) both would be wrong, so it refuses.
		 */
		if (strcmp(yang_dnode_get_string(args->dnode, "../vrf"), VAPP_VRF_DEFAULT)) {
			snprintfrr(args->errmsg, args->errmsg_len,
				   "anycast %pFX: anycast addresses are supported in the default VRF only",
				   &p);
			return NB_ERR_VALIDATION;
		}
		if (vapp_bgp_ac_foreign(&p)) {
			snprintfrr(args->errmsg, args->errmsg_len,
				   "anycast %pFX: the address is already configured in the kernel and was not added by vappliance; remove it first",
				   &p);
			return NB_ERR_VALIDATION;
		}
		break;
	case NB_EV_PREPARE:
	case NB_EV_ABORT:
		break;
	case NB_EV_APPLY:
		inst = nb_running_get_entry(args->dnode, NULL, true);
		ac = vapp_anycast_get(inst, &p);
		nb_running_set_entry(args->dnode, ac);
		vapp_nb_reserved_changed(inst);
		break;
	}
	return NB_OK;
}

int vapp_nb_anycast_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_anycast *ac;
	struct vapp_inst *inst;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	ac = nb_running_unset_entry(args->dnode);
	inst = ac->inst;
	vapp_bgp_ac_unconfigure(ac);
	vapp_anycast_del(ac);
	vapp_nb_reserved_changed(inst);
	return NB_OK;
}

int vapp_nb_anycast_interface_modify(struct nb_cb_modify_args *args)
{
	struct vapp_anycast *ac;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	ac = vapp_nb_anycast(args->dnode);
	if (strcmp(ac->ifname, yang_dnode_get_string(args->dnode, NULL))) {
		/* off the old interface; the next run installs it on the new one */
		vapp_bgp_ac_unconfigure(ac);
		strlcpy(ac->ifname, yang_dnode_get_string(args->dnode, NULL), sizeof(ac->ifname));
	}
	return NB_OK;
}

int vapp_nb_anycast_track_create(struct nb_cb_create_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_anycast_track(vapp_nb_anycast(args->dnode),
				   yang_dnode_get_string(args->dnode, "peer-group"),
				   yang_dnode_get_uint16(args->dnode, "min-established"));
	return NB_OK;
}

int vapp_nb_anycast_track_destroy(struct nb_cb_destroy_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_anycast_track(vapp_nb_anycast(args->dnode),
				   yang_dnode_get_string(args->dnode, "peer-group"), 0);
	return NB_OK;
}

int vapp_nb_anycast_track_min_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_anycast_track(vapp_nb_anycast(args->dnode),
				   yang_dnode_get_string(args->dnode, "../peer-group"),
				   yang_dnode_get_uint16(args->dnode, NULL));
	return NB_OK;
}

int vapp_nb_anycast_restore_delay_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_nb_anycast(args->dnode)->restore_delay = yang_dnode_get_uint16(args->dnode,
										    NULL);
	return NB_OK;
}

int vapp_nb_anycast_lease_modify(struct nb_cb_modify_args *args)
{
	struct vapp_anycast *ac;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	ac = vapp_nb_anycast(args->dnode);
	ac->lease = yang_dnode_get_uint16(args->dnode, NULL);
	ac->renew_at = 0; /* renew at once with the new lifetime */
	return NB_OK;
}

int vapp_nb_anycast_shutdown_create(struct nb_cb_create_args *args)
{
	struct vapp_anycast *ac;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	ac = vapp_nb_anycast(args->dnode);
	ac->shutdown = true;
	ac->grace = yang_dnode_get_uint16(args->dnode, "grace");
	vapp_anycast_set_message(ac, yang_dnode_exists(args->dnode, "message")
					     ? yang_dnode_get_string(args->dnode, "message")
					     : NULL);
	return NB_OK;
}

int vapp_nb_anycast_shutdown_destroy(struct nb_cb_destroy_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_nb_anycast(args->dnode)->shutdown = false;
	return NB_OK;
}

int vapp_nb_anycast_grace_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_nb_anycast(args->dnode)->grace = yang_dnode_get_uint16(args->dnode, NULL);
	return NB_OK;
}

int vapp_nb_anycast_message_modify(struct nb_cb_modify_args *args)
{
	const char *msg = yang_dnode_get_string(args->dnode, NULL);

	switch (args->event) {
	case NB_EV_VALIDATE:
		if (strlen(msg) > 255) {
			snprintf(args->errmsg, args->errmsg_len,
				 "a shutdown message is at most 255 octets (RFC 9003)");
			return NB_ERR_VALIDATION;
		}
		break;
	case NB_EV_PREPARE:
	case NB_EV_ABORT:
		break;
	case NB_EV_APPLY:
		vapp_anycast_set_message(vapp_nb_anycast(args->dnode), msg);
		break;
	}
	return NB_OK;
}

int vapp_nb_anycast_message_destroy(struct nb_cb_destroy_args *args)
{
	if (args->event == NB_EV_APPLY)
		vapp_anycast_set_message(vapp_nb_anycast(args->dnode), NULL);
	return NB_OK;
}
