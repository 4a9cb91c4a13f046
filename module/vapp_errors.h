// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance: the module's error codes (FRR's lib/ferr.h machinery): each
 * error-level log line carries one ([EC N]), and `show error N` or `show
 * error all` in bgpd describes it with what to do (doc/runbook.rst).
 */
#ifndef VAPP_ERRORS_H
#define VAPP_ERRORS_H

#include "lib/ferr.h"

/*
 * FRR 10.3 gives each daemon a range (lib/ferr.h, *_FERR_START); none uses
 * 0x1B000000-0x1BFFFFFF, the module's.
 */
#define VAPP_FERR_START 0x1B000001

enum vapp_log_refs {
	EC_VAPP_ABI_MISMATCH = VAPP_FERR_START,
	EC_VAPP_NB_SETUP,
	EC_VAPP_NB_CONFIG,
	EC_VAPP_RMAP_HOOK,
	EC_VAPP_NETLINK_SOCKET,
	EC_VAPP_NETLINK_FAULTS,
	EC_VAPP_ANYCAST_REMOVE,
	EC_VAPP_LEFTOVER,
	EC_VAPP_METRICS_WRITE,
};

extern void vapp_errors_init(void);

#endif /* VAPP_ERRORS_H */
