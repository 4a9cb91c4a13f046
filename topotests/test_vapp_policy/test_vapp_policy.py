#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_policy: the appliance prefix policy on the wire.

rs1 (route server, `bgpd -M vappliance`) with pools web (IPv4: 192.0.2.0/24
and 198.51.100.0/24, lengths /29-/32, max-prefixes 5 per appliance) and
web6 (2001:db8:100::/48, /64 only); both peer-groups' inbound route-map
denies `vappliance invalid` first. f1 is the fabric behind rs1.

a1 (FRR, AS 65001) announces six valid IPv4 routes (one over the limit), a
/28, a route outside, one with another host's next hop, the default route
and rs1's anycast address 10.255.0.100/32; on IPv6 a valid /64, a /56 and a /128. e1 (ExaBGP, AS 65004)
announces a valid /29, a /26, a route outside and one with a foreign next
hop. Exactly the valid routes reach f1, every session stays up, and the
counters say why each other route was dropped.
"""
import os
import re
import time

import pytest

from lib import topotest
from lib.topogen import Topogen

from vapplib import (appliance_routes, bgpd_log, expect_json, load_plain, load_route_server,
                     poll, received_routes, roundtrip, running_config, vtysh_json, wait_log)

pytestmark = [pytest.mark.bgpd, pytest.mark.exabgp]
CWD = os.path.dirname(os.path.realpath(__file__))

A1_VALID = {"192.0.2.1/32", "192.0.2.2/32", "192.0.2.3/32", "192.0.2.4/32", "192.0.2.5/32",
            "192.0.2.8/29"}
A1_INVALID = {"192.0.2.16/28", "203.0.113.0/24", "192.0.2.40/32", "0.0.0.0/0",
              "10.255.0.100/32"}
E1_VALID = {"198.51.100.8/29"}
E1_INVALID = {"198.51.100.64/26", "10.99.0.0/16", "198.51.100.16/29"}


def build_topo(tgen):
    s1 = tgen.add_switch("s1")
    s2 = tgen.add_switch("s2")
    rs1 = tgen.add_router("rs1")
    s1.add_link(rs1)
    s2.add_link(rs1)
    s1.add_link(tgen.add_router("a1"))
    s2.add_link(tgen.add_router("f1"))
    s1.add_link(tgen.add_exabgp_peer("e1", ip="10.0.0.20/24", defaultRoute="via 10.0.0.1"))


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], os.path.join(CWD, "rs1/frr.conf"))
    load_plain(tgen.gears["a1"], os.path.join(CWD, "a1/frr.conf"))
    load_plain(tgen.gears["f1"], os.path.join(CWD, "f1/frr.conf"))
    tgen.start_router()
    tgen.gears["e1"].start(os.path.join(CWD, "e1"), os.path.join(CWD, "exabgp.env"))
    yield tgen
    tgen.stop_topology()


def routes(router, afi="ipv4"):
    out = vtysh_json(router, "show bgp %s unicast json" % afi)
    return set(out.get("routes", {}).keys())


def prefixes_of(rs1, source):
    apps = vtysh_json(rs1, "show bgp vappliance appliances json")["appliances"]
    return apps.get(source, {}).get("prefixes", {})


def wait_prefixes(rs1, source, expected, count=40):
    return expect_json(rs1, "show bgp vappliance appliances json",
                       {"appliances": {source: {"prefixes": expected}}}, count=count)


def established(router, peer):
    return vtysh_json(router, "show bgp neighbors %s json" % peer).get(peer, {})


def test_sessions_up(tgen):
    rs1 = tgen.gears["rs1"]
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"state": "admitted", "established": True},
        "fd00::11": {"state": "admitted", "established": True},
        "10.0.0.20": {"state": "admitted", "established": True},
    }}, count=60)
    assert diff is None, diff


def test_counters_by_reason(tgen):
    rs1 = tgen.gears["rs1"]
    # reserved: the default route and rs1's own anycast address
    diff = wait_prefixes(rs1, "10.0.0.11", {"accepted": 5, "overLimit": 1, "prefixLength": 1,
                                            "outsideRange": 1, "nextHop": 1, "reserved": 2,
                                            "notAdmitted": 0})
    assert diff is None, diff
    diff = wait_prefixes(rs1, "fd00::11", {"accepted": 1, "prefixLength": 2})
    assert diff is None, diff
    diff = wait_prefixes(rs1, "10.0.0.20", {"accepted": 1, "prefixLength": 1,
                                            "outsideRange": 1, "nextHop": 1})
    assert diff is None, diff


def test_routes_show_matches_adj_rib_in(tgen):
    """Every path a1 sent (bgpd's own Adj-RIB-In, with soft-reconfiguration
    inbound: the independent record) is in the module's routes show, with
    the reason of its rejection and the next hop it came with."""
    rs1 = tgen.gears["rs1"]
    out = vtysh_json(rs1, "show bgp vappliance appliance 10.0.0.11 routes json")
    got = {pfx: paths[0] for pfx, paths in out.get("routes", {}).items()}
    # e1's route comes back from a1 with rs1's AS in its path: bgpd drops
    # it for the loop before any route-map, so the module never judged it
    assert set(got) == received_routes(rs1, "10.0.0.11") - E1_VALID == A1_VALID | A1_INVALID, \
        got
    assert {p: got[p].get("reason") for p in A1_INVALID} == {
        "192.0.2.16/28": "prefixLength", "203.0.113.0/24": "outsideRange",
        "192.0.2.40/32": "nextHop", "0.0.0.0/0": "reserved", "10.255.0.100/32": "reserved"}, got
    assert got["192.0.2.40/32"]["nextHop"] == "10.0.0.99", got
    assert [got[p]["reason"] for p in A1_VALID if got[p]["verdict"] != "accepted"] == \
        ["overLimit"], got
    assert (out["accepted"], out["rejected"], out["shown"]) == (5, 6, 11), out
    rejected = vtysh_json(rs1, "show bgp vappliance appliance 10.0.0.11 routes rejected json")
    assert len(rejected["routes"]) == 6 and rejected["shown"] == 6, rejected


def test_exactly_valid_routes_reach_fabric(tgen):
    f1 = tgen.gears["f1"]

    def f1_v4():
        return routes(f1) - A1_VALID - E1_VALID == set() and len(routes(f1)) == 6

    ok, _ = topotest.run_and_expect(f1_v4, True, count=30, wait=1)
    got = routes(f1)
    assert ok, got
    assert not got & (A1_INVALID | E1_INVALID), got
    assert "198.51.100.8/29" in got
    assert len(got & A1_VALID) == 5, got  # the sixth is over the limit
    ok, _ = topotest.run_and_expect(lambda: routes(f1, "ipv6"), {"2001:db8:100:1::/64"},
                                    count=30, wait=1)
    assert ok, routes(f1, "ipv6")


def test_sessions_stayed_up(tgen):
    a1 = tgen.gears["a1"]
    for peer in ("10.0.0.1", "fd00::1"):
        n = established(a1, peer)
        assert n.get("bgpState") == "Established", n
        assert n.get("connectionsEstablished") == 1, n


def test_first_rejection_logged(tgen):
    rs1 = tgen.gears["rs1"]
    assert wait_log(tgen, rs1, r"vappliance: 10\.0\.0\.11 \(pool web, vrf default\) "
                    r"announced 203\.0\.113\.0/24: outsideRange")


def test_widen_range_reevaluates_without_reset(tgen):
    rs1, a1, f1 = tgen.gears["rs1"], tgen.gears["a1"], tgen.gears["f1"]
    e1_up = established(rs1, "10.0.0.20")["connectionsEstablished"]
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                  "vappliance pool web6 prefix 2001:db8:100::/48 ge 56 le 64\n"
                  "vappliance pool web prefix 198.51.100.0/24 ge 26 le 32")
    ok, _ = topotest.run_and_expect(lambda: "2001:db8:100::/56" in routes(f1, "ipv6"), True,
                                    count=30, wait=1)
    assert ok, routes(f1, "ipv6")
    ok, _ = topotest.run_and_expect(lambda: "198.51.100.64/26" in routes(f1), True,
                                    count=30, wait=1)
    assert ok, routes(f1)
    diff = wait_prefixes(rs1, "fd00::11", {"accepted": 2, "prefixLength": 1})
    assert diff is None, diff
    diff = wait_prefixes(rs1, "10.0.0.20", {"accepted": 2, "prefixLength": 0})
    assert diff is None, diff
    n = established(a1, "fd00::1")
    assert n["bgpState"] == "Established" and n["connectionsEstablished"] == 1, n
    assert established(rs1, "10.0.0.20")["connectionsEstablished"] == e1_up


def f1_v4(tgen):
    return set(vtysh_json(tgen.gears["f1"], "show bgp ipv4 unicast json").get("routes", {}))


def test_held_back_route_takes_freed_room(tgen):
    """
    a1 has six valid IPv4 routes for max-prefixes 5: one is held back.
    When a1 withdraws an accepted one, the held-back one comes in (without
    a session reset); announced again, the route is the one held back.
    """
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    diff = wait_prefixes(rs1, "10.0.0.11", {"accepted": 5, "overLimit": 1})
    assert diff is None, diff
    ok, _ = topotest.run_and_expect(lambda: len(f1_v4(tgen) & A1_VALID), 5, count=30, wait=0.5)
    assert ok, f1_v4(tgen)
    held = (A1_VALID - f1_v4(tgen)).pop()
    gone = sorted(f1_v4(tgen) & A1_VALID)[0]
    before = established(rs1, "10.0.0.11")["connectionsEstablished"]

    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\naddress-family ipv4 unicast\n"
                 "no network %s" % gone)
    diff = wait_prefixes(rs1, "10.0.0.11", {"accepted": 5, "overLimit": 0}, count=30)
    assert diff is None, diff
    ok, got = topotest.run_and_expect(lambda: f1_v4(tgen) & A1_VALID, A1_VALID - {gone},
                                      count=30, wait=0.5)
    assert ok, (held, gone, got)

    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\naddress-family ipv4 unicast\n"
                 "network %s" % gone)
    diff = wait_prefixes(rs1, "10.0.0.11", {"accepted": 5, "overLimit": 1}, count=30)
    assert diff is None, diff
    # the stimulus: a1 announces it again (it is in a1's own RIB) ...
    assert vtysh_json(a1, "show bgp ipv4 unicast %s json" % gone).get("paths"), gone
    # ... and rs1 keeps it out, now that the counters have settled: no path
    # of a1's for it in rs1's RIB, and f1 still without it
    paths = vtysh_json(rs1, "show bgp ipv4 unicast %s json" % gone).get("paths", [])
    assert not [p for p in paths if p.get("peer", {}).get("peerId") == "10.0.0.11"], paths
    assert f1_v4(tgen) & A1_VALID == A1_VALID - {gone}, (held, gone, f1_v4(tgen))
    assert established(rs1, "10.0.0.11")["connectionsEstablished"] == before


def warning_lines(rs1, source, what):
    return len(re.findall(r"vappliance: %s \(pool web, vrf default\) %s the max-prefixes "
                          r"warning: " % (re.escape(source), what), bgpd_log(rs1)))


def threshold_notifications(rs1):
    return bgpd_log(rs1).count(
        "northbound notification: /frr-bgp-vappliance:appliance-prefix-threshold")


def test_limit_warning_once_per_crossing(tgen):
    """max-prefixes 5 warning 100: a1 (5 accepted, one held back) is warned
    of at once, once, with a log line and a YANG notification; e1 (2
    accepted) is not. When a1 withdraws an accepted route it falls below
    (logged, notified), and when the held-back route takes the room it
    reaches the threshold again. The line without `warning` removes it."""
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    diff = wait_prefixes(rs1, "10.0.0.11", {"accepted": 5, "overLimit": 1})
    assert diff is None, diff
    rs1.vtysh_cmd("debug northbound notifications")
    assert warning_lines(rs1, "10.0.0.11", "reached") == 0
    notified = threshold_notifications(rs1)
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                  "vappliance pool web max-prefixes 5 warning 100")
    assert " vappliance pool web max-prefixes 5 warning 100" in running_config(rs1)
    assert wait_log(tgen, rs1, r"vappliance: 10\.0\.0\.11 \(pool web, vrf default\) reached the "
                    r"max-prefixes warning: 5 accepted routes, threshold 5 \(100% of 5; ")
    ok, _ = poll(lambda: threshold_notifications(rs1), notified + 1)
    assert ok, threshold_notifications(rs1)

    gone = sorted(f1_v4(tgen) & A1_VALID)[0]
    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\naddress-family ipv4 unicast\n"
                 "no network %s" % gone)
    assert wait_log(tgen, rs1, r"vappliance: 10\.0\.0\.11 \(pool web, vrf default\) fell below "
                    r"the max-prefixes warning: 4 accepted routes")
    ok, _ = poll(lambda: warning_lines(rs1, "10.0.0.11", "reached"), 2)
    assert ok, "the held-back route did not bring a1 back to the threshold"
    diff = wait_prefixes(rs1, "10.0.0.11", {"accepted": 5, "overLimit": 0})
    assert diff is None, diff
    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\naddress-family ipv4 unicast\n"
                 "network %s" % gone)
    diff = wait_prefixes(rs1, "10.0.0.11", {"accepted": 5, "overLimit": 1})
    assert diff is None, diff
    # staying at the threshold is no crossing
    assert warning_lines(rs1, "10.0.0.11", "reached") == 2
    assert warning_lines(rs1, "10.0.0.11", "fell below") == 1
    assert warning_lines(rs1, "10.0.0.20", "reached") == 0
    assert threshold_notifications(rs1) == notified + 3
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nvappliance pool web max-prefixes 5")
    lines = running_config(rs1)
    assert " vappliance pool web max-prefixes 5" in lines, lines
    assert not [ln for ln in lines if "warning" in ln], lines
    assert threshold_notifications(rs1) == notified + 3  # configured away: silent
    rs1.vtysh_cmd("no debug northbound notifications")


def test_limit_shutdown(tgen):
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                  "vappliance pool web6 max-prefixes 1 action shutdown")
    assert wait_log(tgen, a1, r"NOTIFICATION(\(Hard Reset\))?: received from neighbor fd00::1 "
                    r"6/1 \(Cease/Maximum Number of Prefixes Reached\)")
    assert wait_log(tgen, rs1, r"vappliance: fd00::11 \(pool web6, vrf default\) exceeded "
                    r"max-prefixes 1")
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno vappliance pool web6 max-prefixes")
    diff = wait_prefixes(rs1, "fd00::11", {"accepted": 2}, count=60)
    assert diff is None, diff


def test_policy_not_enforced_fails_closed(tgen):
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    rs1.vtysh_cmd("configure terminal\nno route-map VAPP-IN deny 1")
    pools = vtysh_json(rs1, "show bgp vappliance pools json")["pools"]
    pol = pools["web"]["policy"]["ipv4Unicast"]
    assert pol["enforced"] is False, pol
    assert "route-map VAPP-IN deny 99" in pol["linesToAdd"], pol
    assert " match vappliance invalid" in pol["linesToAdd"], pol
    out = rs1.vtysh_cmd("show bgp vappliance pools")
    assert "Policy ipv4 unicast: NOT enforced" in out, out
    # admitted appliances go after the grace time; reconnects are refused
    assert wait_log(tgen, a1, r"received from neighbor 10\.0\.0\.1 6/4")
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"state": "rejected", "reason": "policyNotEnforced"}}}, count=30)
    assert diff is None, diff
    pools = vtysh_json(rs1, "show bgp vappliance pools json")["pools"]
    assert pools["web"]["rejected"]["policyNotEnforced"] >= 1, pools
    # fixed again: admitted again
    rs1.vtysh_cmd("configure terminal\nroute-map VAPP-IN deny 1\nmatch vappliance invalid")
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"state": "admitted", "established": True}}}, count=60)
    assert diff is None, diff


def test_map_edited_into_no_enforcement_vouches_for_nothing(tgen):
    """The inbound map's first entry edited so that it no longer enforces
    (here: `permit 1 match vappliance invalid`, re-run at once):
    until the audit acts, no entry may rely on the clause, so nothing
    matches it: a1's invalid routes never get in, and its valid ones go."""
    rs1 = tgen.gears["rs1"]
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"state": "admitted", "established": True}}}, count=60)
    assert diff is None, diff
    # a1 announces its invalid routes (kept in the Adj-RIB-In) and its valid ones are in
    ok, _ = topotest.run_and_expect(lambda: bool(routes(rs1) & A1_VALID), True, count=30, wait=1)
    assert ok, routes(rs1)
    rec = received_routes(rs1, "10.0.0.11")
    assert {"203.0.113.0/24", "192.0.2.16/28"} <= rec, rec
    # delay-timer 0: bgpd takes the edited map for new routes at once and
    # re-runs the kept ones only when told (soft in, from the Adj-RIB-In)
    rs1.vtysh_cmd("configure terminal\nbgp route-map delay-timer 0")
    rs1.vtysh_cmd("configure terminal\nroute-map VAPP-IN permit 1\nmatch vappliance invalid")
    rs1.vtysh_cmd("clear bgp ipv4 unicast 10.0.0.11 soft in")
    assert "route-map VAPP-IN permit 1" in running_config(rs1)
    valid_left, leaked, t0 = None, set(), time.time()
    while time.time() - t0 < 2.5:  # inside the 3 s grace
        got = routes(rs1)
        leaked |= got & A1_INVALID
        if valid_left is None and not got & A1_VALID:
            valid_left = time.time() - t0
        time.sleep(0.1)
    assert not leaked, "routes the clause would call invalid got in: %s" % sorted(leaked)
    assert valid_left is not None, "bgpd did not re-run the edited map (valid routes stayed)"
    # restored (within the grace: a1 stays) and re-run: its valid routes are back
    rs1.vtysh_cmd("configure terminal\nroute-map VAPP-IN deny 1\nmatch vappliance invalid\nexit\n"
                  "no bgp route-map delay-timer")
    rs1.vtysh_cmd("clear bgp ipv4 unicast 10.0.0.11 soft in")
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"state": "admitted", "established": True}}}, count=60)
    assert diff is None, diff
    ok, _ = topotest.run_and_expect(lambda: bool(routes(rs1) & A1_VALID), True, count=30, wait=1)
    assert ok, routes(rs1)


