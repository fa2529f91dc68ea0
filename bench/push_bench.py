"""The phone page while kiosks push, part of `make bench`; also runs alone
(`python3 bench/push_bench.py`, after `make all build/motcua-fill`).

A server holds 1,000 synced requests. Each run measures GET /r/<token>
(wrk -t1 -c4, tokens at random from those) for WRK_SECONDS alone, then
again while KIOSKS kiosks, each with PER_KIOSK queued requests made by
build/motcua-fill, push them all at once with `motcua-sync now`; the
pushes are checked to be still in flight when wrk ends. The figure is the
p99 in each case and their ratio within the same run, over RUNS runs
(medians). Rate limiting is off (`--lookup-rate 0`): wrk is one address."""
import os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import log, ratio, summary  # noqa: E402
import server_bench as sb  # noqa: E402

KIOSKS = int(os.environ.get("BENCH_PUSH_KIOSKS", "20"))
PER_KIOSK = int(os.environ.get("BENCH_PUSH_PER_KIOSK", "8000"))
RUNS = int(os.environ.get("BENCH_PUSH_RUNS", "3"))
# The kiosks are other machines; here their 20 motcua-sync processes share
# the server's two cores, so they run as SCHED_IDLE (only on CPU time
# nothing else wants) to leave the server the CPU it would have.
# BENCH_PUSH_CLIENTS=normal measures without that.
IDLE_CLIENTS = os.environ.get("BENCH_PUSH_CLIENTS", "idle") == "idle"


def client_priority():
    if IDLE_CLIENTS:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
WRK_SECONDS = 5
SEED = 1000


def kiosk(srv, number, n, where):
    """A kiosk numbered number with n queued requests, registered with srv."""
    d = tempfile.mkdtemp(prefix="motcua-bench-push-", dir=where)
    os.makedirs(d + "/data")
    cfg = sb.write_config(d, d + "/data", srv)
    text = open(cfg).read().replace("kiosk_number = 1\n", "kiosk_number = %d\n" % number)
    with open(cfg, "w") as f:
        f.write(text)
    sb.run([sb.FILL, "--config", cfg, str(n)], timeout=3600)
    line = [w for w in sb.run([sb.SYNC, "--config", cfg, "key"]).stdout.split() if w.startswith("mk1.")][0]
    sb.run([sb.SERVER, "kiosk", "add", "--data", srv.data, "--kiosk", "27280-%d" % number, "--key", line])
    return d, cfg


def wrk(url, script):
    out = sb.run(["wrk", "-t1", "-c4", "-d%ds" % WRK_SECONDS, "--latency", "-s", script, url],
                 timeout=WRK_SECONDS + 60).stdout
    m = [l for l in out.splitlines() if l.strip().startswith("99%")][0].split()[1]
    v = float(m[:-2]) if m.endswith(("us", "ms")) else float(m[:-1]) * 1000
    return v / 1000 if m.endswith("us") else v


def measure(tmp):
    srv = sb.Server(extra=["--lookup-rate", "0"])
    srv.serve()
    where = sb.SCRATCH or tmp
    dirs = []
    try:
        d, cfg = kiosk(srv, 99, SEED, where)
        dirs.append(d)
        sb.run([sb.SYNC, "--config", cfg, "now"], timeout=600)
        db = sb.sqlite3.connect(srv.data + "/server.db")
        tokens = [t for (t,) in db.execute("SELECT token FROM request")]
        db.close()
        script = os.path.join(tmp, "push-tokens.lua")
        with open(script, "w") as f:
            f.write("local tokens = {%s}\nrequest = function()\n  return wrk.format(\"GET\", \"/r/\" .. "
                    "tokens[math.random(#tokens)])\nend\n" % ",".join('"%s"' % t for t in tokens))
        idle, busy, number = [], [], 1
        for r in range(RUNS):
            kiosks = []
            for _ in range(KIOSKS):
                d, cfg = kiosk(srv, number, PER_KIOSK, where)
                dirs.append(d)
                kiosks.append(cfg)
                number += 1
            idle.append(wrk(srv.url, script))
            pushes = [subprocess.Popen([sb.SYNC, "--config", c, "now"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, preexec_fn=client_priority)
                      for c in kiosks]
            time.sleep(0.5)
            busy.append(wrk(srv.url, script))
            in_flight = sum(1 for p in pushes if p.poll() is None)
            codes = [p.wait(timeout=3600) for p in pushes]
            if any(codes):
                raise RuntimeError("a push failed: exit codes %s" % codes)
            log("run %d: p99 %.2f ms alone, %.2f ms during %d pushes of %d (%d still pushing when wrk ended)"
                % (r + 1, idle[-1], busy[-1], KIOSKS, PER_KIOSK, in_flight))
            if in_flight < KIOSKS // 2:
                log("run %d: fewer than half the pushes lasted as long as wrk; the figure flatters" % (r + 1))
        return idle, busy
    finally:
        srv.stop()
        srv.remove()
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)


def run(table, tmp):
    idle, busy = measure(tmp)
    table.section("The phone page while kiosks push: GET /r/<token>, wrk -t1 -c4, same run")
    table.row("p99 without pushes (ms)", summary(idle), 2, 10, "ms")
    table.row("p99 while %d kiosks push %s requests each (ms)" % (KIOSKS, format(PER_KIOSK, ",")),
              summary(busy), 2, 10, "ms", limit="wrk, 20 motcua-sync processes and the server share two cores.")
    table.row("p99 ratio, with pushes / without", ratio(busy, idle), 2)
    table.how.append(
        "Phone page during pushes: a fresh server holding %d synced requests; per run, wrk -t1 -c4 -d%ds on "
        "/r/<token> (tokens at random from those) alone, then again starting 0.5 s after %d kiosks (filled by "
        "build/motcua-fill, %d queued requests each) all begin `motcua-sync now` (%s: they stand for "
        "other machines); %d runs, medians, the ratio "
        "taken within each run. Pushes are checked and stored by the server's push workers; the lookups run on "
        "libmicrohttpd's pool threads and only read." % (SEED, WRK_SECONDS, KIOSKS, PER_KIOSK,
                                                         "as SCHED_IDLE" if IDLE_CLIENTS else "at normal priority", RUNS))


def median(xs):
    return sorted(xs)[len(xs) // 2]


if __name__ == "__main__":
    tmp = tempfile.mkdtemp(prefix="motcua-bench-")
    try:
        idle, busy = measure(tmp)
        rs = [b / a for a, b in zip(idle, busy)]
        for name, xs in (("p99 without pushes (ms)", idle), ("p99 with pushes (ms)", busy), ("ratio", rs)):
            print("%-24s median %.2f  (%s)" % (name, median(xs), ", ".join("%.2f" % x for x in xs)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
