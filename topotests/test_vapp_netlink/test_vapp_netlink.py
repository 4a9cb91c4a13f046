#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_netlink: the anycast address and the kernel when rtnetlink
fails (issue 13, item 2), with the module's test-only fault injection
(VAPP_TEST_NETLINK_FAULTS in bgpd's environment):

- dump 2, the ownership check before the first install, is preceded by a
  stale answer under the previous sequence number: skipped, counted;
- add 1, the first install, is carried out but never answered: after the
  bounded wait the module finds the address in the kernel and removes it
  (it cannot vouch for it);
- del 1-4 fail: the address stays on lo and shows installed with its
  removal pending, retried after 1, 2, 4 and 8 s; del 5 works, and the
  install is retried and works (add 2);
- del 6 (the drain's removal) fails once: the address stays while
  draining, shown so, and goes with the retry;
- restarted with every add sent without IFA_PROTO (a kernel before
  5.18): the address is never kept, the state says why.
"""
import json
import os
import re
import time

import pytest

from lib.topogen import Topogen

from vapplib import bgpd_log, load_route_server, poll, restart_bgpd, vtysh_json

pytestmark = [pytest.mark.bgpd]
CWD = os.path.dirname(os.path.realpath(__file__))
AC = "10.255.0.1/32"
# module/vapp_errors.h: VAPP_FERR_START 0x1B000001, EC_VAPP_ANYCAST_REMOVE the seventh
EC_ANYCAST_REMOVE = 0x1B000001 + 6
FAULTS = "dump:2:stale,add:1:noack,del:1-4:fail,del:6:fail"


def build_topo(tgen):
    s1 = tgen.add_switch("s1")
    s1.add_link(tgen.add_router("rs1"))


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], os.path.join(CWD, "rs1/frr.conf"))
    # the daemons inherit the environment they are started from
    os.environ["VAPP_TEST_NETLINK_FAULTS"] = FAULTS
    try:
        tgen.start_router()
    finally:
        del os.environ["VAPP_TEST_NETLINK_FAULTS"]
    yield tgen
    tgen.stop_topology()


def anycast(rs1):
    out = vtysh_json(rs1, "show bgp vappliance anycast json")
    assert "__unparsable__" not in out, out
    return out


def on_lo(rs1):
    return (" %s " % AC) in rs1.run("ip -4 addr show dev lo")


def test_faults_announced(tgen):
    rs1 = tgen.gears["rs1"]
    ok, _ = poll(lambda: "TEST ONLY: rtnetlink faults injected" in bgpd_log(rs1), True, 50, wait=0.2)
    assert ok, bgpd_log(rs1)


def test_lost_answer_held_and_removal_retried(tgen):
    rs1 = tgen.gears["rs1"]

    def pending_twice():
        a = anycast(rs1)["anycast"].get(AC, {})
        return a.get("removalPending") and a.get("removalAttempts", 0) >= 2
    ok, _ = poll(pending_twice, True, 100, wait=0.2)
    assert ok, json.dumps(anycast(rs1), indent=1) + bgpd_log(rs1)
    a = anycast(rs1)["anycast"][AC]
    # the kernel holds it: installed, down, its removal shown and retried
    assert a["installed"] is True, a
    assert a["state"] == "down", a
    assert "removal failed" in a["reason"], a
    assert "Input/output error" in a["removalError"], a
    assert 0 <= a["removalRetryInMsec"] <= 8000, a
    assert on_lo(rs1), rs1.run("ip addr show dev lo")
    text = rs1.vtysh_cmd("show bgp vappliance anycast")
    assert re.search(r"Removal failed \d times \(Input/output error\): still in the kernel", text), text

    log = bgpd_log(rs1)
    assert "install failed (Connection timed out on lo) but the kernel holds it; removing it" in log, log
    assert "removing anycast 10.255.0.1/32 from lo failed (attempt 1)" in log, log
    # an error-level line with the module's error code, which bgpd explains
    assert re.search(r"\[EC %d\] vappliance: removing anycast" % EC_ANYCAST_REMOVE, log), log
    text = rs1.vtysh_cmd("show error %d" % EC_ANYCAST_REMOVE, daemon="bgpd")
    assert "vappliance cannot remove an anycast address" in text, text
    assert "retried with backoff" in text, text


def test_removal_works_then_install(tgen):
    rs1 = tgen.gears["rs1"]

    def up():
        a = anycast(rs1)["anycast"].get(AC, {})
        return a.get("state") == "up" and not a.get("removalPending")
    ok, _ = poll(up, True, 100, wait=0.2)
    assert ok, json.dumps(anycast(rs1), indent=1) + bgpd_log(rs1)
    out = anycast(rs1)
    a = out["anycast"][AC]
    assert a["installed"] is True and a["removalFailures"] == 4, a
    assert on_lo(rs1), rs1.run("ip addr show dev lo")
    log = bgpd_log(rs1)
    assert "anycast 10.255.0.1/32 removed from lo after 4 failed attempts" in log, log
    # the retries kept to the backoff, doubling
    for n, ms in ((1, 1000), (2, 2000), (3, 4000), (4, 8000)):
        assert ("(attempt %d): Input/output error; it stays until a retry in %d ms"
                % (n, ms)) in log, log
    nl = out["netlink"]
    # one lost answer and four failed sends, each followed by a new socket
    assert nl["errors"] == 5 and nl["socketsReopened"] == 5, nl
    assert nl["staleRepliesSkipped"] == 1, nl


def test_drain_removal_fails_once(tgen):
    rs1 = tgen.gears["rs1"]
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                  "vappliance anycast %s shutdown\nend" % AC)

    def pending():
        a = anycast(rs1)["anycast"].get(AC, {})
        return a.get("removalPending") is True
    ok, _ = poll(pending, True, 25, wait=0.2)
    assert ok, json.dumps(anycast(rs1), indent=1)
    a = anycast(rs1)["anycast"][AC]
    assert a["state"] == "draining" and a["installed"] is True, a
    assert on_lo(rs1), rs1.run("ip addr show dev lo")
    ok, _ = poll(lambda: on_lo(rs1), False, 50, wait=0.2)
    assert ok, rs1.run("ip addr show dev lo")
    a = anycast(rs1)["anycast"][AC]
    assert a["installed"] is False and a["removalPending"] is False, a
    assert a["state"] == "draining" and a["removalFailures"] == 5, a


def test_debug_anycast(tgen):
    """debug bgp vappliance anycast: each evaluation and its actions."""
    rs1 = tgen.gears["rs1"]
    rs1.vtysh_cmd("debug bgp vappliance anycast")
    assert "BGP vappliance anycast debugging is on" in rs1.vtysh_cmd("show debugging")
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                  "no vappliance anycast %s shutdown\nend" % AC)
    ok, _ = poll(lambda: re.search(r"vappliance: anycast: 10\.255\.0\.1/32 on lo: \S+ \(.*\), "
                                   r"actions install", bgpd_log(rs1)) is not None, True, 50, wait=0.2)
    assert ok, bgpd_log(rs1)[-2000:]
    ok, _ = poll(lambda: on_lo(rs1), True, 50, wait=0.2)
    assert ok, rs1.run("ip addr show dev lo")
    rs1.vtysh_cmd("no debug bgp vappliance anycast")
    assert "vappliance" not in rs1.vtysh_cmd("show debugging")


def test_kernel_without_the_mark_fails_closed(tgen):
    """A kernel before 5.18 ignores IFA_PROTO (fault noproto: every add is
    sent without it): the address the kernel then holds carries no mark,
    so the module cannot tell it from an operator's. It removes it, keeps
    the anycast address down and says why, again at every retry."""
    rs1 = tgen.gears["rs1"]
    assert on_lo(rs1), rs1.run("ip addr show dev lo")  # the stimulus: it was installed
    rs1.vtysh_cmd("write memory")
    os.environ["VAPP_TEST_NETLINK_FAULTS"] = "add:1-100000:noproto"
    try:
        restart_bgpd(rs1)
    finally:
        del os.environ["VAPP_TEST_NETLINK_FAULTS"]

    def refused():
        a = anycast(rs1)["anycast"].get(AC, {})
        return a.get("state") == "down" and "keeps no address protocol mark" in a.get(
            "reason", "")
    ok, _ = poll(refused, True, 50, wait=0.2)
    assert ok, json.dumps(anycast(rs1), indent=1)
    a = anycast(rs1)["anycast"][AC]
    assert a["reason"] == ("install failed: the kernel keeps no address protocol mark "
                           "(IFA_PROTO, Linux 5.18 or later)"), a
    assert a["installed"] is False, a
    assert "test fault noproto injected into rtnetlink add request" in bgpd_log(rs1)
    # each retry (every second) puts it in and takes it out again: never kept
    for _ in range(10):
        time.sleep(0.3)
        assert anycast(rs1)["anycast"][AC]["state"] == "down"
    ok, _ = poll(lambda: on_lo(rs1), False, 20, wait=0.2)
    assert ok, rs1.run("ip addr show dev lo")
