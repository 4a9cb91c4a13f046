#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_moves: nothing drops when things move, measured with a packet
stream (tools/vapp_stream.py: 250 sequence-numbered UDP datagrams per
second from src to each appliance's service address, echoed back).

  rs1 -(10.0.1.0/24)-+            anycast A 10.255.0.1: rs1 metric 10, rs2 20
                     f1 -- 10.0.3.0/24: a1 (FRR) b1 (BIRD) g1 (GoBGP)
  rs2 -(10.0.2.0/24)-+ -- 10.0.4.0/24: where a1 moves to
                     |    anycast B 10.255.0.2: rs1 metric 20, rs2 10
                     +-- 10.0.5.0/24: src (the users)

Every appliance peers with A and B (EBGP multihop, AS 65011/65021/65022),
so each route server holds one session of each. The fabric runs BFD
(100 ms x 3) on the route servers' BGP sessions and OSPF adjacencies.
The events:

- rs1's fabric link is cut (f1 behind a switch: its link stays up, BFD
  finds the cut): A leads to rs2, which holds the appliances' B sessions
  already; their A sessions are refused there (alreadyPeered), never
  quarantined, logged once; the stream loses nothing. When the first
  session goes, the next attempt is admitted. rs1 comes back.
- a1 is re-addressed into 10.0.4.0/24 (same AS, same identifier), its
  old address gone without a word: under mobility takeover the new
  session takes over once Established; under mobility reject (the
  behaviour before, the baseline) it waits for the old one's hold time.
- the drain of rs1 and the undrain;
- the cut again with BFD off (stock FRR: hold time and dead interval,
  3 s each), the baseline of the detection times;
- kill -9 of rs1's bgpd (bfdd lives on) and its restart;
- the link cut at f1's end (rs1's own link stays up): only BFD tells rs1,
  whose track takes its anycast addresses away.

