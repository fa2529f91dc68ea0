"""Many kiosks syncing at once, part of `make bench`; also runs alone
(`python3 bench/kiosks_bench.py`, after `make all build/motcua-fill`).

KIOSKS kiosks (200 unless BENCH_KIOSKS says otherwise), each with EACH
requests queued by build/motcua-fill, are registered with one fresh server
on each backend (SQLite in its data folder; PostgreSQL in a throwaway
durable cluster, tests/pgcluster.py), then every kiosk runs `motcua-sync
now` at the same moment. Timed from the start to the last kiosk's end;
then each kiosk is checked caught up: the server holds exactly its
requests, its acknowledged mark is its last request, and its own store
holds every event the server has for it. RUNS runs alternating.

The kiosks' folders are in shared memory when there is one: on site each
kiosk has its own disk, so their fsyncs are not the server's to wait on
here; the server's store is on disk as a deployment's is."""
import os, shutil, sqlite3, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, log, ratio, summary  # noqa: E402
import server_bench as sb  # noqa: E402
import store_bench as st  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests"))
import pgcluster  # noqa: E402

KIOSKS = int(os.environ.get("BENCH_KIOSKS", "200"))
EACH = int(os.environ.get("BENCH_KIOSKS_EACH", "20"))
RUNS = int(os.environ.get("BENCH_KIOSKS_RUNS", "2"))


def kiosk_config(d, number, srv):
    data = os.path.join(d, "k%d" % number)
    os.makedirs(data)
    cfg = os.path.join(d, "k%d.ini" % number)
    with open(cfg, "w") as f:
        f.write("[kiosk]\ncommune_code = 27280\ncommune_name = Xã Bench\nkiosk_number = %d\ndata_dir = %s\n"
                "assets_dir = %s/assets\nfonts_dir = %s/fonts\n[server]\npublic_url = %s\nurl = %s\nkey = %s\n"
                "sync_interval = 0\n" % (number, data, ROOT, ROOT, srv.url, srv.url, srv.key))
    return cfg, data


def kiosks_for(srv, db):
    """KIOSKS kiosks filled and registered with srv: [(id, cfg, data)]."""
    d = tempfile.mkdtemp(prefix="motcua-bench-many-", dir=sb.SCRATCH)
    out = []
    for i in range(KIOSKS):
        number = 10 + i
        cfg, data = kiosk_config(d, number, srv)
        sb.run([sb.FILL, "--config", cfg, str(EACH)], timeout=600)
        line = [w for w in sb.run([sb.SYNC, "--config", cfg, "key"]).stdout.split() if w.startswith("mk1.")][0]
        sb.run([sb.SERVER, "kiosk", "add", "--data", srv.data, "--kiosk", "27280-%d" % number, "--key", line] +
               (["--db", db] if db else []))
        out.append(("27280-%d" % number, cfg, data))
    return d, out


def sync_all(kiosks):
    """Every kiosk's `motcua-sync now` started at once: seconds to the last
    one's end, and the failures."""
    failures, gate = [], threading.Barrier(len(kiosks))

    def one(cfg):
        gate.wait()
        p = subprocess.run([sb.SYNC, "--config", cfg, "now"], capture_output=True, text=True, timeout=1800)
        if p.returncode != 0:
            failures.append(p.stderr[-300:])
    threads = [threading.Thread(target=one, args=(cfg,)) for _, cfg, _ in kiosks]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t0, failures


def server_rows(srv, db):
    """(kiosk, acked) and (kiosk, requests, events) as the server holds them."""
    q_acked = "SELECT id, acked FROM kiosk"
    q_counts = ("SELECT kiosk, count(*), (SELECT count(*) FROM event e WHERE e.kiosk = r.kiosk) "
                "FROM request r GROUP BY kiosk")
    if db:
        acked = sb.run(["psql", "-XAtF|", db, "-c", q_acked]).stdout.split()
        counts = sb.run(["psql", "-XAtF|", db, "-c", q_counts]).stdout.split()
        split = [x.split("|") for x in acked], [x.split("|") for x in counts]
        return ({k: int(a) for k, a in split[0]}, {k: (int(n), int(e)) for k, n, e in split[1]})
    con = sqlite3.connect(srv.data + "/server.db")
    try:
        return (dict(con.execute(q_acked).fetchall()),
                {k: (n, e) for k, n, e in con.execute(q_counts).fetchall()})
    finally:
        con.close()


