// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: the appliance prefix policy (vapp_policy.c) and
 * the UPDATE parser that tells it which paths a message carries
 * (vapp_update.c). The types are in vapp_core.h.
 */
#ifndef VAPP_POLICY_H
#define VAPP_POLICY_H

#include "vapp_core.h"

/* ---- prefix policy (vapp_policy.c) --------------------------------------------- */

/*
 * Rejected paths remembered per appliance (their verdicts show in the
 * counts); past it a rejected path is only counted in `unkept`, so that an
 * appliance announcing junk cannot grow the route server's memory without
 * bound. Accepted paths are bounded by max-prefixes.
 */
#define VAPP_REJECTED_KEPT 4096
/*
 * Distinct next hops other than its own address remembered per appliance
 * session for the routes show (an appliance uses its own; a hostile one
 * cannot grow this): paths with a further next hop are still decided,
 * their next hop shows as not kept.
 */
#define VAPP_NEXTHOPS_KEPT 64
#define VAPP_NH_UNKEPT	   255 /* aux byte: next hop not remembered */
#define VAPP_NH_SELF	   254 /* aux byte: the appliance's own address (no list) */

/*
 * The verdict for route @p with next hop @nh announced by @app, without
 * recording it (@accepted: this path of @app is accepted already).
 */
extern enum vapp_pverdict vapp_policy_eval(const struct vapp_app *app, const struct prefix *p,
					   const struct ipaddr *nh, bool accepted);
/*
 * The appliance announced path @k (again): evaluates and records its
 * verdict, moving it between the per-verdict counts. No allocation when @k
 * is known. max-prefixes counts accepted paths: under ADD-PATH each path
 * identifier is one.
 */
extern enum vapp_pverdict vapp_policy_announce(struct vapp_app *app, const struct vapp_rkey *k,
					       const struct ipaddr *nh);
/* The verdict recorded for @k, or VAPP_P_MAX when @k is not announced (or not kept). */
extern enum vapp_pverdict vapp_policy_lookup(const struct vapp_app *app, const struct vapp_rkey *k);
/*
 * Calls @fn for each path @app announces now (the rejected ones as far as
 * they are kept), in no particular order; @nh NULL: its next hop was not
 * kept (VAPP_NEXTHOPS_KEPT).
 */
extern void vapp_policy_walk(const struct vapp_app *app,
			     void (*fn)(const struct vapp_rkey *k, enum vapp_pverdict v,
					const struct ipaddr *nh, void *arg),
			     void *arg);
/*
 * The max-prefixes warning threshold of @pool in accepted routes:
 * ceil(max-prefixes * percent / 100); 0 when it has none.
 */
extern uint32_t vapp_pool_warn_threshold(const struct vapp_pool *pool);
/*
 * Whether @app's accepted routes crossed its pool's warning threshold since
 * the last call: 1 up (reached it), -1 down (fell below), 0 neither. Each
 * crossing is reported once.
 */
extern int vapp_policy_warn_edge(struct vapp_app *app);
/* The appliance withdrew @k. */
extern void vapp_policy_withdraw(struct vapp_app *app, const struct vapp_rkey *k);
/* Forgets every announced prefix (the session ended). */
extern void vapp_policy_reset(struct vapp_app *app);
/*
 * Forgets every path but the accepted ones: bgpd keeps those (stale, in
 * graceful restart), the others were only in its Adj-RIB-In, which went
 * with the session.
 */
extern void vapp_policy_keep_accepted(struct vapp_app *app);
/* Whether @p is or covers one of the instance's reserved prefixes. */
extern bool vapp_inst_reserved_hit(const struct vapp_inst *inst, const struct prefix *p);
extern void vapp_inst_reserve(struct vapp_inst *inst, const struct prefix *p, bool add);

/*
 * The paths a BGP UPDATE message body (after the header) announces and
 * withdraws, in the order bgpd's bgp_update_receive() processes them:
 * NLRI, Withdrawn Routes, MP_REACH_NLRI, MP_UNREACH_NLRI, for IPv4/IPv6
 * unicast and labeled-unicast (RFC 8277). @addpath[afi index][lu] tells
 * which carry path identifiers (RFC 7911). @fn gets each path and whether
 * it is withdrawn. Returns false when the message is malformed (bgpd then
 * handles it itself; what was reported before the error stands).
 */
extern bool vapp_update_paths(const uint8_t *body, size_t len, const bool addpath[2][2],
			      void (*fn)(const struct vapp_rkey *k, bool withdrawn, void *arg),
			      void *arg);

#endif /* VAPP_POLICY_H */