Loss and the longest gap per event, and the detection times of each
failure of rs1, are printed; VAPP_BENCH_TIMES collects them
(bench/p4_moves.py).
"""
import json
import os
import re
import time

import pytest

from lib import topotest
from lib.topogen import Topogen

from vapplib import (bgpd_log, expect_json, load_plain, load_route_server, poll, start_bgpd,
                     vtysh_json, wait_log)

pytestmark = [pytest.mark.bgpd]
CWD = os.path.dirname(os.path.realpath(__file__))
STREAM = os.path.join(CWD, "..", "..", "tools", "vapp_stream.py")
PORT = 7070
APPS = {"a1": ("10.0.3.11", 65011, "192.0.2.11"),
        "b1": ("10.0.3.21", 65021, "192.0.2.21"),
        "g1": ("10.0.3.22", 65022, "192.0.2.22")}
SERVICES = [svc for _, _, svc in APPS.values()]
SOURCES = [ip for ip, _, _ in APPS.values()]
HOLD_A1 = 9  # a1's hold time: what a move costs without takeover (plus its
RESTART_A1 = 5  # graceful-restart restart-time, as it negotiated one)
RESULTS = {}


def build_topo(tgen):
    for name in ("rs1", "rs2", "f1", "a1"):
        tgen.add_router(name)
    sw = tgen.add_switch("s1")
    sw.add_link(tgen.gears["rs1"])
    sw.add_link(tgen.gears["f1"])
    sw = tgen.add_switch("s2")
    sw.add_link(tgen.gears["rs2"])
    sw.add_link(tgen.gears["f1"])
    s3 = tgen.add_switch("s3")
    s3.add_link(tgen.gears["f1"])
    s3.add_link(tgen.gears["a1"])
    s4 = tgen.add_switch("s4")
    s4.add_link(tgen.gears["f1"])
    s4.add_link(tgen.gears["a1"])
    sw = tgen.add_switch("s5")
    sw.add_link(tgen.gears["f1"])
    sw.add_link(tgen.add_host("src", "10.0.5.10/24", "via 10.0.5.1"))
    for name in ("b1", "g1"):
        s3.add_link(tgen.add_host(name, APPS[name][0] + "/24", "via 10.0.3.1"))


def node_dir(tgen, name):
    d = os.path.join(tgen.logdir, name)
    os.makedirs(d, exist_ok=True)
    return d


def render(template, **subst):
    with open(os.path.join(CWD, template)) as f:
        text = f.read()
    for k, v in subst.items():
        text = text.replace("@%s@" % k, str(v))
    return text


def start_gobgp(tgen, name):
    ip, asn, svc = APPS[name]
    d, h = node_dir(tgen, name), tgen.gears[name]
    nbrs = "".join(render("gobgp-neighbor.toml.in", ANY=a, IP=ip)
                   for a in ("10.255.0.1", "10.255.0.2"))
    with open(os.path.join(d, "gobgpd.toml"), "w") as f:
        f.write(render("gobgpd.toml.in", NAME=name, AS=asn, IP=ip, NEIGHBORS=nbrs))
    h.cmd("gobgpd -f %s/gobgpd.toml -p -l info --pprof-disable --api-hosts 127.0.0.1:50051 "
          "> %s/gobgpd.log 2>&1 &" % (d, d))

    # the API comes up a while after gobgpd starts, and a route added before
    # its global config is in place can be lost: add until its RIB holds it
    def in_rib():
        if svc + "/32" in h.cmd("gobgp -u 127.0.0.1 global rib 2>&1"):
            return True
        h.cmd("gobgp -u 127.0.0.1 global rib add %s/32 nexthop %s 2>&1" % (svc, ip))
        return False

    ok, _ = topotest.run_and_expect(in_rib, True, count=120, wait=0.5)
    assert ok, "%s: gobgpd did not take %s" % (name, svc)


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    for rs in ("rs1", "rs2"):
        load_route_server(tgen.gears[rs], os.path.join(CWD, rs, "frr.conf"), ospf=True,
                          bfd=True)
    load_plain(tgen.gears["f1"], os.path.join(CWD, "f1/frr.conf"), ospf=True, bfd=True)
    load_plain(tgen.gears["a1"], os.path.join(CWD, "a1/frr.conf"))
    tgen.start_router()
    for name in ("b1", "g1"):
        tgen.gears[name].cmd("ip addr add %s/32 dev lo" % APPS[name][2])
    d = node_dir(tgen, "b1")
    ip, asn, svc = APPS["b1"]
    with open(os.path.join(d, "bird.conf"), "w") as f:
        f.write(render("bird.conf.in", NAME="b1", AS=asn, IP=ip, SVC=svc, DIR=d))
    out = tgen.gears["b1"].cmd("bird -c %s/bird.conf -s %s/bird.ctl -P %s/bird.pid 2>&1; echo rc=$?"
                               % (d, d, d))
    assert out.strip().endswith("rc=0"), out
    start_gobgp(tgen, "g1")
    for name in APPS:
        tgen.gears[name].cmd("/usr/bin/python3 %s echo --port %d > /dev/null 2>&1 &"
                             % (STREAM, PORT))
    yield tgen
    print("\nmoves, lost packets per event (informative):",
          json.dumps(RESULTS, indent=1, sort_keys=True))
    if os.environ.get("VAPP_BENCH_TIMES"):
        with open(os.environ["VAPP_BENCH_TIMES"], "a") as f:
            f.write(json.dumps(RESULTS, sort_keys=True) + "\n")
    tgen.gears["b1"].cmd("kill $(cat %s/bird.pid)" % node_dir(tgen, "b1"))
    tgen.gears["g1"].cmd("pkill -f 'gobgpd -f %s/'" % node_dir(tgen, "g1"))
    for name in APPS:
        tgen.gears[name].cmd("pkill -f 'vapp_stream.py echo'")
    tgen.stop_topology()


class Stream:
    """The stream from src to every service address, for one event."""

    def __init__(self, tgen, event):
        self.src, self.event = tgen.gears["src"], event
        self.out = os.path.join(node_dir(tgen, "src"), "stream-%s.json" % event)
        self.pid = self.src.cmd(
            "/usr/bin/python3 %s send --target %s --port %d --rate 250 --duration 600 "
            "--out %s > /dev/null 2>&1 & echo $!" % (STREAM, ",".join(SERVICES), PORT,
                                                    self.out)).strip().splitlines()[-1]
        time.sleep(0.5)

    def stop(self):
        self.src.cmd("kill -TERM %s" % self.pid)
        ok, _ = poll(lambda: os.path.exists(self.out), True, count=40, wait=0.25)
        assert ok, "the stream wrote no report"
        with open(self.out) as f:
            res = json.load(f)["targets"]
        RESULTS[self.event] = {t: {"lost": r["lost"], "longestGapMs": r["longestGapMs"]}
                               for t, r in res.items()}
        return res


def assert_no_loss(res, event=None):
    """Not one datagram lost to any service address."""
    lost = {svc: res[svc] for svc in SERVICES if res[svc]["lost"]}
    assert not lost, (event, lost)


def appliances(rs):
    return vtysh_json(rs, "show bgp vappliance appliances json").get("appliances", {})


def pool(rs):
    return vtysh_json(rs, "show bgp vappliance pools json")["pools"]["web"]


def established(rs, sources):
    apps = appliances(rs)
    return all(apps.get(s, {}).get("state") == "admitted" and apps[s].get("established")
               for s in sources)


def test_dual_homed(tgen):
    """Each route server holds one session of each appliance; the stream is clean."""
    for rs in ("rs1", "rs2"):
        ok, _ = poll(lambda rs=rs: established(tgen.gears[rs], SOURCES), True, count=120)
        assert ok, "%s: %s" % (rs, appliances(tgen.gears[rs]))
    f1 = tgen.gears["f1"]
    for svc in SERVICES:
        want = {svc + "/32": [{"nexthops": [{"ip": ip}]} for ip, _, s in APPS.values()
                              if s == svc]}
        assert expect_json(f1, "show ip route %s/32 json" % svc, want, count=60) is None
        # a path from each route server
        ok, _ = poll(lambda svc=svc: len(vtysh_json(f1, "show bgp ipv4 unicast %s/32 json" % svc)
                                         .get("paths", [])), 2)
        assert ok, f1.vtysh_cmd("show bgp ipv4 unicast %s/32" % svc)
    s = Stream(tgen, "steady")
    time.sleep(3)
    res = s.stop()
    for svc in SERVICES:
        assert res[svc]["received"] > 600 and res[svc]["lost"] == 0, res[svc]


def down_reason(nbr):
    """Why bgpd took a session down: the reset and the NOTIFICATION it sent."""
    return " ".join(filter(None, (nbr.get("lastResetDueTo"), nbr.get("lastNotificationReason"))))


def fabric_session(router, addr):
    return vtysh_json(router, "show bgp neighbors %s json" % addr).get(addr, {})


def anycast_a_via(f1):
    """The next hop f1's route to anycast A uses (OSPF)."""
    r = vtysh_json(f1, "show ip route 10.255.0.1/32 json").get("10.255.0.1/32", [{}])[0]
    return [n.get("ip") for n in r.get("nexthops", []) if n.get("active")]


