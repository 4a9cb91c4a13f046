// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: admission and quarantine, differential against a
 * reference model, with a fake clock.
 *
 * Each input is a run over one instance: up to three pools on two
 * peer-groups with sources, deny-sources, AS sets (given as the strings
 * the CLI takes), max-sessions, quarantine parameters, a required
 * password, and the facts only bgpd knows (password set, policy enforced);
 * up to six appliances connecting, sending their OPEN, going Established
 * and down, sending NOTIFICATIONs and closing; time jumps; configuration
 * changes followed by re-evaluation; quarantine clears. After every step
 * the decisions the core reported (verdict, reason, AS, pool, whether
 * logged, how many were not), the state and reason of every appliance,
 * the pools' counters and slots, every source record (failures, window,
 * quarantine, last decision, log rate limit), the admission log and the
 * `show ... appliances` view are compared with the model, which keeps all
 * of it in plain arrays with linear scans, from doc/concepts.rst and
 * module/vapp_core.h.
 *
 * Also driven: a second OPEN from an appliance's address (bgpd's
 * connection collision), the graceful-restart wait and its restarted
 * session, and bgpd's own reading of the OPEN once it accepted it
 * (OpenConfirm). The model decides which appliances a re-evaluation
 * disconnects, and why, from the configuration alone; only the order of
 * the disconnects (hash order, unspecified) is read from the core's report,
 * so that the decisions, which touch source records, follow it.
 * Adopting the sessions that predate their peer-group's pool is the glue
 * composing these calls (vapp_bgp_adopt()), reached by their sequences
 * here and by the differential topotest (re-adding a pool); the 3 s grace of an unenforced
 * policy is the glue's fact (vapp_bgp_policy_debounced()), the policy
 * topotest's part.
 */
#include <zebra.h>

#include "darr.h"
#include "prefix.h"

#include "module/vapp_core.h"
#include "fuzz_common.h"

#define NPOOL	4
#define NPG	2
#define NAPP	6
#define NSRC	4
#define NDENY	3
#define NASN	4
#define NMSRC	96 /* more than the distinct addresses the input can make */
#define NDEC	64
#define MAX_OPS 300
#define T0	1000000
#define OWN_ID	0x0aff0001
#define CEASE	6

struct maddr {
	uint8_t fam;
	uint8_t b[16];
};

struct mpfx {
	uint8_t fam;
	uint8_t len;
	uint8_t b[16];
};

static bool m_bit(const uint8_t *b, unsigned int i)
{
	return (b[i / 8] >> (7 - i % 8)) & 1;
}

static bool m_addr_in(const struct mpfx *p, const struct maddr *a)
{
	if (p->fam != a->fam)
		return false;
	for (unsigned int i = 0; i < p->len; i++)
		if (m_bit(p->b, i) != m_bit(a->b, i))
			return false;
	return true;
}

static bool m_pfx_same(const struct mpfx *a, const struct mpfx *b)
{
	return a->fam == b->fam && a->len == b->len && !memcmp(a->b, b->b, 16);
}

static bool m_addr_same(const struct maddr *a, const struct maddr *b)
{
	return a->fam == b->fam && !memcmp(a->b, b->b, 16);
}

/* IPv4 before IPv6, then octet by octet */
static int m_addr_cmp(const struct maddr *a, const struct maddr *b)
{
	if (a->fam != b->fam)
		return a->fam < b->fam ? -1 : 1;
	return memcmp(a->b, b->b, 16);
}

static struct ipaddr to_ipaddr(const struct maddr *m)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (m->fam == 4) {
		SET_IPADDR_V4(&a);
		memcpy(&a.ipaddr_v4, m->b, 4);
	} else {
		SET_IPADDR_V6(&a);
		memcpy(&a.ipaddr_v6, m->b, 16);
	}
	return a;
}

static struct maddr from_ipaddr(const struct ipaddr *a)
{
	struct maddr m;

	memset(&m, 0, sizeof(m));
	m.fam = IS_IPADDR_V4(a) ? 4 : 6;
	memcpy(m.b, &a->ip, m.fam == 4 ? 4 : 16);
	return m;
}

static struct prefix to_prefix(const struct mpfx *m)
{
	struct prefix p;

	memset(&p, 0, sizeof(p));
	p.family = m->fam == 4 ? AF_INET : AF_INET6;
	p.prefixlen = m->len;
	memcpy(&p.u.prefix, m->b, m->fam == 4 ? 4 : 16);
	return p;
}

/* ---- input --------------------------------------------------------------- */

static const uint8_t oct2[4] = { 0, 1, 2, 255 };
static const uint8_t oct3[8] = { 1, 2, 3, 4, 64, 128, 129, 255 };
static const uint8_t len4[] = { 0, 8, 15, 16, 23, 24, 26, 30, 31, 32 };
static const uint8_t len6[] = { 0, 32, 48, 64, 120, 126, 128 };

/* 64 IPv4 and 16 IPv6 addresses: sources repeat, prefixes overlap */
static struct maddr gen_addr(struct fz *f)
{
	struct maddr a = {};
	uint8_t x = fz_u8(f);

	if ((x & 0xc0) == 0xc0) {
		a.fam = 6;
		a.b[0] = 0x20, a.b[1] = 0x01, a.b[2] = 0x0d, a.b[3] = 0xb8;
		a.b[5] = x & 1;
		a.b[15] = oct3[(x >> 1) & 7];
	} else {
		a.fam = 4;
		a.b[0] = 10;
		a.b[1] = x & 1;
		a.b[2] = oct2[(x >> 1) & 3];
		a.b[3] = oct3[(x >> 3) & 7];
	}
	return a;
}

static struct mpfx gen_pfx(struct fz *f)
{
	struct maddr a = gen_addr(f);
	struct mpfx p = { .fam = a.fam };

	p.len = a.fam == 4 ? fz_pick(f, len4) : fz_pick(f, len6);
	memcpy(p.b, a.b, 16);
	for (unsigned int i = p.len; i < 128; i++)
		p.b[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
	return p;
}

static const uint32_t asns[] = { 1,	64512, 65000,	    65001,	65002,
				 65535, 65536, 4200000000u, 4294967295u };
static const uint32_t rids[] = { OWN_ID, 0x01010101, 0x01010102, 0x01010103, 0x02020202 };

/* ---- the model ---------------------------------------------------------------- */

struct msrc {
	struct maddr addr;
	uint64_t touched; /* least recently touched goes first when full */
	uint32_t failures;
	int64_t window_start, until;
	int64_t last_log;
	uint32_t suppressed;
	enum vapp_verdict log_verdict; /* the last logged decision */
	enum vapp_reason log_reason;
	int64_t last_time;
	uint8_t last_reason;
	bool last_admitted;
	uint32_t last_as;
};

/* the records in s[0 .. n-1], in no particular order */
struct mtab {
	struct msrc s[NMSRC];
	int n;
	uint32_t cap;
	uint64_t evicted;
};

struct masn {
	uint32_t lo, hi;
};

/* a pool's log lines in its current interval (doc/runbook.rst) */
struct mbudget {
	int64_t start; /* 0: none yet */
	uint32_t used, held;
};

struct mpool {
	bool live;
	struct vapp_pool *pool;
	int pg;
	struct mpfx src[NSRC];
	int nsrc;
	struct mpfx deny[NDENY];
	int ndeny;
	struct masn asn[NASN];
	int nasn;
	uint32_t max_sessions;
	struct vapp_qcfg q;
	bool require_password;
	enum vapp_mobility mob;
	bool password, policy; /* the facts bgpd would answer */
	struct mbudget logb;
	uint64_t admitted, rejected[VAPP_REASON_MAX];
	struct mtab srcs;
	int slot[NAPP]; /* appliances holding a session slot, oldest first */
	int nslot;
};

struct mapp {
	bool live;
	struct vapp_app *app;
	struct maddr addr;
	int pg;
	int pool;
	enum vapp_app_state state;
	enum vapp_reason reason;
	bool holds;
	bool est, was_est, err;
	bool gr;		 /* waiting for its graceful restart */
	bool move;		 /* admitted as a move: takes over when Established */
	uint32_t peered_refused; /* second sessions to another local address */
	uint32_t as, rid;
	int64_t since;
};

struct mdec {
	char pool[VAPP_NAME_MAX + 1];
	struct maddr addr;
	enum vapp_verdict verdict;
	enum vapp_reason reason;
	uint32_t asn;
	bool log;
	uint32_t suppressed;
	uint32_t pool_held;
};


struct run {
	struct fz f;
	struct vapp_ctx ctx;
	struct vapp_inst *inst;
	int64_t now;
	uint64_t clock; /* touches, for the model's LRU */
	struct mpool pools[NPOOL];
	struct mapp apps[NAPP];
	struct mtab unpooled;
	struct mbudget unpooled_logb;
	uint64_t nopool[NPG];
	uint64_t alog_seq;
	struct vapp_alog_entry newest; /* the model's newest log entry */
	/* decisions: reported by the core, expected by the model */
	struct mdec got[NDEC], want[NDEC];
	int ngot, nwant;
	struct vapp_app *disc_got[NAPP * 2];
	int ndisc_got;
	unsigned int moved; /* closed by the takeover of one step */
};

static const char *const pg_names[NPG] = { "G0", "G1" };
static const char *const pool_names[NPOOL] = { "p0", "p1", "p2", "p3" };

static struct msrc *m_tab_find(struct mtab *t, const struct maddr *a)
{
	for (int i = 0; i < t->n; i++)
		if (m_addr_same(&t->s[i].addr, a))
			return &t->s[i];
	return NULL;
}

static size_t m_tab_count(const struct mtab *t)
{
	return (size_t)t->n;
}

/* finds or creates the record of @a, touching it; forgets the stalest when full */
static struct msrc *m_tab_get(struct run *r, struct mtab *t, const struct maddr *a)
{
	struct msrc *s = m_tab_find(t, a);
	int i;