def kiosk_events(data):
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        return con.execute("SELECT count(*) FROM event WHERE server_id IS NOT NULL").fetchone()[0]
    except sqlite3.Error:
        return -1
    finally:
        con.close()


def caught_up(srv, db, kiosks):
    """The kiosks that are not caught up, with why."""
    acked, counts = server_rows(srv, db)
    behind = []
    for kid, _, data in kiosks:
        if acked.get(kid) != EACH or counts.get(kid, (0, 0))[0] != EACH:
            behind.append("%s: acked %s, %s stored" % (kid, acked.get(kid), counts.get(kid, (0, 0))[0]))
        elif kiosk_events(data) != counts[kid][1]:
            behind.append("%s: holds %d of %d events" % (kid, kiosk_events(data), counts[kid][1]))
    return behind


def one_run(cluster, kind, r):
    # On site each kiosk has its own address; here all come from 127.0.0.1,
    # where the per-address connection limit (32) would refuse most.
    extra = ["--max-per-address", "0"]
    if kind == "sqlite":
        srv, db = sb.Server(extra=extra), None
    else:
        srv = st.PgServer(cluster, "many%d" % r, extra=extra)
        db = srv.db
    d, kiosks = kiosks_for(srv, db)
    try:
        srv.serve()
        took, failures = sync_all(kiosks)
        if failures:
            raise RuntimeError("%d of %d kiosks failed to sync on %s: %s" % (len(failures), KIOSKS, kind, failures[0]))
        behind = caught_up(srv, db, kiosks)
        if behind:
            raise RuntimeError("%d kiosks not caught up on %s: %s" % (len(behind), kind, behind[:3]))
        return took
    finally:
        srv.remove()
        shutil.rmtree(d, ignore_errors=True)


def measure():
    cluster = pgcluster.Cluster(durable=True).start()
    times = {"sqlite": [], "pg": []}
    try:
        for r in range(RUNS):
            for kind in ("sqlite", "pg"):
                times[kind].append(one_run(cluster, kind, r))
            log("%d kiosks x %d requests at once: SQLite %.1f s, PostgreSQL %.1f s, each caught up"
                % (KIOSKS, EACH, times["sqlite"][-1], times["pg"][-1]))
    finally:
        cluster.stop()
    return times


def run(table, tmp):
    times = measure()
    table.section("%d kiosks syncing at once, each with %d requests, same run" % (KIOSKS, EACH))
    table.row("%d kiosks caught up, SQLite (s)" % KIOSKS, summary(times["sqlite"]), 1)
    table.row("%d kiosks caught up, PostgreSQL (s)" % KIOSKS, summary(times["pg"]), 1)
    table.row("%d kiosks, time ratio PostgreSQL / SQLite" % KIOSKS, ratio(times["pg"], times["sqlite"]), 2)
    table.how.append(
        "Many kiosks: %d kiosks, %d requests each queued by motcua-fill (folders in shared memory: each kiosk "
        "has its own disk on site), registered with a fresh server on each backend (SQLite on disk; PostgreSQL "
        "durable, local socket; the per-address connection limit off, as all come from 127.0.0.1); all run `motcua-sync now` at the same moment, timed to the last one's end; "
        "each then checked caught up (the server holds its %d requests, its mark is its last, its store holds "
        "every event the server has for it); %d runs alternating." % (KIOSKS, EACH, EACH, RUNS))


if __name__ == "__main__":
    import common
    tmp = tempfile.mkdtemp(prefix="motcua-bench-")
    try:
        table = common.Table()
        run(table, tmp)
        print(table.markdown())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