def detect_failure(tgen, t0, limit=15):
    """
    After rs1 failed at t0: when f1's session to rs1 went down (and why),
    when f1's route to anycast A moved to rs2, and when rs1's anycast
    addresses left its lo (seconds after t0; None when not seen).
    """
    f1, rs1 = tgen.gears["f1"], tgen.gears["rs1"]
    seen = {}
    while time.time() < t0 + limit and len(seen) < 3:
        now = time.time() - t0
        if "bgpDown" not in seen and fabric_session(f1, "10.0.1.2").get("bgpState") != \
                "Established":
            seen["bgpDown"] = now
        if "anycastAViaRs2" not in seen and anycast_a_via(f1) == ["10.0.2.2"]:
            seen["anycastAViaRs2"] = now
        if "rs1AddressesGone" not in seen and "10.255.0." not in rs1.cmd("ip -o addr show dev lo"):
            seen["rs1AddressesGone"] = now
        time.sleep(0.05)
    seen = {k: round(v, 3) for k, v in seen.items()}
    seen["bgpDownReason"] = down_reason(fabric_session(f1, "10.0.1.2"))
    return seen


def fabric_steady(tgen):
    """f1's session to rs1 is up, A leads to rs1, rs1 holds every appliance."""
    f1 = tgen.gears["f1"]
    ok, _ = poll(lambda: fabric_session(f1, "10.0.1.2").get("bgpState") == "Established" and
                 anycast_a_via(f1) == ["10.0.1.2"] and established(tgen.gears["rs1"], SOURCES),
                 True, count=120, wait=0.5)
    assert ok, (fabric_session(f1, "10.0.1.2").get("bgpState"), anycast_a_via(f1),
                appliances(tgen.gears["rs1"]))


