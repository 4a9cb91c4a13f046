// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance bgpd module: shared declarations of the module's parts.
 */
#ifndef VAPPLIANCE_H
#define VAPPLIANCE_H

#include "prefix.h"

#include "vapp_core.h"
#include "vapp_policy.h"

/* The module's state in this bgpd (vapp_main.c). */
extern struct vapp_ctx vapp_g;

/* vapp_bgp.c: glue to bgpd */
struct bgp;
extern void vapp_bgp_init(void);
extern void vapp_bgp_start(void); /* frr_late_init: event loop ready */
extern void vapp_bgp_fini(void);
/* milliseconds of the monotonic clock, the core's time base */
extern int64_t vapp_bgp_now(void);
/* A log line of a kind at most every VAPP_LOG_INTERVAL_MS; @last: when it was last. */
extern bool vapp_bgp_log_due(int64_t *last);
/* whether prefix @p overlaps a listen range of peer-group @pg */
struct prefix;
extern bool vapp_bgp_group_listens(struct bgp *bgp, const char *pg, const struct prefix *p);
/* re-evaluates the instance's appliances (after configuration changes) */
extern void vapp_bgp_reevaluate(struct vapp_inst *inst);
/* the same for every instance, from the event loop (after a commit) */
extern void vapp_bgp_reevaluate_soon(void);
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

struct peer;
struct peer_group;
struct prefix;
/* The peer-group a pool is bound to, if it exists. */
extern struct peer_group *vapp_bgp_pool_group(const struct vapp_pool *pool);
/* The tracked appliance of a dynamic neighbor, or NULL. */
extern struct vapp_app *vapp_bgp_peer_app(struct peer *peer);
/* Whether the peer is a dynamic neighbor of a peer-group with pools. */
extern bool vapp_bgp_peer_pooled(struct peer *peer);
/* The inbound policy recorded a verdict for one of the appliance's routes. */
extern void vapp_bgp_route_verdict(struct vapp_app *app, const struct prefix *p,
				   enum vapp_pverdict v);
/* The pools' prefix policy changed: re-evaluate their routes (soft in). */
extern void vapp_bgp_policy_changed(struct vapp_inst *inst);

/* vapp_rmap.c: the route-map clause */
struct route_map;
struct route_map_rule;
struct bgp_path_info;
extern void vapp_rmap_init(void);
extern void vapp_rmap_fini(void);
/* Whether @r is `match vappliance invalid`. */
extern bool vapp_rmap_rule_is_invalid(const struct route_map_rule *r);
/* whether route-map @name has a `match vappliance draining` */
extern bool vapp_rmap_uses_draining(const char *name);
/* vapp_bgp_drain.c: the fabric leaves a draining server's routes first */
struct bgp_path_info;
extern bool vapp_bgp_path_draining(const struct bgp_path_info *path);
struct vapp_anycast;
extern void vapp_bgp_drain_changed(const struct vapp_anycast *ac, unsigned int old_state);
extern void vapp_bgp_drain_fini(void);

/* vapp_enforce.c: the pools' inbound policy uses the clause */
struct vapp_af_policy {
	const char *af;	       /* "ipv4Unicast" */
	const char *af_yang;   /* "ipv4-unicast" */
	const char *af_cli;    /* "ipv4 unicast" */
	bool governed;	       /* an address family the module filters */
	const char *route_map; /* inbound route-map of the peer-group, or NULL */
	const char *problem;   /* NULL: enforced */
};
#define VAPP_AF_MAX 12 /* address families vapp_enforce_check() reports */
/* Enforcement of the pool's policy per address family active on its group. */
extern int vapp_enforce_check(const struct vapp_pool *pool, struct vapp_af_policy *out, int max);
extern bool vapp_enforce_pool(const struct vapp_pool *pool);
/* Whether inbound route-map @map (NULL: none) enforces it, now. */
extern bool vapp_enforce_map(const struct route_map *map);
extern void vapp_enforce_fix_lines(const struct vapp_pool *pool, const struct vapp_af_policy *af,
				   void (*line)(const char *s, void *arg), void *arg);

/* vapp_bgp_routes.c: the appliances' paths */
extern void vapp_bgp_routes_init(void);
extern void vapp_bgp_routes_fini(void);
/* An UPDATE from @app's session, before bgpd processes it. */
extern void vapp_bgp_routes_update(struct peer *peer, struct vapp_app *app, const uint8_t *body,
				   size_t len);
/*
 * The verdict of @path for the inbound route-map (recorded), or read only;
 * VAPP_P_MAX when the module cannot vouch either way (the clause then
 * matches neither valid nor invalid).
 */
extern enum vapp_pverdict vapp_bgp_route_in(struct peer *peer, struct vapp_app *app,
					    const struct prefix *p,
					    const struct bgp_path_info *path);
extern enum vapp_pverdict vapp_bgp_route_peek(struct peer *peer, struct vapp_app *app,
					      const struct prefix *p,
					      const struct bgp_path_info *path);