	if (!s) {
		if (m_tab_count(t) >= t->cap) {
			int old = 0;

			for (i = 1; i < t->n; i++)
				if (t->s[i].touched < t->s[old].touched)
					old = i;
			t->s[old] = t->s[--t->n];
			t->evicted++;
		}
		FZ_CHECK(t->n < NMSRC, "model source table full");
		s = &t->s[t->n++];
		memset(s, 0, sizeof(*s));
		s->addr = *a;
	}
	s->touched = ++r->clock;
	return s;
}

static bool m_asn_in(const struct mpool *mp, uint32_t asn)
{
	for (int i = 0; i < mp->nasn; i++)
		if (asn >= mp->asn[i].lo && asn <= mp->asn[i].hi)
			return true;
	return false;
}

/* longest source over the group's pools, else its pool without sources */
static int m_select(const struct run *r, int pg, const struct maddr *a)
{
	int best = -1, best_len = -1, fallback = -1;

	for (int i = 0; i < NPOOL; i++) {
		const struct mpool *mp = &r->pools[i];

		if (!mp->live || mp->pg != pg)
			continue;
		if (!mp->nsrc) {
			if (fallback < 0)
				fallback = i;
			continue;
		}
		for (int k = 0; k < mp->nsrc; k++)
			if (m_addr_in(&mp->src[k], a) && mp->src[k].len > best_len) {
				best_len = mp->src[k].len;
				best = i;
			}
	}
	return best >= 0 ? best : fallback;
}

static int m_pools_of(const struct run *r, int pg)
{
	int n = 0;

	for (int i = 0; i < NPOOL; i++)
		n += r->pools[i].live && r->pools[i].pg == pg;
	return n;
}

/* a decision: the admission log, the source's last decision, the log limit */
static void m_decide(struct run *r, int pool, const struct maddr *a, enum vapp_verdict verdict,
		     enum vapp_reason reason, uint32_t asn)
{
	struct mtab *t = pool >= 0 ? &r->pools[pool].srcs : &r->unpooled;
	struct msrc *s = m_tab_get(r, t, a);
	struct mdec *d;

	FZ_CHECK(r->nwant < NDEC, "too many decisions in one step");
	d = &r->want[r->nwant++];
	memset(d, 0, sizeof(*d));
	if (pool >= 0)
		strlcpy(d->pool, pool_names[pool], sizeof(d->pool));
	d->addr = *a;
	d->verdict = verdict;
	d->reason = reason;
	d->asn = asn;

	/* a quarantine follows from the decision before it: that one stays
	 * shown; a refused second session leaves the admitted source's record */
	if (verdict != VAPP_VERDICT_QUARANTINED && reason != VAPP_REASON_ALREADY_PEERED) {
		s->last_time = r->now;
		s->last_reason = reason;
		s->last_admitted = verdict == VAPP_VERDICT_ADMITTED;
		if (asn)
			s->last_as = asn;
	}
	/*
	 * the same decision: at most one zlog line and admission-log entry per
	 * source and 10 s, the next saying how many were not; a different one
	 * is logged at once
	 */
	if (s->last_log && s->log_verdict == verdict && s->log_reason == reason &&
	    r->now - s->last_log < VAPP_LOG_INTERVAL_MS) {
		s->suppressed++;
		return;
	}
	/*
	 * and per pool: 20 lines per interval of 10 s from its first, the
	 * first line after it saying how many it held back; an admission
	 * always goes (and counts); one held back counts as left out at its
	 * source, which logs its next decision
	 */
	{
		struct mbudget *b = pool >= 0 ? &r->pools[pool].logb : &r->unpooled_logb;

		if (!b->start || r->now - b->start >= VAPP_LOG_INTERVAL_MS) {
			d->pool_held = b->held;
			*b = (struct mbudget){ .start = r->now };
		}
		if (b->used >= 20 && verdict != VAPP_VERDICT_ADMITTED) {
			b->held++;
			s->suppressed++;
			return;
		}
		b->used++;
	}
	d->log = true;
	d->suppressed = s->suppressed;
	s->suppressed = 0;
	s->last_log = r->now;
	s->log_verdict = verdict;
	s->log_reason = reason;

	r->alog_seq++;
	memset(&r->newest, 0, sizeof(r->newest));
	r->newest.seq = r->alog_seq;
	r->newest.time = r->now;
	r->newest.addr = to_ipaddr(a);
	strlcpy(r->newest.pool, d->pool, sizeof(r->newest.pool));
	r->newest.verdict = verdict;
	r->newest.reason = reason;
	r->newest.asn = asn;
	r->newest.suppressed = d->suppressed;
}

/*
 * A failure of the appliance's source: @failures of them in a window of
 * @within seconds, counted from the window's first failure, put the source
 * in quarantine for @hold seconds and start counting afresh.
 */
static void m_failure(struct run *r, struct mapp *a)
{
	struct mpool *mp;
	struct msrc *s;

	if (a->pool < 0)
		return;
	mp = &r->pools[a->pool];
	s = m_tab_get(r, &mp->srcs, &a->addr);
	if (!mp->q.enabled)
		return;
	if (!s->failures || r->now - s->window_start >= (int64_t)mp->q.within * 1000) {
		s->window_start = r->now;
		s->failures = 0;
	}
	if (++s->failures < mp->q.failures)
		return;
	s->failures = 0;
	s->until = r->now + (int64_t)mp->q.hold * 1000;
	m_decide(r, a->pool, &a->addr, VAPP_VERDICT_QUARANTINED, VAPP_REASON_QUARANTINED, a->as);
}

static void m_release(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	struct mpool *mp;
	int k;

	if (!a->holds)
		return;
	a->holds = false;
	mp = &r->pools[a->pool];
	for (k = 0; k < mp->nslot && mp->slot[k] != i; k++)
		;
	FZ_CHECK(k < mp->nslot, "model: slot of %d not found", i);
	memmove(&mp->slot[k], &mp->slot[k + 1], (mp->nslot - k - 1) * sizeof(mp->slot[0]));
	mp->nslot--;
}

static void m_reject(struct run *r, int i, enum vapp_reason reason, enum vapp_verdict verdict)
{
	struct mapp *a = &r->apps[i];

	a->state = VAPP_APP_REJECTED;
	a->reason = reason;
	a->since = r->now;
	a->move = false;
	m_release(r, i);
	if (a->pool >= 0)
		r->pools[a->pool].rejected[reason]++;
	else if (reason == VAPP_REASON_NO_POOL)
		r->nopool[a->pg]++;
	m_decide(r, a->pool, &a->addr, verdict, reason, a->as);
	/* what the appliance did wrong counts toward its quarantine */
	if (verdict == VAPP_VERDICT_REJECTED &&
	    (reason == VAPP_REASON_REMOTE_AS || reason == VAPP_REASON_ROUTER_ID ||
	     reason == VAPP_REASON_OPEN_MISMATCH))
		m_failure(r, a);
}

static bool m_quarantined(struct run *r, const struct mpool *mp, const struct maddr *a)
{
	struct msrc *s = m_tab_find((struct mtab *)&mp->srcs, a);

	return mp->q.enabled && s && s->until > r->now;
}

/* the checks on the source, in the documented order */
static enum vapp_reason m_source_check(struct run *r, const struct mapp *a, bool self)
{
	const struct mpool *mp = &r->pools[a->pool];

