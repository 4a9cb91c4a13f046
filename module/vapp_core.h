// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: the module's configuration objects and the
 * decisions taken on them. It knows libfrr (typesafe containers, MTYPEs,
 * struct prefix, route tables) but nothing of bgpd (no struct peer / struct
 * bgp), so the Check unit tests exercise it against libfrr alone. Time is
 * always passed in (milliseconds of a monotonic clock), so tests can use a
 * fake clock.
 */
#ifndef VAPP_CORE_H
#define VAPP_CORE_H

#include "ipaddr.h"
#include "memory.h"
#include "prefix.h"
#include "typesafe.h"

#include "vapp_vtab.h"

DECLARE_MGROUP(VAPPLIANCE);

#define VAPP_NAME_MAX	  63 /* YANG typedef object-name */
#define VAPP_VRF_NAME_MAX 36 /* VRF_NAMSIZ */
#define VAPP_VRF_DEFAULT  "default"

/* Quarantine defaults (YANG defaults of container quarantine). */
#define VAPP_QUARANTINE_FAILURES 5
#define VAPP_QUARANTINE_WITHIN	 60  /* seconds */
#define VAPP_QUARANTINE_HOLD	 300 /* seconds */
/* Sources remembered per pool (failures, quarantine); oldest evicted first. */
#define VAPP_SRCTAB_CAP 4096
/* A source's decisions are logged at most once per interval. */
#define VAPP_LOG_INTERVAL_MS 10000
/*
 * On top of that, a pool (and an instance's sources without a pool) logs
 * at most this many rejections, disconnections and quarantines per
 * interval, so that a scan of a wide listen range cannot flood the log or
 * push everything else out of the admission log. Admissions are never
 * held back by it: they need an appliance that passes every check.
 */
#define VAPP_POOL_LOG_BURST 20
/* Admission log entries kept per BGP instance. */
#define VAPP_ALOG_SIZE 256

/* VAPP_POOL_LOG_BURST lines per VAPP_LOG_INTERVAL_MS, counted from the first */
struct vapp_log_budget {
	int64_t start; /* of the interval; 0: none yet */
	uint32_t used; /* lines logged in it */
	uint32_t held; /* decisions held back in it */
};

PREDECL_RBTREE_UNIQ(vapp_inst_tree);
PREDECL_RBTREE_UNIQ(vapp_pool_tree);
PREDECL_HASH(vapp_app_hash);
PREDECL_DLIST(vapp_app_list);
PREDECL_HASH(vapp_src_hash);
PREDECL_RBTREE_UNIQ(vapp_anycast_tree);
PREDECL_DLIST(vapp_src_lru);

struct vapp_inst;
struct vapp_ctx;
struct vapp_anycast;
struct route_table;

/* ---- reasons ------------------------------------------------------------ */

/* Why an appliance was not admitted (or was disconnected). */
enum vapp_reason {
	VAPP_REASON_NONE = 0,
	VAPP_REASON_REMOTE_AS,
	VAPP_REASON_ROUTER_ID,
	VAPP_REASON_POOL_FULL,
	VAPP_REASON_DENIED_SOURCE,
	VAPP_REASON_QUARANTINED,
	VAPP_REASON_NO_PASSWORD,
	VAPP_REASON_POLICY_NOT_ENFORCED,
	VAPP_REASON_NO_POOL,
	VAPP_REASON_OPEN_MISMATCH,
	/* a second session to another local address of an appliance that
	 * holds one here already (it peers with both anycast addresses and
	 * both reach this server): refused, never a failure */
	VAPP_REASON_ALREADY_PEERED,
	/* disconnected: the appliance moved, its new session took over */
	VAPP_REASON_MOVED,
	VAPP_REASON_MAX,
};

/* camelCase name, as in JSON and YANG ("remoteAs", ...) */
extern const char *vapp_reason_name(enum vapp_reason reason);
/*
 * The length of @s cut to at most @max octets without splitting a UTF-8
 * sequence (an RFC 9003 shutdown communication: at most 255 octets).
 */
