// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance metrics: each BGP instance's pools, appliances and anycast
 * addresses in the Prometheus text exposition format, written every
 * `interval` seconds to a file that node-exporter's textfile collector
 * serves. bgpd opens no listening socket for them: a route server's
 * routing daemon gets no new network-facing parser, and the scrape
 * (authentication, TLS, timeouts) is node-exporter's. The file is written
 * under a temporary name in its directory and renamed over the old one,
 * so a scrape never sees half a file; when a write fails, the old file is
 * removed, so that stale numbers never pass for current ones (fail
 * closed), and the failure is logged and shown.
 */
#include <zebra.h>

#include <fcntl.h>

#include "darr.h"
#include "frrevent.h"
#include "memory.h"
#include "monotime.h"

#include "bgpd/bgpd.h"

#include "vappliance.h"
#include "vapp_errors.h"
#include "vapp_metrics.h"

DEFINE_MTYPE_STATIC(VAPPLIANCE, VAPP_METRICS, "vappliance metrics textfile");

static struct vapp_metrics **vapp_metrics; /* darr, one per instance with a textfile */

/* ---- rendering ------------------------------------------------------------------ */

struct vapp_mw {
	FILE *f;
	char vrf[2 * VAPP_VRF_NAME_MAX + 2]; /* escaped */
};

static void vapp_m_family(struct vapp_mw *w, const char *name, const char *type, const char *help)
{
	fprintf(w->f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* the pool's label set; pool names are object-names: nothing to escape */
#define POOL_LABELS "vrf=\"%s\",pool=\"%s\""

static void vapp_m_pools(struct vapp_mw *w, struct vapp_inst *inst)
{
	struct vapp_pool *pool;

	vapp_m_family(w, "vappliance_pool_sessions", "gauge",
		      "Appliances of the pool with an Established session.");
	for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool)) {
		struct vapp_pool_live live;

		vapp_bgp_pool_live(pool, &live);
		fprintf(w->f, "vappliance_pool_sessions{" POOL_LABELS "} %u\n", w->vrf, pool->name,
			live.sessions);
	}
	vapp_m_family(w, "vappliance_pool_sessions_held", "gauge",
		      "Sessions counted against max-sessions (connecting or admitted).");
	for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool))
		fprintf(w->f, "vappliance_pool_sessions_held{" POOL_LABELS "} %u\n", w->vrf,
			pool->name, vapp_pool_sessions_held(pool));
	vapp_m_family(w, "vappliance_pool_max_sessions", "gauge",
		      "The pool's max-sessions (pools with a limit only).");
	for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool))
		if (pool->max_sessions)
			fprintf(w->f, "vappliance_pool_max_sessions{" POOL_LABELS "} %u\n", w->vrf,
				pool->name, pool->max_sessions);
	vapp_m_family(w, "vappliance_pool_admitted_total", "counter",
		      "Admissions since the pool was created.");
	for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool))
		fprintf(w->f, "vappliance_pool_admitted_total{" POOL_LABELS "} %" PRIu64 "\n",
			w->vrf, pool->name, pool->admitted);
	vapp_m_family(w, "vappliance_pool_rejections_total", "counter",
		      "Rejections and disconnections since the pool was created, by reason.");
	for (pool = vapp_pool_first(inst); pool; pool = vapp_pool_next(inst, pool))
		for (int r = VAPP_REASON_NONE + 1; r < VAPP_REASON_MAX; r++)
			fprintf(w->f,
				"vappliance_pool_rejections_total{" POOL_LABELS
				",reason=\"%s\"} %" PRIu64 "\n",
				w->vrf, pool->name, vapp_reason_name(r),
				vapp_pool_rejections(pool, r));
}

/* the appliances with a pool, one metric family at a time (the format
 * wants each family's samples together) */
enum vapp_m_app { M_ADMITTED, M_ESTABLISHED, M_ROUTES, M_UNKEPT, M_MAXP, M_APP_MAX };

