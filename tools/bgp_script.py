#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
bgp_script: one scripted BGP speaker (an appliance) for the vappliance
differential topotest (Debian's python3, stdlib only).

It keeps one session to the route server (reconnecting after any loss),
with TCP-MD5, 4-octet AS, route refresh, IPv4 unicast or (--labeled) IPv4
labeled-unicast (RFC 8277), and with --addpath the ADD-PATH send capability
(RFC 7911). Its routes are what the commands on stdin made them; every
session gets all of them, and a ROUTE-REFRESH gets them again.

Commands, one per line; each answers one line on stdout, "ok up" or
"ok down" (the session state once the command is done):

  announce PREFIX PATHID NEXTHOP [MED]
                                   (PATHID is sent only with ADD-PATH; MED:
                                   a MULTI_EXIT_DISC attribute)
  withdraw PREFIX PATHID
  flap                             close the session (Cease), reconnect
  restart [PREFIX PATHID]...       with --gr: a graceful restart, as when the
                                   speaker crashes: the session ends without
                                   a NOTIFICATION and reconnects; the listed
                                   routes are forgotten (never withdrawn: the
                                   route server drops them at End-of-RIB)
  hold                             close the session (Cease), stay down
  release                          connect again after a hold
  state
  quit

With --gr the OPEN carries the graceful restart capability (RFC 4724,
restart time 120 s, the address family with its forwarding state kept)
and each session ends its initial routes with End-of-RIB.

usage: bgp_script.py --peer IP --source IP --as ASN [--password P]
       [--addpath] [--labeled] [--gr]
"""
import argparse
import ipaddress
import os
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from bgp_swarm import (AS_TRANS, MSG_KEEPALIVE, MSG_NOTIFY, MSG_OPEN, MSG_UPDATE, TCP_MD5SIG,  # noqa: E402
                       md5_sockopt, msg)

MSG_REFRESH = 5
SAFI_UNICAST, SAFI_LABELED = 1, 4
HOLD = 9


def open_msg(asn, router_id, safi, addpath, gr=False):
    caps = struct.pack("!BBHBB", 1, 4, 1, 0, safi)  # MP: IPv4 SAFI
    if gr:
        # graceful restart: restart time 120 s; IPv4 SAFI, forwarding kept
        caps += struct.pack("!BBHHBB", 64, 6, 120, 1, safi, 0x80)
    caps += struct.pack("!BBI", 65, 4, asn)  # 4-octet AS
    caps += struct.pack("!BB", 2, 0)  # route refresh
    if addpath:
        caps += struct.pack("!BBHBB", 69, 4, 1, safi, 2)  # ADD-PATH: send
    opt = struct.pack("!BB", 2, len(caps)) + caps
    as2 = asn if asn <= 0xFFFF else AS_TRANS
    body = struct.pack("!BHH4sB", 4, as2, HOLD, socket.inet_aton(router_id), len(opt)) + opt
    return msg(MSG_OPEN, body)


def peer_addpath_rx(open_body, safi):
    """Whether the peer's OPEN offers ADD-PATH receive for IPv4 @safi."""
    optlen = open_body[9]
    opts = open_body[10:10 + optlen]
    i = 0
    while i + 2 <= len(opts):
        ptype, plen = opts[i], opts[i + 1]
        val = opts[i + 2:i + 2 + plen]
        i += 2 + plen
        if ptype != 2:
            continue
        j = 0
        while j + 2 <= len(val):
            code, clen = val[j], val[j + 1]
            cval = val[j + 2:j + 2 + clen]
            j += 2 + clen
            if code != 69:
                continue
            for k in range(0, len(cval) - 3, 4):
                afi, s, flags = struct.unpack("!HBB", cval[k:k + 4])
                if afi == 1 and s == safi and flags & 1:
                    return True
    return False


def nlri(prefix, path_id, addpath, label=None):
    net = ipaddress.ip_network(prefix)
    nbytes = (net.prefixlen + 7) // 8
    out = struct.pack("!I", path_id) if addpath else b""
    if label is None:
        return out + struct.pack("!B", net.prefixlen) + net.network_address.packed[:nbytes]
    lab = struct.pack("!I", label << 4 | 1)[1:] if label >= 0 else b"\x80\x00\x00"
    return out + struct.pack("!B", 24 + net.prefixlen) + lab + net.network_address.packed[:nbytes]


def attr(flags, atype, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, atype, len(value)) + value
    return struct.pack("!BBB", flags, atype, len(value)) + value


class Speaker:
    def __init__(self, args):
        self.args = args
        self.safi = SAFI_LABELED if args.labeled else SAFI_UNICAST
        self.routes = {}  # (prefix, path id) -> (next hop, MED or None)
        self.lock = threading.Lock()
        self.sock = None
        self.addpath = False
        self.quit = False
        self.held = False
        self.up = threading.Event()

    def label_of(self, prefix):
        return 16 + int(ipaddress.ip_network(prefix).network_address) % 1000

    def update(self, prefix, path_id, nh, med=None):
        asn = self.args.asn
        attrs = attr(0x40, 1, b"\x00")  # ORIGIN IGP
        attrs += attr(0x40, 2, struct.pack("!BBI", 2, 1, asn))  # AS_PATH
        if med is not None:
            attrs += attr(0x80, 4, struct.pack("!I", med))  # MULTI_EXIT_DISC
        if self.safi == SAFI_UNICAST:
            attrs += attr(0x40, 3, socket.inet_aton(nh))
            body = struct.pack("!HH", 0, len(attrs)) + attrs + nlri(prefix, path_id, self.addpath)
        else:
            # NEXT_HOP too, as ExaBGP and others send it: FRR 10.3 advertises a
            # labeled-unicast path learned without one to IPv4 unicast peers
            # with no NEXT_HOP at all, which they treat as withdrawn
            attrs += attr(0x40, 3, socket.inet_aton(nh))
            mp = struct.pack("!HBB", 1, SAFI_LABELED, 4) + socket.inet_aton(nh) + b"\x00"
            mp += nlri(prefix, path_id, self.addpath, self.label_of(prefix))
            attrs += attr(0x80, 14, mp)
            body = struct.pack("!HH", 0, len(attrs)) + attrs
        return msg(MSG_UPDATE, body)

    def withdraw(self, prefix, path_id):
        if self.safi == SAFI_UNICAST:
            w = nlri(prefix, path_id, self.addpath)
            body = struct.pack("!H", len(w)) + w + struct.pack("!H", 0)
        else:
            mp = struct.pack("!HB", 1, SAFI_LABELED) + nlri(prefix, path_id, self.addpath, -1)
            attrs = attr(0x80, 15, mp)
            body = struct.pack("!HH", 0, len(attrs)) + attrs
        return msg(MSG_UPDATE, body)

    def send(self, data):
        """Under the lock."""
        if self.sock is None:
            return
        try:
            self.sock.sendall(data)
        except OSError:
            self.drop()

    def drop(self):
        """Under the lock."""
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None
        self.up.clear()

    def send_all(self):
        for (prefix, path_id), (nh, med) in sorted(self.routes.items()):
            self.send(self.update(prefix, path_id, nh, med))

    def eor(self):
        """End-of-RIB (RFC 4724): an empty UPDATE, or an empty MP_UNREACH."""
        if self.safi == SAFI_UNICAST:
            return msg(MSG_UPDATE, struct.pack("!HH", 0, 0))
        attrs = attr(0x80, 15, struct.pack("!HB", 1, self.safi))
        return msg(MSG_UPDATE, struct.pack("!HH", 0, len(attrs)) + attrs)

    def read_msg(self, s):
        def exactly(n):
            buf = b""
            while len(buf) < n:
                chunk = s.recv(n - len(buf))
                if not chunk:
                    raise OSError("closed")
                buf += chunk
            return buf

        hdr = exactly(19)
        length, mtype = struct.unpack("!HB", hdr[16:19])
        return mtype, exactly(length - 19)

    def session(self):
        a = self.args
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.source, 0))
        if a.password:
            s.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, md5_sockopt(a.peer, a.password))
        s.settimeout(5)
        s.connect((a.peer, 179))
        s.sendall(open_msg(a.asn, a.router_id or a.source, self.safi, a.addpath, a.gr))
        mtype, body = self.read_msg(s)
        if mtype != MSG_OPEN:
            raise OSError("no OPEN")
        s.sendall(msg(MSG_KEEPALIVE))
        mtype, _ = self.read_msg(s)
        if mtype != MSG_KEEPALIVE:
            raise OSError("no KEEPALIVE")
        s.settimeout(1)
        with self.lock:
            self.addpath = a.addpath and peer_addpath_rx(body, self.safi)
            self.sock = s
            self.send_all()
            if a.gr:
                self.send(self.eor())
            self.up.set()
        last_ka = time.monotonic()
        while not self.quit:
            if time.monotonic() - last_ka >= HOLD / 3:
                with self.lock:
                    if self.sock is not s:
                        return
                    self.send(msg(MSG_KEEPALIVE))
                last_ka = time.monotonic()
            try:
                mtype, _ = self.read_msg(s)
            except socket.timeout:
                continue
            if mtype == MSG_NOTIFY:
                raise OSError("NOTIFICATION")
            if mtype == MSG_REFRESH:
                with self.lock:
                    if self.sock is s:
                        self.send_all()

    def run(self):
        while not self.quit:
            if self.held:
                time.sleep(0.2)
                continue
            try:
                self.session()
            except OSError:
                pass
            with self.lock:
                self.drop()
            time.sleep(1)

    def command(self, line):
        words = line.split()
        if not words:
            return True
        with self.lock:
            if words[0] == "announce":
                prefix, path_id, nh = words[1], int(words[2]), words[3]
                med = int(words[4]) if len(words) > 4 else None
                self.routes[(prefix, path_id)] = (nh, med)
                self.send(self.update(prefix, path_id, nh, med))
            elif words[0] == "withdraw":
                prefix, path_id = words[1], int(words[2])
                if self.routes.pop((prefix, path_id), None) is not None:
                    self.send(self.withdraw(prefix, path_id))
            elif words[0] == "flap":
                self.send(msg(MSG_NOTIFY, b"\x06\x04"))
                self.drop()
            elif words[0] == "restart":
                for i in range(1, len(words) - 1, 2):
                    self.routes.pop((words[i], int(words[i + 1])), None)
                self.drop()  # a FIN, no NOTIFICATION: the helper keeps the routes
            elif words[0] == "hold":
                self.held = True
                self.send(msg(MSG_NOTIFY, b"\x06\x02"))  # Cease / Administrative Shutdown
                self.drop()
            elif words[0] == "release":
                self.held = False
            elif words[0] == "quit":
                self.quit = True
                self.drop()
                return False
        return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--as", dest="asn", type=int, required=True)
    ap.add_argument("--router-id")
    ap.add_argument("--password")
    ap.add_argument("--addpath", action="store_true")
    ap.add_argument("--labeled", action="store_true")
    ap.add_argument("--gr", action="store_true")
    sp = Speaker(ap.parse_args())
    threading.Thread(target=sp.run, daemon=True).start()
    for line in sys.stdin:
        more = sp.command(line)
        print("ok", "up" if sp.up.is_set() else "down", flush=True)
        if not more:
            break


if __name__ == "__main__":
    main()