extern size_t vapp_utf8_cut(const char *s, size_t max);
/*
 * @s as a Prometheus label value (text exposition format: backslash,
 * double quote and newline escaped) in @buf; cut, never split, to fit.
 */
extern const char *vapp_prom_label(const char *s, char *buf, size_t len);
/*
 * Checks the path of the metrics textfile: absolute, a file name ending in
 * ".prom" (node-exporter's textfile collector reads only those) that does
 * not start with a dot, no control characters. NULL when valid, else why
 * not.
 */
extern const char *vapp_metrics_path_invalid(const char *path);
#define VAPP_METRICS_PATH_MAX 255 /* the YANG leaf's length */
/* Whether a rejection for @reason counts as a failure toward quarantine. */
extern bool vapp_reason_is_failure(enum vapp_reason reason);

/* ---- per-family route tables (the storage of both prefix sets) ---------- */

/*
 * One libfrr route_table per address family. An entry is a node with info
 * set; it holds one node lock, dropped when the entry is taken out.
 */
struct vapp_aftab {
	struct route_table *t4, *t6;
};

extern void vapp_aftab_init(struct vapp_aftab *aft);
/* Drops every entry (handing its info to @drop unless NULL) and the tables. */
extern void vapp_aftab_fini(struct vapp_aftab *aft, void (*drop)(void *info));
/* The table for @family (AF_INET, AF_INET6), or NULL. */
extern struct route_table *vapp_aftab_table(const struct vapp_aftab *aft, uint8_t family);
/*
 * The node of @p masked, created if needed, with one more lock (the caller
 * keeps it for a new entry or drops it); NULL for another family.
 */
extern struct route_node *vapp_aftab_node(struct vapp_aftab *aft, const struct prefix *p);
/* Takes the entry of @p masked out and returns its info; NULL if absent. */
extern void *vapp_aftab_take(struct vapp_aftab *aft, const struct prefix *p);
/* Calls @fn for each entry, IPv4 first, then IPv6, each in table order. */
extern void vapp_aftab_walk(const struct vapp_aftab *aft,
			    void (*fn)(const struct route_node *rn, void *arg), void *arg);

/* ---- prefix sets (longest match, IPv4 and IPv6) ------------------------- */

struct vapp_pfxset {
	struct vapp_aftab tabs;
	unsigned int count;
};

extern void vapp_pfxset_init(struct vapp_pfxset *set);
extern void vapp_pfxset_fini(struct vapp_pfxset *set);
/* @p is masked before it is stored; returns false if it was already there */
extern bool vapp_pfxset_add(struct vapp_pfxset *set, const struct prefix *p);
extern bool vapp_pfxset_del(struct vapp_pfxset *set, const struct prefix *p);
/* Length of the longest prefix of @set covering @addr, or -1. */
extern int vapp_pfxset_match(const struct vapp_pfxset *set, const struct ipaddr *addr);
/* Calls @fn for each prefix (IPv4 first, then IPv6, each in table order). */
extern void vapp_pfxset_walk(const struct vapp_pfxset *set,
			     void (*fn)(const struct prefix *p, void *arg), void *arg);

/* ---- ASN sets ------------------------------------------------------------ */

struct vapp_asn_range {
	uint32_t lo, hi;
};

/* Sorted, non-overlapping ranges (a darr). */
struct vapp_asnset {
	struct vapp_asn_range *ranges;
};

/*
 * Parses "ASN" or "ASN-ASN", each asplain or asdot as FRR accepts them.
 * Returns NULL and fills @r, or a message saying what is wrong.
 */
extern const char *vapp_asn_range_parse(const char *str, struct vapp_asn_range *r);
/* Canonical asplain form: "65001" or "65001-65010". */
extern void vapp_asn_range_str(const struct vapp_asn_range *r, char *buf, size_t len);