static const struct {
	const char *name, *type, *help;
} vapp_m_app_families[M_APP_MAX] = {
	[M_ADMITTED] = { "vappliance_appliance_admitted", "gauge",
			 "1 when the appliance is admitted, 0 while connecting or rejected." },
	[M_ESTABLISHED] = { "vappliance_appliance_established", "gauge",
			    "1 while its BGP session is Established." },
	[M_ROUTES] = { "vappliance_appliance_routes", "gauge",
		       "Paths it announces now, by verdict (accepted or the reason of the rejection)." },
	[M_UNKEPT] = { "vappliance_appliance_routes_unkept", "gauge",
		       "Rejected paths counted but not kept (past 4096 per appliance)." },
	[M_MAXP] = { "vappliance_appliance_max_prefixes", "gauge",
		     "Its pool's max-prefixes (pools with a limit only)." },
};

static void vapp_m_app(struct vapp_mw *w, const struct vapp_app *app, enum vapp_m_app m)
{
	char addr[INET6_ADDRSTRLEN];

	ipaddr2str(&app->addr, addr, sizeof(addr));
#define APP_SAMPLE(fmt, value)                                                                     \
	fprintf(w->f, "%s{" POOL_LABELS ",appliance=\"%s\"} " fmt "\n",                            \
		vapp_m_app_families[m].name, w->vrf, app->pool->name, addr, value)
	switch (m) {
	case M_ADMITTED:
		APP_SAMPLE("%d", app->state == VAPP_APP_ADMITTED);
		break;
	case M_ESTABLISHED:
		APP_SAMPLE("%d", app->established);
		break;
	case M_ROUTES:
		for (int v = 0; v < VAPP_P_MAX; v++)
			fprintf(w->f, "%s{" POOL_LABELS ",appliance=\"%s\",verdict=\"%s\"} %u\n",
				vapp_m_app_families[m].name, w->vrf, app->pool->name, addr,
				vapp_pverdict_name(v), app->pcount[v]);
		break;
	case M_UNKEPT:
		APP_SAMPLE("%" PRIu64, app->unkept);
		break;
	case M_MAXP:
		if (app->pool->max_prefixes)
			APP_SAMPLE("%u", app->pool->max_prefixes);
		break;
	case M_APP_MAX:
		break;
	}
#undef APP_SAMPLE
}

static void vapp_m_apps(struct vapp_mw *w, struct vapp_inst *inst)
{
	struct vapp_app *app;

	for (int m = 0; m < M_APP_MAX; m++) {
		vapp_m_family(w, vapp_m_app_families[m].name, vapp_m_app_families[m].type,
			      vapp_m_app_families[m].help);
		for (app = vapp_app_first(inst); app; app = vapp_app_next(inst, app))
			if (app->pool)
				vapp_m_app(w, app, m);
	}
}

/* the anycast counters */
static uint64_t vapp_m_ac_transitions(const struct vapp_anycast *ac)
{
	return ac->transitions;
}

static uint64_t vapp_m_ac_installs(const struct vapp_anycast *ac)
{
	return ac->installs;
}

static uint64_t vapp_m_ac_renewals(const struct vapp_anycast *ac)
{
	return ac->renewals;
}

static uint64_t vapp_m_ac_install_failures(const struct vapp_anycast *ac)
{
	return ac->install_failures;
}

static uint64_t vapp_m_ac_removals(const struct vapp_anycast *ac)
{
	return ac->removals;
}

static uint64_t vapp_m_ac_removal_failures(const struct vapp_anycast *ac)
{
	return ac->remove_failures;
}

static const struct {
	const char *name, *help;
	uint64_t (*get)(const struct vapp_anycast *ac);
} vapp_m_ac_counters[] = {
	{ "vappliance_anycast_transitions_total", "State changes.", vapp_m_ac_transitions },
	{ "vappliance_anycast_installs_total", "Times the address was put in the kernel.",
	  vapp_m_ac_installs },
	{ "vappliance_anycast_renewals_total", "Lease renewals.", vapp_m_ac_renewals },
	{ "vappliance_anycast_install_failures_total", "Failed installs and renewals.",
	  vapp_m_ac_install_failures },
	{ "vappliance_anycast_removals_total", "Times the address was taken out of the kernel.",
	  vapp_m_ac_removals },
	{ "vappliance_anycast_removal_failures_total", "Failed removals.",
	  vapp_m_ac_removal_failures },
};