	for (int k = 0; k < mp->ndeny; k++)
		if (m_addr_in(&mp->deny[k], &a->addr))
			return VAPP_REASON_DENIED_SOURCE;
	if (m_quarantined(r, mp, &a->addr))
		return VAPP_REASON_QUARANTINED;
	if (mp->require_password && !mp->password)
		return VAPP_REASON_NO_PASSWORD;
	if (!mp->policy)
		return VAPP_REASON_POLICY_NOT_ENFORCED;
	if (mp->max_sessions && (uint32_t)mp->nslot + (self ? 1 : 0) > mp->max_sessions)
		return VAPP_REASON_POOL_FULL;
	return VAPP_REASON_NONE;
}

/* ---- the core's callbacks ----------------------------------------------------- */

static struct mpool *pool_of(struct run *r, const struct vapp_pool *pool)
{
	for (int i = 0; i < NPOOL; i++)
		if (r->pools[i].live && r->pools[i].pool == pool)
			return &r->pools[i];
	fz_fail(__FILE__, __LINE__, "facts asked for an unknown pool");
}

static bool fact_password(const struct vapp_pool *pool, void *arg)
{
	return pool_of(arg, pool)->password;
}

static bool fact_policy(const struct vapp_pool *pool, void *arg)
{
	return pool_of(arg, pool)->policy;
}

static void on_decision(const struct vapp_decision *d, void *arg)
{
	struct run *r = arg;
	struct mdec *m;

	FZ_CHECK(r->ngot < NDEC, "too many decisions in one step");
	m = &r->got[r->ngot++];
	memset(m, 0, sizeof(*m));
	strlcpy(m->pool, d->entry->pool, sizeof(m->pool));
	m->addr = from_ipaddr(&d->entry->addr);
	m->verdict = d->entry->verdict;
	m->reason = d->entry->reason;
	m->asn = d->entry->asn;
	m->log = d->log;
	m->suppressed = d->suppressed;
	m->pool_held = d->pool_held;
	FZ_CHECK(d->entry->time == r->now, "decision at %" PRId64 ", now %" PRId64, d->entry->time,
		 r->now);
}

static void on_disconnect(struct vapp_app *app, void *arg)
{
	struct run *r = arg;

	FZ_CHECK(r->ndisc_got < NAPP * 2, "too many disconnects");
	r->disc_got[r->ndisc_got++] = app;
}

/* ---- comparisons ------------------------------------------------------------------ */

static void check_decisions(struct run *r)
{
	FZ_CHECK(r->ngot == r->nwant, "%d decisions, model %d", r->ngot, r->nwant);
	for (int i = 0; i < r->ngot; i++) {
		struct mdec *g = &r->got[i], *w = &r->want[i];
		struct ipaddr ga = to_ipaddr(&g->addr), wa = to_ipaddr(&w->addr);

		FZ_CHECK(m_addr_same(&g->addr, &w->addr) && !strcmp(g->pool, w->pool) &&
				 g->verdict == w->verdict && g->reason == w->reason &&
				 g->asn == w->asn,
			 "decision %d: %pIA pool '%s' %s %s AS %u; model %pIA pool '%s' %s %s AS %u",
			 i, &ga, g->pool, vapp_verdict_name(g->verdict),
			 vapp_reason_name(g->reason), g->asn, &wa, w->pool,
			 vapp_verdict_name(w->verdict), vapp_reason_name(w->reason), w->asn);
		FZ_CHECK(g->log == w->log && g->suppressed == w->suppressed &&
				 g->pool_held == w->pool_held,
			 "decision %d (%pIA): log %d suppressed %u pool held %u; model log %d suppressed %u pool held %u",
			 i, &ga, g->log, g->suppressed, g->pool_held, w->log, w->suppressed,
			 w->pool_held);
	}
	r->ngot = r->nwant = 0;
}

static void check_tab(struct run *r, const struct vapp_srctab *tab, struct mtab *t, const char *what)
{
	FZ_CHECK(vapp_srctab_count(tab) == m_tab_count(t), "%s: %zu sources, model %zu", what,
		 vapp_srctab_count(tab), m_tab_count(t));
	FZ_CHECK(tab->evicted == t->evicted, "%s: %" PRIu64 " evicted, model %" PRIu64, what,
		 tab->evicted, t->evicted);
	for (int i = 0; i < t->n; i++) {
		struct msrc *m = &t->s[i];
		struct ipaddr a;
		const struct vapp_src *s;

		a = to_ipaddr(&m->addr);
		s = vapp_src_find(tab, &a);
		FZ_CHECK(s, "%s: source %pIA missing", what, &a);
		FZ_CHECK(s->failures == m->failures && s->quarantined_until == m->until &&
				 (!m->failures || s->window_start == m->window_start),
			 "%s: %pIA failures %u window %" PRId64 " until %" PRId64
			 "; model %u %" PRId64 " %" PRId64,
			 what, &a, s->failures, s->window_start, s->quarantined_until, m->failures,
			 m->window_start, m->until);
		FZ_CHECK(s->last_time == m->last_time && s->last_reason == m->last_reason &&
				 s->last_admitted == m->last_admitted && s->last_as == m->last_as,
			 "%s: %pIA last decision differs", what, &a);
		FZ_CHECK(s->last_log == m->last_log && s->suppressed == m->suppressed,
			 "%s: %pIA log limit %" PRId64 "/%u; model %" PRId64 "/%u", what, &a,
			 s->last_log, s->suppressed, m->last_log, m->suppressed);
		FZ_CHECK(vapp_src_quarantined(s, r->now) == (m->until > r->now),
			 "%s: %pIA quarantine", what, &a);
	}
}

static void check_state(struct run *r)
{
	size_t live = 0;

	check_decisions(r);
	for (int i = 0; i < NAPP; i++) {
		struct mapp *a = &r->apps[i];
		const struct vapp_app *app = a->app;
		struct ipaddr ia;

		if (!a->live)
			continue;
		live++;
		ia = to_ipaddr(&a->addr);
		FZ_CHECK(vapp_app_lookup(r->inst, &ia) == app, "app %d (%pIA) not found", i, &ia);
		FZ_CHECK(app->state == a->state, "app %d (%pIA) %s, model %s", i, &ia,
			 vapp_app_state_name(app->state), vapp_app_state_name(a->state));
		FZ_CHECK(a->state != VAPP_APP_REJECTED || app->reason == a->reason,
			 "app %d (%pIA) reason %s, model %s", i, &ia, vapp_reason_name(app->reason),
			 vapp_reason_name(a->reason));
		FZ_CHECK(a->pool < 0 ? !app->pool : app->pool == r->pools[a->pool].pool,
			 "app %d (%pIA) pool %s, model %s", i, &ia,
			 app->pool ? app->pool->name : "-", a->pool < 0 ? "-" : pool_names[a->pool]);
		FZ_CHECK(app->holds_slot == a->holds && app->established == a->est &&
				 app->was_established == a->was_est && app->error_notify == a->err,
			 "app %d (%pIA) flags", i, &ia);
		FZ_CHECK(app->remote_as == a->as && ntohl(app->router_id.s_addr) == a->rid,
			 "app %d (%pIA) AS/identifier", i, &ia);
		FZ_CHECK(app->since == a->since, "app %d (%pIA) since %" PRId64 ", model %" PRId64,
			 i, &ia, app->since, a->since);
		FZ_CHECK(app->move_pending == a->move && app->peered_refused == a->peered_refused,
			 "app %d (%pIA) move pending %d, %u second sessions refused; model %d, %u",
			 i, &ia, app->move_pending, app->peered_refused, a->move, a->peered_refused);
	}
	FZ_CHECK(vapp_app_count(r->inst) == live, "%zu appliances, model %zu",
		 vapp_app_count(r->inst), live);
	for (int i = 0; i < NPOOL; i++) {
		struct mpool *mp = &r->pools[i];
		unsigned int est = 0;

		FZ_CHECK((vapp_pool_lookup(r->inst, pool_names[i]) != NULL) == mp->live,
			 "pool %d existence", i);
		if (!mp->live)
			continue;
		for (int k = 0; k < mp->nslot; k++)
			est += r->apps[mp->slot[k]].est;
		FZ_CHECK(vapp_pool_sessions_held(mp->pool) == (unsigned int)mp->nslot,
			 "pool %d: %u sessions held, model %d", i,
			 vapp_pool_sessions_held(mp->pool), mp->nslot);
		FZ_CHECK(vapp_pool_established(mp->pool) == est, "pool %d: %u established, model %u",
			 i, vapp_pool_established(mp->pool), est);
		FZ_CHECK(mp->pool->admitted == mp->admitted, "pool %d admitted count", i);
		for (int k = 0; k < VAPP_REASON_MAX; k++)
			FZ_CHECK(mp->pool->rejected[k] == mp->rejected[k],
				 "pool %d rejected %s: %" PRIu64 ", model %" PRIu64, i,
				 vapp_reason_name(k), mp->pool->rejected[k], mp->rejected[k]);
		check_tab(r, &mp->pool->srcs, &mp->srcs, pool_names[i]);
	}
	check_tab(r, &r->inst->unpooled, &r->unpooled, "unpooled");
	for (int g = 0; g < NPG; g++)
		FZ_CHECK(vapp_inst_nopool_count(r->inst, pg_names[g]) == r->nopool[g],
			 "noPool count of %s", pg_names[g]);
	FZ_CHECK(vapp_alog_count(r->inst) ==
			 (r->alog_seq < VAPP_ALOG_SIZE ? r->alog_seq : VAPP_ALOG_SIZE),
		 "admission log length");
	if (r->alog_seq) {
		const struct vapp_alog_entry *e = vapp_alog_get(r->inst, 0);

		FZ_CHECK(e && e->seq == r->newest.seq && e->time == r->newest.time &&
				 !ipaddr_cmp(&e->addr, &r->newest.addr) &&
				 !strcmp(e->pool, r->newest.pool) &&
				 e->verdict == r->newest.verdict && e->reason == r->newest.reason &&
				 e->asn == r->newest.asn && e->suppressed == r->newest.suppressed,
			 "newest admission log entry differs");
	}
}

/* ---- the view of `show ... appliances` ------------------------------------------- */

struct mview {
	struct maddr addr;
	const char *pool;
	enum vapp_view_state state;
	bool established;
	enum vapp_reason reason;
	uint32_t remote_as, rid;
	int64_t since, until;
};

static int mview_cmp(const void *a, const void *b)
{
	const struct mview *x = a, *y = b;
	int c = m_addr_cmp(&x->addr, &y->addr);

	if (c)
		return c;
	return strcmp(x->pool ? x->pool : "", y->pool ? y->pool : "");
}

static bool m_app_at(const struct run *r, const struct maddr *a)
{
	for (int i = 0; i < NAPP; i++)
		if (r->apps[i].live && m_addr_same(&r->apps[i].addr, a))
			return true;
	return false;
}

static void op_views(struct run *r)
{
	int filter = fz_below(&r->f, NPOOL + 1) - 1; /* -1: every pool */
	const char *pname = filter >= 0 ? pool_names[filter] : NULL;
	struct mview want[NAPP + NPOOL * NMSRC], got[NAPP + NPOOL * NMSRC];
	struct vapp_appview *views;
	size_t nw = 0, ng;

	for (int i = 0; i < NAPP; i++) {
		struct mapp *a = &r->apps[i];
		struct mview *v;

		if (!a->live || (pname && a->pool != filter))
			continue;
		v = &want[nw++];
		memset(v, 0, sizeof(*v));
		v->addr = a->addr;
		v->pool = a->pool >= 0 ? pool_names[a->pool] : NULL;
		v->state = a->state == VAPP_APP_CONNECTING ? VAPP_VIEW_CONNECTING
			   : a->state == VAPP_APP_ADMITTED ? VAPP_VIEW_ADMITTED
							   : VAPP_VIEW_REJECTED;
		v->established = a->est;
		v->reason = a->state == VAPP_APP_REJECTED ? a->reason : VAPP_REASON_NONE;
		v->remote_as = a->as;
		v->rid = a->rid;
		v->since = a->since;
	}
	for (int i = 0; i < NPOOL; i++) {
		struct mpool *mp = &r->pools[i];

		if (!mp->live || (pname && i != filter))
			continue;
		for (int k = 0; k < mp->srcs.n; k++) {
			struct msrc *s = &mp->srcs.s[k];
			bool q;
			struct mview *v;

			if (m_app_at(r, &s->addr))
				continue;
			/* quarantined, or rejected within the last hour */
			q = mp->q.enabled && s->until > r->now;
			if (!q && (s->last_admitted || !s->last_time ||
				   r->now - s->last_time > VAPP_VIEW_REJECTED_TTL_MS))
				continue;
			v = &want[nw++];
			memset(v, 0, sizeof(*v));
			v->addr = s->addr;
			v->pool = pool_names[i];
			v->state = q ? VAPP_VIEW_QUARANTINED : VAPP_VIEW_REJECTED;
			v->reason = q ? VAPP_REASON_QUARANTINED : s->last_reason;
			v->remote_as = s->last_as;
			v->since = s->last_time;
			v->until = q ? s->until : 0;
		}
	}
	views = vapp_inst_appviews(r->inst, pname, r->now);
	ng = darr_len(views);
	FZ_CHECK(ng == nw, "%zu views, model %zu", ng, nw);
	for (size_t i = 0; i < ng; i++) {
		struct mview *v = &got[i];

		FZ_CHECK(i == 0 || ipaddr_cmp(&views[i - 1].addr, &views[i].addr) <= 0,
			 "views not sorted by address");
		memset(v, 0, sizeof(*v));
		v->addr = from_ipaddr(&views[i].addr);
		v->pool = views[i].pool;
		v->state = views[i].state;
		v->established = views[i].established;
		/* a connected appliance's reason only means something once rejected */
		v->reason = views[i].state == VAPP_VIEW_CONNECTING ||
					    views[i].state == VAPP_VIEW_ADMITTED
				    ? VAPP_REASON_NONE
				    : views[i].reason;
		v->remote_as = views[i].remote_as;
		v->rid = ntohl(views[i].router_id.s_addr);
		v->since = views[i].since;
		v->until = views[i].until;
	}
	darr_free(views);
	qsort(want, nw, sizeof(want[0]), mview_cmp);
	qsort(got, ng, sizeof(got[0]), mview_cmp);
	for (size_t i = 0; i < ng; i++) {
		struct mview *g = &got[i], *w = &want[i];
		struct ipaddr ga = to_ipaddr(&g->addr);

		FZ_CHECK(!mview_cmp(g, w) && g->state == w->state &&
				 g->established == w->established && g->reason == w->reason &&
				 g->remote_as == w->remote_as && g->rid == w->rid &&
				 g->since == w->since && g->until == w->until,
			 "view %zu (%pIA pool %s): %s %s since %" PRId64 " until %" PRId64
			 "; model %s %s since %" PRId64 " until %" PRId64,
			 i, &ga, g->pool ? g->pool : "-", vapp_view_state_name(g->state),
			 vapp_reason_name(g->reason), g->since, g->until,
			 vapp_view_state_name(w->state), vapp_reason_name(w->reason), w->since,
			 w->until);
	}
}

/* ---- operations ---------------------------------------------------------------------- */

static const struct vapp_facts *facts_of(struct run *r)
{
	static struct vapp_facts facts = {
		.password_set = fact_password,
		.policy_enforced = fact_policy,
	};

	facts.arg = r;
	return &facts;
}

/* the configuration rules pre_validate enforces, per peer-group */
static bool m_config_ok(const struct run *r)
{
	for (int i = 0; i < NPOOL; i++)
		for (int j = i + 1; j < NPOOL; j++) {
			const struct mpool *a = &r->pools[i], *b = &r->pools[j];

			if (!a->live || !b->live || a->pg != b->pg)
				continue;
			if (!a->nsrc && !b->nsrc)
				return false;
			for (int x = 0; x < a->nsrc; x++)
				for (int y = 0; y < b->nsrc; y++)
					if (m_pfx_same(&a->src[x], &b->src[y]))
						return false;
		}
	return true;
}

static void pool_create(struct run *r, int i)
{
	struct mpool *mp = &r->pools[i];
	static const uint32_t caps[] = { VAPP_SRCTAB_CAP, VAPP_SRCTAB_CAP, 2, 3 };
	struct prefix p;

	memset(mp, 0, sizeof(*mp));
	mp->live = true;
	mp->pg = fz_below(&r->f, NPG);
	/* with no source it takes the rest of its peer-group, if that is free */
	if (fz_bool(&r->f)) {
		mp->src[0] = gen_pfx(&r->f);
		mp->nsrc = 1;
	}
	if (!m_config_ok(r)) {
		memset(mp, 0, sizeof(*mp));
		return;
	}
	mp->q.enabled = true;
	mp->q.failures = VAPP_QUARANTINE_FAILURES;
	mp->q.within = VAPP_QUARANTINE_WITHIN;
	mp->q.hold = VAPP_QUARANTINE_HOLD;
	mp->require_password = true;
	mp->mob = VAPP_MOBILITY_TAKEOVER;
	mp->password = mp->policy = true;
	mp->pool = vapp_pool_new(pool_names[i]);
	/* a small source table now and then, so that eviction happens */
	mp->srcs.cap = fz_pick(&r->f, caps);
	mp->pool->srcs.cap = mp->srcs.cap;
	if (mp->nsrc) {
		p = to_prefix(&mp->src[0]);
		FZ_CHECK(vapp_pfxset_add(&mp->pool->sources, &p), "source add");
	}
	FZ_CHECK(vapp_pool_attach(r->inst, mp->pool) == 0, "attach");
	vapp_pool_set_peer_group(mp->pool, pg_names[mp->pg]);
}

static void pool_delete(struct run *r, int i)
{
	struct mpool *mp = &r->pools[i];

	vapp_pool_del(mp->pool);
	/* its appliances stay, with no pool and no slot, until re-evaluated */
	for (int k = 0; k < NAPP; k++)
		if (r->apps[k].live && r->apps[k].pool == i) {
			r->apps[k].pool = -1;
			r->apps[k].holds = false;
		}
	memset(mp, 0, sizeof(*mp));
}

static void op_source(struct run *r, struct mpool *mp, bool deny)
{
	struct mpfx *set = deny ? mp->deny : mp->src, saved[NSRC];
	int *n = deny ? &mp->ndeny : &mp->nsrc, max = deny ? NDENY : NSRC, k, saved_n = *n;
	struct vapp_pfxset *cset = deny ? &mp->pool->deny : &mp->pool->sources;
	bool add = fz_bool(&r->f), present;
	struct mpfx m;
	struct prefix p;

	if (!add && *n && fz_bool(&r->f))
		m = set[fz_below(&r->f, *n)];
	else
		m = gen_pfx(&r->f);
	for (k = 0; k < *n && !m_pfx_same(&set[k], &m); k++)
		;
	present = k < *n;
	memcpy(saved, set, sizeof(struct mpfx) * saved_n);
	if (add && !present) {
		if (*n == max)
			return;
		set[(*n)++] = m;
	} else if (!add && present) {
		set[k] = set[--(*n)];
	}
	/* what pre_validate would refuse is never applied */
	if (!deny && !m_config_ok(r)) {
		memcpy(set, saved, sizeof(struct mpfx) * saved_n);
		*n = saved_n;
		return;
	}
	p = to_prefix(&m);
	if (add)
		FZ_CHECK(vapp_pfxset_add(cset, &p) == !present, "add %pFX", &p);
	else
		FZ_CHECK(vapp_pfxset_del(cset, &p) == present, "del %pFX", &p);
	FZ_CHECK(cset->count == (unsigned int)*n, "%u prefixes, model %d", cset->count, *n);
}

/* "65001", "65001-65010", asdot "1.10"; the model's own formatting */
static void fmt_asn(char *buf, size_t len, uint32_t asn, bool dot)
{
	if (dot)
		snprintf(buf, len, "%u.%u", asn >> 16, asn & 0xffff);
	else
		snprintf(buf, len, "%u", asn);
}

static void op_asn(struct run *r, struct mpool *mp)
{
	uint32_t lo = fz_pick(&r->f, asns), hi = lo;
	uint8_t how = fz_u8(&r->f);
	char str[64], a[24], b[24];
	struct vapp_asn_range vr;
	const char *err;
	bool valid = true;
	int k;

	if (how & 1)
		hi = fz_pick(&r->f, asns);
	if (how & 0x20)
		lo = 0; /* AS 0 is refused */
	fmt_asn(a, sizeof(a), lo, how & 2);
	fmt_asn(b, sizeof(b), hi, how & 4);
	if (how & 1)
		snprintf(str, sizeof(str), "%s-%s", a, b);
	else
		snprintf(str, sizeof(str), "%s", a);
	if (!lo || !hi || lo > hi)
		valid = false;
	/* asdot "0.0" is no AS either; the high part of asdot is 16 bits */
	err = vapp_asn_range_parse(str, &vr);
	FZ_CHECK(!err == valid, "parse '%s': %s, model %s", str, err ? err : "ok",
		 valid ? "ok" : "invalid");
	if (!valid)
		return;
	FZ_CHECK(vr.lo == lo && vr.hi == hi, "parse '%s': %u-%u", str, vr.lo, vr.hi);
	{
		char canon[32], mine[32];

		vapp_asn_range_str(&vr, canon, sizeof(canon));
		if (lo == hi)
			snprintf(mine, sizeof(mine), "%u", lo);
		else
			snprintf(mine, sizeof(mine), "%u-%u", lo, hi);
		FZ_CHECK(!strcmp(canon, mine), "canonical '%s', model '%s'", canon, mine);
	}
	for (k = 0; k < mp->nasn; k++)
		if (mp->asn[k].lo == lo && mp->asn[k].hi == hi)
			break;
	if (how & 0x40) {
		FZ_CHECK(vapp_asnset_del(&mp->pool->asns, &vr) == (k < mp->nasn), "asn del %s", str);
		if (k < mp->nasn)
			mp->asn[k] = mp->asn[--mp->nasn];
	} else {
		bool overlap = false;

		for (int j = 0; j < mp->nasn; j++)
			if (j != k && lo <= mp->asn[j].hi && mp->asn[j].lo <= hi)
				overlap = true;
		if (k == mp->nasn && !overlap && mp->nasn == NASN)
			return;
		err = vapp_asnset_add(&mp->pool->asns, &vr);
		/* the same range again is fine; an overlapping one is refused */
		FZ_CHECK(!err == (k < mp->nasn || !overlap), "asn add %s: %s", str,
			 err ? err : "ok");
		if (!err && k == mp->nasn)
			mp->asn[mp->nasn++] = (struct masn){ lo, hi };
	}
	FZ_CHECK(vapp_asnset_count(&mp->pool->asns) == (size_t)mp->nasn, "asn count");
	FZ_CHECK(vapp_asnset_empty(&mp->pool->asns) == !mp->nasn, "asn empty");
	for (size_t i = 0; i < sizeof(asns) / sizeof(asns[0]); i++)
		FZ_CHECK(vapp_asnset_contains(&mp->pool->asns, asns[i]) == m_asn_in(mp, asns[i]),
			 "asn contains %u", asns[i]);
}

static void op_config(struct run *r)
{
	int i = fz_below(&r->f, NPOOL);
	struct mpool *mp = &r->pools[i];

	uint8_t what;

	if (!mp->live) {
		pool_create(r, i);
		fz_trace("+%" PRId64 " pool %s %s", r->now - T0, pool_names[i],
			 mp->live ? "created" : "refused");
		return;
	}
	what = fz_below(&r->f, 12);
	fz_trace("+%" PRId64 " pool %s: configuration change %u", r->now - T0, pool_names[i], what);
	switch (what) {
	case 0:
	case 1:
		op_source(r, mp, false);
		break;
	case 2:
		op_source(r, mp, true);
		break;
	case 3:
	case 4:
		op_asn(r, mp);
		break;
	case 5: {
		static const uint32_t maxs[] = { 0, 0, 1, 2, 3 };

		mp->pool->max_sessions = mp->max_sessions = fz_pick(&r->f, maxs);
		break;
	}
	case 6: {
		static const uint16_t fails[] = { 1, 2, 3, 5 };
		static const uint32_t within[] = { 1, 2, 5, 60 };
		static const uint32_t hold[] = { 1, 3, 10, 300 };
		uint8_t which = fz_u8(&r->f);

		if (which & 1)
			mp->q.enabled = !mp->q.enabled;
		if (which & 2)
			mp->q.failures = fz_pick(&r->f, fails);
		if (which & 4)
			mp->q.within = fz_pick(&r->f, within);
		if (which & 8)
			mp->q.hold = fz_pick(&r->f, hold);
		mp->pool->quarantine = mp->q;
		break;
	}
	case 7:
		mp->pool->require_password = mp->require_password = !mp->require_password;
		break;
	case 8:
		mp->password = !mp->password;
		break;
	case 9:
		mp->policy = !mp->policy;
		break;
	case 10: {
		int old = mp->pg;

		mp->pg = !mp->pg;
		if (!m_config_ok(r)) {
			mp->pg = old;
			break;
		}
		vapp_pool_set_peer_group(mp->pool, pg_names[mp->pg]);
		break;
	}
	case 11:
		pool_delete(r, i);
		break;
	}
}

static void app_free(struct run *r, int i)
{
	m_release(r, i);
	r->apps[i].live = false;
	r->apps[i].app = NULL;
}

static void op_close(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];

