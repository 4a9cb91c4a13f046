// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance northbound: configuration callbacks.
 *
 * Phases: VALIDATE refuses what the core cannot take (with a message for the
 * user), PREPARE allocates, ABORT releases what PREPARE allocated, APPLY only
 * links prepared objects in and cannot fail.
 */
#include <zebra.h>

#include "northbound.h"
#include "yang.h"

#include "vappliance.h"
#include "vapp_nb.h"

/* .../instance */
int vapp_nb_inst_create(struct nb_cb_create_args *args)
{
	struct vapp_inst *inst;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	inst = vapp_inst_get(&vapp_g, yang_dnode_get_string(args->dnode, "vrf"));
	nb_running_set_entry(args->dnode, inst);
	return NB_OK;
}

int vapp_nb_inst_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_inst *inst;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	inst = nb_running_unset_entry(args->dnode);
	vapp_inst_del(inst);
	return NB_OK;
}

/* .../instance/pool */
int vapp_nb_pool_create(struct nb_cb_create_args *args)
{
	struct vapp_inst *inst;
	struct vapp_pool *pool;

	switch (args->event) {
	case NB_EV_VALIDATE:
		if (!yang_dnode_exists(args->dnode, "peer-group")) {
			snprintf(args->errmsg, args->errmsg_len, "pool %s has no peer-group",
				 yang_dnode_get_string(args->dnode, "name"));
			return NB_ERR_VALIDATION;
		}
		break;
	case NB_EV_PREPARE:
		pool = vapp_pool_new(yang_dnode_get_string(args->dnode, "name"));
		args->resource->ptr = pool;
		break;
	case NB_EV_ABORT:
		vapp_pool_free(args->resource->ptr);
		break;
	case NB_EV_APPLY:
		pool = args->resource->ptr;
		inst = nb_running_get_entry(args->dnode, NULL, true);
		/* the YANG key makes the name unique within the instance */
		if (vapp_pool_attach(inst, pool) != 0)
			assert(!"duplicate pool name reached APPLY");
		nb_running_set_entry(args->dnode, pool);
		break;
	}
	return NB_OK;
}

int vapp_nb_pool_destroy(struct nb_cb_destroy_args *args)
{
	struct vapp_pool *pool;

	if (args->event != NB_EV_APPLY)
		return NB_OK;
	pool = nb_running_unset_entry(args->dnode);
	vapp_pool_del(pool);
	return NB_OK;
}

/* .../instance/pool/peer-group */
int vapp_nb_pool_peer_group_modify(struct nb_cb_modify_args *args)
{
	const char *pg = yang_dnode_get_string(args->dnode, NULL);
	struct vapp_pool *pool;

	switch (args->event) {
	case NB_EV_VALIDATE: {
		/*
		 * A pool's sessions, counters and quarantine belong to the
		 * peer-group it was created for; moving them silently to
		 * another group would re-admit every appliance under other
		 * rules. Rebinding therefore means deleting the pool first.
		 */
		char xpath[XPATH_MAXLEN];
		const struct lyd_node *old;

		yang_dnode_get_path(args->dnode, xpath, sizeof(xpath));
		old = running_config->dnode ? yang_dnode_get(running_config->dnode, xpath) : NULL;
		if (old && strcmp(yang_dnode_get_string(old, NULL), pg) != 0) {
			snprintf(args->errmsg, args->errmsg_len,
				 "pool %s is already bound to peer-group %s; remove the pool first to bind it to %s",
				 yang_dnode_get_string(args->dnode, "../name"),
				 yang_dnode_get_string(old, NULL), pg);
			return NB_ERR_VALIDATION;
		}
		break;
	}
	case NB_EV_PREPARE:
	case NB_EV_ABORT:
		break;
	case NB_EV_APPLY:
		pool = nb_running_get_entry(args->dnode, NULL, true);
		vapp_pool_set_peer_group(pool, pg);
		break;
	}
	return NB_OK;
}
