#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
P3: how fast the anycast loopback follows the route server's health, from
the anycast topotest's topology (topotests/test_vapp_anycast: two route
servers r1/r2 sharing 10.255.0.1/32, a fabric router f1 running OSPF, two
FRR appliances a1/a2 with 1 s keepalives / 3 s hold on a1).

Each round runs that topotest once with VAPP_BENCH_TIMES set; the test
records (see TIMES in the test):
  - tracked session down -> address removed: both timestamps from r1's
    bgpd log (the FABRIC neighbor's ADJCHANGE Down and the module's
    "up -> down" transition), i.e. the module's own reaction time;
  - tracked session down -> a1 Established on r2: end to end, from r1's
    fabric session going down to the appliance's session re-established
    through the other route server (r1 withdraws the address and tells the
    sessions on it, Cease / Administrative Reset; a1 connects again, and
    OSPF takes it to r2), both timestamps from the bgpd logs; the same
    from the test's polling (`polled`, adds its polling delay);
  - and the drain, restore-delay, kill -9 / SIGSTOP lease expiry times.

Baseline: ExaBGP's healthcheck.py defaults (interval 5 s, fall 3, with
fast-interval 1 s once a check fails) announce a route's withdrawal only
after several failed checks: 5-15 s as usually documented (interval x
fall); with the fast interval, 2-7 s after the failure.

usage: p3_anycast.py [--rounds N] [--out FILE]      (then: report FILE)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

KEYS = [
    ("tracked session down -> address removed (ms, r1 log)", "ms", 10.0),
    ("shutdown command -> address gone (s)", "s", None),
    ("tracked session down -> a1 told (ms, logs)", "ms", None),
    ("tracked session down -> a1 Established on r2 (s, logs)", "s", 3.0),
    ("shutdown command -> a1 Established on r2 (s, polled)", "s", None),
    ("drain -> a1 gets Administrative Shutdown with message (s, grace 2, logs)", "s", None),
    ("drain -> appliances get Administrative Shutdown with message (s, grace 2, polled)", "s", None),
    ("drain -> appliances get Administrative Shutdown with message (s, grace 2)", "s", None),
    ("fabric back -> address reinstalled (s, restore-delay 3)", "s", None),
    ("kill -9 -> address expired (s, lease 6)", "s", None),
    ("SIGSTOP -> address expired (s, lease 6)", "s", None),
]


def report(path):
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    print("P3 anycast, %d rounds (%s)" % (len(rows), path))
    print("%-76s %9s %9s %9s %s" % ("metric", "median", "min", "max", "target"))
    summary = {}
    for key, unit, target in KEYS:
        vals = [r[key] for r in rows if key in r]
        if not vals:
            continue
        st = bl.stats(vals)
        summary[key] = st
        met = "" if target is None else ("< %g %s: %s" % (
            target, unit, "met" if st["median"] < target else "MISSED"))
        print("%-76s %9.3f %9.3f %9.3f %s" % (key, st["median"], st["min"], st["max"], met))
    return summary


def main():
    bl.topotest_bench(__doc__, "test_vapp_anycast", "p3", 5, report)


if __name__ == "__main__":
    main()
