#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
P2: a route server with 2,000 appliance sessions, and the same route
server under a flood of rejected connections.

Topology (namespaces made here, removed by `teardown`):
  vb-p2rs  route server: mgmtd + zebra for the whole session, `bgpd -M
           vappliance` started fresh for every run, 10.19.0.1/30 on veth
           vb-p2r, route 10.20.0.0/16 via the swarm (so the route server
           has one ARP neighbor, not thousands), `bgp no-rib`
  vb-p2sw  the appliances: tools/bgp_swarm.py, 10.19.0.2/30 on veth
           vb-p2s, the source addresses as /32s on lo:
             10.20.1.1 ...         session i: 10.20.1.1 + i (scale and
                                   legitimate sessions, AS 65100)
             10.20.200.1 ...       flood, deny-source 10.20.200.0/24
             10.20.201.1 ...       flood, wrong AS 64999 (remoteAs, then
                                   quarantined after 5 failures)

The route server follows doc/examples/route-server.conf: peer-group APPL
(remote-as external, ebgp-multihop 2, TCP-MD5 password, `timers K H`),
`bgp listen range 10.20.0.0/16`, `bgp listen limit`, pool P2 bound to APPL
(source 10.20.0.0/16, remote-as 65100, max-sessions, deny-source
10.20.200.0/24, quarantine defaults, prefix 100.64.0.0/10 ge 24 le 24,
max-prefixes 1), and route-map VAPP-IN (deny 1 match vappliance invalid,
permit 100 match vappliance valid) inbound with soft-reconfiguration. No
outbound policy, unlike the example (which sends appliances nothing): every
appliance is sent the others' routes, the heavier case. Each appliance announces one /24 of its own (100.64.0.0 + i).

