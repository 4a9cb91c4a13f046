# SPDX-License-Identifier: GPL-2.0-or-later
"""
Shared helpers of the vappliance benchmarks (Debian's /usr/bin/python3,
stdlib only): network namespaces named vb-*, FRR daemons started inside
them with a private path space (-N), a client for a daemon's vtysh unix
socket, CPU readings from /proc, load and machine information, and
statistics (median, min, max).

Nothing here touches the default namespace's addresses or any daemon it
did not start: daemons are stopped by their pid files only.
"""
import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import time

FRR_DIR = os.environ.get("FRR_DIR", "/usr/lib/frr")
RUN_BASE = "/var/run/frr"
WORK = os.environ.get("VAPP_BENCH_WORK", "/var/tmp/vappliance-bench")
HZ = os.sysconf("SC_CLK_TCK")
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def sh(cmd, check=True, quiet=False):
    """Runs a shell command; returns its stdout."""
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (cmd, r.returncode, r.stderr.strip()))
    return r.stdout


def netns_exists(ns):
    return os.path.exists("/var/run/netns/" + ns)


def netns_add(ns):
    assert ns.startswith("vb-"), ns
    if netns_exists(ns):
        netns_del(ns)
    sh("ip netns add %s" % ns)
    sh("ip -n %s link set lo up" % ns)


def netns_del(ns):
    assert ns.startswith("vb-"), ns
    if netns_exists(ns):
        sh("ip netns del %s" % ns, check=False)


def nsexec(ns, cmd):
    return "ip netns exec %s %s" % (ns, cmd)


def rundir(ns):
    return os.path.join(RUN_BASE, ns)


def workdir(*parts):
    d = os.path.join(WORK, *parts)
    os.makedirs(d, exist_ok=True)
    shutil.chown(d, "frr", "frr")
    return d


def run_topotest(test, rounds, out):
    """Runs topotests/TEST @rounds times with VAPP_BENCH_TIMES=@out (the
    test appends one JSON line of its figures per run); stops at a failure."""
    env = dict(os.environ, VAPP_BENCH_TIMES=out)
    for i in range(rounds):
        print("round %d/%d: topotests/%s" % (i + 1, rounds, test), flush=True)
        r = subprocess.run(["/usr/bin/python3", "-m", "pytest", "-q", "-o", "log_cli=false",
                            "-p", "no:cacheprovider", test], cwd=os.path.join(TOP, "topotests"),
                           env=env, capture_output=True, text=True)
        tail = r.stdout.strip().splitlines()[-1:] or [""]
        print("  " + tail[0], flush=True)
        if r.returncode != 0:
            print(r.stdout[-3000:])
            raise SystemExit("round %d failed" % (i + 1))


