#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
vapp_stream: what the users of the services behind the appliances see.

  vapp_stream.py echo [--port P]
      On an appliance: answers every UDP datagram to port P with itself.
  vapp_stream.py send --target IP[,IP...] [--port P] [--rate N]
                      [--duration S] --out FILE
      Beside the fabric: sends N sequence-numbered datagrams per second to
      each target (an address inside an appliance's service prefix) until
      S seconds passed or SIGTERM/SIGINT, waits 0.5 s for the last answers,
      and writes a JSON report: per target, sent, received, lost, the
      longest gap (ms) and each outage (a run of lost datagrams: the wall
      time of its first lost and of the first answered one after it).

Python standard library only (Debian's python3); one socket, one thread.
"""
import argparse
import json
import os
import select
import signal
import socket
import struct
import sys
import time

MAGIC = 0x76617070  # "vapp"
PKT = struct.Struct("!IIQd")  # magic, target index, sequence, send time (wall)


def echo(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", args.port))
    while True:
        data, peer = s.recvfrom(2048)
        try:
            s.sendto(data, peer)
        except OSError:
            pass  # no route back for a moment (the appliance is moving)


def report(targets, sent, got, rate, t0):
    """Per target: counts, the longest gap and the outages, from the answers."""
    out = {"rate": rate, "start": t0, "targets": {}}
    for i, tgt in enumerate(targets):
        seqs = got[i]
        outages, run = [], None
        for q in range(sent[i]):
            if q in seqs:
                if run is not None:
                    outages.append({"lost": q - run, "from": t0 + run / rate,
                                    "to": t0 + q / rate})
                    run = None
            elif run is None:
                run = q
        if run is not None:  # lost until the end
            outages.append({"lost": sent[i] - run, "from": t0 + run / rate,
                            "to": t0 + sent[i] / rate, "open": True})
        longest = max((o["lost"] for o in outages), default=0)
        out["targets"][tgt] = {
            "sent": sent[i], "received": len(seqs), "lost": sent[i] - len(seqs),
            "longestGapMs": round((longest + 1) * 1000.0 / rate if longest else 0, 1),
            "outages": outages,
        }
    return out


def send(args):
    targets = args.target.split(",")
    interval = 1.0 / args.rate
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    sent = [0] * len(targets)
    got = [set() for _ in targets]
    t0, m0 = time.time(), time.monotonic()
    end = m0 + args.duration if args.duration else None
    tick = 0
    drain_until = None
    while True:
        now = time.monotonic()
        if drain_until is None and (stop or (end and now >= end)):
            drain_until = now + 0.5
        if drain_until is not None and now >= drain_until:
            break
        if drain_until is None and now >= m0 + tick * interval:
            # a late tick sends what it owes: the sequence is by time slot
            for i, tgt in enumerate(targets):
                try:
                    s.sendto(PKT.pack(MAGIC, i, tick, t0 + tick * interval), (tgt, args.port))
                except OSError:
                    pass  # no route: lost, as the user would see it
                sent[i] = tick + 1
            tick += 1
            continue
        wait = (m0 + tick * interval) - now if drain_until is None else drain_until - now
        r, _, _ = select.select([s], [], [], max(0.0, min(wait, interval)))
        while r:
            try:
                data, _ = s.recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                continue
            if len(data) >= PKT.size:
                magic, i, q, _ = PKT.unpack_from(data)
                if magic == MAGIC and i < len(targets):
                    got[i].add(q)
    res = report(targets, sent, got, args.rate, t0)
    # whole or not at all: a reader waits for the file to appear
    with open(args.out + ".tmp", "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    os.replace(args.out + ".tmp", args.out)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("echo")
    e.add_argument("--port", type=int, default=7070)
    s = sub.add_parser("send")
    s.add_argument("--target", required=True)
    s.add_argument("--port", type=int, default=7070)
    s.add_argument("--rate", type=int, default=250)
    s.add_argument("--duration", type=float, default=0)
    s.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.cmd == "send" and args.rate < 1:
        ap.error("--rate must be at least 1")
    return echo(args) if args.cmd == "echo" else send(args)


if __name__ == "__main__":
    sys.exit(main())
