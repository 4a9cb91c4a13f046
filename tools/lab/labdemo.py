# SPDX-License-Identifier: GPL-2.0-or-later
"""
vappliance lab demo: what the users behind the appliances see while the
route servers are serviced and fail and while an appliance moves.

src (the users, 10.0.5.10 behind f1) sends 250 sequence-numbered UDP
datagrams per second to a service address of each dual-homed appliance
(tools/vapp_stream.py; the appliance echoes them), and for each event
the lost datagrams and the longest gap are printed:

  drain    rs1: vappliance anycast all shutdown grace 4 (and the undrain)
  cut      rs1's fabric link goes down, no NOTIFICATION (and comes back)
  move     a1 is re-addressed into 10.0.4.0/24 (and moved back)

Timings come from the daemons' own log timestamps where they log the
step, from polling (50 ms) where they do not.
"""
import json
import os
import re
import time

from lab import ANY_A, APPLIANCES, established_on, log_find, log_size, ms, wait_on

STREAM = "vapp_stream.py"  # copied next to this file by tools/lab.sh
PORT = 7070
# dual-homed appliance -> (node, service address inside its prefix)
SERVICES = {"10.0.3.11": ("a1", "192.0.2.9"), "10.0.3.12": ("b1", "192.0.2.17"),
            "10.0.3.71": ("g1", "198.18.71.1")}
A1_PREFIX = "192.0.2.8/29"


def up_line(addr):
    return r"ADJCHANGE: neighbor %s\(.*\) in vrf default Up" % re.escape(addr)


def stream_path(lab):
    return os.path.join(lab.rundir, "..", STREAM)


def start_services(lab):
    """Each appliance's service address on its lo, and its echo."""
    started = False
    for node, svc in SERVICES.values():
        lab.run(node, ["ip", "addr", "replace", svc + "/32", "dev", "lo"])
        if not lab.run(node, ["pgrep", "-f", STREAM + " echo"]).strip():
            lab.spawn(node, ["/usr/bin/python3", stream_path(lab), "echo", "--port", str(PORT)])
            started = True
    if started:
        time.sleep(1)  # the echoes bind their sockets


class Stream:
    """The users' stream for one event."""

    def __init__(self, lab, event):
        self.lab = lab
        self.out = os.path.join(lab.rundir, "..", "stream-%s.json" % event)
        if os.path.exists(self.out):
            os.unlink(self.out)
        targets = ",".join(svc for _, svc in SERVICES.values())
        self.proc = lab.spawn("src", ["/usr/bin/python3", stream_path(lab), "send", "--target",
                                      targets, "--port", str(PORT), "--rate", "250",
                                      "--duration", "600", "--out", self.out])
        time.sleep(0.5)

    def stop(self):
        self.lab.run("src", ["pkill", "-TERM", "-f", STREAM + " send"])
        self.proc.wait(timeout=15)
        with open(self.out) as f:
            res = json.load(f)["targets"]
        for addr, (node, svc) in SERVICES.items():
            r = res[svc]
            gap = "%.0f ms" % r["longestGapMs"] if r["lost"] else "-"
            print("    users -> %s %-12s %-11s lost %4d of %5d, longest gap %s"
                  % (node, "(%s)" % APPLIANCES[addr][1], svc, r["lost"], r["sent"], gap))
        return res


def poll_until(fn, timeout, step=0.05):
    """Seconds until fn() is true, or None."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if fn():
            return time.time() - t0
        time.sleep(step)
    return None


def fabric_paths(lab, prefix):
    """f1's paths to prefix: [(route server address, best, local-pref, communities)]."""
    out = lab.json("f1", "show bgp ipv4 unicast %s json" % prefix)
    return [(p.get("peer", {}).get("peerId"), bool(p.get("bestpath", {}).get("overall")),
             p.get("locPrf"), p.get("community", {}).get("string", ""))
            for p in out.get("paths", [])]


def drain(lab):
    print("== drain: maintenance of rs1, every anycast address " + "=" * 28)
    log = lab.log("rs1")
    off = log_size(log)
    msg = "lab maintenance of rs1"
    cmd = "vappliance anycast all shutdown grace 4 message %s" % msg
    print("  rs1: %s" % cmd)
    s = Stream(lab, "drain")
    t0 = time.time()
    lab.configure("rs1", "router bgp 65000", cmd)
    moved = poll_until(lambda: [p[0] for p in fabric_paths(lab, A1_PREFIX) if p[1]] ==
                       ["10.0.2.2"], 4)
    rs1_copy = [p for p in fabric_paths(lab, A1_PREFIX) if p[0] == "10.0.1.2"]
    if rs1_copy:
        print("  f1 moved to rs2's copies %s after the command; rs1's copy of %s: "
              "local-pref %s, community %s" % (ms(0, moved), A1_PREFIX, rs1_copy[0][2],
                                                rs1_copy[0][3] or "-"))
    t_cease = log_find(log, off,
                       r"vappliance: anycast %s drained" % re.escape(ANY_A), 15)
    print("  rs1: grace over, Cease/Administrative Shutdown \"%s\" sent %s after the "
          "command, then its addresses left lo" % (msg, ms(t0, t_cease)))
    poll_until(lambda: not (set(SERVICES) & established_on(lab, "rs1")), 10)
    time.sleep(2)  # their A sessions reach rs2 and are refused (B held)
    s.stop()

    print("  rs1: no vappliance anycast all shutdown")
    s = Stream(lab, "undrain")
    t0 = time.time()
    lab.configure("rs1", "router bgp 65000", "no vappliance anycast all shutdown")
    ok = wait_on(lab, "rs1", SERVICES, 60)
    t_back = time.time()
    time.sleep(1)
    print("  rs1 holds a1, b1 and g1 again %s after the undrain (restore-delay 5 s, then "
          "their reconnects)%s" % (ms(t0, t_back), "" if ok else " -- NOT within 60 s"))
    s.stop()