def topotest_bench(doc, test, name, rounds, report):
    """The command line of a benchmark made of topotest runs: `all` (the
    default) runs @test @rounds times, then @report(FILE); `report
    [FILE...]` reports on earlier runs."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("cmd", nargs="?", default="all", choices=["all", "report"])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--rounds", type=int, default=rounds)
    ap.add_argument("--out", default=os.path.join(workdir(name), name + ".jsonl"))
    a = ap.parse_args()
    if a.cmd == "report":
        for f in a.files or [a.out]:
            report(f)
        return
    if os.path.exists(a.out):
        os.unlink(a.out)
    run_topotest(test, a.rounds, a.out)
    report(a.out)


def prepare_rundir(ns):
    d = rundir(ns)
    os.makedirs(d, exist_ok=True)
    shutil.chown(d, "frr", "frr")
    return d


def start_daemon(ns, daemon, conf=None, extra="", logdir=None, prefix="", foreground=False):
    """
    Starts /usr/lib/frr/DAEMON in netns NS with path space NS; returns its
    pid. With @foreground the daemon does not fork (-d is left out), so a
    wrapper given in @prefix (valgrind) keeps its pid and its control pipes.
    """
    prepare_rundir(ns)
    logdir = logdir or workdir(ns)
    pidf = os.path.join(rundir(ns), "%s.pid" % daemon)
    log = os.path.join(logdir, "%s.log" % daemon)
    args = "-N %s -i %s --log file:%s --log-level informational" % (ns, pidf, log)
    if conf:
        args += " -f %s" % conf
    cmd = nsexec(ns, "%s%s/%s %s %s" % (prefix, FRR_DIR, daemon, args, extra))
    if foreground:
        out = open(os.path.join(logdir, "%s.stdout" % daemon), "w")
        subprocess.Popen(cmd.split(), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                         start_new_session=True)
    else:
        # no pipes: the daemonized child would hold them open
        r = subprocess.run(cmd.replace(" -N ", " -d -N ", 1), shell=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        if r.returncode != 0 and not prefix:
            # (under valgrind the parent of the daemonized bgpd exits 1)
            raise RuntimeError("%s in %s failed to start (%d), log %s" %
                               (daemon, ns, r.returncode, log))
    for _ in range(1200 if prefix else 200):
        pid = read_pid(ns, daemon)
        if pid and os.path.exists(vty_path(ns, daemon)):
            return pid
        time.sleep(0.05)
    raise RuntimeError("%s in %s did not start (log %s)" % (daemon, ns, log))


def read_pid(ns, daemon):
    try:
        with open(os.path.join(rundir(ns), "%s.pid" % daemon)) as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stop_daemon(ns, daemon, timeout=10.0):
    """SIGTERM to the daemon of this path space (pid file), then SIGKILL."""
    pid = read_pid(ns, daemon)
    if not pid:
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        return
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.02)
    else:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    for f in ("%s.pid" % daemon, "%s.vty" % daemon):
        try:
            os.unlink(os.path.join(rundir(ns), f))
        except OSError:
            pass


def stop_all(ns, daemons=("bgpd", "sharpd", "staticd", "zebra", "mgmtd")):
    for d in daemons:
        stop_daemon(ns, d)


def cleanup_ns(ns):
    stop_all(ns)
    netns_del(ns)
    shutil.rmtree(rundir(ns), ignore_errors=True)


def vty_path(ns, daemon):
    return os.path.join(rundir(ns), "%s.vty" % daemon)


class Vty:
    """A persistent connection to a daemon's vtysh socket (what vtysh uses)."""

    def __init__(self, path, enable=True):
        self.path = path
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        if enable:
            self.cmd("enable")

    def cmd(self, line):
        """Sends one command; returns (output, return code)."""
        self.s.sendall(line.encode() + b"\0")
        buf = bytearray()
        while True:
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError("vty %s closed" % self.path)
            buf += chunk
            if len(buf) >= 4 and buf[-4:-1] == b"\0\0\0":
                return buf[:-4].decode(errors="replace"), buf[-1]

    def out(self, line):
        return self.cmd(line)[0]

    def json(self, line):
        out = self.out(line)
        try:
            return json.loads(out)
        except ValueError:
            return {}

    def config(self, *lines):
        """Runs configuration lines from `configure terminal`; returns errors."""
        errs = []
        for line in ("configure terminal",) + lines + ("end",):
            out, rc = self.cmd(line)
            if rc != 0:
                errs.append("%s -> %d %s" % (line, rc, out.strip()))
        return errs

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def vty(ns, daemon, enable=True):
    return Vty(vty_path(ns, daemon), enable)


def proc_cpu(pid):
    """utime + stime of a process (all threads) in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): utime is field 14, stime field 15
    return (int(fields[11]) + int(fields[12])) / HZ


def proc_cpu_split(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / HZ, int(fields[12]) / HZ


def proc_status(pid, key):
    """A kB value of /proc/PID/status (VmRSS, VmHWM) in kB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def loadavg():
    return [round(x, 2) for x in os.getloadavg()]


def calibrate():
    """Seconds a fixed busy loop takes: the machine's speed right now."""
    t = time.process_time()
    x = 0
    for i in range(1000000):
        x += i
    return round(time.process_time() - t, 4)