extern void vapp_asnset_fini(struct vapp_asnset *set);
/* Refuses (returns a message) a range overlapping one already in the set. */
extern const char *vapp_asnset_add(struct vapp_asnset *set, const struct vapp_asn_range *r);
extern bool vapp_asnset_del(struct vapp_asnset *set, const struct vapp_asn_range *r);
extern bool vapp_asnset_empty(const struct vapp_asnset *set);
extern bool vapp_asnset_contains(const struct vapp_asnset *set, uint32_t asn);
extern size_t vapp_asnset_count(const struct vapp_asnset *set);

/* ---- BGP OPEN inspection --------------------------------------------------- */

/*
 * Reads the sender's AS (the 4-octet AS capability when present, RFC 6793)
 * and BGP Identifier from an OPEN message body (after the 19-byte header),
 * handling RFC 9072 extended optional parameters, the way bgpd reads the AS
 * it runs the session with (the first AS4 capability). Returns false when
 * the body is malformed (bgpd then rejects the OPEN itself) or when bgpd's
 * reading is no AS to check (the appliance is then not admitted).
 */
extern bool vapp_open_peek(const uint8_t *body, size_t len, uint32_t *asn,
			   struct in_addr *router_id);
/* Whether an UPDATE body (after the header) is an End-of-RIB marker. */
extern bool vapp_update_is_eor(const uint8_t *body, size_t len);

/* ---- per-source records: failures, quarantine, log rate limit ------------ */

struct vapp_src {
	struct vapp_src_hash_item hitem;
	struct vapp_src_lru_item litem;
	struct ipaddr addr;
	uint32_t failures;	   /* within the current window */
	int64_t window_start;	   /* first failure of the window */
	int64_t quarantined_until; /* 0: not quarantined */
	int64_t last_log;	   /* last zlog of a decision */
	uint32_t suppressed;	   /* decisions not logged since */
	uint8_t log_verdict;	   /* the last logged decision */
	uint8_t log_reason;
	/* last decision, for `show ... appliances` */
	int64_t last_time;
	enum vapp_reason last_reason;
	bool last_admitted;
	uint32_t last_as;
};

struct vapp_srctab {
	struct vapp_src_hash_head hash;
	struct vapp_src_lru_head lru; /* least recently touched first */
	uint32_t cap;
	uint64_t evicted;
};

struct vapp_qcfg {
	bool enabled;
	uint16_t failures;
	uint32_t within; /* seconds */
	uint32_t hold;	 /* seconds */
};

extern void vapp_srctab_init(struct vapp_srctab *tab, uint32_t cap);
extern void vapp_srctab_fini(struct vapp_srctab *tab);
extern const struct vapp_src *vapp_src_find(const struct vapp_srctab *tab,
					    const struct ipaddr *addr);
/* Finds or creates (evicting the least recently touched at the cap). */
extern struct vapp_src *vapp_src_get(struct vapp_srctab *tab, const struct ipaddr *addr);
extern bool vapp_src_quarantined(const struct vapp_src *src, int64_t now);
/* Records a failure; returns true when it puts the source in quarantine. */
extern bool vapp_src_failure(struct vapp_src *src, const struct vapp_qcfg *q, int64_t now);
/* Lifts quarantine and forgets failures; @addr NULL clears all. Returns count. */
extern unsigned int vapp_srctab_clear(struct vapp_srctab *tab, const struct ipaddr *addr);
extern size_t vapp_srctab_count(const struct vapp_srctab *tab);

/* ---- prefix policy types ------------------------------------------------------ */

/* What happened to one route announced by an appliance. */
enum vapp_pverdict {
	VAPP_P_ACCEPTED = 0,
	VAPP_P_OUTSIDE_RANGE,
	VAPP_P_PREFIX_LENGTH,
	VAPP_P_NEXT_HOP,
	VAPP_P_OVER_LIMIT,
	VAPP_P_NOT_ADMITTED,
	VAPP_P_RESERVED, /* the route server's anycast prefixes, the default route */
	VAPP_P_MAX,
};

