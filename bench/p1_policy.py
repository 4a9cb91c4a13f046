#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
P1: what the appliance prefix policy costs a route server that ingests
100,000 routes from one appliance, next to no policy and to FRR's nearest
native route-map.

Topology (namespaces made here, removed by `teardown`):
  vb-p1a   appliance A: mgmtd, zebra, sharpd, bgpd (AS 65001), 192.0.2.1/24;
           sharpd installs the routes (next hop on a LAN veth pair inside
           vb-p1a) and bgpd redistributes them
  vb-p1rs  route server: mgmtd + zebra for the whole session (bgpd's next-hop
           tracking wants a zebra), `bgpd -M vappliance` started fresh for
           every run, 192.0.2.2/24, `bgp no-rib`

A is a dynamic neighbor of peer-group APPL (listen range 192.0.2.0/24) in
every variant, so the variants differ only in the inbound policy:
  a   no inbound policy
  b   native route-map RM: deny BAD (20 bogon entries) / permit PL (the
      pool's ranges and bounds as a prefix-list) + next-hop match
  c   pool P1 on APPL (the same ranges and bounds, next-hop peer-address)
      and route-map VAPP-IN: deny `match vappliance invalid` / permit
      `match vappliance valid`
Each also as X-nocpu with `no service cputime-stats`. In a and b the
peer-group has no pool (a pool would refuse A: its policy would not be
enforced), so the module is loaded but does not govern A.

One run (see README.md): shut A's session, start RS bgpd, wait 7 s (the
route-map delay timer fires with an empty table), read RS CPU, unshut A,
poll RS over its vty socket until the session is Established, the input
queue is empty, End-of-RIB is received and bgpd's process queue is empty;
read RS CPU again; check 100,000 accepted; stop RS bgpd.

usage: p1_policy.py all [--rounds N] [--variants a,b,c,...] [--routes N] [--out FILE]
       p1_policy.py setup | teardown | run ... | report FILE... | profile VARIANT
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

NS_A, NS_RS = "vb-p1a", "vb-p1rs"
IP_A, IP_RS = "192.0.2.1", "192.0.2.2"
LAN_A, LAN_NH = "198.51.100.1", "198.51.100.10"
ROUTE_BASE = "10.0.0.0"
VARIANTS = ["a", "b", "c", "a-nocpu", "b-nocpu", "c-nocpu"]
ROUTEMAP_WAIT = 7.0

# the pool's ranges and bounds; PL below is the same set as a prefix-list
POOL_PREFIXES = [
    "10.0.0.0/16 le 24",
    "10.1.0.0/16 le 24",
    "10.2.0.0/16 le 24",
    "10.3.0.0/16 le 24",
    "198.18.0.0/15 le 24",
    "10.0.0.0/8 ge 25",
    "10.128.0.0/9 le 24",
    "10.64.0.0/10 le 24",
]
BOGONS = [
    "0.0.0.0/8 le 32", "127.0.0.0/8 le 32", "169.254.0.0/16 le 32", "172.16.0.0/12 le 32",
    "192.168.0.0/16 le 32", "100.64.0.0/10 le 32", "192.0.0.0/24 le 32", "192.0.2.0/24 le 32",
    "198.18.0.0/15 le 32", "198.51.100.0/24 le 32", "203.0.113.0/24 le 32", "224.0.0.0/4 le 32",
    "240.0.0.0/4 le 32", "0.0.0.0/0 le 7", "0.0.0.0/0 ge 25 le 28", "10.0.0.0/8 le 8",
    "10.0.0.0/16 ge 17 le 24", "10.1.0.0/16 ge 17 le 24", "10.255.0.0/16 le 32", "11.0.0.0/8 le 32",
]

