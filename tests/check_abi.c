// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Load-time ABI guard: what the module was built against, and the decision
 * to refuse a bgpd of another build.
 */
#include <zebra.h>

#include <check.h>

#include "lib/version.h"

#include "module/vapp_abi.h"
#include "check_vapp.h"

START_TEST(abi_stamp_is_this_build)
{
	struct vapp_abi b;

	ck_assert(vapp_abi_built(&b));
	ck_assert_str_eq(b.bgpd, FRR_VERSION);
	ck_assert_str_eq(b.libfrr, FRR_VERSION);
#ifdef ENABLE_BGP_VNC
	ck_assert(b.opts & VAPP_ABI_VNC);
#else
	ck_assert(!(b.opts & VAPP_ABI_VNC));
#endif
#ifdef HAVE_SCRIPTING
	ck_assert(b.opts & VAPP_ABI_SCRIPTING);
#else
	ck_assert(!(b.opts & VAPP_ABI_SCRIPTING));
#endif
}
END_TEST

START_TEST(abi_same_build_matches)
{
	struct vapp_abi b, r;
	char why[256] = "";

	ck_assert(vapp_abi_built(&b));
	r = b;
	ck_assert(vapp_abi_match(&b, &r, why, sizeof(why)));
	ck_assert_str_eq(why, "");
}
END_TEST

START_TEST(abi_other_version_refused)
{
	struct vapp_abi b, r;
	char why[256];

	ck_assert(vapp_abi_built(&b));
	r = b;
	strlcpy(r.bgpd, "10.4", sizeof(r.bgpd));
	ck_assert(!vapp_abi_match(&b, &r, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "built for FRR " FRR_VERSION " "));
	ck_assert_ptr_nonnull(strstr(why, "loaded into bgpd FRR 10.4 "));

	/* a libfrr of another build under the same bgpd */
	r = b;
	strlcpy(r.libfrr, "10.3.1", sizeof(r.libfrr));
	ck_assert(!vapp_abi_match(&b, &r, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "(libfrr 10.3.1,"));
}
END_TEST

START_TEST(abi_other_options_refused)
{
	struct vapp_abi b, r;
	char why[256];

	memset(&b, 0, sizeof(b));
	strlcpy(b.bgpd, "10.3", sizeof(b.bgpd));
	strlcpy(b.libfrr, "10.3", sizeof(b.libfrr));
	b.opts = VAPP_ABI_VNC | VAPP_ABI_SCRIPTING;
	r = b;
	r.opts = VAPP_ABI_SCRIPTING;
	ck_assert(!vapp_abi_match(&b, &r, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "options vnc,scripting)"));
	ck_assert_ptr_nonnull(strstr(why, "options scripting)"));
	r.opts = 0;
	ck_assert(!vapp_abi_match(&b, &r, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "options none)"));
}
END_TEST

/* This test binary is no bgpd: its libfrr is seen, bgpd's core module is not. */
START_TEST(abi_running_probes_this_process)
{
	struct vapp_abi b, r;
	char why[256];

	ck_assert(vapp_abi_built(&b));
	vapp_abi_running(&r);
	ck_assert_str_eq(r.libfrr, FRR_VERSION);
	ck_assert_str_eq(r.bgpd, "(no bgpd core module)");
	ck_assert(!(r.opts & VAPP_ABI_VNC)); /* rfapi lives in bgpd */
	ck_assert_uint_eq(r.opts & VAPP_ABI_SCRIPTING, b.opts & VAPP_ABI_SCRIPTING);
	ck_assert(!vapp_abi_match(&b, &r, why, sizeof(why)));
}
END_TEST

Suite *vapp_abi_suite(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("guard");

	tcase_add_test(tc, abi_stamp_is_this_build);
	tcase_add_test(tc, abi_same_build_matches);
	tcase_add_test(tc, abi_other_version_refused);
	tcase_add_test(tc, abi_other_options_refused);
	tcase_add_test(tc, abi_running_probes_this_process);
	suite_add_tcase(s, tc);
	return s;
}
