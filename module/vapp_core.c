// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: configuration objects (see vapp_core.h).
 */
#include <zebra.h>

#include "darr.h"
#include "jhash.h"
#include "memory.h"
#include "typesafe.h"

#include "vapp_core_int.h"

DEFINE_MGROUP(VAPPLIANCE, "vappliance");
DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_INST, "vappliance instance");
DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_POOL, "vappliance pool");
DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_PGCOUNT, "vappliance peer-group counter");
DEFINE_MTYPE(VAPPLIANCE, VAPP_STR, "vappliance string");

static int vapp_inst_cmp(const struct vapp_inst *a, const struct vapp_inst *b)
{
	return strcmp(a->vrf, b->vrf);
}
DECLARE_RBTREE_UNIQ(vapp_inst_tree, struct vapp_inst, tree_item, vapp_inst_cmp);

static int vapp_pgcount_cmp(const struct vapp_pgcount *a, const struct vapp_pgcount *b)
{
	return strcmp(a->peer_group, b->peer_group);
}
DECLARE_RBTREE_UNIQ(vapp_pgcount_tree, struct vapp_pgcount, item, vapp_pgcount_cmp);

const char *vapp_name_invalid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return "a name cannot be empty";
	if (len > VAPP_NAME_MAX)
		return "a name is at most 63 characters long";
	if (!isalnum((unsigned char)name[0]))
		return "a name starts with a letter or a digit";
	for (const char *c = name + 1; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_.:-", *c))
			return "a name holds only letters, digits and _ . : -";
	return NULL;
}

void vapp_ctx_init(struct vapp_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	vapp_inst_tree_init(&ctx->insts);
}

void vapp_ctx_fini(struct vapp_ctx *ctx)
{
	struct vapp_inst *inst;

	while ((inst = vapp_inst_tree_first(&ctx->insts)))
		vapp_inst_del(inst);
	vapp_inst_tree_fini(&ctx->insts);
}

static const char *vapp_vrf_key(const char *vrf)
{
	return (vrf && *vrf) ? vrf : VAPP_VRF_DEFAULT;
}

struct vapp_inst *vapp_inst_find(struct vapp_ctx *ctx, const char *vrf)
{
	struct vapp_inst key = {};

	strlcpy(key.vrf, vapp_vrf_key(vrf), sizeof(key.vrf));
	return vapp_inst_tree_find(&ctx->insts, &key);
}

struct vapp_inst *vapp_inst_get(struct vapp_ctx *ctx, const char *vrf)
{
	struct vapp_inst *inst = vapp_inst_find(ctx, vrf);

	if (inst)
		return inst;
	inst = XCALLOC(MTYPE_VAPP_INST, sizeof(*inst));
	inst->ctx = ctx;
	strlcpy(inst->vrf, vapp_vrf_key(vrf), sizeof(inst->vrf));
	vapp_pool_tree_init(&inst->pools);
	vapp_pgcount_tree_init(&inst->nopool);
	vapp_inst_apps_init(inst);
	vapp_inst_anycasts_init(inst);
	vapp_inst_tree_add(&ctx->insts, inst);
	return inst;
}

void vapp_inst_del(struct vapp_inst *inst)
{
	struct vapp_pool *pool;
	struct vapp_pgcount *pgc;

	vapp_inst_apps_fini(inst);
	vapp_inst_anycasts_fini(inst);
	while ((pool = vapp_pool_tree_first(&inst->pools)))
		vapp_pool_del(pool);
	vapp_pool_tree_fini(&inst->pools);
	while ((pgc = vapp_pgcount_tree_pop(&inst->nopool))) {
		XFREE(MTYPE_VAPP_STR, pgc->peer_group);
		XFREE(MTYPE_VAPP_PGCOUNT, pgc);
	}
	vapp_pgcount_tree_fini(&inst->nopool);
	darr_free(inst->reserved);
	vapp_inst_tree_del(&inst->ctx->insts, inst);
	XFREE(MTYPE_VAPP_INST, inst);
}

size_t vapp_inst_count(const struct vapp_ctx *ctx)
{
	return vapp_inst_tree_count(&ctx->insts);
}

struct vapp_inst *vapp_inst_first(struct vapp_ctx *ctx)
{
	return vapp_inst_tree_first(&ctx->insts);
}

struct vapp_inst *vapp_inst_next(struct vapp_ctx *ctx, struct vapp_inst *inst)
{
	return vapp_inst_tree_next(&ctx->insts, inst);
}

uint64_t vapp_inst_nopool_count(const struct vapp_inst *inst, const char *pg)
{
	const struct vapp_pgcount *pgc;
	struct vapp_pgcount key = { .peer_group = (char *)pg };

	pgc = vapp_pgcount_tree_const_find(&inst->nopool, &key);
	return pgc ? pgc->count : 0;
}

uint64_t vapp_pool_rejections(const struct vapp_pool *pool, enum vapp_reason reason)
{
	if (reason == VAPP_REASON_NO_POOL)
		return pool->inst ? vapp_inst_nopool_count(pool->inst, pool->peer_group) : 0;
	return pool->rejected[reason];
}

/* counts a noPool rejection of a connection to peer-group @pg */
void vapp_inst_nopool_inc(struct vapp_inst *inst, const char *pg)
{
	struct vapp_pgcount key = { .peer_group = (char *)pg };
	struct vapp_pgcount *pgc = vapp_pgcount_tree_find(&inst->nopool, &key);

	if (!pgc) {
		pgc = XCALLOC(MTYPE_VAPP_PGCOUNT, sizeof(*pgc));
		pgc->peer_group = XSTRDUP(MTYPE_VAPP_STR, pg);
		vapp_pgcount_tree_add(&inst->nopool, pgc);
	}
	pgc->count++;
}

