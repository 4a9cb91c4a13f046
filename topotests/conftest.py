# SPDX-License-Identifier: GPL-2.0-or-later
"""
vappliance topotests reuse FRR's topotest library (lib/, munet/, conftest.py)
from the built FRR 10.3 tree, unmodified: this file loads FRR's conftest by
path and re-exports its hooks and fixtures, with two environment shims for
this machine kind (see ../../shared/notes/topotest-probe.md), and one for
concurrent runs:

* the kernel has no loadable modules, so /proc/modules does not exist and
  lib.topotest.module_present_linux() would raise during pytest_configure;
* FRR is built without the daemons vappliance never runs (ospf6d, ripd, ...),
  which FRR's diagnose_env() counts as errors; we require only ours;
* VAPP_FRR_DIR points the tests at another FRR installation's daemons
  (tools/sanitizers.sh: the ASan/UBSan build in /opt/vapp-asan/lib/frr);
  FRR's topogen takes the directory from its tgen_defaults;
* at session start FRR's conftest reaps "previous" munet processes with
  munet.cleanup.cleanup_previous(). Its _get_other_pids() means to keep the
  processes of a munet that is still running, but tests for that with the
  munet's pid among its children's pids, which it never is: every other
  munet on the machine -- the lab (tools/lab.sh), a second pytest -- gets
  SIGKILLed. We keep its selection and drop the groups whose munet process
  is alive.
"""
import importlib.util
import os
import shutil
import sys

FRR_BUILD = os.environ.get(
    "FRR_BUILD",
    os.path.join(os.environ.get("VAPP_CACHE", "/var/cache/vappliance"), "frr"),
)
FRR_TOPOTESTS = os.environ.get(
    "FRR_TOPOTESTS", os.path.join(FRR_BUILD, "tests", "topotests")
)
HERE = os.path.dirname(os.path.abspath(__file__))
# keep the shared FRR tree free of __pycache__ from our runs
sys.dont_write_bytecode = True
sys.path.insert(0, FRR_TOPOTESTS)
sys.path.insert(0, HERE)

from lib import topotest as _topotest  # noqa: E402

_module_present_linux = _topotest.module_present_linux


def _module_present_linux_nomod(module, load):
    if not os.path.exists("/proc/modules"):
        return False
    return _module_present_linux(module, load)


_topotest.module_present_linux = _module_present_linux_nomod

FRR_DIR = os.environ.get("VAPP_FRR_DIR", "/usr/lib/frr")
from lib import topogen as _topogen  # noqa: E402

_topogen.tgen_defaults["frrdir"] = FRR_DIR

# TopoRouter does not hand "frrdir" on to topotest.Router, which then falls
# back to its own built-in /usr/lib/frr (Router.config_host() ->
# _config_frr()); its "daemondir" parameter is honoured, so set that.
if FRR_DIR != "/usr/lib/frr":
    _router_config_host = _topotest.Router.config_host

    def _config_host_frr_dir(self, **params):
        params.setdefault("daemondir", FRR_DIR)
        return _router_config_host(self, **params)

    _topotest.Router.config_host = _config_host_frr_dir

from munet import cleanup as _munet_cleanup  # noqa: E402

_get_other_pids = _munet_cleanup._get_other_pids


def _get_dead_munets_pids(rundir):
    return {upid: pids for upid, pids in _get_other_pids(rundir).items()
            if not os.path.exists("/proc/%s" % upid)}


_munet_cleanup._get_other_pids = _get_dead_munets_pids

_spec = importlib.util.spec_from_file_location(
    "frr_topotests_conftest", os.path.join(FRR_TOPOTESTS, "conftest.py")
)
_frr_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_frr_conftest)

REQUIRED_DAEMONS = ("zebra", "mgmtd", "staticd", "bgpd")


def _diagnose_env(rundir):
    """What vappliance's tests need; logs land in rundir like FRR's."""
    os.makedirs(rundir, exist_ok=True)
    problems = []
    if os.getuid() != 0:
        problems.append("topotests must run as root")
    for tool in ("ip", "gdb"):
        if not shutil.which(tool):
            problems.append("%s not found" % tool)
    frrdir = FRR_DIR
    for d in REQUIRED_DAEMONS:
        if not os.path.isfile(os.path.join(frrdir, d)):
            problems.append("%s/%s missing (run tools/bootstrap.sh)" % (frrdir, d))
    if not os.path.isfile(os.path.join(frrdir, "modules", "bgpd_vappliance.so")):
        problems.append("bgpd_vappliance.so not installed (run make install)")
    with open(os.path.join(rundir, "diagnostics.txt"), "w") as f:
        f.write("\n".join(problems) or "ok")
    for p in problems:
        sys.stderr.write("vappliance topotests: %s\n" % p)
    return not problems


_frr_conftest.diagnose_env = _diagnose_env

for _name in dir(_frr_conftest):
    if not _name.startswith("__"):
        globals()[_name] = getattr(_frr_conftest, _name)
