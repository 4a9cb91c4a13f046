// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance glue: appliances that move. An appliance peers with two
 * anycast addresses; when both reach this route server, its second
 * session is refused (alreadyPeered) and the first one kept. An appliance
 * re-addressed into another source of its pool takes over from its old
 * session once its new one is Established (mobility takeover).
 */
#include <zebra.h>

#include "frrevent.h"
#include "sockunion.h"
#include "typesafe.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_fsm.h"
#include "bgpd/bgp_packet.h"

#include "vappliance.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_STEP, "vappliance deferred move step");

/* ---- deferred steps: each holds a peer reference (peer_lock) --------------------- */

enum vapp_step_kind {
	VAPP_STEP_NSF_RESTORE, /* give a kept session its graceful-restart flag back */
	VAPP_STEP_TAKEOVER,    /* a move that saw no End-of-RIB takes over */
};

PREDECL_DLIST(vapp_steps);
struct vapp_step {
	struct vapp_steps_item item;
	struct peer *peer; /* locked */
	struct event *ev;
	enum vapp_step_kind kind;
};
DECLARE_DLIST(vapp_steps, struct vapp_step, item);
static struct vapp_steps_head vapp_steps;

static void vapp_step_free(struct vapp_step *st)
{
	vapp_steps_del(&vapp_steps, st);
	event_cancel(&st->ev);
	peer_unlock(st->peer); /* may free it */
	XFREE(MTYPE_VAPP_STEP, st);
}

static void vapp_step_run(struct event *ev);

/* not keyed on the connection: bgp_stop() would cancel it, leaking the
 * reference */
static void vapp_step_add(struct peer *peer, enum vapp_step_kind kind, long msec)
{
	struct vapp_step *st = XCALLOC(MTYPE_VAPP_STEP, sizeof(*st));

	st->peer = peer_lock(peer);
	st->kind = kind;
	vapp_steps_add_tail(&vapp_steps, st);
	event_add_timer_msec(bm->master, vapp_step_run, st, msec, &st->ev);
}

/* ---- a second session to another local address ------------------------------- */

/*
 * bgp_accept() tears down an Established neighbor that negotiated
 * graceful restart (PEER_STATUS_NSF_MODE) as soon as any new connection
 * arrives from its address, right after the Active status change this
 * module sees (it takes the new connection for the restarted peer). A
 * connection to another local address is no restart: the flag is taken
 * away for the rest of bgp_accept() and given back from an event, which
 * runs after it.
 */
static void vapp_nsf_hold(struct peer *peer)
{
	if (!peer_established(peer->connection) || !CHECK_FLAG(peer->sflags, PEER_STATUS_NSF_MODE))
		return;
	UNSET_FLAG(peer->sflags, PEER_STATUS_NSF_MODE);
	vapp_step_add(peer, VAPP_STEP_NSF_RESTORE, 0);
}

bool vapp_bgp_other_local(struct peer *peer)
{
	struct peer *first = peer->doppelganger;
	struct peer_connection *c = peer->connection;
	struct vapp_app *app;

	/* bgp_accept() links the two before this status change and flags the
	 * new one PEER_STATUS_ACCEPT_PEER only after it */
	if (c->status != Active || c->ostatus != Idle || !first || first->doppelganger != peer ||
	    CHECK_FLAG(peer->flags, PEER_FLAG_CONFIG_NODE) || !peer_dynamic_neighbor(first) ||
	    !(app = vapp_bgp_peer_app(first)))
		return false;
	/*
	 * The same local address: the appliance restarted, or a collision;
	 * bgpd's own rules apply (RFC 4271 collision resolution, graceful
	 * restart). A neighbor kept for graceful restart has no session: the
	 * restarted one may come on either address.
	 */
	if (!c->su_local || !first->connection->su_local ||
	    sockunion_same(c->su_local, first->connection->su_local) || app->gr_wait)
		return false;
	if (!vapp_admit_other_local(app, vapp_bgp_now()))
		return false;
	vapp_nsf_hold(first);
	vapp_bgp_kick(peer, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_CONNECT_REJECT);
	return true;
}

/* ---- mobility: a new session takes over ---------------------------------------- */

/*
 * Make before break: the old session goes when the new one has announced
 * its routes (its End-of-RIB, RFC 4724), so that the fabric never lacks
 * them; an appliance that sends none gets VAPP_TAKEOVER_WAIT_MS from its
 * Established.
 */
#define VAPP_TAKEOVER_WAIT_MS 3000

static void vapp_bgp_moved(struct vapp_app *old, struct vapp_app *app, void *arg)
{
	char msg[96];

	zlog_notice("vappliance: appliance AS %u, identifier %pI4 (pool %s, vrf %s) moved from %pIA to %pIA: its new session is up, closing the old one",
		    app->remote_as, &app->router_id, app->pool->name, app->inst->vrf, &old->addr,
		    &app->addr);
	/* RFC 9003: the old session's operator sees where it went */
	snprintfrr(msg, sizeof(msg), "vappliance: moved to %pIA", &app->addr);
	vapp_bgp_kick_msg(old->owner, BGP_NOTIFY_CEASE, BGP_NOTIFY_CEASE_ADMIN_RESET, msg);
}

void vapp_bgp_takeover(struct peer *peer, struct vapp_app *app)
{
	struct vapp_step *st;

	vapp_app_takeover(app, vapp_bgp_now(), vapp_bgp_moved, NULL);
	frr_each_safe (vapp_steps, &vapp_steps, st)
		if (st->peer == peer && st->kind == VAPP_STEP_TAKEOVER)
			vapp_step_free(st);
}

void vapp_bgp_takeover_arm(struct peer *peer, struct vapp_app *app)
{
	if (app->move_pending)
		vapp_step_add(peer, VAPP_STEP_TAKEOVER, VAPP_TAKEOVER_WAIT_MS);
}

static void vapp_step_run(struct event *ev)
{
	struct vapp_step *st = EVENT_ARG(ev);
	struct peer *peer = st->peer;
	bool up = !CHECK_FLAG(peer->flags, PEER_FLAG_DELETE) && peer_established(peer->connection);
	struct vapp_app *app;

	st->ev = NULL;
	switch (st->kind) {
	case VAPP_STEP_NSF_RESTORE:
		if (up && peer->nsf_af_count)
			SET_FLAG(peer->sflags, PEER_STATUS_NSF_MODE);
		break;
	case VAPP_STEP_TAKEOVER:
		if (up && (app = vapp_bgp_peer_app(peer)) && app->move_pending) {
			zlog_info("vappliance: %s sent no End-of-RIB within %d ms of Established; its move takes over now",
				  peer->host, VAPP_TAKEOVER_WAIT_MS);
			vapp_app_takeover(app, vapp_bgp_now(), vapp_bgp_moved, NULL);
		}
		break;
	}
	vapp_step_free(st);
}

void vapp_bgp_moves_init(void)
{
	vapp_steps_init(&vapp_steps);
}

void vapp_bgp_moves_fini(void)
{
	struct vapp_step *st;

	while ((st = vapp_steps_first(&vapp_steps)))
		vapp_step_free(st);
	vapp_steps_fini(&vapp_steps);
}
