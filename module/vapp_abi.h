// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance load-time ABI guard: the bgpd build the module was compiled
 * against, and the one it is being loaded into.
 */
#ifndef VAPP_ABI_H
#define VAPP_ABI_H

#include <stdbool.h>
#include <stddef.h>

/* FRR configure options whose #ifdefs change structures of bgpd or libfrr */
#define VAPP_ABI_VNC	   (1u << 0) /* --enable-bgp-vnc: struct bgp, attr, path extra */
#define VAPP_ABI_SCRIPTING (1u << 1) /* --enable-scripting: frrscript/frrlua */
#define VAPP_ABI_PCRE2	   (1u << 2) /* --enable-pcre2posix: regex_t of vty, filters */
#define VAPP_ABI_SQLITE	   (1u << 3) /* --enable-config-rollbacks: frr_daemon_info */

#define VAPP_ABI_VERSION_LEN 32

struct vapp_abi {
	char bgpd[VAPP_ABI_VERSION_LEN];   /* FRR_VERSION of bgpd's core module */
	char libfrr[VAPP_ABI_VERSION_LEN]; /* FRR_VERSION of libfrr */
	unsigned int opts;		   /* VAPP_ABI_* */
};

/* "vappliance-abi VERSION vnc=B scripting=B pcre2=B sqlite=B", in .rodata */
extern const char vapp_abi_stamp[];

/* What the module was built against, read from vapp_abi_stamp; false: unreadable */
extern bool vapp_abi_built(struct vapp_abi *abi);
/* The process the module is loaded into */
extern void vapp_abi_running(struct vapp_abi *abi);
/* Equal, or false with the reason in @why */
extern bool vapp_abi_match(const struct vapp_abi *built, const struct vapp_abi *run, char *why,
			   size_t len);
/* Load-time check: false (and an error on stderr and in the log) on mismatch */
extern bool vapp_abi_check(void);

#endif /* VAPP_ABI_H */
