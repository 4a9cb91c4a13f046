#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_paths: verdicts belong to one path of one appliance, on every
path bgpd takes.

rs1 (route server, `bgpd -M vappliance`): pool web on peer-group APPL
(IPv4 unicast, soft-reconfiguration inbound, 192.0.2.0/24 /32 only,
max-prefixes 3 per appliance) and pool lu on APPLU (IPv4 labeled-unicast,
the same range). f1 is the fabric (plain IPv4 unicast).

- e1 (ExaBGP, ADD-PATH send): path 1 of 192.0.2.1-6/32 with its own next
  hop, path 2 of the same six with a foreign one. Three reach f1; the
  module counts accepted 3, overLimit 3, nextHop 6.
- e2 and e3 announce 192.0.2.100/32, e2 with its own next hop, e3 with a
  foreign one. Only e2's path is in rs1's table, also after `clear bgp
  ipv4 unicast * soft in` (bgpd runs that prefix for both peers back to
  back, from the Adj-RIB-In).
- e4 (ExaBGP, labeled-unicast): only its valid labeled route reaches f1.
- shows that run the inbound route-map change no counter; an address family
  the module does not govern makes the pool not enforced; a route accepted
  without the clause (inbound route-map removed) disconnects its appliance
  at once; removing a peer-group's last pool disconnects its appliances,
  and none of their routes reaches f1 afterwards.
"""
import os
import time

import pytest

from lib import topotest
from lib.topogen import Topogen

from vapplib import (appliance_routes, bgpd_log, expect_json, load_plain, load_route_server,
                     received_routes, vtysh_json, wait_log)

pytestmark = [pytest.mark.bgpd, pytest.mark.exabgp]
CWD = os.path.dirname(os.path.realpath(__file__))

E1_ALL = {"192.0.2.%d/32" % i for i in range(1, 7)}
APPL_ALL = E1_ALL | {"192.0.2.100/32"}


def build_topo(tgen):
    s1 = tgen.add_switch("s1")
    s2 = tgen.add_switch("s2")
    rs1 = tgen.add_router("rs1")
    s1.add_link(rs1)
    s2.add_link(rs1)
    s2.add_link(tgen.add_router("f1"))
    for name, ip in (("e1", "10.0.0.20"), ("e2", "10.0.0.21"), ("e3", "10.0.0.22"),
                     ("e4", "10.0.0.130")):
        s1.add_link(tgen.add_exabgp_peer(name, ip=ip + "/24", defaultRoute="via 10.0.0.1"))


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], os.path.join(CWD, "rs1/frr.conf"))
    load_plain(tgen.gears["f1"], os.path.join(CWD, "f1/frr.conf"))
    tgen.start_router()
    for name in ("e1", "e2", "e3", "e4"):
        tgen.gears[name].start(os.path.join(CWD, name), os.path.join(CWD, "exabgp.env"))
    yield tgen
    tgen.stop_topology()


def routes(router):
    return set(vtysh_json(router, "show bgp ipv4 unicast json").get("routes", {}).keys())


def counters(rs1):
    apps = vtysh_json(rs1, "show bgp vappliance appliances json")["appliances"]
    return {a: v.get("prefixes", {}) for a, v in apps.items()}


def up_for(rs1, neighbor):
    """Seconds @neighbor's session has been Established, or None. (A dynamic
    neighbor is a new peer after each session: its counters start over.)"""
    n = vtysh_json(rs1, "show bgp neighbors %s json" % neighbor).get(neighbor, {})
    return n.get("bgpTimerUpMsec", 0) / 1000.0 if n.get("bgpState") == "Established" else None


def wait_prefixes(rs1, source, expected, count=40):
    return expect_json(rs1, "show bgp vappliance appliances json",
                       {"appliances": {source: {"prefixes": expected}}}, count=count)


def policy_lines(rs1, neighbor, prefix):
    """`debug bgp vappliance policy` lines so far for one path's decisions."""
    return bgpd_log(rs1).count("vappliance: policy: %s unicast %s " % (neighbor, prefix))


