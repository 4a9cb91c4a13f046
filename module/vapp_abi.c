// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance load-time ABI guard. The module reads bgpd's structures
 * (struct peer, struct bgp, struct attr, the route-map index) as compiled
 * into it; configure's check is on the FRR tree it was built with, not on
 * the bgpd it is loaded into. At load, the running process is compared
 * with what the module was built against: FRR's version string as bgpd's
 * core module and libfrr report it (frrmod_list, what `show modules`
 * prints), and the configure options that change those structures, each
 * seen in the running process by a function that exists only with it.
 */
#include <zebra.h>

#include <dlfcn.h>

#include "lib/version.h"
#include "log.h"
#include "module.h"

#include "vapp_abi.h"
#include "vapp_errors.h"

#define VAPP_ABI_BIT(name, bit) " " name "=" bit

#ifdef ENABLE_BGP_VNC
#define VAPP_ABI_S_VNC "1"
#else
#define VAPP_ABI_S_VNC "0"
#endif
#ifdef HAVE_SCRIPTING
#define VAPP_ABI_S_SCRIPTING "1"
#else
#define VAPP_ABI_S_SCRIPTING "0"
#endif
#ifdef HAVE_LIBPCRE2_POSIX
#define VAPP_ABI_S_PCRE2 "1"
#else
#define VAPP_ABI_S_PCRE2 "0"
#endif
#ifdef HAVE_SQLITE3
#define VAPP_ABI_S_SQLITE "1"
#else
#define VAPP_ABI_S_SQLITE "0"
#endif

/*
 * One string, so that a test can derive a mismatched module from a built
 * one by rewriting these bytes (tests/abi_guard.sh).
 */
const char vapp_abi_stamp[] = "vappliance-abi " FRR_VERSION VAPP_ABI_BIT("vnc", VAPP_ABI_S_VNC)
	VAPP_ABI_BIT("scripting", VAPP_ABI_S_SCRIPTING) VAPP_ABI_BIT("pcre2", VAPP_ABI_S_PCRE2)
		VAPP_ABI_BIT("sqlite", VAPP_ABI_S_SQLITE);

static const struct {
	unsigned int bit;
	const char *name;  /* in the stamp and in messages */
	const char *probe; /* a function compiled only with the option */
} vapp_abi_opts[] = {
	{ VAPP_ABI_VNC, "vnc", "rfapi_init" },		      /* bgpd/rfapi/rfapi.c */
	{ VAPP_ABI_SCRIPTING, "scripting", "frrscript_new" }, /* lib/frrscript.c */
	{ VAPP_ABI_PCRE2, "pcre2", "pcre2_regcomp" },	      /* libpcre2-posix, linked by libfrr */
	{ VAPP_ABI_SQLITE, "sqlite", "db_init" },	      /* lib/db.c */
};

bool vapp_abi_built(struct vapp_abi *abi)
{
	unsigned int b[array_size(vapp_abi_opts)];

	memset(abi, 0, sizeof(*abi));
	if (sscanf(vapp_abi_stamp, "vappliance-abi %31s vnc=%u scripting=%u pcre2=%u sqlite=%u",
		   abi->bgpd, &b[0], &b[1], &b[2], &b[3]) != 5)
		return false;
	strlcpy(abi->libfrr, abi->bgpd, sizeof(abi->libfrr));
	for (size_t i = 0; i < array_size(vapp_abi_opts); i++)
		if (b[i])
			abi->opts |= vapp_abi_opts[i].bit;
	return true;
}

void vapp_abi_running(struct vapp_abi *abi)
{
	memset(abi, 0, sizeof(*abi));
	strlcpy(abi->bgpd, "(no bgpd core module)", sizeof(abi->bgpd));
	for (const struct frrmod_runtime *m = frrmod_list; m; m = m->next) {
		if (!m->info || !m->info->name || !m->info->version)
			continue;
		if (!strcmp(m->info->name, "bgpd"))
			strlcpy(abi->bgpd, m->info->version, sizeof(abi->bgpd));
		else if (!strcmp(m->info->name, "libfrr"))
			strlcpy(abi->libfrr, m->info->version, sizeof(abi->libfrr));
	}
	for (size_t i = 0; i < array_size(vapp_abi_opts); i++)
		if (dlsym(RTLD_DEFAULT, vapp_abi_opts[i].probe))
			abi->opts |= vapp_abi_opts[i].bit;
}

static void vapp_abi_opts_str(unsigned int opts, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < array_size(vapp_abi_opts); i++)
		if (opts & vapp_abi_opts[i].bit) {
			if (buf[0])
				strlcat(buf, ",", len);
			strlcat(buf, vapp_abi_opts[i].name, len);
		}
	if (!buf[0])
		strlcpy(buf, "none", len);
}

bool vapp_abi_match(const struct vapp_abi *built, const struct vapp_abi *run, char *why, size_t len)
{
	char bo[64], ro[64];

	if (!strcmp(built->bgpd, run->bgpd) && !strcmp(built->libfrr, run->libfrr) &&
	    built->opts == run->opts)
		return true;
	vapp_abi_opts_str(built->opts, bo, sizeof(bo));
	vapp_abi_opts_str(run->opts, ro, sizeof(ro));
	snprintf(why, len,
		 "built for FRR %s (libfrr %s, options %s), loaded into bgpd FRR %s (libfrr %s, options %s)",
		 built->bgpd, built->libfrr, bo, run->bgpd, run->libfrr, ro);
	return false;
}

bool vapp_abi_check(void)
{
	struct vapp_abi built, run;
	char why[256];

	if (!vapp_abi_built(&built)) {
		snprintf(why, sizeof(why), "unreadable build stamp \"%s\"", vapp_abi_stamp);
	} else {
		vapp_abi_running(&run);
		if (vapp_abi_match(&built, &run, why, sizeof(why)))
			return true;
	}
	/* module init runs in frr_init(): zlog's startup target is stderr */
	flog_err(EC_VAPP_ABI_MISMATCH,
		 "vappliance: refusing to load: %s; rebuild it against this bgpd", why);
	return false;
}
