#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_anycast: anycast loopback health on the wire.

r1 and r2 (route servers, `bgpd -M vappliance`) both hold 10.255.0.1/32 on
lo while their FABRIC session to f1 is up (restore-delay 3 s, lease 6 s).
f1 runs OSPF with both (r1 redistributes the address with metric 10, r2 with
20) and IBGP with both. Appliances a1 (short timers) and a2 (long timers)
sit behind f1 and peer with 10.255.0.1 (IBGP multihop), each announcing a
/32. Failover, restore, drain and a killed bgpd move the appliances between
r1 and r2.
"""
import json
import os
import re
import time

import pytest

from lib import topotest
from lib.topogen import Topogen

from vapplib import load_plain, load_route_server, roundtrip, start_bgpd, vtysh_json

pytestmark = [pytest.mark.bgpd]
CWD = os.path.dirname(os.path.realpath(__file__))
ANY = "10.255.0.1"
TIMES = {}


def build_topo(tgen):
    for name in ("r1", "r2", "f1", "a1", "a2"):
        tgen.add_router(name)
    s = tgen.add_switch("s1")
    s.add_link(tgen.gears["r1"])
    s.add_link(tgen.gears["f1"])
    s = tgen.add_switch("s2")
    s.add_link(tgen.gears["r2"])
    s.add_link(tgen.gears["f1"])
    s = tgen.add_switch("s3")
    s.add_link(tgen.gears["f1"])
    s.add_link(tgen.gears["a1"])
    s.add_link(tgen.gears["a2"])


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    for rs in ("r1", "r2"):
        load_route_server(tgen.gears[rs], os.path.join(CWD, rs, "frr.conf"), ospf=True)
    load_plain(tgen.gears["f1"], os.path.join(CWD, "f1/frr.conf"), ospf=True)
    for a in ("a1", "a2"):
        load_plain(tgen.gears[a], os.path.join(CWD, a, "frr.conf"))
    tgen.start_router()
    yield tgen
    print("\nfailover timings (informative):", json.dumps(TIMES, indent=1, sort_keys=True))
    # bench/p3_anycast.py collects these over repeated runs
    if os.environ.get("VAPP_BENCH_TIMES"):
        with open(os.environ["VAPP_BENCH_TIMES"], "a") as f:
            f.write(json.dumps(TIMES, sort_keys=True) + "\n")
    tgen.stop_topology()


def has_any(router):
    return (" %s/32 " % ANY) in router.cmd("ip -o -4 addr show dev lo") + " "


def anycast_state(router):
    out = vtysh_json(router, "show bgp vappliance anycast json")
    return out.get("anycast", {}).get(ANY + "/32", {})


def ospf_nexthop(f1):
    out = vtysh_json(f1, "show ip route %s/32 json" % ANY)
    for route in out.get("%s/32" % ANY, []):
        for nh in route.get("nexthops", []):
            if nh.get("active"):
                return nh.get("ip")
    return None


def appliance_on(rs, src):
    apps = vtysh_json(rs, "show bgp vappliance appliances json")["appliances"]
    a = apps.get(src, {})
    return a.get("state") == "admitted" and a.get("established") is True


def f1_learns_from(f1, prefix):
    out = vtysh_json(f1, "show bgp ipv4 unicast %s json" % prefix)
    for p in out.get("paths", []):
        if p.get("bestpath", {}).get("overall"):
            return p.get("peer", {}).get("peerId")
    return None


def wait(fn, want, count=60, wait_s=0.5):
    ok, got = topotest.run_and_expect(fn, want, count=count, wait=wait_s)
    return ok, got


def log_time(router, tgen, pattern):
    """Timestamp (epoch seconds) of the last log line matching pattern."""
    path = os.path.join(tgen.logdir, router.name, "bgpd.log")
    last = None
    with open(path, errors="replace") as f:
        for line in f:
            if re.search(pattern, line):
                last = line
    if not last:
        return None
    m = re.match(r"(\d+/\d+/\d+ \d+:\d+:\d+)(\.\d+)?", last)
    t = time.mktime(time.strptime(m.group(1), "%Y/%m/%d %H:%M:%S"))
    return t + float(m.group(2) or 0)


def log_span(router, tgen, start, end):
    """Seconds from the last line matching start to the last matching end,
    at most (a line logged before the timestamp precision was configured
    has whole seconds: up to 1 s more)"""
    path = os.path.join(tgen.logdir, router.name, "bgpd.log")
    with open(path, errors="replace") as f:
        text = f.read()
    whole = any(re.match(r"\d+/\d+/\d+ \d+:\d+:\d+ ", l)
                for l in text.splitlines() if re.search(start, l) or re.search(end, l))
    t0, t1 = log_time(router, tgen, start), log_time(router, tgen, end)
    if t0 is None or t1 is None:
        return None
    return t1 - t0 + (1 if whole else 0)


def test_both_up_r1_preferred(tgen):
    r1, r2, f1 = (tgen.gears[n] for n in ("r1", "r2", "f1"))
    for rs in (r1, r2):
        ok, _ = wait(lambda: anycast_state(rs).get("state"), "up", count=60)
        assert ok, anycast_state(rs)
        assert has_any(rs), rs.cmd("ip addr show lo")
    st = anycast_state(r1)
    assert st["installed"] and st["tracks"][0]["peerGroup"] == "FABRIC", st
    assert st["tracks"][0]["established"] == 1, st
    ok, nh = wait(lambda: ospf_nexthop(f1), "10.0.1.2")
    assert ok, nh


def test_appliances_on_r1(tgen):
    r1, f1 = tgen.gears["r1"], tgen.gears["f1"]
    for src in ("10.0.3.11", "10.0.3.12"):
        ok, _ = wait(lambda: appliance_on(r1, src), True, count=80)
        assert ok, vtysh_json(r1, "show bgp vappliance appliances json")
    ok, peer = wait(lambda: f1_learns_from(f1, "192.0.2.11/32"), "10.0.1.2")
    assert ok, peer


def test_failover_to_r2(tgen):
    r1, r2, f1, a1 = (tgen.gears[n] for n in ("r1", "r2", "f1", "a1"))
    t0 = time.time()
    r1.vtysh_cmd("configure terminal\nrouter bgp 65000\nneighbor FABRIC shutdown")
    ok, _ = wait(lambda: has_any(r1), False, count=40, wait_s=0.1)
    assert ok, r1.cmd("ip addr show lo")
    t_gone = time.time()
    st = anycast_state(r1)
    assert st["state"] == "down" and "FABRIC: 0 of 1" in st["reason"], st
    ok, _ = wait(lambda: appliance_on(r2, "10.0.3.11"), True, count=100, wait_s=0.1)
    assert ok, vtysh_json(r2, "show bgp vappliance appliances json")
    t_a1 = time.time()
    ok, peer = wait(lambda: f1_learns_from(f1, "192.0.2.11/32"), "10.0.2.2")
    assert ok, peer
    # the module's own reaction: last tracked session down -> address removed
    down = log_time(r1, tgen, r"ADJCHANGE: neighbor 10\.0\.1\.1.* Down")
    removed = log_time(r1, tgen, r"vappliance: anycast 10\.255\.0\.1/32 on lo .*up -> down")
    TIMES["tracked session down -> address removed (ms, r1 log)"] = round((removed - down) * 1000, 1)
    TIMES["shutdown command -> address gone (s)"] = round(t_gone - t0, 3)
    TIMES["shutdown command -> a1 Established on r2 (s, polled)"] = round(t_a1 - t0, 3)
    # the sessions on the withdrawn address were told at once, with why
    # (else they wait out their hold time: r2 cannot reset a TCP-MD5
    # session it does not know)
    told = log_time(a1, tgen, r"received from neighbor 10\.255\.0\.1 6/4 \(Cease/Administrative "
                    r"Reset\) \"route server unhealthy, anycast 10\.255\.0\.1/32 withdrawn: "
                    r"peer-group FABRIC: 0 of 1")
    assert told and told >= down, "a1 was not told (Administrative Reset with the reason)"
    up = log_time(a1, tgen, r"neighbor 10\.255\.0\.1\(r2\) in vrf default Up")
    assert up and up > told, up
    TIMES["tracked session down -> a1 told (ms, logs)"] = round((told - down) * 1000, 1)
    TIMES["tracked session down -> a1 Established on r2 (s, logs)"] = round(up - down, 3)


def test_restore_back_to_r1(tgen):
    r1, f1 = tgen.gears["r1"], tgen.gears["f1"]
    t0 = time.time()
    r1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno neighbor FABRIC shutdown")
    # restore-delay: not at once
    ok, st = wait(lambda: anycast_state(r1).get("state"), "restoring", count=50, wait_s=0.1)
    assert ok, anycast_state(r1)
    assert not has_any(r1)
    ok, _ = wait(lambda: has_any(r1), True, count=60, wait_s=0.2)
    assert ok, anycast_state(r1)
    TIMES["fabric back -> address reinstalled (s, restore-delay 3)"] = round(time.time() - t0, 3)
    # restore-delay counts from the module's own "healthy again" to "up",
    # not from the command (which includes the session's set-up)
    span = log_span(r1, tgen, r"anycast %s/32 on lo .*-> restoring" % re.escape(ANY),
                    r"anycast %s/32 on lo .*restoring -> up" % re.escape(ANY))
    assert span is not None and span >= 3 - 0.01, span
    ok, nh = wait(lambda: ospf_nexthop(f1), "10.0.1.2")
    assert ok, nh
    # new sessions land on r1 again
    ok, _ = wait(lambda: appliance_on(r1, "10.0.3.11"), True, count=100, wait_s=0.2)
    assert ok, vtysh_json(r1, "show bgp vappliance appliances json")


def a_session_to(appliance):
    """Router-id of the route server the appliance's session is really with."""
    n = vtysh_json(appliance, "show bgp neighbors %s json" % ANY).get(ANY, {})
    return n.get("remoteRouterId") if n.get("bgpState") == "Established" else None


