#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
vappliance lab: the report and the demonstration (labdemo.py), run from
the host against the munet lab that tools/lab/labrun.py keeps up.

usage: lab.py RUNDIR report
       lab.py RUNDIR demo          drain, link cut and a move, with a packet
                                   stream running (labdemo.py)
       lab.py RUNDIR wait          until every appliance session is up

Commands reach a node by entering its namespaces with nsenter, as munet's
mucmd does (RUNDIR/NODE/nspid). Timings come from the daemons' own log
timestamps (FRR logs with microseconds here), not from polling.
"""
import datetime
import ipaddress
import json
import os
import re
import subprocess
import sys
import time

ROUTE_SERVERS = ("rs1", "rs2")
FABRIC = "f1"
ANY_A, ANY_B = "10.255.0.1/32", "10.255.0.2/32"
# appliance address -> (name, implementation, anycast addresses it peers with)
APPLIANCES = {
    "10.0.3.11": ("a1", "FRR", "A B"),
    "10.0.4.11": ("a1", "FRR, moved", "A B"),
    "10.0.3.12": ("b1", "BIRD 2", "A B"),
    "10.0.3.71": ("g1", "GoBGP", "A B"),
    "10.0.3.72": ("e1", "ExaBGP, hostile", "B"),
    "10.0.3.73": ("e1", "ExaBGP, hostile, AS 64666", "A"),
}
DUAL_HOMED = ("10.0.3.11", "10.0.3.12", "10.0.3.71")
LEGIT = ("10.0.3.11", "10.0.3.12", "10.0.3.71", "10.0.3.72")
# what e1 announces that must never reach the fabric: prefix -> why
HOSTILE = {
    "203.0.113.0/24": "outside its pool's ranges",
    "198.18.73.64/30": "too specific (pool lb takes /24../28)",
    "198.18.74.0/24": "next hop hijack (g1's address)",
    "10.255.0.1/32": "the anycast address A",
    "0.0.0.0/0": "a default route",
}
RS_OF_PEER = {"10.0.1.2": "rs1", "10.0.2.2": "rs2"}


class Lab:
    def __init__(self, rundir):
        self.rundir = rundir

    def enter(self, node):
        pid = open(os.path.join(self.rundir, node, "nspid")).read().strip()
        return ["/usr/bin/nsenter", "--mount=/proc/%s/ns/mnt" % pid,
                "--net=/proc/%s/ns/net" % pid, "--pid=/proc/%s/ns/pid_for_children" % pid,
                "--uts=/proc/%s/ns/uts" % pid, "--wd=%s" % os.path.join(self.rundir, node)]

    def run(self, node, argv, check=False):
        out = subprocess.run(self.enter(node) + argv, capture_output=True, text=True,
                             check=check)
        return out.stdout

    def spawn(self, node, argv):
        """argv in the background in node, outliving this process."""
        return subprocess.Popen(self.enter(node) + argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)

    def vtysh(self, node, *cmds):
        argv = ["vtysh"]
        for c in cmds:
            argv += ["-c", c]
        return self.run(node, argv)

    def json(self, node, cmd):
        try:
            return json.loads(self.vtysh(node, cmd))
        except ValueError:
            return {}

    def configure(self, node, *lines):
        return self.vtysh(node, "configure terminal", *lines)

    def log(self, node):
        return os.path.join(self.rundir, "..", node, "frr.log")


# ---- log timestamps ----------------------------------------------------------

_TS = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+) ")


def log_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def log_find(path, offset, pattern, timeout=0.0):
    """Timestamp (epoch s) of the first line after offset matching pattern."""
    rx = re.compile(pattern)
    deadline = time.time() + timeout
    while True:
        try:
            with open(path, errors="replace") as f:
                f.seek(offset)
                for line in f:
                    m = _TS.match(line)
                    if m and rx.search(line):
                        dt = datetime.datetime.strptime(m.group(1), "%Y/%m/%d %H:%M:%S.%f")
                        return dt.timestamp()
        except OSError:
            pass
        if time.time() >= deadline:
            return None
        time.sleep(0.1)


def ms(a, b):
    if a is None or b is None:
        return "n/a"
    d = (b - a) * 1000.0
    return "%.1f ms" % d if d < 1000 else "%.2f s" % (d / 1000.0)


# ---- report ------------------------------------------------------------------

def fmt_counts(d, skip=("accepted",)):
    items = ["%s %s" % (k, v) for k, v in sorted(d.items()) if v and k not in skip]
    return ", ".join(items) if items else "-"


def report(lab):
    print("vappliance lab: route servers rs1 and rs2 share the anycast pair "
          "A %s (preferred on rs1) and B %s (preferred on rs2);" % (ANY_A, ANY_B))
    print("fabric router f1 runs OSPF, IBGP and BFD with both; appliances a1 (FRR), "
          "b1 (BIRD) and g1 (GoBGP) peer with A and B, e1 (ExaBGP, hostile) with B "
          "(and from a second address with A).")
    for rs in ROUTE_SERVERS:
        print()
        print("== %s " % rs + "=" * 70)
        anycast = lab.json(rs, "show bgp vappliance anycast json").get("anycast", {})
        for pfx, a in sorted(anycast.items()):
            print("  anycast %-15s %-9s %s" % (pfx, a.get("state", "?"), a.get("reason", "")))
        pools = lab.json(rs, "show bgp vappliance pools json").get("pools", {})
        for name, p in sorted(pools.items()):
            print("  pool %-4s sessions %-2s admitted %-4s rejected: %s" % (
                name, p.get("sessions", 0), p.get("admitted", 0),
                fmt_counts(p.get("rejected", {}), skip=())))
        apps = lab.json(rs, "show bgp vappliance appliances json").get("appliances", {})
        if not apps:
            print("  no appliances")
        for addr, a in sorted(apps.items(), key=lambda kv: ipaddress.ip_address(kv[0])):
            name, impl, _ = APPLIANCES.get(addr, ("?", "?", "?"))
            state = a.get("state", "?")
            if a.get("reason") and a["reason"] != state:
                state += " (%s)" % a["reason"]
            elif a.get("established"):
                state += ", Established"
            line = "  %-10s %-3s %-27s AS %-6s %s" % (
                addr, name, "%s (%s)" % (a.get("pool", "-"), impl), a.get("remoteAs", "-"), state)
            if "prefixes" in a:
                line += "\n%-17saccepted %s, rejected: %s" % (
                    "", a["prefixes"].get("accepted", 0), fmt_counts(a["prefixes"]))
            print(line)
    print()
    print("== %s: appliance prefixes in the fabric " % FABRIC + "=" * 40)
    routes = lab.json(FABRIC, "show bgp ipv4 unicast json").get("routes", {})
    flood = []
    for pfx in sorted(routes, key=lambda p: ipaddress.ip_network(p)):
        vias = []
        for path in routes[pfx]:
            rs = RS_OF_PEER.get(path.get("peerId", ""), path.get("peerId", "?"))
            nh = (path.get("nexthops") or [{}])[0].get("ip", "?")
            who = APPLIANCES.get(nh, ("?",))[0]
            vias.append("%s%s (next hop %s %s)" % (rs, "*" if path.get("bestpath") else "", nh, who))
        if re.match(r"198\.18\.1\d\d\.0/24$", pfx):
            flood.append(pfx)
            continue
        print("  %-18s via %s" % (pfx, ", ".join(vias)))
    if flood:
        print("  %-18s %d of e1's flood of 100 (its pool's max-prefixes is 40)"
              % ("198.18.1xx.0/24", len(flood)))
    leaked = [p for p in HOSTILE if p in routes]
    hijack = [p for p, paths in routes.items()
              for path in paths if (path.get("nexthops") or [{}])[0].get("ip") == "10.0.3.72"
              and not p.startswith("198.18.")]
    if leaked or hijack:
        print("  !! hostile announcements in the fabric: %s" % ", ".join(leaked + hijack))
    else:
        print("  none of e1's hostile announcements reached the fabric:")
        for p, why in HOSTILE.items():
            print("    %-16s %s" % (p, why))
        print("    %-16s %s" % ("192.0.2.8/29", "another tenant's prefix (a1's), from e1"))


# ---- waiting ----------------------------------------------------------------

def established_on(lab, rs):
    apps = lab.json(rs, "show bgp vappliance appliances json").get("appliances", {})
    return {a for a, v in apps.items() if v.get("established")}


def wait_all(lab, timeout=90):
    want = {"rs1": set(DUAL_HOMED), "rs2": set(DUAL_HOMED) | {"10.0.3.72"}}
    deadline = time.time() + timeout
    while time.time() < deadline:
        if all(want[rs] <= established_on(lab, rs) for rs in ROUTE_SERVERS):
            return True
        time.sleep(1)
    return False


def wait_on(lab, rs, addrs, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if set(addrs) <= established_on(lab, rs):
            return True
        time.sleep(0.2)
    return False


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    lab = Lab(os.path.abspath(sys.argv[1]))
    what = sys.argv[2]
    if what == "report":
        report(lab)
    elif what == "wait":
        return 0 if wait_all(lab) else 1
    elif what == "demo":
        import labdemo  # it uses this file's helpers (as the module lab)
        labdemo.demo(lab)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
