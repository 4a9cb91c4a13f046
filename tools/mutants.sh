#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Mutation check: each mutant below disables one protection of the decision
# core. It is applied, one at a time, to a scratch copy of the project (the
# tree itself is never touched), rebuilt and run against the Check tests.
# Every mutant must be killed (a Check test fails, or the build does); the
# report lists mutant, killing test and time. Exits non-zero when one
# survives or the list no longer matches the code.
#
#   tools/mutants.sh [NAME...]              the core, against Check (default: all)
#   tools/mutants.sh --topotests [NAME...]  the bgpd glue, against topotests
#
# Protections that live in the glue (the route-map clause for ungoverned
# peers, reading bgpd's route-maps for enforcement, the path a verdict is
# kept for) only show in a running bgpd: with --topotests the mutated
# module is built and loaded by the topotests that guard it
# (VAPP_TEST_MODULE), after they passed with the unmutated one. That part
# takes about 15 minutes and runs on demand; doc/hardening.rst keeps its
# last result. Never run it beside other topotests.
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${VAPP_CACHE:-/var/cache/vappliance}
WORK=${VAPP_MUTANTS_DIR:-/tmp/vapp-mutants}

TARGET="tests/check_vapp tests/fuzz/fuzz_anycast tests/fuzz/fuzz_policy tests/fuzz/fuzz_admission"
[ "${1:-}" = --topotests ] && TARGET=bgpd/bgpd_vappliance.so

rm -rf "$WORK"
mkdir -p "$WORK/build"
# the project without its build and history
tar -C "$TOP" --exclude=./build --exclude=./.git -cf - . | tar -C "$WORK" -xf -
# shellcheck disable=SC2086
if ! (cd "$WORK/build" && "$WORK/configure" --with-frr-build="$CACHE/frr" >"$WORK/configure.log" 2>&1 &&
	make -j2 $TARGET >"$WORK/make.log" 2>&1); then
	echo "mutants: the scratch build failed ($WORK/configure.log, $WORK/make.log)" >&2
	exit 1
fi

exec /usr/bin/python3 - "$TOP" "$WORK" "$@" <<'EOF'
import os
import re
import shutil
import subprocess
import sys
import time

top, work, only = sys.argv[1], sys.argv[2], sys.argv[3:]
glue = bool(only) and only[0] == "--topotests"
if glue:
    only = only[1:]