A_BGPD = """frr defaults traditional
hostname vb-p1a
router bgp 65001
 bgp router-id {ip_a}
 no bgp ebgp-requires-policy
 coalesce-time 0
 neighbor {ip_rs} remote-as 65000
 neighbor {ip_rs} timers connect 1
 neighbor {ip_rs} shutdown
 address-family ipv4 unicast
  redistribute sharp
 exit-address-family
exit
"""


def rs_config(variant):
    base = variant.split("-")[0]
    lines = ["frr defaults traditional", "hostname vb-p1rs"]
    if variant.endswith("-nocpu"):
        lines.append("no service cputime-stats")
    lines += ["bgp no-rib", "!"]
    for i, b in enumerate(BOGONS):
        lines.append("ip prefix-list BAD seq %d permit %s" % (5 * (i + 1), b))
    for i, p in enumerate(POOL_PREFIXES):
        lines.append("ip prefix-list PL seq %d permit %s" % (5 * (i + 1), p))
    lines += [
        "!",
        "route-map RM deny 5",
        " match ip address prefix-list BAD",
        "exit",
        "route-map RM permit 10",
        " match ip address prefix-list PL",
        " match ip next-hop address %s" % IP_A,
        "exit",
        "route-map VAPP-IN deny 1",
        " match vappliance invalid",
        "exit",
        "route-map VAPP-IN permit 100",
        " match vappliance valid",
        "exit",
        "!",
        "router bgp 65000",
        " bgp router-id %s" % IP_RS,
        " no bgp ebgp-requires-policy",
        " neighbor APPL peer-group",
        " neighbor APPL remote-as external",
        " neighbor APPL solo",
        " neighbor APPL soft-reconfiguration inbound",
        " bgp listen range 192.0.2.0/24 peer-group APPL",
    ]
    if base == "c":
        lines += [
            " vappliance pool P1 peer-group APPL",
            " vappliance pool P1 source 192.0.2.0/24",
            " no vappliance pool P1 require-password",
        ]
        lines += [" vappliance pool P1 prefix %s" % p for p in POOL_PREFIXES]
    lines += [" address-family ipv4 unicast", "  neighbor APPL route-server-client"]
    if base == "b":
        lines.append("  neighbor APPL route-map RM in")
    elif base == "c":
        lines.append("  neighbor APPL route-map VAPP-IN in")
    lines += [" exit-address-family", "exit", ""]
    return "\n".join(lines)


def setup(routes):
    teardown(quiet=True)
    for ns in (NS_A, NS_RS):
        bl.netns_add(ns)
    bl.sh("ip link add vb-p1va netns %s type veth peer name vb-p1vr netns %s" % (NS_A, NS_RS))
    bl.sh("ip -n %s addr add %s/24 dev vb-p1va" % (NS_A, IP_A))
    bl.sh("ip -n %s addr add %s/24 dev vb-p1vr" % (NS_RS, IP_RS))
    bl.sh("ip -n %s link add vb-p1l0 type veth peer name vb-p1l1" % NS_A)
    bl.sh("ip -n %s addr add %s/24 dev vb-p1l0" % (NS_A, LAN_A))
    for ns, dev in ((NS_A, "vb-p1va"), (NS_RS, "vb-p1vr"), (NS_A, "vb-p1l0"), (NS_A, "vb-p1l1")):
        bl.sh("ip -n %s link set %s up" % (ns, dev))
    wd = bl.workdir("p1")
    conf = os.path.join(wd, "a-bgpd.conf")
    with open(conf, "w") as f:
        f.write(A_BGPD.format(ip_a=IP_A, ip_rs=IP_RS))
    empty = os.path.join(wd, "empty.conf")
    open(empty, "w").close()
    for ns in (NS_A, NS_RS):
        bl.start_daemon(ns, "mgmtd", logdir=bl.workdir("p1", ns))
        bl.start_daemon(ns, "zebra", conf=empty, logdir=bl.workdir("p1", ns))
    bl.start_daemon(NS_A, "sharpd", conf=empty, logdir=bl.workdir("p1", NS_A))
    bl.start_daemon(NS_A, "bgpd", conf=conf, logdir=bl.workdir("p1", NS_A))
    sharp = bl.vty(NS_A, "sharpd")
    out = sharp.out("sharp install routes %s nexthop %s %d" % (ROUTE_BASE, LAN_NH, routes))
    sharp.close()
    a = bl.vty(NS_A, "bgpd")

    def a_has_all():
        return summary(a).get("tableVersion", 0) >= routes

    ok = bl.wait_for(a_has_all, 120, 0.5)
    a.close()
    if not ok:
        raise RuntimeError("A did not get %d routes into BGP (%s)" % (routes, out))


