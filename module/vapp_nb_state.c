// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance northbound: operational state (config false) callbacks.
 * List entries are the core's objects; leaf values come from bgpd via the
 * glue, read at the time of the query.
 */
#include <zebra.h>

#include "northbound.h"
#include "yang.h"

#include "vappliance.h"
#include "vapp_nb.h"

/* .../instance */
const void *vapp_nb_inst_get_next(struct nb_cb_get_next_args *args)
{
	const struct vapp_inst *inst = args->list_entry;

	return inst ? vapp_inst_next(&vapp_g, inst) : vapp_inst_first(&vapp_g);
}

int vapp_nb_inst_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vapp_inst *inst = args->list_entry;

	args->keys->num = 1;
	strlcpy(args->keys->key[0], inst->vrf, sizeof(args->keys->key[0]));
	return NB_OK;
}

const void *vapp_nb_inst_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vapp_inst_find(&vapp_g, args->keys->key[0]);
}

/* .../instance/pool */
const void *vapp_nb_pool_get_next(struct nb_cb_get_next_args *args)
{
	const struct vapp_inst *inst = args->parent_list_entry;
	const struct vapp_pool *pool = args->list_entry;

	return pool ? vapp_pool_next(inst, pool) : vapp_pool_first(inst);
}

int vapp_nb_pool_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct vapp_pool *pool = args->list_entry;

	args->keys->num = 1;
	strlcpy(args->keys->key[0], pool->name, sizeof(args->keys->key[0]));
	return NB_OK;
}

const void *vapp_nb_pool_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return vapp_pool_lookup(args->parent_list_entry, args->keys->key[0]);
}

/* .../instance/pool/state/peer-group-exists */
struct yang_data *vapp_nb_pool_state_pg_exists_get_elem(struct nb_cb_get_elem_args *args)
{
	struct vapp_pool_live live;

	vapp_bgp_pool_live(args->list_entry, &live);
	return yang_data_new_bool(args->xpath, live.peer_group_exists);
}

/* .../instance/pool/state/sessions */
struct yang_data *vapp_nb_pool_state_sessions_get_elem(struct nb_cb_get_elem_args *args)
{
	struct vapp_pool_live live;

	vapp_bgp_pool_live(args->list_entry, &live);
	return yang_data_new_uint32(args->xpath, live.sessions);
}