# (name, file, the code as it is, the mutation[, the fuzz harness that guards it])
MUTANTS = [
    ("next-hop rule", "module/vapp_policy.c",
     "\tif (!vapp_nexthop_ok(app, nh))", "\tif (0 && !vapp_nexthop_ok(app, nh))"),
    ("range/length rule", "module/vapp_policy.c",
     "\tif (v != VAPP_P_ACCEPTED)\n\t\treturn v;", "\tif (0)\n\t\treturn v;"),
    ("a path's next hop recorded", "module/vapp_policy.c",
     "\tvapp_vtab_store_aux(slot, vapp_nexthop_index(app, nh));", "\tvapp_vtab_store_aux(slot, 0);"),
    ("max-prefixes warning once per crossing", "module/vapp_policy.c",
     "\tif (over == app->limit_warned)\n\t\treturn 0;", "\tif (0)\n\t\treturn 0;"),
    ("max-prefixes block", "module/vapp_policy.c",
     "\t\tif (others >= pool->max_prefixes)", "\t\tif (0 && others >= pool->max_prefixes)"),
    ("ASN check", "module/vapp_admission.c",
     "\tif (!vapp_asnset_empty(&app->pool->asns) && !vapp_asnset_contains(&app->pool->asns, asn))",
     "\tif (0)"),
    ("password requirement", "module/vapp_admission.c",
     "\tif (pool->require_password && !vapp_fact(facts->password_set, pool, facts->arg))",
     "\tif (0)"),
    ("quarantine", "module/vapp_admission.c",
     "\tif (pool->quarantine.enabled && vapp_src_quarantined(src, now))", "\tif (0)"),
    ("enforcement check", "module/vapp_admission.c",
     "\tif (!vapp_fact(facts->policy_enforced, pool, facts->arg))", "\tif (0)"),
    ("anycast removal on health loss", "module/vapp_anycast.c",
     "\t\tif (ac->installed)\n\t\t\tacts |= VAPP_AC_DO_REMOVE | VAPP_AC_DO_RESET;",
     "\t\tif (0)\n\t\t\tacts |= VAPP_AC_DO_REMOVE | VAPP_AC_DO_RESET;"),
    ("lease lapse", "module/vapp_anycast.c",
     "\tif (ac->installed && ac->lease_until && now >= ac->lease_until) {", "\tif (0) {"),
    ("no renewal while a removal is pending", "module/vapp_anycast.c",
     "\t\tif (now >= ac->remove_retry_at)\n\t\t\tacts |= VAPP_AC_DO_REMOVE;",
     "\t\tacts |= VAPP_AC_DO_INSTALL;\n\t\tif (now >= ac->remove_retry_at)\n"
     "\t\t\tacts |= VAPP_AC_DO_REMOVE;"),
    ("refused removal kept", "module/vapp_anycast.c",
     "\t\tac->installed = true; /* the kernel holds it */",
     "\t\tac->installed = false;"),
    ("graceful restart decided anew", "module/vapp_admission.c",
     "\tif (app->gr_wait && app->state == VAPP_APP_ADMITTED) {", "\tif (0) {"),
    ("OPEN re-check", "module/vapp_admission.c",
     "\t    (asn == app->remote_as && router_id.s_addr == app->router_id.s_addr))",
     "\t    1)"),
    # the glue's tracked-session counting, run by fuzz_anycast on bgpd's structures
    ("deleted tracked peer counted down", "module/vapp_bgp_tracked.c",
     "\tif (!p)\n\t\treturn false;\n\tstrlcpy(group, p->group->name, len);",
     "\tif (!p || !peer->group)\n\t\treturn false;\n\tstrlcpy(group, p->group->name, len);",
     "anycast"),
    ("recount mends drift", "module/vapp_bgp_tracked.c",
     "\tif (!fixed)\n\t\treturn 0;", "\tif (1)\n\t\treturn fixed;", "anycast"),
    # the differential models, on what Check does not reach (the fuzz run
    # is deterministic: libFuzzer's -seed=1 on the committed seeds)
    ("a path's SAFI in its key", "module/vapp_vtab.c",
     "\tkey[alen + 1] = k->safi;", "\tkey[alen + 1] = SAFI_UNICAST;", "policy"),
    ("second OPEN with the admitted AS", "module/vapp_admission.c",
     "\tif (reason == VAPP_REASON_NONE && asn != app->remote_as)\n\t\treason = VAPP_REASON_REMOTE_AS;",
     "\tif (0)\n\t\treason = VAPP_REASON_REMOTE_AS;", "admission"),
    ("log budget per pool", "module/vapp_admission.c",
     "\tif (b->used >= VAPP_POOL_LOG_BURST && !exempt) {", "\tif (0) {"),
    ("lowered max-sessions keeps the oldest", "module/vapp_admission.c",
     "\t\t\tapp = vapp_app_list_last(&pool->apps);", "\t\t\tapp = vapp_app_list_first(&pool->apps);"),
    ("a move only within its pool", "module/vapp_admission.c",
     "\treturn other->pool == app->pool && other->addr.ipa_type == app->addr.ipa_type &&",
     "\treturn other->addr.ipa_type == app->addr.ipa_type &&"),
    ("a refused second session logged once", "module/vapp_admission.c",
     "\tif (app->peered_refused++ == 0)", "\tif (app->peered_refused++ >= 0)"),
    ("a refused second session keeps its source's record", "module/vapp_admission.c",
     "verdict != VAPP_VERDICT_QUARANTINED && reason != VAPP_REASON_ALREADY_PEERED",
     "verdict != VAPP_VERDICT_QUARANTINED"),
]
FUZZ_TIME = 30  # seconds per fuzz-judged mutant, from the committed corpus only