def teardown(quiet=False):
    for ns in (NS_RS, NS_A):
        bl.cleanup_ns(ns)


def summary(v):
    """`show bgp ipv4 unicast summary json` (one AFI: the fields are at the top)."""
    return v.json("show bgp ipv4 unicast summary json")


def a_session(shutdown):
    a = bl.vty(NS_A, "bgpd")
    errs = a.config("router bgp 65001",
                    ("" if shutdown else "no ") + "neighbor %s shutdown" % IP_RS)
    a.close()
    if errs:
        raise RuntimeError(errs)


def start_rs(variant, prefix="", extra="", foreground=False):
    wd = bl.workdir("p1", NS_RS)
    conf = os.path.join(wd, "bgpd.conf")
    with open(conf, "w") as f:
        f.write(rs_config(variant))
    log = os.path.join(wd, "bgpd.log")
    if os.path.exists(log):
        os.unlink(log)
    return bl.start_daemon(NS_RS, "bgpd", conf=conf, extra="-M vappliance " + extra,
                           logdir=wd, prefix=prefix, foreground=foreground)


def queue_items(out, name="process_queue"):
    for line in out.splitlines():
        if name in line:
            f = line.split()
            return int(f[1] if f[0] == "P" else f[0])
    return None


def run_one(variant, routes, trace=False):
    """One measured ingest; returns a result dict."""
    a_session(True)
    load = bl.loadavg()
    calib = bl.calibrate()
    pid = start_rs(variant)
    rs = bl.vty(NS_RS, "bgpd")
    time.sleep(ROUTEMAP_WAIT)
    cpu0 = bl.proc_cpu(pid)
    ut0, st0 = bl.proc_cpu_split(pid)
    apid = bl.read_pid(NS_A, "bgpd")
    acpu0 = bl.proc_cpu(apid)
    t0 = time.monotonic()
    a_session(False)
    t_est = t_first = t_done = None
    msg_est = None
    polls = 0
    eor_checked_at = None
    tr = []
    deadline = t0 + 300
    while time.monotonic() < deadline:
        ts = time.monotonic()
        peer = summary(rs).get("peers", {}).get(IP_A)
        polls += 1
        if trace:
            tr.append((round(ts - t0, 4), peer))
        if not peer or peer.get("state") != "Established":
            time.sleep(0.02)
            continue
        if t_est is None:
            t_est = ts
            msg_est = peer.get("msgRcvd", 0)
        if t_first is None:
            if peer.get("inq", 0) > 0 or peer.get("msgRcvd", 0) > msg_est or \
                    peer.get("pfxRcd", 0) > 0:
                t_first = ts
            else:
                time.sleep(0.002)
                continue
        if peer.get("inq", 0) == 0 and peer.get("msgRcvd") != eor_checked_at:
            gr = rs.json("show bgp ipv4 neighbors %s graceful-restart json" % IP_A)
            eor = gr.get(IP_A, {}).get("gracefulRestartInfo", gr.get(IP_A, {})) \
                .get("ipv4Unicast", {}).get("endOfRibStatus", {}).get("endOfRibRecv")
            polls += 1
            if eor:
                wq = rs.out("show work-queues")
                polls += 1
                if queue_items(wq) == 0:
                    t_done = time.monotonic()
                    break
            else:
                eor_checked_at = peer.get("msgRcvd")
        time.sleep(0.005)
    cpu1 = bl.proc_cpu(pid)
    ut1, st1 = bl.proc_cpu_split(pid)
    acpu1 = bl.proc_cpu(apid)
    summ = summary(rs).get("peers", {}).get(IP_A, {})
    res = {
        "variant": variant,
        "routes": routes,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "load": load,
        "calib": calib,
        "done": t_done is not None,
        "cpu": round(cpu1 - cpu0, 3),
        "utime": round(ut1 - ut0, 3),
        "stime": round(st1 - st0, 3),
        "aCpu": round(acpu1 - acpu0, 3),
        "wallFirst": round(t_done - t_first, 4) if t_done and t_first else None,
        "wallEst": round(t_done - t_est, 4) if t_done and t_est else None,
        "estAfter": round(t_est - t0, 3) if t_est else None,
        "pfxRcd": summ.get("pfxRcd"),
        "msgRcvd": summ.get("msgRcvd"),
        "polls": polls,
        "vmHwmKiB": bl.proc_status(pid, "VmHWM"),
    }
    if variant.startswith("c"):
        apps = rs.json("show bgp vappliance appliances json").get("appliances", {})
        res["vappAccepted"] = apps.get(IP_A, {}).get("routes", apps.get(IP_A, {}))
    time.sleep(1.0)
    res["cpuAfter1s"] = round(bl.proc_cpu(pid) - cpu1, 3)
    if t_done is not None:
        res.update(soft_in(rs, pid, res["cpuAfter1s"]))
    if trace:
        res["trace"] = tr
    rs.close()
    bl.stop_daemon(NS_RS, "bgpd")
    time.sleep(1.0)
    return res


