#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
test_vapp_metrics: the module's metrics, scraped by Debian's Prometheus.

rs1 (route server, `bgpd -M vappliance`): pool web on peer-group APPL
(AS 65001-65009, max-prefixes 3, max-sessions 10), anycast 10.255.0.1/32.
a1 (FRR, AS 65001) is admitted and announces three valid routes, one over
the limit and one outside the range; a2 (FRR, AS 65100) is rejected
(remoteAs) once, then stopped.

rs1 writes its metrics textfile every second; Debian's node-exporter
(textfile collector only) serves it and Debian's Prometheus scrapes it,
both inside rs1's namespace on its loopback. The values Prometheus stored
must equal the module's own JSON. A failed write removes the file (no
stale numbers), and Debian's prometheus-frr-exporter still collects from
rs1, through bgpd's socket and through the module's vtysh.
"""
import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse

import pytest

from lib.topogen import Topogen

from vapplib import (expect_json, load_plain, load_route_server, poll, roundtrip,
                     running_config, vtysh_json, wait_log)

pytestmark = [pytest.mark.bgpd]
CWD = os.path.dirname(os.path.realpath(__file__))
CACHE = os.environ.get("VAPP_CACHE", "/var/cache/vappliance")
FRR_EXPORTER = os.path.join(CACHE, "frr-exporter/usr/bin/prometheus-frr-exporter")
PROM_PORT, NODE_PORT, FRR_EXP_PORT = 19090, 19100, 19342


def build_topo(tgen):
    sw = tgen.add_switch("s1")
    for name in ("rs1", "a1", "a2"):
        sw.add_link(tgen.add_router(name))


@pytest.fixture(scope="module")
def tgen(request):
    tgen = Topogen(build_topo, request.module.__name__)
    tgen.start_topology()
    load_route_server(tgen.gears["rs1"], os.path.join(CWD, "rs1/frr.conf"))
    load_plain(tgen.gears["a1"], os.path.join(CWD, "a1/frr.conf"))
    load_plain(tgen.gears["a2"], os.path.join(CWD, "a2/frr.conf"))
    tgen.start_router()
    tgen.procs = []
    yield tgen
    for p in tgen.procs:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    tgen.stop_topology()


def textdir(tgen):
    d = os.path.join(tgen.logdir, "rs1", "textfile")
    if not os.path.isdir(d):
        os.makedirs(d)
        shutil.chown(d, "frr", "frr")  # bgpd writes as frr
    return d


def textfile(tgen):
    return os.path.join(textdir(tgen), "vappliance.prom")


def parse_exposition(text):
    """The samples of a Prometheus text exposition, checked as a scraper
    would: each family declared (HELP, TYPE) once, before its samples,
    which are contiguous; counters end in _total. {(name, labels): value}"""
    samples, declared, done, current = {}, {}, set(), None
    for line in text.splitlines():
        m = re.match(r"# TYPE (\w+) (counter|gauge)$", line)
        if m:
            assert m.group(1) not in declared, line
            if current:
                done.add(current)
            current = m.group(1)
            declared[current] = m.group(2)
            if m.group(2) == "counter":
                assert current.endswith("_total"), line
            continue
        if line.startswith("# HELP "):
            continue
        m = re.match(r'(\w+)(\{(.*)\})? (\S+)$', line)
        assert m, "not a sample: %r" % line
        name = m.group(1)
        assert name == current and name not in done, "family %s not contiguous" % name
        labels = tuple(sorted(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or "")))
        assert (name, labels) not in samples, line
        samples[(name, labels)] = float(m.group(4))
    return samples


def sample(samples, name, **labels):
    want = tuple(sorted(labels.items()))
    return samples.get((name, want))


def test_sessions(tgen):
    rs1, a2 = tgen.gears["rs1"], tgen.gears["a2"]
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"state": "admitted", "established": True,
                      "prefixes": {"accepted": 3, "overLimit": 1, "outsideRange": 1}}}},
                       count=60)
    assert diff is None, diff
    # a2 is rejected once or more; then it stops, so that the counts hold still
    ok, _ = poll(lambda: vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["web"]
                 ["rejected"]["remoteAs"] > 0, True, count=60)
    assert ok
    a2.vtysh_cmd("configure terminal\nrouter bgp 65100\nneighbor 10.0.0.1 shutdown")


def test_textfile_written(tgen):
    rs1 = tgen.gears["rs1"]
    path = textfile(tgen)
    out = rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                        "vappliance metrics textfile %s interval 1" % path)
    assert "%" not in out, out
    ok, _ = poll(lambda: os.path.exists(path), True)
    assert ok, path
    with open(path) as f:
        samples = parse_exposition(f.read())
    assert sample(samples, "vappliance_pool_sessions", vrf="default", pool="web") == 1
    assert sample(samples, "vappliance_appliance_routes", vrf="default", pool="web",
                  appliance="10.0.0.11", verdict="overLimit") == 1
    # the process-wide counters are in the default instance's file
    assert sample(samples, "vappliance_netlink_requests_total") > 0
    js = vtysh_json(rs1, "show bgp vappliance metrics json")["metrics"]
    assert js["textfile"] == path and js["interval"] == 1 and js["writes"] >= 1, js
    assert js["failures"] == 0 and "lastError" not in js, js
    text = rs1.vtysh_cmd("show bgp vappliance metrics")
    assert "Metrics textfile %s, every 1 s" % path in text, text
    assert " vappliance metrics textfile %s interval 1" % path in running_config(rs1)


def test_bad_paths_refused(tgen):
    rs1 = tgen.gears["rs1"]
    for bad in ("relative.prom", "/tmp/vappliance.txt", "/tmp/.hidden.prom"):
        out = rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\n"
                            "vappliance metrics textfile %s" % bad)
        assert "% invalid metrics textfile" in out, out
    assert vtysh_json(rs1, "show bgp vappliance metrics json")["metrics"]["textfile"] == \
        textfile(tgen)


def start_scrapers(tgen):
    rs1 = tgen.gears["rs1"]
    d = os.path.join(tgen.logdir, "rs1", "prometheus")
    os.makedirs(os.path.join(d, "data"), exist_ok=True)
    with open(os.path.join(d, "prometheus.yml"), "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: node\n    static_configs:\n"
                "      - targets: ['127.0.0.1:%d']\n" % NODE_PORT)
    log = open(os.path.join(d, "node-exporter.log"), "w")
    tgen.procs.append(rs1.popen(
        ["prometheus-node-exporter", "--collector.disable-defaults", "--collector.textfile",
         "--collector.textfile.directory=" + textdir(tgen),
         "--web.listen-address=127.0.0.1:%d" % NODE_PORT], stdout=log, stderr=log))
    log = open(os.path.join(d, "prometheus.log"), "w")
    tgen.procs.append(rs1.popen(
        ["prometheus", "--config.file=" + os.path.join(d, "prometheus.yml"),
         "--storage.tsdb.path=" + os.path.join(d, "data"),
         "--web.listen-address=127.0.0.1:%d" % PROM_PORT], stdout=log, stderr=log))


def prom_query(rs1, query):
    """{labels-tuple: value} of an instant query through Prometheus's HTTP API."""
    url = "http://127.0.0.1:%d/api/v1/query?query=%s" % (PROM_PORT, urllib.parse.quote(query))
    out = rs1.cmd("curl -s --max-time 5 '%s'" % url)
    try:
        res = json.loads(out)
    except ValueError:
        return None
    if res.get("status") != "success":
        return None
    return {tuple(sorted((k, v) for k, v in r["metric"].items()
                         if k not in ("__name__", "instance", "job"))): float(r["value"][1])
            for r in res["data"]["result"]}