def test_drain_with_message(tgen):
    r1, r2, a1, a2 = (tgen.gears[n] for n in ("r1", "r2", "a1", "a2"))
    # a2 (60 s keepalives) may still sit on r2 since the failover, its old
    # session unnoticed: move it (a new connection follows the IGP to r1)
    a2.vtysh_cmd("clear bgp %s" % ANY)
    for a in (a1, a2):
        ok, rid = wait(lambda: a_session_to(a), "10.0.1.2", count=120, wait_s=0.25)
        assert ok, (a.name, rid)
    t0 = time.time()
    r1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                 "vappliance anycast 10.255.0.1/32 shutdown grace 2 message maintenance window 42")
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "draining", count=20, wait_s=0.1)
    assert ok, anycast_state(r1)
    # through the grace the address stays and the sessions keep working
    time.sleep(1)
    assert has_any(r1) and a_session_to(a1) == "10.0.1.2"

    def got_drain(a):
        path = os.path.join(tgen.logdir, a.name, "bgpd.log")
        with open(path, errors="replace") as f:
            return re.search(r"received from neighbor 10\.255\.0\.1 6/2 \(Cease/Administrative "
                             r"Shutdown\) \"maintenance window 42\"", f.read()) is not None

    for a in (a1, a2):
        ok, _ = wait(lambda: got_drain(a), True, count=60, wait_s=0.1)
        assert ok, a.name
    t_msg = time.time() - t0
    assert t_msg >= 2, "sent before the grace"
    TIMES["drain -> appliances get Administrative Shutdown with message (s, grace 2, polled)"] = \
        round(t_msg, 3)
    began = log_time(r1, tgen, r"anycast 10\.255\.0\.1/32 on lo .*-> draining")
    got = log_time(a1, tgen, r"received from neighbor 10\.255\.0\.1 6/2")
    # not before the grace (the two logs' timestamps are taken a little
    # apart: allow 0.1 s)
    assert began and got and got - began >= 1.9, (began, got)
    TIMES["drain -> a1 gets Administrative Shutdown with message (s, grace 2, logs)"] = \
        round(got - began, 3)
    ok, _ = wait(lambda: has_any(r1), False, count=20, wait_s=0.1)
    assert ok
    for a in (a1, a2):
        ok, rid = wait(lambda: a_session_to(a), "10.0.2.2", count=120, wait_s=0.25)
        assert ok, (a.name, rid)
    for src in ("10.0.3.11", "10.0.3.12"):
        ok, _ = wait(lambda: appliance_on(r2, src), True, count=40, wait_s=0.25)
        assert ok, vtysh_json(r2, "show bgp vappliance appliances json")
    r1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno vappliance anycast 10.255.0.1/32 shutdown")
    ok, _ = wait(lambda: has_any(r1), True, count=60, wait_s=0.2)
    assert ok, anycast_state(r1)