def soft_in(rs, pid, idle_per_s):
    """
    `clear bgp ipv4 unicast * soft in` of every route from the Adj-RIB-In
    (APPL keeps one): bgpd runs each route through the inbound policy
    again in its soft-reconfiguration task. Done when bgpd's CPU stops
    rising (two 0.3 s samples below twice the idle rate); the idle rate is
    subtracted.
    """
    cpu0, t0 = bl.proc_cpu(pid), time.monotonic()
    rs.out("clear bgp ipv4 unicast * soft in")
    last, quiet = cpu0, 0
    while quiet < 2 and time.monotonic() - t0 < 120:
        time.sleep(0.3)
        now = bl.proc_cpu(pid)
        quiet = quiet + 1 if now - last < max(2 * idle_per_s * 0.3, 0.004) else 0
        last = now
    wall = time.monotonic() - t0 - 0.6
    pfx = summary(rs).get("peers", {}).get(IP_A, {}).get("pfxRcd")
    return {"softInCpu": round(last - cpu0 - idle_per_s * (wall + 0.6), 3),
            "softInWall": round(wall, 3), "softInPfx": pfx}


def bench(variants, rounds, routes, out):
    print("P1: %d rounds x %s, %d routes -> %s" % (rounds, ",".join(variants), routes, out),
          flush=True)
    for r in range(rounds):
        # rotate the order every round so no variant always runs first
        order = variants[r % len(variants):] + variants[:r % len(variants)]
        for v in order:
            res = run_one(v, routes)
            res["round"] = r
            bl.append_jsonl(out, res)
            print("  round %d %-8s cpu %.3f s  wall %s s  pfx %s  load %s" % (
                r, v, res["cpu"], res["wallFirst"], res["pfxRcd"], res["load"][0]), flush=True)


