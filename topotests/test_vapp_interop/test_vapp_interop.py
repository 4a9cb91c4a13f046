#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_interop: BIRD 2, GoBGP and ExaBGP appliances next to FRR.

rs1 loads the user guide's example configuration (doc/examples/
route-server.conf) as it is: appliances peer over EBGP multihop with the
anycast 10.255.0.1, pool web admits AS 65001 and 65011-65013, denies
10.0.0.66 and takes /29-/32 routes from 192.0.2.0/24.

  a1 FRR    AS 65001 .11  192.0.2.11/32 valid, 198.18.0.0/24 outside
  b1 BIRD   AS 65011 .21  192.0.2.21/32 valid, 203.0.113.0/24 outside
  g1 GoBGP  AS 65012 .22  192.0.2.22/32 valid, 192.0.2.0/28 too short
  e1 ExaBGP AS 65013 .23  192.0.2.23/32 valid, 192.0.2.30/32 foreign next hop
  b2 BIRD   AS 65099 .24  rejected: AS outside the set
  g2 GoBGP  AS 65012 .66  rejected: denied source

Then a drain of 10.255.0.1 with a message: each implementation receives
Cease / Administrative Shutdown with it; what each logs is checked.
"""
import difflib
import json
import os
import re
import shutil

import pytest

from lib import topotest
from lib.topogen import Topogen

from vapplib import expect_json, load_plain, load_route_server, roundtrip, vtysh_json

pytestmark = [pytest.mark.bgpd, pytest.mark.exabgp]
CWD = os.path.dirname(os.path.realpath(__file__))
EXAMPLE = os.path.join(CWD, "..", "..", "doc", "examples", "route-server.conf")
BIRDS = {"b1": ("10.0.0.21", 65011, ["192.0.2.21/32", "203.0.113.0/24"]),
         "b2": ("10.0.0.24", 65099, ["192.0.2.24/32"])}
GOBGPS = {"g1": ("10.0.0.22", 65012, ["192.0.2.22/32", "192.0.2.0/28"]),
          "g2": ("10.0.0.66", 65012, ["192.0.2.66/32"])}
MESSAGE = "interop drain 7"
# libyang's yanglint, installed by tools/bootstrap.sh with our libyang build
YANGLINT = shutil.which("yanglint") or "/usr/local/bin/yanglint"


def build_topo(tgen):
    sw = tgen.add_switch("s1")
    sw.add_link(tgen.add_router("rs1"))
    sw.add_link(tgen.add_router("a1"))
    for name, (ip, _, _) in list(BIRDS.items()) + list(GOBGPS.items()):
        sw.add_link(tgen.add_host(name, ip + "/24", "via 10.0.0.1"))
    sw.add_link(tgen.add_exabgp_peer("e1", ip="10.0.0.23/24", defaultRoute="via 10.0.0.1"))


def node_dir(tgen, name):
    d = os.path.join(tgen.logdir, name)
    os.makedirs(d, exist_ok=True)
    return d


def render(template, name, ip, asn, routes, d):
    with open(os.path.join(CWD, template)) as f:
        text = f.read()
    return (text.replace("@NAME@", name).replace("@IP@", ip).replace("@AS@", str(asn))
            .replace("@DIR@", d).replace("@ROUTES@", routes))


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], EXAMPLE)
    load_plain(tgen.gears["a1"], os.path.join(CWD, "a1/frr.conf"))
    tgen.start_router()
    for name, (ip, asn, prefixes) in BIRDS.items():
        d = node_dir(tgen, name)
        routes = "\n".join("  route %s blackhole;" % p for p in prefixes)
        with open(os.path.join(d, "bird.conf"), "w") as f:
            f.write(render("bird.conf.in", name, ip, asn, routes, d))
        tgen.gears[name].cmd("bird -c %s/bird.conf -s %s/bird.ctl -P %s/bird.pid" % (d, d, d))
    for name, (ip, asn, prefixes) in GOBGPS.items():
        d = node_dir(tgen, name)
        with open(os.path.join(d, "gobgpd.toml"), "w") as f:
            f.write(render("gobgpd.toml.in", name, ip, asn, "", d))
        h = tgen.gears[name]
        h.cmd("gobgpd -f %s/gobgpd.toml -p -l debug --pprof-disable --api-hosts 127.0.0.1:50051 "
              "> %s/gobgpd.log 2>&1 &" % (d, d))
        # gobgpd's API comes up a while after it starts, and a route added
        # before its global config is in place can be lost without an error:
        # add until gobgpd's own RIB holds it
        def in_rib(p, h=h, ip=ip):
            if p in h.cmd("gobgp -u 127.0.0.1 global rib 2>&1"):
                return True
            h.cmd("gobgp -u 127.0.0.1 global rib add %s nexthop %s 2>&1" % (p, ip))
            return False

        for p in prefixes:
            ok, _ = topotest.run_and_expect(lambda: in_rib(p), True, count=120, wait=0.5)
            assert ok, "%s: gobgpd did not take %s: %s" % (
                name, p, h.cmd("gobgp -u 127.0.0.1 global rib 2>&1; tail -5 %s/gobgpd.log" % d))
    tgen.gears["e1"].start(os.path.join(CWD, "e1"), os.path.join(CWD, "exabgp.env"))
    yield tgen
    for name in BIRDS:
        tgen.gears[name].cmd("kill $(cat %s/bird.pid)" % node_dir(tgen, name))
    for name in GOBGPS:
        tgen.gears[name].cmd("pkill -f 'gobgpd -f %s/'" % node_dir(tgen, name))
    tgen.stop_topology()


def appliances(rs1):
    return vtysh_json(rs1, "show bgp vappliance appliances json")["appliances"]


def test_admitted_and_rejected(tgen):
    rs1 = tgen.gears["rs1"]
    expected = {"appliances": {
        "10.0.0.11": {"state": "admitted", "established": True, "remoteAs": 65001},
        "10.0.0.21": {"state": "admitted", "established": True, "remoteAs": 65011},
        "10.0.0.22": {"state": "admitted", "established": True, "remoteAs": 65012},
        "10.0.0.23": {"state": "admitted", "established": True, "remoteAs": 65013},
        "10.0.0.24": {"reason": "remoteAs"},
        "10.0.0.66": {"reason": "deniedSource"},
    }}
    diff = expect_json(rs1, "show bgp vappliance appliances json", expected, count=90)
    assert diff is None, diff


def test_policy_enforced_per_implementation(tgen):
    rs1 = tgen.gears["rs1"]
    expected = {"appliances": {
        "10.0.0.11": {"prefixes": {"accepted": 1, "outsideRange": 1}},
        "10.0.0.21": {"prefixes": {"accepted": 1, "outsideRange": 1}},
        "10.0.0.22": {"prefixes": {"accepted": 1, "prefixLength": 1}},
        "10.0.0.23": {"prefixes": {"accepted": 1, "nextHop": 1}},
    }}
    diff = expect_json(rs1, "show bgp vappliance appliances json", expected, count=60)
    assert diff is None, diff
    routes = set(vtysh_json(rs1, "show bgp ipv4 unicast json").get("routes", {}))
    assert {"192.0.2.11/32", "192.0.2.21/32", "192.0.2.22/32", "192.0.2.23/32"} <= routes, routes
    assert not routes & {"198.18.0.0/24", "203.0.113.0/24", "192.0.2.0/28", "192.0.2.30/32",
                         "192.0.2.24/32", "192.0.2.66/32"}, routes


def test_rejected_appliances_are_told(tgen):
    """What BIRD and GoBGP say about the rejection."""
    b2 = os.path.join(tgen.logdir, "b2", "bird.log")
    g2 = os.path.join(tgen.logdir, "g2", "gobgpd.log")

    def seen(path, pattern):
        with open(path, errors="replace") as f:
            return re.search(pattern, f.read()) is not None

    ok, _ = topotest.run_and_expect(lambda: seen(b2, r"Received: Bad peer AS"), True,
                                    count=40, wait=0.5)
    assert ok, open(b2).read()[-1500:]
    # GoBGP 3.10 does not decode a NOTIFICATION that arrives in OpenSent:
    # it logs the Cease / Connection Rejected as an invalid message
    ok, _ = topotest.run_and_expect(
        lambda: seen(g2, r"new=BGP_FSM_IDLE old=BGP_FSM_OPENSENT reason=invalid-msg"), True,
        count=40, wait=0.5)
    assert ok, open(g2).read()[-1500:]
    # the pattern GoBGP logs for a session that comes up (g1, admitted)
    assert seen(os.path.join(tgen.logdir, "g1", "gobgpd.log"), r"new=BGP_FSM_ESTABLISHED")
    assert not seen(g2, r"new=BGP_FSM_ESTABLISHED")
    rs1 = os.path.join(tgen.logdir, "rs1", "bgpd.log")
    assert seen(rs1, r"NOTIFICATION: sent to neighbor 10\.0\.0\.66 6/5 \(Cease/Connection Rejected\)")


def test_drain_message_reaches_every_implementation(tgen):
    rs1 = tgen.gears["rs1"]
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                  "vappliance anycast 10.255.0.1/32 shutdown grace 1 message %s" % MESSAGE)
    logs = {
        # BIRD 2: "routeserver: Received: Administrative shutdown: interop drain 7"
        "b1": (os.path.join(tgen.logdir, "b1", "bird.log"),
               r"Received: Administrative shutdown.*%s" % MESSAGE),
        # GoBGP: level=warning msg="received notification" Code=6
        # Communicated-Reason="interop drain 7" ... Subcode=2
        "g1": (os.path.join(tgen.logdir, "g1", "gobgpd.log"),
               r'received notification" Code=6 Communicated-Reason="%s".*Subcode=2' % MESSAGE),
        # ExaBGP logs no NOTIFICATION at INFO; its API (e1/api_events.py)
        # reports it as JSON. ExaBGP 4.2.21 (Debian 12) cannot decode any
        # RFC 9003 Shutdown Communication (TypeError in its Notification
        # class) and reports the session down on "message of type 3"
        # (NOTIFICATION) instead; a fixed ExaBGP reports the notification.
        "e1": (os.path.join(tgen.logdir, "e1", "api-events.log"),
               r'"type": "notification", "neighbor".*"code": 6.*"subcode": 2'
               r'|"state": "down", "reason": "[^"]*can not decode update message of type \\"3\\"'),
        # FRR
        "a1": (os.path.join(tgen.logdir, "a1", "bgpd.log"),
               r"received from neighbor 10\.255\.0\.1 6/2 \(Cease/Administrative Shutdown\) \"%s\""
               % MESSAGE),
    }
    def read(path):
        if not os.path.exists(path):
            return ""
        with open(path, errors="replace") as f:
            return f.read()

    missing = {}
    for name, (path, pattern) in logs.items():
        ok, _ = topotest.run_and_expect(lambda: re.search(pattern, read(path)) is not None, True,
                                        count=40, wait=0.25)
        if not ok:
            missing[name] = read(path)[-1500:] or "no log"
    assert not missing, json.dumps(missing, indent=1)
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno vappliance anycast 10.255.0.1/32 shutdown")


def a1_routes_from_rs(a1):
    out = vtysh_json(a1, "show bgp ipv4 unicast json")
    return {p for p, paths in out.get("routes", {}).items()
            if any(x.get("peerId") == "10.255.0.1" for x in paths)}


def test_appliances_get_nothing(tgen):
    """The example's VAPP-OUT: the route server holds the tenants' routes
    (the control) and sends none of them to any appliance."""
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    ok, _ = topotest.run_and_expect(
        lambda: {"192.0.2.11/32", "192.0.2.21/32", "192.0.2.22/32", "192.0.2.23/32"} <= set(
            vtysh_json(rs1, "show bgp ipv4 unicast json").get("routes", {})), True,
        count=30, wait=1)
    assert ok, vtysh_json(rs1, "show bgp ipv4 unicast json").get("routes", {}).keys()
    for addr in ("10.0.0.11", "10.0.0.21", "10.0.0.22", "10.0.0.23"):
        adv = vtysh_json(rs1, "show bgp ipv4 unicast neighbors %s advertised-routes json" % addr)
        assert not adv.get("advertisedRoutes"), (addr, adv)
    assert a1_routes_from_rs(a1) == set()


def test_default_originate_variant(tgen):
    """The documented variant for appliances that want a default route:
    `neighbor APPL default-originate` sends the default bgpd originates
    without asking VAPP-OUT, which still keeps every tenant's route away."""
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\naddress-family ipv4 unicast\n"
                  "neighbor APPL default-originate")
    try:
        ok, got = topotest.run_and_expect(lambda: a1_routes_from_rs(a1), {"0.0.0.0/0"},
                                          count=30, wait=1)
        assert ok, got
    finally:
        rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\naddress-family ipv4 unicast\n"
                      "no neighbor APPL default-originate")
    ok, got = topotest.run_and_expect(lambda: a1_routes_from_rs(a1), set(), count=30, wait=1)
    assert ok, got


