// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: admission of dynamic neighbors.
 *
 * A connection to a peer-group with pools is decided twice: when bgpd
 * creates the dynamic neighbor (its source address is known: pool, denied
 * source, quarantine, password, policy, session slots) and when its OPEN
 * arrives (AS number, BGP identifier; checked again against what bgpd read
 * of it at OpenConfirm). Rejections that an appliance causes
 * itself count as failures toward the quarantine of its source.
 */
#include <zebra.h>

#include "darr.h"
#include "jhash.h"
#include "memory.h"
#include "typesafe.h"

#include "vapp_core_int.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_APP, "vappliance appliance");
DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_SRC, "vappliance source record");

static const char *const vapp_reason_names[VAPP_REASON_MAX] = {
	[VAPP_REASON_NONE] = "none",
	[VAPP_REASON_REMOTE_AS] = "remoteAs",
	[VAPP_REASON_ROUTER_ID] = "routerId",
	[VAPP_REASON_POOL_FULL] = "poolFull",
	[VAPP_REASON_DENIED_SOURCE] = "deniedSource",
	[VAPP_REASON_QUARANTINED] = "quarantined",
	[VAPP_REASON_NO_PASSWORD] = "noPassword",
	[VAPP_REASON_POLICY_NOT_ENFORCED] = "policyNotEnforced",
	[VAPP_REASON_NO_POOL] = "noPool",
	[VAPP_REASON_OPEN_MISMATCH] = "openMismatch",
	[VAPP_REASON_ALREADY_PEERED] = "alreadyPeered",
	[VAPP_REASON_MOVED] = "moved",
};

const char *vapp_reason_name(enum vapp_reason reason)
{
	return reason < VAPP_REASON_MAX ? vapp_reason_names[reason] : "?";
}

/*
 * Failures are what the appliance did wrong: a wrong AS or BGP identifier,
 * or an OPEN that bgpd and the module read differently.
 * Rejections caused by the route server's state (pool full, no password,
 * policy not enforced), by its configuration (denied source, no pool) or by
 * the quarantine itself do not count.
 */
bool vapp_reason_is_failure(enum vapp_reason reason)
{
	return reason == VAPP_REASON_REMOTE_AS || reason == VAPP_REASON_ROUTER_ID ||
	       reason == VAPP_REASON_OPEN_MISMATCH;
}

const char *vapp_mobility_name(enum vapp_mobility m)
{
	return m == VAPP_MOBILITY_REJECT ? "reject" : "takeover";
}

const char *vapp_app_state_name(enum vapp_app_state state)
{
	switch (state) {
	case VAPP_APP_CONNECTING:
		return "connecting";
	case VAPP_APP_ADMITTED:
		return "admitted";
	case VAPP_APP_REJECTED:
		return "rejected";
	}
	return "?";
}

const char *vapp_verdict_name(enum vapp_verdict verdict)
{
	switch (verdict) {
	case VAPP_VERDICT_ADMITTED:
		return "admitted";
	case VAPP_VERDICT_REJECTED:
		return "rejected";
	case VAPP_VERDICT_DISCONNECTED:
		return "disconnected";
	case VAPP_VERDICT_QUARANTINED:
		return "quarantined";
	}
	return "?";
}

/* ---- source records ------------------------------------------------------------ */

void vapp_srctab_init(struct vapp_srctab *tab, uint32_t cap)
{
	vapp_src_hash_init(&tab->hash);
	vapp_src_lru_init(&tab->lru);
	tab->cap = cap;
	tab->evicted = 0;
}

void vapp_srctab_fini(struct vapp_srctab *tab)
{
	struct vapp_src *src;

	while ((src = vapp_src_lru_pop(&tab->lru))) {
		vapp_src_hash_del(&tab->hash, src);
		XFREE(MTYPE_VAPP_SRC, src);
	}
	vapp_src_hash_fini(&tab->hash);
	vapp_src_lru_fini(&tab->lru);
}

