#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ExaBGP API process: appends the events ExaBGP sends it (JSON lines) to
api-events.log next to ExaBGP's log (whose directory the topotest library
makes writable); ExaBGP's own log says nothing of NOTIFICATIONs at INFO."""
import os
import sys

log = os.environ.get("exabgp.log.destination", "/tmp/exabgp.log")
with open(os.path.join(os.path.dirname(log), "api-events.log"), "a", buffering=1) as out:
    for line in sys.stdin:
        out.write(line)
