// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance Check unit test runner.
 */
#include <zebra.h>

#include <check.h>

#include "check_vapp.h"

int main(void)
{
	SRunner *sr = srunner_create(vapp_core_suite());
	int failed;

	srunner_add_suite(sr, vapp_sets_suite());
	srunner_add_suite(sr, vapp_admission_suite());
	srunner_add_suite(sr, vapp_reopen_suite());
	srunner_add_suite(sr, vapp_moves_suite());
	srunner_add_suite(sr, vapp_policy_suite());
	srunner_add_suite(sr, vapp_anycast_suite());
	srunner_add_suite(sr, vapp_abi_suite());
	srunner_add_suite(sr, vapp_netlink_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