def machine_info():
    info = {
        "kernel": platform.release(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            info["memTotalMiB"] = int(f.readline().split()[1]) // 1024
    except OSError:
        pass
    try:
        with open("/etc/debian_version") as f:
            info["debian"] = f.read().strip()
    except OSError:
        pass
    try:
        info["frr"] = sh("%s/bgpd --version" % FRR_DIR, check=False).splitlines()[0]
    except IndexError:
        pass
    info["vappliance"] = sh("git -C %s describe --always --dirty" % TOP, check=False).strip()
    return info


def stats(values):
    """median, min, max (and n) of a list of numbers."""
    v = [x for x in values if x is not None]
    if not v:
        return {"n": 0}
    return {
        "n": len(v),
        "median": statistics.median(v),
        "min": min(v),
        "max": max(v),
    }


def fmt_stat(s, digits=3, unit=""):
    if not s.get("n"):
        return "-"
    f = "%%.%df" % digits
    return ("**" + f + "**%s (" + f + "–" + f + ")") % (s["median"], unit, s["min"], s["max"])


def append_jsonl(path, obj):
    with open(path, "a") as f:
        f.write(json.dumps(obj, sort_keys=True) + "\n")


def read_jsonl(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def wait_for(fn, timeout, interval=0.05):
    end = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > end:
            return v
        time.sleep(interval)


# ---- added for P2 (scale): file descriptors, address batches, show memory, logs ----

def raise_nofile(need):
    """
    Raises this process's RLIMIT_NOFILE soft limit (and the hard one when
    it is lower, as root) to at least @need; daemons and tools started
    afterwards inherit it. Returns (soft, hard) now in force.
    """
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            hard = need
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def ip_batch(ns, lines):
    """Runs `ip -batch` in netns NS with the given command lines (addresses by the thousand)."""
    assert ns.startswith("vb-"), ns
    r = subprocess.run(["ip", "-n", ns, "-batch", "-"], input="\n".join(lines) + "\n",
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("ip -n %s -batch failed (%d): %s" % (ns, r.returncode, r.stderr.strip()))


_MEM_UNITS = {"byte": 1, "bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}


def parse_show_memory(out):
    """
    `show memory` of a daemon: {"groups": {GROUP: {MTYPE: {"count": n,
    "bytes": b}}}, "heapUsed": mallinfo's used ordinary blocks in bytes
    (KiB/MiB resolution)}. "bytes" is the Total column (the sum of
    malloc_usable_size of the live allocations; FRR built with
    HAVE_MALLOC_USABLE_SIZE), or count x size where it is absent.
    """
    import re
    groups, cur = {}, None
    heap = None
    m = re.search(r"Used ordinary blocks:\s+(\d+) (bytes?|KiB|MiB|GiB)", out)
    if m:
        heap = int(m.group(1)) * _MEM_UNITS[m.group(2)]
    for line in out.splitlines():
        g = re.match(r"--- qmem (.+?) ---", line)
        if g:
            cur = groups.setdefault(g.group(1), {})
            continue
        if cur is None or line.startswith("Type"):
            continue
        # name : count [size|variable] [total] max [maxbytes]
        m = re.match(r"(.+?)\s*:\s*(\d+)\s+(\d+|variable)?\s*(.*)$", line)
        if not m:
            continue
        rest = m.group(4).split()
        count = int(m.group(2))
        if len(rest) == 3:  # size, then total, max#, maxbytes
            nbytes = int(rest[0])
        elif len(rest) == 2 and m.group(3) and m.group(3).isdigit():
            nbytes = int(m.group(3))  # no size printed: that was the total
        elif len(rest) == 1 and m.group(3) and m.group(3).isdigit():
            nbytes = count * int(m.group(3))  # no totals (no malloc_usable_size)
        else:
            nbytes = None
        cur[m.group(1).strip()] = {"count": count, "bytes": nbytes}
    return {"groups": groups, "heapUsed": heap}


def mgroup_bytes(mem, group):
    """Sum of the bytes (and of the counts) of one MGROUP of parse_show_memory()."""
    g = mem["groups"].get(group, {})
    return (sum(t["bytes"] or 0 for t in g.values()), sum(t["count"] for t in g.values()))


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def read_between(path, start, end=None):
    """The text of a (log) file from byte @start to byte @end."""
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read() if end is None else f.read(max(0, end - start))
    return data.decode(errors="replace")