def test_rs1_cut_second_sessions_refused(tgen):
    """
    rs1's fabric link goes down, no NOTIFICATION anywhere. A leads to rs2
    (OSPF), the appliances' A sessions to rs1 time out and reconnect to
    rs2, which holds their B sessions: refused (alreadyPeered), counted,
    logged once each, no quarantine after more refusals than quarantine
    failures; the B sessions carry the routes, nothing is lost.
    """
    rs1, rs2 = tgen.gears["rs1"], tgen.gears["rs2"]
    # a1 negotiated graceful restart: its session at rs2 must survive the
    # refused connections from its address (bgp_accept() would close it)
    a1_since = appliances(rs2)[APPS["a1"][0]]["since"]
    a1_up = vtysh_json(rs2, "show bgp neighbors %s json" % APPS["a1"][0])[APPS["a1"][0]]
    assert a1_up.get("gracefulRestartInfo", {}).get("remoteGrMode") == "Restart", a1_up.get(
        "gracefulRestartInfo")
    s = Stream(tgen, "rs1-link-cut")
    t_cut = time.time()
    rs1.cmd("ip link set rs1-eth0 down")
    # f1 hangs off a switch: its own link stays up, BFD finds the cut
    det = detect_failure(tgen, t_cut)
    RESULTS["rs1-link-cut-detection"] = det
    # bgpd tells the peer why: Cease/BFD Down (RFC 9384)
    assert "Cease/BFD Down" in det["bgpDownReason"], det
    assert "bgpDown" in det and "anycastAViaRs2" in det, det

    # FRR retries every second: past the quarantine's 5 failures; BIRD and
    # GoBGP wait longer after a NOTIFICATION
    need = {APPS["a1"][0]: 7, APPS["b1"][0]: 3, APPS["g1"][0]: 2}

    def refused_enough():
        apps = appliances(rs2)
        return all(apps.get(ip, {}).get("secondSessionsRefused", 0) >= n
                   for ip, n in need.items())

    ok, _ = poll(refused_enough, True, count=120, wait=0.5)
    assert ok, json.dumps(appliances(rs2), indent=1)
    res = s.stop()
    apps = appliances(rs2)
    for ip in SOURCES:
        assert apps[ip]["state"] == "admitted" and apps[ip]["established"], apps[ip]
    assert apps[APPS["a1"][0]]["since"] == a1_since, "a1's session at rs2 was reset"
    assert not [a for a, v in apps.items() if v["state"] in ("quarantined", "rejected")], apps
    p = pool(rs2)
    assert p["rejected"]["alreadyPeered"] >= sum(need.values()), p["rejected"]
    assert p["rejected"]["routerId"] == 0 and p["rejected"]["quarantined"] == 0, p["rejected"]
    log = bgpd_log(rs2)
    for ip in SOURCES:
        n = len(re.findall(r"refused a second session of %s " % re.escape(ip), log))
        assert n == 1, "%s: %d refusal lines" % (ip, n)
    assert_no_loss(res)