struct vapp_pool *vapp_pool_new(const char *name)
{
	struct vapp_pool *pool = XCALLOC(MTYPE_VAPP_POOL, sizeof(*pool));

	strlcpy(pool->name, name, sizeof(pool->name));
	vapp_pfxset_init(&pool->sources);
	vapp_pfxset_init(&pool->deny);
	pool->quarantine.enabled = true;
	pool->quarantine.failures = VAPP_QUARANTINE_FAILURES;
	pool->quarantine.within = VAPP_QUARANTINE_WITHIN;
	pool->quarantine.hold = VAPP_QUARANTINE_HOLD;
	pool->require_password = true;
	vapp_rangeset_init(&pool->ranges);
	vapp_pfxset_init(&pool->listen);
	vapp_pool_apps_init(pool);
	return pool;
}

int vapp_pool_attach(struct vapp_inst *inst, struct vapp_pool *pool)
{
	if (pool->inst || vapp_pool_tree_add(&inst->pools, pool))
		return -1;
	pool->inst = inst;
	return 0;
}

void vapp_pool_free(struct vapp_pool *pool)
{
	assert(pool->inst == NULL);
	vapp_pool_apps_fini(pool);
	vapp_pfxset_fini(&pool->sources);
	vapp_pfxset_fini(&pool->deny);
	vapp_asnset_fini(&pool->asns);
	vapp_rangeset_fini(&pool->ranges);
	vapp_pfxset_fini(&pool->listen);
	XFREE(MTYPE_VAPP_STR, pool->peer_group);
	XFREE(MTYPE_VAPP_POOL, pool);
}

void vapp_pool_del(struct vapp_pool *pool)
{
	vapp_pool_apps_orphan(pool);
	if (pool->inst) {
		vapp_pool_tree_del(&pool->inst->pools, pool);
		pool->inst = NULL;
	}
	vapp_pool_free(pool);
}

struct vapp_pool *vapp_pool_find(struct vapp_inst *inst, const char *name)
{
	struct vapp_pool key = {};

	strlcpy(key.name, name, sizeof(key.name));
	return vapp_pool_tree_find(&inst->pools, &key);
}

const struct vapp_pool *vapp_pool_lookup(const struct vapp_inst *inst, const char *name)
{
	struct vapp_pool key = {};

	strlcpy(key.name, name, sizeof(key.name));
	return vapp_pool_tree_const_find(&inst->pools, &key);
}

size_t vapp_pool_count(const struct vapp_inst *inst)
{
	return vapp_pool_tree_count(&inst->pools);
}

struct vapp_pool *vapp_pool_first(struct vapp_inst *inst)
{
	return vapp_pool_tree_first(&inst->pools);
}

struct vapp_pool *vapp_pool_next(struct vapp_inst *inst, struct vapp_pool *pool)
{
	return vapp_pool_tree_next(&inst->pools, pool);
}

void vapp_pool_set_peer_group(struct vapp_pool *pool, const char *pg)
{
	XFREE(MTYPE_VAPP_STR, pool->peer_group);
	if (pg)
		pool->peer_group = XSTRDUP(MTYPE_VAPP_STR, pg);
}

unsigned int vapp_inst_pools_of_group(const struct vapp_inst *inst, const char *pg)
{
	const struct vapp_pool *pool;
	unsigned int n = 0;

	frr_each (vapp_pool_tree_const, &inst->pools, pool)
		if (pool->peer_group && strcmp(pool->peer_group, pg) == 0)
			n++;
	return n;
}

size_t vapp_utf8_cut(const char *s, size_t max)
{
	size_t len = strlen(s), i;

	if (len <= max)
		return len;
	/* back to the start of the sequence that holds the octet at @max */
	for (i = max; i > 0 && ((uint8_t)s[i] & 0xc0) == 0x80; i--)
		;
	return i;
}

const char *vapp_prom_label(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s; s++) {
		const char *esc = *s == '\\'   ? "\\\\"
				  : *s == '"'  ? "\\\""
				  : *s == '\n' ? "\\n"
					       : NULL;
		size_t n = esc ? 2 : 1;

		/* a UTF-8 sequence goes whole or not at all */
		if (!esc && ((uint8_t)*s & 0xc0) == 0xc0) {
			n = 1;
			while (((uint8_t)s[n] & 0xc0) == 0x80)
				n++;
		}
		if (o + n >= len)
			break;
		memcpy(buf + o, esc ? esc : s, n);
		o += n;
		s += esc ? 0 : n - 1;
	}
	buf[o] = '\0';
	return buf;
}

const char *vapp_metrics_path_invalid(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len = strlen(path);

	if (path[0] != '/')
		return "the path must be absolute";
	if (len > VAPP_METRICS_PATH_MAX)
		return "the path is too long";
	for (const char *c = path; *c; c++)
		if ((uint8_t)*c < 0x20 || *c == 0x7f)
			return "the path must not contain control characters";
	base++;
	if (base[0] == '.' || len < 6 || strcmp(path + len - 5, ".prom") || strlen(base) <= 5)
		return "the file name must end in .prom and not start with a dot (node-exporter's textfile collector reads only *.prom)";
	return NULL;
}
