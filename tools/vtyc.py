#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Talks to one FRR daemon's vty unix socket directly (the vtysh wire
protocol: a NUL-terminated command; the reply ends in three NULs and a
status byte). Used by tests and benchmarks to reach bgpd without vtysh.

usage: vtyc.py SOCKET [-e] CMD...   (-e: enter enable mode first)
"""
import socket
import sys


class Vty:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\0")
        while True:
            i = self.buf.find(b"\0\0\0")
            if i >= 0 and len(self.buf) >= i + 4:
                out, status = self.buf[:i], self.buf[i + 3]
                self.buf = self.buf[i + 4:]
                return status, out.decode(errors="replace")
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("vty closed")
            self.buf += chunk


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    vty = Vty(argv[1])
    cmds = argv[2:]
    if cmds and cmds[0] == "-e":
        cmds = ["enable"] + cmds[1:]
    rc = 0
    for c in cmds:
        status, out = vty.cmd(c)
        sys.stdout.write(out)
        if status not in (0,):
            rc = status
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
