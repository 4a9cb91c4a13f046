// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance northbound: module table and loader.
 *
 * bgpd builds its northbound once, in nb_init(), from the static module list
 * of bgp_main.c; a loadable module has no supported way into that list
 * (FRR 10.3). So the module loads its standalone YANG module into bgpd's
 * libyang context at frr_late_init and attaches northbound nodes to the new
 * schema nodes itself, the way nb_init() does for built-in modules.
 */
#include <zebra.h>

#include "northbound.h"
#include "northbound_cli.h"
#include "yang.h"

#include "vappliance.h"
#include "vapp_errors.h"
#include "vapp_nb.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_NB_NODE, "vappliance northbound node");

/* clang-format off */
#define VAPP_XP_APP VAPP_XP_INST "/appliance"
#define VAPP_XP_ALOG VAPP_XP_INST "/admission-log"
const struct frr_yang_module_info frr_bgp_vappliance_info = {
	.name = VAPP_YANG_MODULE,
	.nodes = {
		{
			.xpath = VAPP_XP_INST,
			.cbs = {
				.create = vapp_nb_inst_create,
				.destroy = vapp_nb_inst_destroy,
				.pre_validate = vapp_nb_inst_pre_validate,
				.apply_finish = vapp_nb_inst_apply_finish,
				.get_next = vapp_nb_inst_get_next,
				.get_keys = vapp_nb_inst_get_keys,
				.lookup_entry = vapp_nb_inst_lookup_entry,
			},
		},
		{
			.xpath = VAPP_XP_POOL,
			.cbs = {
				.create = vapp_nb_pool_create,
				.destroy = vapp_nb_pool_destroy,
				.pre_validate = vapp_nb_pool_pre_validate,
				.get_next = vapp_nb_pool_get_next,
				.get_keys = vapp_nb_pool_get_keys,
				.lookup_entry = vapp_nb_pool_lookup_entry,
				.cli_show = vapp_cli_show_pool,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/peer-group",
			.cbs = {
				.modify = vapp_nb_pool_peer_group_modify,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/source",
			.cbs = {
				.create = vapp_nb_pool_source_create,
				.destroy = vapp_nb_pool_source_destroy,
				.cli_show = vapp_cli_show_source,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/remote-as",
			.cbs = {
				.create = vapp_nb_pool_remote_as_create,
				.destroy = vapp_nb_pool_remote_as_destroy,
				.cli_show = vapp_cli_show_remote_as,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/max-sessions",
			.cbs = {
				.modify = vapp_nb_pool_max_sessions_modify,
				.destroy = vapp_nb_pool_max_sessions_destroy,
				.cli_show = vapp_cli_show_max_sessions,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/deny-source",
			.cbs = {
				.create = vapp_nb_pool_deny_source_create,
				.destroy = vapp_nb_pool_deny_source_destroy,
				.cli_show = vapp_cli_show_deny_source,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/quarantine",
			.cbs = {
				.cli_show = vapp_cli_show_quarantine,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/quarantine/enabled",
			.cbs = {
				.modify = vapp_nb_pool_quarantine_modify,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/quarantine/failures",
			.cbs = {
				.modify = vapp_nb_pool_quarantine_modify,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/quarantine/within",
			.cbs = {
				.modify = vapp_nb_pool_quarantine_modify,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/quarantine/hold",
			.cbs = {
				.modify = vapp_nb_pool_quarantine_modify,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/require-password",
			.cbs = {
				.modify = vapp_nb_pool_require_password_modify,
				.cli_show = vapp_cli_show_require_password,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/mobility",
			.cbs = {
				.modify = vapp_nb_pool_mobility_modify,
				.cli_show = vapp_cli_show_mobility,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/prefix",
			.cbs = {
				.create = vapp_nb_pool_prefix_create,
				.destroy = vapp_nb_pool_prefix_destroy,
				.pre_validate = vapp_nb_pool_prefix_pre_validate,
				.apply_finish = vapp_nb_pool_prefix_apply_finish,
				.cli_show = vapp_cli_show_prefix,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/prefix/ge",
			.cbs = {
				.modify = vapp_nb_pool_prefix_bound_modify,
				.destroy = vapp_nb_pool_prefix_bound_destroy,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/prefix/le",
			.cbs = {
				.modify = vapp_nb_pool_prefix_bound_modify,
				.destroy = vapp_nb_pool_prefix_bound_destroy,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/next-hop",
			.cbs = {
				.modify = vapp_nb_pool_next_hop_modify,
				.cli_show = vapp_cli_show_next_hop,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/max-prefixes",
			.cbs = {
				.modify = vapp_nb_pool_max_prefixes_modify,
				.destroy = vapp_nb_pool_max_prefixes_destroy,
				.cli_show = vapp_cli_show_max_prefixes,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/max-prefixes-action",
			.cbs = {
				.modify = vapp_nb_pool_max_prefixes_action_modify,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/max-prefixes-warning",
			.cbs = {
				.modify = vapp_nb_pool_max_prefixes_warning_modify,
				.destroy = vapp_nb_pool_max_prefixes_warning_destroy,
			},
		},
		{
			.xpath = VAPP_XP_INST "/metrics/textfile",
			.cbs = {
				.modify = vapp_nb_metrics_textfile_modify,
				.destroy = vapp_nb_metrics_textfile_destroy,
				.cli_show = vapp_cli_show_metrics_textfile,
			},
		},
		{
			.xpath = VAPP_XP_INST "/metrics/interval",
			.cbs = {
				.modify = vapp_nb_metrics_interval_modify,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/state/address-family",
			.cbs = {
				.get_next = vapp_nb_pool_af_get_next,
				.get_keys = vapp_nb_pool_af_get_keys,
				.lookup_entry = vapp_nb_pool_af_lookup_entry,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/state/address-family/route-map",
			.cbs = { .get_elem = vapp_nb_pool_af_get_elem },
		},
		{
			.xpath = VAPP_XP_POOL "/state/address-family/enforced",
			.cbs = { .get_elem = vapp_nb_pool_af_get_elem },
		},
		{
			.xpath = VAPP_XP_POOL "/state/address-family/problem",
			.cbs = { .get_elem = vapp_nb_pool_af_get_elem },
		},
		{
			.xpath = VAPP_XP_POOL "/state/peer-group-exists",
			.cbs = {
				.get_elem = vapp_nb_pool_state_pg_exists_get_elem,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/state/password-set",
			.cbs = {
				.get_elem = vapp_nb_pool_state_password_set_get_elem,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/state/sessions",
			.cbs = {
				.get_elem = vapp_nb_pool_state_sessions_get_elem,
			},
		},
		{
			.xpath = VAPP_XP_POOL "/state/sessions-held",
			.cbs = { .get_elem = vapp_nb_pool_state_held_get_elem },
		},
		{
			.xpath = VAPP_XP_POOL "/state/admitted",
			.cbs = {
				.get_elem = vapp_nb_pool_state_admitted_get_elem,
			},
		},
#define VAPP_NB_REJECTED(leaf)                                                  \
		{                                                               \
			.xpath = VAPP_XP_POOL "/state/rejected/" leaf,          \
			.cbs = {                                                \
				.get_elem = vapp_nb_pool_state_rejected_get_elem,\
			},                                                      \
		}
		VAPP_NB_REJECTED("remote-as"),
		VAPP_NB_REJECTED("router-id"),
		VAPP_NB_REJECTED("pool-full"),
		VAPP_NB_REJECTED("denied-source"),
		VAPP_NB_REJECTED("quarantined"),
		VAPP_NB_REJECTED("no-password"),
		VAPP_NB_REJECTED("policy-not-enforced"),
		VAPP_NB_REJECTED("no-pool"),
		VAPP_NB_REJECTED("open-mismatch"),
		VAPP_NB_REJECTED("already-peered"),
		VAPP_NB_REJECTED("moved"),
		{
			.xpath = VAPP_XP_ANYCAST,
			.cbs = {
				.create = vapp_nb_anycast_create,
				.destroy = vapp_nb_anycast_destroy,
				.get_next = vapp_nb_anycast_get_next,
				.get_keys = vapp_nb_anycast_get_keys,
				.lookup_entry = vapp_nb_anycast_lookup_entry,
				.cli_show = vapp_cli_show_anycast,
			},
		},
		{
			.xpath = VAPP_XP_ANYCAST "/interface",
			.cbs = { .modify = vapp_nb_anycast_interface_modify },
		},
		{
			.xpath = VAPP_XP_ANYCAST "/track",
			.cbs = {
				.create = vapp_nb_anycast_track_create,
				.destroy = vapp_nb_anycast_track_destroy,
				.cli_show = vapp_cli_show_anycast_track,
			},
		},
		{
			.xpath = VAPP_XP_ANYCAST "/track/min-established",
			.cbs = { .modify = vapp_nb_anycast_track_min_modify },
		},
		{
			.xpath = VAPP_XP_ANYCAST "/restore-delay",
			.cbs = {
				.modify = vapp_nb_anycast_restore_delay_modify,
				.cli_show = vapp_cli_show_anycast_restore_delay,
			},
		},
		{
			.xpath = VAPP_XP_ANYCAST "/lease",
			.cbs = {
				.modify = vapp_nb_anycast_lease_modify,
				.cli_show = vapp_cli_show_anycast_lease,
			},
		},
		{
			.xpath = VAPP_XP_ANYCAST "/shutdown",
			.cbs = {
				.create = vapp_nb_anycast_shutdown_create,
				.destroy = vapp_nb_anycast_shutdown_destroy,
				.cli_show = vapp_cli_show_anycast_shutdown,
			},
		},
		{
			.xpath = VAPP_XP_ANYCAST "/shutdown/grace",
			.cbs = { .modify = vapp_nb_anycast_grace_modify },
		},
		{
			.xpath = VAPP_XP_ANYCAST "/shutdown/message",
			.cbs = {
				.modify = vapp_nb_anycast_message_modify,
				.destroy = vapp_nb_anycast_message_destroy,
			},
		},
#define VAPP_NB_AC(leaf)                                                        \
		{                                                               \
			.xpath = VAPP_XP_ANYCAST "/state/" leaf,                \
			.cbs = { .get_elem = vapp_nb_anycast_state_get_elem },  \
		}
		VAPP_NB_AC("state"),
		VAPP_NB_AC("reason"),
		VAPP_NB_AC("since"),
		VAPP_NB_AC("transitions"),
		VAPP_NB_AC("installed"),
		VAPP_NB_AC("lease-remaining"),
		VAPP_NB_AC("removal-pending"),
		VAPP_NB_AC("removal-failures"),
		VAPP_NB_AC("installs"),
		VAPP_NB_AC("renewals"),
		VAPP_NB_AC("install-failures"),
		VAPP_NB_AC("removals"),
		{
			.xpath = VAPP_XP_APP,
			.cbs = {
				.get_next = vapp_nb_app_get_next,
				.get_keys = vapp_nb_app_get_keys,
				.lookup_entry = vapp_nb_app_lookup_entry,
			},
		},
#define VAPP_NB_APP(leaf)                                                       \
		{                                                               \
			.xpath = VAPP_XP_APP "/" leaf,                          \
			.cbs = {                                                \
				.get_elem = vapp_nb_app_get_elem,               \
			},                                                      \
		}
		VAPP_NB_APP("pool"),
		VAPP_NB_APP("state"),
		VAPP_NB_APP("established"),
		VAPP_NB_APP("reason"),
		VAPP_NB_APP("remote-as"),
		VAPP_NB_APP("router-id"),
		VAPP_NB_APP("since"),
		VAPP_NB_APP("quarantined-until"),
		VAPP_NB_APP("second-sessions-refused"),
		VAPP_NB_APP("moving-from"),
#define VAPP_NB_APP_PFX(leaf)                                                   \
		{                                                               \
			.xpath = VAPP_XP_APP "/prefixes/" leaf,                 \
			.cbs = {                                                \
				.get_elem = vapp_nb_app_prefixes_get_elem,      \
			},                                                      \
		}
		VAPP_NB_APP_PFX("accepted"),
		VAPP_NB_APP_PFX("outside-range"),
		VAPP_NB_APP_PFX("prefix-length"),
		VAPP_NB_APP_PFX("next-hop"),
		VAPP_NB_APP_PFX("over-limit"),
		VAPP_NB_APP_PFX("not-admitted"),
		VAPP_NB_APP_PFX("reserved"),
		VAPP_NB_APP_PFX("unkept"),
		{
			.xpath = VAPP_XP_ALOG,
			.cbs = {
				.get_next = vapp_nb_alog_get_next,
				.get_keys = vapp_nb_alog_get_keys,
				.lookup_entry = vapp_nb_alog_lookup_entry,
			},
		},
#define VAPP_NB_ALOG(leaf)                                                      \
		{                                                               \
			.xpath = VAPP_XP_ALOG "/" leaf,                         \
			.cbs = {                                                \
				.get_elem = vapp_nb_alog_get_elem,              \
			},                                                      \
		}
		VAPP_NB_ALOG("time"),
		VAPP_NB_ALOG("source"),
		VAPP_NB_ALOG("pool"),
		VAPP_NB_ALOG("verdict"),
		VAPP_NB_ALOG("reason"),
		VAPP_NB_ALOG("remote-as"),
		VAPP_NB_ALOG("suppressed"),
		{
			.xpath = NULL,
		},
	}
};
/* clang-format on */

static const struct lys_module *vapp_ly_module;

static int vapp_snode_has_state(const struct lysc_node *snode, void *arg)
{
	bool *has_state = arg;

	if (CHECK_FLAG(snode->flags, LYS_CONFIG_R)) {
		*has_state = true;
		return YANG_ITER_STOP;
	}
	return YANG_ITER_CONTINUE;
}

/*
 * Mirrors lib/northbound.c nb_node_new_cb() (static in 10.3): one nb_node
 * per schema node, linked through snode->priv, parents set before children
 * because the iteration is depth-first.
 */
static int vapp_nb_node_attach(const struct lysc_node *snode, void *arg)
{
	const struct lysc_node *up;
	struct nb_node *nn;

	if (snode->priv)
		return YANG_ITER_CONTINUE;

	nn = XCALLOC(MTYPE_VAPP_NB_NODE, sizeof(*nn));
	nn->snode = snode;
	nn->priority = NB_DFLT_PRIORITY;
	yang_snode_get_path(snode, YANG_PATH_DATA, nn->xpath, sizeof(nn->xpath));
	up = yang_snode_real_parent(snode);
	if (up)
		nn->parent = up->priv;
	up = yang_snode_parent_list(snode);
	if (up)
		nn->parent_list = up->priv;

	if (CHECK_FLAG(snode->nodetype, LYS_CONTAINER | LYS_LIST)) {
		bool has_state = false;

		yang_snodes_iterate_subtree(snode, NULL, vapp_snode_has_state, 0, &has_state);
		if (!has_state)
			SET_FLAG(nn->flags, F_NB_NODE_CONFIG_ONLY);
	}
	if (CHECK_FLAG(snode->nodetype, LYS_LIST) && yang_snode_num_keys(snode) == 0)
		SET_FLAG(nn->flags, F_NB_NODE_KEYLESS_LIST);

	((struct lysc_node *)snode)->priv = nn;
	return YANG_ITER_CONTINUE;
}

static int vapp_nb_node_detach(const struct lysc_node *snode, void *arg)
{
	struct nb_node *nn = snode->priv;

	if (nn) {
		((struct lysc_node *)snode)->priv = NULL;
		XFREE(MTYPE_VAPP_NB_NODE, nn);
	}
	return YANG_ITER_CONTINUE;
}

static void vapp_nb_add_implicit(struct nb_config *config)
{
	if (!config)
		return;
	if (lyd_new_implicit_all(&config->dnode, ly_native_ctx, LYD_IMPLICIT_NO_STATE, NULL) !=
	    LY_SUCCESS)
		flog_err(EC_VAPP_NB_CONFIG,
			 "vappliance: cannot add the implicit nodes of %s to a configuration",
			 VAPP_YANG_MODULE);
	config->dnode = lyd_first_sibling(config->dnode);
}

int vapp_nb_load(void)
{
	const struct frr_yang_module_info *info = &frr_bgp_vappliance_info;
	struct yang_module *ymod;

	/*
	 * yang_module_load() exits bgpd if the module does not compile; it is
	 * embedded at build time and checked by yanglint in `make check`.
	 */
	ymod = yang_module_load(VAPP_YANG_MODULE, NULL);
	vapp_ly_module = ymod->info;
	yang_snodes_iterate(vapp_ly_module, vapp_nb_node_attach, 0, NULL);

	/*
	 * nb_init() built the running and shared candidate configurations
	 * (yang_dnode_new() -> lyd_validate_all()) with the implicit nodes of
	 * every module present then; ours came later. Without its top-level
	 * container already in the trees, libyang inserts it ahead of the
	 * node that config->dnode points at, and nb_config_diff() (which
	 * walks the siblings from config->dnode) never sees our changes.
	 */
	vapp_nb_add_implicit(running_config);
	vapp_nb_add_implicit(vty_shared_candidate_config);

	/* Mirrors nb_load_callbacks() (static in lib/northbound.c). */
	for (size_t i = 0; info->nodes[i].xpath; i++) {
		struct nb_node *nn = nb_node_find(info->nodes[i].xpath);

		if (!nn) {
			flog_err(EC_VAPP_NB_CONFIG, "vappliance: YANG node %s not found in %s",
				 info->nodes[i].xpath, VAPP_YANG_MODULE);
			return -1;
		}
		nn->cbs = info->nodes[i].cbs;
		if (info->nodes[i].priority)
			nn->priority = info->nodes[i].priority;
	}
	return 0;
}

void vapp_nb_unload(void)
{
	/*
	 * nb_terminate() frees every snode->priv as MTYPE_NB_NODE; ours are
	 * MTYPE_VAPP_NB_NODE, so take them back first (frr_fini runs earlier).
	 */
	vapp_nb_state_fini();
	if (vapp_ly_module)
		yang_snodes_iterate(vapp_ly_module, vapp_nb_node_detach, 0, NULL);
	vapp_ly_module = NULL;
}

void vapp_nb_notify_rejected(const char *vrf, const struct vapp_alog_entry *e)
{
	const char *xpath = "/frr-bgp-vappliance:appliance-rejected";
	struct list *args = yang_data_list_new();
	char buf[XPATH_MAXLEN];

	snprintf(buf, sizeof(buf), "%s/vrf", xpath);
	listnode_add(args, yang_data_new_string(buf, vrf));
	snprintf(buf, sizeof(buf), "%s/source", xpath);
	listnode_add(args, yang_data_new_ip(buf, &e->addr));
	if (e->pool[0]) {
		snprintf(buf, sizeof(buf), "%s/pool", xpath);
		listnode_add(args, yang_data_new_string(buf, e->pool));
	}
	snprintf(buf, sizeof(buf), "%s/verdict", xpath);
	listnode_add(args, yang_data_new_string(buf, vapp_verdict_name(e->verdict)));
	snprintf(buf, sizeof(buf), "%s/reason", xpath);
	listnode_add(args, yang_data_new_string(buf, vapp_reason_name(e->reason)));
	if (e->asn) {
		snprintf(buf, sizeof(buf), "%s/remote-as", xpath);
		listnode_add(args, yang_data_new_uint32(buf, e->asn));
	}
	/* takes and frees the argument list */
	nb_notification_send(xpath, args);
}

void vapp_nb_notify_anycast(const struct vapp_anycast *ac)
{
	const char *xpath = "/frr-bgp-vappliance:anycast-state-change";
	struct list *args = yang_data_list_new();
	char buf[XPATH_MAXLEN];

	snprintf(buf, sizeof(buf), "%s/vrf", xpath);
	listnode_add(args, yang_data_new_string(buf, ac->inst->vrf));
	snprintf(buf, sizeof(buf), "%s/prefix", xpath);
	listnode_add(args, yang_data_new_prefix(buf, &ac->prefix));
	snprintf(buf, sizeof(buf), "%s/state", xpath);
	listnode_add(args, yang_data_new_string(buf, vapp_ac_state_name(ac->state)));
	snprintf(buf, sizeof(buf), "%s/reason", xpath);
	listnode_add(args, yang_data_new_string(buf, ac->reason));
	/* takes and frees the argument list */
	nb_notification_send(xpath, args);
}

void vapp_nb_notify_prefix_threshold(const struct vapp_app *app, bool above)
{
	const char *xpath = "/frr-bgp-vappliance:appliance-prefix-threshold";
	struct list *args = yang_data_list_new();
	char buf[XPATH_MAXLEN];

	snprintf(buf, sizeof(buf), "%s/vrf", xpath);
	listnode_add(args, yang_data_new_string(buf, app->inst->vrf));
	snprintf(buf, sizeof(buf), "%s/appliance", xpath);
	listnode_add(args, yang_data_new_ip(buf, &app->addr));
	snprintf(buf, sizeof(buf), "%s/pool", xpath);
	listnode_add(args, yang_data_new_string(buf, app->pool->name));
	snprintf(buf, sizeof(buf), "%s/direction", xpath);
	listnode_add(args, yang_data_new_string(buf, above ? "above" : "below"));
	snprintf(buf, sizeof(buf), "%s/accepted", xpath);
	listnode_add(args, yang_data_new_uint32(buf, app->pcount[VAPP_P_ACCEPTED]));
	snprintf(buf, sizeof(buf), "%s/threshold", xpath);
	listnode_add(args, yang_data_new_uint32(buf, vapp_pool_warn_threshold(app->pool)));
	snprintf(buf, sizeof(buf), "%s/max-prefixes", xpath);
	listnode_add(args, yang_data_new_uint32(buf, app->pool->max_prefixes));
	/* takes and frees the argument list */
	nb_notification_send(xpath, args);
}

void vapp_nb_purge_instance(const char *vrf)
{
	struct nb_context ctx = { .client = NB_CLIENT_NONE };
	struct nb_config *cand = vty_shared_candidate_config;
	char xpath[XPATH_MAXLEN];
	char errmsg[BUFSIZ] = "";
	int ret;

	snprintf(xpath, sizeof(xpath), VAPP_XP_INST_KEY, vrf);
	if (!running_config->dnode || !yang_dnode_exists(running_config->dnode, xpath))
		return;

	/*
	 * bgp_delete() runs from the classic `no router bgp` command, after
	 * any pending northbound commit was flushed, so the shared candidate
	 * equals running here. Edit and commit the shared candidate so that
	 * the next CLI commit does not resurrect the instance from it.
	 */
	if (nb_candidate_edit(cand, nb_node_find(VAPP_XP_INST), NB_OP_DESTROY, xpath, NULL, NULL) !=
	    NB_OK) {
		flog_err(EC_VAPP_NB_CONFIG,
			 "vappliance: cannot remove configuration of deleted BGP instance (vrf %s)",
			 vrf);
		return;
	}
	ret = nb_candidate_commit(ctx, cand, true, "vappliance: BGP instance deleted", NULL, errmsg,
				  sizeof(errmsg));
	if (ret != NB_OK && ret != NB_ERR_NO_CHANGES) {
		flog_err(EC_VAPP_NB_CONFIG,
			 "vappliance: removing configuration of deleted BGP instance (vrf %s) failed: %s",
			 vrf, errmsg);
		nb_config_replace(cand, running_config, true);
		return;
	}
	zlog_info("vappliance: BGP instance (vrf %s) deleted, its vappliance configuration removed",
		  vrf);
}
