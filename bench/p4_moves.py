#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
P4: packets lost when things move, from the moves topotest's topology
(topotests/test_vapp_moves: route servers rs1/rs2 on anycast A and B, a
fabric router f1, FRR/BIRD/GoBGP appliances peering with both addresses,
and a stream of 250 sequence-numbered UDP datagrams per second from src
to each appliance's service address, echoed back; tools/vapp_stream.py).

Each round runs that topotest once with VAPP_BENCH_TIMES set; per event it
records, for each service address, the datagrams lost and the longest gap:
  - steady state; rs1's fabric link cut (no NOTIFICATION) and back;
  - a1 re-addressed into another subnet, mobility takeover: also the time
    from its new session's Established, and from the takeover (its
    End-of-RIB), to the stream flowing again;
  - the same move under mobility reject: the baseline, what the module
    did before (the new session waits for the old one's hold time, 9 s);
  - a drain of every anycast address of rs1 (grace 6 s, RFC 8326 through
    `match vappliance draining`) and the undrain;
  - rs1's link cut again with BFD off (the stock timers: BGP hold 3 s,
    OSPF dead 3 s), the baseline of the first cut's BFD 100 ms x 3;
  - kill -9 of rs1's bgpd, and its restart;
  - the fabric link cut at f1's end (rs1's link stays up: BFD tells rs1,
    whose track then withdraws its anycast addresses), and back.
For each failure of rs1 also: when f1's session to rs1 went down, when
f1's route to anycast A moved to rs2 and when rs1's anycast addresses
left its lo (seconds after the cut or kill).

usage: p4_moves.py [--rounds N] [--out FILE]      (then: report FILE)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

EVENTS = ["steady", "rs1-link-cut", "rs1-link-back", "move-takeover", "move-reject", "drain",
          "undrain", "rs1-link-cut-without-bfd", "rs1-link-back-without-bfd", "rs1-bgpd-kill9",
          "rs1-bgpd-restart", "f1-end-cut", "f1-end-back"]
FAILURES = ["rs1-link-cut", "rs1-link-cut-without-bfd", "rs1-bgpd-kill9", "f1-end-cut"]
DETECT_KEYS = ["bgpDown", "anycastAViaRs2", "rs1AddressesGone"]
NAMES = {"192.0.2.11": "a1 FRR", "192.0.2.21": "b1 BIRD", "192.0.2.22": "g1 GoBGP"}
MOVE_KEYS = ["moveToTrafficS", "establishedToTrafficS", "takeoverToTrafficS",
             "oldGoneAfterEstablishedS"]


def fmt(st):
    return "%g (%g-%g)" % (st["median"], st["min"], st["max"])


def report(path):
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    print("P4 moves, %d rounds (%s); lost datagrams at 250/s, longest gap ms" % (len(rows), path))
    print("%-26s %-10s %-22s %-22s" % ("event", "appliance", "lost", "longest gap ms"))
    summary = {}
    for ev in EVENTS:
        for svc, name in NAMES.items():
            lost = [r[ev][svc]["lost"] for r in rows if svc in r.get(ev, {})]
            gap = [r[ev][svc]["longestGapMs"] for r in rows if svc in r.get(ev, {})]
            if not lost:
                continue
            summary["%s %s" % (ev, name)] = {"lost": bl.stats(lost), "gap": bl.stats(gap)}
            print("%-26s %-10s %-22s %-22s" % (ev, name, fmt(bl.stats(lost)),
                                               fmt(bl.stats(gap))))
    for ev in ("move-takeover", "move-reject"):
        for k in MOVE_KEYS:
            vals = [r[ev]["192.0.2.11"][k] for r in rows if k in r.get(ev, {}).get("192.0.2.11", {})]
            if vals:
                summary["%s %s" % (ev, k)] = bl.stats(vals)
                print("%-16s a1 %-36s %s s" % (ev, k, fmt(bl.stats(vals))))
    for ev in FAILURES:
        for k in DETECT_KEYS:
            vals = [r[ev + "-detection"][k] for r in rows if k in r.get(ev + "-detection", {})]
            if vals:
                summary["%s %s" % (ev, k)] = bl.stats(vals)
                print("%-24s %-18s %s s" % (ev, k, fmt(bl.stats(vals))))
        for k, who in (("bgpDownReason", "f1's"), ("rs1DownReason", "rs1's")):
            why = sorted({r[ev + "-detection"][k] for r in rows
                          if k in r.get(ev + "-detection", {})})
            if why:
                print("%-24s %s session down: %s" % (ev, who, "; ".join(why)))
    rehomed = [r.get("g1-rehomed-on") for r in rows]
    print("g1 re-homed on (its reset while rs1 was cut): %s" % rehomed)
    return summary


def main():
    bl.topotest_bench(__doc__, "test_vapp_moves", "p4", 3, report)


if __name__ == "__main__":
    main()
