// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance northbound: the frr-bgp-vappliance YANG module, its callbacks
 * and the loader that attaches it to bgpd's running northbound.
 */
#ifndef VAPP_NB_H
#define VAPP_NB_H

#include "northbound.h"

#define VAPP_YANG_MODULE    "frr-bgp-vappliance"
#define VAPP_XP_ROOT	    "/frr-bgp-vappliance:vappliance"
#define VAPP_XP_INST	    VAPP_XP_ROOT "/instance"
#define VAPP_XP_INST_KEY    VAPP_XP_INST "[vrf='%s']"
#define VAPP_XP_POOL	    VAPP_XP_INST "/pool"
#define VAPP_XP_POOL_KEY    VAPP_XP_INST_KEY "/pool[name='%s']"
#define VAPP_XP_ANYCAST	    VAPP_XP_INST "/anycast"
#define VAPP_XP_ANYCAST_KEY VAPP_XP_INST_KEY "/anycast[prefix='%s']"

extern const struct frr_yang_module_info frr_bgp_vappliance_info;

/* Loads the YANG module into bgpd's libyang context (frr_late_init). */
extern int vapp_nb_load(void);
/* Detaches the module's northbound nodes before libfrr frees its own. */
extern void vapp_nb_unload(void);

/* Removes the configuration of a BGP instance that bgpd deleted. */
extern void vapp_nb_purge_instance(const char *vrf);

/* vapp_nb_config.c */
extern int vapp_nb_inst_create(struct nb_cb_create_args *args);
extern int vapp_nb_inst_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_inst_pre_validate(struct nb_cb_pre_validate_args *args);
extern void vapp_nb_inst_apply_finish(struct nb_cb_apply_finish_args *args);
extern int vapp_nb_pool_create(struct nb_cb_create_args *args);
extern int vapp_nb_pool_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_pool_pre_validate(struct nb_cb_pre_validate_args *args);
extern int vapp_nb_pool_peer_group_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_source_create(struct nb_cb_create_args *args);
extern int vapp_nb_pool_source_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_pool_remote_as_create(struct nb_cb_create_args *args);
extern int vapp_nb_pool_remote_as_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_pool_max_sessions_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_max_sessions_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_pool_deny_source_create(struct nb_cb_create_args *args);
extern int vapp_nb_pool_deny_source_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_pool_quarantine_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_require_password_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_mobility_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_prefix_pre_validate(struct nb_cb_pre_validate_args *args);
extern int vapp_nb_pool_prefix_create(struct nb_cb_create_args *args);
extern void vapp_nb_pool_prefix_apply_finish(struct nb_cb_apply_finish_args *args);
extern int vapp_nb_pool_prefix_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_pool_prefix_bound_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_prefix_bound_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_pool_next_hop_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_max_prefixes_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_max_prefixes_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_pool_max_prefixes_action_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_pool_max_prefixes_warning_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_metrics_textfile_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_metrics_textfile_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_metrics_interval_modify(struct nb_cb_modify_args *args);
extern void vapp_cli_show_metrics_textfile(struct vty *vty, const struct lyd_node *dnode,
					   bool show_defaults);
#define VAPP_METRICS_INTERVAL_DEFAULT 15 /* seconds, the YANG default */
extern int vapp_nb_pool_max_prefixes_warning_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_anycast_create(struct nb_cb_create_args *args);
extern int vapp_nb_anycast_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_anycast_interface_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_anycast_track_create(struct nb_cb_create_args *args);
extern int vapp_nb_anycast_track_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_anycast_track_min_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_anycast_restore_delay_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_anycast_lease_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_anycast_shutdown_create(struct nb_cb_create_args *args);
extern int vapp_nb_anycast_shutdown_destroy(struct nb_cb_destroy_args *args);
extern int vapp_nb_anycast_grace_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_anycast_message_modify(struct nb_cb_modify_args *args);
extern int vapp_nb_anycast_message_destroy(struct nb_cb_destroy_args *args);