const struct vapp_src *vapp_src_find(const struct vapp_srctab *tab, const struct ipaddr *addr)
{
	struct vapp_src key = { .addr = *addr };

	return vapp_src_hash_const_find(&tab->hash, &key);
}

struct vapp_src *vapp_src_get(struct vapp_srctab *tab, const struct ipaddr *addr)
{
	struct vapp_src key = { .addr = *addr };
	struct vapp_src *src = vapp_src_hash_find(&tab->hash, &key);

	if (src) {
		vapp_src_lru_del(&tab->lru, src);
		vapp_src_lru_add_tail(&tab->lru, src);
		return src;
	}
	if (vapp_src_hash_count(&tab->hash) >= tab->cap) {
		struct vapp_src *old = vapp_src_lru_pop(&tab->lru);

		vapp_src_hash_del(&tab->hash, old);
		XFREE(MTYPE_VAPP_SRC, old);
		tab->evicted++;
	}
	src = XCALLOC(MTYPE_VAPP_SRC, sizeof(*src));
	src->addr = *addr;
	vapp_src_hash_add(&tab->hash, src);
	vapp_src_lru_add_tail(&tab->lru, src);
	return src;
}

bool vapp_src_quarantined(const struct vapp_src *src, int64_t now)
{
	return src && src->quarantined_until > now;
}

bool vapp_src_failure(struct vapp_src *src, const struct vapp_qcfg *q, int64_t now)
{
	if (!q->enabled)
		return false;
	if (src->failures == 0 || now - src->window_start >= (int64_t)q->within * 1000) {
		src->window_start = now;
		src->failures = 0;
	}
	if (++src->failures < q->failures)
		return false;
	src->failures = 0;
	src->quarantined_until = now + (int64_t)q->hold * 1000;
	return true;
}

unsigned int vapp_srctab_clear(struct vapp_srctab *tab, const struct ipaddr *addr)
{
	struct vapp_src *src;
	unsigned int n = 0;

	frr_each (vapp_src_lru, &tab->lru, src) {
		if (addr && ipaddr_cmp(addr, &src->addr))
			continue;
		if (src->quarantined_until || src->failures)
			n++;
		src->quarantined_until = 0;
		src->failures = 0;
	}
	return n;
}

size_t vapp_srctab_count(const struct vapp_srctab *tab)
{
	return vapp_src_hash_count(&tab->hash);
}

/* ---- appliances ------------------------------------------------------------------ */

void vapp_inst_apps_init(struct vapp_inst *inst)
{
	vapp_app_hash_init(&inst->apps);
	vapp_srctab_init(&inst->unpooled, VAPP_SRCTAB_CAP);
}

static void vapp_app_release_slot(struct vapp_app *app)
{
	if (app->holds_slot) {
		vapp_app_list_del(&app->pool->apps, app);
		app->holds_slot = false;
	}
}

static void vapp_app_free(struct vapp_app *app)
{
	app->inst->ctx->app_gen++;
	vapp_policy_reset(app);
	vapp_app_release_slot(app);
	vapp_app_hash_del(&app->inst->apps, app);
	XFREE(MTYPE_VAPP_STR, app->peer_group);
	XFREE(MTYPE_VAPP_APP, app);
}

void vapp_inst_apps_fini(struct vapp_inst *inst)
{
	struct vapp_app *app;

	while ((app = vapp_app_hash_first(&inst->apps)))
		vapp_app_free(app);
	vapp_app_hash_fini(&inst->apps);
	vapp_srctab_fini(&inst->unpooled);
}

void vapp_pool_apps_init(struct vapp_pool *pool)
{
	vapp_app_list_init(&pool->apps);
	vapp_srctab_init(&pool->srcs, VAPP_SRCTAB_CAP);
}

void vapp_pool_apps_fini(struct vapp_pool *pool)
{
	assert(vapp_app_list_count(&pool->apps) == 0);
	vapp_app_list_fini(&pool->apps);
	vapp_srctab_fini(&pool->srcs);
}