static void vapp_m_anycast(struct vapp_mw *w, struct vapp_inst *inst)
{
	static const enum vapp_ac_state states[] = { VAPP_AC_STARTUP, VAPP_AC_UP, VAPP_AC_DOWN,
						     VAPP_AC_RESTORING, VAPP_AC_DRAINING };
	struct vapp_anycast *ac;
	char pfx[PREFIX_STRLEN];

	vapp_m_family(w, "vappliance_anycast_state", "gauge",
		      "1 for the anycast address's current state, 0 for the others.");
	for (ac = vapp_anycast_first(inst); ac; ac = vapp_anycast_next(inst, ac))
		for (size_t i = 0; i < array_size(states); i++)
			fprintf(w->f,
				"vappliance_anycast_state{vrf=\"%s\",prefix=\"%s\",state=\"%s\"} %d\n",
				w->vrf, prefix2str(&ac->prefix, pfx, sizeof(pfx)),
				vapp_ac_state_name(states[i]), ac->state == states[i]);
	vapp_m_family(w, "vappliance_anycast_installed", "gauge",
		      "1 while the address is in the kernel.");
	for (ac = vapp_anycast_first(inst); ac; ac = vapp_anycast_next(inst, ac))
		fprintf(w->f, "vappliance_anycast_installed{vrf=\"%s\",prefix=\"%s\"} %d\n", w->vrf,
			prefix2str(&ac->prefix, pfx, sizeof(pfx)), ac->installed);
	for (size_t c = 0; c < array_size(vapp_m_ac_counters); c++) {
		vapp_m_family(w, vapp_m_ac_counters[c].name, "counter", vapp_m_ac_counters[c].help);
		for (ac = vapp_anycast_first(inst); ac; ac = vapp_anycast_next(inst, ac))
			fprintf(w->f, "%s{vrf=\"%s\",prefix=\"%s\"} %" PRIu64 "\n",
				vapp_m_ac_counters[c].name, w->vrf,
				prefix2str(&ac->prefix, pfx, sizeof(pfx)),
				vapp_m_ac_counters[c].get(ac));
	}
}

/* process-wide numbers: in the default instance's file only, so that no
 * two files of the collector's directory carry the same series */
static void vapp_m_process(struct vapp_mw *w)
{
	const struct vapp_nl_stats *nl = vapp_nl_get_stats();

	vapp_m_family(w, "vappliance_netlink_requests_total", "counter",
		      "rtnetlink requests of the module (all VRFs).");
	fprintf(w->f, "vappliance_netlink_requests_total %" PRIu64 "\n", nl->requests);
	vapp_m_family(w, "vappliance_netlink_errors_total", "counter",
		      "Failed rtnetlink sends and receives, timeouts, malformed replies.");
	fprintf(w->f, "vappliance_netlink_errors_total %" PRIu64 "\n", nl->errors);
}

static void vapp_m_render(struct vapp_mw *w, struct vapp_inst *inst, const struct vapp_metrics *m)
{
	vapp_m_pools(w, inst);
	vapp_m_apps(w, inst);
	vapp_m_anycast(w, inst);
	if (!strcmp(inst->vrf, VAPP_VRF_DEFAULT))
		vapp_m_process(w);
	vapp_m_family(w, "vappliance_metrics_render_seconds", "gauge",
		      "How long the previous write of this file took.");
	fprintf(w->f, "vappliance_metrics_render_seconds{vrf=\"%s\"} %.6f\n", w->vrf,
		m->last_usec / 1e6);
	/* the scrape sees how old the numbers are: alert when they stop moving */
	vapp_m_family(w, "vappliance_metrics_timestamp_seconds", "gauge",
		      "When this file was written (Unix time).");
	fprintf(w->f, "vappliance_metrics_timestamp_seconds{vrf=\"%s\"} %lld\n", w->vrf,
		(long long)time(NULL));
}

/* ---- writing -------------------------------------------------------------------- */