def module_expectations(rs1):
    """What the module's JSON says, as (query, labels, value)."""
    pool = vtysh_json(rs1, "show bgp vappliance pools json")["pools"]["web"]
    app = vtysh_json(rs1, "show bgp vappliance appliances json")["appliances"]["10.0.0.11"]
    ac = vtysh_json(rs1, "show bgp vappliance anycast json")["anycast"]["10.255.0.1/32"]
    web = (("pool", "web"), ("vrf", "default"))
    a1 = (("appliance", "10.0.0.11"), ("pool", "web"), ("vrf", "default"))
    anyc = (("prefix", "10.255.0.1/32"), ("vrf", "default"))
    want = [("vappliance_pool_sessions", web, pool["sessions"]),
            ("vappliance_pool_sessions_held", web, pool["sessionsHeld"]),
            ("vappliance_pool_max_sessions", web, pool["maxSessions"]),
            ("vappliance_pool_admitted_total", web, pool["admitted"]),
            ("vappliance_appliance_established", a1, int(app["established"])),
            ("vappliance_appliance_admitted", a1, int(app["state"] == "admitted")),
            ("vappliance_anycast_installed", anyc, int(ac["installed"])),
            ("vappliance_anycast_transitions_total", anyc, ac["transitions"]),
            ("vappliance_anycast_state", tuple(sorted(anyc + (("state", ac["state"]),))), 1)]
    for reason, n in pool["rejected"].items():
        want.append(("vappliance_pool_rejections_total",
                     tuple(sorted(web + (("reason", reason),))), n))
    for verdict, n in app["prefixes"].items():
        if verdict != "unkept":
            want.append(("vappliance_appliance_routes",
                         tuple(sorted(a1 + (("verdict", verdict),))), n))
    return want