/* vapp_bgp_session.c: deferred actions on appliance sessions */
extern void vapp_bgp_session_init(void);
extern void vapp_bgp_session_fini(void);
/* held-back routes get another chance when there is room */
extern void vapp_bgp_limit_room(struct vapp_app *app);
/* the max-prefixes warning: logged and notified once per crossing */
extern void vapp_bgp_limit_warning(struct vapp_app *app);
/* ... for each appliance of @pool (its warning changed) */
extern void vapp_bgp_pool_warnings(struct vapp_pool *pool);
/* deferred NOTIFICATION (and deletion of a dynamic neighbor) */
extern void vapp_bgp_kick(struct peer *peer, uint8_t code, uint8_t subcode);
/* a core decision to disconnect (Administrative Reset, reason in RFC 9003 text) */
extern void vapp_bgp_disconnect(struct vapp_app *app, void *arg);
/* vapp_bgp_moves.c: a second session to another local address (true:
 * refused) at its first status change; mobility takeover, armed at
 * Established, done at the new session's End-of-RIB */
extern bool vapp_bgp_other_local(struct peer *peer);
extern void vapp_bgp_takeover_arm(struct peer *peer, struct vapp_app *app);
extern void vapp_bgp_takeover(struct peer *peer, struct vapp_app *app);
extern void vapp_bgp_moves_init(void);
extern void vapp_bgp_moves_fini(void);

/* vapp_netlink.c: the kernel's addresses */
#define VAPP_IFA_PROTO 86 /* address protocol marking the module's addresses */
struct vapp_nl_addr {
	struct prefix prefix;
	unsigned int ifindex;
	uint8_t proto;
};
enum vapp_nl_owner {
	VAPP_NL_ABSENT,
	VAPP_NL_OURS,
	VAPP_NL_FOREIGN,
	VAPP_NL_UNKNOWN, /* the kernel's addresses could not be read */
};
/* What rtnetlink did since the module started (shows, metrics). */
struct vapp_nl_stats {
	uint64_t requests;
	uint64_t errors;  /* sends, receives, timeouts, malformed replies */
	uint64_t reopens; /* fresh sockets after an error */
	uint64_t stale;	  /* replies of earlier requests, skipped */
};
struct zebra_privs_t;
/* @privs: raised around socket opening and sends (bgpd's; NULL in tests) */
extern bool vapp_nl_init(struct zebra_privs_t *privs);
extern void vapp_nl_fini(void);
extern const struct vapp_nl_stats *vapp_nl_get_stats(void);
/* Adds (or renews) an address with lifetime @lease; 0 or -errno. */
extern int vapp_nl_addr_set(const char *ifname, const struct prefix *p, uint32_t lease);
/* 0 also when the address is not there; else -errno (the kernel may hold it) */
extern int vapp_nl_addr_del(const char *ifname, const struct prefix *p);
/* Every address of the namespace (a darr, NULL when empty); 0 or -errno. */
extern int vapp_nl_addrs(struct vapp_nl_addr **addrs);
extern enum vapp_nl_owner vapp_nl_addr_owner(const struct prefix *p);
/* Removes every address carrying the module's mark; returns how many. */
extern unsigned int vapp_nl_cleanup(void);
/*
 * Test only: faults for the requests, "OP:N[-M]:MODE,..." (OP add, del or
 * dump, N-M the ordinals of that op's requests from 1; MODE fail: not sent,
 * as a transport error; noack: carried out without an answer, the wait
 * runs out; stale: a no-op asking for an answer under the previous
 * sequence number goes first). Empty or NULL clears them; false (nothing changed) when
 * malformed. vapp_nl_init() takes VAPP_TEST_NETLINK_FAULTS from the
 * environment.
 */
enum vapp_nl_fault {
	VAPP_NL_FAULT_NONE,
	VAPP_NL_FAULT_FAIL,
	VAPP_NL_FAULT_NOACK,
	VAPP_NL_FAULT_STALE,
	VAPP_NL_FAULT_NOPROTO, /* a kernel before 5.18: IFA_PROTO not kept */
};
extern bool vapp_nl_faults_set(const char *spec);

/* vapp_bgp_tracked.c: Established sessions per peer-group */
extern void vapp_tracked_init(void);
extern void vapp_tracked_fini(void);
/*
 * A status change of @peer: true when it entered or left Established in a
 * peer-group (its name in @group), counted up or down.
 */
extern bool vapp_tracked_event(struct peer *peer, char *group, size_t len);
extern uint32_t vapp_tracked_count(const struct bgp *bgp, const char *group);
/* Recounts from bgpd's lists; returns the corrections (logged). */
extern unsigned int vapp_tracked_recount(const struct bgp *bgp);
/* The instance goes: its sessions are forgotten. */
extern void vapp_tracked_forget_bgp(const struct bgp *bgp);

/* vapp_bgp_anycast.c */
extern void vapp_bgp_ac_start(void);
extern void vapp_bgp_ac_stop(void);
/* Re-evaluates every anycast address now (bgpd events, configuration). */
extern void vapp_bgp_ac_run(void);
extern void vapp_bgp_ac_run_soon(void);
/* A session changed state: tracked peer-groups may have changed health. */
extern void vapp_bgp_ac_peer_event(struct peer *peer);
/* Whether the address is already in the kernel and not the module's. */
extern bool vapp_bgp_ac_foreign(const struct prefix *p);
/* Before its configuration goes: takes the address out of the kernel. */
extern void vapp_bgp_ac_unconfigure(struct vapp_anycast *ac);
/* vapp_bgp_session.c: deferred NOTIFICATION with an RFC 9003 message (may be NULL) */
extern void vapp_bgp_kick_msg(struct peer *peer, uint8_t code, uint8_t subcode, const char *msg);

#endif /* VAPPLIANCE_H */
