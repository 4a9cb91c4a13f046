#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
bgp_swarm: many small BGP speakers from many source addresses, for the
vappliance churn tests and benchmarks (Debian's python3, stdlib only).

Each session binds to one source address (which must exist on a local
interface), optionally with a TCP-MD5 password, sends OPEN (4-octet AS,
IPv4 unicast), and then, depending on the mode:

  hold      establish and stay up for --duration seconds (or until
            SIGTERM), sending keepalives at a third of the negotiated hold
            time, announcing --routes prefixes; with --retry a session that
            fails before Established connects again; with --enforce-hold a
            route server silent for the hold time is dropped (NOTIFICATION
            Hold Timer Expired)
  cycle     establish, announce --routes prefixes (if any), then close;
            repeated --repeat times; with --retry a connection the route
            server closes without a NOTIFICATION before Established
            connects again (counted in retries)
  reject    send OPEN, KEEPALIVE and one UPDATE in one write, like an
            impatient appliance, and record what the route server answers

Prints one JSON object: attempts, established, NOTIFICATIONs received by
code/subcode, errors, and timings; in hold mode also "hold": sessions up at
the end, dropped while up, hold timer expiries (by the route server:
NOTIFICATION 4/0 received; local: the route server silent past the
negotiated hold time), retries, and the largest gaps between messages
received and keepalives sent. SIGTERM ends every session at once and
prints the object as usual ("stopped": true).

usage: bgp_swarm.py --peer IP --sources A.B.C.D-A.B.C.E --as ASN [options]
"""
import argparse
import asyncio
import ipaddress
import json
import signal
import socket
import struct
import sys
import time

BGP_PORT = 179
MSG_OPEN, MSG_UPDATE, MSG_NOTIFY, MSG_KEEPALIVE = 1, 2, 3, 4
AS_TRANS = 23456
TCP_MD5SIG = 14  # linux/tcp.h
TCP_MD5SIG_MAXKEYLEN = 80


def msg(mtype, body=b""):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), mtype) + body


def open_msg(asn, router_id, hold):
    caps = b""
    caps += struct.pack("!BBHBB", 1, 4, 1, 0, 1)  # MP: IPv4 unicast
    caps += struct.pack("!BBI", 65, 4, asn)  # 4-octet AS
    caps += struct.pack("!BB", 2, 0)  # route refresh
    opt = struct.pack("!BB", 2, len(caps)) + caps
    as2 = asn if asn <= 0xFFFF else AS_TRANS
    body = struct.pack("!BHH4sB", 4, as2, hold, socket.inet_aton(router_id), len(opt)) + opt
    return msg(MSG_OPEN, body)


def update_msg(asn, nexthop, prefixes):
    attrs = b""
    attrs += struct.pack("!BBBB", 0x40, 1, 1, 0)  # ORIGIN IGP
    aspath = struct.pack("!BBI", 2, 1, asn)  # AS_SEQUENCE, 4-octet
    attrs += struct.pack("!BBB", 0x40, 2, len(aspath)) + aspath
    attrs += struct.pack("!BBB", 0x40, 3, 4) + socket.inet_aton(nexthop)
    nlri = b""
    for p in prefixes:
        net = ipaddress.ip_network(p)
        nbytes = (net.prefixlen + 7) // 8
        nlri += struct.pack("!B", net.prefixlen) + net.network_address.packed[:nbytes]
    body = struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs + nlri
    return msg(MSG_UPDATE, body)


def md5_sockopt(peer, password):
    """struct tcp_md5sig: sockaddr_storage, flags, prefixlen, keylen, ifindex, key."""
    key = password.encode()[:TCP_MD5SIG_MAXKEYLEN]
    # sockaddr_in (family in host order, port and address in network order)
    addr = struct.pack("=H", socket.AF_INET) + struct.pack("!H4s", 0, socket.inet_aton(peer))
    addr = addr.ljust(128, b"\0")
    return addr + struct.pack("=BBHI", 0, 0, len(key), 0) + key.ljust(TCP_MD5SIG_MAXKEYLEN, b"\0")


def source_list(spec):
    out = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            a, b = int(ipaddress.ip_address(lo)), int(ipaddress.ip_address(hi))
            out += [str(ipaddress.ip_address(i)) for i in range(a, b + 1)]
        else:
            out.append(part)
    return out


class Stats:
    def __init__(self):
        self.attempts = 0
        self.established = 0
        self.notifications = {}
        self.errors = {}
        self.setup_times = []
        self.first_start = None
        self.last_established = None
        # hold mode
        self.hold = {"upAtEnd": 0, "droppedWhileUp": 0, "holdExpiredByPeer": 0,
                     "holdExpiredLocal": 0, "retries": 0, "upAtStop": 0}
        self.rx_gap_max = 0.0
        self.tx_gap_max = 0.0
        # cycle mode: connections refused before OPEN and made again
        self.cycle_retries = 0

    def notify(self, code, sub):
        key = "%d/%d" % (code, sub)
        self.notifications[key] = self.notifications.get(key, 0) + 1

    def error(self, what):
        self.errors[what] = self.errors.get(what, 0) + 1


async def read_msg(reader, timeout):
    hdr = await asyncio.wait_for(reader.readexactly(19), timeout)
    length, mtype = struct.unpack("!HB", hdr[16:19])
    body = await asyncio.wait_for(reader.readexactly(length - 19), timeout) if length > 19 else b""
    return mtype, body


STOP = asyncio.Event()


def announcements(args, index):
    """The /24s a session announces: from --route-base, or with
    --route-per-source a block of its own (source number @index)."""
    base = int(ipaddress.ip_address(args.route_base))
    first = index * args.routes if args.route_per_source else 0
    return [str(ipaddress.ip_network((base + ((first + i) << 8), 24)))
            for i in range(args.routes)]


async def hold_up(args, src, stats, reader, writer, neg_hold):
    """Hold mode once Established: keepalives every third of the negotiated
    hold time (@neg_hold, 0: none) until --duration ends."""
    end = time.monotonic() + args.duration
    ka = max(1, (neg_hold or args.hold) // 3)
    last_rx = last_tx = time.monotonic()
    while True:
        now = time.monotonic()
        if now >= end:
            stats.hold["upAtEnd"] += 1
            return
        if neg_hold and now - last_rx > neg_hold:
            stats.hold["holdExpiredLocal"] += 1
            if args.enforce_hold:
                writer.write(msg(MSG_NOTIFY, struct.pack("!BB", 4, 0)))
                await writer.drain()
                stats.hold["droppedWhileUp"] += 1
                stats.error("hold-expired")
                return
            last_rx = now  # counted once per hold time of silence
        wait = min(end - now, last_tx + ka - now)
        if neg_hold:
            wait = min(wait, last_rx + neg_hold - now + 0.01)
        if wait > 0:
            try:
                hdr = await asyncio.wait_for(reader.readexactly(19), wait)
            except asyncio.TimeoutError:
                hdr = None
            if hdr is not None:
                length, mtype = struct.unpack("!HB", hdr[16:19])
                body = b""
                if length > 19:
                    body = await asyncio.wait_for(reader.readexactly(length - 19), args.timeout)
                t = time.monotonic()
                stats.rx_gap_max = max(stats.rx_gap_max, t - last_rx)
                last_rx = t
                if mtype == MSG_NOTIFY:
                    stats.notify(body[0], body[1] if len(body) > 1 else 0)
                    stats.error("dropped-while-up")
                    stats.hold["droppedWhileUp"] += 1
                    if body[:1] == b"\x04":
                        stats.hold["holdExpiredByPeer"] += 1
                    return
        now = time.monotonic()
        if now - last_tx >= ka:
            writer.write(msg(MSG_KEEPALIVE))
            await writer.drain()
            stats.tx_gap_max = max(stats.tx_gap_max, now - last_tx)
            last_tx = now


async def session(args, src, stats, mode, index=0):
    """One connection; returns whether it reached Established, or None when
    the route server closed it before sending anything (FRR's bgp_accept
    does so while a neighbor of the same address is still being cleared)."""
    stats.attempts += 1
    t0 = time.monotonic()
    if stats.first_start is None:
        stats.first_start = t0
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    writer = None
    up = False
    refused = False
    try:
        sock.bind((src, 0))
        if args.password:
            sock.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, md5_sockopt(args.peer, args.password))
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.sock_connect(sock, (args.peer, BGP_PORT)), args.timeout)
        reader, writer = await asyncio.open_connection(sock=sock)
        rid = args.router_id or src
        first = open_msg(args.asn, rid, args.hold)
        if mode == "reject":
            first += msg(MSG_KEEPALIVE) + update_msg(args.asn, src, [args.reject_prefix])
        writer.write(first)
        await writer.drain()
        got_open = False
        peer_hold = None
        while True:
            mtype, body = await read_msg(reader, args.timeout)
            if mtype == MSG_NOTIFY:
                stats.notify(body[0], body[1] if len(body) > 1 else 0)
                return up
            if mtype == MSG_OPEN:
                got_open = True
                if len(body) >= 5:
                    peer_hold = struct.unpack("!H", body[3:5])[0]
                if mode != "reject":
                    writer.write(msg(MSG_KEEPALIVE))
                    await writer.drain()
            elif mtype == MSG_KEEPALIVE and got_open:
                break
        stats.established += 1
        up = True
        stats.setup_times.append(time.monotonic() - t0)
        stats.last_established = time.monotonic()
        if mode == "reject":
            return up
        if mode == "cycle" and args.routes:
            # connect, admit, announce, disconnect: the module books and
            # frees per-appliance policy state for the routes
            writer.write(update_msg(args.asn, src, announcements(args, index)))
            await writer.drain()
            # give the route server time to take the UPDATE in before the
            # close (its read of data and EOF may otherwise coincide)
            await asyncio.sleep(args.linger)
        if mode == "hold":
            if args.routes:
                prefixes = announcements(args, index)
                for i in range(0, len(prefixes), 500):
                    writer.write(update_msg(args.asn, src, prefixes[i:i + 500]))
                await writer.drain()
            neg_hold = min(args.hold, peer_hold) if peer_hold is not None else args.hold
            await hold_up(args, src, stats, reader, writer, neg_hold)
    except asyncio.CancelledError:
        if not STOP.is_set():
            raise
        if up and mode == "hold":
            stats.hold["upAtStop"] += 1
    except asyncio.IncompleteReadError:
        stats.error("eof")
        # closed before Established without a NOTIFICATION: a BGP
        # speaker's ConnectRetry tries again (bgp_accept() refusing one
        # before its OPEN, or a close in OpenSent)
        refused = not up
        if up and mode == "hold":
            stats.hold["droppedWhileUp"] += 1
    except asyncio.TimeoutError:
        stats.error("timeout")
        if up and mode == "hold":
            stats.hold["droppedWhileUp"] += 1
    except ConnectionResetError:
        stats.error("reset")
        refused = not up
        if up and mode == "hold":
            stats.hold["droppedWhileUp"] += 1
    except OSError as e:
        stats.error("oserror-%d" % (e.errno or 0))
        if up and mode == "hold":
            stats.hold["droppedWhileUp"] += 1
    finally:
        if writer:
            writer.close()
            try:
                await writer.wait_closed()
            except (OSError, asyncio.CancelledError):
                pass
        else:
            sock.close()
    return None if refused else up


async def run(args):
    stats = Stats()
    sources = source_list(args.sources)
    sem = asyncio.Semaphore(args.parallel)
    rate_gap = 1.0 / args.rate if args.rate else 0
    t_start = time.monotonic()
    live = set()

    def on_term():
        STOP.set()
        for t in list(live):
            t.cancel()

    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, on_term)

    async def one(src, index, mode):
        tries = 0
        try:
            async with sem:
                while True:
                    up = await session(args, src, stats, mode, index)
                    if mode == "cycle" and up is None and args.retry and tries < 5:
                        # refused before OPEN: a BGP speaker's ConnectRetry
                        tries += 1
                        stats.cycle_retries += 1
                        await asyncio.sleep(args.retry)
                        continue
                    if up or mode != "hold" or not args.retry or STOP.is_set() or \
                            time.monotonic() - t_start >= args.duration:
                        return
                    stats.hold["retries"] += 1
                    await asyncio.sleep(args.retry)
        except asyncio.CancelledError:
            if not STOP.is_set():
                raise

    def start(src, index, mode):
        t = asyncio.create_task(one(src, index, mode))
        live.add(t)
        t.add_done_callback(live.discard)
        return t

    tasks = []
    made = 0
    rate_base = time.monotonic()
    for r in range(args.repeat):
        for index, src in enumerate(sources):
            if STOP.is_set() or (args.max_attempts and made >= args.max_attempts):
                break
            tasks.append(start(src, index, args.mode))
            made += 1
            if rate_gap:
                # on a fixed schedule (sleep overruns do not add up); at
                # most one second of lag is caught up
                delay = rate_base + made * rate_gap - time.monotonic()
                if delay < -1.0:
                    rate_base -= delay + 1.0
                elif delay > 0:
                    await asyncio.sleep(delay)
        # cycle mode, and reject mode when asked: one round over the
        # sources at a time, so a source never has two sessions at once
        if args.mode == "cycle" or args.round_gap is not None:
            await asyncio.gather(*tasks)
            tasks = []
            # the route server finishes tearing the last round down before
            # a source connects again (a new connection from an address
            # whose neighbor still exists is refused as a collision)
            await asyncio.sleep(1.0 if args.round_gap is None else args.round_gap)
    await asyncio.gather(*tasks)
    out = {
        "attempts": stats.attempts,
        "established": stats.established,
        "notifications": stats.notifications,
        "errors": stats.errors,
    }
    if args.mode == "cycle" and args.retry:
        out["retries"] = stats.cycle_retries
    if stats.setup_times:
        st = sorted(stats.setup_times)
        out["setupMs"] = {"min": round(st[0] * 1000, 1), "median": round(st[len(st) // 2] * 1000, 1),
                          "max": round(st[-1] * 1000, 1)}
    if stats.last_established and stats.first_start:
        out["allEstablishedAfterS"] = round(stats.last_established - stats.first_start, 3)
    out["elapsedS"] = round(time.monotonic() - t_start, 3)
    if STOP.is_set():
        out["stopped"] = True
    if args.mode == "hold":
        out["hold"] = dict(stats.hold, rxGapMaxS=round(stats.rx_gap_max, 3),
                           txGapMaxS=round(stats.tx_gap_max, 3))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer", required=True, help="route server address")
    ap.add_argument("--sources", required=True, help="A.B.C.D-A.B.C.E[,...] local source addresses")
    ap.add_argument("--as", dest="asn", type=int, required=True)
    ap.add_argument("--router-id", help="BGP identifier (default: the source address)")
    ap.add_argument("--password", help="TCP-MD5 password")
    ap.add_argument("--mode", choices=("hold", "cycle", "reject"), default="hold")
    ap.add_argument("--repeat", type=int, default=1, help="rounds over the sources")
    ap.add_argument("--parallel", type=int, default=200, help="sessions in flight at once")
    ap.add_argument("--rate", type=float, default=0, help="new sessions per second (0: no limit)")
    ap.add_argument("--hold", type=int, default=90, help="hold time offered")
    ap.add_argument("--duration", type=float, default=10, help="hold mode: seconds up")
    ap.add_argument("--routes", type=int, default=0, help="hold and cycle modes: /24s to announce")
    ap.add_argument("--route-base", default="100.64.0.0")
    ap.add_argument("--reject-prefix", default="203.0.113.0/24",
                    help="reject mode: the prefix of the UPDATE behind the OPEN")
    ap.add_argument("--route-per-source", action="store_true",
                    help="the Nth source announces its own --routes /24s, N*routes /24s "
                    "above --route-base (default: every source the same ones)")
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--linger", type=float, default=0.3,
                    help="cycle mode with --routes: seconds between UPDATE and close")
    ap.add_argument("--round-gap", type=float, default=None,
                    help="seconds between rounds over the sources (cycle mode: 1; "
                    "other modes: rounds overlap unless given)")
    ap.add_argument("--retry", type=float, default=0,
                    help="hold mode: seconds before a session that failed before Established "
                    "connects again, while --duration has not passed since the start; cycle "
                    "mode: seconds before a cycle the route server closed before its OPEN "
                    "connects again, at most 5 times (0: never)")
    ap.add_argument("--enforce-hold", action="store_true",
                    help="hold mode: drop a session whose route server is silent for the "
                    "negotiated hold time (NOTIFICATION 4/0), as a BGP speaker does")
    ap.add_argument("--max-attempts", type=int, default=0,
                    help="connections made at most (0: --repeat rounds over the sources)")
    args = ap.parse_args()
    print(json.dumps(asyncio.run(run(args)), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