scale  start RS bgpd, wait 7 s (route-map delay timer), read `show
       memory` (the vappliance MGROUP) and /proc; start the swarm (hold
       mode, --sessions sources, all at once, failed connects retried
       after 2 s); poll `show bgp vappliance pools json` over the vty socket
       until the pool has N sessions Established; wait until the N routes
       are accepted; read memory and /proc again; per appliance = (vappliance
       bytes with N - before) / N. With the N up, the metrics textfile is
       turned on (interval 1 s) and --metrics-rounds writes are timed
       (the module's lastDurationUsec), each next to bgpd's answer to
       `show bgp vrf all summary json` (the native scrape of
       prometheus-frr-exporter): the ratio per round. SIGTERM the swarm and read the memory
       once all sessions are gone (residual). Targets: all Established
       <= 60 s, <= 512 B per appliance.
flood  start RS bgpd (timers 3 9 by default); --legit sessions up (hold
       9 s, the swarm drops a silent route server itself); RS CPU over
       --baseline-seconds; then a second swarm makes --flood-rate rejected
       attempts per minute for --flood-seconds (OPEN+KEEPALIVE+UPDATE in
       one write); wait --tail seconds (default hold + 3). Reports hold
       timer expiries of legitimate sessions (RS log: NOTIFICATION 4/0 sent
       to or received from a legitimate address; the swarm: 4/0 received,
       route server silent past the hold time), legitimate sessions
       dropped, attempts made / rejected by the module (pool counters by
       reason), RS bgpd CPU seconds and % of one core during the flood.
       Target: no expiry, no drop.

Results: one JSON line per run in --out (default
/var/tmp/vappliance-bench/p2/p2-DATE.jsonl), a summary JSON next to it and
a table on stdout.

usage: p2_scale.py all [--sessions N] [--legit N] [--flood-rate N] [--flood-seconds S]
                       [--rounds R] [--out FILE] [--tests scale,flood]
       p2_scale.py setup [--sessions N] [--legit N] | teardown | report FILE...
"""
import argparse
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

NS_RS, NS_SW = "vb-p2rs", "vb-p2sw"
DEV_RS, DEV_SW = "vb-p2r", "vb-p2s"
IP_RS, IP_SW = "10.19.0.1", "10.19.0.2"
SRC_NET = "10.20.0.0/16"
SRC_FIRST = "10.20.1.1"
SRC_LAST_OK = "10.20.199.255"
DENY_NET, DENY_FIRST = "10.20.200.0/24", "10.20.200.1"
WRONG_FIRST = "10.20.201.1"
AS_RS, AS_APP, AS_WRONG = 65000, 65100, 64999
ROUTE_NET, ROUTE_BASE = "100.64.0.0/10", "100.64.0.0"
PASSWORD = "vb-p2-secret"
POOL = "P2"
ROUTEMAP_WAIT = 7.0
SWARM = os.environ.get("VAPP_SWARM", os.path.join(bl.TOP, "tools", "bgp_swarm.py"))
PYTHON = "/usr/bin/python3"
TARGET_EST_S = 60.0
TARGET_BYTES = 512


def addr(first, i):
    return str(ipaddress.ip_address(first) + i)


def src_range(first, n):
    return "%s-%s" % (first, addr(first, n - 1))


def flood_split(n):
    """Flood sources: the first half in the deny-source prefix, the rest wrong AS."""
    deny = max(1, n // 2)
    return deny, max(1, n - deny)


def rs_config(hold, listen_limit, max_sessions):
    lines = [
        "frr defaults traditional",
        "hostname %s" % NS_RS,
        "bgp no-rib",
        "!",
        "route-map VAPP-IN deny 1",
        " match vappliance invalid",
        "exit",
        "route-map VAPP-IN permit 100",
        " match vappliance valid",
        "exit",
        "!",
        "router bgp %d" % AS_RS,
        " bgp router-id %s" % IP_RS,
        " no bgp ebgp-requires-policy",
        " no bgp default ipv4-unicast",
        " bgp log-neighbor-changes",
        " neighbor APPL peer-group",
        " neighbor APPL remote-as external",
        " neighbor APPL ebgp-multihop 2",
        " neighbor APPL password %s" % PASSWORD,
        " neighbor APPL timers %d %d" % (max(1, hold // 3), hold),
        " bgp listen range %s peer-group APPL" % SRC_NET,
        " bgp listen limit %d" % listen_limit,
        " vappliance pool %s peer-group APPL" % POOL,
        " vappliance pool %s source %s" % (POOL, SRC_NET),
        " vappliance pool %s remote-as %d" % (POOL, AS_APP),
        " vappliance pool %s max-sessions %d" % (POOL, max_sessions),
        " vappliance pool %s deny-source %s" % (POOL, DENY_NET),
        " vappliance pool %s prefix %s ge 24 le 24" % (POOL, ROUTE_NET),
        " vappliance pool %s max-prefixes 1" % POOL,
        " address-family ipv4 unicast",
        "  neighbor APPL activate",
        "  neighbor APPL soft-reconfiguration inbound",
        "  neighbor APPL route-map VAPP-IN in",
        " exit-address-family",
        "exit",
        "",
    ]
    return "\n".join(lines)


def need_fds(args):
    return max(args.sessions, args.legit) + args.flood_parallel + 1024


def setup(args):
    teardown()
    last = ipaddress.ip_address(SRC_FIRST) + max(args.sessions, args.legit) - 1
    if last > ipaddress.ip_address(SRC_LAST_OK):
        raise SystemExit("at most %d sessions" % (int(ipaddress.ip_address(SRC_LAST_OK)) -
                                                  int(ipaddress.ip_address(SRC_FIRST)) + 1))
    deny, wrong = flood_split(args.flood_sources)
    if max(deny, wrong) > 254:
        raise SystemExit("at most 508 flood sources")
    for ns in (NS_RS, NS_SW):
        bl.netns_add(ns)
    bl.sh("ip link add %s netns %s type veth peer name %s netns %s" %
          (DEV_RS, NS_RS, DEV_SW, NS_SW))
    bl.sh("ip -n %s addr add %s/30 dev %s" % (NS_RS, IP_RS, DEV_RS))
    bl.sh("ip -n %s addr add %s/30 dev %s" % (NS_SW, IP_SW, DEV_SW))
    for ns, dev in ((NS_RS, DEV_RS), (NS_SW, DEV_SW)):
        bl.sh("ip -n %s link set %s up" % (ns, dev))
    bl.sh("ip -n %s route add %s via %s" % (NS_RS, SRC_NET, IP_SW))
    srcs = [addr(SRC_FIRST, i) for i in range(max(args.sessions, args.legit))]
    srcs += [addr(DENY_FIRST, i) for i in range(deny)]
    srcs += [addr(WRONG_FIRST, i) for i in range(wrong)]
    bl.ip_batch(NS_SW, ["address add %s/32 dev lo" % a for a in srcs])
    n = len(bl.sh("ip -n %s -4 -o addr show dev lo" % NS_SW).splitlines())
    if n < len(srcs):
        raise RuntimeError("%d of %d source addresses in %s" % (n, len(srcs), NS_SW))
    empty = os.path.join(bl.workdir("p2"), "empty.conf")
    open(empty, "w").close()
    bl.start_daemon(NS_RS, "mgmtd", logdir=bl.workdir("p2", NS_RS))
    bl.start_daemon(NS_RS, "zebra", conf=empty, logdir=bl.workdir("p2", NS_RS))


def teardown():
    for ns in (NS_SW, NS_RS):
        bl.cleanup_ns(ns)


def start_rs(args, hold, tag):
    """A fresh RS bgpd; its log is kept per run in WORK/p2/vb-p2rs/TAG/."""
    wd = bl.workdir("p2", NS_RS, tag)
    conf = os.path.join(wd, "bgpd.conf")
    listen_limit = max(5000, max(args.sessions, args.legit) + args.flood_parallel + 100)
    with open(conf, "w") as f:
        f.write(rs_config(hold, min(65535, listen_limit), 65535))
    log = os.path.join(wd, "bgpd.log")
    if os.path.exists(log):
        os.unlink(log)
    pid = bl.start_daemon(NS_RS, "bgpd", conf=conf, extra="-M vappliance", logdir=wd)
    return pid, log


def stop_rs():
    bl.stop_daemon(NS_RS, "bgpd", timeout=30)
    time.sleep(1.0)


def swarm(args, tag, *opts):
    """Starts tools/bgp_swarm.py in vb-p2sw (its stdout: one JSON line at the end)."""
    cmd = ["ip", "netns", "exec", NS_SW, PYTHON, SWARM, "--peer", IP_RS,
           "--password", PASSWORD] + [str(o) for o in opts]
    err = open(os.path.join(bl.workdir("p2", NS_SW), "%s.stderr" % tag), "w")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                         text=True)
    p.errfile = err
    return p


def swarm_result(p, stop=False, timeout=120):
    if stop and p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    p.errfile.close()
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        with open(p.errfile.name) as f:
            return {"unparsable": out[-500:], "stderr": f.read()[-1000:]}


def pool(rs):
    return rs.json("show bgp vappliance pools json").get("pools", {}).get(POOL, {})


def enforced(rs):
    return pool(rs).get("policy", {}).get("ipv4Unicast", {}).get("enforced")


def summary_counts(rs):
    """(peers, Established, sum of pfxRcd) of `show bgp ipv4 unicast summary json`."""
    peers = rs.json("show bgp ipv4 unicast summary json").get("peers", {})
    est = [p for p in peers.values() if p.get("state") == "Established"]
    return len(peers), len(est), sum(p.get("pfxRcd", 0) for p in est)


def accepted_routes(rs):
    apps = rs.json("show bgp vappliance appliances pool %s json" % POOL).get("appliances", {})
    return sum(a.get("prefixes", {}).get("accepted", 0) for a in apps.values()
               if a.get("established"))


def memory(rs, pid):
    mem = bl.parse_show_memory(rs.out("show memory"))
    vb, vc = bl.mgroup_bytes(mem, "vappliance")
    lib = mem["groups"].get("libfrr", {})
    return {
        "vappBytes": vb,
        "vappAllocs": vc,
        "vappTypes": {k: v for k, v in mem["groups"].get("vappliance", {}).items()},
        # libfrr types the module also allocates from (its verdict table per
        # appliance, typesafe hash buckets), shared with the rest of bgpd
        "routeTable": lib.get("Route table", {}),
        "routeNode": lib.get("Route node", {}),
        "heapUsed": mem["heapUsed"],
        "vmRssKiB": bl.proc_status(pid, "VmRSS"),
        "vmHwmKiB": bl.proc_status(pid, "VmHWM"),
    }


def wait_ready(rs, timeout=60):
    if not bl.wait_for(lambda: enforced(rs), timeout, 0.2):
        raise RuntimeError("pool %s policy not enforced: %s" % (POOL, pool(rs).get("policy")))
    time.sleep(ROUTEMAP_WAIT)


def wait_gone(rs, timeout=120):
    def gone():
        p = pool(rs)
        return p.get("sessionsHeld", 1) == 0 and p.get("sessions", 1) == 0 and \
            summary_counts(rs)[0] == 0
    return bool(bl.wait_for(gone, timeout, 0.5))


def measure_metrics(rs, rounds):
    """The metrics textfile with the N appliances up: how long bgpd's event
    loop spends writing it (the module's own lastDurationUsec: the write is
    synchronous, so this is the stall), interleaved round by round with the
    native way, bgpd answering `show bgp vrf all summary json` over its vty
    socket (what prometheus-frr-exporter asks at every scrape)."""
    d = bl.workdir("p2", "textfile")
    os.chmod(d, 0o777)  # bgpd writes as frr
    path = os.path.join(d, "vappliance.prom")
    errs = rs.config("router bgp %d" % AS_RS, "vappliance metrics textfile %s interval 1" % path)
    if errs:
        raise RuntimeError("metrics textfile: %s" % errs)

    def metrics():
        return rs.json("show bgp vappliance metrics json").get("metrics", {})

    module, native, ratio = [], [], []
    last = 0
    for _ in range(rounds):
        if not bl.wait_for(lambda: metrics().get("writes", 0) > last, 10, 0.1):
            raise RuntimeError("no metrics write: %s" % metrics())
        m = metrics()
        last = m["writes"]
        t = time.monotonic()
        rs.out("show bgp vrf all summary json")
        native.append((time.monotonic() - t) * 1000)
        module.append(m["lastDurationUsec"] / 1000)
        ratio.append(module[-1] / native[-1])
    with open(path) as f:
        text = f.read()
    samples = sum(1 for ln in text.splitlines() if ln and not ln.startswith("#"))
    rs.config("router bgp %d" % AS_RS, "no vappliance metrics textfile")
    return {"metricsWriteMs": [round(v, 3) for v in module],
            "nativeSummaryJsonMs": [round(v, 3) for v in native],
            "metricsRatio": [round(v, 3) for v in ratio],
            "metricsBytes": len(text), "metricsSamples": samples,
            "metricsFailures": m.get("failures")}


def run_scale(args, rnd):
    n = args.sessions
    load, calib = bl.loadavg(), bl.calibrate()
    pid, log = start_rs(args, args.scale_hold, "r%d-scale" % rnd)
    rs = bl.vty(NS_RS, "bgpd")
    wait_ready(rs)
    mem0 = memory(rs, pid)
    cpu0 = bl.proc_cpu(pid)
    t0 = time.monotonic()
    sw = swarm(args, "r%d-scale" % rnd, "--sources", src_range(SRC_FIRST, n), "--as", AS_APP,
               "--mode", "hold", "--parallel", n, "--hold", args.scale_hold,
               "--duration", 3600, "--routes", 1, "--route-per-source", "--route-base",
               ROUTE_BASE, "--timeout", 30, "--retry", 2)
    t_first = t_half = t_all = None
    polls, sessions = 0, 0
    deadline = t0 + args.est_timeout
    while time.monotonic() < deadline:
        p = pool(rs)
        polls += 1
        ts = time.monotonic()
        sessions = p.get("sessions", 0)
        if sessions and t_first is None:
            t_first = ts
        if sessions * 2 >= n and t_half is None:
            t_half = ts
        if sessions >= n:
            t_all = ts
            break
        if sw.poll() is not None:
            break
        time.sleep(0.05)
    cpu_est = bl.proc_cpu(pid) - cpu0
    sw_cpu = None
    try:
        sw_cpu = bl.proc_cpu(sw.pid)
    except OSError:
        pass
    # the N routes in (accepted by the pool's policy, in bgpd's table)
    routes_ok = bl.wait_for(lambda: summary_counts(rs)[2] >= sessions, 120, 1.0)
    t_routes = time.monotonic()
    time.sleep(2.0)
    mem1 = memory(rs, pid)
    met = measure_metrics(rs, args.metrics_rounds) if args.metrics_rounds else {}
    peers, est, pfx = summary_counts(rs)
    acc = accepted_routes(rs)
    p1 = pool(rs)
    sw_res = swarm_result(sw, stop=True)
    gone = wait_gone(rs)
    time.sleep(1.0)
    mem2 = memory(rs, pid)
    rs.close()
    stop_rs()
    per_app = round((mem1["vappBytes"] - mem0["vappBytes"]) / est, 1) if est else None
    lib_per_app = lib_count = None
    if est:
        lib_per_app = round(sum((mem1[k].get("bytes") or 0) - (mem0[k].get("bytes") or 0)
                                for k in ("routeTable", "routeNode")) / est, 1)
        lib_count = {k: (mem1[k].get("count") or 0) - (mem0[k].get("count") or 0)
                     for k in ("routeTable", "routeNode")}
    res = {
        "test": "scale",
        "round": rnd,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "load": load,
        "calib": calib,
        "sessions": n,
        "hold": args.scale_hold,
        "allEstablished": t_all is not None,
        "estAllS": round(t_all - t0, 3) if t_all else None,
        "estFirstS": round(t_first - t0, 3) if t_first else None,
        "estHalfS": round(t_half - t0, 3) if t_half else None,
        "routesAllS": round(t_routes - t0, 3) if routes_ok else None,
        "polls": polls,
        "rsCpuToAllEst": round(cpu_est, 3),
        "swarmCpuToAllEst": round(sw_cpu, 3) if sw_cpu is not None else None,
        "rsPeers": peers,
        "rsEstablished": est,
        "rsPfxRcd": pfx,
        "vappAccepted": acc,
        "poolSessions": p1.get("sessions"),
        "poolAdmitted": p1.get("admitted"),
        "poolRejected": {k: v for k, v in p1.get("rejected", {}).items() if v},
        "vappBytesBefore": mem0["vappBytes"],
        "vappBytesWithN": mem1["vappBytes"],
        "vappBytesAfter": mem2["vappBytes"],
        "vappBytesPerAppliance": per_app,
        "vappTypesWithN": {k: v for k, v in mem1["vappTypes"].items() if v["count"]},
        "libRouteTableBytesPerAppliance": lib_per_app,
        "libRouteTableAllocsWithN": lib_count,
        "heapUsedPerAppliance": round((mem1["heapUsed"] - mem0["heapUsed"]) / est, 1)
        if est and mem1["heapUsed"] is not None else None,
        "vmRssKiBBefore": mem0["vmRssKiB"],
        "vmRssKiB": mem1["vmRssKiB"],
        "vmHwmKiB": mem1["vmHwmKiB"],
        "vmHwmKiBEnd": mem2["vmHwmKiB"],
        "rssKiBPerAppliance": round((mem1["vmRssKiB"] - mem0["vmRssKiB"]) / est, 2)
        if est else None,
        "allGone": gone,
        "swarm": sw_res,
    }
    res.update(met)
    res["valid"] = bool(res["allEstablished"] and est == n and acc == n and pfx == n and
                        sw_res.get("established", 0) >= n)
    return res


def log_events(log, start, end, legit):
    """
    Hold timer NOTIFICATIONs (4/0 sent: RS's hold timer expired; received:
    the appliance's) and session downs of legitimate addresses in RS's log;
    "holdExpiries" counts the sessions (addresses) with either.
    """
    text = bl.read_between(log, start, end)
    ev = {"rsHoldExpiredSent": 0, "rsHoldExpiredRcvd": 0, "rsLegitDown": 0, "rsOtherUp": 0,
          "rsOtherDown": 0}
    expired = set()
    for m in re.finditer(r"%NOTIFICATION: (sent to|received from) neighbor (\S+) 4/0", text):
        if m.group(2) in legit:
            ev["rsHoldExpiredSent" if m.group(1) == "sent to" else "rsHoldExpiredRcvd"] += 1
            expired.add(m.group(2))
    for m in re.finditer(r"%ADJCHANGE: neighbor ([0-9.]+)\S* in vrf \S+ (Up|Down)", text):
        if m.group(1) in legit:
            ev["rsLegitDown"] += m.group(2) == "Down"
        else:
            # a flood source Established (connection collision, see floodEstablished)
            ev["rsOther" + m.group(2)] += 1
    ev["holdExpiries"] = len(expired)
    return ev


def run_flood(args, rnd):
    n = args.legit
    hold = args.legit_hold
    total = int(round(args.flood_rate * args.flood_seconds / 60.0))
    deny, wrong = flood_split(args.flood_sources)
    nsrc = deny + wrong
    tail = args.tail if args.tail is not None else hold + 3
    legit = {addr(SRC_FIRST, i) for i in range(n)}
    load, calib = bl.loadavg(), bl.calibrate()
    pid, log = start_rs(args, hold, "r%d-flood" % rnd)
    rs = bl.vty(NS_RS, "bgpd")
    wait_ready(rs)
    t0 = time.monotonic()
    lg = swarm(args, "r%d-legit" % rnd, "--sources", src_range(SRC_FIRST, n), "--as", AS_APP,
               "--mode", "hold", "--parallel", n, "--hold", hold, "--enforce-hold",
               "--duration", 3600, "--routes", 1, "--route-per-source", "--route-base",
               ROUTE_BASE, "--timeout", 30, "--retry", 2)
    up = bl.wait_for(lambda: pool(rs).get("sessions", 0) >= n or lg.poll() is not None,
                     args.est_timeout, 0.25) and pool(rs).get("sessions", 0) >= n
    t_up = time.monotonic()
    bl.wait_for(lambda: summary_counts(rs)[2] >= n, 60, 1.0)
    # the route server's CPU with the legitimate sessions only
    b0, bw0 = bl.proc_cpu(pid), time.monotonic()
    time.sleep(args.baseline_seconds)
    b1, bw1 = bl.proc_cpu(pid), time.monotonic()
    p0 = pool(rs)
    off0 = bl.file_size(log)
    c0, w0 = bl.proc_cpu(pid), time.monotonic()
    fl = swarm(args, "r%d-flood" % rnd, "--sources",
               "%s,%s" % (src_range(DENY_FIRST, deny), src_range(WRONG_FIRST, wrong)),
               "--as", AS_WRONG, "--mode", "reject", "--rate", round(args.flood_rate / 60.0, 4),
               "--repeat", -(-total // nsrc), "--max-attempts", total,
               "--parallel", args.flood_parallel, "--timeout", 5)
    min_sessions = n
    while fl.poll() is None:
        min_sessions = min(min_sessions, pool(rs).get("sessions", 0))
        time.sleep(1.0)
    c1, w1 = bl.proc_cpu(pid), time.monotonic()
    fl_res = swarm_result(fl)
    end = time.monotonic() + tail
    while time.monotonic() < end:
        min_sessions = min(min_sessions, pool(rs).get("sessions", 0))
        time.sleep(1.0)
    p1 = pool(rs)
    peers, est, pfx = summary_counts(rs)
    off1 = bl.file_size(log)
    rss, hwm = bl.proc_status(pid, "VmRSS"), bl.proc_status(pid, "VmHWM")
    ev = log_events(log, off0, off1, legit)
    lg_res = swarm_result(lg, stop=True)
    wait_gone(rs)
    rs.close()
    stop_rs()
    rej = {k: p1.get("rejected", {}).get(k, 0) - p0.get("rejected", {}).get(k, 0)
           for k in p1.get("rejected", {})}
    hold_sw = lg_res.get("hold", {})
    cpu = c1 - c0
    wall = w1 - w0
    base_pct = (b1 - b0) / (bw1 - bw0) * 100 if bw1 > bw0 else None
    res = {
        "test": "flood",
        "round": rnd,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "load": load,
        "calib": calib,
        "legit": n,
        "hold": hold,
        "floodRatePerMin": args.flood_rate,
        "floodSeconds": args.flood_seconds,
        "floodSources": {"denySource": deny, "wrongAs": wrong},
        "legitAllUp": bool(up),
        "legitUpS": round(t_up - t0, 3),
        "floodAttempts": fl_res.get("attempts"),
        "floodEstablished": fl_res.get("established", 0),
        "floodWallS": round(wall, 3),
        # over the swarm's own run (its start and in-flight tail not counted)
        "floodRateAchievedPerMin": round(fl_res.get("attempts", 0) / fl_res["elapsedS"] * 60, 1)
        if fl_res.get("elapsedS") else None,
        "floodSwarm": fl_res,
        "rejectedByModule": sum(rej.values()),
        "rejectedByReason": {k: v for k, v in rej.items() if v},
        "admittedDuring": p1.get("admitted", 0) - p0.get("admitted", 0),
        "rsCpuFlood": round(cpu, 3),
        "rsCpuFloodPct": round(cpu / wall * 100, 2) if wall else None,
        "rsCpuBaselinePct": round(base_pct, 2) if base_pct is not None else None,
        "rsCpuPerRejectMs": round(cpu / max(1, fl_res.get("attempts", 0)) * 1000, 4),
        "legitSessionsMin": min_sessions,
        "legitSessionsEnd": p1.get("sessions"),
        "legitUpAtFloodStart": p0.get("sessions"),
        "legitDropped": (p0.get("sessions") or 0) - (p1.get("sessions") or 0),
        "rsEstablished": est,
        "swarmHoldExpiredByRs": hold_sw.get("holdExpiredByPeer"),
        "swarmHoldExpiredLocal": hold_sw.get("holdExpiredLocal"),
        "swarmDroppedWhileUp": hold_sw.get("droppedWhileUp"),
        "swarmRxGapMaxS": hold_sw.get("rxGapMaxS"),
        "swarmTxGapMaxS": hold_sw.get("txGapMaxS"),
        "legitSwarm": lg_res,
        "vmRssKiB": rss,
        "vmHwmKiB": hwm,
    }
    res.update(ev)
    res["valid"] = bool(up and p0.get("sessions") == n and fl_res.get("attempts") and
                        "unparsable" not in fl_res and
                        "unparsable" not in lg_res)
    return res


def module_info():
    """The installed module measured (it may differ from the working tree)."""
    import hashlib
    so = os.path.join(bl.FRR_DIR, "modules", "bgpd_vappliance.so")
    try:
        with open(so, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        mtime = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(os.path.getmtime(so)))
    except OSError:
        return {"path": so}
    return {"path": so, "sha256": digest, "mtime": mtime}


def bench(args, out):
    tests = args.tests.split(",")
    print("P2: %d rounds of %s (sessions %d, legit %d, flood %d/min for %d s) -> %s" % (
        args.rounds, ",".join(tests), args.sessions, args.legit, args.flood_rate,
        args.flood_seconds, out), flush=True)
    bl.append_jsonl(out, {"test": "machine", "machine": bl.machine_info(),
                          "module": module_info(),
                          "nofile": list(bl.raise_nofile(need_fds(args))),
                          "args": vars(args)})
    for r in range(args.rounds):
        if "scale" in tests:
            res = run_scale(args, r)
            bl.append_jsonl(out, res)
            print("  round %d scale: %d/%d Established in %s s, %s B/appliance (vappliance "
                  "group), RSS %s KiB, HWM %s KiB, valid %s" % (
                      r, res["rsEstablished"], res["sessions"], res["estAllS"],
                      res["vappBytesPerAppliance"], res["vmRssKiB"], res["vmHwmKiB"],
                      res["valid"]), flush=True)
        if "flood" in tests:
            res = run_flood(args, r)
            bl.append_jsonl(out, res)
            print("  round %d flood: %s attempts (%s/min) %s rejected by module; legit dropped "
                  "%d, hold expiries %d (swarm: by RS %s, local %s); RS CPU %.2f s = %.1f%% "
                  "(baseline %s%%), valid %s" % (
                      r, res["floodAttempts"], res["floodRateAchievedPerMin"],
                      res["rejectedByModule"], res["legitDropped"], res["holdExpiries"],
                      res["swarmHoldExpiredByRs"], res["swarmHoldExpiredLocal"],
                      res["rsCpuFlood"], res["rsCpuFloodPct"], res["rsCpuBaselinePct"],
                      res["valid"]), flush=True)


def report(files, out=None):
    rows = []
    for f in files:
        rows += bl.read_jsonl(f)
    scale = [r for r in rows if r.get("test") == "scale"]
    flood = [r for r in rows if r.get("test") == "flood"]
    sv = [r for r in scale if r.get("valid")]
    fv = [r for r in flood if r.get("valid")]
    res = {"runs": {"scale": len(scale), "flood": len(flood)},
           "invalid": {"scale": len(scale) - len(sv), "flood": len(flood) - len(fv)}}
    if sv:
        res["scale"] = {k: bl.stats([r.get(k) for r in sv]) for k in (
            "estAllS", "estHalfS", "routesAllS", "vappBytesPerAppliance",
            "libRouteTableBytesPerAppliance", "heapUsedPerAppliance", "vmRssKiB", "vmHwmKiB",
            "rssKiBPerAppliance", "rsCpuToAllEst", "vmHwmKiBEnd", "vappBytesAfter",
            "vappBytesBefore")}
        # every round's samples: the write against the native show, side by side
        for k in ("metricsWriteMs", "nativeSummaryJsonMs", "metricsRatio"):
            vals = [v for r in sv for v in r.get(k, [])]
            if vals:
                res["scale"][k] = bl.stats(vals)
        res["scale"]["metricsBytes"] = bl.stats([r.get("metricsBytes") for r in sv])
        res["scale"]["load"] = bl.stats([r["load"][0] for r in sv])
        res["scale"]["sessions"] = sorted({r["sessions"] for r in sv})
        res["scale"]["targets"] = {
            "estAllS<=%g" % TARGET_EST_S: all(r["estAllS"] <= TARGET_EST_S for r in sv),
            "bytesPerAppliance<=%d" % TARGET_BYTES:
                all(r["vappBytesPerAppliance"] <= TARGET_BYTES for r in sv),
        }
    if fv:
        res["flood"] = {k: bl.stats([r.get(k) for r in fv]) for k in (
            "floodAttempts", "floodRateAchievedPerMin", "rejectedByModule", "holdExpiries",
            "swarmHoldExpiredLocal", "legitDropped", "rsCpuFlood", "rsCpuFloodPct",
            "rsCpuBaselinePct", "rsCpuPerRejectMs", "swarmRxGapMaxS", "swarmTxGapMaxS",
            "floodEstablished", "rsOtherUp", "vmRssKiB", "vmHwmKiB")}
        res["flood"]["load"] = bl.stats([r["load"][0] for r in fv])
        res["flood"]["legit"] = sorted({r["legit"] for r in fv})
        res["flood"]["targets"] = {
            "holdExpiries==0": all(r["holdExpiries"] == 0 and not r["swarmHoldExpiredByRs"] and
                                   not r["swarmHoldExpiredLocal"] for r in fv),
            "legitDropped==0": all(r["legitDropped"] == 0 for r in fv),
        }
    text = json.dumps(res, indent=1, sort_keys=True)
    if out:
        with open(out, "w") as f:
            f.write(text + "\n")
    print(text)
    print()
    if sv:
        S = res["scale"]
        print("| P2 scale, %s sessions | median (min–max) | target |" %
              ",".join(map(str, S["sessions"])))
        print("|---|---|---|")
        print("| all Established after s | %s | <= %g s: %s |" % (
            bl.fmt_stat(S["estAllS"], 2), TARGET_EST_S,
            "met" if S["targets"]["estAllS<=%g" % TARGET_EST_S] else "MISSED"))
        print("| vappliance MGROUP bytes / appliance | %s | <= %d B: %s |" % (
            bl.fmt_stat(S["vappBytesPerAppliance"], 1), TARGET_BYTES,
            "met" if S["targets"]["bytesPerAppliance<=%d" % TARGET_BYTES] else "MISSED"))
        print("| libfrr route table+node bytes / appliance (not in the group) | %s | |" %
              bl.fmt_stat(S["libRouteTableBytesPerAppliance"], 1))
        print("| bgpd heap in use / appliance (all of bgpd) | %s | |" %
              bl.fmt_stat(S["heapUsedPerAppliance"], 0))
        print("| RS bgpd VmRSS KiB with N | %s | |" % bl.fmt_stat(S["vmRssKiB"], 0))
        print("| RS bgpd VmHWM KiB | %s | |" % bl.fmt_stat(S["vmHwmKiB"], 0))
        print("| RS bgpd VmHWM KiB after the N disconnected at once | %s | |" %
              bl.fmt_stat(S["vmHwmKiBEnd"], 0))
        print("| vappliance MGROUP bytes before / after the N left | %s / %s | |" % (
            bl.fmt_stat(S["vappBytesBefore"], 0), bl.fmt_stat(S["vappBytesAfter"], 0)))
        print("| RS bgpd CPU s until all Established | %s | |" % bl.fmt_stat(S["rsCpuToAllEst"], 2))
        if "metricsWriteMs" in S:
            print("| metrics textfile write ms (bgpd event loop) | %s | |" %
                  bl.fmt_stat(S["metricsWriteMs"], 2))
            print("| native: `show bgp vrf all summary json` ms (frr-exporter's scrape) | %s | |"
                  % bl.fmt_stat(S["nativeSummaryJsonMs"], 2))
            print("| ratio write / native, per round | %s | |" % bl.fmt_stat(S["metricsRatio"], 3))
            print("| metrics textfile bytes | %s | |" % bl.fmt_stat(S["metricsBytes"], 0))
        print()
    if fv:
        F = res["flood"]
        print("| P2 flood, %s legitimate sessions | median (min–max) | target |" %
              ",".join(map(str, F["legit"])))
        print("|---|---|---|")
        print("| hold timer expiries (RS log 4/0 sent+received) | %s | 0: %s |" % (
            bl.fmt_stat(F["holdExpiries"], 0),
            "met" if F["targets"]["holdExpiries==0"] else "MISSED"))
        print("| legitimate sessions dropped | %s | 0: %s |" % (
            bl.fmt_stat(F["legitDropped"], 0),
            "met" if F["targets"]["legitDropped==0"] else "MISSED"))
        print("| rejected attempts made | %s | |" % bl.fmt_stat(F["floodAttempts"], 0))
        print("| attempt rate achieved /min | %s | |" %
              bl.fmt_stat(F["floodRateAchievedPerMin"], 0))
        print("| rejections counted by the module | %s | |" % bl.fmt_stat(F["rejectedByModule"], 0))
        print("| flood sessions Established (swarm / RS log Up) | %s / %s | 0 |" % (
            bl.fmt_stat(F["floodEstablished"], 0), bl.fmt_stat(F["rsOtherUp"], 0)))
        print("| RS bgpd CPU s during the flood | %s | |" % bl.fmt_stat(F["rsCpuFlood"], 2))
        print("| RS bgpd CPU %% of one core (flood) | %s | |" % bl.fmt_stat(F["rsCpuFloodPct"], 1))
        print("| RS bgpd CPU %% of one core (before, legit only) | %s | |" %
              bl.fmt_stat(F["rsCpuBaselinePct"], 1))
        print("| RS CPU ms per rejected attempt | %s | |" % bl.fmt_stat(F["rsCpuPerRejectMs"], 3))
        print("| RS bgpd VmRSS / VmHWM KiB after the flood | %s / %s | |" % (
            bl.fmt_stat(F["vmRssKiB"], 0), bl.fmt_stat(F["vmHwmKiB"], 0)))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("all", "setup", "teardown", "report"))
    ap.add_argument("args", nargs="*")
    ap.add_argument("--sessions", type=int, default=2000, help="scale: appliance sessions")
    ap.add_argument("--legit", type=int, default=500, help="flood: legitimate sessions")
    ap.add_argument("--flood-rate", type=int, default=10000, help="flood: attempts per minute")
    ap.add_argument("--flood-seconds", type=int, default=60)
    ap.add_argument("--flood-sources", type=int, default=200,
                    help="flood: source addresses (half deny-source, half wrong AS)")
    ap.add_argument("--flood-parallel", type=int, default=200,
                    help="flood: rejected connections in flight at most")
    ap.add_argument("--scale-hold", type=int, default=90, help="scale: hold time (RS and swarm)")
    ap.add_argument("--legit-hold", type=int, default=9, help="flood: hold time (RS and swarm)")
    ap.add_argument("--baseline-seconds", type=float, default=10)
    ap.add_argument("--tail", type=float, default=None,
                    help="flood: seconds watched after the flood (default hold + 3)")
    ap.add_argument("--est-timeout", type=float, default=300,
                    help="seconds to wait for all sessions Established")
    ap.add_argument("--tests", default="scale,flood")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--metrics-rounds", type=int, default=7,
                    help="scale: metrics textfile writes measured against the native show (0: none)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if os.getuid() != 0:
        sys.exit("run as root")
    out = args.out or os.path.join(bl.workdir("p2"), "p2-%s.jsonl" % time.strftime("%Y%m%d-%H%M%S"))
    if args.cmd in ("all", "setup"):
        bl.raise_nofile(need_fds(args))
    if args.cmd == "setup":
        setup(args)
    elif args.cmd == "teardown":
        teardown()
    elif args.cmd == "report":
        report(args.args, args.out)
    elif args.cmd == "all":
        try:
            setup(args)
            bench(args, out)
        finally:
            teardown()
        report([out], out.replace(".jsonl", ".summary.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