/* camelCase name, as in JSON ("outsideRange", ...) */
extern const char *vapp_pverdict_name(enum vapp_pverdict v);

enum vapp_nh_mode {
	VAPP_NH_PEER_ADDRESS = 0, /* next hop = the appliance's session address */
	VAPP_NH_POOL_RANGE,	  /* next hop inside a listen range of the peer-group */
	VAPP_NH_ANY,
};

extern const char *vapp_nh_mode_name(enum vapp_nh_mode mode);

/* What a new session with an admitted appliance's AS and identifier does. */
enum vapp_mobility {
	VAPP_MOBILITY_TAKEOVER = 0, /* from another source of the pool: a move */
	VAPP_MOBILITY_REJECT,	    /* a clone: rejected (routerId) */
};

extern const char *vapp_mobility_name(enum vapp_mobility m);

enum vapp_limit_action {
	VAPP_LIMIT_BLOCK = 0, /* reject routes beyond the limit, session stays */
	VAPP_LIMIT_SHUTDOWN,  /* Cease / Maximum Number of Prefixes Reached */
};

/*
 * A pool's assigned ranges: prefix-list semantics, one entry per prefix,
 * each with the lengths it allows ([lo, hi]; exact when no ge/le).
 */
struct vapp_rangeset {
	struct vapp_aftab tabs;
	unsigned int count;
};

struct vapp_range {
	uint8_t lo, hi;
};

/*
 * Checks a pool prefix entry (M <= ge <= le <= 32/128; ge/le 0: absent) and
 * computes its allowed lengths. NULL when valid, else why not.
 */
extern const char *vapp_range_bounds(const struct prefix *p, uint8_t ge, uint8_t le,
				     struct vapp_range *r);
extern void vapp_rangeset_init(struct vapp_rangeset *set);
extern void vapp_rangeset_fini(struct vapp_rangeset *set);
/* Adds or replaces the bounds of prefix @p. */
extern void vapp_rangeset_set(struct vapp_rangeset *set, const struct prefix *p,
			      const struct vapp_range *r);
extern bool vapp_rangeset_del(struct vapp_rangeset *set, const struct prefix *p);
/* ACCEPTED when an entry covers @p with its length, else why not. */
extern enum vapp_pverdict vapp_rangeset_match(const struct vapp_rangeset *set,
					      const struct prefix *p);
extern void vapp_rangeset_walk(const struct vapp_rangeset *set,
			       void (*fn)(const struct prefix *p, const struct vapp_range *r,
					  void *arg),
			       void *arg);

/* IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) become IPv4. */
extern void vapp_ipaddr_unmap(struct ipaddr *addr);

/* ---- appliances ------------------------------------------------------------ */

enum vapp_app_state {
	VAPP_APP_CONNECTING, /* source checks passed, OPEN not yet seen */
	VAPP_APP_ADMITTED,   /* OPEN accepted */
	VAPP_APP_REJECTED,   /* rejected, disconnect pending */
};

extern const char *vapp_app_state_name(enum vapp_app_state state);

/* One dynamic neighbor of a peer-group that has pools. */
struct vapp_app {
	struct vapp_app_hash_item hitem; /* instance, by address */
	struct vapp_app_list_item litem; /* pool, slot holders, oldest first */
	struct vapp_inst *inst;
	struct vapp_pool *pool; /* NULL: matched no pool */
	char *peer_group;
	struct ipaddr addr;
	enum vapp_app_state state;
	enum vapp_reason reason; /* of the rejection */
	bool holds_slot;
	bool established;	 /* now */
	bool was_established;	 /* ever */
	bool error_notify;	 /* it sent an error NOTIFICATION */
	bool gr_wait;		 /* its session went down into graceful restart */
	bool move_pending;	 /* admitted as a move from move_from: takes over
			       * when its session is Established */
	uint32_t peered_refused; /* second sessions refused (alreadyPeered) */
	struct ipaddr move_from;
	uint32_t remote_as;
	struct in_addr router_id;
	int64_t since; /* last state change */
	void *owner;   /* the glue's handle (bgpd's struct peer) */

