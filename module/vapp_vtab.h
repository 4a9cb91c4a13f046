// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: the per-appliance prefix -> verdict table.
 *
 * Every path an appliance announces is looked up (and usually inserted)
 * once per UPDATE it arrives in, so this is on the route server's ingest
 * path. It replaces a pair of route_tables: a route_node costs a malloc and
 * about 250 bytes per prefix (node, trie-internal nodes, hash), and
 * route_node_get() on a 100,000-prefix table cost more than FRR's whole
 * native prefix-list match of that route. Here an entry is the masked
 * prefix, SAFI, path identifier, verdict and one auxiliary byte (the
 * policy's next-hop index; 12 bytes for IPv4, 24 for IPv6) in one flat array
 * per address family: open addressing with linear probing (one cache line
 * for most lookups), grown at 3/4 load and shrunk at 1/8, and deletion by
 * backward shift, so there are no tombstones and a lookup never walks over
 * withdrawn prefixes.
 */
#ifndef VAPP_VTAB_H
#define VAPP_VTAB_H

#include "prefix.h"

/*
 * One path an appliance announces, keyed as bgpd keys it: the prefix (its
 * family gives the AFI), the SAFI (unicast and labeled-unicast routes share
 * bgpd's unicast RIB but are distinct NLRI), and the ADD-PATH identifier
 * (RFC 7911; 0 without ADD-PATH).
 */
struct vapp_rkey {
	struct prefix p;
	uint32_t path_id;
	uint8_t safi; /* SAFI_UNICAST or SAFI_LABELED_UNICAST */
};

/*
 * One address family's table (the family of the prefixes given to it);
 * zeroed: empty, nothing allocated.
 */
struct vapp_vtab {
	uint8_t *slots; /* cap entries: masked address, prefix length, SAFI,
			 * path id, value + 1, aux */
	uint32_t cap;	/* a power of two, or 0 */
	uint32_t count;
};

/* Value stored for @k (0-254), or -1 when @k is not in the table. */
extern int vapp_vtab_get(const struct vapp_vtab *t, const struct vapp_rkey *k);
/*
 * Sets @k's value (0-254) and returns the previous one, or -1 when @k was
 * not in the table. Allocates only when the table grows.
 */
extern int vapp_vtab_set(struct vapp_vtab *t, const struct vapp_rkey *k, uint8_t value);
/*
 * One probe for a read-modify-write: the value slot of @k, added when
 * absent (*old: its value, or -1 when it was added). Store the value with
 * vapp_vtab_store() before the table changes again.
 */
extern uint8_t *vapp_vtab_ref(struct vapp_vtab *t, const struct vapp_rkey *k, int *old);
static inline void vapp_vtab_store(uint8_t *slot, uint8_t value)
{
	slot[0] = value + 1;
}
/* The entry's auxiliary byte (0 when added), beside its value. */
static inline void vapp_vtab_store_aux(uint8_t *slot, uint8_t aux)
{
	slot[1] = aux;
}
/* Removes @k; returns its value, or -1 when it was not in the table. */
extern int vapp_vtab_del(struct vapp_vtab *t, const struct vapp_rkey *k);
/*
 * Keeps the entries whose value is @value, removes the others (@family:
 * the family of the table's prefixes); returns how many were removed.
 */
extern uint32_t vapp_vtab_retain(struct vapp_vtab *t, int family, uint8_t value);
/*
 * Calls @fn for every entry (@family: of the table's prefixes; the key's
 * prefix comes back masked), in no particular order. @fn must not change
 * the table.
 */
extern void vapp_vtab_walk(const struct vapp_vtab *t, int family,
			   void (*fn)(const struct vapp_rkey *k, uint8_t value, uint8_t aux,
				      void *arg),
			   void *arg);
/* Frees everything; the table is empty again. */
extern void vapp_vtab_fini(struct vapp_vtab *t);

#endif /* VAPP_VTAB_H */