/* vapp_nb_state.c */
extern const void *vapp_nb_inst_get_next(struct nb_cb_get_next_args *args);
extern int vapp_nb_inst_get_keys(struct nb_cb_get_keys_args *args);
extern const void *vapp_nb_inst_lookup_entry(struct nb_cb_lookup_entry_args *args);
extern const void *vapp_nb_pool_get_next(struct nb_cb_get_next_args *args);
extern int vapp_nb_pool_get_keys(struct nb_cb_get_keys_args *args);
extern const void *vapp_nb_pool_lookup_entry(struct nb_cb_lookup_entry_args *args);
extern struct yang_data *vapp_nb_pool_state_pg_exists_get_elem(struct nb_cb_get_elem_args *args);
extern struct yang_data *vapp_nb_pool_state_sessions_get_elem(struct nb_cb_get_elem_args *args);
extern struct yang_data *vapp_nb_pool_state_password_set_get_elem(struct nb_cb_get_elem_args *args);
extern struct yang_data *vapp_nb_pool_state_held_get_elem(struct nb_cb_get_elem_args *args);
extern struct yang_data *vapp_nb_pool_state_admitted_get_elem(struct nb_cb_get_elem_args *args);
extern struct yang_data *vapp_nb_pool_state_rejected_get_elem(struct nb_cb_get_elem_args *args);
extern const void *vapp_nb_app_get_next(struct nb_cb_get_next_args *args);
extern int vapp_nb_app_get_keys(struct nb_cb_get_keys_args *args);
extern const void *vapp_nb_app_lookup_entry(struct nb_cb_lookup_entry_args *args);
extern struct yang_data *vapp_nb_app_get_elem(struct nb_cb_get_elem_args *args);
extern struct yang_data *vapp_nb_app_prefixes_get_elem(struct nb_cb_get_elem_args *args);
extern const void *vapp_nb_pool_af_get_next(struct nb_cb_get_next_args *args);
extern int vapp_nb_pool_af_get_keys(struct nb_cb_get_keys_args *args);
extern const void *vapp_nb_pool_af_lookup_entry(struct nb_cb_lookup_entry_args *args);
extern struct yang_data *vapp_nb_pool_af_get_elem(struct nb_cb_get_elem_args *args);
extern const void *vapp_nb_alog_get_next(struct nb_cb_get_next_args *args);
extern int vapp_nb_alog_get_keys(struct nb_cb_get_keys_args *args);
extern const void *vapp_nb_alog_lookup_entry(struct nb_cb_lookup_entry_args *args);
extern struct yang_data *vapp_nb_alog_get_elem(struct nb_cb_get_elem_args *args);
extern void vapp_nb_state_fini(void);

extern const void *vapp_nb_anycast_get_next(struct nb_cb_get_next_args *args);
extern int vapp_nb_anycast_get_keys(struct nb_cb_get_keys_args *args);
extern const void *vapp_nb_anycast_lookup_entry(struct nb_cb_lookup_entry_args *args);
extern struct yang_data *vapp_nb_anycast_state_get_elem(struct nb_cb_get_elem_args *args);

/* vapp_nb.c: YANG notifications */
struct vapp_alog_entry;
extern void vapp_nb_notify_rejected(const char *vrf, const struct vapp_alog_entry *e);
extern void vapp_nb_notify_anycast(const struct vapp_anycast *ac);
extern void vapp_nb_notify_prefix_threshold(const struct vapp_app *app, bool above);

/* vapp_vty.c: running-config rendering */
extern void vapp_cli_show_pool(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
extern void vapp_cli_show_source(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
extern void vapp_cli_show_remote_as(struct vty *vty, const struct lyd_node *dnode,
				    bool show_defaults);
extern void vapp_cli_show_max_sessions(struct vty *vty, const struct lyd_node *dnode,
				       bool show_defaults);
extern void vapp_cli_show_deny_source(struct vty *vty, const struct lyd_node *dnode,
				      bool show_defaults);
extern void vapp_cli_show_quarantine(struct vty *vty, const struct lyd_node *dnode,
				     bool show_defaults);
extern void vapp_cli_show_mobility(struct vty *vty, const struct lyd_node *dnode,
				   bool show_defaults);
extern void vapp_cli_show_require_password(struct vty *vty, const struct lyd_node *dnode,
					   bool show_defaults);
extern void vapp_cli_show_prefix(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
extern void vapp_cli_show_next_hop(struct vty *vty, const struct lyd_node *dnode,
				   bool show_defaults);
extern void vapp_cli_show_max_prefixes(struct vty *vty, const struct lyd_node *dnode,
				       bool show_defaults);
extern void vapp_cli_show_anycast(struct vty *vty, const struct lyd_node *dnode, bool show_defaults);
extern void vapp_cli_show_anycast_track(struct vty *vty, const struct lyd_node *dnode,
					bool show_defaults);
extern void vapp_cli_show_anycast_restore_delay(struct vty *vty, const struct lyd_node *dnode,
						bool show_defaults);
extern void vapp_cli_show_anycast_lease(struct vty *vty, const struct lyd_node *dnode,
					bool show_defaults);
extern void vapp_cli_show_anycast_shutdown(struct vty *vty, const struct lyd_node *dnode,
					   bool show_defaults);

#endif /* VAPP_NB_H */