	/* a session that ended early, or with an error from the appliance */
	if (a->state != VAPP_APP_REJECTED && (!a->was_est || a->err))
		m_failure(r, a);
	fz_trace("+%" PRId64 " app %d closes", r->now - T0, i);
	vapp_app_closed(a->app, r->now);
	app_free(r, i);
}

static void op_connect(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	int pg = fz_below(&r->f, NPG);
	struct maddr addr = gen_addr(&r->f);
	struct ipaddr ia = to_ipaddr(&addr);
	enum vapp_reason reason;

	if (a->live)
		op_close(r, i);
	/* one neighbor per address: a record left behind is stale, dropped */
	for (int k = 0; k < NAPP; k++)
		if (r->apps[k].live && m_addr_same(&r->apps[k].addr, &addr))
			app_free(r, k);
	memset(a, 0, sizeof(*a));
	a->live = true;
	a->addr = addr;
	a->pg = pg;
	a->state = VAPP_APP_CONNECTING;
	a->since = r->now;
	a->pool = m_select(r, pg, &addr);
	if (a->pool < 0) {
		m_reject(r, i, VAPP_REASON_NO_POOL, VAPP_VERDICT_REJECTED);
	} else {
		reason = m_source_check(r, a, true);
		if (reason != VAPP_REASON_NONE) {
			m_reject(r, i, reason, VAPP_VERDICT_REJECTED);
		} else {
			a->holds = true;
			r->pools[a->pool].slot[r->pools[a->pool].nslot++] = i;
		}
	}
	a->app = vapp_admit_connect(r->inst, pg_names[pg], &ia, a, facts_of(r), r->now);
	fz_trace("+%" PRId64 " app %d connects from %pIA to %s: %s %s (pool %s)", r->now - T0, i,
		 &ia, pg_names[pg], vapp_app_state_name(a->app->state),
		 vapp_reason_name(a->app->reason), a->app->pool ? a->app->pool->name : "-");
	FZ_CHECK(a->app->owner == a, "owner");
}