void vapp_pool_apps_orphan(struct vapp_pool *pool)
{
	struct vapp_app *app;

	while ((app = vapp_app_list_pop(&pool->apps)))
		app->holds_slot = false;
	if (!pool->inst)
		return;
	frr_each (vapp_app_hash, &pool->inst->apps, app)
		if (app->pool == pool)
			app->pool = NULL;
}

struct vapp_app *vapp_app_find(struct vapp_inst *inst, const struct ipaddr *addr)
{
	struct vapp_app key = { .addr = *addr };

	return vapp_app_hash_find(&inst->apps, &key);
}

const struct vapp_app *vapp_app_lookup(const struct vapp_inst *inst, const struct ipaddr *addr)
{
	struct vapp_app key = { .addr = *addr };

	return vapp_app_hash_const_find(&inst->apps, &key);
}

size_t vapp_app_count(const struct vapp_inst *inst)
{
	return vapp_app_hash_count(&inst->apps);
}

struct vapp_app *vapp_app_first(struct vapp_inst *inst)
{
	return vapp_app_hash_first(&inst->apps);
}

struct vapp_app *vapp_app_next(struct vapp_inst *inst, struct vapp_app *app)
{
	return vapp_app_hash_next(&inst->apps, app);
}

unsigned int vapp_pool_sessions_held(const struct vapp_pool *pool)
{
	return vapp_app_list_count(&pool->apps);
}

unsigned int vapp_pool_established(const struct vapp_pool *pool)
{
	const struct vapp_app *app;
	unsigned int n = 0;

	frr_each (vapp_app_list_const, &pool->apps, app)
		if (app->established)
			n++;
	return n;
}

/* ---- decisions ------------------------------------------------------------------- */

/*
 * Whether a decision may be logged under the pool's budget (@exempt: it
 * may, and counts). The first one of a new interval gets, in @held, how
 * many the interval before held back.
 */
static bool vapp_log_budget_take(struct vapp_log_budget *b, bool exempt, int64_t now, uint32_t *held)
{
	if (!b->start || now - b->start >= VAPP_LOG_INTERVAL_MS) {
		*held = b->held;
		b->start = now;
		b->used = 0;
		b->held = 0;
	}
	if (b->used >= VAPP_POOL_LOG_BURST && !exempt) {
		b->held++;
		return false;
	}
	b->used++;
	return true;
}

static void vapp_decide(struct vapp_inst *inst, struct vapp_pool *pool, const struct ipaddr *addr,
			enum vapp_verdict verdict, enum vapp_reason reason, uint32_t asn,
			int64_t now)
{
	struct vapp_srctab *tab = pool ? &pool->srcs : &inst->unpooled;
	struct vapp_src *src = vapp_src_get(tab, addr);
	struct vapp_decision d = { .inst = inst };
	struct vapp_alog_entry unlogged, *e = &unlogged;

	/* a quarantine is a consequence of the last decision, not a new one;
	 * a refused second session leaves its admitted source as it was */
	if (verdict != VAPP_VERDICT_QUARANTINED && reason != VAPP_REASON_ALREADY_PEERED) {
		src->last_time = now;
		src->last_reason = reason;
		src->last_admitted = verdict == VAPP_VERDICT_ADMITTED;
		if (asn)
			src->last_as = asn;
	}

	/*
	 * One zlog line and admission-log entry per source and interval for
	 * the same decision, the next one saying how many were left out (a
	 * source retrying every second must not flood either); a different
	 * decision -- a quarantine starting, an admission after rejections --
	 * is always logged.
	 */
	if (src->last_log && src->log_verdict == verdict && src->log_reason == reason &&
	    now - src->last_log < VAPP_LOG_INTERVAL_MS) {
		src->suppressed++;
	} else if (!vapp_log_budget_take(pool ? &pool->logb : &inst->unpooled_logb,
					 verdict == VAPP_VERDICT_ADMITTED, now, &d.pool_held)) {
		/* the pool's lines for this interval are used up: this source
		 * logs its next decision, saying how many were left out */
		src->suppressed++;
	} else {
		d.log = true;
		d.suppressed = src->suppressed;
		src->suppressed = 0;
		src->last_log = now;
		src->log_verdict = verdict;
		src->log_reason = reason;
		e = &inst->alog[inst->alog_seq % VAPP_ALOG_SIZE];
	}
	memset(e, 0, sizeof(*e));
	if (d.log)
		e->seq = ++inst->alog_seq;
	e->time = now;
	e->addr = *addr;
	if (pool)
		strlcpy(e->pool, pool->name, sizeof(e->pool));
	e->verdict = verdict;
	e->reason = reason;
	e->asn = asn;
	e->suppressed = d.suppressed;
	d.entry = e;
	if (inst->ctx->on_decision)
		inst->ctx->on_decision(&d, inst->ctx->arg);
}