# the glue: (name, file, the code as it is, the mutation, the topotests
# that guard it, in the order they are tried)
GLUE = [
    ("invalid for ungoverned peers", "module/vapp_rmap.c",
     "\tif (!app)\n\t\tv = VAPP_P_NOT_ADMITTED;", "\tif (!app)\n\t\tv = VAPP_P_ACCEPTED;",
     ["test_vapp_paths", "test_vapp_config_fuzz", "test_vapp_differential"]),
    ("enforcement read from bgpd's route-maps", "module/vapp_enforce.c",
     "\tif (!map)\n\t\treturn \"its inbound route-map does not exist\";",
     "\tif (map)\n\t\treturn NULL;\n\tif (!map)\n\t\treturn \"its inbound route-map does not exist\";",
     ["test_vapp_policy", "test_vapp_paths"]),
    ("enforcement re-read on every route", "module/vapp_bgp_routes.c",
     "\tif (!vapp_enforce_map(ROUTE_MAP_IN(&peer->filter[afi][k.safi])))\n\t\treturn VAPP_P_MAX;",
     "\tif (0)\n\t\treturn VAPP_P_MAX;",
     ["test_vapp_policy", "test_vapp_paths", "test_vapp_differential"]),
    ("ADD-PATH paths decided apart", "module/vapp_bgp_routes.c",
     "\tif (!bgp_addpath_encode_rx(peer, afi, k.safi)) {", "\tif (1) {",
     ["test_vapp_paths", "test_vapp_differential"]),
    ("labeled-unicast decided as labeled-unicast", "module/vapp_bgp_routes.c",
     "\treturn peer->afc_nego[afi][SAFI_LABELED_UNICAST] ? SAFI_LABELED_UNICAST : SAFI_UNICAST;",
     "\treturn SAFI_UNICAST;",
     ["test_vapp_paths", "test_vapp_differential"]),
    ("a second session to another local address refused", "module/vapp_bgp_moves.c",
     "\tif (vapp_su_same_addr(c->su_local, first->connection->su_local) || app->gr_wait)",
     "\tif (1)",
     ["test_vapp_moves"]),
    ("a kept session keeps its graceful-restart state", "module/vapp_bgp_moves.c",
     "\tvapp_nsf_hold(first);\n", "",
     ["test_vapp_moves"]),
    ("a move takes over at its End-of-RIB", "module/vapp_bgp.c",
     "\t\tif (app->move_pending && peer_established(peer->connection) &&\n\t\t    vapp_update_is_eor(body, len))",
     "\t\tif (0)",
     ["test_vapp_moves"]),
    ("a drain's routes match draining", "module/vapp_bgp_drain.c",
     "\treturn ac && vapp_anycast_in_grace(ac);", "\treturn false;",
     ["test_vapp_moves"]),
    ("a failed metrics write removes the file", "module/vapp_metrics.c",
     "\t/* fail closed: no stale file that looks current */\n\tunlink(m->path);",
     "\t/* fail closed: no stale file that looks current */",
     ["test_vapp_metrics"]),
]


def run(cmd):
    return subprocess.run(cmd, cwd=os.path.join(work, "build"), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)


def mutate(path, old, new, judge):
    orig = open(os.path.join(top, path)).read()
    if orig.count(old) != 1:
        sys.exit("mutants: the code to mutate is not in %s once: update the list" % path)
    dst = os.path.join(work, path)
    try:
        with open(dst, "w") as f:
            f.write(orig.replace(old, new))
        return judge()
    finally:
        with open(dst, "w") as f:
            f.write(orig)


ROWS = []


