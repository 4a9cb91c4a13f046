// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vappliance metrics textfile (vapp_metrics.c): one per BGP instance.
 */
#ifndef VAPP_METRICS_H
#define VAPP_METRICS_H

#include "vapp_core.h"

struct event;

struct vapp_metrics {
	char vrf[VAPP_VRF_NAME_MAX + 1];
	char path[VAPP_METRICS_PATH_MAX + 1];
	uint16_t interval; /* seconds */
	struct event *ev;
	/* what the writes did, for the show */
	uint64_t writes, failures;
	int64_t last_write; /* Unix time of the last good write, 0: none */
	int64_t last_usec;  /* how long the last write took */
	long last_bytes;
	char error[128]; /* the last failure, "" after a good write */
	int64_t logged;	 /* log rate limit of failures */
};

/* Writes @vrf's metrics to @path every @interval s (the first one now). */
extern void vapp_metrics_set(const char *vrf, const char *path, uint16_t interval);
/* No more metrics for @vrf: its file is removed. */
extern void vapp_metrics_unset(const char *vrf);
extern const struct vapp_metrics *vapp_metrics_get(const char *vrf);
/* The VRF of another instance writing to @path, or NULL. */
extern const char *vapp_metrics_path_taken(const char *vrf, const char *path);
/* bgpd exits: the files are removed. */
extern void vapp_metrics_fini(void);

#endif /* VAPP_METRICS_H */