def test_first_session_goes_next_admitted(tgen):
    """With rs1 still cut, g1's session at rs2 is reset: its next attempt,
    on either address, is admitted; the refusals start again from 0."""
    rs2 = tgen.gears["rs2"]
    ip = APPS["g1"][0]
    before = pool(rs2)["admitted"]
    rs2.vtysh_cmd("clear bgp %s" % ip)
    ok, _ = poll(lambda: pool(rs2)["admitted"] > before and established(rs2, [ip]), True,
                 count=60, wait=0.5)
    assert ok, json.dumps(appliances(rs2).get(ip), indent=1)
    nbr = vtysh_json(rs2, "show bgp neighbors %s json" % ip).get(ip, {})
    RESULTS["g1-rehomed-on"] = nbr.get("hostLocal")


def test_rs1_back(tgen):
    """rs1's link comes back: A leads to rs1 again, the appliances' A
    sessions are admitted there; nothing is lost."""
    rs1 = tgen.gears["rs1"]
    s = Stream(tgen, "rs1-link-back")
    rs1.cmd("ip link set rs1-eth0 up")
    ok, _ = poll(lambda: established(rs1, SOURCES), True, count=120, wait=0.5)
    assert ok, json.dumps(appliances(rs1), indent=1)
    time.sleep(1)
    res = s.stop()
    for name, (_, _, svc) in APPS.items():
        if name == "g1" and RESULTS.get("g1-rehomed-on") == "10.255.0.1":
            # its one session at rs2 was on A, which leads to rs1 again:
            # rs1 resets it (no such connection), g1 reconnects; the loss
            # is g1's reconnect time (doc/runbook.rst)
            assert res[svc]["longestGapMs"] < 15000, (svc, res[svc])
            continue
        assert res[svc]["lost"] == 0, (svc, res[svc])


def move_a1(a1, old_if, new_if, new_ip):
    """a1's VM lands in another subnet: the old address vanishes without a
    NOTIFICATION (nothing can leave from it), the new one comes up."""
    a1.cmd("ip addr flush dev %s; ip link set %s down" % (old_if, old_if))
    a1.cmd("ip link set %s up; ip addr add %s/24 dev %s" % (new_if, new_ip, new_if))
    a1.vtysh_cmd("configure terminal\nrouter bgp 65011\n neighbor RS update-source %s" % new_ip)


def watch_move(tgen, old, new, limit):
    """Until both route servers hold new established and old gone: the
    first time each was seen Established (wall clock)."""
    seen = {}
    t_end = time.time() + limit
    while time.time() < t_end:
        done = True
        for rs in ("rs1", "rs2"):
            apps = appliances(tgen.gears[rs])
            if apps.get(new, {}).get("established") and rs not in seen:
                seen[rs] = time.time()
            # the old source stays listed a while as rejected, reason moved
            done = done and rs in seen and \
                apps.get(old, {}).get("state") not in ("admitted", "connecting")
        if done:
            return seen
        time.sleep(0.1)
    return None


def log_time(router, pattern):
    """Wall-clock time of the first bgpd.log line matching @pattern (FRR
    logs local time with microseconds), or None."""
    m = re.search(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)(\.\d+) .*%s" % pattern,
                  bgpd_log(router), re.M)
    if not m:
        return None
    return time.mktime(time.strptime(m.group(1), "%Y/%m/%d %H:%M:%S")) + float(m.group(2))


def outage_end(report, t_move):
    """When the stream to a1 came back after the move (wall clock)."""
    ends = [o["to"] for o in report["outages"] if o["to"] >= t_move and not o.get("open")]
    return min(ends) if ends else None


