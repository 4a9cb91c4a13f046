#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_basic: the vappliance module in a stock FRR 10.3 bgpd.

rs1 (route server, `bgpd -M vappliance`) accepts dynamic neighbors from
10.0.0.0/24 into peer-group APPL (TCP-MD5), bound to pool tenant-a; a1 is an
FRR appliance with an IBGP session to rs1.
"""
import calendar
import os
import time

import pytest

from lib.topogen import Topogen

from vapplib import (
    expect_json,
    load_plain,
    load_route_server,
    roundtrip,
    running_config,
    vtysh_json,
)

pytestmark = [pytest.mark.bgpd]
CWD = os.path.dirname(os.path.realpath(__file__))


def build_topo(tgen):
    rs1 = tgen.add_router("rs1")
    a1 = tgen.add_router("a1")
    sw = tgen.add_switch("s1")
    sw.add_link(rs1)
    sw.add_link(a1)


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], os.path.join(CWD, "rs1/frr.conf"))
    load_plain(tgen.gears["a1"], os.path.join(CWD, "a1/frr.conf"))
    tgen.start_router()
    yield tgen
    tgen.stop_topology()


POOL_UP = {
    "vrfName": "default",
    "pools": {
        "tenant-a": {"peerGroup": "APPL", "peerGroupExists": True, "sessions": 1}
    },
}


def test_module_loaded(tgen):
    out = tgen.gears["rs1"].vtysh_cmd("show modules")
    assert "bgpd_vappliance" in out, out
    assert "0.1.0" in out, out
    so = os.path.join(os.environ.get("VAPP_FRR_DIR", "/usr/lib/frr"), "modules",
                      "bgpd_vappliance.so")
    assert so in out, out


def test_dynamic_neighbor_counted(tgen):
    rs1 = tgen.gears["rs1"]
    diff = expect_json(
        rs1,
        "show bgp peer-group APPL json",
        {"APPL": {"members": {"10.0.0.11": {"status": "Established", "dynamic": True}}}},
    )
    assert diff is None, diff
    diff = expect_json(rs1, "show bgp vappliance pools json", POOL_UP)
    assert diff is None, diff
    out = rs1.vtysh_cmd("show bgp vappliance pools")
    assert "tenant-a" in out and "APPL" in out, out


def test_text_shows_print_their_json(tgen):
    """Each show prints its text from the JSON it builds: the rows and
    numbers of the text are those of the JSON."""
    rs1 = tgen.gears["rs1"]
    apps = vtysh_json(rs1, "show bgp vappliance appliances json")["appliances"]
    assert apps, apps
    rows = {ln.split()[0]: ln.split() for ln in
            rs1.vtysh_cmd("show bgp vappliance appliances").splitlines()[1:] if ln.strip()}
    assert set(rows) == set(apps), (rows, apps)
    for addr, a in apps.items():
        row = rows[addr]
        assert row[1:4] == [a.get("pool", "-"), a["state"],
                            "yes" if a["established"] else "no"], (row, a)
        assert int(row[7]) == a.get("prefixes", {}).get("accepted", 0), (row, a)
        assert row[9] == a["since"], (row, a)
        # the FRR form of the same time: Unix seconds
        assert calendar.timegm(time.strptime(a["since"], "%Y-%m-%dT%H:%M:%SZ")) == \
            a["sinceEpoch"], a
    log = vtysh_json(rs1, "show bgp vappliance admission-log json")["admissionLog"]
    text = rs1.vtysh_cmd("show bgp vappliance admission-log").splitlines()[1:]
    assert [ln.split()[:4] for ln in text if ln.strip()] == \
        [[e["time"], e["source"], e.get("pool", "-"), e["verdict"]] for e in log], (text, log)
    pool = vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["tenant-a"]
    text = rs1.vtysh_cmd("show bgp vappliance pools")
    assert "Sessions: %d established, %d held" % (pool["sessions"], pool["sessionsHeld"]) in text
    assert "Admitted: %d" % pool["admitted"] in text, text
    assert "Policy ipv4 unicast: enforced by route-map VAPP-IN" in text, text


def test_operational_data(tgen):
    oper = vtysh_json(
        tgen.gears["rs1"],
        "show yang operational-data /frr-bgp-vappliance:vappliance bgpd",
    )
    inst = oper["frr-bgp-vappliance:vappliance"]["instance"][0]
    pool = inst["pool"][0]
    assert pool["name"] == "tenant-a", oper
    assert pool["state"]["peer-group-exists"] is True, oper
    assert pool["state"]["password-set"] is True, oper
    assert pool["state"]["sessions"] == 1, oper
    assert pool["state"]["admitted"] == "1", oper
    assert pool["state"]["rejected"]["remote-as"] == "0", oper
    app = inst["appliance"][0]
    assert app["source"] == "10.0.0.11", oper
    assert app["state"] == "admitted" and app["established"] is True, oper
    assert app["remote-as"] == 65000 and app["router-id"] == "10.0.0.11", oper
    log = inst["admission-log"][0]
    assert log["verdict"] == "admitted" and log["source"] == "10.0.0.11", oper


def test_running_config_roundtrip(tgen):
    rs1 = tgen.gears["rs1"]
    lines = running_config(rs1)
    # rendered inside the router bgp block, before its `exit`
    start = lines.index("router bgp 65000")
    end = lines.index("exit", start)
    assert " vappliance pool tenant-a peer-group APPL" in lines[start:end], lines
    before, after = roundtrip(rs1)
    assert before == after
    # the restarted bgpd re-admits the appliance into the pool
    diff = expect_json(rs1, "show bgp vappliance pools json", POOL_UP, count=40)
    assert diff is None, diff


def _config_try(router, *cmds):
    args = " ".join("-c '%s'" % c for c in ("configure terminal", "router bgp 65000") + cmds)
    return router.cmd("vtysh %s 2>&1" % args)


def test_bad_input_rejected_unchanged(tgen):
    rs1 = tgen.gears["rs1"]
    before = running_config(rs1)

    out = _config_try(rs1, "vappliance pool bad/name peer-group APPL")
    assert 'invalid pool name "bad/name"' in out, out
    out = _config_try(rs1, "vappliance pool %s peer-group APPL" % ("x" * 64))
    assert "at most 63 characters" in out, out
    out = _config_try(rs1, "vappliance pool tenant-a peer-group OTHER")
    assert "already bound to peer-group APPL" in out, out
    out = _config_try(rs1, "no vappliance pool nope")
    assert "vappliance pool nope does not exist" in out, out
    out = _config_try(rs1, "no vappliance pool tenant-a peer-group OTHER")
    assert "is bound to peer-group APPL, not OTHER" in out, out
    # prefix bounds: M <= ge <= le <= 32/128, an explicit 0 included
    for cmd, err in (
        ("prefix 10.0.0.0/8 le 0", "prefix 10.0.0.0/8: le must not be below the prefix length"),
        ("prefix 10.0.0.0/8 ge 0", "prefix 10.0.0.0/8: ge must not be below the prefix length"),
        ("prefix 10.0.0.0/8 ge 30 le 29", "prefix 10.0.0.0/8: ge must not exceed le"),
        ("prefix 10.0.0.0/8 le 33", "ge and le are at most 32 for IPv4"),
    ):
        out = _config_try(rs1, "vappliance pool tenant-a " + cmd)
        assert err in out, (cmd, out)

    assert running_config(rs1) == before
    diff = expect_json(rs1, "show bgp vappliance pools json", POOL_UP, count=1)
    assert diff is None, diff


def test_pool_without_peer_group_shows_missing(tgen):
    rs1 = tgen.gears["rs1"]
    _config_try(rs1, "vappliance pool later peer-group NOT-YET")
    diff = expect_json(
        rs1,
        "show bgp vappliance pools json",
        {"pools": {"later": {"peerGroup": "NOT-YET", "peerGroupExists": False, "sessions": 0}}},
        count=5,
    )
    assert diff is None, diff
    _config_try(rs1, "neighbor NOT-YET peer-group")
    diff = expect_json(
        rs1,
        "show bgp vappliance pools json",
        {"pools": {"later": {"peerGroupExists": True}}},
        count=5,
    )
    assert diff is None, diff


def test_pool_delete_and_readd(tgen):
    rs1 = tgen.gears["rs1"]
    _config_try(rs1, "no vappliance pool later peer-group NOT-YET", "no vappliance pool tenant-a")
    out = vtysh_json(rs1, "show bgp vappliance pools json")
    assert out == {"vrfName": "default", "pools": {}}, out
    assert not [l for l in running_config(rs1) if l.startswith(" vappliance")]
    _config_try(rs1, "vappliance pool tenant-a peer-group APPL")
    diff = expect_json(rs1, "show bgp vappliance pools json", POOL_UP, count=5)
    assert diff is None, diff


def test_no_router_bgp_removes_pools(tgen):
    rs1 = tgen.gears["rs1"]
    rs1.vtysh_cmd("configure terminal\nno router bgp 65000")
    out = vtysh_json(rs1, "show bgp vappliance pools json")
    assert out == {"vrfName": "default", "pools": {}}, out
    oper = vtysh_json(rs1, "show yang operational-data /frr-bgp-vappliance:vappliance bgpd")
    assert "__unparsable__" not in oper, oper
    assert "instance" not in oper.get("frr-bgp-vappliance:vappliance", {}), oper
