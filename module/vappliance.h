// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance bgpd module: shared declarations of the module's parts.
 */
#ifndef VAPPLIANCE_H
#define VAPPLIANCE_H

#include "vapp_core.h"

/* The module's state in this bgpd (vapp_main.c). */
extern struct vapp_ctx vapp_g;

/* vapp_bgp.c: glue to bgpd */
struct bgp;
extern void vapp_bgp_init(void);
extern void vapp_bgp_start(void); /* frr_late_init: event loop ready */
extern void vapp_bgp_fini(void);
/* milliseconds of the monotonic clock, the core's time base */
extern int64_t vapp_bgp_now(void);
/* whether prefix @p overlaps a listen range of peer-group @pg */
struct prefix;
extern bool vapp_bgp_group_listens(struct bgp *bgp, const char *pg, const struct prefix *p);
/* re-evaluates the instance's appliances (after configuration changes) */
extern void vapp_bgp_reevaluate(struct vapp_inst *inst);
/* The module's key of a BGP instance: its VRF name, "default" for none. */
extern const char *vapp_bgp_vrf_name(const struct bgp *bgp);

/* What bgpd says about a pool right now. */
struct vapp_pool_live {
	bool bgp_exists;	/* the pool's BGP instance exists */
	bool peer_group_exists; /* its peer-group exists there */
	bool password_set;	/* the peer-group has a TCP-MD5 password */
	unsigned int sessions;	/* appliances of the pool in Established */
};
extern void vapp_bgp_pool_live(const struct vapp_pool *pool, struct vapp_pool_live *live);

#endif /* VAPPLIANCE_H */
