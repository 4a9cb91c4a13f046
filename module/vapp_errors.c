// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance: the texts of the module's error codes, for `show error`.
 */
#include <zebra.h>

#include "vapp_errors.h"

/* clang-format off */
static struct log_ref vapp_log_refs[] = {
	{
		.code = EC_VAPP_ABI_MISMATCH,
		.title = "vappliance built for another bgpd",
		.description = "The module was built against another FRR version or configure options than the bgpd that loads it; bgpd refuses it and exits",
		.suggestion = "Rebuild the module (and vtysh) against the FRR that runs: tools/setup.sh, or the package for the installed frr",
	},
	{
		.code = EC_VAPP_NB_SETUP,
		.title = "vappliance northbound setup failed",
		.description = "The module could not register its YANG module with bgpd's northbound; it stays inactive",
		.suggestion = "Check that the bgpd runs with the libyang the module was built for; gather bgpd's log and report it",
	},
	{
		.code = EC_VAPP_NB_CONFIG,
		.title = "vappliance configuration change failed inside bgpd",
		.description = "A change the module makes to its own configuration (implicit nodes, removing a deleted BGP instance's configuration) did not apply",
		.suggestion = "Compare show running-config with the intended configuration and re-apply; report the log lines",
	},
	{
		.code = EC_VAPP_RMAP_HOOK,
		.title = "vappliance route-map clause unavailable",
		.description = "The running bgpd offers no route-map entry node to hook the match vappliance clause into; every pool stays policyNotEnforced",
		.suggestion = "Run the module with the bgpd it was built for",
	},
	{
		.code = EC_VAPP_NETLINK_SOCKET,
		.title = "vappliance has no rtnetlink socket",
		.description = "The module could not open its rtnetlink socket; no anycast address can be installed, all stay down",
		.suggestion = "Check bgpd's capabilities (CAP_NET_ADMIN) and memory",
	},
	{
		.code = EC_VAPP_NETLINK_FAULTS,
		.title = "vappliance test fault injection malformed",
		.description = "VAPP_TEST_NETLINK_FAULTS, a test-only setting, is set in bgpd's environment and malformed; it is ignored",
		.suggestion = "Remove VAPP_TEST_NETLINK_FAULTS from bgpd's environment: it is for the test suite only",
	},
	{
		.code = EC_VAPP_ANYCAST_REMOVE,
		.title = "vappliance cannot remove an anycast address",
		.description = "The kernel refused (or did not answer) the removal of an anycast address; it stays installed and the removal is retried with backoff, the kernel drops it with its lease at the latest",
		.suggestion = "Check ip addr show dev IF and show bgp vappliance anycast; the next log line says when it went",
	},
	{
		.code = EC_VAPP_LEFTOVER,
		.title = "vappliance cannot clean up anycast addresses of an earlier bgpd",
		.description = "At start the module could not read or remove the addresses an earlier bgpd left behind; they go with their lease",
		.suggestion = "Check ip addr for addresses with protocol 86 (the module's mark; iproute2 6.3 or later shows it)",
	},
	{
		.code = EC_VAPP_METRICS_WRITE,
		.title = "vappliance cannot write its metrics textfile",
		.description = "Creating, writing or renaming the metrics file failed; the old file is removed so that node-exporter serves no stale numbers, and the write is tried again every interval",
		.suggestion = "Check that the directory exists and that the user bgpd runs as (frr) may write to it; show bgp vappliance metrics shows the last error",
	},
	{
		.code = END_FERR,
	}
};
/* clang-format on */

void vapp_errors_init(void)
{
	log_ref_add(vapp_log_refs);
}