def test_move_takeover(tgen):
    """
    a1 moves into 10.0.4.0/24 keeping AS and identifier: at each route
    server its new session takes over once Established, the old one is
    closed at once (not after its hold time), counted as moved, no
    failure; the stream to a1 is back within a second of Established.
    """
    a1 = tgen.gears["a1"]
    s = Stream(tgen, "move-takeover")
    t_move = time.time()
    move_a1(a1, "a1-eth0", "a1-eth1", "10.0.4.11")
    seen = watch_move(tgen, "10.0.3.11", "10.0.4.11", 40)
    assert seen, {rs: appliances(tgen.gears[rs]) for rs in ("rs1", "rs2")}
    t_done = time.time()
    f1 = tgen.gears["f1"]
    want = {"192.0.2.11/32": [{"nexthops": [{"ip": "10.0.4.11"}]}]}
    assert expect_json(f1, "show ip route 192.0.2.11/32 json", want, count=20) is None
    time.sleep(1.5)
    res = s.stop()
    back = outage_end(res["192.0.2.11"], t_move)
    assert back, res["192.0.2.11"]
    est = min(seen.values())
    # the takeover, at the new session's End-of-RIB (its routes are in)
    took = min(log_time(tgen.gears[rs], r"moved from 10\.0\.3\.11 to 10\.0\.4\.11")
               for rs in ("rs1", "rs2"))
    RESULTS["move-takeover"]["192.0.2.11"].update(
        {"establishedToTrafficS": round(back - est, 3), "moveToTrafficS": round(back - t_move, 3),
         "takeoverToTrafficS": round(back - took, 3),
         "oldGoneAfterEstablishedS": round(t_done - est, 3)})
    for rs in ("rs1", "rs2"):
        r = tgen.gears[rs]
        p = pool(r)
        assert p["rejected"]["moved"] == 1 and p["rejected"]["routerId"] == 0, (rs, p["rejected"])
        assert re.search(r"moved from 10\.0\.3\.11 to 10\.0\.4\.11", bgpd_log(r)), rs
        assert not [a for a, v in appliances(r).items() if v["state"] == "quarantined"]
    # make before break: the old session went once the new one's routes
    # were in, long before its hold time, and the users were back within a
    # second of that. From Established, the appliance's own delay before
    # its first UPDATE comes first (an FRR appliance's coalesce-time, 1 s).
    assert t_done - est < HOLD_A1 / 2, (seen, t_done)
    assert back - took <= 1.0, RESULTS["move-takeover"]
    assert back - est <= 2.5, RESULTS["move-takeover"]
    for svc in ("192.0.2.21", "192.0.2.22"):
        assert res[svc]["lost"] == 0, (svc, res[svc])


def test_move_reject_baseline(tgen):
    """
    The same move back under mobility reject (what the module did before):
    the new session is a clone (routerId) until the old one's hold time
    ends and, as a1 negotiated graceful restart, its restart time after
    that (the route server keeps the old neighbor for it); the users wait.
    """
    a1 = tgen.gears["a1"]
    for rs in ("rs1", "rs2"):
        # the clone's rejections are failures: keep them from quarantining it
        tgen.gears[rs].vtysh_cmd(
            "configure terminal\nrouter bgp 65000\n vappliance pool web mobility reject\n"
            " vappliance pool web quarantine failures 100 within 60 hold 30")
    s = Stream(tgen, "move-reject")
    t_move = time.time()
    move_a1(a1, "a1-eth1", "a1-eth0", "10.0.3.11")
    seen = watch_move(tgen, "10.0.4.11", "10.0.3.11", 90)
    assert seen, {rs: appliances(tgen.gears[rs]) for rs in ("rs1", "rs2")}
    f1 = tgen.gears["f1"]
    want = {"192.0.2.11/32": [{"nexthops": [{"ip": "10.0.3.11"}]}]}
    assert expect_json(f1, "show ip route 192.0.2.11/32 json", want, count=20) is None
    time.sleep(1.5)
    res = s.stop()
    back = outage_end(res["192.0.2.11"], t_move)
    assert back, res["192.0.2.11"]
    RESULTS["move-reject"]["192.0.2.11"]["moveToTrafficS"] = round(back - t_move, 3)
    for rs in ("rs1", "rs2"):
        r = tgen.gears[rs]
        assert pool(r)["rejected"]["routerId"] > 0, rs
        r.vtysh_cmd("configure terminal\nrouter bgp 65000\n no vappliance pool web mobility\n"
                    " vappliance pool web quarantine")
        assert pool(r)["mobility"] == "takeover"
    # the old session's hold time, give or take its keepalive, then its
    # graceful restart's restart time
    assert back - t_move >= HOLD_A1 + RESTART_A1 - 3, RESULTS["move-reject"]


