// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance decision core: the per-appliance prefix -> verdict table (see
 * vapp_vtab.h for why it is not a route_table).
 */
#include <zebra.h>

#include <sys/random.h>

#include "memory.h"
#include "monotime.h"

#include "vapp_core.h"
#include "vapp_vtab.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_VTAB, "vappliance prefix verdicts");

/* slots of a table's first allocation: most appliances announce a prefix
 * or two, and 2,000 of them are on one route server */
#define VAPP_VTAB_MIN	 4
#define VAPP_VTAB_KEYMAX 22 /* IPv6 address, prefix length, SAFI, path id */
#define VAPP_VTAB_VLEN	 2  /* after the key: value + 1 (0: free slot), aux */

/* the key's length: address, prefix length, SAFI, path id */
static size_t vapp_vtab_klen(int family)
{
	return (family == AF_INET ? 4 : 16) + 2 + sizeof(uint32_t);
}

/*
 * The key: the address masked to the prefix length, the length, the SAFI,
 * then the path identifier (network order).
 */
static size_t vapp_vtab_key(const struct vapp_rkey *k, uint8_t *key)
{
	const struct prefix *p = &k->p;
	size_t alen = p->family == AF_INET ? 4 : 16;
	uint32_t id = htonl(k->path_id);
	size_t len = MIN(p->prefixlen, alen * 8);
	size_t full = len / 8, rem = len % 8;
	const uint8_t *a = &p->u.prefix;

	memset(key, 0, alen);
	memcpy(key, a, full);
	if (rem)
		key[full] = a[full] & (uint8_t)(0xff << (8 - rem));
	key[alen] = len;
	key[alen + 1] = k->safi;
	memcpy(key + alen + 2, &id, sizeof(id));
	return vapp_vtab_klen(p->family);
}

/* The path a key stands for (the inverse of vapp_vtab_key()). */
static void vapp_vtab_unkey(const uint8_t *key, int family, struct vapp_rkey *k)
{
	size_t alen = family == AF_INET ? 4 : 16;
	uint32_t id;

	memset(k, 0, sizeof(*k));
	k->p.family = family;
	memcpy(&k->p.u.prefix, key, alen);
	k->p.prefixlen = key[alen];
	k->safi = key[alen + 1];
	memcpy(&id, key + alen + 2, sizeof(id));
	k->path_id = ntohl(id);
}

/*
 * Appliances choose the prefixes: with a fixed hash a hostile one could
 * announce prefixes that all land in one probe run and make every lookup
 * walk it. A per-process random seed keeps the slots unpredictable.
 */
static uint64_t vapp_vtab_seed;

static void vapp_vtab_seed_init(void)
{
	uint64_t s = 0;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s))
		s = (uint64_t)monotime(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)&s;
	vapp_vtab_seed = s | 1; /* nonzero: seeded */
}

/* 64-bit multiply-xorshift over the key's words, then a full avalanche, so
 * that sequential addresses spread over the low bits the index uses */
