#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
Runs the vappliance lab with munet (FRR's topology library, from the built
FRR tree) until SIGTERM, then tears it down. Started in the background by
tools/lab.sh; nodes are entered with `python3 -m munet.mucmd -d RUNDIR NODE`.

Unlike munet's own command line this keeps the top level in the host's pid
namespace (as FRR's topotests do), which this machine kind requires.

usage: labrun.py CONFIG RUNDIR
"""
import asyncio
import logging
import os
import signal
import sys

FRR_TOPOTESTS = os.environ.get(
    "FRR_TOPOTESTS", "/var/cache/vappliance/frr/tests/topotests"
)
sys.dont_write_bytecode = True
sys.path.insert(0, FRR_TOPOTESTS)

from munet import parser  # noqa: E402


def _children(pid):
    """Child pids of pid (the node's nsenter: its child is the ns init)."""
    if not pid:
        return []
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


async def run(config_path, rundir):
    config = parser.get_config(config_path)
    unet = await parser.async_build_topology(
        config, rundir=rundir, top_level_pidns=False, unshare_inline=True
    )
    tasks = await unet.run()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    with open(os.path.join(rundir, "labrun.ready"), "w") as f:
        f.write("%d\n" % os.getpid())
    logging.info("lab up (rundir %s)", rundir)
    await stop.wait()
    logging.info("lab stopping")
    for t in tasks:
        t.cancel()
    # Stop FRR on every node (the nodes' cleanup-cmd), then end each node's
    # pid namespace by killing its init: munet would otherwise SIGHUP it,
    # which a namespace init ignores, and wait 30 s per node before SIGKILL.
    hosts = [h for h in unet.hosts.values() if h.has_cleanup_cmd()]
    await asyncio.gather(*(h.async_cleanup_cmd() for h in hosts))
    for h in unet.hosts.values():
        h.config["cleanup-cmd"] = ""
        for pid in _children(getattr(getattr(h, "p", None), "pid", None)):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    await unet.async_delete()
    logging.info("lab stopped")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    config_path, rundir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(run(config_path, rundir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
