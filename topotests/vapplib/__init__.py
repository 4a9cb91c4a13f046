# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers shared by the vappliance topotests (on top of FRR's lib)."""
import functools
import json
import os
import re
import time

from lib import topotest
from lib.topogen import TopoRouter

# tools/mutants.sh --topotests loads a mutated build of the module by its path
BGPD_MODULE_ARGS = "-M " + os.environ.get("VAPP_TEST_MODULE", "vappliance")


def _daemons(bgpd_args, ospf, bfd):
    daemons = [
        (TopoRouter.RD_ZEBRA, None),
        (TopoRouter.RD_MGMTD, None),
        (TopoRouter.RD_STATIC, None),
        (TopoRouter.RD_BGP, bgpd_args),
    ]
    if ospf:
        daemons.append((TopoRouter.RD_OSPF, None))
    if bfd:
        daemons.append((TopoRouter.RD_BFD, None))
    return daemons


def load_route_server(router, conf, ospf=False, bfd=False):
    """Unified frr.conf with bgpd started as `bgpd -M vappliance`."""
    router.load_frr_config(conf, _daemons(BGPD_MODULE_ARGS, ospf, bfd))


def load_plain(router, conf, ospf=False, bfd=False):
    """Unified frr.conf, stock daemons (appliances, fabric routers)."""
    router.load_frr_config(conf, _daemons(None, ospf, bfd))


def vtysh_json(router, cmd):
    out = router.vtysh_cmd(cmd)
    try:
        return json.loads(out)
    except ValueError:
        return {"__unparsable__": out}


def expect_json(router, cmd, expected, count=30, wait=1, exact=False):
    """Polls `cmd` until its JSON contains `expected`; returns the diff or None."""
    test_func = functools.partial(
        topotest.router_json_cmp, router, cmd, expected, exact
    )
    _, result = topotest.run_and_expect(test_func, None, count=count, wait=wait)
    return result


def received_routes(router, neighbor, afi="ipv4"):
    """The prefixes of @neighbor's Adj-RIB-In (soft-reconfiguration inbound), before policy."""
    out = vtysh_json(router, "show bgp %s unicast neighbors %s received-routes json"
                     % (afi, neighbor))
    assert "__unparsable__" not in out, out
    return set(out.get("receivedRoutes", {}))


def appliance_routes(router, source, which=""):
    """`show bgp vappliance appliance SOURCE routes [which] json`: {(prefix,
    path id, SAFI): (next hop, verdict, reason)}."""
    out = vtysh_json(router, "show bgp vappliance appliance %s routes %s json" % (source, which))
    assert "__unparsable__" not in out, out
    return {(pfx, e["pathId"], e["safi"]): (e.get("nextHop"), e["verdict"], e.get("reason"))
            for pfx, paths in out.get("routes", {}).items() for e in paths}


def bgpd_log(router):
    """The router's bgpd.log as it is now."""
    with open(os.path.join(router.logdir, router.name, "bgpd.log"), errors="replace") as f:
        return f.read()


def poll(fn, want, count=40, wait=0.5):
    """
    Calls fn() every wait s until it returns want: (ok, last). It gives up
    after count tries, or 60 s when that is less than 15 s: FRR's
    run_and_expect() turns such short waits into 20 tries 3 s apart, which
    hid anything faster than 3 s from a test's timing; the deadline stays.
    """
    span = count * wait
    deadline = time.time() + (span if span >= 15 else 60)
    while True:
        last = fn()
        if last == want:
            return True, last
        if time.time() >= deadline:
            return False, last
        time.sleep(wait)


def wait_log(tgen, router, pattern, count=40):
    """Polls the router's bgpd.log for a regular expression; True once found."""
    path = os.path.join(tgen.logdir, router.name, "bgpd.log")

    def found():
        with open(path, errors="replace") as f:
            return re.search(pattern, f.read()) is not None

    ok, _ = topotest.run_and_expect(found, True, count=count, wait=1)
    return ok


# header lines, and the per-daemon `log file` lines topotest adds at runtime
_HEADER = re.compile(r"^(Building configuration|Current configuration|frr version|!$|end$|log )")


def running_config(router):
    """`show running-config` without the lines that differ per run."""
    out = router.vtysh_cmd("show running-config")
    return [l for l in out.splitlines() if l.strip() and not _HEADER.match(l)]


def restart_bgpd(router):
    """
    Stops bgpd with SIGKILL and starts it again from the saved integrated
    config, as `vtysh -b` would at boot. The per-daemon `log file` lines that
    topotest added at runtime are left out: applied again they would point
    every daemon at one file.
    """
    router.killDaemons(["bgpd"])
    start_bgpd(router)


def start_bgpd(router):
    """Starts a stopped bgpd and applies the saved integrated config to it."""
    router.startDaemons(["bgpd"])
    router.cmd("grep -v '^log file' /etc/frr/frr.conf > /etc/frr/vapp-restart.conf")
    router.cmd("vtysh -f /etc/frr/vapp-restart.conf")


def roundtrip(router):
    """
    running-config -> `write memory` -> fresh bgpd -> running-config.
    Returns (before, after) line lists; callers assert they are equal.
    """
    before = running_config(router)
    router.vtysh_cmd("write memory")
    restart_bgpd(router)
    after = running_config(router)
    return before, after
