#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_admission: admission of dynamic neighbors on the wire.

rs1 (route server, AS 65000, `bgpd -M vappliance`) listens on 10.0.0.0/24
for peer-group APPL (TCP-MD5). Pool web (remote-as 65001..65004, deny
10.0.0.66, quarantine 3 failures) takes every source but 10.0.0.32/27,
which belongs to pool db (remote-as 65010, max-sessions 2).

  a1 .11 AS 65001   admitted            a5 .15 wrong MD5 -> no session
  a2 .12 AS 65002   admitted            a6 .66 denied source
  a4 .14 AS 65099   Bad Peer AS, then quarantined
  b1 .33, b2 .34    pool db admitted    b3 .35 third -> poolFull
  e1 .20 ExaBGP AS 65004 admitted
"""
import datetime
import os
import re
import time

import pytest

from lib import topotest
from lib.topogen import Topogen

from vapplib import (
    expect_json,
    load_plain,
    load_route_server,
    roundtrip,
    running_config,
    vtysh_json,
    wait_log,
)

pytestmark = [pytest.mark.bgpd, pytest.mark.exabgp]
CWD = os.path.dirname(os.path.realpath(__file__))
APPLIANCES = ["a1", "a2", "a4", "a5", "a6", "b1", "b2", "b3"]


def build_topo(tgen):
    sw = tgen.add_switch("s1")
    sw.add_link(tgen.add_router("rs1"))
    for name in APPLIANCES:
        sw.add_link(tgen.add_router(name))
    sw.add_link(tgen.add_exabgp_peer("e1", ip="10.0.0.20/24", defaultRoute="via 10.0.0.1"))


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], os.path.join(CWD, "rs1/frr.conf"))
    for name in APPLIANCES:
        load_plain(tgen.gears[name], os.path.join(CWD, name, "frr.conf"))
    tgen.start_router()
    tgen.gears["e1"].start(os.path.join(CWD, "e1"), os.path.join(CWD, "exabgp.env"))
    yield tgen
    tgen.stop_topology()


def appliances(rs):
    return vtysh_json(rs, "show bgp vappliance appliances json")["appliances"]


def neighbor(router, peer):
    out = vtysh_json(router, "show bgp neighbors %s json" % peer)
    return out.get(peer, {})


def wait_neighbor(router, peer, expected, count=40):
    return expect_json(router, "show bgp neighbors %s json" % peer, {peer: expected}, count=count)


def rejected_on_wire(tgen, appliance, source):
    """
    rs1 sent Cease/Connection Rejected and the appliance received it. (FRR
    10.3 appliances then report their own FSM error as the last notification:
    stock bgpd treats a NOTIFICATION in OpenSent as an unexpected message.)
    """
    rs1 = tgen.gears["rs1"]
    assert wait_log(tgen, rs1, r"NOTIFICATION: sent to neighbor %s 6/5 \(Cease/Connection Rejected\)"
                    % re.escape(source)), source
    assert wait_log(tgen, appliance,
                    r"NOTIFICATION: received from neighbor 10\.0\.0\.1 6/5 \(Cease/Connection Rejected\)"
                    ), appliance.name


def test_allowed_appliances_admitted(tgen):
    rs1 = tgen.gears["rs1"]
    expected = {
        "appliances": {
            "10.0.0.11": {"pool": "web", "state": "admitted", "established": True,
                          "remoteAs": 65001, "routerId": "10.0.0.11"},
            "10.0.0.12": {"pool": "web", "state": "admitted", "established": True,
                          "remoteAs": 65002},
            "10.0.0.20": {"pool": "web", "state": "admitted", "established": True,
                          "remoteAs": 65004},
            "10.0.0.33": {"pool": "db", "state": "admitted", "established": True},
            "10.0.0.34": {"pool": "db", "state": "admitted", "established": True},
        }
    }
    diff = expect_json(rs1, "show bgp vappliance appliances json", expected, count=60)
    assert diff is None, diff


def test_exabgp_appliance_routes(tgen):
    diff = expect_json(
        tgen.gears["rs1"],
        "show bgp ipv4 unicast 198.51.100.0/29 json",
        {"paths": [{"aspath": {"string": "65004"}, "peer": {"peerId": "10.0.0.20"}}]},
    )
    assert diff is None, diff


def test_remote_as_outside_set_rejected(tgen):
    rs1, a4 = tgen.gears["rs1"], tgen.gears["a4"]
    assert wait_log(tgen, a4, r"NOTIFICATION: received from neighbor 10\.0\.0\.1 2/2 "
                    r"\(OPEN Message Error/Bad Peer AS\)")
    app = appliances(rs1).get("10.0.0.14", {})
    assert app.get("state") in ("rejected", "quarantined"), app
    assert neighbor(a4, "10.0.0.1").get("bgpState") != "Established"
    # rs1 never had it Established (the line bgpd logs for one that is: a1)
    log = rs1.cmd("cat %s/rs1/bgpd.log" % tgen.logdir)
    assert re.search(r"neighbor 10\.0\.0\.11.* Up", log), "no Up line for a1 in rs1's log"
    assert not re.search(r"neighbor 10\.0\.0\.14.* Up", log), "a4 came up on rs1"


def md5_failures(router):
    out = router.cmd("nstat -az TcpExtTCPMD5Failure")
    m = re.search(r"TcpExtTCPMD5Failure\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def test_wrong_password_no_session(tgen):
    rs1, a5 = tgen.gears["rs1"], tgen.gears["a5"]
    # TCP-MD5: the kernel drops the SYNs; bgpd never sees a connection. The
    # stimulus is proven: a5's SYNs keep arriving (retransmitted) and rs1's
    # kernel counts each as an MD5 failure (a5 is the only one with a wrong
    # password in rs1's namespace)
    before = md5_failures(rs1)
    ok, _ = topotest.run_and_expect(lambda: md5_failures(rs1) > before, True, count=40, wait=1)
    assert ok, (before, md5_failures(rs1))
    assert neighbor(a5, "10.0.0.1").get("bgpState") != "Established"
    assert "10.0.0.15" not in appliances(rs1)
    entries = vtysh_json(rs1, "show bgp vappliance admission-log json")["admissionLog"]
    assert not [e for e in entries if e["source"] == "10.0.0.15"]


def test_denied_source_rejected(tgen):
    rs1, a6 = tgen.gears["rs1"], tgen.gears["a6"]
    rejected_on_wire(tgen, a6, "10.0.0.66")
    assert neighbor(a6, "10.0.0.1").get("bgpState") != "Established"
    diff = expect_json(rs1, "show bgp vappliance appliances json",
                       {"appliances": {"10.0.0.66": {"pool": "web", "state": "rejected",
                                                     "reason": "deniedSource"}}})
    assert diff is None, diff


def test_max_sessions_third_rejected(tgen):
    rs1, b1, b2, b3 = (tgen.gears[n] for n in ("rs1", "b1", "b2", "b3"))
    before = {r.name: neighbor(r, "10.0.0.1")["connectionsEstablished"] for r in (b1, b2)}
    b3.vtysh_cmd("configure terminal\nrouter bgp 65010\nno neighbor 10.0.0.1 shutdown")
    rejected_on_wire(tgen, b3, "10.0.0.35")
    diff = expect_json(rs1, "show bgp vappliance appliances json",
                       {"appliances": {"10.0.0.35": {"pool": "db", "state": "rejected",
                                                     "reason": "poolFull"}}})
    assert diff is None, diff
    # the first two untouched
    for r in (b1, b2):
        n = neighbor(r, "10.0.0.1")
        assert n["bgpState"] == "Established", n
        assert n["connectionsEstablished"] == before[r.name], n
    diff = expect_json(rs1, "show bgp vappliance pools json",
                       {"pools": {"db": {"sessions": 2, "maxSessions": 2}}}, count=5)
    assert diff is None, diff


def test_quarantine_then_clear(tgen):
    rs1, a4 = tgen.gears["rs1"], tgen.gears["a4"]
    # a4 keeps failing with AS 65099: 3 failures within 120 s -> quarantined
    diff = expect_json(rs1, "show bgp vappliance appliances json",
                       {"appliances": {"10.0.0.14": {"state": "quarantined"}}}, count=60)
    assert diff is None, diff
    # a now-correct AS does not help while quarantined: a4 does try again
    # after the change (the quarantined count grows past what it was), and
    # stays out
    def quarantined():
        return vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["web"]["rejected"][
            "quarantined"]
    q0 = quarantined()
    a4.vtysh_cmd("configure terminal\nrouter bgp 65099\n"
                 "neighbor 10.0.0.1 local-as 65003 no-prepend replace-as")
    ok, _ = topotest.run_and_expect(lambda: quarantined() > q0, True, count=60, wait=1)
    assert ok, (q0, quarantined())
    assert neighbor(a4, "10.0.0.1").get("bgpState") != "Established"
    # the text view lists rejected and quarantined sources too (they have
    # no prefix counts: "-"), and bgpd survives it
    rows = {ln.split()[0]: ln.split() for ln in
            rs1.vtysh_cmd("show bgp vappliance appliances").splitlines()[1:] if ln.strip()}
    assert rows.get("10.0.0.14", [])[1:3] == ["web", "quarantined"], rows
    assert rows["10.0.0.14"][7:9] == ["-", "-"], rows["10.0.0.14"]
    assert rows.get("10.0.0.66", [])[1:3] == ["web", "rejected"], rows
    assert vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["web"]

    out = rs1.vtysh_cmd("clear bgp vappliance quarantine 10.0.0.14")
    assert "cleared 1 source" in out, out
    diff = wait_neighbor(a4, "10.0.0.1", {"bgpState": "Established"}, count=60)
    assert diff is None, diff
    diff = expect_json(rs1, "show bgp vappliance appliances json",
                       {"appliances": {"10.0.0.14": {"state": "admitted", "remoteAs": 65003}}})
    assert diff is None, diff


def test_asn_removed_live_disconnects_exactly_that(tgen):
    rs1, a1, a2 = tgen.gears["rs1"], tgen.gears["a1"], tgen.gears["a2"]
    a1_before = neighbor(a1, "10.0.0.1")["connectionsEstablished"]
    e1_up = vtysh_json(rs1, "show bgp neighbors 10.0.0.20 json")["10.0.0.20"]["bgpTimerUpMsec"]
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno vappliance pool web remote-as 65002")
    assert wait_log(tgen, a2, r"NOTIFICATION(\(Hard Reset\))?: received from neighbor 10\.0\.0\.1 6/4 "
                    r"\(Cease/Administrative Reset\)")
    # it stays out: a reconnect after the disconnection is rejected for its
    # AS (an admission-log entry after the disconnection's, newest first)
    def rejected_after_disconnect():
        log = vtysh_json(rs1, "show bgp vappliance admission-log json")["admissionLog"]
        mine = [(e["sequence"], e["verdict"], e["reason"]) for e in log
                if e["source"] == "10.0.0.12"]
        disc = [q for q, v, _ in mine if v == "disconnected"]
        return bool(disc) and any(q > max(disc) and v == "rejected" and r == "remoteAs"
                                  for q, v, r in mine)
    ok, _ = topotest.run_and_expect(rejected_after_disconnect, True, count=60, wait=1)
    assert ok, vtysh_json(rs1, "show bgp vappliance admission-log json")
    diff = expect_json(rs1, "show bgp vappliance appliances json",
                       {"appliances": {"10.0.0.12": {"state": "rejected",
                                                     "reason": "remoteAs"}}})
    assert diff is None, diff
    n = neighbor(a1, "10.0.0.1")
    assert n["bgpState"] == "Established" and n["connectionsEstablished"] == a1_before, n
    e1 = vtysh_json(rs1, "show bgp neighbors 10.0.0.20 json")["10.0.0.20"]
    assert e1["bgpState"] == "Established" and e1["bgpTimerUpMsec"] >= e1_up, e1


def test_counters_and_log_match(tgen):
    rs1 = tgen.gears["rs1"]
    pools = vtysh_json(rs1, "show bgp vappliance pools json")["pools"]
    web, db = pools["web"], pools["db"]
    assert web["rejected"]["remoteAs"] >= 4, web  # a4 x3 at least, a2 after removal
    assert web["rejected"]["deniedSource"] >= 1, web
    assert web["rejected"]["quarantined"] >= 1, web
    assert db["rejected"]["poolFull"] >= 1, db
    assert web["admitted"] >= 4 and db["admitted"] == 2, pools
    log = vtysh_json(rs1, "show bgp vappliance admission-log json")["admissionLog"]
    seen = {(e["source"], e["verdict"], e["reason"]) for e in log}
    for want in [
        ("10.0.0.11", "admitted", "none"),
        ("10.0.0.20", "admitted", "none"),
        ("10.0.0.14", "rejected", "remoteAs"),
        ("10.0.0.14", "quarantined", "quarantined"),
        ("10.0.0.14", "rejected", "quarantined"),
        ("10.0.0.14", "admitted", "none"),
        ("10.0.0.66", "rejected", "deniedSource"),
        ("10.0.0.35", "rejected", "poolFull"),
        ("10.0.0.12", "disconnected", "remoteAs"),
    ]:
        assert want in seen, (want, sorted(seen))
    # a6's repeated rejections are logged, at most one line per 10 s
    with open(os.path.join(tgen.logdir, "rs1", "bgpd.log"), errors="replace") as f:
        lines = [l for l in f if "vappliance: rejected 10.0.0.66" in l]
    assert lines, "a6's rejection not logged"
    first = datetime.datetime.strptime(lines[0][:19], "%Y/%m/%d %H:%M:%S")
    span = (datetime.datetime.now() - first).total_seconds()
    assert len(lines) <= 2 + span / 10, (len(lines), span)
    # and the limit held lines back: a6 (connect retry 2 s) was refused
    # more often than logged
    assert web["rejected"]["deniedSource"] > len(lines), (web["rejected"], len(lines))


def test_yang_state_and_notification(tgen):
    rs1 = tgen.gears["rs1"]
    oper = vtysh_json(rs1, "show yang operational-data /frr-bgp-vappliance:vappliance bgpd")
    inst = oper["frr-bgp-vappliance:vappliance"]["instance"][0]
    apps = {a["source"]: a for a in inst["appliance"]}
    assert apps["10.0.0.66"]["reason"] == "deniedSource", apps
    web = [p for p in inst["pool"] if p["name"] == "web"][0]
    assert int(web["state"]["rejected"]["denied-source"]) >= 1, web
    # the notification goes out through the northbound (logged with debug).
    # The appliances rejected on every retry (a2, a6, b3) are quieted first,
    # so that the count grows for this change alone
    quiet = {"a2": 65002, "a6": 65003, "b3": 65010}
    for name, asn in quiet.items():
        tgen.gears[name].vtysh_cmd("configure terminal\nrouter bgp %d\n"
                                   "neighbor 10.0.0.1 shutdown" % asn)
    rs1.vtysh_cmd("debug northbound notifications")

    def notifications():
        out = rs1.cmd("grep -c 'northbound notification: /frr-bgp-vappliance:appliance-rejected' "
                      "%s/rs1/bgpd.log" % tgen.logdir)
        return int(out.strip() or 0)
    ok, _ = topotest.run_and_expect(lambda: (notifications(), time.sleep(3))[0] == notifications(),
                                    True, count=10, wait=0)
    assert ok, "the other appliances did not go quiet"
    before = notifications()
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nvappliance pool web deny-source 10.0.0.11/32")
    assert wait_log(tgen, tgen.gears["a1"], r"NOTIFICATION(\(Hard Reset\))?: received from neighbor "
                    r"10\.0\.0\.1 6/4 \(Cease/Administrative Reset\)")
    ok, _ = topotest.run_and_expect(lambda: notifications() > before, True, count=10, wait=1)
    assert ok, (before, notifications())
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno vappliance pool web deny-source 10.0.0.11/32")
    for name, asn in quiet.items():
        tgen.gears[name].vtysh_cmd("configure terminal\nrouter bgp %d\n"
                                   "no neighbor 10.0.0.1 shutdown" % asn)


def _config_try(router, *cmds):
    args = " ".join("-c '%s'" % c for c in ("configure terminal", "router bgp 65000") + cmds)
    return router.cmd("vtysh %s 2>&1" % args)


def test_one_appliance_detail_and_clear(tgen):
    """show bgp vappliance appliance ADDR [json]: one appliance in detail.
    clear bgp vappliance appliance ADDR message MSG: that appliance gets
    Cease / Administrative Reset with the message (RFC 9003), the route
    server logs it, the others keep their sessions, and the appliance comes
    back (no failure toward quarantine). An address without a session is
    refused."""
    rs1, a1 = tgen.gears["rs1"], tgen.gears["a1"]
    want = {"10.0.0.11": {"state": "admitted", "established": True},
            "10.0.0.20": {"state": "admitted", "established": True}}
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": want},
                       count=90)
    assert diff is None, diff
    e1_up = neighbor(rs1, "10.0.0.20")["bgpTimerUpMsec"]
    # its detail first: what an operator looks at before clearing it
    d = vtysh_json(rs1, "show bgp vappliance appliance 10.0.0.11 json")
    assert d.get("appliance") == "10.0.0.11" and d.get("pool") == "web", d
    assert d["state"] == "admitted" and d["established"] and d["bgpState"] == "Established", d
    assert d["peerGroup"] == "APPL" and d["remoteAs"] == 65001, d
    assert {"accepted", "outsideRange", "overLimit", "unkept"} <= set(d["prefixes"]), d
    assert d["decisions"] and d["decisions"][0]["verdict"] == "admitted", d
    out = rs1.vtysh_cmd("show bgp vappliance appliance 10.0.0.11")
    assert "Appliance 10.0.0.11, pool web, admitted since" in out, out
    assert "Session: established (bgpd: Established), AS 65001" in out, out
    # a refused source has its reason and its decisions
    d = vtysh_json(rs1, "show bgp vappliance appliance 10.0.0.66 json")
    assert d.get("state") == "rejected" and d.get("reason") == "deniedSource", d
    assert all(x["reason"] == "deniedSource" for x in d["decisions"]) and d["decisions"], d
    assert vtysh_json(rs1, "show bgp vappliance appliance 10.0.0.99 json") == {}
    assert "% no appliance 10.0.0.99 in vrf default" in rs1.vtysh_cmd(
        "show bgp vappliance appliance 10.0.0.99")
    out = rs1.vtysh_cmd("clear bgp vappliance appliance 10.0.0.11 message maintenance window 42")
    assert 'told: Cease / Administrative Reset "maintenance window 42"' in out, out
    assert wait_log(tgen, a1, r"received from neighbor 10\.0\.0\.1 6/4 "
                    r"\(Cease/Administrative Reset\) \"maintenance window 42\"")
    assert wait_log(tgen, rs1, r"vappliance: 10\.0\.0\.11 \(pool web, vrf default\) cleared "
                    r"by the operator: \"maintenance window 42\"")
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": want},
                       count=90)
    assert diff is None, diff
    e1 = neighbor(rs1, "10.0.0.20")
    assert e1["bgpState"] == "Established" and e1["bgpTimerUpMsec"] >= e1_up, e1
    # RFC 9003 allows 255 octets: a longer message is cut (between UTF-8
    # characters: Check test utf8_cut_on_a_boundary; the logs here are ASCII)
    rs1.vtysh_cmd("clear bgp vappliance appliance 10.0.0.11 message " + "x" * 300)
    assert wait_log(tgen, a1, r"6/4 \(Cease/Administrative Reset\) \"x{255}\"")
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": want},
                       count=90)
    assert diff is None, diff
    out = rs1.vtysh_cmd("clear bgp vappliance appliance 10.0.0.99")
    assert "% 10.0.0.99 has no admitted, established appliance session in vrf default" in out, out
    out = rs1.vtysh_cmd("clear bgp vrf nope vappliance appliance 10.0.0.11")
    assert "has no admitted, established appliance session in vrf nope" in out, out


def test_bad_input_rejected_unchanged(tgen):
    rs1 = tgen.gears["rs1"]
    before = running_config(rs1)
    for cmd, msg in [
        ("vappliance pool web remote-as 65010-65001", "AS range is reversed"),
        ("vappliance pool web remote-as 0", "AS 0 is reserved"),
        ("vappliance pool web remote-as 4294967296", "not an AS number"),
        ("vappliance pool web remote-as 65003-65005", "overlaps another remote-as"),
        ("vappliance pool web source 10.0.0.32/27", "is in pools db and web"),
        ("vappliance pool spare peer-group APPL", "both have no source"),
        ("vappliance pool nope source 10.9.0.0/16", "vappliance pool nope does not exist"),
        ("no vappliance pool web source 10.9.0.0/16", "is not configured in vappliance pool web"),
        ("no vappliance pool web remote-as 64999", "is not configured in vappliance pool web"),
    ]:
        out = _config_try(rs1, cmd)
        assert msg in out, (cmd, out)
    assert running_config(rs1) == before
    # a warning, not an error: applied
    out = _config_try(rs1, "vappliance pool web deny-source 192.0.2.0/24")
    assert "outside every listen range of peer-group APPL" in out, out
    assert " vappliance pool web deny-source 192.0.2.0/24" in running_config(rs1)
    _config_try(rs1, "no vappliance pool web deny-source 192.0.2.0/24")
    assert running_config(rs1) == before
    # asdot is accepted and stored as asplain
    _config_try(rs1, "vappliance pool web remote-as 1.10")
    assert " vappliance pool web remote-as 65546" in running_config(rs1)
    _config_try(rs1, "no vappliance pool web remote-as 1.10")
    assert running_config(rs1) == before


def test_running_config_roundtrip(tgen):
    rs1 = tgen.gears["rs1"]
    before, after = roundtrip(rs1)
    assert before == after
    mine = [l for l in before if l.startswith(" vappliance")]
    assert " vappliance pool web quarantine failures 3 within 120 hold 600" in mine, mine
    assert " vappliance pool db max-sessions 2" in mine, mine
    assert " vappliance pool web deny-source 10.0.0.66/32" in mine, mine