def paths_of(rs1, prefix):
    out = vtysh_json(rs1, "show bgp ipv4 unicast %s json" % prefix)
    return sorted(p.get("peer", {}).get("peerId", "?") for p in out.get("paths", []))


def test_sessions_up(tgen):
    rs1 = tgen.gears["rs1"]
    want = {a: {"state": "admitted", "established": True}
            for a in ("10.0.0.20", "10.0.0.21", "10.0.0.22", "10.0.0.130")}
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": want},
                       count=90)
    assert diff is None, diff


def test_addpath_paths_counted_apart(tgen):
    rs1, f1 = tgen.gears["rs1"], tgen.gears["f1"]
    diff = wait_prefixes(rs1, "10.0.0.20", {"accepted": 3, "overLimit": 3, "nextHop": 6})
    assert diff is None, diff
    ok, _ = topotest.run_and_expect(lambda: len(routes(f1) & E1_ALL), 3, count=30, wait=1)
    assert ok, routes(f1)
    # what bgpd holds from e1: three paths, all path 1
    held = [p for pfx in E1_ALL for p in paths_of(rs1, pfx) if p == "10.0.0.20"]
    assert len(held) == 3, held


def test_same_prefix_two_appliances(tgen):
    rs1, f1 = tgen.gears["rs1"], tgen.gears["f1"]
    # e3 did announce it: in its Adj-RIB-In, decided nextHop
    diff = wait_prefixes(rs1, "10.0.0.22", {"nextHop": 1, "accepted": 0})
    assert diff is None, diff
    assert "192.0.2.100/32" in received_routes(rs1, "10.0.0.22"), received_routes(rs1, "10.0.0.22")
    ok, _ = topotest.run_and_expect(lambda: paths_of(rs1, "192.0.2.100/32"), ["10.0.0.21"],
                                    count=30, wait=1)
    assert ok, paths_of(rs1, "192.0.2.100/32")
    assert "192.0.2.100/32" in routes(f1)


def test_soft_in_keeps_each_appliances_verdict(tgen):
    rs1, f1 = tgen.gears["rs1"], tgen.gears["f1"]
    before = counters(rs1)
    # each soft in re-runs both appliances' paths of the prefix (the
    # decision lines prove it ran)
    rs1.vtysh_cmd("configure terminal\ndebug bgp vappliance policy\nend")
    for _ in range(3):
        runs = {n: policy_lines(rs1, n, "192.0.2.100/32") for n in ("10.0.0.21", "10.0.0.22")}
        rs1.vtysh_cmd("clear bgp ipv4 unicast * soft in")
        for n, k in runs.items():
            ok, _ = topotest.run_and_expect(lambda: policy_lines(rs1, n, "192.0.2.100/32") > k,
                                            True, count=20, wait=0.5)
            assert ok, "soft in did not re-run %s's path" % n
        assert paths_of(rs1, "192.0.2.100/32") == ["10.0.0.21"], paths_of(rs1, "192.0.2.100/32")
        assert "192.0.2.100/32" in routes(f1)
        assert len(routes(f1) & E1_ALL) == 3, routes(f1)
    rs1.vtysh_cmd("configure terminal\nno debug bgp vappliance policy\nend")
    after = counters(rs1)
    for a in ("10.0.0.20", "10.0.0.21", "10.0.0.22"):
        assert after[a] == before[a], (a, before[a], after[a])


def test_labeled_unicast_governed(tgen):
    rs1, f1 = tgen.gears["rs1"], tgen.gears["f1"]
    diff = wait_prefixes(rs1, "10.0.0.130", {"accepted": 1, "nextHop": 1, "outsideRange": 1})
    assert diff is None, diff
    ok, _ = topotest.run_and_expect(lambda: "192.0.2.200/32" in routes(f1), True, count=30,
                                    wait=1)
    assert ok, routes(f1)
    got = routes(f1)
    assert "192.0.2.201/32" not in got and "203.0.113.0/24" not in got, got
    pools = vtysh_json(rs1, "show bgp vappliance pools json")
    pol = pools["pools"]["lu"]["policy"]
    assert pol["ipv4LabeledUnicast"]["enforced"] is True, pol


