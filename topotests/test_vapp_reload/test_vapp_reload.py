#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_reload: frr-reload.py (from our FRR 10.3 build) and the module.

rs1 runs `bgpd -M vappliance`; the appliance a1 peers with its anycast
address 10.255.0.1, the fabric router f1 is a static neighbor tracked by it.

1. The running configuration reloaded onto itself gives an empty diff.
2. A new configuration -- pool prefix bounds changed, a pool prefix added,
   the anycast restore-delay and lease changed, a route-map entry with
   `match vappliance valid` added -- gives exactly those lines, and
   `--reload` applies them: the new policy takes effect (a1's route to
   198.51.100.0/24 reaches f1, with the new entry's community) without
   resetting a1's or f1's session and without the anycast address moving.
3. Reloading the old configuration removes them again, just as quietly.
"""
import os
import re

import pytest

from lib import topotest
from lib.topogen import Topogen

from vapplib import expect_json, load_plain, load_route_server, roundtrip, vtysh_json

pytestmark = [pytest.mark.bgpd]
CWD = os.path.dirname(os.path.realpath(__file__))
RELOAD = "/usr/bin/python3 /usr/lib/frr/frr-reload.py --bindir /usr/bin --stdout"
ANY = "10.255.0.1/32"

# (context, line) pairs; line None: the whole context
EDIT_DEL = {
    ("router bgp 65000", "no vappliance pool web prefix 192.0.2.0/24 ge 29 le 32"),
    ("router bgp 65000", "no vappliance anycast %s restore-delay 2" % ANY),
}
EDIT_ADD = {
    ("router bgp 65000", "vappliance pool web prefix 192.0.2.0/24 ge 28 le 32"),
    ("router bgp 65000", "vappliance pool web prefix 198.51.100.0/24"),
    ("router bgp 65000", "vappliance anycast %s restore-delay 5" % ANY),
    ("router bgp 65000", "vappliance anycast %s lease 12" % ANY),
    ("route-map VAPP-IN permit 50", "match vappliance valid"),
    ("route-map VAPP-IN permit 50", "set community 65000:50"),
}


def build_topo(tgen):
    s1 = tgen.add_switch("s1")
    s1.add_link(tgen.add_router("rs1"))
    s1.add_link(tgen.add_router("a1"))
    s2 = tgen.add_switch("s2")
    s2.add_link(tgen.gears["rs1"])
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


def frr_reload(rs1, text, mode):
    path = "/etc/frr/vapp-reload.conf"
    rs1.cmd("cat > %s <<'VAPPEOF'\n%s\nVAPPEOF" % (path, text))
    return rs1.cmd("%s --%s %s 2>&1; echo rc=$?" % (RELOAD, mode, path))


def parse_diff(out):
    """frr-reload.py --test output -> (deleted, added) sets of (context, line)."""
    sections = {"delete": set(), "add": set()}
    cur, ctx = None, []
    for raw in out.splitlines():
        if raw.startswith("Lines To Delete"):
            cur, ctx = "delete", []
            continue
        if raw.startswith("Lines To Add"):
            cur, ctx = "add", []
            continue
        if cur is None or not raw.strip() or raw.startswith("====") or raw.startswith("rc="):
            continue
        depth = (len(raw) - len(raw.lstrip(" ")))
        line = raw.strip()
        if line == "exit":
            ctx = ctx[:depth]
            continue
        ctx = ctx[:depth]
        if depth == 0 and re.match(r"(router |route-map |interface |address-family )", line):
            ctx = [line]
            sections[cur].add((line, None))
            continue
        sections[cur].add((" / ".join(ctx), line))
    # a context header alone only says where the lines below it go
    for key in sections:
        heads = {c for c, l in sections[key] if l is not None}
        sections[key] = {(c, l) for c, l in sections[key] if l is not None or c not in heads}
    return sections["delete"], sections["add"]


def running_text(rs1):
    """show running-config as a file would hold it (no banner lines)."""
    out = rs1.vtysh_cmd("show running-config")
    return "\n".join(l for l in out.splitlines()
                     if not l.startswith(("Building configuration", "Current configuration")))


def sessions(tgen):
    """connectionsEstablished of a1's and f1's sessions, as rs1 counts them."""
    out = vtysh_json(tgen.gears["rs1"], "show bgp neighbors json")
    return {n: out.get(n, {}).get("connectionsEstablished") for n in ("10.0.0.11", "10.0.1.2")}


def anycast(rs1):
    return vtysh_json(rs1, "show bgp vappliance anycast json")["anycast"][ANY]


def f1_routes(tgen):
    return vtysh_json(tgen.gears["f1"], "show bgp ipv4 unicast json").get("routes", {})


def test_converged(tgen):
    rs1 = tgen.gears["rs1"]
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"state": "admitted", "established": True,
                      "prefixes": {"accepted": 1, "outsideRange": 1}}}}, count=90, wait=0.5)
    assert diff is None, diff
    ok, _ = topotest.run_and_expect(lambda: sorted(f1_routes(tgen)), ["192.0.2.8/29"],
                                    count=60, wait=0.5)
    assert ok, f1_routes(tgen)
    assert sessions(tgen) == {"10.0.0.11": 1, "10.0.1.2": 1}, sessions(tgen)
    assert anycast(rs1)["state"] == "up", anycast(rs1)


def test_running_config_reloads_onto_itself_with_no_diff(tgen):
    rs1 = tgen.gears["rs1"]
    out = frr_reload(rs1, running_text(rs1), "test")
    assert out.strip().endswith("rc=0"), out
    assert parse_diff(out) == (set(), set()), out


def edited(text):
    """The running configuration with the edits of EDIT_DEL/EDIT_ADD made by hand."""
    text = text.replace(" vappliance pool web prefix 192.0.2.0/24 ge 29 le 32\n",
                        " vappliance pool web prefix 192.0.2.0/24 ge 28 le 32\n"
                        " vappliance pool web prefix 198.51.100.0/24\n")
    text = text.replace(" vappliance anycast %s restore-delay 2\n" % ANY,
                        " vappliance anycast %s restore-delay 5\n"
                        " vappliance anycast %s lease 12\n" % (ANY, ANY))
    text = text.replace("route-map VAPP-IN permit 100\n",
                        "route-map VAPP-IN permit 50\n match vappliance valid\n"
                        " set community 65000:50\nexit\n!\nroute-map VAPP-IN permit 100\n")
    return text


def test_reload_applies_module_changes_without_resets(tgen):
    rs1 = tgen.gears["rs1"]
    old = running_text(rs1)
    new = edited(old)
    assert new != old
    before, transitions = sessions(tgen), anycast(rs1)["transitions"]

    out = frr_reload(rs1, new, "test")
    deleted, added = parse_diff(out)
    assert deleted == EDIT_DEL, out
    assert added == EDIT_ADD | {("route-map VAPP-IN permit 50", None)} or added == EDIT_ADD, out

    out = frr_reload(rs1, new, "reload")
    assert out.strip().endswith("rc=0"), out
    # now the running configuration is the new one
    out = frr_reload(rs1, new, "test")
    assert parse_diff(out) == (set(), set()), out

    # the policy follows: a1's 198.51.100.0/24 is valid and reaches f1 with
    # the community of the new entry
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"prefixes": {"accepted": 2, "outsideRange": 0}}}}, count=40, wait=0.5)
    assert diff is None, diff
    ok, _ = topotest.run_and_expect(lambda: sorted(f1_routes(tgen)),
                                    ["192.0.2.8/29", "198.51.100.0/24"], count=40, wait=0.5)
    assert ok, f1_routes(tgen)
    route = vtysh_json(tgen.gears["f1"], "show bgp ipv4 unicast 198.51.100.0/24 json")
    assert route["paths"][0].get("community", {}).get("string") == "65000:50", route
    state = anycast(rs1)
    assert (state["restoreDelay"], state["lease"]) == (5, 12), state
    # no session was reset and the address never moved
    assert sessions(tgen) == before, (before, sessions(tgen))
    assert state["transitions"] == transitions and state["state"] == "up", state


def test_reload_back_removes_them_quietly(tgen):
    rs1 = tgen.gears["rs1"]
    new = running_text(rs1)
    old = (new.replace(" vappliance pool web prefix 192.0.2.0/24 ge 28 le 32\n",
                       " vappliance pool web prefix 192.0.2.0/24 ge 29 le 32\n")
           .replace(" vappliance pool web prefix 198.51.100.0/24\n", "")
           .replace(" vappliance anycast %s restore-delay 5\n" % ANY,
                    " vappliance anycast %s restore-delay 2\n" % ANY)
           .replace(" vappliance anycast %s lease 12\n" % ANY, "")
           .replace("route-map VAPP-IN permit 50\n match vappliance valid\n"
                    " set community 65000:50\nexit\n!\n", ""))
    before, transitions = sessions(tgen), anycast(rs1)["transitions"]
    out = frr_reload(rs1, old, "test")
    deleted, added = parse_diff(out)
    assert ("router bgp 65000", "no vappliance pool web prefix 198.51.100.0/24") in deleted, out
    assert ("router bgp 65000", "no vappliance anycast %s lease 12" % ANY) in deleted, out
    # the entry goes as a whole
    assert ("", "no route-map VAPP-IN permit 50") in deleted, out
    assert len(deleted) == 5 and len(added) == 2, out
    assert ("router bgp 65000", "vappliance anycast %s restore-delay 2" % ANY) in added, out

    out = frr_reload(rs1, old, "reload")
    assert out.strip().endswith("rc=0"), out
    out = frr_reload(rs1, old, "test")
    assert parse_diff(out) == (set(), set()), out

    ok, _ = topotest.run_and_expect(lambda: sorted(f1_routes(tgen)), ["192.0.2.8/29"],
                                    count=40, wait=0.5)
    assert ok, f1_routes(tgen)
    state = anycast(rs1)
    assert (state["restoreDelay"], state["lease"]) == (2, 9), state
    assert sessions(tgen) == before, (before, sessions(tgen))
    assert state["transitions"] == transitions and state["state"] == "up", state


def test_running_config_roundtrip(tgen):
    before, after = roundtrip(tgen.gears["rs1"])
    assert before == after