def report(files, out=None):
    rows = []
    for f in files:
        rows += bl.read_jsonl(f)
    ok = [r for r in rows if r.get("done") and r.get("pfxRcd") == r.get("routes")]
    bad = len(rows) - len(ok)
    by = {}
    for r in ok:
        by.setdefault(r["variant"], []).append(r)
    res = {"runs": len(rows), "invalid": bad, "variants": {}}
    for v, rs in sorted(by.items()):
        res["variants"][v] = {
            "cpu": bl.stats([r["cpu"] for r in rs]),
            "utime": bl.stats([r["utime"] for r in rs]),
            "stime": bl.stats([r["stime"] for r in rs]),
            "wallFirst": bl.stats([r["wallFirst"] for r in rs]),
            "wallEst": bl.stats([r["wallEst"] for r in rs]),
            "load1": bl.stats([r["load"][0] for r in rs]),
            "calib": bl.stats([r["calib"] for r in rs]),
            "vmHwmKiB": bl.stats([r["vmHwmKiB"] for r in rs]),
            "cpuAfter1s": bl.stats([r["cpuAfter1s"] for r in rs]),
            "softInCpu": bl.stats([r["softInCpu"] for r in rs if "softInCpu" in r]),
            "softInWall": bl.stats([r["softInWall"] for r in rs if "softInWall" in r]),
        }
    V = res["variants"]

    def ratio(x, y, key):
        if x in V and y in V and V[y][key].get("median"):
            return round(V[x][key]["median"] / V[y][key]["median"], 3)
        return None

    res["ratios"] = {}
    for sfx in ("", "-nocpu"):
        for key in ("cpu", "wallFirst"):
            res["ratios"]["c/b%s %s" % (sfx, key)] = ratio("c" + sfx, "b" + sfx, key)
            res["ratios"]["c/a%s %s" % (sfx, key)] = ratio("c" + sfx, "a" + sfx, key)
            res["ratios"]["b/a%s %s" % (sfx, key)] = ratio("b" + sfx, "a" + sfx, key)
        res["ratios"]["c/b%s softInCpu" % sfx] = ratio("c" + sfx, "b" + sfx, "softInCpu")
    # per-route cost of the policy above no policy, CPU median difference
    for sfx in ("", "-nocpu"):
        for x in ("b", "c"):
            if x + sfx in V and "a" + sfx in V:
                n = ok[0]["routes"]
                d = V[x + sfx]["cpu"]["median"] - V["a" + sfx]["cpu"]["median"]
                res["ratios"]["%s%s-a%s us/route" % (x, sfx, sfx)] = round(d / n * 1e6, 3)
    text = json.dumps(res, indent=1, sort_keys=True)
    if out:
        with open(out, "w") as f:
            f.write(text + "\n")
    print(text)
    print()
    print("| variant | RS bgpd CPU s median (min–max) | wall s first UPDATE→done | "
          "utime / stime med | load1 med | runs |")
    print("|---|---|---|---|---|---|")
    for v in VARIANTS:
        if v not in V:
            continue
        s = V[v]
        print("| %s | %s | %s | %.2f / %.2f | %.2f | %d |" % (
            v, bl.fmt_stat(s["cpu"], 2), bl.fmt_stat(s["wallFirst"], 3),
            s["utime"]["median"], s["stime"]["median"], s["load1"]["median"], s["cpu"]["n"]))
    return res


