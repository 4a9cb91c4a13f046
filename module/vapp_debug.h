// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance: debug switches (`debug bgp vappliance [admission|policy|
 * anycast]`), off by default; the always-on log lines do not depend on them.
 */
#ifndef VAPP_DEBUG_H
#define VAPP_DEBUG_H

#include "debug.h"
#include "log.h"

extern struct debug vapp_dbg_admission, vapp_dbg_policy, vapp_dbg_anycast;

#define VAPP_DEBUG_ON(area) DEBUG_MODE_CHECK(&vapp_dbg_##area, DEBUG_MODE_ALL)

/* per-decision detail of @area, when its switch is on */
#define VAPP_DEBUG(area, fmt, ...)                                                                 \
	do {                                                                                       \
		if (VAPP_DEBUG_ON(area))                                                           \
			zlog_debug("vappliance: " #area ": " fmt, ##__VA_ARGS__);                  \
	} while (0)

extern void vapp_debug_init(void);

#endif /* VAPP_DEBUG_H */