	/* prefix policy: the verdict of every path it announces now (those
	 * rejected only up to VAPP_REJECTED_KEPT) */
	struct vapp_vtab routes4, routes6;
	struct ipaddr *nexthops;     /* darr: the next hops they came with other
				      * than its own address (an entry's aux
				      * byte indexes it, or is VAPP_NH_SELF) */
	uint32_t pcount[VAPP_P_MAX]; /* paths by verdict */
	uint64_t unkept;	     /* rejected paths not kept (over the cap) */
	uint32_t plogged;	     /* verdicts already logged once (bits) */
	bool limit_exceeded;	     /* max-prefixes action shutdown fired */
	bool limit_warned;	     /* at or over the max-prefixes warning */
	bool unchecked;		     /* a route got in without the clause: cut */
	/* glue: log rate limit of the warning's crossings (2,000 appliances
	 * on a route server: kept small) */
	uint16_t warn_lines;	/* logged in the window */
	uint32_t warn_window_s; /* its start, monotonic seconds */
	uint32_t warn_unlogged; /* not logged since the last line */
};

/* ---- pools and instances ----------------------------------------------------- */

/* A pool of appliances: the dynamic neighbors of one peer-group. */
struct vapp_pool {
	struct vapp_pool_tree_item tree_item;
	struct vapp_inst *inst; /* NULL until attached */
	char name[VAPP_NAME_MAX + 1];
	char *peer_group; /* NULL until bound */

	/* admission configuration */
	struct vapp_pfxset sources;
	struct vapp_pfxset deny;
	struct vapp_asnset asns;
	uint32_t max_sessions; /* 0: unlimited */
	struct vapp_qcfg quarantine;
	bool require_password;
	enum vapp_mobility mobility;

	/* prefix policy configuration */
	struct vapp_rangeset ranges;
	enum vapp_nh_mode nh_mode;
	uint32_t max_prefixes; /* per appliance; 0: unlimited */
	enum vapp_limit_action limit_action;
	uint8_t limit_warn_pct; /* max-prefixes warning, percent; 0: none */
	/* the peer-group's listen ranges, kept current by the glue */
	struct vapp_pfxset listen;
	/* glue: since when the inbound policy is not enforced (0: it is) */
	int64_t policy_bad_since;
	/* bumped by policy configuration changes; the glue re-evaluates the
	 * pool's routes when it differs from what it last applied */
	uint32_t policy_gen, policy_done;

	/* admission state */
	struct vapp_app_list_head apps; /* holding a session slot */
	struct vapp_srctab srcs;
	struct vapp_log_budget logb;
	uint64_t admitted;
	uint64_t rejected[VAPP_REASON_MAX];
};

enum vapp_verdict {
	VAPP_VERDICT_ADMITTED,
	VAPP_VERDICT_REJECTED,
	VAPP_VERDICT_DISCONNECTED, /* admitted earlier, no longer admissible */
	VAPP_VERDICT_QUARANTINED,  /* the source's failures started a quarantine */
};

extern const char *vapp_verdict_name(enum vapp_verdict verdict);

struct vapp_alog_entry {
	uint64_t seq;
	int64_t time;
	struct ipaddr addr;
	char pool[VAPP_NAME_MAX + 1];
	enum vapp_verdict verdict;
	enum vapp_reason reason;
	uint32_t asn;	     /* 0: not known yet */
	uint32_t suppressed; /* this source's decisions not logged before it */
};

/* Connections to a peer-group with pools that matched none of them. */
PREDECL_RBTREE_UNIQ(vapp_pgcount_tree);
struct vapp_pgcount {
	struct vapp_pgcount_tree_item item;
	char *peer_group;
	uint64_t count;
};