/*
 * the checks an OPEN gets (doc/concepts.rst): NONE, REMOTE_AS or ROUTER_ID;
 * @move: whether it is the appliance of another source moved (mobility)
 */
static enum vapp_reason m_open_check(const struct run *r, int i, uint32_t asn, uint32_t rid,
				     bool *move)
{
	const struct mapp *a = &r->apps[i];
	const struct mpool *mp = &r->pools[a->pool];

	if (mp->nasn && !m_asn_in(mp, asn))
		return VAPP_REASON_REMOTE_AS;
	if (rid == OWN_ID)
		return VAPP_REASON_ROUTER_ID;
	/* another admitted appliance with the identifier, unless it is the
	 * other address family of the same appliance (same AS) */
	for (int k = 0; k < NAPP; k++) {
		const struct mapp *o = &r->apps[k];

		if (k == i || !o->live || o->state != VAPP_APP_ADMITTED || o->rid != rid)
			continue;
		if (o->addr.fam != a->addr.fam && o->as == asn)
			continue;
		if (mp->mob == VAPP_MOBILITY_TAKEOVER && o->pool == a->pool &&
		    o->addr.fam == a->addr.fam && o->as == asn) {
			*move = true;
			continue;
		}
		return VAPP_REASON_ROUTER_ID;
	}
	return VAPP_REASON_NONE;
}

