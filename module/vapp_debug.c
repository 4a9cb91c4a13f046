// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance: debug switches. FRR's lib/debug.c lists them in `show
 * debugging` and writes the configured ones into the running-config.
 */
#include <zebra.h>

#include "command.h"
#include "debug.h"

#include "vapp_debug.h"
#include "vapp_vty.h"

struct debug vapp_dbg_admission = {
	.conf = "debug bgp vappliance admission",
	.desc = "BGP vappliance admission",
};
struct debug vapp_dbg_policy = {
	.conf = "debug bgp vappliance policy",
	.desc = "BGP vappliance policy",
};
struct debug vapp_dbg_anycast = {
	.conf = "debug bgp vappliance anycast",
	.desc = "BGP vappliance anycast",
};

#include "module/vapp_debug_clippy.c"

DEFPY(vapp_debug, vapp_debug_cmd,
      "[no] debug bgp vappliance [<admission$adm|policy$pol|anycast$any>]",
      NO_STR DEBUG_STR BGP_STR VAPP_STR
      "Admission decisions: every connection and OPEN, with the checks made\n"
      "Prefix policy: every path's verdict\n"
      "Anycast health: every evaluation and its actions\n")
{
	uint32_t mode = DEBUG_NODE2MODE(vty->node);
	bool all = !adm && !pol && !any;

	if (all || adm)
		DEBUG_MODE_SET(&vapp_dbg_admission, mode, !no);
	if (all || pol)
		DEBUG_MODE_SET(&vapp_dbg_policy, mode, !no);
	if (all || any)
		DEBUG_MODE_SET(&vapp_dbg_anycast, mode, !no);
	return CMD_SUCCESS;
}

void vapp_debug_init(void)
{
	debug_install(&vapp_dbg_admission);
	debug_install(&vapp_dbg_policy);
	debug_install(&vapp_dbg_anycast);
	install_element(ENABLE_NODE, &vapp_debug_cmd);
	install_element(CONFIG_NODE, &vapp_debug_cmd);
}