/* The module's configuration and state of one BGP instance (VRF). */
struct vapp_inst {
	struct vapp_inst_tree_item tree_item;
	struct vapp_ctx *ctx;
	char vrf[VAPP_VRF_NAME_MAX + 1];
	struct vapp_pool_tree_head pools;
	struct vapp_app_hash_head apps; /* every tracked dynamic neighbor */
	struct vapp_srctab unpooled;	/* log rate limit of noPool sources */
	struct vapp_log_budget unpooled_logb;
	struct vapp_pgcount_tree_head nopool;
	struct vapp_alog_entry alog[VAPP_ALOG_SIZE];
	uint64_t alog_seq; /* entries ever written */
	/* the route server's own prefixes (anycast): never from appliances */
	struct prefix *reserved; /* darr */
	struct vapp_anycast_tree_head anycasts;
};

/* A decision, handed to the glue for logging and notification. */
struct vapp_decision {
	const struct vapp_inst *inst;
	const struct vapp_alog_entry *entry; /* in the admission log if log */
	bool log;			     /* not rate-limited: emit to zlog */
	uint32_t suppressed;		     /* earlier decisions of this source not logged */
	/* logged first in a new interval of its pool: how many decisions of
	 * the pool the interval before held back (VAPP_POOL_LOG_BURST) */
	uint32_t pool_held;
};