def test_running_config_roundtrip(tgen):
    r1 = tgen.gears["r1"]
    before, after = roundtrip(r1)
    assert before == after
    mine = [l for l in before if l.startswith(" vappliance anycast")]
    assert mine == [
        " vappliance anycast 10.255.0.1/32",
        " vappliance anycast 10.255.0.1/32 track peer-group FABRIC min-established 1",
        " vappliance anycast 10.255.0.1/32 restore-delay 3",
        " vappliance anycast 10.255.0.1/32 lease 6",
    ], mine
    ok, _ = wait(lambda: has_any(r1), True, count=60, wait_s=0.2)
    assert ok, anycast_state(r1)
    r2 = tgen.gears["r2"]
    before, after = roundtrip(r2)
    assert before == after
    assert any(l.startswith(" vappliance anycast 10.255.0.1/32") for l in before), before
    ok, _ = wait(lambda: has_any(r2), True, count=60, wait_s=0.2)
    assert ok, anycast_state(r2)


def test_kill9_address_expires_within_lease(tgen):
    r1 = tgen.gears["r1"]
    ok, _ = wait(lambda: has_any(r1), True, count=60, wait_s=0.2)
    assert ok
    t0 = time.time()
    r1.killDaemons(["bgpd"])  # SIGKILL: no cleanup from bgpd
    ok, _ = wait(lambda: has_any(r1), False, count=80, wait_s=0.1)
    gone = time.time() - t0
    assert ok, r1.cmd("ip addr show lo")
    # the lease counts from the last renewal; the kernel checks address
    # lifetimes on a timer rounded up to whole seconds (net/ipv4/devinet.c
    # check_lifetime()), which adds up to about 2 s
    assert gone <= 6 + 2.5, gone
    TIMES["kill -9 -> address expired (s, lease 6)"] = round(gone, 3)
    start_bgpd(r1)
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "up", count=80, wait_s=0.25)
    assert ok, anycast_state(r1)