def best_via(f1, svc):
    """The route server whose copy of svc f1 uses, and rs1's copy's local-pref."""
    out = vtysh_json(f1, "show bgp ipv4 unicast %s/32 json" % svc)
    best, lp1 = None, None
    for p in out.get("paths", []):
        peer = p.get("peer", {}).get("peerId")
        if p.get("bestpath", {}).get("overall"):
            best = peer
        if peer == "10.0.1.2":
            lp1 = p.get("locPrf")
    return best, lp1


def test_drain_undrain_hitless(tgen):
    """
    `vappliance anycast all shutdown grace 6 message ...` on rs1: during
    the grace the fabric moves to rs2's copies (LOCAL_PREF 0 and
    graceful-shutdown on rs1's, through `match vappliance draining`),
    then rs1 tells its sessions and both addresses go. No packet lost;
    undrain brings rs1 back, again without loss.
    """
    rs1, f1 = tgen.gears["rs1"], tgen.gears["f1"]
    s = Stream(tgen, "drain")
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                  " vappliance anycast all shutdown grace 6 message maintenance window 42")
    ok, _ = poll(lambda: all(best_via(f1, svc) == ("10.0.2.2", 0) for svc in SERVICES), True,
                 count=20, wait=0.25)
    assert ok, [best_via(f1, svc) for svc in SERVICES]
    comm = vtysh_json(f1, "show bgp ipv4 unicast 192.0.2.21/32 json")
    assert "graceful-shutdown" in json.dumps(comm), comm
    # after the grace: the sessions were told, the addresses went
    ok, _ = poll(lambda: not any(a.get("established") for a in appliances(rs1).values()), True,
                 count=40, wait=0.5)
    assert ok, appliances(rs1)
    assert "10.255.0." not in rs1.cmd("ip -o addr show dev lo")
    assert wait_log(tgen, tgen.gears["a1"], r"6/2 \(Cease/Administrative Shutdown\).*maintenance window 42")
    time.sleep(2)  # A reconnects to rs2 and is refused there (B held)
    res = s.stop()
    assert_no_loss(res, "drain")

    s = Stream(tgen, "undrain")
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n no vappliance anycast all shutdown")
    ok, _ = poll(lambda: established(rs1, SOURCES), True, count=120, wait=0.5)
    assert ok, appliances(rs1)
    ok, _ = poll(lambda: all(best_via(f1, svc)[1] in (None, 100) for svc in SERVICES), True,
                 count=20, wait=0.5)
    assert ok, [best_via(f1, svc) for svc in SERVICES]
    time.sleep(1)
    res = s.stop()
    assert_no_loss(res, "undrain")


def fabric_bfd(tgen, on):
    """BFD on rs1's fabric session and OSPF adjacency, at both ends."""
    # (ospfd takes the profile only once BFD is on: `ip ospf bfd` first)
    ospf = "ip ospf bfd\n ip ospf bfd profile fabric" if on else "no ip ospf bfd"
    bgp = "neighbor %s bfd profile fabric" if on else "no neighbor %s bfd"
    tgen.gears["f1"].vtysh_cmd("configure terminal\nrouter bgp 65000\n %s\nexit\n"
                               "interface f1-eth0\n %s" % (bgp % "10.0.1.2", ospf))
    tgen.gears["rs1"].vtysh_cmd("configure terminal\nrouter bgp 65000\n %s\nexit\n"
                                "interface rs1-eth0\n %s" % (bgp % "FABRIC", ospf))


def restore_rs1(tgen, event, action):
    """action() brings rs1 back: the stream runs until rs1 holds every
    appliance again, and loses nothing."""
    s = Stream(tgen, event)
    action()
    ok, _ = poll(lambda: established(tgen.gears["rs1"], SOURCES), True, count=120, wait=0.5)
    assert ok, json.dumps(appliances(tgen.gears["rs1"]), indent=1)
    time.sleep(1)
    res = s.stop()
    assert_no_loss(res, event)