/* Everything the module holds; one per bgpd, one per unit test. */
struct vapp_ctx {
	struct vapp_inst_tree_head insts;
	/* an anycast address changed state (for logging and notifications) */
	void (*on_anycast)(const struct vapp_anycast *ac, unsigned int old_state, void *arg);
	uint64_t app_gen; /* bumped whenever an appliance is created or freed */
	void (*on_decision)(const struct vapp_decision *d, void *arg);
	void *arg;
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
extern struct vapp_inst *vapp_inst_first(struct vapp_ctx *ctx);
extern struct vapp_inst *vapp_inst_next(struct vapp_ctx *ctx, struct vapp_inst *inst);

/*
 * Pools. vapp_pool_new() allocates a detached pool (the northbound's
 * PREPARE phase), vapp_pool_attach() links it into its instance (APPLY);
 * a detached pool is released with vapp_pool_free() (ABORT).
 */
extern struct vapp_pool *vapp_pool_new(const char *name);
extern int vapp_pool_attach(struct vapp_inst *inst, struct vapp_pool *pool);
extern void vapp_pool_free(struct vapp_pool *pool);
/* Detaches and frees; its appliances are left with no pool (see below). */
extern void vapp_pool_del(struct vapp_pool *pool);
extern struct vapp_pool *vapp_pool_find(struct vapp_inst *inst, const char *name);
extern const struct vapp_pool *vapp_pool_lookup(const struct vapp_inst *inst, const char *name);
extern size_t vapp_pool_count(const struct vapp_inst *inst);
extern struct vapp_pool *vapp_pool_first(struct vapp_inst *inst);
extern struct vapp_pool *vapp_pool_next(struct vapp_inst *inst, struct vapp_pool *pool);

/* Binds the pool to a peer-group (NULL unbinds). */
extern void vapp_pool_set_peer_group(struct vapp_pool *pool, const char *pg);

/* Number of pools of @inst bound to peer-group @pg. */
extern unsigned int vapp_inst_pools_of_group(const struct vapp_inst *inst, const char *pg);
/* Slot holders of the pool (connecting or admitted). */
extern unsigned int vapp_pool_sessions_held(const struct vapp_pool *pool);
/* Slot holders in Established. */
extern unsigned int vapp_pool_established(const struct vapp_pool *pool);
extern uint64_t vapp_inst_nopool_count(const struct vapp_inst *inst, const char *pg);
/*
 * The pool's rejections for @reason since it was created; noPool counts the
 * connections to its peer-group that matched no pool of it (every pool of
 * that peer-group shows the same number).
 */
extern uint64_t vapp_pool_rejections(const struct vapp_pool *pool, enum vapp_reason reason);

/* ---- admission decisions (vapp_admission.c) ---------------------------------- */

/*
 * The pool a dynamic neighbor of peer-group @pg belongs to: the pool with the
 * longest `source` covering @addr, else the group's pool without sources.
 * NULL when no pool matches.
 */
extern struct vapp_pool *vapp_pool_select(struct vapp_inst *inst, const char *pg,
					  const struct ipaddr *addr);

/*
 * What only bgpd knows, asked when the module decides (NULL callbacks
 * answer yes): whether the pool's peer-group has a TCP-MD5 password, and
 * whether the pool's inbound policy is enforced.
 */
struct vapp_facts {
	bool (*password_set)(const struct vapp_pool *pool, void *arg);
	bool (*policy_enforced)(const struct vapp_pool *pool, void *arg);
	void *arg;
};

/*
 * A new dynamic neighbor of peer-group @pg from @addr (its source is known,
 * its OPEN not yet). Always returns a tracked appliance (created, owned by
 * @owner); its state is CONNECTING, or REJECTED with the reason set: the
 * glue must then reject the connection.
 */
extern struct vapp_app *vapp_admit_connect(struct vapp_inst *inst, const char *pg,
					   const struct ipaddr *addr, void *owner,
					   const struct vapp_facts *facts, int64_t now);

/*
 * The appliance's OPEN arrived with @asn and @router_id; @own_id is the
 * route server's BGP identifier. Returns the new state: ADMITTED, or
 * REJECTED with app->reason REMOTE_AS or ROUTER_ID.
 */
extern enum vapp_app_state vapp_admit_open(struct vapp_app *app, uint32_t asn,
					   struct in_addr router_id, struct in_addr own_id,
					   int64_t now);

/*
 * An OPEN on a second connection from the appliance's address (bgpd's
 * connection-collision path: a doppelganger of the neighbor, which could
 * take over its session). Decides a still undecided appliance; for one
 * admitted already, the OPEN must pass the same checks with the same AS,
 * else the rejection is counted and logged (the appliance's own session
 * is left alone). Returns NONE, or why the connection must be refused.
 */
extern enum vapp_reason vapp_admit_second_open(struct vapp_app *app, uint32_t asn,
					       struct in_addr router_id, struct in_addr own_id,
					       int64_t now);

/*
 * bgpd accepted the OPEN of an admitted appliance (OpenConfirm, or
 * Established after a collision moved a session to it) and read @asn and
 * @router_id from it: they must be what the module admitted, or the two
 * read different OPENs. Returns NONE, or OPEN_MISMATCH with the appliance
 * rejected (a failure toward quarantine): the glue must close it.
 */
extern enum vapp_reason vapp_admit_confirm(struct vapp_app *app, uint32_t asn,
					   struct in_addr router_id, int64_t now);

extern void vapp_app_established(struct vapp_app *app, bool up, int64_t now);
/*
 * Make-before-break mobility: @app, admitted as a move (same pool, address
 * family, AS and BGP identifier as an admitted appliance at another
 * source, mobility takeover), is Established now. Every admitted session
 * of that identity at another source is disconnected (reason MOVED, never
 * a failure) and handed to @close; returns how many (none when they went
 * meanwhile, or @app is no move).
 */
extern unsigned int
vapp_app_takeover(struct vapp_app *app, int64_t now,
		  void (*close)(struct vapp_app *old, struct vapp_app *app, void *arg), void *arg);
/*
 * A connection from the address of @app to another local address of this
 * router than @app's session's (an appliance peering with two anycast
 * addresses, both reaching this server). Returns true when it must be
 * refused (ALREADY_PEERED): @app is admitted or being decided. Counted in
 * the pool and in @app; the first one per @app is a logged decision, the
 * rest only counted. Never a failure toward quarantine.
 */
extern bool vapp_admit_other_local(struct vapp_app *app, int64_t now);
/*
 * Its session went down and bgpd keeps the neighbor and its routes (stale)
 * for graceful restart: down for the pool's sessions, still holding its
 * slot; its verdicts are those of the paths bgpd keeps (the accepted
 * ones); the OPEN of the restarted session is decided as a first OPEN
 * (vapp_admit_second_open()), its failures counted.
 */
extern void vapp_app_gr_wait(struct vapp_app *app, int64_t now);

/* The appliance sent a NOTIFICATION with error @code (Cease is no error). */
extern void vapp_app_notify_received(struct vapp_app *app, uint8_t code);

/*
 * The session ended and bgpd removed the neighbor. A failure toward
 * quarantine is recorded when it never reached Established or when the
 * appliance sent an error NOTIFICATION. Frees @app.
 */
extern void vapp_app_closed(struct vapp_app *app, int64_t now);

/* What `show ... appliances` and the YANG list show for one source. */
enum vapp_view_state {
	VAPP_VIEW_CONNECTING,
	VAPP_VIEW_ADMITTED,
	VAPP_VIEW_REJECTED,
	VAPP_VIEW_QUARANTINED,
};
/* Rejected sources stay visible this long after their last decision. */
#define VAPP_VIEW_REJECTED_TTL_MS (3600 * 1000)

struct vapp_appview {
	struct ipaddr addr;
	const char *pool; /* NULL: no pool */
	enum vapp_view_state state;
	bool established;
	enum vapp_reason reason;
	uint32_t remote_as;
	struct in_addr router_id;
	int64_t since;
	int64_t until;		     /* quarantined: end of the hold */
	uint32_t pcount[VAPP_P_MAX]; /* connected: its routes by verdict */
	uint64_t unkept;	     /* rejected paths not remembered (cap) */
	uint32_t peered_refused;     /* its second sessions refused */
	bool move_pending;	     /* admitted as a move, not Established yet */
	struct ipaddr move_from;
};

extern const char *vapp_view_state_name(enum vapp_view_state state);
/*
 * Connected appliances of @inst (of pool @pool when not NULL), then sources
 * of its pools in quarantine or rejected within the TTL, sorted by address.
 * Returns a darr the caller frees with darr_free().
 */
extern struct vapp_appview *vapp_inst_appviews(const struct vapp_inst *inst, const char *pool,
					       int64_t now);

extern struct vapp_app *vapp_app_find(struct vapp_inst *inst, const struct ipaddr *addr);
extern const struct vapp_app *vapp_app_lookup(const struct vapp_inst *inst,
					      const struct ipaddr *addr);
extern size_t vapp_app_count(const struct vapp_inst *inst);
extern struct vapp_app *vapp_app_first(struct vapp_inst *inst);
extern struct vapp_app *vapp_app_next(struct vapp_inst *inst, struct vapp_app *app);

/*
 * Re-evaluates the admitted and connecting appliances of @inst after a
 * configuration change. Each one no longer admissible is set REJECTED and
 * @disconnect is called for it; the glue disconnects it (Administrative
 * Reset), also those whose peer-group no longer has pools (reason noPool):
 * no session of a peer-group the module governed escapes its rules.
 * Returns the number disconnected.
 */
extern unsigned int vapp_inst_reevaluate(struct vapp_inst *inst, const struct vapp_facts *facts,
					 void (*disconnect)(struct vapp_app *app, void *arg),
					 int64_t now);

/* Admission log: @i-th newest entry (0 = newest), NULL past the end. */
extern const struct vapp_alog_entry *vapp_alog_get(const struct vapp_inst *inst, size_t i);
extern size_t vapp_alog_count(const struct vapp_inst *inst);

/* anycast loopback health: vapp_anycast.h */
#include "vapp_anycast.h"

#endif /* VAPP_CORE_H */