def test_prometheus_stores_the_module_numbers(tgen):
    rs1 = tgen.gears["rs1"]
    start_scrapers(tgen)
    ok, _ = poll(lambda: (prom_query(rs1, 'up{job="node"}') or {}).get(()), 1.0, count=60)
    assert ok, prom_query(rs1, 'up{job="node"}')
    ok, _ = poll(lambda: (prom_query(rs1, "node_textfile_scrape_error") or {}).get(()), 0.0)
    assert ok, prom_query(rs1, "node_textfile_scrape_error")
    want = module_expectations(rs1)
    assert any(n > 0 for q, _, n in want if q == "vappliance_pool_rejections_total"), want

    def differences():
        bad = []
        for query, labels, value in want:
            got = (prom_query(rs1, query) or {}).get(labels)
            if got != float(value):
                bad.append((query, labels, value, got))
        return bad

    ok, bad = poll(differences, [], count=30, wait=1)
    assert ok, bad
    # the numbers move with the route server: a1's session goes
    a1 = tgen.gears["a1"]
    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\nneighbor 10.0.0.1 shutdown")
    ok, got = poll(lambda: prom_query(rs1, 'vappliance_pool_sessions{pool="web"}'),
                   {(("pool", "web"), ("vrf", "default")): 0.0}, count=30, wait=1)
    assert ok, got
    a1.vtysh_cmd("configure terminal\nrouter bgp 65001\nno neighbor 10.0.0.1 shutdown")
    ok, got = poll(lambda: prom_query(rs1, 'vappliance_appliance_routes{verdict="accepted"}'),
                   {(("appliance", "10.0.0.11"), ("pool", "web"), ("verdict", "accepted"),
                     ("vrf", "default")): 3.0}, count=60, wait=1)
    assert ok, got