def attempt(name, path, old, new, judge):
    """One mutant: applied, judged (a verdict, or None: it survived), taken back."""
    t0 = time.monotonic()
    verdict = mutate(path, old, new, judge) or "SURVIVED"
    ROWS.append((name, verdict, time.monotonic() - t0))


def report():
    survived = sum(1 for _, verdict, _ in ROWS if verdict == "SURVIVED")
    print("%-44s %-56s %s" % ("mutant", "verdict", "time"))
    for name, verdict, t in ROWS:
        print("%-44s %-56s %5.1f s" % (name, verdict, t))
    print("mutants: %d run, %d survived" % (len(ROWS), survived))
    sys.exit(1 if survived or not ROWS else 0)


MODULE = os.path.join(work, "build", "bgpd", "bgpd_vappliance.so")
TOPO = os.path.join(work, "topotests")  # the copy: edits of the tree do not race the run


def topotest(d):
    """One topotest directory with the scratch module; its first failure."""
    env = dict(os.environ, VAPP_TEST_MODULE=MODULE)
    out = subprocess.run(["/usr/bin/python3", "-m", "pytest", "-p", "no:cacheprovider", "-o",
                          "log_cli=false", "-x", "-q", d], cwd=TOPO, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True)
    m = re.search(r"^FAILED (\S+)", out.stdout, re.M)
    print("mutants: %s: %s" % (d, "passed" if not out.returncode else
                               "failed (%s)" % (m.group(1) if m else "rc %d" % out.returncode)),
          flush=True)
    return out.returncode, (m.group(1) if m else d)


if glue:
    dirs = []
    for g in GLUE:
        if not only or g[0] in only:
            dirs += [d for d in g[4] if d not in dirs]
    for d in dirs:  # each guard passes with the module unmutated
        rc, what = topotest(d)
        if rc:
            sys.exit("mutants: %s fails without any mutation (%s)" % (d, what))
    for name, path, old, new, tests in GLUE:
        if only and name not in only:
            continue

        def judge():
            if run(["make", "bgpd/bgpd_vappliance.so"]).returncode:
                return "killed by the build"
            for d in tests:
                rc, what = topotest(d)
                if rc:
                    return "killed by " + what
            return None
        attempt(name, path, old, new, judge)
    report()


def fuzz(harness, secs):
    """The harness from its committed seeds (no earlier findings); a mismatch, crash or leak."""
    d = os.path.join(work, "fuzz-work")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return run(["tests/fuzz/fuzz_" + harness, "-seed=1", "-max_total_time=%d" % secs, "-timeout=10",
                "-artifact_prefix=%s/" % d, d, os.path.join(top, "tests/fuzz/corpus", harness)])


base = run(["tests/check_vapp"])
if base.returncode:
    sys.exit("mutants: the Check tests fail without any mutation:\n" + base.stdout[-2000:])
for h in sorted({m[4] for m in MUTANTS if len(m) > 4 and (not only or m[0] in only)}):
    if fuzz(h, 10).returncode:
        sys.exit("mutants: fuzz_%s fails without any mutation" % h)

for name, path, old, new, *harness in MUTANTS:
    if only and name not in only:
        continue

    def judge():
        if harness:
            if run(["make", "tests/fuzz/fuzz_" + harness[0]]).returncode:
                return "killed by the build"
            out = fuzz(harness[0], FUZZ_TIME)
            m = re.search(r"MISMATCH at \S+:(\d+): (.{0,30})", out.stdout)
            if out.returncode == 0:
                return None
            return "killed by fuzz_%s (%s)" % (harness[0], m.group(2) if m else "crash")
        if run(["make", "tests/check_vapp"]).returncode:
            return "killed by the build"
        out = run(["tests/check_vapp"])
        m = re.search(r":[FE]:([^:]+):([^:]+):", out.stdout)
        if out.returncode == 0:
            return None
        return "killed by %s/%s" % (m.group(1), m.group(2)) if m else "killed"
    attempt(name, path, old, new, judge)
report()
EOF
