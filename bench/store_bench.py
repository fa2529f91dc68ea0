"""SQLite against PostgreSQL, the server store's two backends, part of
`make bench`; also runs alone (`python3 bench/store_bench.py`, after
`make all build/motcua-fill`).

A throwaway PostgreSQL cluster (tests/pgcluster.py) is started in a
folder under /tmp, durable as a real one is (fsync, synchronous commit,
full page writes: the settings a deployment keeps; the SQLite store runs
with synchronous=FULL), on a Unix socket.

- Push: a kiosk with PUSH_N queued requests (build/motcua-fill) pushes
  them with `motcua-sync now` to a fresh server on each backend, timed end
  to end; RUNS runs alternating; requests/s and the ratio in each run.
- Lookups: a SQLite server grown to each of STORED sizes (server_bench's
  grow, synthetic rows in the server's schema), then `store copy` into a
  new PostgreSQL database (also timed), and wrk -t2 -c50 on GET /r/<token>
  against the two servers, RUNS times alternating: requests/s, p99 and
  the ratios in each run."""
import os, random, shutil, sqlite3, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, log, ratio, summary  # noqa: E402
import server_bench as sb  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests"))
import pgcluster  # noqa: E402

PUSH_N = int(os.environ.get("BENCH_STORE_PUSH", "10000"))
STORED = [int(x) for x in os.environ.get("BENCH_STORE_SIZES", "10000,100000,1000000").split(",")]
RUNS = int(os.environ.get("BENCH_STORE_RUNS", "3"))
BEFORE = os.environ.get("BENCH_STORE_BEFORE")   # another motcua-server build, for its PostgreSQL lookups


class PgServer(sb.Server):
    """A server whose store is a new database of the cluster."""
    def __init__(self, cluster, name, extra=()):
        self.db = cluster.createdb(name)
        self.dir = tempfile.mkdtemp(prefix="motcua-bench-pg-")
        self.data = self.dir + "/data"
        self.port = sb.free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.key = sb.share_key(self.data, sb.run([sb.SERVER, "init", "--data", self.data, "--db", self.db,
                                                   "--public-url", self.url]).stdout.strip())
        self.extra = ["--db", self.db] + list(extra)
        self.p = None


class Twin(sb.Server):
    """A server on the PostgreSQL copy of another's store: its data folder
    (the key) and the copied database, on a port of its own."""
    def __init__(self, lite, db, extra=()):
        self.dir = tempfile.mkdtemp(prefix="motcua-bench-pg-")
        self.data = lite.data
        self.port = sb.free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.key = lite.key
        self.extra = ["--db", db] + list(extra)
        self.p = None


def registered(srv, template, db=None):
    d = tempfile.mkdtemp(prefix="motcua-bench-k-")
    shutil.copytree(template, d + "/data")
    cfg = sb.write_config(d, d + "/data", srv)
    line = [w for w in sb.run([sb.SYNC, "--config", cfg, "key"]).stdout.split() if w.startswith("mk1.")][0]
    sb.run([sb.SERVER, "kiosk", "add", "--data", srv.data, "--kiosk", "27280-1", "--key", line] +
           (["--db", db] if db else []))
    return cfg, d


def bench_push(cluster, tmp):
    template = sb.kiosk_template(PUSH_N, tmp)
    times = {"sqlite": [], "pg": []}
    try:
        for r in range(RUNS):
            for kind in ("sqlite", "pg"):
                srv = sb.Server() if kind == "sqlite" else PgServer(cluster, "push%d" % r)
                cfg, d = registered(srv, template, getattr(srv, "db", None) if kind == "pg" else None)
                srv.serve()
                t0 = time.perf_counter()
                sb.run([sb.SYNC, "--config", cfg, "now"], timeout=1800)
                times[kind].append(time.perf_counter() - t0)
                srv.remove()
                shutil.rmtree(d, ignore_errors=True)
            log("push %d: SQLite %.2f s, PostgreSQL %.2f s" % (PUSH_N, times["sqlite"][-1], times["pg"][-1]))
    finally:
        shutil.rmtree(template, ignore_errors=True)
    return times


