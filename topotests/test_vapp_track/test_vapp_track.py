#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_track: anycast tracks follow the tracked sessions when they are
deleted, not only when they go down.

rs1 holds 10.255.0.9/32 while its FABRIC peer-group (static neighbor f1)
has a session up, and 10.255.0.10/32 while APPL (dynamic neighbor a1)
has one; both with lease 3600, so an address that stays was kept by a
missed event, not by the lease. Each deletion (`no neighbor`, the peer-group
deleted, a dynamic neighbor torn down, the member leaving its peer-group)
must take the address away within the same event-loop pass (checked
within 2 s, where the next lease renewal would be 20 minutes away), and
the counts in `show bgp vappliance anycast json` must follow.
"""
import os

import pytest

from lib import topotest
from lib.topogen import Topogen

from vapplib import load_plain, load_route_server, vtysh_json

pytestmark = [pytest.mark.bgpd]
CWD = os.path.dirname(os.path.realpath(__file__))
FAB, APP = "10.255.0.9", "10.255.0.10"


def build_topo(tgen):
    s1 = tgen.add_switch("s1")
    s2 = tgen.add_switch("s2")
    rs1 = tgen.add_router("rs1")
    s1.add_link(rs1)
    s2.add_link(rs1)
    s1.add_link(tgen.add_router("a1"))
    s2.add_link(tgen.add_router("f1"))


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], os.path.join(CWD, "rs1/frr.conf"))
    load_plain(tgen.gears["a1"], os.path.join(CWD, "a1/frr.conf"))
    load_plain(tgen.gears["f1"], os.path.join(CWD, "f1/frr.conf"))
    tgen.start_router()
    yield tgen
    tgen.stop_topology()


def on_lo(rs1, addr):
    return (" %s/32 " % addr) in rs1.run("ip -4 addr show dev lo")


def wait_lo(rs1, addr, want, count):
    ok, _ = topotest.run_and_expect(lambda: on_lo(rs1, addr), want, count=count, wait=0.2)
    return ok


def conf(rs1, *lines):
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n" + "\n".join(lines) + "\nend")


def established(rs1, addr):
    out = vtysh_json(rs1, "show bgp vappliance anycast json")
    tracks = out.get("anycast", {}).get(addr + "/32", {}).get("tracks", [])
    return tracks[0].get("established") if tracks else None


def test_both_up(tgen):
    rs1 = tgen.gears["rs1"]
    assert wait_lo(rs1, FAB, True, 150), rs1.run("ip addr show dev lo")
    assert wait_lo(rs1, APP, True, 150), rs1.run("ip addr show dev lo")


def test_no_neighbor_of_tracked_group(tgen):
    rs1 = tgen.gears["rs1"]
    conf(rs1, "no neighbor 10.1.0.2")
    assert wait_lo(rs1, FAB, False, 10), "kept after no neighbor: " + rs1.run("ip addr show dev lo")
    assert on_lo(rs1, APP)
    conf(rs1, "neighbor 10.1.0.2 peer-group FABRIC")
    assert wait_lo(rs1, FAB, True, 150)


def test_member_leaves_group(tgen):
    rs1 = tgen.gears["rs1"]
    conf(rs1, "no neighbor 10.1.0.2 peer-group FABRIC")
    assert wait_lo(rs1, FAB, False, 10), "kept after leaving: " + rs1.run("ip addr show dev lo")
    conf(rs1, "no neighbor 10.1.0.2", "neighbor 10.1.0.2 peer-group FABRIC")
    assert wait_lo(rs1, FAB, True, 150)


def test_tracked_group_deleted(tgen):
    rs1 = tgen.gears["rs1"]
    conf(rs1, "no neighbor FABRIC peer-group")
    assert wait_lo(rs1, FAB, False, 10), "kept after the group went: " + rs1.run(
        "ip addr show dev lo")
    conf(rs1, "neighbor FABRIC peer-group", "neighbor FABRIC remote-as 65500",
         "neighbor FABRIC timers 3 10", "neighbor 10.1.0.2 peer-group FABRIC",
         "address-family ipv4 unicast", "neighbor FABRIC activate")
    assert wait_lo(rs1, FAB, True, 150)


def test_dynamic_neighbor_torn_down(tgen):
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    assert on_lo(rs1, APP)
    # the appliance closes its session: bgpd deletes the dynamic neighbor
    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\nneighbor 10.0.0.1 shutdown\nend")
    assert wait_lo(rs1, APP, False, 10), "kept after the appliance left: " + rs1.run(
        "ip addr show dev lo")
    assert on_lo(rs1, FAB)
    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\nno neighbor 10.0.0.1 shutdown\nend")
    assert wait_lo(rs1, APP, True, 150)


def test_counts_follow(tgen):
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    ok, _ = topotest.run_and_expect(lambda: (established(rs1, FAB), established(rs1, APP)),
                                    (1, 1), count=50, wait=0.2)
    assert ok, vtysh_json(rs1, "show bgp vappliance anycast json")
    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\nneighbor 10.0.0.1 shutdown\nend")
    ok, _ = topotest.run_and_expect(lambda: established(rs1, APP), 0, count=25, wait=0.2)
    assert ok, vtysh_json(rs1, "show bgp vappliance anycast json")
    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\nno neighbor 10.0.0.1 shutdown\nend")
    ok, _ = topotest.run_and_expect(lambda: established(rs1, APP), 1, count=150, wait=0.2)
    assert ok, vtysh_json(rs1, "show bgp vappliance anycast json")


def test_vrf_anycast_refused(tgen):
    rs1 = tgen.gears["rs1"]
    out = rs1.vtysh_cmd("configure terminal\nrouter bgp 65000 vrf BLUE\n"
                        "vappliance anycast 10.255.0.77/32\nend")
    assert "anycast addresses are supported in the default VRF only" in out, out
    assert "10.255.0.77" not in rs1.vtysh_cmd("show running-config")
    assert not on_lo(rs1, "10.255.0.77")


def test_min_established_defaults_to_one(tgen):
    """`track peer-group NAME` without min-established: 1, as the YANG
    default, and running-config writes the number."""
    rs1 = tgen.gears["rs1"]
    out = rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                        "vappliance anycast 10.255.0.9/32 track peer-group SPARE\nend")
    assert "%" not in out, out
    try:
        assert " vappliance anycast 10.255.0.9/32 track peer-group SPARE min-established 1" in \
            rs1.vtysh_cmd("show running-config").splitlines()
        tracks = vtysh_json(rs1, "show bgp vappliance anycast json")["anycast"][
            "10.255.0.9/32"]["tracks"]
        assert {"peerGroup": "SPARE", "established": 0, "minEstablished": 1} in tracks, tracks
    finally:
        rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                      "no vappliance anycast 10.255.0.9/32 track peer-group SPARE\nend")
    assert "SPARE" not in rs1.vtysh_cmd("show running-config")