/* the first OPEN of a connecting appliance decides it */
static void m_first_open(struct run *r, int i, uint32_t asn, uint32_t rid)
{
	struct mapp *a = &r->apps[i];
	enum vapp_reason reason;
	bool move = false;

	if (a->state != VAPP_APP_CONNECTING || a->pool < 0)
		return;
	reason = m_open_check(r, i, asn, rid, &move);
	a->as = asn;
	a->rid = rid;
	if (reason != VAPP_REASON_NONE) {
		m_reject(r, i, reason, VAPP_VERDICT_REJECTED);
		return;
	}
	a->move = move;
	a->state = VAPP_APP_ADMITTED;
	a->since = r->now;
	r->pools[a->pool].admitted++;
	m_decide(r, a->pool, &a->addr, VAPP_VERDICT_ADMITTED, VAPP_REASON_NONE, asn);
}

/* the OPEN's AS and identifier, as the glue hands them over */
static void open_with(struct run *r, int i, uint32_t asn, uint32_t rid)
{
	struct mapp *a = &r->apps[i];
	struct in_addr id = { .s_addr = htonl(rid) }, own = { .s_addr = htonl(OWN_ID) };
	enum vapp_app_state st;

	m_first_open(r, i, asn, rid);
	st = vapp_admit_open(a->app, asn, id, own, r->now);
	fz_trace("+%" PRId64 " app %d OPEN AS %u id %pI4: %s %s", r->now - T0, i, asn, &id,
		 vapp_app_state_name(st), vapp_reason_name(a->app->reason));
	FZ_CHECK(st == a->state, "open returned %s, model %s", vapp_app_state_name(st),
		 vapp_app_state_name(a->state));
}

/*
 * An OPEN on a second connection from the appliance's address (a
 * collision), or the restarted session of a graceful restart.
 */
static void op_second_open(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	uint32_t asn = fz_pick(&r->f, asns), rid = fz_pick(&r->f, rids);
	struct in_addr id, own = { .s_addr = htonl(OWN_ID) };
	enum vapp_reason want = VAPP_REASON_NONE, got;

	if (fz_bool(&r->f) && a->as) {
		asn = a->as; /* mostly the appliance itself */
		rid = a->rid;
	}
	id.s_addr = htonl(rid);
	if (a->pool < 0) {
		want = a->reason != VAPP_REASON_NONE ? a->reason : VAPP_REASON_NO_POOL;
	} else {
		/* the restarted session: decided as a first OPEN */
		if (a->gr && a->state == VAPP_APP_ADMITTED) {
			a->state = VAPP_APP_CONNECTING;
			a->since = r->now;
		}
		a->gr = false;
		switch (a->state) {
		case VAPP_APP_CONNECTING:
			m_first_open(r, i, asn, rid);
			want = a->state == VAPP_APP_REJECTED ? a->reason : VAPP_REASON_NONE;
			break;
		case VAPP_APP_REJECTED:
			want = a->reason;
			break;
		case VAPP_APP_ADMITTED:
			/* the same checks, and the admitted session's AS; refused
			 * without touching the admitted session, no failure */
			want = m_open_check(r, i, asn, rid, &(bool){ false });
			if (want == VAPP_REASON_NONE && asn != a->as)
				want = VAPP_REASON_REMOTE_AS;
			if (want != VAPP_REASON_NONE) {
				r->pools[a->pool].rejected[want]++;
				m_decide(r, a->pool, &a->addr, VAPP_VERDICT_REJECTED, want, asn);
			}
			break;
		}
	}
	got = vapp_admit_second_open(a->app, asn, id, own, r->now);
	fz_trace("+%" PRId64 " app %d second OPEN AS %u id %pI4: %s", r->now - T0, i, asn, &id,
		 vapp_reason_name(got));
	FZ_CHECK(got == want, "second OPEN: %s, model %s", vapp_reason_name(got),
		 vapp_reason_name(want));
	FZ_CHECK(a->app->state == a->state, "after a second OPEN %s, model %s",
		 vapp_app_state_name(a->app->state), vapp_app_state_name(a->state));
}

/* bgpd accepted the OPEN (OpenConfirm) and read @asn, @rid from it */
static void op_confirm(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	uint32_t asn = a->as, rid = a->rid;
	enum vapp_reason want = VAPP_REASON_NONE, got;
	struct in_addr id;

	/* the readers agree on real OPENs; a disagreement is made up here */
	if (fz_u8(&r->f) < 64) {
		asn = fz_pick(&r->f, asns);
		rid = fz_pick(&r->f, rids);
	}
	id.s_addr = htonl(rid);
	if (a->state == VAPP_APP_ADMITTED && (asn != a->as || rid != a->rid)) {
		want = VAPP_REASON_OPEN_MISMATCH;
		m_reject(r, i, want, VAPP_VERDICT_REJECTED);
	}
	got = vapp_admit_confirm(a->app, asn, id, r->now);
	fz_trace("+%" PRId64 " app %d OpenConfirm, bgpd read AS %u id %pI4: %s", r->now - T0, i,
		 asn, &id, vapp_reason_name(got));
	FZ_CHECK(got == want, "confirm: %s, model %s", vapp_reason_name(got),
		 vapp_reason_name(want));
}

/* its session ended without a NOTIFICATION; bgpd keeps it for graceful restart */
static void op_gr_wait(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];

	if (!a->est || a->state != VAPP_APP_ADMITTED)
		return;
	fz_trace("+%" PRId64 " app %d waits for its graceful restart", r->now - T0, i);
	a->est = false;
	a->gr = true;
	vapp_app_gr_wait(a->app, r->now);
}

/* ---- the OPEN reader ---------------------------------------------------------------- */

#define AS_TRANS 23456

/* one capability: code, length, value */
static size_t put_cap(uint8_t *b, uint8_t code, const uint8_t *val, uint8_t len)
{
	b[0] = code;
	b[1] = len;
	memcpy(b + 2, val, len);
	return 2u + len;
}

/* an optional parameter: type, length (2 octets when extended), value */
static size_t put_param(uint8_t *b, uint8_t type, const uint8_t *val, size_t len, bool ext)
{
	size_t n = 0;

	b[n++] = type;
	if (ext)
		b[n++] = (uint8_t)(len >> 8);
	b[n++] = (uint8_t)len;
	memcpy(b + n, val, len);
	return n + len;
}

/*
 * An OPEN body (after the header) as an appliance sends it for @asn and
 * @rid: 2-octet AS alone when it fits, or AS_TRANS (or the AS) with the
 * AS4 capability; capabilities in one or several parameters among others,
 * in the RFC 9072 extended format now and then.
 */