def test_routes_show_every_path_with_its_verdict(tgen):
    """show bgp vappliance appliance ADDR routes [accepted|rejected] [json]:
    every path the appliance announces, from the module's verdict store. e1
    (ADD-PATH) has two paths per prefix, each with its own next hop and
    verdict; e4's labeled-unicast routes show although its peer-group keeps
    no Adj-RIB-In (no soft-reconfiguration inbound) and bgpd holds only the
    accepted one."""
    rs1 = tgen.gears["rs1"]
    diff = wait_prefixes(rs1, "10.0.0.20", {"accepted": 3, "overLimit": 3, "nextHop": 6})
    assert diff is None, diff
    got = appliance_routes(rs1, "10.0.0.20")
    assert set(got) == {(p, i, "unicast") for p in E1_ALL for i in (1, 2)}, got
    first = [got[(p, 1, "unicast")] for p in sorted(E1_ALL)]
    assert all(nh == "10.0.0.20" for nh, _, _ in first), first
    assert sorted(v[1:] for v in first) == [("accepted", None)] * 3 + \
        [("rejected", "overLimit")] * 3, first
    # the paths bgpd holds from e1 are the accepted ones
    held = {p for p in E1_ALL if "10.0.0.20" in paths_of(rs1, p)}
    assert held == {p for p in E1_ALL if got[(p, 1, "unicast")][1] == "accepted"}, held
    for p in E1_ALL:
        assert got[(p, 2, "unicast")] == ("10.0.0.99", "rejected", "nextHop"), got
    assert set(appliance_routes(rs1, "10.0.0.20", "accepted")) == \
        {k for k, v in got.items() if v[1] == "accepted"}
    assert len(appliance_routes(rs1, "10.0.0.20", "rejected")) == 9
    lu = appliance_routes(rs1, "10.0.0.130")
    assert lu == {
        ("192.0.2.200/32", 0, "labeled-unicast"): ("10.0.0.130", "accepted", None),
        ("192.0.2.201/32", 0, "labeled-unicast"): ("10.0.0.99", "rejected", "nextHop"),
        ("203.0.113.0/24", 0, "labeled-unicast"): ("10.0.0.130", "rejected", "outsideRange"),
    }, lu
    text = rs1.vtysh_cmd("show bgp vappliance appliance 10.0.0.130 routes")
    assert "Appliance 10.0.0.130, vrf default: 1 accepted, 2 rejected" in text, text
    line = [ln.split() for ln in text.splitlines() if "192.0.2.201/32" in ln]
    assert line == [["192.0.2.201/32", "0", "10.0.0.99", "labeled-unicast", "rejected",
                     "(nextHop)"]], text
    assert "Displayed 3 paths" in text, text
    out = rs1.vtysh_cmd("show bgp vappliance appliance 10.0.0.99 routes")
    assert "% no appliance session from 10.0.0.99" in out, out


def test_shows_are_read_only(tgen):
    rs1 = tgen.gears["rs1"]
    before = counters(rs1)
    for n in ("10.0.0.20", "10.0.0.21", "10.0.0.22"):
        for what in ("received-routes", "filtered-routes"):
            rs1.vtysh_cmd("show bgp ipv4 unicast neighbors %s %s" % (n, what))
            rs1.vtysh_cmd("show bgp ipv4 unicast neighbors %s %s json" % (n, what))
    # they ran the inbound route-map: e3's path is filtered by it
    out = rs1.vtysh_cmd("show bgp ipv4 unicast neighbors 10.0.0.22 filtered-routes")
    assert "192.0.2.100/32" in out, out
    assert counters(rs1) == before


