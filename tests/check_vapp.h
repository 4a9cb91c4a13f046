// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance Check unit tests: one suite per part of the decision core.
 */
#ifndef CHECK_VAPP_H
#define CHECK_VAPP_H

#include <check.h>

extern Suite *vapp_core_suite(void);
extern Suite *vapp_sets_suite(void);
extern Suite *vapp_admission_suite(void);
extern Suite *vapp_reopen_suite(void);
extern Suite *vapp_moves_suite(void);
extern Suite *vapp_policy_suite(void);
extern Suite *vapp_anycast_suite(void);
extern Suite *vapp_abi_suite(void);
extern Suite *vapp_netlink_suite(void);

#endif /* CHECK_VAPP_H */