static size_t enc_open(struct run *r, uint8_t *b, uint32_t asn, uint32_t rid, bool hostile)
{
	uint8_t caps[3][64], params[600], v[8];
	size_t ncap[3] = {}, np = 0, n = 0;
	uint8_t how = fz_u8(&r->f);
	bool as4 = asn > 0xffff || (how & 1), ext = how & 2;
	int where = fz_below(&r->f, 3); /* which parameter carries AS4 */

	b[n++] = 4;
	b[n++] = (uint8_t)((asn > 0xffff ? AS_TRANS : asn) >> 8);
	b[n++] = (uint8_t)(asn > 0xffff ? AS_TRANS : asn);
	b[n++] = 0, b[n++] = 90; /* hold time */
	b[n++] = (uint8_t)(rid >> 24), b[n++] = (uint8_t)(rid >> 16);
	b[n++] = (uint8_t)(rid >> 8), b[n++] = (uint8_t)rid;
	/* multiprotocol IPv4 unicast, route refresh, a long unknown one */
	v[0] = 0, v[1] = 1, v[2] = 0, v[3] = 1;
	ncap[0] += put_cap(caps[0] + ncap[0], 1, v, 4);
	ncap[1] += put_cap(caps[1] + ncap[1], 2, v, 0);
	if (how & 4) {
		uint8_t junk[40] = {};

		ncap[2] += put_cap(caps[2] + ncap[2], 73, junk, sizeof(junk));
	}
	if (as4) {
		v[0] = (uint8_t)(asn >> 24), v[1] = (uint8_t)(asn >> 16);
		v[2] = (uint8_t)(asn >> 8), v[3] = (uint8_t)asn;
		ncap[where] += put_cap(caps[where] + ncap[where], 65, v, 4);
	}
	if (hostile) {
		uint8_t h = fz_u8(&r->f);
		int k = fz_below(&r->f, 3);
		uint32_t other = fz_pick(&r->f, asns);

		/* a second AS4 capability with another AS */
		if (h & 1) {
			v[0] = (uint8_t)(other >> 24), v[1] = (uint8_t)(other >> 16);
			v[2] = (uint8_t)(other >> 8), v[3] = (uint8_t)other;
			ncap[k] += put_cap(caps[k] + ncap[k], 65, v, 4);
		}
		/* an AS4 capability of the wrong length */
		if (h & 2)
			ncap[2 - k] += put_cap(caps[2 - k] + ncap[2 - k], 65, v, (h & 4) ? 2 : 5);
	}
	for (int k = 0; k < 3; k++)
		if (ncap[k])
			np += put_param(params + np, 2, caps[k], ncap[k], ext);
	if (how & 8) {
		/* an unknown parameter type (bgpd refuses it; the reader passes) */
		np += put_param(params + np, 9, v, 2, ext);
	}
	/* exactly 255 octets of parameters in the non-extended format */
	if (hostile && !ext && (how & 16) && np + 2 <= 255) {
		uint8_t pad[255] = {};

		np += put_param(params + np, 9, pad, 255 - np - 2, false);
	}
	if (ext) {
		b[n++] = 255, b[n++] = 255;
		b[n++] = (uint8_t)(np >> 8), b[n++] = (uint8_t)np;
	} else {
		b[n++] = (uint8_t)np;
	}
	memcpy(b + n, params, np);
	return n + np;
}

/*
 * The AS bgpd takes from an OPEN body (bgp_open_receive() and
 * peek_for_as4_capability() of FRR 10.3), restated plainly: false when
 * bgpd refuses the OPEN for its length or its AS. Its rules: a
 * non-extended parameter length of 255 makes it read the next octet as
 * the RFC 9072 marker, whatever it is; the first AS4 capability decides
 * (one of another length than 4 reads as AS 4294967295); a 2-octet AS_TRANS
 * takes the AS4 value, any other 2-octet AS must equal it.
 */
static bool bgpd_open_as(const uint8_t *b, size_t len, uint32_t *as_out)
{
	size_t pos = 10, optlen, end;
	uint32_t two, as4 = 0;
	bool ext = false, cap_rcv = false, done = false;

	if (len < 10)
		return false;
	two = b[1] * 256u + b[2];
	optlen = b[9];
	if (optlen == 255) {
		if (len < 11)
			return false;
		pos = 11;
		if (b[10] == 255) {
			if (len < 13)
				return false;
			optlen = b[11] * 256u + b[12];
			pos = 13;
			ext = true;
		}
	}
	if (optlen && len - pos < optlen)
		return false;
	end = pos + optlen;
	while (!done && pos < end) {
		uint8_t type;
		size_t plen;

		type = b[pos++];
		if (pos + (ext ? 2 : 1) > end)
			break;
		plen = ext ? b[pos] * 256u + b[pos + 1] : b[pos];
		pos += ext ? 2 : 1;
		if (pos + plen > end)
			break;
		if (type == 2) {
			size_t c = pos;

			while (c < pos + plen) {
				uint8_t code, clen;

				if (c + 2 > pos + plen)
					break;
				code = b[c];
				clen = b[c + 1];
				c += 2;
				if (c + clen > pos + plen)
					break;
				if (code == 65) {
					if (clen == 4) {
						as4 = (uint32_t)b[c] << 24 |
						      (uint32_t)b[c + 1] << 16 |
						      (uint32_t)b[c + 2] << 8 | b[c + 3];
						cap_rcv = true;
					} else {
						as4 = 0xffffffff;
					}
					done = true;
					break;
				}
				c += clen;
			}
		}
		pos += plen;
	}
	if (cap_rcv && !as4)
		return false;
	if (!two)
		return false;
	if (two == AS_TRANS) {
		if (as4 == AS_TRANS)
			return false;
		*as_out = as4 ? as4 : two;
	} else {
		if (cap_rcv && as4 != two)
			return false;
		*as_out = two;
	}
	return true;
}

static void op_open(struct run *r, int i)
{
	uint32_t asn = fz_pick(&r->f, asns), rid = fz_pick(&r->f, rids), as_read;
	uint8_t body[700];
	size_t len = enc_open(r, body, asn, rid, false);
	struct in_addr id;

	/* the glue reads the OPEN; a well-formed one must read exactly */
	FZ_CHECK(vapp_open_peek(body, len, &as_read, &id), "well-formed OPEN refused (AS %u)", asn);
	FZ_CHECK(as_read == asn && ntohl(id.s_addr) == rid, "OPEN read AS %u id %08x, sent %u %08x",
		 as_read, ntohl(id.s_addr), asn, rid);
	open_with(r, i, asn, rid);
}

/*
 * A damaged or made-up OPEN: when the reader gives an AS, it is the one
 * bgpd will run the session with (if bgpd accepts the OPEN at all), or a
 * pool's remote-as set would be checked against another AS than the
 * appliance's. When it refuses, the glue leaves the appliance unadmitted.
 */
static void op_open_raw(struct run *r, int i)
{
	uint8_t body[700];
	size_t len;
	uint32_t as_read = 0, as_bgpd = 0;
	struct in_addr id;

	if (fz_bool(&r->f)) {
		len = enc_open(r, body, fz_pick(&r->f, asns), fz_pick(&r->f, rids), true);
		if (fz_bool(&r->f))
			len = fz_u16(&r->f) % (len + 1);
		for (int k = fz_below(&r->f, 4); k > 0 && len; k--)
			body[fz_u16(&r->f) % len] = fz_u8(&r->f);
	} else {
		len = fz_below(&r->f, 64);
		for (size_t k = 0; k < len; k++)
			body[k] = fz_u8(&r->f);
	}
	if (!vapp_open_peek(body, len, &as_read, &id))
		return;
	FZ_CHECK(len >= 10 && !memcmp(&id.s_addr, body + 5, 4), "OPEN identifier misread");
	FZ_CHECK(!bgpd_open_as(body, len, &as_bgpd) || as_read == as_bgpd,
		 "OPEN read as AS %u, bgpd runs the session as AS %u", as_read, as_bgpd);
	open_with(r, i, as_read, ntohl(id.s_addr));
}

/*
 * Which appliances a re-evaluation disconnects, and why, follows from the
 * configuration alone (doc/concepts.rst: an admitted appliance stays
 * subject to the configuration; a lowered max-sessions takes the newest
 * sessions first). The order of the disconnects is unspecified (the core
 * visits in hash order): the model takes it from the report, so that it
 * makes its decisions, which touch source records, in that order.
 */
