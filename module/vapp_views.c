// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: what the admission decisions leave to read:
 * the appliances and recent sources as views, the admission log, and the
 * clearing of quarantines.
 */
#include <zebra.h>

#include "darr.h"

#include "vapp_core_int.h"

/* ---- views -------------------------------------------------------------------------- */

const char *vapp_view_state_name(enum vapp_view_state state)
{
	switch (state) {
	case VAPP_VIEW_CONNECTING:
		return "connecting";
	case VAPP_VIEW_ADMITTED:
		return "admitted";
	case VAPP_VIEW_REJECTED:
		return "rejected";
	case VAPP_VIEW_QUARANTINED:
		return "quarantined";
	}
	return "?";
}

static int vapp_appview_cmp(const void *a, const void *b)
{
	return ipaddr_cmp(&((const struct vapp_appview *)a)->addr,
			  &((const struct vapp_appview *)b)->addr);
}

struct vapp_appview *vapp_inst_appviews(const struct vapp_inst *inst, const char *pool_name,
					int64_t now)
{
	struct vapp_appview *views = NULL, *v;
	const struct vapp_app *app;
	const struct vapp_pool *pool;
	const struct vapp_src *src;

	frr_each (vapp_app_hash_const, &inst->apps, app) {
		if (pool_name && (!app->pool || strcmp(app->pool->name, pool_name)))
			continue;
		v = darr_appendz(views);
		v->addr = app->addr;
		v->pool = app->pool ? app->pool->name : NULL;
		v->state = app->state == VAPP_APP_CONNECTING ? VAPP_VIEW_CONNECTING
			   : app->state == VAPP_APP_ADMITTED ? VAPP_VIEW_ADMITTED
							     : VAPP_VIEW_REJECTED;
		v->established = app->established;
		v->reason = app->reason;
		v->remote_as = app->remote_as;
		v->router_id = app->router_id;
		v->since = app->since;
		memcpy(v->pcount, app->pcount, sizeof(v->pcount));
		v->unkept = app->unkept;
		v->peered_refused = app->peered_refused;
		v->move_pending = app->move_pending;
		v->move_from = app->move_from;
	}
	frr_each (vapp_pool_tree_const, &inst->pools, pool) {
		if (pool_name && strcmp(pool->name, pool_name))
			continue;
		frr_each (vapp_src_lru_const, &pool->srcs.lru, src) {
			bool quarantined = pool->quarantine.enabled &&
					   vapp_src_quarantined(src, now);

			if (vapp_app_lookup(inst, &src->addr))
				continue;
			if (!quarantined && (src->last_admitted || !src->last_time ||
					     now - src->last_time > VAPP_VIEW_REJECTED_TTL_MS))
				continue;
			v = darr_appendz(views);
			v->addr = src->addr;
			v->pool = pool->name;
			v->state = quarantined ? VAPP_VIEW_QUARANTINED : VAPP_VIEW_REJECTED;
			v->reason = quarantined ? VAPP_REASON_QUARANTINED : src->last_reason;
			v->remote_as = src->last_as;
			v->since = src->last_time;
			v->until = quarantined ? src->quarantined_until : 0;
		}
	}
	if (views)
		qsort(views, darr_len(views), sizeof(*views), vapp_appview_cmp);
	return views;
}

/* ---- admission log and quarantine ---------------------------------------------------- */

size_t vapp_alog_count(const struct vapp_inst *inst)
{
	return inst->alog_seq < VAPP_ALOG_SIZE ? inst->alog_seq : VAPP_ALOG_SIZE;
}

const struct vapp_alog_entry *vapp_alog_get(const struct vapp_inst *inst, size_t i)
{
	if (i >= vapp_alog_count(inst))
		return NULL;
	return &inst->alog[(inst->alog_seq - 1 - i) % VAPP_ALOG_SIZE];
}

unsigned int vapp_inst_clear_quarantine(struct vapp_inst *inst, const struct ipaddr *addr)
{
	struct vapp_pool *pool;
	unsigned int n = 0;

	frr_each (vapp_pool_tree, &inst->pools, pool)
		n += vapp_srctab_clear(&pool->srcs, addr);
	return n;
}