/* counts a failure of the appliance's source; may start a quarantine */
static void vapp_app_failure(struct vapp_app *app, int64_t now)
{
	struct vapp_src *src;

	if (!app->pool)
		return;
	src = vapp_src_get(&app->pool->srcs, &app->addr);
	if (vapp_src_failure(src, &app->pool->quarantine, now))
		vapp_decide(app->inst, app->pool, &app->addr, VAPP_VERDICT_QUARANTINED,
			    VAPP_REASON_QUARANTINED, app->remote_as, now);
}

static void vapp_app_reject(struct vapp_app *app, enum vapp_reason reason,
			    enum vapp_verdict verdict, int64_t now)
{
	app->state = VAPP_APP_REJECTED;
	app->reason = reason;
	app->since = now;
	app->move_pending = false;
	vapp_app_release_slot(app);
	if (app->pool)
		app->pool->rejected[reason]++;
	else if (reason == VAPP_REASON_NO_POOL)
		vapp_inst_nopool_inc(app->inst, app->peer_group);
	vapp_decide(app->inst, app->pool, &app->addr, verdict, reason, app->remote_as, now);
	if (verdict == VAPP_VERDICT_REJECTED && vapp_reason_is_failure(reason))
		vapp_app_failure(app, now);
}

struct vapp_pool *vapp_pool_select(struct vapp_inst *inst, const char *pg, const struct ipaddr *addr)
{
	struct vapp_pool *pool, *best = NULL, *fallback = NULL;
	int best_len = -1;

	frr_each (vapp_pool_tree, &inst->pools, pool) {
		int len;

		if (!pool->peer_group || strcmp(pool->peer_group, pg))
			continue;
		if (pool->sources.count == 0) {
			if (!fallback)
				fallback = pool;
			continue;
		}
		len = vapp_pfxset_match(&pool->sources, addr);
		if (len > best_len) {
			best_len = len;
			best = pool;
		}
	}
	return best ? best : fallback;
}

static bool vapp_fact(bool (*fn)(const struct vapp_pool *, void *), const struct vapp_pool *pool,
		      void *arg)
{
	return fn ? fn(pool, arg) : true;
}

/* Source-phase checks, in order; NONE when the appliance may go on. */
static enum vapp_reason vapp_source_check(const struct vapp_app *app, const struct vapp_pool *pool,
					  const struct vapp_facts *facts, int64_t now,
					  bool count_self)
{
	const struct vapp_src *src;
	unsigned int held;

	if (vapp_pfxset_match(&pool->deny, &app->addr) >= 0)
		return VAPP_REASON_DENIED_SOURCE;
	src = vapp_src_find(&pool->srcs, &app->addr);
	if (pool->quarantine.enabled && vapp_src_quarantined(src, now))
		return VAPP_REASON_QUARANTINED;
	if (pool->require_password && !vapp_fact(facts->password_set, pool, facts->arg))
		return VAPP_REASON_NO_PASSWORD;
	if (!vapp_fact(facts->policy_enforced, pool, facts->arg))
		return VAPP_REASON_POLICY_NOT_ENFORCED;
	held = vapp_app_list_count(&pool->apps) + (count_self ? 1 : 0);
	if (pool->max_sessions && held > pool->max_sessions)
		return VAPP_REASON_POOL_FULL;
	return VAPP_REASON_NONE;
}

