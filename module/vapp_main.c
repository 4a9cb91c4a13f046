// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance: bgpd loadable module entry (bgpd -M vappliance).
 */
#include <zebra.h>

#include "hook.h"
#include "libfrr.h"
#include "module.h"

#include "vappliance.h"
#include "vapp_errors.h"
#include "vapp_abi.h"
#include "vapp_metrics.h"
#include "vapp_nb.h"
#include "vapp_vty.h"

struct vapp_ctx vapp_g;

/* The libyang context and the CLI exist from here on (after nb_init). */
static int vapp_late_init(struct event_loop *master)
{
	/* lib's error texts exist from frr_init() on, after the modules load */
	vapp_errors_init();
	if (vapp_nb_load() != 0) {
		flog_err(EC_VAPP_NB_SETUP, "vappliance: northbound setup failed, module inactive");
		return 0;
	}
	vapp_vty_init();
	vapp_rmap_init();
	vapp_bgp_start();
	vapp_bgp_ac_start();
	zlog_info("vappliance %s loaded", VAPP_VERSION);
	return 0;
}

static int vapp_fini(void)
{
	vapp_bgp_ac_stop();
	vapp_metrics_fini();
	vapp_bgp_fini();
	vapp_rmap_fini();
	vapp_nb_unload();
	vapp_ctx_fini(&vapp_g);
	return 0;
}

static int vapp_module_init(void)
{
	/*
	 * A bgpd of another build: its structures are not the ones compiled
	 * in. Exit as frr_init() does when a module fails to load; returning
	 * an error instead makes FRR 10.3's frrmod_load() free fields of this
	 * module's frr_module after dlclose() (lib/module.c, out_fail): SIGSEGV.
	 */
	if (!vapp_abi_check())
		exit(1);
	vapp_ctx_init(&vapp_g);
	vapp_bgp_init();
	hook_register(frr_late_init, vapp_late_init);
	hook_register(frr_fini, vapp_fini);
	return 0;
}

FRR_MODULE_SETUP(.name = "bgpd_vappliance", .version = VAPP_VERSION,
		 .description = "vappliance virtual appliance route-server module",
		 .init = vapp_module_init);
