// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: declarations shared by the core's own files.
 */
#ifndef VAPP_CORE_INT_H
#define VAPP_CORE_INT_H

#include "vapp_core.h"
#include "vapp_policy.h"

DECLARE_MTYPE(VAPP_STR);

static inline int vapp_pool_cmp(const struct vapp_pool *a, const struct vapp_pool *b)
{
	return strcmp(a->name, b->name);
}
DECLARE_RBTREE_UNIQ(vapp_pool_tree, struct vapp_pool, tree_item, vapp_pool_cmp);

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
