// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: the module's configuration objects and the
 * decisions taken on them. It knows libfrr (typesafe containers, MTYPEs,
 * struct prefix) but nothing of bgpd (no struct peer / struct bgp), so the
 * Check unit tests exercise it against libfrr alone.
 */
#ifndef VAPP_CORE_H
#define VAPP_CORE_H

#include "memory.h"
#include "typesafe.h"

DECLARE_MGROUP(VAPPLIANCE);

#define VAPP_NAME_MAX	  63 /* YANG typedef object-name */
#define VAPP_VRF_NAME_MAX 36 /* VRF_NAMSIZ */
#define VAPP_VRF_DEFAULT  "default"

PREDECL_RBTREE_UNIQ(vapp_inst_tree);
PREDECL_RBTREE_UNIQ(vapp_pool_tree);

struct vapp_inst;
struct vapp_ctx;

/* A pool of appliances: the dynamic neighbors of one peer-group. */
struct vapp_pool {
	struct vapp_pool_tree_item tree_item;
	struct vapp_inst *inst; /* NULL until attached */
	char name[VAPP_NAME_MAX + 1];
	char *peer_group; /* NULL until bound */
};

/* The module's configuration of one BGP instance, keyed by VRF name. */
struct vapp_inst {
	struct vapp_inst_tree_item tree_item;
	struct vapp_ctx *ctx;
	char vrf[VAPP_VRF_NAME_MAX + 1];
	struct vapp_pool_tree_head pools;
};

/* Everything the module holds; one per bgpd, one per unit test. */
struct vapp_ctx {
	struct vapp_inst_tree_head insts;
};

/*
 * Object names (YANG typedef object-name): 1..63 characters, a letter or
 * digit first, then letters, digits and _ . : -. Returns NULL when @name is
 * valid, else a message saying why not.
 */
extern const char *vapp_name_invalid(const char *name);

extern void vapp_ctx_init(struct vapp_ctx *ctx);
extern void vapp_ctx_fini(struct vapp_ctx *ctx);

/* Instances. A NULL or empty VRF name means the default VRF. */
extern struct vapp_inst *vapp_inst_find(struct vapp_ctx *ctx, const char *vrf);
extern struct vapp_inst *vapp_inst_get(struct vapp_ctx *ctx, const char *vrf);
extern void vapp_inst_del(struct vapp_inst *inst);
extern size_t vapp_inst_count(const struct vapp_ctx *ctx);
extern const struct vapp_inst *vapp_inst_first(const struct vapp_ctx *ctx);
extern const struct vapp_inst *vapp_inst_next(const struct vapp_ctx *ctx,
					      const struct vapp_inst *inst);

/*
 * Pools. vapp_pool_new() allocates a detached pool (the northbound's
 * PREPARE phase), vapp_pool_attach() links it into its instance (APPLY);
 * a detached pool is released with vapp_pool_free() (ABORT).
 */
extern struct vapp_pool *vapp_pool_new(const char *name);
extern int vapp_pool_attach(struct vapp_inst *inst, struct vapp_pool *pool);
extern void vapp_pool_free(struct vapp_pool *pool);
extern void vapp_pool_del(struct vapp_pool *pool);
extern struct vapp_pool *vapp_pool_find(struct vapp_inst *inst, const char *name);
extern const struct vapp_pool *vapp_pool_lookup(const struct vapp_inst *inst, const char *name);
extern size_t vapp_pool_count(const struct vapp_inst *inst);
extern const struct vapp_pool *vapp_pool_first(const struct vapp_inst *inst);
extern const struct vapp_pool *vapp_pool_next(const struct vapp_inst *inst,
					      const struct vapp_pool *pool);

/* Binds the pool to a peer-group (NULL unbinds). */
extern void vapp_pool_set_peer_group(struct vapp_pool *pool, const char *pg);

/* Number of pools of @inst bound to peer-group @pg. */
extern unsigned int vapp_inst_pools_of_group(const struct vapp_inst *inst, const char *pg);

#endif /* VAPP_CORE_H */