struct vapp_app *vapp_admit_connect(struct vapp_inst *inst, const char *pg,
				    const struct ipaddr *addr, void *owner,
				    const struct vapp_facts *facts, int64_t now)
{
	struct vapp_app *app = vapp_app_find(inst, addr);
	enum vapp_reason reason;

	/* bgpd keeps one neighbor per address; a leftover record is stale */
	if (app)
		vapp_app_free(app);

	app = XCALLOC(MTYPE_VAPP_APP, sizeof(*app));
	inst->ctx->app_gen++;
	app->inst = inst;
	app->addr = *addr;
	app->owner = owner;
	app->peer_group = XSTRDUP(MTYPE_VAPP_STR, pg);
	app->state = VAPP_APP_CONNECTING;
	app->since = now;
	vapp_app_hash_add(&inst->apps, app);

	app->pool = vapp_pool_select(inst, pg, addr);
	if (!app->pool) {
		vapp_app_reject(app, VAPP_REASON_NO_POOL, VAPP_VERDICT_REJECTED, now);
		return app;
	}
	reason = vapp_source_check(app, app->pool, facts, now, true);
	if (reason != VAPP_REASON_NONE) {
		vapp_app_reject(app, reason, VAPP_VERDICT_REJECTED, now);
		return app;
	}
	app->holds_slot = true;
	vapp_app_list_add_tail(&app->pool->apps, app);
	return app;
}

/*
 * @other (same BGP identifier) is @app re-addressed: the same pool,
 * address family and AS; not one of a dual-stack pair (other family) and
 * not a clone in another pool.
 */
static bool vapp_same_appliance(const struct vapp_app *app, const struct vapp_app *other,
				uint32_t asn)
{
	return other->pool == app->pool && other->addr.ipa_type == app->addr.ipa_type &&
	       other->remote_as == asn;
}

/* A move: the pool lets the re-addressed appliance take over. */
static bool vapp_is_move(const struct vapp_app *app, const struct vapp_app *other, uint32_t asn)
{
	return app->pool->mobility == VAPP_MOBILITY_TAKEOVER && vapp_same_appliance(app, other, asn);
}

/*
 * The OPEN-phase checks, in order; NONE when the OPEN may be accepted. A
 * move sets @moved (when not NULL) to the appliance it takes over from.
 */
static enum vapp_reason vapp_open_check(const struct vapp_app *app, uint32_t asn,
					struct in_addr router_id, struct in_addr own_id,
					const struct vapp_app **moved)
{
	const struct vapp_app *other;

	if (!vapp_asnset_empty(&app->pool->asns) && !vapp_asnset_contains(&app->pool->asns, asn))
		return VAPP_REASON_REMOTE_AS;
	if (router_id.s_addr == own_id.s_addr)
		return VAPP_REASON_ROUTER_ID;
	/*
	 * Another admitted appliance with this identifier is a clone, unless
	 * it is this appliance's session of the other address family (an
	 * IPv4 and an IPv6 session of one dual-stack appliance, same AS), or
	 * this appliance at its old source (a move).
	 */
	frr_each (vapp_app_hash_const, &app->inst->apps, other) {
		if (other == app || other->state != VAPP_APP_ADMITTED ||
		    other->router_id.s_addr != router_id.s_addr)
			continue;
		if (other->addr.ipa_type != app->addr.ipa_type && other->remote_as == asn)
			continue;
		if (moved && vapp_is_move(app, other, asn)) {
			*moved = other;
			continue;
		}
		return VAPP_REASON_ROUTER_ID;
	}
	return VAPP_REASON_NONE;
}

enum vapp_app_state vapp_admit_open(struct vapp_app *app, uint32_t asn, struct in_addr router_id,
				    struct in_addr own_id, int64_t now)
{
	const struct vapp_app *moved = NULL;
	enum vapp_reason reason;