static uint32_t vapp_vtab_hash(const uint8_t *key, size_t klen)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ vapp_vtab_seed ^ klen;

	for (size_t i = 0; i < klen; i += 8) {
		uint64_t w = 0;

		memcpy(&w, key + i, MIN(klen - i, sizeof(w)));
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

/*
 * The entry holding @key, or NULL; @pos: its slot, or the free slot that
 * ends the probe (where @key would go). There is always a free slot: the
 * table grows before it is 3/4 full.
 */
static uint8_t *vapp_vtab_find(const struct vapp_vtab *t, const uint8_t *key, size_t klen,
			       uint32_t *pos)
{
	size_t esize = klen + VAPP_VTAB_VLEN;
	uint32_t mask = t->cap - 1;
	uint32_t i = vapp_vtab_hash(key, klen) & mask;

	for (;; i = (i + 1) & mask) {
		uint8_t *e = t->slots + (size_t)i * esize;

		if (!e[klen] || !memcmp(e, key, klen)) {
			*pos = i;
			return e[klen] ? e : NULL;
		}
	}
}

/* Re-hashes into @cap slots the entries, or only those of value @keep (>= 0). */
static void vapp_vtab_resize(struct vapp_vtab *t, uint32_t cap, size_t klen, int keep)
{
	size_t esize = klen + VAPP_VTAB_VLEN;
	uint8_t *old = t->slots;
	uint32_t oldcap = t->cap;

	t->slots = XCALLOC(MTYPE_VAPP_VTAB, (size_t)cap * esize);
	t->cap = cap;
	for (uint32_t i = 0; i < oldcap; i++) {
		const uint8_t *e = old + (size_t)i * esize;
		uint32_t pos;

		if (!e[klen] || (keep >= 0 && e[klen] != keep + 1))
			continue;
		vapp_vtab_find(t, e, klen, &pos);
		memcpy(t->slots + (size_t)pos * esize, e, esize);
	}
	XFREE(MTYPE_VAPP_VTAB, old);
}

int vapp_vtab_get(const struct vapp_vtab *t, const struct vapp_rkey *k)
{
	uint8_t key[VAPP_VTAB_KEYMAX];
	size_t klen;
	uint32_t pos;
	const uint8_t *e;

	if (!t->count)
		return -1;
	klen = vapp_vtab_key(k, key);
	e = vapp_vtab_find(t, key, klen, &pos);
	return e ? e[klen] - 1 : -1;
}

uint8_t *vapp_vtab_ref(struct vapp_vtab *t, const struct vapp_rkey *k, int *old)
{
	uint8_t key[VAPP_VTAB_KEYMAX];
	size_t klen = vapp_vtab_key(k, key);
	uint32_t pos;
	uint8_t *e;

	if (!vapp_vtab_seed)
		vapp_vtab_seed_init();
	if (!t->cap)
		vapp_vtab_resize(t, VAPP_VTAB_MIN, klen, -1);
	e = vapp_vtab_find(t, key, klen, &pos);
	if (e) {
		*old = e[klen] - 1;
		return &e[klen];
	}
	if ((t->count + 1) * 4 > t->cap * 3) {
		vapp_vtab_resize(t, t->cap * 2, klen, -1);
		vapp_vtab_find(t, key, klen, &pos);
	}
	e = t->slots + (size_t)pos * (klen + VAPP_VTAB_VLEN);
	memcpy(e, key, klen);
	e[klen] = 255; /* taken; the caller stores the value */
	e[klen + 1] = 0;
	t->count++;
	*old = -1;
	return &e[klen];
}

int vapp_vtab_set(struct vapp_vtab *t, const struct vapp_rkey *k, uint8_t value)
{
	int old;

	assert(value < 255);
	vapp_vtab_store(vapp_vtab_ref(t, k, &old), value);
	return old;
}

int vapp_vtab_del(struct vapp_vtab *t, const struct vapp_rkey *k)
{
	uint8_t key[VAPP_VTAB_KEYMAX];
	size_t klen, esize;
	uint32_t mask, i, j, pos;
	uint8_t *e;
	int old;

	if (!t->count)
		return -1;
	klen = vapp_vtab_key(k, key);
	esize = klen + VAPP_VTAB_VLEN;
	e = vapp_vtab_find(t, key, klen, &pos);
	if (!e)
		return -1;
	old = e[klen] - 1;
	/*
	 * Backward shift: pull later entries of the probe run into the hole
	 * when the hole lies between their home slot and where they are, so
	 * that every entry stays reachable without tombstones.
	 */
	mask = t->cap - 1;
	for (i = pos, j = (pos + 1) & mask;; j = (j + 1) & mask) {
		uint8_t *ej = t->slots + (size_t)j * esize;
		uint32_t home;

		if (!ej[klen])
			break;
		home = vapp_vtab_hash(ej, klen) & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			memcpy(t->slots + (size_t)i * esize, ej, esize);
			i = j;
		}
	}
	memset(t->slots + (size_t)i * esize, 0, esize);
	t->count--;
	if (!t->count)
		vapp_vtab_fini(t);
	else if (t->cap > VAPP_VTAB_MIN && t->count < t->cap / 8)
		vapp_vtab_resize(t, t->cap / 2, klen, -1);
	return old;
}

uint32_t vapp_vtab_retain(struct vapp_vtab *t, int family, uint8_t value)
{
	size_t klen = vapp_vtab_klen(family), esize = klen + VAPP_VTAB_VLEN;
	uint32_t kept = 0, removed, cap = VAPP_VTAB_MIN;

	for (uint32_t i = 0; i < t->cap; i++)
		kept += t->slots[(size_t)i * esize + klen] == value + 1;
	removed = t->count - kept;
	if (!removed)
		return 0;
	/* a table of the size it would have grown to for what stays */
	while (kept * 4 > cap * 3)
		cap *= 2;
	vapp_vtab_resize(t, cap, klen, value);
	t->count = kept;
	return removed;
}

void vapp_vtab_walk(const struct vapp_vtab *t, int family,
		    void (*fn)(const struct vapp_rkey *k, uint8_t value, uint8_t aux, void *arg),
		    void *arg)
{
	size_t klen = vapp_vtab_klen(family), esize = klen + VAPP_VTAB_VLEN;
	struct vapp_rkey k;

	for (uint32_t i = 0; i < t->cap; i++) {
		const uint8_t *e = t->slots + (size_t)i * esize;

		if (!e[klen])
			continue;
		vapp_vtab_unkey(e, family, &k);
		fn(&k, e[klen] - 1, e[klen + 1], arg);
	}
}

void vapp_vtab_fini(struct vapp_vtab *t)
{
	XFREE(MTYPE_VAPP_VTAB, t->slots);
	t->cap = 0;
	t->count = 0;
}