def bgpd_pid(router):
    return router.cmd("cat /var/run/frr/bgpd.pid").strip()


def test_kill9_restart_removes_leftover(tgen):
    """A bgpd restarted within the lease finds its own address still there
    (nobody removed it): it takes it away at start and installs it again
    only after restore-delay, like any start."""
    r1 = tgen.gears["r1"]
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "up", count=80, wait_s=0.25)
    assert ok, anycast_state(r1)
    r1.killDaemons(["bgpd"])
    assert has_any(r1), "the address should outlive a killed bgpd for the lease"
    start_bgpd(r1)
    ok, _ = wait(lambda: has_any(r1), False, count=40, wait_s=0.1)
    assert ok, r1.cmd("ip addr show lo")
    path = os.path.join(tgen.logdir, "r1", "bgpd.log")
    assert re.search(r"vappliance: removed 1 leftover anycast addresses at start",
                     open(path, errors="replace").read())
    st = anycast_state(r1)
    assert st.get("state") in ("startup", "down"), st
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "up", count=80, wait_s=0.25)
    assert ok, anycast_state(r1)
    assert has_any(r1)
    # not before restore-delay (3 s) from the tracked session's Up, as bgpd
    # logged it, to the module's "-> up"
    span = log_span(r1, tgen, r"%ADJCHANGE: neighbor 10\.0\.1\.1.* Up",
                    r"anycast %s/32 on lo .*startup -> up" % re.escape(ANY))
    assert span is not None and span >= 3 - 0.01, span