def tokens_script(path, tmp, n):
    db = sqlite3.connect(path)
    tokens = [t for (t,) in db.execute("SELECT token FROM request ORDER BY random() LIMIT ?", (sb.SAMPLE_TOKENS,))]
    db.close()
    script = os.path.join(tmp, "store-tokens-%d.lua" % n)
    with open(script, "w") as f:
        f.write("local tokens = {%s}\nrequest = function()\n  return wrk.format(\"GET\", \"/r/\" .. "
                "tokens[math.random(#tokens)])\nend\n" % ",".join('"%s"' % t for t in tokens))
    return script


def postgres_pids(cluster):
    """The cluster's postmaster and its children (the backends)."""
    try:
        with open(os.path.join(cluster.data, "postmaster.pid")) as f:
            return sb.with_children(int(f.readline()))
    except (OSError, ValueError):
        return []


def lookups(url, script, pids, cluster=None):
    """wrk on url: requests/s, p50, p99 and the CPU time per lookup (µs) of
    the server and, for PostgreSQL, of the cluster's processes too (a
    backend started during the run counts from zero)."""
    def ticks():
        return {p: sb.cpu_ticks([p]) for p in list(pids) + (postgres_pids(cluster) if cluster else [])}
    t0 = ticks()
    rps, p50, p99 = sb.wrk(url, script)
    t1 = ticks()
    used = sum(t - t0.get(p, 0) for p, t in t1.items())
    return rps, p50, p99, used / os.sysconf("SC_CLK_TCK") / max(rps * sb.WRK_SECONDS, 1) * 1e6


def bench_lookup(cluster, tmp):
    template = sb.kiosk_template(1000, tmp)
    lite = sb.Server(extra=["--lookup-rate", "0", "--max-per-address", "0"])
    cfg, d = registered(lite, template)
    lite.serve()
    sb.run([sb.SYNC, "--config", cfg, "now"], timeout=600)
    lite.stop()
    rng = random.Random(27280)
    out, copies = {}, {}
    try:
        for n in STORED:
            sb.grow(lite, n, rng)
            # The PostgreSQL store is the SQLite one, copied: the same rows.
            db = cluster.createdb("look%d" % n)
            t0 = time.perf_counter()
            sb.run([sb.SERVER, "store", "copy", "--data", lite.data, "--db", db], timeout=3600)
            copies[n] = time.perf_counter() - t0
            pg = Twin(lite, db, extra=["--lookup-rate", "0", "--max-per-address", "0"])
            script = tokens_script(lite.data + "/server.db", tmp, n)
            lite.serve()
            pg.serve()
            # Another build (BENCH_STORE_BEFORE) on the same PostgreSQL copy, in the same alternation.
            old = Twin(lite, db, extra=["--lookup-rate", "0", "--max-per-address", "0"]).serve(BEFORE) if BEFORE else None
            out[n] = {"sqlite": [], "pg": [], "before": []}
            log("lookups with %d stored (store copy took %.1f s): %d alternating wrk runs" % (n, copies[n], RUNS))
            for _ in range(RUNS):
                out[n]["sqlite"].append(lookups(lite.url, script, [lite.p.pid]))
                out[n]["pg"].append(lookups(pg.url, script, [pg.p.pid], cluster))
                if old:
                    out[n]["before"].append(lookups(old.url, script, [old.p.pid], cluster))
            lite.stop()
            pg.remove()
            if old:
                old.remove()
    finally:
        lite.remove()
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(template, ignore_errors=True)
    return out, copies


def measure(tmp):
    cluster = pgcluster.Cluster(durable=True).start()
    try:
        return bench_push(cluster, tmp), bench_lookup(cluster, tmp)
    finally:
        cluster.stop()