def test_failed_write_removes_the_file(tgen):
    """The temporary name taken (a directory): the write fails, is counted,
    logged with its error code, and the old file goes, so node-exporter
    serves no stale numbers; once the name is free the file is back."""
    rs1 = tgen.gears["rs1"]
    path = textfile(tgen)
    os.mkdir(path + ".tmp")
    ok, _ = poll(lambda: os.path.exists(path), False, count=20)
    assert ok, "the stale file stayed"
    js = vtysh_json(rs1, "show bgp vappliance metrics json")["metrics"]
    assert js["failures"] >= 1 and js["lastError"].startswith("create: "), js
    assert wait_log(tgen, rs1, r"\[EC \d+\] vappliance: writing the metrics textfile %s "
                    r"\(vrf default\) failed \(create: " % re.escape(path))
    ok, _ = poll(lambda: (prom_query(rs1, 'count(vappliance_pool_sessions)') or {}), {},
                 count=30, wait=1)
    assert ok, "Prometheus still gets the numbers"
    os.rmdir(path + ".tmp")
    ok, _ = poll(lambda: os.path.exists(path), True, count=20)
    assert ok
    assert "lastError" not in vtysh_json(rs1, "show bgp vappliance metrics json")["metrics"]


def frr_exporter_metrics(rs1, extra):
    log = open(os.path.join(rs1.logdir, rs1.name, "frr-exporter.log"), "a")
    proc = rs1.popen([FRR_EXPORTER, "--web.listen-address=127.0.0.1:%d" % FRR_EXP_PORT,
                      "--no-collector.ospf", "--no-collector.bfd"] + extra,
                     stdout=log, stderr=log)
    try:
        ok, out = poll(lambda: "frr_collector_up" in rs1.cmd(
            "curl -s --max-time 20 http://127.0.0.1:%d/metrics" % FRR_EXP_PORT), True,
                       count=30, wait=1)
        return rs1.cmd("curl -s --max-time 20 http://127.0.0.1:%d/metrics" % FRR_EXP_PORT)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_frr_exporter_still_collects(tgen):
    """Debian's prometheus-frr-exporter, through bgpd's vty socket and
    through vtysh (the module's), sees the appliance's session up."""
    rs1 = tgen.gears["rs1"]
    assert os.access(FRR_EXPORTER, os.X_OK), FRR_EXPORTER
    diff = expect_json(rs1, "show bgp vappliance appliances json", {"appliances": {
        "10.0.0.11": {"established": True}}}, count=60)
    assert diff is None, diff
    sockdir = rs1.cmd("dirname $(ls /var/run/frr/bgpd.vty /var/run/frr/rs1/bgpd.vty "
                      "2>/dev/null | head -1)").strip()
    for extra in (["--frr.socket.dir-path=" + sockdir],
                  ["--frr.vtysh", "--frr.vtysh.path=/usr/bin/vtysh",
                   "--frr.vtysh.options=--vty_socket " + sockdir]):
        out = frr_exporter_metrics(rs1, extra)
        assert re.search(r'frr_collector_up\{collector="bgp"\} 1', out), (extra, out[-3000:])
        assert re.search(r'frr_bgp_peer_state\{[^}]*peer="10\.0\.0\.11"[^}]*\} 1', out), \
            (extra, out[-3000:])


def test_running_config_roundtrip(tgen):
    """Saved and restarted: the new bgpd writes the file again."""
    rs1 = tgen.gears["rs1"]
    before, after = roundtrip(rs1)
    assert before == after
    assert [ln for ln in after if "vappliance metrics textfile" in ln], after
    ok, _ = poll(lambda: (vtysh_json(rs1, "show bgp vappliance metrics json").get("metrics")
                          or {}).get("writes", 0) > 0, True, count=20)
    assert ok


def test_no_form_removes_the_file(tgen):
    rs1 = tgen.gears["rs1"]
    path = textfile(tgen)
    rs1.vtysh_cmd("configure terminal\nrouter bgp 65000\nno vappliance metrics textfile")
    ok, _ = poll(lambda: os.path.exists(path), False, count=10)
    assert ok
    assert "metrics" not in vtysh_json(rs1, "show bgp vappliance metrics json")
    assert not [ln for ln in running_config(rs1) if "metrics" in ln]
    time.sleep(2)  # no timer writes it again
    assert not os.path.exists(path)