def profile(variant, routes, tool, outdir):
    """One ingest with RS bgpd under callgrind (or perf record)."""
    a_session(True)
    if tool == "callgrind":
        # Only the ingest is counted: UPDATE processing (inbound policy
        # included) and the best-path queue. No vgdb: bgpd drops privileges
        # after valgrind made its control FIFOs, so the counts are written
        # when bgpd exits (slow under valgrind with 100k routes).
        cg = os.path.join(outdir, "callgrind.%s.%%p.out" % variant)
        prefix = ("valgrind --tool=callgrind --vgdb=no --callgrind-out-file=%s "
                  "--collect-atstart=no --toggle-collect=bgp_process_packet "
                  "--toggle-collect=meta_queue_process " % cg)
        pid = start_rs(variant, prefix=prefix)
        wait = 40
    else:
        pid = start_rs(variant)
        wait = ROUTEMAP_WAIT
    rs = bl.vty(NS_RS, "bgpd")
    time.sleep(wait)
    perf = None
    if tool == "perf":
        data = os.path.join(outdir, "perf.%s.data" % variant)
        perf = bl.subprocess.Popen(["perf", "record", "-q", "-g", "-e", "cpu-clock", "-F",
                                    "4999", "-p", str(pid), "-o", data],
                                   stdout=bl.subprocess.DEVNULL, stderr=bl.subprocess.DEVNULL)
        time.sleep(0.5)
    cpu0 = bl.proc_cpu(pid)
    a_session(False)

    def done():
        p = summary(rs).get("peers", {}).get(IP_A, {})
        if p.get("pfxRcd", 0) < routes or p.get("inq", 1):
            return False
        return queue_items(rs.out("show work-queues")) == 0

    ok = bl.wait_for(lambda: done() or not bl.read_pid(NS_RS, "bgpd"), 900, 0.5)
    cpu = bl.proc_cpu(pid) - cpu0
    if perf:
        perf.send_signal(bl.signal.SIGINT)
        perf.wait()
    rs.close()
    bl.stop_daemon(NS_RS, "bgpd", timeout=1200)
    print("profile %s %s: done=%s cpu %.2f s" % (variant, tool, ok, cpu), flush=True)
    if perf and ok:
        perf_match_cost(data, cpu, routes)
    return ok


# the route-map match functions of each variant (inclusive samples)
MATCH_FUNCS = ["vapp_rmap_match", "route_match_ip_address_prefix_list", "prefix_list_apply_ext",
               "route_match_ipv4_next_hop",
               "route_match_ip_next_hop", "route_map_apply_ext", "bgp_input_modifier"]


def perf_match_cost(data, cpu, routes):
    """
    Per-route cost of each match function: its inclusive share of the
    samples of the measured ingest times the CPU seconds it took, divided
    by the routes. An estimate (sampling at 4999 Hz), good to a few tenths
    of a microsecond at 100,000 routes.
    """
    out = bl.sh("perf report -i %s --children --sort symbol -g none --stdio 2>/dev/null" % data,
                check=False)
    for line in out.splitlines():
        f = line.split()
        # "  6.26%  0.43%  [.] vapp_rmap_match  -  -": children, self, symbol
        if len(f) >= 4 and f[0].endswith("%") and f[2] == "[.]" and f[3] in MATCH_FUNCS:
            share = float(f[0].rstrip("%")) / 100
            print("  %-36s %6.2f%% of samples  ~%.3f us/route" % (
                f[3], share * 100, share * cpu / routes * 1e6), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("all", "setup", "teardown", "run", "report", "profile"))
    ap.add_argument("args", nargs="*")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--routes", type=int, default=100000)
    ap.add_argument("--out", default=None)
    ap.add_argument("--tool", default="callgrind", choices=("callgrind", "perf"))
    args = ap.parse_args()
    if os.getuid() != 0:
        sys.exit("run as root")
    variants = args.variants.split(",")
    out = args.out or os.path.join(bl.workdir("p1"), "p1-%s.jsonl" % time.strftime("%Y%m%d-%H%M%S"))
    if args.cmd == "setup":
        setup(args.routes)
    elif args.cmd == "teardown":
        teardown()
    elif args.cmd == "run":
        bench(variants, args.rounds, args.routes, out)
    elif args.cmd == "report":
        report(args.args, args.out)
    elif args.cmd == "profile":
        outdir = bl.workdir("p1", "profile")
        try:
            setup(args.routes)
            for v in args.args or ["b", "c"]:
                profile(v, args.routes, args.tool, outdir)
        finally:
            teardown()
    elif args.cmd == "all":
        try:
            setup(args.routes)
            bench(variants, args.rounds, args.routes, out)
        finally:
            teardown()
        report([out], out.replace(".jsonl", ".summary.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
