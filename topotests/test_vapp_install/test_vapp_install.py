#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_install: the FRR that tools/bootstrap.sh installs can be run the
way doc/deployment.rst says, `systemctl restart frr`: Debian's units from
the built tree are installed and systemd accepts them (systemd-analyze
verify: the unit parses, the programs it starts exist and are
executable), and they start FRR through frrinit.sh as Debian's package
does. No systemd runs here, so the unit is checked, not started.
"""
import os
import re
import subprocess

import pytest

UNITS = ("/lib/systemd/system/frr.service", "/lib/systemd/system/frr@.service")


def unit(path):
    with open(path) as f:
        return f.read()


@pytest.mark.parametrize("path", UNITS)
def test_unit_verifies(path):
    assert os.path.exists(path), "%s missing (tools/bootstrap.sh installs it)" % path
    out = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_unit_runs_frrinit_under_watchfrr():
    text = unit(UNITS[0])
    starts = re.findall(r"^Exec(Start|Stop|Reload)=(\S+) (\S+)$", text, re.M)
    assert starts == [("Start", "/usr/lib/frr/frrinit.sh", "start"),
                      ("Stop", "/usr/lib/frr/frrinit.sh", "stop"),
                      ("Reload", "/usr/lib/frr/frrinit.sh", "reload")], starts
    # systemd follows watchfrr, which frrinit.sh starts and which starts
    # the daemons listed in /etc/frr/daemons (bgpd_options: -M vappliance)
    assert re.search(r"^PIDFile=/var/run/frr/watchfrr\.pid$", text, re.M), text
    assert os.access("/usr/lib/frr/watchfrr", os.X_OK)


def test_run_directory_at_boot():
    with open("/usr/lib/tmpfiles.d/frr.conf") as f:
        lines = [l.split() for l in f if l.strip() and not l.startswith("#")]
    assert ["d", "/run/frr", "0755", "frr", "frr"] in lines, lines