def test_ungoverned_address_family_not_enforced(tgen):
    rs1 = tgen.gears["rs1"]
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\naddress-family ipv4 multicast\n"
                  "neighbor APPLU activate\nend")
    diff = expect_json(rs1, "show bgp vappliance pools json", {"pools": {"lu": {"policy": {
        "ipv4Multicast": {"enforced": False}}}}}, count=10)
    assert diff is None, diff
    refused = vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["lu"]["rejected"]
    pol = vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["lu"]["policy"]
    assert "does not govern" in pol["ipv4Multicast"]["problem"], pol
    assert " no neighbor APPLU activate" in pol["ipv4Multicast"]["linesToAdd"], pol
    # bgpd resets the session for the new address family; the module
    # refuses it from then on (or disconnects it, were it still up)
    assert wait_log(tgen, rs1, r"(rejected 10\.0\.0\.130 \(pool lu, vrf default\)|"
                    r"disconnecting 10\.0\.0\.130 \(pool lu, vrf default\) after a "
                    r"configuration change): policyNotEnforced")
    ok, _ = topotest.run_and_expect(lambda: "192.0.2.200/32" in routes(tgen.gears["f1"]),
                                    False, count=20, wait=1)
    assert ok
    # the module keeps it out (bgpd's reset alone would let it back): e4's
    # reconnects are refused, counted
    ok, _ = topotest.run_and_expect(
        lambda: vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["lu"]["rejected"]
        ["policyNotEnforced"] > refused["policyNotEnforced"], True, count=30, wait=1)
    assert ok, vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["lu"]
    assert "192.0.2.200/32" not in routes(tgen.gears["f1"])
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\naddress-family ipv4 multicast\n"
                  "no neighbor APPLU activate\nend")
    diff = expect_json(rs1, "show bgp vappliance pools json", {"pools": {"lu": {"policy": {
        "ipv4LabeledUnicast": {"enforced": True}}}}}, count=10)
    assert diff is None, diff


def test_route_map_removed_disconnects_at_once(tgen):
    rs1 = tgen.gears["rs1"]
    # bgpd re-runs the Adj-RIB-In without the map: the paths get in unchecked
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\naddress-family ipv4 unicast\n"
                  "no neighbor APPL route-map VAPP-IN in\nend")
    assert wait_log(tgen, rs1, r"vappliance: 10\.0\.0\.2[0-2] \(pool web, vrf default\): "
                    r"\S+ was accepted without match vappliance")
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\naddress-family ipv4 unicast\n"
                  "neighbor APPL route-map VAPP-IN in\nend")
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        a: {"state": "admitted", "established": True}
        for a in ("10.0.0.20", "10.0.0.21", "10.0.0.22")}}, count=60)
    assert diff is None, diff


def test_last_pool_removed_disconnects(tgen):
    rs1, f1 = tgen.gears["rs1"], tgen.gears["f1"]
    ok, _ = topotest.run_and_expect(lambda: bool(routes(f1) & APPL_ALL), True, count=30, wait=1)
    assert ok, routes(f1)
    t0 = time.time()
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno vappliance pool web\nend")
    assert wait_log(tgen, rs1, r"disconnecting 10\.0\.0\.20 \(pool -, vrf default\) "
                    r"after a configuration change: noPool")
    ok, _ = topotest.run_and_expect(lambda: routes(f1) & APPL_ALL, set(), count=30, wait=1)
    assert ok, routes(f1)
    # they reconnect (nothing governs APPL now) and announce again: none of
    # their routes is valid
    for n in ("10.0.0.20", "10.0.0.21"):
        ok, _ = topotest.run_and_expect(
            lambda: (up_for(rs1, n) or 1e9) < time.time() - t0, True, count=60, wait=1)
        assert ok, "%s did not reconnect" % n
    ok, _ = topotest.run_and_expect(
        lambda: E1_ALL <= received_routes(rs1, "10.0.0.20")
        and "192.0.2.100/32" in received_routes(rs1, "10.0.0.21"), True, count=30, wait=1)
    assert ok, (received_routes(rs1, "10.0.0.20"), received_routes(rs1, "10.0.0.21"))
    for _ in range(10):
        assert not routes(f1) & APPL_ALL, routes(f1)
        time.sleep(1)
    out = vtysh_json(rs1, "show bgp vappliance pools json")
    assert "web" not in out["pools"], out
