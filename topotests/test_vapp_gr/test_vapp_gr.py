#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_gr: an FRR appliance that restarts with graceful restart (issue 13,
item 4). rs1 is a graceful-restart helper (FRR's default), so when a1's
bgpd is killed the dynamic neighbor stays, its routes stale:

- the session counts as down (pool sessions 0) while its slot stays held
  (sessionsHeld 1) and bgpd keeps its routes, stale, as the docs say;
- the restarted session is decided as a new session (the pool's admitted
  counter, which counts every decision, grows) and what it re-sends
  replaces the stale routes: the prefix it no longer announces goes at its
  End-of-RIB, and the module's counts follow;
- a change of the pool's prefix policy during the wait removes the stale
  routes (they cannot be re-evaluated without a session);
- restarted with an AS outside the pool's set, it is refused as a first
  OPEN is (Bad Peer AS, a failure: with failures 1 the source is
  quarantined), and its stale routes go at once, not after the restart
  time (120 s).

First, the debug switches for admission and policy (issue 15).
"""
import os
import time

import pytest

from lib.topogen import Topogen

from vapplib import bgpd_log, expect_json, load_plain, load_route_server, poll, vtysh_json

pytestmark = [pytest.mark.bgpd]
CWD = os.path.dirname(os.path.realpath(__file__))
A1 = "10.0.0.11"
P1, P2 = "10.200.1.0/24", "10.200.2.0/24"


def build_topo(tgen):
    s1 = tgen.add_switch("s1")
    s1.add_link(tgen.add_router("rs1"))
    s1.add_link(tgen.add_router("a1"))


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], os.path.join(CWD, "rs1/frr.conf"))
    load_plain(tgen.gears["a1"], os.path.join(CWD, "a1/frr.conf"))
    tgen.start_router()
    yield tgen
    tgen.stop_topology()


def js(router, cmd):
    out = vtysh_json(router, cmd)
    assert "__unparsable__" not in out, out
    return out


def paths(rs1, prefix):
    """rs1's paths for @prefix from a1: [(valid, stale)]"""
    out = js(rs1, "show bgp ipv4 unicast %s json" % prefix)
    return [(p.get("valid", False), p.get("stale", False))
            for p in out.get("paths", [])
            if p.get("peer", {}).get("peerId") == A1]


def app(rs1):
    return js(rs1, "show bgp vappliance appliances json")["appliances"].get(A1, {})


def pool(rs1):
    return js(rs1, "show bgp vappliance pools json")["pools"]["web"]


def start_a1(a1, conf):
    a1.startDaemons(["bgpd"])
    a1.cmd("vtysh -f %s" % os.path.join(CWD, "a1", conf))


def test_admitted_with_both_prefixes(tgen):
    rs1 = tgen.gears["rs1"]
    expected = {"appliances": {A1: {"state": "admitted", "established": True,
                                    "prefixes": {"accepted": 2}}}}
    assert expect_json(rs1, "show bgp vappliance appliances json", expected, count=60) is None
    assert paths(rs1, P1) == [(True, False)] and paths(rs1, P2) == [(True, False)]
    # the helper side: a1 negotiated graceful restart for ipv4 unicast
    nb = js(rs1, "show bgp neighbors %s json" % A1)[A1]
    assert nb["gracefulRestartInfo"]["remoteGrMode"] == "Restart", nb["gracefulRestartInfo"]


def soft_in(rs1):
    """`clear ... soft in` for a1, done: rs1 keeps no Adj-RIB-In, so it asks
    a1 (ROUTE-REFRESH) and runs the policy on the UPDATEs a1 sends back."""
    def stats():
        n = vtysh_json(rs1, "show bgp neighbors %s json" % A1)[A1]["messageStats"]
        return n["routeRefreshSent"], n["updatesRecv"]

    rr, upd = stats()
    rs1.vtysh_cmd("clear bgp ipv4 unicast %s soft in" % A1)
    ok, got = poll(lambda: stats()[0] > rr and stats()[1] > upd, True, count=20)
    assert ok, ("no ROUTE-REFRESH round trip", rr, upd, stats())
    time.sleep(1)  # bgpd works the UPDATEs off after reading them


def test_debug_switches(tgen):
    """debug bgp vappliance [admission|policy]: off by default, listed in
    show debugging, kept in the running-config when configured, per
    decision lines while on, none once off."""
    rs1 = tgen.gears["rs1"]
    assert "vappliance" not in rs1.vtysh_cmd("show debugging"), rs1.vtysh_cmd("show debugging")
    before = bgpd_log(rs1).count("vappliance: policy: ")
    soft_in(rs1)
    assert bgpd_log(rs1).count("vappliance: policy: ") == before  # off: nothing
    rs1.vtysh_cmd("configure terminal\ndebug bgp vappliance admission\n"
                  "debug bgp vappliance policy\nend")
    dbg = rs1.vtysh_cmd("show debugging")
    assert "BGP vappliance admission debugging is on" in dbg, dbg
    assert "BGP vappliance policy debugging is on" in dbg, dbg
    assert "BGP vappliance anycast debugging is on" not in dbg, dbg
    conf = rs1.vtysh_cmd("show running-config")
    assert "debug bgp vappliance admission" in conf and "debug bgp vappliance policy" in conf, conf
    # the policy re-run and a new connection, decision by decision
    rs1.vtysh_cmd("clear bgp ipv4 unicast %s soft in" % A1)
    ok, _ = poll(lambda: "vappliance: policy: %s unicast %s path 0 next hop %s: accepted"
                 % (A1, P1, A1) in bgpd_log(rs1), True, count=20)
    assert ok, bgpd_log(rs1)[-3000:]
    rs1.vtysh_cmd("clear bgp %s" % A1)
    ok, _ = poll(lambda: ("vappliance: admission: %s (peer-group APPL, vrf default): connection, "
                          "pool web: connecting" % A1) in bgpd_log(rs1)
                 and ("vappliance: admission: %s: OPEN AS 65001, identifier 10.0.0.11: admitted"
                      % A1) in bgpd_log(rs1), True, count=60)
    assert ok, bgpd_log(rs1)[-3000:]
    expected = {"appliances": {A1: {"state": "admitted", "established": True,
                                    "prefixes": {"accepted": 2}}}}
    assert expect_json(rs1, "show bgp vappliance appliances json", expected, count=60) is None
    # off: gone from show debugging and the configuration, and silent
    rs1.vtysh_cmd("configure terminal\nno debug bgp vappliance\nend")
    assert "vappliance" not in rs1.vtysh_cmd("show debugging")
    assert "debug bgp vappliance" not in rs1.vtysh_cmd("show running-config")
    before = bgpd_log(rs1).count("vappliance: policy: ")
    soft_in(rs1)
    ok, _ = poll(lambda: paths(rs1, P1), [(True, False)], count=10)
    assert ok and bgpd_log(rs1).count("vappliance: policy: ") == before


def test_session_down_keeps_stale_routes_and_slot(tgen):
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    admitted = pool(rs1)["admitted"]
    a1.killDaemons(["bgpd"])  # SIGKILL: the session ends without NOTIFICATION
    ok, _ = poll(lambda: app(rs1).get("established"), False)
    assert ok, app(rs1)
    ok, _ = poll(lambda: "session down into graceful restart" in bgpd_log(rs1), True)
    assert ok, bgpd_log(rs1)
    # bgpd keeps the routes, stale; the module still vouches for them
    assert paths(rs1, P1) == [(True, True)] and paths(rs1, P2) == [(True, True)]
    a = app(rs1)
    assert a["state"] == "admitted" and a["prefixes"]["accepted"] == 2, a
    p = pool(rs1)
    assert p["sessions"] == 0 and p["sessionsHeld"] == 1, p
    assert p["admitted"] == admitted, p


def test_restart_decided_anew_and_resent_routes_replace_stale(tgen):
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    admitted = pool(rs1)["admitted"]
    start_a1(a1, "restart-one.conf")
    expected = {"appliances": {A1: {"state": "admitted", "established": True,
                                    "prefixes": {"accepted": 1}}}}
    assert expect_json(rs1, "show bgp vappliance appliances json", expected, count=60) is None
    # P1 re-sent (no longer stale); P2 went with a1's End-of-RIB
    ok, _ = poll(lambda: (paths(rs1, P1), paths(rs1, P2)), ([(True, False)], []))
    assert ok, (paths(rs1, P1), paths(rs1, P2))
    p = pool(rs1)
    assert p["admitted"] == admitted + 1, p
    assert p["sessions"] == 1 and p["sessionsHeld"] == 1, p


def test_policy_change_while_waiting_removes_stale_routes(tgen):
    """Stale routes cannot be re-evaluated without a session: a change of
    the pool's prefix policy during the wait removes them."""
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    a1.killDaemons(["bgpd"])
    ok, _ = poll(lambda: paths(rs1, P1), [(True, True)])
    assert ok, paths(rs1, P1)
    # any change counts, here one more prefix entry (P1 stays inside)
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                  "vappliance pool web prefix 10.201.0.0/16 ge 24 le 24\nend")
    ok, _ = poll(lambda: paths(rs1, P1), [], count=20)
    assert ok, paths(rs1, P1)
    assert "the pool's prefix policy changed while bgpd kept its routes" in bgpd_log(rs1)
    # back: a1 restarts (no graceful restart to wait for: a new neighbor)
    start_a1(a1, "restart-one.conf")
    expected = {"appliances": {A1: {"state": "admitted", "established": True,
                                    "prefixes": {"accepted": 1}}}}
    assert expect_json(rs1, "show bgp vappliance appliances json", expected, count=60) is None


def test_restart_with_refused_as_is_a_failure_and_flushes_stale(tgen):
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    rejected = pool(rs1)["rejected"]["remoteAs"]
    a1.killDaemons(["bgpd"])
    ok, _ = poll(lambda: paths(rs1, P1), [(True, True)])
    assert ok, paths(rs1, P1)
    start_a1(a1, "restart-wrong-as.conf")
    # refused as a first OPEN: Bad Peer AS, counted, quarantined (failures 1)
    ok, _ = poll(lambda: pool(rs1)["rejected"]["remoteAs"] > rejected, True)
    assert ok, pool(rs1)
    ok, _ = poll(lambda: app(rs1).get("state"), "quarantined", count=30)
    assert ok, app(rs1)
    # the stale route went with the refusal, long before the restart time
    ok, _ = poll(lambda: paths(rs1, P1), [], count=20)
    assert ok, paths(rs1, P1)
    p = pool(rs1)
    assert p["sessions"] == 0 and p["sessionsHeld"] == 0, p
    assert "OPEN Message Error/Bad Peer AS" in bgpd_log(rs1)
