#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
malformed: a hostile appliance of test_vapp_hostile that establishes a
session and then sends one malformed UPDATE per session, one variant after
the other (each from the next source address). Prints one JSON object:
variant -> what the route server answered ("3/1": a NOTIFICATION of that
code/subcode, "open": the session stayed up for the wait, "closed": the
connection ended without one).

The module reads every UPDATE before bgpd does (bgp_packet_dump hook, to
follow withdrawals), so these reach its parser first.

With --collide-as, then a connection collision whose winning OPEN carries
an AS the pool does not allow (see collide()); with --twins-as, then two
connections at once from one address with a refused AS (see twins()).

usage: malformed.py --peer IP --sources A,B,... --as ASN --password PW [--collide-as ASN]
"""
import argparse
import ipaddress
import json
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from bgp_swarm import MSG_KEEPALIVE, MSG_NOTIFY, MSG_OPEN, MSG_UPDATE, md5_sockopt, msg, open_msg  # noqa: E402


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def good_attrs(asn, nexthop):
    return (attr(0x40, 1, b"\x00")
            + attr(0x40, 2, struct.pack("!BBI", 2, 1, asn))
            + attr(0x40, 3, socket.inet_aton(nexthop)))


def nlri(prefix):
    net = ipaddress.ip_network(prefix)
    return struct.pack("!B", net.prefixlen) + net.network_address.packed[:(net.prefixlen + 7) // 8]


def update(withdrawn, attrs, nlri_bytes, wlen=None, alen=None):
    body = struct.pack("!H", len(withdrawn) if wlen is None else wlen) + withdrawn
    body += struct.pack("!H", len(attrs) if alen is None else alen) + attrs + nlri_bytes
    return msg(MSG_UPDATE, body)


def variants(asn, src):
    ok = good_attrs(asn, src)
    pfx = nlri("198.51.100.0/24")
    return {
        # lengths that point past the message
        "withdrawn-length-overrun": update(nlri("198.51.100.0/24"), b"", b"", wlen=400),
        "attribute-length-overrun": update(b"", ok, pfx, alen=600),
        # prefixes longer than the family allows
        "nlri-length-33": update(b"", ok, b"\x21" + b"\xc6\x33\x64\x00\x01"),
        "withdrawn-length-200": update(b"\xc8" + b"\x00" * 25, b"", b""),
        # a prefix whose bytes are cut off by the end of the message
        "nlri-truncated": update(b"", ok, b"\x18\xc6\x33"),
        # MP_UNREACH_NLRI for IPv4 unicast with a 40-bit prefix
        "mp-unreach-bad-prefix": update(b"", attr(0x80, 15, struct.pack("!HB", 1, 1) + b"\x28"
                                                  + b"\xc6\x33\x64\x00\x00"), b""),
        # MP_UNREACH_NLRI too short to hold AFI/SAFI
        "mp-unreach-short": update(b"", attr(0x80, 15, b"\x00"), b""),
        # mandatory NEXT_HOP missing (RFC 7606: treat-as-withdraw)
        "missing-next-hop": update(b"", attr(0x40, 1, b"\x00")
                                   + attr(0x40, 2, struct.pack("!BBI", 2, 1, asn)), pfx),
        # AS_PATH segment claiming more ASNs than it holds
        "as-path-segment-overrun": update(b"", attr(0x40, 1, b"\x00")
                                          + attr(0x40, 2, struct.pack("!BBI", 2, 50, asn))
                                          + attr(0x40, 3, socket.inet_aton(src)), pfx),
        # an attribute flag/length mix-up: extended length bit with 1 byte
        "extended-length-cut": update(b"", b"\x50\x01\x00", pfx),
    }


def read_msg(sock, timeout):
    sock.settimeout(timeout)
    hdr = b""
    while len(hdr) < 19:
        chunk = sock.recv(19 - len(hdr))
        if not chunk:
            raise EOFError
        hdr += chunk
    length, mtype = struct.unpack("!HB", hdr[16:19])
    body = b""
    while len(body) < length - 19:
        chunk = sock.recv(length - 19 - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    return mtype, body


def one(args, src, payload):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((src, 0))
        sock.setsockopt(socket.IPPROTO_TCP, 14, md5_sockopt(args.peer, args.password))
        sock.settimeout(10)
        sock.connect((args.peer, 179))
        sock.sendall(open_msg(args.asn, src, 90))
        established = False
        while not established:
            mtype, body = read_msg(sock, 10)
            if mtype == MSG_NOTIFY:
                return "refused %d/%d" % (body[0], body[1])
            if mtype == MSG_OPEN:
                sock.sendall(msg(MSG_KEEPALIVE))
            elif mtype == MSG_KEEPALIVE:
                established = True
        sock.sendall(payload)
        end = time.time() + args.wait
        while time.time() < end:
            try:
                mtype, body = read_msg(sock, max(0.1, end - time.time()))
            except socket.timeout:
                break
            if mtype == MSG_NOTIFY:
                return "%d/%d" % (body[0], body[1])
        return "open"
    except EOFError:
        return "closed"
    except OSError as e:
        return "error %s" % e
    finally:
        sock.close()


def connect(args, src):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((src, 0))
    sock.setsockopt(socket.IPPROTO_TCP, 14, md5_sockopt(args.peer, args.password))
    sock.settimeout(10)
    sock.connect((args.peer, 179))
    return sock


def collide(args, src, asn):
    """
    Two connections from one address: the first stays silent (the route
    server sends its OPEN and waits), the second -- which bgpd gives to a
    doppelganger, not to the dynamic neighbor -- sends OPEN with @asn and a
    BGP identifier above the route server's, so it wins the collision and
    its session moves to the dynamic neighbor. Returns what the second
    connection saw: "established" (and nothing after), or the NOTIFICATION.
    """
    first = connect(args, src)
    try:
        time.sleep(0.5)
        second = connect(args, src)
        try:
            second.sendall(open_msg(asn, "10.255.255.254", 90))
            established = False
            end = time.time() + 3 + args.wait
            while time.time() < end:
                try:
                    mtype, body = read_msg(second, max(0.1, end - time.time()))
                except socket.timeout:
                    break
                if mtype == MSG_NOTIFY:
                    return ("established, then " if established else "") + \
                        "%d/%d" % (body[0], body[1])
                if mtype == MSG_OPEN:
                    second.sendall(msg(MSG_KEEPALIVE))
                elif mtype == MSG_KEEPALIVE:
                    established = True
            return "established" if established else "open"
        except EOFError:
            return "closed"
        finally:
            second.close()
    finally:
        first.close()


def twins(args, src, asn, rounds=6):
    """
    Two connections from one address at once, both sending OPEN with @asn,
    which the pool refuses. bgpd gives the second to a doppelganger of the
    dynamic neighbor; when the neighbor is refused and deleted, FRR 10.3
    leaves the doppelganger standing alone (no peer-group, so no inbound
    policy) to finish its session. Returns, per round, what each
    connection saw: "established" if it reached Established and stayed
    there for --wait seconds, else the NOTIFICATION or "closed".
    """
    out = []
    for _ in range(rounds):
        socks = [connect(args, src), connect(args, src)]
        got = []
        try:
            for s in socks:
                s.sendall(open_msg(asn, src, 90))
            for s in socks:
                res, est = "open", False
                end = time.time() + 3 + args.wait
                try:
                    while time.time() < end:
                        try:
                            mtype, body = read_msg(s, max(0.1, end - time.time()))
                        except socket.timeout:
                            break
                        if mtype == MSG_NOTIFY:
                            res = "%d/%d" % (body[0], body[1])
                            break
                        if mtype == MSG_OPEN:
                            s.sendall(msg(MSG_KEEPALIVE))
                        elif mtype == MSG_KEEPALIVE:
                            est = True
                    else:
                        pass
                except (EOFError, OSError):
                    res = "closed"
                got.append(("established, then " + res) if est and res != "open"
                           else "established" if est else res)
        finally:
            for s in socks:
                s.close()
        out.append(got)
        time.sleep(1.5)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer", required=True)
    ap.add_argument("--sources", required=True)
    ap.add_argument("--as", dest="asn", type=int, required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--wait", type=float, default=3.0, help="seconds to wait for an answer")
    ap.add_argument("--collide-as", type=int, default=0,
                    help="then the collision attack (see collide()) with this AS")
    ap.add_argument("--twins-as", type=int, default=0,
                    help="then two connections at once with this AS (see twins())")
    args = ap.parse_args()
    sources = args.sources.split(",")
    out = {}
    for i, (name, payload) in enumerate(variants(args.asn, "0.0.0.0").items()):
        src = sources[i % len(sources)]
        # NEXT_HOP of the well-formed attributes is the sender itself
        payload = variants(args.asn, src)[name]
        out[name] = one(args, src, payload)
        # the route server removes the neighbor before the source comes back
        time.sleep(1.5)
    if args.collide_as:
        out["collision"] = collide(args, sources[0], args.collide_as)
    if args.twins_as:
        out["twins"] = twins(args, sources[1 % len(sources)], args.twins_as)
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
