// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance CLI: commands and running-config rendering.
 */
#ifndef VAPP_VTY_H
#define VAPP_VTY_H

#include "vty.h"

#define VAPP_STR		 "Virtual appliance route-server policy\n"
#define VAPP_PEER_GROUP_NAME_MAX 128 /* YANG typedef peer-group-name */

extern void vapp_vty_init(void);
extern void vapp_vty_anycast_init(void);
extern void vapp_vty_show_init(void);
extern void vapp_vty_appliance_init(void);
extern void vapp_vty_routes_init(void);
extern void vapp_vty_metrics_init(void);
extern void vapp_config_write_inst(struct vty *vty, const char *vrf);

/* the node at @xpath in the vty's candidate configuration, or NULL */
struct lyd_node;
extern const struct lyd_node *vapp_cli_candidate(struct vty *vty, const char *xpath);

/* the text after a command's `message` keyword (MSG...), or NULL; the
 * caller frees it with XFREE(MTYPE_TMP, ...) */
struct cmd_token;
extern char *vapp_cli_message(int argc, struct cmd_token **argv);

/* vapp_vty_show.c: helpers of the operational commands */
union sockunion;
struct ipaddr;
extern bool vapp_su2ipaddr(const union sockunion *su, struct ipaddr *addr);
/* Unix time as UTC, "2026-11-26T10:00:00Z" */
extern const char *vapp_unix_time(time_t t, char *buf, size_t len);
/* monotonic milliseconds as wall-clock UTC, "2026-11-26T10:00:00Z" */
extern const char *vapp_cli_time(int64_t mono_ms, char *buf, size_t len);
/* @key's value in the JSON object @j as text, or NULL when @j has none
 * (the shows print their text from the JSON they build) */
struct json_object;
extern const char *vapp_json_str(struct json_object *j, const char *key);
extern bool vapp_json_bool(struct json_object *j, const char *key);
/* @key: the time as "2026-11-26T10:00:00Z", and @key "Epoch": Unix seconds */
extern void vapp_json_time_add(struct json_object *j, const char *key, int64_t mono_ms);
/* one appliance as `show ... appliances json` lists it */
struct vapp_appview;
extern struct json_object *vapp_json_appview(const struct vapp_appview *v);

#endif /* VAPP_VTY_H */