/* 0, or an errno with @what: the step that failed */
static int vapp_m_write(struct vapp_metrics *m, struct vapp_inst *inst, const char **what)
{
	char tmp[VAPP_METRICS_PATH_MAX + 16];
	struct vapp_mw w = {};
	int fd, err = 0;

	/* a name node-exporter skips (not *.prom), in the same directory for
	 * an atomic rename */
	snprintf(tmp, sizeof(tmp), "%s.tmp", m->path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		*what = "create";
		return errno;
	}
	w.f = fdopen(fd, "w");
	if (!w.f) {
		*what = "create";
		err = errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	vapp_prom_label(inst->vrf, w.vrf, sizeof(w.vrf));
	vapp_m_render(&w, inst, m);
	m->last_bytes = ftell(w.f);
	if (ferror(w.f))
		err = EIO;
	if (fclose(w.f) && !err)
		err = errno;
	if (err) {
		*what = "write";
		unlink(tmp);
		return err;
	}
	if (rename(tmp, m->path)) {
		*what = "rename";
		err = errno;
		unlink(tmp);
		return err;
	}
	return 0;
}

static void vapp_m_schedule(struct vapp_metrics *m, uint32_t msec);

static void vapp_m_tick(struct event *ev)
{
	struct vapp_metrics *m = EVENT_ARG(ev);
	struct vapp_inst *inst = vapp_inst_find(&vapp_g, m->vrf);
	const char *what = NULL;
	struct timeval t0;
	int err;

	vapp_m_schedule(m, m->interval * 1000);
	if (!inst)
		return; /* the instance holds nothing yet */
	monotime(&t0);
	err = vapp_m_write(m, inst, &what);
	m->last_usec = monotime_since(&t0, NULL);
	if (!err) {
		m->writes++;
		m->last_write = time(NULL);
		m->error[0] = '\0';
		return;
	}
	m->failures++;
	/* fail closed: no stale file that looks current */
	unlink(m->path);
	snprintf(m->error, sizeof(m->error), "%s: %s", what, safe_strerror(err));
	if (vapp_bgp_log_due(&m->logged))
		flog_err(EC_VAPP_METRICS_WRITE,
			 "vappliance: writing the metrics textfile %s (vrf %s) failed (%s); the file is removed until a write works",
			 m->path, m->vrf, m->error);
}

static void vapp_m_schedule(struct vapp_metrics *m, uint32_t msec)
{
	event_cancel(&m->ev);
	event_add_timer_msec(bm->master, vapp_m_tick, m, msec, &m->ev);
}

/* ---- configuration ----------------------------------------------------------------- */

static struct vapp_metrics *vapp_m_find(const char *vrf, uint *idx)
{
	uint i;

	darr_foreach_i (vapp_metrics, i)
		if (!strcmp(vapp_metrics[i]->vrf, vrf)) {
			if (idx)
				*idx = i;
			return vapp_metrics[i];
		}
	return NULL;
}

const struct vapp_metrics *vapp_metrics_get(const char *vrf)
{
	return vapp_m_find(vrf, NULL);
}

const char *vapp_metrics_path_taken(const char *vrf, const char *path)
{
	struct vapp_metrics **m;

	darr_foreach_p (vapp_metrics, m)
		if (strcmp((*m)->vrf, vrf) && !strcmp((*m)->path, path))
			return (*m)->vrf;
	return NULL;
}

void vapp_metrics_set(const char *vrf, const char *path, uint16_t interval)
{
	struct vapp_metrics *m = vapp_m_find(vrf, NULL);

	if (!m) {
		/* one allocation each: the timer holds its address */
		m = XCALLOC(MTYPE_VAPP_METRICS, sizeof(*m));
		strlcpy(m->vrf, vrf, sizeof(m->vrf));
		*darr_append(vapp_metrics) = m;
	}
	if (strcmp(m->path, path)) {
		if (m->path[0])
			unlink(m->path); /* the old file would go stale */
		strlcpy(m->path, path, sizeof(m->path));
		m->error[0] = '\0';
	}
	m->interval = interval;
	vapp_m_schedule(m, 0);
}

static void vapp_m_free(struct vapp_metrics *m)
{
	event_cancel(&m->ev);
	/* bgpd no longer vouches for the numbers: node-exporter stops
	 * serving them (alert on their absence) */
	unlink(m->path);
	XFREE(MTYPE_VAPP_METRICS, m);
}

void vapp_metrics_unset(const char *vrf)
{
	struct vapp_metrics *m;
	uint i;

	m = vapp_m_find(vrf, &i);
	if (!m)
		return;
	darr_remove(vapp_metrics, i);
	vapp_m_free(m);
}

void vapp_metrics_fini(void)
{
	struct vapp_metrics **m;

	darr_foreach_p (vapp_metrics, m)
		vapp_m_free(*m);
	darr_free(vapp_metrics);
}
