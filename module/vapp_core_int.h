// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: declarations shared by the core's own files.
 */
#ifndef VAPP_CORE_INT_H
#define VAPP_CORE_INT_H

#include "vapp_core.h"
#include "vapp_policy.h"

#include "jhash.h"
#include "typesafe.h"

DECLARE_MTYPE(VAPP_STR);

static inline int vapp_pool_cmp(const struct vapp_pool *a, const struct vapp_pool *b)
{
	return strcmp(a->name, b->name);
}
DECLARE_RBTREE_UNIQ(vapp_pool_tree, struct vapp_pool, tree_item, vapp_pool_cmp);

/* appliances by address (instance) and slot holders (pool); sources by
 * address, least recently used first */
static inline uint32_t vapp_ipaddr_hash(const struct ipaddr *a)
{
	size_t len = IS_IPADDR_V4(a) ? sizeof(a->ipaddr_v4) : sizeof(a->ipaddr_v6);

	return jhash(&a->ip, len, a->ipa_type);
}

static inline int vapp_src_cmp(const struct vapp_src *a, const struct vapp_src *b)
{
	return ipaddr_cmp(&a->addr, &b->addr);
}
static inline uint32_t vapp_src_hashfn(const struct vapp_src *s)
{
	return vapp_ipaddr_hash(&s->addr);
}
DECLARE_HASH(vapp_src_hash, struct vapp_src, hitem, vapp_src_cmp, vapp_src_hashfn);
DECLARE_DLIST(vapp_src_lru, struct vapp_src, litem);

static inline int vapp_app_cmp(const struct vapp_app *a, const struct vapp_app *b)
{
	return ipaddr_cmp(&a->addr, &b->addr);
}
static inline uint32_t vapp_app_hashfn(const struct vapp_app *a)
{
	return vapp_ipaddr_hash(&a->addr);
}
DECLARE_HASH(vapp_app_hash, struct vapp_app, hitem, vapp_app_cmp, vapp_app_hashfn);
DECLARE_DLIST(vapp_app_list, struct vapp_app, litem);

/* vapp_core.c */
extern void vapp_inst_nopool_inc(struct vapp_inst *inst, const char *pg);

/* vapp_admission.c */
extern void vapp_inst_apps_init(struct vapp_inst *inst);
extern void vapp_inst_apps_fini(struct vapp_inst *inst);
extern void vapp_pool_apps_init(struct vapp_pool *pool);
extern void vapp_pool_apps_fini(struct vapp_pool *pool);
extern void vapp_inst_anycasts_init(struct vapp_inst *inst);
extern void vapp_inst_anycasts_fini(struct vapp_inst *inst);
/* The pool goes away: its appliances keep no pool until re-evaluated. */
extern void vapp_pool_apps_orphan(struct vapp_pool *pool);

#endif /* VAPP_CORE_INT_H */
