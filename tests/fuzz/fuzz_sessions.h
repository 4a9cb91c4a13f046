// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_anycast's bgpd side: Established sessions of a fake bgpd instance,
 * counted by the glue's own code (module/vapp_bgp_tracked.c), beside a
 * model of what the counts must be.
 */
#ifndef VAPP_FUZZ_SESSIONS_H
#define VAPP_FUZZ_SESSIONS_H

#include "fuzz_common.h"

struct bgp;

/* peer-groups A, B, C (the anycast harness tracks them) and U (untracked) */
#define FS_NGROUP 4
extern const char *const fs_group_names[FS_NGROUP];

extern void fs_init(void);
extern void fs_fini(void);
extern const struct bgp *fs_bgp(void);

/* Established sessions the model counts for group @g */
extern uint32_t fs_model_count(int g);

#define FS_RECOUNT (-2)
/*
 * One event on bgpd's side, from the input. Returns the group whose count
 * bgpd's status hook changed (the glue then runs its tracks at once), -1
 * for none, FS_RECOUNT after the anycast timer's recount (the glue runs).
 */
extern int fs_step(struct fz *f, int64_t rel_now);

/* the counts the glue keeps are the model's */
extern void fs_check(void);

#endif /* VAPP_FUZZ_SESSIONS_H */