def example_lines():
    with open(EXAMPLE) as f:
        return [ln.rstrip() for ln in f if ln.strip() and not ln.lstrip().startswith("!")]


# what bgpd and vtysh add around any configuration
FRAME = re.compile(r"(frr version |frr defaults |log |service integrated-vtysh-config$|end$)")


def test_running_config_is_the_example(tgen):
    """The example round-trips exactly: running-config, comments aside,
    is the file line by line, also after `write memory` and a restart."""
    before, after = roundtrip(tgen.gears["rs1"])
    assert before == after
    shown = [ln for ln in after if not FRAME.match(ln.strip()) and ln.strip() != "!"]
    assert shown == example_lines(), "\n".join(
        difflib.unified_diff(example_lines(), shown, "example", "running-config", lineterm=""))


def test_yang_data_from_bgpd(tgen):
    """
    bgpd's own YANG view of the example configuration: its running
    configuration is exactly tests/yang/route-server.json (which `make
    check` validates strictly), and its operational data -- configuration
    plus state -- passes yanglint's strict validation.
    """
    rs1 = tgen.gears["rs1"]
    model = os.path.join(CWD, "..", "..", "module", "yang", "frr-bgp-vappliance.yang")
    top = "frr-bgp-vappliance:vappliance"
    running = vtysh_json(rs1, "show configuration running json bgpd")
    with open(os.path.join(CWD, "..", "..", "tests", "yang", "route-server.json")) as f:
        want = json.load(f)
    assert running.get(top) == want[top], json.dumps(running.get(top), indent=1)

    oper = vtysh_json(rs1, "show yang operational-data /%s with-config bgpd" % top)
    assert oper.get(top, {}).get("instance"), oper
    path = os.path.join(tgen.logdir, "rs1", "oper.json")
    with open(path, "w") as f:
        json.dump({top: oper[top]}, f)
    out = rs1.cmd("%s -t data %s %s 2>&1; echo rc=$?" % (YANGLINT, model, path))
    assert out.strip().endswith("rc=0"), out
