// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance CLI: commands and running-config rendering.
 */
#ifndef VAPP_VTY_H
#define VAPP_VTY_H

#include "vty.h"

#define VAPP_STR "Virtual appliance route-server policy\n"

extern void vapp_vty_init(void);
extern void vapp_vty_show_init(void);
extern void vapp_config_write_inst(struct vty *vty, const char *vrf);

#endif /* VAPP_VTY_H */