static void op_reevaluate(struct run *r)
{
	enum vapp_reason why[NAPP];
	bool go[NAPP] = { 0 }, done[NAPP] = { 0 };
	int nwd = 0;

	for (int i = 0; i < NAPP; i++) {
		struct mapp *a = &r->apps[i];
		int sel;

		if (!a->live || a->state == VAPP_APP_REJECTED)
			continue;
		/* a peer-group without pools: its appliances go too (noPool) */
		sel = m_pools_of(r, a->pg) ? m_select(r, a->pg, &a->addr) : -1;
		if (a->pool < 0 || sel != a->pool) {
			/* no pool any more, or another pool now: reconnect */
			why[i] = sel >= 0 ? VAPP_REASON_NONE : VAPP_REASON_NO_POOL;
		} else {
			why[i] = m_source_check(r, a, false);
			if (why[i] == VAPP_REASON_POOL_FULL)
				why[i] = VAPP_REASON_NONE; /* decided below */
			if (why[i] == VAPP_REASON_NONE && a->state == VAPP_APP_ADMITTED &&
			    r->pools[a->pool].nasn && !m_asn_in(&r->pools[a->pool], a->as))
				why[i] = VAPP_REASON_REMOTE_AS;
			if (why[i] == VAPP_REASON_NONE)
				continue;
		}
		go[i] = true;
		nwd++;
	}
	/* a lowered max-sessions: of the sessions that stay, the newest go */
	for (int p = 0; p < NPOOL; p++) {
		struct mpool *mp = &r->pools[p];
		int left = 0;

		for (int k = 0; k < mp->nslot; k++)
			left += !go[mp->slot[k]];
		for (int k = mp->nslot - 1;
		     mp->live && mp->max_sessions && k >= 0 && (uint32_t)left > mp->max_sessions;
		     k--) {
			if (go[mp->slot[k]])
				continue;
			go[mp->slot[k]] = true;
			why[mp->slot[k]] = VAPP_REASON_POOL_FULL;
			left--;
			nwd++;
		}
	}
	r->ndisc_got = 0;
	fz_trace("+%" PRId64 " re-evaluation: %d disconnects", r->now - T0, nwd);
	FZ_CHECK(vapp_inst_reevaluate(r->inst, facts_of(r), on_disconnect, r->now) ==
			 (unsigned int)nwd,
		 "re-evaluation count");
	FZ_CHECK(r->ndisc_got == nwd, "%d disconnects, model %d", r->ndisc_got, nwd);
	for (int k = 0; k < r->ndisc_got; k++) {
		int i = (int)((struct mapp *)r->disc_got[k]->owner - r->apps);

		FZ_CHECK(i >= 0 && i < NAPP && go[i] && !done[i] && r->apps[i].app == r->disc_got[k],
			 "disconnect %d: appliance %d should stay", k, i);
		done[i] = true;
		m_reject(r, i, why[i], VAPP_VERDICT_DISCONNECTED);
	}
}

/* the glue closes what a takeover disconnected: the model's in the core's order */
static void on_moved(struct vapp_app *old, struct vapp_app *app, void *arg)
{
	struct run *r = arg;
	struct maddr oa = from_ipaddr(&old->addr);
	int k;

	for (k = 0; k < NAPP && !(r->apps[k].live && m_addr_same(&r->apps[k].addr, &oa)); k++)
		;
	FZ_CHECK(k < NAPP, "takeover closed an appliance the model does not know");
	FZ_CHECK(r->apps[k].state == VAPP_APP_ADMITTED, "takeover closed app %d, not admitted", k);
	m_reject(r, k, VAPP_REASON_MOVED, VAPP_VERDICT_DISCONNECTED);
	r->moved++;
}

/*
 * Established: a move takes over from every admitted session of its pool
 * with its address family, AS and identifier (make before break)
 */
static void op_established(struct run *r, int i, bool up)
{
	struct mapp *a = &r->apps[i];
	unsigned int want = 0, got;

	fz_trace("+%" PRId64 " app %d %s", r->now - T0, i,
		 up ? "Established" : "leaves Established");
	a->est = up;
	if (up) {
		a->was_est = true;
		a->gr = false;
	}
	vapp_app_established(a->app, up, r->now);
	if (!up)
		return;
	if (a->move && a->state == VAPP_APP_ADMITTED)
		for (int k = 0; k < NAPP; k++) {
			const struct mapp *o = &r->apps[k];

			want += k != i && o->live && o->state == VAPP_APP_ADMITTED &&
				o->pool == a->pool && o->addr.fam == a->addr.fam &&
				o->rid == a->rid && o->as == a->as;
		}
	if (a->state == VAPP_APP_ADMITTED)
		a->move = false;
	r->moved = 0;
	got = vapp_app_takeover(a->app, r->now, on_moved, r);
	FZ_CHECK(got == want && r->moved == want, "takeover closed %u (%u), model %u", got,
		 r->moved, want);
}

/* a second connection to another local address (alreadyPeered) */
static void op_other_local(struct run *r, int i)
{
	struct mapp *a = &r->apps[i];
	bool want = a->state != VAPP_APP_REJECTED && a->pool >= 0;

	if (want) {
		r->pools[a->pool].rejected[VAPP_REASON_ALREADY_PEERED]++;
		if (a->peered_refused++ == 0)
			m_decide(r, a->pool, &a->addr, VAPP_VERDICT_REJECTED,
				 VAPP_REASON_ALREADY_PEERED, a->as);
	}
	fz_trace("+%" PRId64 " app %d second session to another local address", r->now - T0, i);
	FZ_CHECK(vapp_admit_other_local(a->app, r->now) == want, "other local: model %d", want);
}

/* a pool's mobility setting */
static void op_mobility(struct run *r, int i)
{
	struct mpool *mp = &r->pools[i];

	if (!mp->live)
		return;
	mp->mob = mp->mob == VAPP_MOBILITY_TAKEOVER ? VAPP_MOBILITY_REJECT : VAPP_MOBILITY_TAKEOVER;
	mp->pool->mobility = mp->mob;
	fz_trace("+%" PRId64 " pool %s mobility %s", r->now - T0, pool_names[i],
		 vapp_mobility_name(mp->mob));
}

static void op_clear(struct run *r)
{
	bool all = fz_bool(&r->f);
	struct maddr a = gen_addr(&r->f);
	struct ipaddr ia = to_ipaddr(&a);
	unsigned int n = 0;

	for (int i = 0; i < NPOOL; i++) {
		if (!r->pools[i].live)
			continue;
		for (int k = 0; k < r->pools[i].srcs.n; k++) {
			struct msrc *s = &r->pools[i].srcs.s[k];

			if (!all && !m_addr_same(&s->addr, &a))
				continue;
			if (s->until || s->failures)
				n++;
			s->until = 0;
			s->failures = 0;
		}
	}
	fz_trace("+%" PRId64 " clear quarantine %s%pIA: %u", r->now - T0, all ? "all " : "", &ia, n);
	FZ_CHECK(vapp_inst_clear_quarantine(r->inst, all ? NULL : &ia) == n, "clear count");
}

static void op_time(struct run *r)
{
	static const int64_t steps[] = { 0,	 1,	 499,	 999,	  1000,	   1001,   4999,
					 5000,	 9999,	 10000,	 10001,	  59999,   60000,  60001,
					 299999, 300000, 300001, 3599999, 3600000, 3600001 };

	if (fz_bool(&r->f))
		r->now += fz_pick(&r->f, steps);
	else
		r->now += fz_u16(&r->f);
	fz_trace("+%" PRId64 " (time)", r->now - T0);
}

static int live_app(struct run *r)
{
	int i = fz_below(&r->f, NAPP);

	for (int k = 0; k < NAPP; k++, i = (i + 1) % NAPP)
		if (r->apps[i].live)
			return i;
	return -1;
}

static void run_one(struct run *r)
{
	for (int ops = 0; ops < MAX_OPS && fz_more(&r->f); ops++) {
		uint8_t op = fz_u8(&r->f);
		int a;

		switch (op % 19) {
		case 0:
		case 1:
		case 2:
			op_connect(r, fz_below(&r->f, NAPP));
			break;
		case 3:
		case 4:
			a = live_app(r);
			if (a >= 0 && (op & 0x80))
				op_open_raw(r, a);
			else if (a >= 0)
				op_open(r, a);
			break;
		case 5:
			a = live_app(r);
			if (a >= 0)
				op_established(r, a, fz_bool(&r->f));
			break;
		case 6:
			a = live_app(r);
			if (a >= 0) {
				uint8_t code = fz_below(&r->f, 8);

				fz_trace("+%" PRId64 " app %d sends NOTIFICATION %u", r->now - T0,
					 a, code);
				if (code != CEASE)
					r->apps[a].err = true;
				vapp_app_notify_received(r->apps[a].app, code);
			}
			break;
		case 7:
		case 8:
			a = live_app(r);
			if (a >= 0)
				op_close(r, a);
			break;
		case 9:
		case 10:
			op_time(r);
			break;
		case 11:
		case 12:
			op_config(r);
			break;
		case 13:
			op_reevaluate(r);
			break;
		case 14:
			/* spare bits of the op: no new draw, the kept seeds replay */
			if (op & 0x80)
				op_mobility(r, (op >> 5) & 3);
			else
				op_clear(r);
			break;
		case 15:
			op_views(r);
			break;
		case 16:
			a = live_app(r);
			if (a >= 0 && (op & 0x80))
				op_other_local(r, a);
			else if (a >= 0)
				op_second_open(r, a);
			break;
		case 17:
			a = live_app(r);
			if (a >= 0)
				op_confirm(r, a);
			break;
		case 18:
			a = live_app(r);
			if (a >= 0)
				op_gr_wait(r, a);
			break;
		}
		check_state(r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run r;

	memset(&r, 0, sizeof(r));
	fz_init(&r.f, data, size);
	r.now = T0;
	r.unpooled.cap = VAPP_SRCTAB_CAP;
	vapp_ctx_init(&r.ctx);
	r.ctx.on_decision = on_decision;
	r.ctx.arg = &r;
	r.inst = vapp_inst_get(&r.ctx, NULL);
	for (int i = 0; i < 2; i++)
		pool_create(&r, i);
	run_one(&r);
	vapp_ctx_fini(&r.ctx);
	return 0;
}