def refused_count(lab):
    apps = lab.json("rs2", "show bgp vappliance appliances json").get("appliances", {})
    return {a: apps.get(a, {}).get("secondSessionsRefused", 0) for a in SERVICES}


def link_cut(lab):
    print()
    print("== failover: rs1's fabric link is cut (no NOTIFICATION) " + "=" * 24)
    log = lab.log("f1")
    off = log_size(log)
    print("  rs1: ip link set eth0 down")
    before = refused_count(lab)
    s = Stream(lab, "link-cut")
    t0 = time.time()
    lab.run("rs1", ["ip", "link", "set", "eth0", "down"])
    t_ospf = poll_until(lambda: via(lab, "10.255.0.1/32") == ["10.0.2.2"], 10)
    t_bgp = log_find(log, off,
                     r"NOTIFICATION.*sent to neighbor 10\.0\.1\.2 6/10 \(Cease/BFD Down\)", 5)
    print("  f1: BFD (100 ms x 3) took its session to rs1 down %s after the cut; "
          "anycast A led to rs2 after %s" % (ms(t0, t_bgp), ms(0, t_ospf)))

    def refused():
        now = refused_count(lab)
        return all(now[a] > before[a] for a in SERVICES)

    t_ref = poll_until(refused, 30, step=0.2)
    print("  rs2 refused the appliances' A sessions (alreadyPeered: their B sessions are "
          "there) %s after the cut" % ms(0, t_ref))
    time.sleep(1)
    s.stop()

    print("  rs1: ip link set eth0 up")
    s = Stream(lab, "link-back")
    t0 = time.time()
    lab.run("rs1", ["ip", "link", "set", "eth0", "up"])
    ok = wait_on(lab, "rs1", SERVICES, 60)
    print("  rs1 holds a1, b1 and g1 again %s after the link came back%s"
          % (ms(t0, time.time()), "" if ok else " -- NOT within 60 s"))
    time.sleep(1)
    s.stop()


def via(lab, prefix):
    r = lab.json("f1", "show ip route %s json" % prefix).get(prefix, [{}])[0]
    # (a path from each route server: the same next hop twice)
    return sorted({n.get("ip") for n in r.get("nexthops", []) if n.get("active")})


def move_a1(lab, old_if, new_if, old_ip, new_ip):
    print("  a1: %s %s -> %s %s (same AS, same identifier; the old address just vanishes)"
          % (old_if, old_ip, new_if, new_ip))
    logs = {n: lab.log(n) for n in ("rs1", "rs2")}
    off = {n: log_size(p) for n, p in logs.items()}
    s = Stream(lab, "move-to-%s" % new_ip)
    t0 = time.time()
    lab.run("a1", ["ip", "addr", "flush", "dev", old_if])
    lab.run("a1", ["ip", "link", "set", old_if, "down"])
    lab.run("a1", ["ip", "link", "set", new_if, "up"])
    lab.run("a1", ["ip", "addr", "add", new_ip + "/24", "dev", new_if])
    lab.configure("a1", "router bgp 65001", "neighbor RS update-source %s" % new_ip)
    back = poll_until(lambda: via(lab, A1_PREFIX) == [new_ip], 30)
    time.sleep(1.5)
    for rs in ("rs1", "rs2"):
        t_up = log_find(logs[rs], off[rs], up_line(new_ip))
        t_took = log_find(logs[rs], off[rs], r"moved from %s to %s" % (re.escape(old_ip),
                                                                        re.escape(new_ip)))
        t_hold = log_find(logs[rs], off[rs], r"sent to neighbor %s 4/0" % re.escape(old_ip))
        how = ("took over from the old one %s later (its End-of-RIB), closing it \"moved to "
               "%s\"" % (ms(t_up, t_took), new_ip) if t_took else
               "found the old one gone by its hold time" if t_hold else "logged no takeover")
        print("  %s: new session Established %s after the move; it %s" % (rs, ms(t0, t_up), how))
    print("  f1 forwards to %s %s after the move" % (new_ip, ms(0, back)))
    s.stop()


def move(lab):
    print()
    print("== move: a1's VM lands in another subnet (pool web, mobility takeover) " + "=" * 9)
    move_a1(lab, "eth0", "eth1", "10.0.3.11", "10.0.4.11")
    move_a1(lab, "eth1", "eth0", "10.0.4.11", "10.0.3.11")


def demo(lab):
    start_services(lab)
    print("== steady state " + "=" * 64)
    s = Stream(lab, "steady")
    time.sleep(2)
    s.stop()
    print()
    drain(lab)
    link_cut(lab)
    move(lab)