def test_running_config_roundtrip(tgen):
    rs1 = tgen.gears["rs1"]
    lines = running_config(rs1)
    i = lines.index("route-map VAPP-IN deny 1")
    assert lines[i + 1] == " match vappliance invalid", lines[i:i + 3]
    assert " match vappliance valid" in lines
    assert " vappliance pool web6 prefix 2001:db8:100::/48 ge 56 le 64" in lines, lines
    assert " vappliance pool web max-prefixes 5" in lines, lines
    before, after = roundtrip(rs1)
    assert before == after
    diff = expect_json(rs1, "show bgp vappliance pools json", {"pools": {
        "web": {"policy": {"ipv4Unicast": {"enforced": True}}},
        "web6": {"policy": {"ipv6Unicast": {"enforced": True}}}}})
    assert diff is None, diff


ANY6 = "2001:db8:100:2::1/128"


def a1_v6_reason(rs1, prefix):
    return appliance_routes(rs1, "fd00::11").get((prefix, 0, "unicast"), (None, None, None))[2]


def test_ipv6_anycast_on_lo_and_reserved(tgen):
    """An IPv6 anycast /128 (dual-stack route servers): installed on lo with
    the module's mark, up, and reserved: a1's announcement of that very
    /128, a prefixLength rejection until then, is re-evaluated as reserved;
    removed, the address leaves lo and the route is judged as before."""
    rs1 = tgen.gears["rs1"]
    ok, _ = poll(lambda: a1_v6_reason(rs1, ANY6), "prefixLength")
    assert ok, a1_v6_reason(rs1, ANY6)
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nvappliance anycast %s\n"
                  "vappliance anycast %s restore-delay 0" % (ANY6, ANY6))

    def on_lo():
        return " %s " % ANY6 in rs1.cmd("ip -6 -o addr show dev lo") + " "
    ok, _ = poll(on_lo, True)
    assert ok, rs1.cmd("ip -6 addr show dev lo")
    diff = expect_json(rs1, "show bgp vappliance anycast json",
                       {"anycast": {ANY6: {"state": "up", "installed": True, "interface": "lo"}}})
    assert diff is None, diff
    ok, _ = poll(lambda: a1_v6_reason(rs1, ANY6), "reserved")
    assert ok, a1_v6_reason(rs1, ANY6)
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno vappliance anycast %s" % ANY6)
    ok, _ = poll(on_lo, False)
    assert ok, rs1.cmd("ip -6 addr show dev lo")
    ok, _ = poll(lambda: a1_v6_reason(rs1, ANY6), "prefixLength")
    assert ok, a1_v6_reason(rs1, ANY6)