def test_sigstop_hang_loses_address_and_restores_after_delay(tgen):
    """A hung bgpd (SIGSTOP) cannot renew its lease: the kernel removes the
    address. When bgpd runs again it does not put the address back at once
    on an overdue renewal: the lease lapsed, so it starts over (tracked
    sessions re-established and healthy for restore-delay)."""
    r1, f1 = tgen.gears["r1"], tgen.gears["f1"]
    # FABRIC's hold time (3 s) is shorter than the stop: the tracked session
    # would flap and restart restore-delay by itself. Here hold 30 s, so
    # only the lapsed lease can explain the delay (and the session must not
    # flap, checked below).
    fabric_timers(r1, f1, 10, 30)
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "up", count=80, wait_s=0.25)
    assert ok, anycast_state(r1)
    flaps = fabric_sessions(f1)
    pid = bgpd_pid(r1)
    # what is left of the lease the kernel holds (whole seconds, <= 6)
    left = re.search(r" %s/32 .*valid_lft (\d+)sec" % re.escape(ANY),
                     r1.cmd("ip -o -4 addr show dev lo"))
    assert left and int(left.group(1)) <= 6, r1.cmd("ip -o -4 addr show dev lo")
    t0 = time.time()
    r1.cmd("kill -STOP %s" % pid)
    try:
        ok, _ = wait(lambda: has_any(r1), False, count=150, wait_s=0.1)
        gone = time.time() - t0
        assert ok, r1.cmd("ip addr show lo")
        # the kernel's lifetime check runs on whole seconds (a second of
        # rounding, one more of the rounding of valid_lft shown), plus
        # this loop's polling on a loaded machine
        assert gone <= int(left.group(1)) + 3.5, (gone, left.group(1))
        TIMES["SIGSTOP -> address expired (s, lease 6)"] = round(gone, 3)
    finally:
        r1.cmd("kill -CONT %s" % pid)
    t1 = time.time()
    # back in the game, but not with the address yet
    reappeared = None
    while time.time() - t1 < 2.0:
        if has_any(r1):
            reappeared = time.time() - t1
            break
        time.sleep(0.05)
    assert reappeared is None, "address back %.2f s after SIGCONT, before restore-delay" % reappeared
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "up", count=120, wait_s=0.25)
    assert ok, anycast_state(r1)
    # bgpd did run in those 2 s (a slow resume would pass them too): the
    # module saw the lapse and waited restore-delay from then, by its log
    span = log_span(r1, tgen, r"anycast %s/32 on lo .*-> restoring" % re.escape(ANY),
                    r"anycast %s/32 on lo .*restoring -> up" % re.escape(ANY))
    assert span is not None and span >= 3 - 0.01, span
    assert log_time(r1, tgen, r"anycast %s/32 on lo .*-> restoring" % re.escape(ANY)) >= t1 - 1, \
        "no lapse seen after SIGCONT"
    assert has_any(r1) and bgpd_pid(r1) == pid
    assert fabric_sessions(f1) == flaps, "the tracked session flapped during the stop"
    fabric_timers(r1, f1, 1, 3)
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "up", count=80, wait_s=0.25)
    assert ok, anycast_state(r1)


def fabric_sessions(f1):
    """(state, sessions established so far) of f1's session with r1"""
    n = vtysh_json(f1, "show bgp neighbors 10.0.1.2 json").get("10.0.1.2", {})
    return n.get("bgpState"), n.get("connectionsEstablished")


def fabric_timers(r1, f1, keepalive, hold):
    """FABRIC's timers on both ends, applied by a new session"""
    r1.vtysh_cmd("configure terminal\nrouter bgp 65000\nneighbor FABRIC timers %d %d"
                 % (keepalive, hold))
    f1.vtysh_cmd("configure terminal\nrouter bgp 65000\nneighbor 10.0.1.2 timers %d %d"
                 % (keepalive, hold))
    r1.vtysh_cmd("clear bgp 10.0.1.1")
    ok, _ = wait(lambda: fabric_sessions(f1)[0], "Established", count=60, wait_s=0.5)
    assert ok, fabric_sessions(f1)


def test_sigterm_removes_address_before_exit(tgen):
    r1 = tgen.gears["r1"]
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "up", count=80, wait_s=0.25)
    assert ok, anycast_state(r1)
    pid = bgpd_pid(r1)
    r1.cmd("kill -TERM %s" % pid)
    ok, _ = wait(lambda: r1.cmd("test -d /proc/%s && echo alive" % pid).strip(), "",
                 count=100, wait_s=0.1)
    assert ok, "bgpd did not exit"
    # gone the moment bgpd is: removed by bgpd, not by the lease
    assert not has_any(r1), r1.cmd("ip addr show lo")
    path = os.path.join(tgen.logdir, "r1", "bgpd.log")
    assert re.search(r"vappliance: anycast 10\.255\.0\.1/32 removed at bgpd exit",
                     open(path, errors="replace").read())
    start_bgpd(r1)
    ok, _ = wait(lambda: anycast_state(r1).get("state"), "up", count=80, wait_s=0.25)
    assert ok, anycast_state(r1)