def test_rs1_cut_without_bfd_baseline(tgen):
    """
    The same cut with BFD off, as stock FRR runs (f1 finds it by its BGP
    hold time and OSPF dead interval, 3 s each): detection takes ten times
    longer, and the users, whose appliances peer with both addresses,
    still lose nothing.
    """
    rs1 = tgen.gears["rs1"]
    fabric_bfd(tgen, False)
    # BFD going away at one end first looks like a failure to the other:
    # the session may go down once; start from a steady fabric
    fabric_steady(tgen)
    s = Stream(tgen, "rs1-link-cut-without-bfd")
    t_cut = time.time()
    rs1.cmd("ip link set rs1-eth0 down")
    det = detect_failure(tgen, t_cut)
    RESULTS["rs1-link-cut-without-bfd-detection"] = det
    assert "bgpDown" in det and "anycastAViaRs2" in det, det
    assert "Hold Timer Expired" in det["bgpDownReason"], det
    time.sleep(2)
    res = s.stop()
    assert_no_loss(res)
    restore_rs1(tgen, "rs1-link-back-without-bfd",
                lambda: rs1.cmd("ip link set rs1-eth0 up"))
    fabric_bfd(tgen, True)

    def bfd_up():
        peers = vtysh_json(tgen.gears["f1"], "show bfd peers json")
        return sorted(p.get("peer") for p in peers if p.get("status") == "up")

    ok, up = poll(bfd_up, ["10.0.1.2", "10.0.2.2"], count=40)
    assert ok, up


def test_rs1_bgpd_killed(tgen):
    """
    kill -9 of rs1's bgpd: no NOTIFICATION, and bfdd lives on. f1 finds
    the dead server (the detection and its cause are reported); rs1's
    anycast addresses leave its lo when their lease (6 s) runs out, A
    leads to rs2, which refuses the A sessions (B held); nothing is lost.
    bgpd restarts from its saved config and takes its sessions back,
    again without loss.
    """
    rs1 = tgen.gears["rs1"]
    fabric_steady(tgen)
    s = Stream(tgen, "rs1-bgpd-kill9")
    t_kill = time.time()
    rs1.killDaemons(["bgpd"], wait=False)  # (wait=True sleeps 2 s)
    det = detect_failure(tgen, t_kill, limit=20)
    RESULTS["rs1-bgpd-kill9-detection"] = det
    assert all(k in det for k in ("bgpDown", "anycastAViaRs2", "rs1AddressesGone")), det
    time.sleep(2)
    res = s.stop()
    assert_no_loss(res)
    restore_rs1(tgen, "rs1-bgpd-restart", lambda: start_bgpd(rs1))


def test_far_end_cut_bfd_drives_anycast(tgen):
    """
    The fabric link cut at f1's end: rs1's own link stays up (a switch
    between), so only BFD can tell rs1 before its hold time. Its tracked
    FABRIC session goes down on BFD (Cease/BFD Down) and the track takes
    both anycast addresses off its lo at once; the users lose nothing.
    """
    rs1, f1 = tgen.gears["rs1"], tgen.gears["f1"]
    fabric_steady(tgen)
    s = Stream(tgen, "f1-end-cut")
    t_cut = time.time()
    f1.cmd("ip link set f1-eth0 down")
    ok, _ = poll(lambda: "10.255.0." in rs1.cmd("ip -o addr show dev lo"), False, count=100,
                 wait=0.05)
    gone = time.time() - t_cut
    assert ok, rs1.cmd("ip -o addr show dev lo")
    reason = down_reason(fabric_session(rs1, "10.0.1.1"))
    RESULTS["f1-end-cut-detection"] = {"rs1AddressesGone": round(gone, 3), "rs1DownReason": reason}
    assert "Cease/BFD Down" in reason, reason
    acs = vtysh_json(rs1, "show bgp vappliance anycast json")["anycast"]
    for pfx in ("10.255.0.1/32", "10.255.0.2/32"):
        assert acs[pfx]["state"] == "down" and "FABRIC" in acs[pfx]["reason"], acs[pfx]
    time.sleep(2)
    res = s.stop()
    assert_no_loss(res)
    restore_rs1(tgen, "f1-end-back", lambda: f1.cmd("ip link set f1-eth0 up"))