	if (app->state != VAPP_APP_CONNECTING || !app->pool)
		return app->state;
	app->remote_as = asn;
	app->router_id = router_id;
	reason = vapp_open_check(app, asn, router_id, own_id, &moved);
	if (reason != VAPP_REASON_NONE) {
		vapp_app_reject(app, reason, VAPP_VERDICT_REJECTED, now);
		return app->state;
	}
	/* decided afresh (a graceful restart's new session, too) */
	app->move_pending = moved != NULL;
	if (moved)
		app->move_from = moved->addr;
	app->state = VAPP_APP_ADMITTED;
	app->since = now;
	app->pool->admitted++;
	vapp_decide(app->inst, app->pool, &app->addr, VAPP_VERDICT_ADMITTED, VAPP_REASON_NONE, asn,
		    now);
	return app->state;
}

enum vapp_reason vapp_admit_second_open(struct vapp_app *app, uint32_t asn,
					struct in_addr router_id, struct in_addr own_id, int64_t now)
{
	const struct vapp_app *moved = NULL;
	enum vapp_reason reason;

	if (!app->pool)
		return app->reason != VAPP_REASON_NONE ? app->reason : VAPP_REASON_NO_POOL;
	/*
	 * The restarted session of a graceful restart: a new session, not a
	 * collision; decided as the first OPEN was (the checks from the source
	 * address stand: the neighbor is the same), failures counted.
	 */
	if (app->gr_wait && app->state == VAPP_APP_ADMITTED) {
		app->gr_wait = false;
		app->state = VAPP_APP_CONNECTING;
		app->since = now;
	}
	switch (app->state) {
	case VAPP_APP_CONNECTING:
		/* the appliance's first OPEN: it decides the appliance */
		vapp_admit_open(app, asn, router_id, own_id, now);
		return app->state == VAPP_APP_REJECTED ? app->reason : VAPP_REASON_NONE;
	case VAPP_APP_REJECTED:
		return app->reason;
	case VAPP_APP_ADMITTED:
		break;
	}
	/* admitted already: this OPEN gets the same checks, and the same AS
	 * (a move is no clone here either) */
	reason = vapp_open_check(app, asn, router_id, own_id, &moved);
	if (reason == VAPP_REASON_NONE && asn != app->remote_as)
		reason = VAPP_REASON_REMOTE_AS;
	if (reason == VAPP_REASON_NONE)
		return reason;
	app->pool->rejected[reason]++;
	vapp_decide(app->inst, app->pool, &app->addr, VAPP_VERDICT_REJECTED, reason, asn, now);
	return reason;
}

enum vapp_reason vapp_admit_confirm(struct vapp_app *app, uint32_t asn, struct in_addr router_id,
				    int64_t now)
{
	if (app->state != VAPP_APP_ADMITTED ||
	    (asn == app->remote_as && router_id.s_addr == app->router_id.s_addr))
		return VAPP_REASON_NONE;
	vapp_app_reject(app, VAPP_REASON_OPEN_MISMATCH, VAPP_VERDICT_REJECTED, now);
	return VAPP_REASON_OPEN_MISMATCH;
}

void vapp_app_established(struct vapp_app *app, bool up, int64_t now)
{
	app->established = up;
	if (up) {
		app->was_established = true;
		app->gr_wait = false;
	}
}

unsigned int vapp_app_takeover(struct vapp_app *app, int64_t now,
			       void (*close)(struct vapp_app *old, struct vapp_app *app, void *arg),
			       void *arg)
{
	struct vapp_app *old;
	unsigned int n = 0;

	if (!app->move_pending || app->state != VAPP_APP_ADMITTED)
		return 0;
	app->move_pending = false;
	/* every admitted session of the same appliance at another source
	 * (it may have moved twice before one came up) */
	frr_each_safe (vapp_app_hash, &app->inst->apps, old) {
		if (old == app || old->state != VAPP_APP_ADMITTED ||
		    old->router_id.s_addr != app->router_id.s_addr ||
		    !vapp_same_appliance(app, old, app->remote_as))
			continue;
		vapp_app_reject(old, VAPP_REASON_MOVED, VAPP_VERDICT_DISCONNECTED, now);
		close(old, app, arg);
		n++;
	}
	return n;
}

