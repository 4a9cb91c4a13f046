// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: anycast loopback health (vapp_anycast.c).
 * Included by vapp_core.h, after the instance it belongs to.
 */
#ifndef VAPP_ANYCAST_H
#define VAPP_ANYCAST_H

/* ---- anycast loopback health (vapp_anycast.c) ------------------------------------ */

#define VAPP_AC_RESTORE_DELAY 10   /* seconds */
#define VAPP_AC_LEASE	      9	   /* seconds; renewed every third of it */
#define VAPP_AC_GRACE	      0	   /* seconds before the drain NOTIFICATION */
#define VAPP_AC_RETRY_MS      1000 /* after a failed install */
/* a failed removal is retried after 1 s, doubling up to 30 s */
#define VAPP_AC_REMOVE_RETRY_MS	    1000
#define VAPP_AC_REMOVE_RETRY_MAX_MS 30000
#define VAPP_IFNAME_MAX		    15 /* IFNAMSIZ - 1 */

enum vapp_ac_state {
	VAPP_AC_STARTUP,   /* not installed yet since bgpd started */
	VAPP_AC_UP,	   /* installed, renewed */
	VAPP_AC_DOWN,	   /* unhealthy, or installing failed: not installed */
	VAPP_AC_RESTORING, /* healthy again, waiting restore-delay */
	VAPP_AC_DRAINING,  /* shutdown: after grace, sessions told, address removed */
};

extern const char *vapp_ac_state_name(enum vapp_ac_state state);

/* A peer-group whose Established sessions the address depends on. */
struct vapp_track {
	char *peer_group;
	uint32_t min_established;
	uint32_t established; /* kept current by the glue */
};

/* Actions vapp_anycast_eval() asks the glue for. */
#define VAPP_AC_DO_INSTALL 0x1 /* add the address, or renew its lease */
#define VAPP_AC_DO_REMOVE  0x2
#define VAPP_AC_DO_DRAIN                                                                           \
	0x4 /* tell the sessions on the address to go (before a
				* REMOVE returned with it) */
/*
 * Unhealthy: the sessions on the address are dead ends (the fabric sends
 * their packets to another server now); tell them to go, then REMOVE.
 */
#define VAPP_AC_DO_RESET 0x8

struct vapp_anycast {
	struct vapp_anycast_tree_item item;
	struct vapp_inst *inst;
	struct prefix prefix; /* IPv4 /32 or IPv6 /128 */
	char ifname[VAPP_IFNAME_MAX + 1];
	uint32_t restore_delay; /* seconds */
	uint32_t lease;		/* seconds */
	bool shutdown;
	uint32_t grace;		   /* seconds */
	char *message;		   /* RFC 9003 shutdown communication, or NULL */
	struct vapp_track *tracks; /* darr */

	enum vapp_ac_state state;
	char reason[128];
	int64_t since;
	uint32_t transitions;
	int64_t healthy_since; /* 0: unhealthy */
	bool installed;
	bool ever_up;
	int64_t lease_until;
	int64_t renew_at;
	int64_t retry_at;
	int64_t drain_start; /* when the drain began; its end is drain_start + grace */
	int64_t drain_at;
	bool drain_sent;
	/*
	 * The kernel refused to remove the address (or could not be asked):
	 * it is still there, so still installed, until a retry succeeds or
	 * its lease runs out. Nothing renews it meanwhile.
	 */
	bool remove_pending;
	uint32_t remove_attempts; /* failed ones, for the pending removal */
	int64_t remove_retry_at;
	char remove_error[96];
	uint64_t remove_failures; /* every failed removal */
	/* kernel operations since the address was configured (metrics) */
	uint64_t installs;	   /* the address put in (not held before) */
	uint64_t renewals;	   /* lease renewed */
	uint64_t install_failures; /* failed installs and renewals */
	uint64_t removals;	   /* the address taken out */
};

extern struct vapp_anycast *vapp_anycast_get(struct vapp_inst *inst, const struct prefix *p);
extern struct vapp_anycast *vapp_anycast_find(struct vapp_inst *inst, const struct prefix *p);
/*
 * In its drain's grace: shut down, the address and its sessions still
 * there, the Cease not sent yet. Routes of its sessions match `match
 * vappliance draining`, so that the fabric moves to the other route
 * server's copies before anything goes.
 */
extern bool vapp_anycast_in_grace(const struct vapp_anycast *ac);
extern void vapp_anycast_del(struct vapp_anycast *ac);
extern struct vapp_anycast *vapp_anycast_first(struct vapp_inst *inst);
extern struct vapp_anycast *vapp_anycast_next(struct vapp_inst *inst, struct vapp_anycast *ac);
/* Sets (min > 0) or removes (min 0) the track of peer-group @pg. */
extern void vapp_anycast_track(struct vapp_anycast *ac, const char *pg, uint32_t min);
extern void vapp_anycast_set_message(struct vapp_anycast *ac, const char *msg);

/* Whether every track holds; else @why says which does not. */
extern bool vapp_anycast_healthy(const struct vapp_anycast *ac, char *why, size_t len);
/*
 * Recomputes the state from the tracks, the drain setting and the time;
 * returns VAPP_AC_DO_* actions for the glue, which then reports install
 * results with vapp_anycast_installed() and removals with
 * vapp_anycast_removed().
 */
extern unsigned int vapp_anycast_eval(struct vapp_anycast *ac, int64_t now);
extern void vapp_anycast_installed(struct vapp_anycast *ac, bool ok, const char *err, int64_t now);
/* @ok false: the kernel still holds the address (@err says why) */
extern void vapp_anycast_removed(struct vapp_anycast *ac, bool ok, const char *err, int64_t now);
/*
 * An install failed and the kernel holds the address anyway (a lost
 * answer), or cannot be asked whether it does: installed, so that the next
 * step is its removal (call vapp_anycast_removed() with the result).
 */
extern void vapp_anycast_held(struct vapp_anycast *ac, int64_t now);
/* When vapp_anycast_eval() must run again at the latest (0: only on events). */
extern int64_t vapp_anycast_wakeup(const struct vapp_anycast *ac);

/* `clear ... vappliance quarantine [SOURCE]` over every pool of @inst. */
extern unsigned int vapp_inst_clear_quarantine(struct vapp_inst *inst, const struct ipaddr *addr);

#endif /* VAPP_ANYCAST_H */
