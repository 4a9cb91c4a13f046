// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fixture of the admission tests (check_admission.c, check_reopen.c):
 * one instance, facts the test sets, decisions counted, a fake clock. Each
 * file that includes it has its own copy.
 */
#ifndef CHECK_ADMISSION_FIXTURE_H
#define CHECK_ADMISSION_FIXTURE_H

#include <check.h>

#include "module/vapp_core.h"

#define CK_MAYBE_UNUSED __attribute__((unused))

static CK_MAYBE_UNUSED struct vapp_ctx ctx;
static CK_MAYBE_UNUSED struct vapp_inst *inst;
static CK_MAYBE_UNUSED int64_t now;
static CK_MAYBE_UNUSED bool password = true, policy = true;
static CK_MAYBE_UNUSED unsigned int decisions, logged, disconnects;
static CK_MAYBE_UNUSED struct vapp_decision last;

static CK_MAYBE_UNUSED bool fact_password(const struct vapp_pool *pool, void *arg)
{
	return password;
}

static CK_MAYBE_UNUSED bool fact_policy(const struct vapp_pool *pool, void *arg)
{
	return policy;
}

static const struct vapp_facts CK_MAYBE_UNUSED facts = {
	.password_set = fact_password,
	.policy_enforced = fact_policy,
};

static CK_MAYBE_UNUSED void on_decision(const struct vapp_decision *d, void *arg)
{
	decisions++;
	if (d->log)
		logged++;
	last = *d;
}

static CK_MAYBE_UNUSED void on_disconnect(struct vapp_app *app, void *arg)
{
	disconnects++;
}

static CK_MAYBE_UNUSED void setup(void)
{
	vapp_ctx_init(&ctx);
	ctx.on_decision = on_decision;
	inst = vapp_inst_get(&ctx, NULL);
	now = 1000000;
	password = policy = true;
	decisions = logged = disconnects = 0;
}

static CK_MAYBE_UNUSED void teardown(void)
{
	vapp_ctx_fini(&ctx);
}

static CK_MAYBE_UNUSED struct ipaddr A(const char *s) {
	struct ipaddr ip;

	ck_assert_int_eq(str2ipaddr(s, &ip), 0);
	return ip;
}

static CK_MAYBE_UNUSED struct in_addr
I(const char *s) {
	struct in_addr in;

	ck_assert_int_eq(inet_pton(AF_INET, s, &in), 1);
	return in;
}

static CK_MAYBE_UNUSED struct vapp_pool *
pool_add(const char *name, const char *pg, const char *source)
{
	struct vapp_pool *pool = vapp_pool_new(name);
	struct prefix p;

	ck_assert_int_eq(vapp_pool_attach(inst, pool), 0);
	vapp_pool_set_peer_group(pool, pg);
	if (source) {
		ck_assert_int_ne(str2prefix(source, &p), 0);
		vapp_pfxset_add(&pool->sources, &p);
	}
	return pool;
}

static CK_MAYBE_UNUSED void add_pfx(struct vapp_pfxset *set, const char *s)
{
	struct prefix p;

	ck_assert_int_ne(str2prefix(s, &p), 0);
	vapp_pfxset_add(set, &p);
}

static CK_MAYBE_UNUSED void add_asn(struct vapp_pool *pool, const char *s)
{
	struct vapp_asn_range r;

	ck_assert_ptr_null(vapp_asn_range_parse(s, &r));
	ck_assert_ptr_null(vapp_asnset_add(&pool->asns, &r));
}

static CK_MAYBE_UNUSED struct vapp_app *conn(const char *pg, const char *src)
{
	struct ipaddr a = A(src);

	return vapp_admit_connect(inst, pg, &a, NULL, &facts, now);
}

/* connect and OPEN with @asn, router-id = source */
static CK_MAYBE_UNUSED struct vapp_app *admit(const char *pg, const char *src, uint32_t asn)
{
	struct vapp_app *app = conn(pg, src);

	if (app->state == VAPP_APP_CONNECTING)
		vapp_admit_open(app, asn, I(src), I("10.255.255.1"), now);
	return app;
}

#endif /* CHECK_ADMISSION_FIXTURE_H */