bool vapp_admit_other_local(struct vapp_app *app, int64_t now)
{
	if (app->state == VAPP_APP_REJECTED || !app->pool)
		return false;
	app->pool->rejected[VAPP_REASON_ALREADY_PEERED]++;
	/* the first one of this session is a decision; the rest only count */
	if (app->peered_refused++ == 0)
		vapp_decide(app->inst, app->pool, &app->addr, VAPP_VERDICT_REJECTED,
			    VAPP_REASON_ALREADY_PEERED, app->remote_as, now);
	return true;
}

void vapp_app_gr_wait(struct vapp_app *app, int64_t now)
{
	app->established = false;
	/* what bgpd keeps: its accepted paths, stale */
	vapp_policy_keep_accepted(app);
	if (app->state == VAPP_APP_ADMITTED)
		app->gr_wait = true;
}

#define VAPP_NOTIFY_CEASE 6

void vapp_app_notify_received(struct vapp_app *app, uint8_t code)
{
	if (code != VAPP_NOTIFY_CEASE)
		app->error_notify = true;
}

void vapp_app_closed(struct vapp_app *app, int64_t now)
{
	/* a rejection already counted whatever failure it was */
	if (app->state != VAPP_APP_REJECTED && (!app->was_established || app->error_notify))
		vapp_app_failure(app, now);
	vapp_app_free(app);
}

/* ---- re-evaluation after configuration changes -------------------------------------- */

unsigned int vapp_inst_reevaluate(struct vapp_inst *inst, const struct vapp_facts *facts,
				  void (*disconnect)(struct vapp_app *app, void *arg), int64_t now)
{
	struct vapp_app *app;
	struct vapp_pool *pool;
	unsigned int n = 0;

	frr_each_safe (vapp_app_hash, &inst->apps, app) {
		struct vapp_pool *sel;
		enum vapp_reason reason;

		if (app->state == VAPP_APP_REJECTED)
			continue;
		/*
		 * No pool governs its peer-group any more (its last one was
		 * removed): its routes would go unchecked, so it is disconnected
		 * like one that matches no pool.
		 */
		sel = vapp_inst_pools_of_group(inst, app->peer_group)
			      ? vapp_pool_select(inst, app->peer_group, &app->addr)
			      : NULL;
		if (!app->pool || sel != app->pool) {
			/* no pool any more, or moved to another pool: reconnect */
			reason = sel ? VAPP_REASON_NONE : VAPP_REASON_NO_POOL;
		} else {
			reason = vapp_source_check(app, app->pool, facts, now, false);
			if (reason == VAPP_REASON_POOL_FULL)
				reason = VAPP_REASON_NONE; /* decided below, oldest first */
			if (reason == VAPP_REASON_NONE && app->state == VAPP_APP_ADMITTED &&
			    !vapp_asnset_empty(&app->pool->asns) &&
			    !vapp_asnset_contains(&app->pool->asns, app->remote_as))
				reason = VAPP_REASON_REMOTE_AS;
			if (reason == VAPP_REASON_NONE)
				continue;
		}
		vapp_app_reject(app, reason, VAPP_VERDICT_DISCONNECTED, now);
		disconnect(app, facts->arg);
		n++;
	}

	/* a lowered max-sessions keeps the longest-held sessions */
	frr_each (vapp_pool_tree, &inst->pools, pool) {
		while (pool->max_sessions && vapp_app_list_count(&pool->apps) > pool->max_sessions) {
			app = vapp_app_list_last(&pool->apps);
			vapp_app_reject(app, VAPP_REASON_POOL_FULL, VAPP_VERDICT_DISCONNECTED, now);
			disconnect(app, facts->arg);
			n++;
		}
	}
	return n;
}
