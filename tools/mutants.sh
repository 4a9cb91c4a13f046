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
#   tools/mutants.sh [NAME...]        (default: all)
#
# Protections that live in the bgpd glue (the route-map clause for
# ungoverned peers, reading bgpd's route-maps for enforcement) are guarded
# by topotests: doc/hardening.rst, Mutation check.
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${VAPP_CACHE:-/var/cache/vappliance}
WORK=${VAPP_MUTANTS_DIR:-/tmp/vapp-mutants}

rm -rf "$WORK"
mkdir -p "$WORK/build"
# the project without its build and history
tar -C "$TOP" --exclude=./build --exclude=./.git -cf - . | tar -C "$WORK" -xf -
if ! (cd "$WORK/build" && "$WORK/configure" --with-frr-build="$CACHE/frr" >"$WORK/configure.log" 2>&1 &&
	make -j2 tests/check_vapp >"$WORK/make.log" 2>&1); then
	echo "mutants: the scratch build failed ($WORK/configure.log, $WORK/make.log)" >&2
	exit 1
fi

exec /usr/bin/python3 - "$TOP" "$WORK" "$@" <<'EOF'
import os
import re
import subprocess
import sys
import time

top, work, only = sys.argv[1], sys.argv[2], sys.argv[3:]

# (name, file, the code as it is, the mutation)
MUTANTS = [
    ("next-hop rule", "module/vapp_policy.c",
     "\tif (!vapp_nexthop_ok(app, nh))", "\tif (0 && !vapp_nexthop_ok(app, nh))"),
    ("range/length rule", "module/vapp_policy.c",
     "\tif (v != VAPP_P_ACCEPTED)\n\t\treturn v;", "\tif (0)\n\t\treturn v;"),
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
]


def run(cmd):
    return subprocess.run(cmd, cwd=os.path.join(work, "build"), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)


base = run(["tests/check_vapp"])
if base.returncode:
    sys.exit("mutants: the Check tests fail without any mutation:\n" + base.stdout[-2000:])

rows, survived = [], 0
for name, path, old, new in MUTANTS:
    if only and name not in only:
        continue
    orig = open(os.path.join(top, path)).read()
    if orig.count(old) != 1:
        sys.exit("mutants: %s: the code to mutate is not in %s once: update the list" % (name, path))
    dst = os.path.join(work, path)
    t0 = time.monotonic()
    try:
        with open(dst, "w") as f:
            f.write(orig.replace(old, new))
        build = run(["make", "tests/check_vapp"])
        if build.returncode:
            verdict = "killed by the build"
        else:
            out = run(["tests/check_vapp"])
            m = re.search(r":[FE]:([^:]+):([^:]+):", out.stdout)
            if out.returncode == 0:
                verdict, survived = "SURVIVED", survived + 1
            else:
                verdict = "killed by %s/%s" % (m.group(1), m.group(2)) if m else "killed"
    finally:
        with open(dst, "w") as f:
            f.write(orig)
    rows.append((name, verdict, time.monotonic() - t0))

print("%-32s %-56s %s" % ("mutant", "verdict", "time"))
for name, verdict, t in rows:
    print("%-32s %-56s %5.1f s" % (name, verdict, t))
print("mutants: %d run, %d survived" % (len(rows), survived))
sys.exit(1 if survived or not rows else 0)
EOF