def run(table, tmp):
    push, (look, copies) = measure(tmp)
    n = format(PUSH_N, ",")
    table.section("Store backends: SQLite against PostgreSQL (local socket, durable), same run")
    table.row("Push %s requests, SQLite (requests/s)" % n, summary(PUSH_N / x for x in push["sqlite"]), 0)
    table.row("Push %s requests, PostgreSQL (requests/s)" % n, summary(PUSH_N / x for x in push["pg"]), 0)
    table.row("Push time ratio, PostgreSQL / SQLite", ratio(push["pg"], push["sqlite"]), 2, 3, "", "lower",
              limit="PostgreSQL's commits and its socket round trips share the two cores with the kiosk.")
    for size in STORED:
        label = format(size, ",")
        s, p = look[size]["sqlite"], look[size]["pg"]
        table.row("%s stored: lookups, SQLite (requests/s)" % label, summary(x[0] for x in s), 0)
        table.row("%s stored: lookups, PostgreSQL (requests/s)" % label, summary(x[0] for x in p), 0)
        table.row("%s stored: lookup throughput ratio, SQLite / PostgreSQL" % label,
                  ratio([x[0] for x in s], [x[0] for x in p]), 2, 1.5, "", "lower",
                  limit="Each lookup is one statement over the socket to another process, against a read "
                        "in the server's own memory for SQLite.")
        table.row("%s stored: CPU time per lookup, SQLite: the server (µs)" % label, summary(x[3] for x in s), 1)
        table.row("%s stored: CPU time per lookup, PostgreSQL: the server and the cluster (µs)" % label,
                  summary(x[3] for x in p), 1)
        table.row("%s stored: CPU time ratio, PostgreSQL / SQLite" % label, ratio([x[3] for x in p], [x[3] for x in s]), 2)
        table.row("%s stored: lookup p99, SQLite (ms)" % label, summary(x[2] for x in s), 2)
        table.row("%s stored: lookup p99, PostgreSQL (ms)" % label, summary(x[2] for x in p), 2)
        table.row("%s stored: lookup p99 ratio, PostgreSQL / SQLite" % label,
                  ratio([x[2] for x in p], [x[2] for x in s]), 2, 1.5, "", "lower",
                  limit="The tail of 50 connections whose lookups wait on PostgreSQL's backends, on two "
                        "cores shared with wrk.")
        if look[size]["before"]:
            b = look[size]["before"]
            table.row("%s stored: lookups, PostgreSQL, before (BENCH_STORE_BEFORE) (requests/s)" % label,
                      summary(x[0] for x in b), 0)
            table.row("%s stored: PostgreSQL lookup throughput ratio, now / before" % label,
                      ratio([x[0] for x in p], [x[0] for x in b]), 2)
            table.row("%s stored: lookup p99, PostgreSQL, before (ms)" % label, summary(x[2] for x in b), 2)
            table.row("%s stored: CPU time per lookup, PostgreSQL, before (µs)" % label, summary(x[3] for x in b), 1)
            table.row("%s stored: PostgreSQL CPU time ratio, now / before" % label,
                      ratio([x[3] for x in p], [x[3] for x in b]), 2)
        table.row("%s stored: store copy to PostgreSQL (s)" % label, summary([copies[size]]), 1)
    table.how.append(
        "Store backends: a throwaway PostgreSQL 15 cluster on a Unix socket with the durable defaults (fsync, "
        "synchronous_commit, full_page_writes on), against the SQLite store (WAL, synchronous=FULL). Push: a "
        "kiosk with %s queued requests (motcua-fill) registered with a fresh server on each backend and timed "
        "through `motcua-sync now`, %d runs alternating, the ratio per run. Lookups: a SQLite server grown to "
        "each size with synthetic rows (as above), copied to a new PostgreSQL database with `store copy`, "
        "then wrk -t2 -c50 -d%ds on /r/<token> (%d tokens sampled from the store) against each, %d runs "
        "alternating; rate limits off. CPU time per lookup: the user and system time of the server's process "
        "(on PostgreSQL, and of the cluster's postmaster and its children) during a run, over the lookups "
        "answered. BENCH_STORE_BEFORE=path runs another build on the same PostgreSQL copy in the same "
        "alternation." % (n, RUNS, sb.WRK_SECONDS, sb.SAMPLE_TOKENS, RUNS))


if __name__ == "__main__":
    import common
    tmp = tempfile.mkdtemp(prefix="motcua-bench-")
    try:
        table = common.Table()
        run(table, tmp)
        print(table.markdown())
        for note in table.notes:
            log(note)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
