"""Many kiosks syncing at once with one server, on the backend the pass
chooses (SQLite, or PostgreSQL with MOTCUA_TEST_PG): the suite's smaller
version of bench/kiosks_bench.py's 200. Every kiosk's `motcua-sync now`
starts at the same moment; each must succeed, and afterwards each kiosk
is caught up: the server holds exactly its requests, once, its mark is its
last request, and the kiosk holds every event the server has for it, in
order. Officials' updates are then pulled by every kiosk in a second
round at once."""
import os, subprocess, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap
from e2e import Server, kiosk_config, register, fill, kiosk_requests, kiosk_events, SYNC

KIOSKS, EACH = 80, 4
t = Tap()
# On site each kiosk has its own address; here all come from 127.0.0.1,
# where the per-address connection limit (32) would refuse most of them.
srv = Server(extra=["--max-per-address", "0"]).serve()
kiosks = []
for i in range(KIOSKS):
    cfg, data = kiosk_config(srv, number=10 + i)
    register(srv, cfg)
    fill(cfg, EACH)
    kiosks.append(("27280-%d" % (10 + i), cfg, data))


def sync_all():
    failures, gate = [], threading.Barrier(KIOSKS)

    def one(cfg):
        gate.wait()
        p = subprocess.run([SYNC, "--config", cfg, "now"], capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            failures.append(p.stderr[-300:])
    threads = [threading.Thread(target=one, args=(cfg,)) for _, cfg, _ in kiosks]
    start = time.time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.time() - start, failures


def behind():
    con = srv.db()
    out = []
    for kid, cfg, data in kiosks:
        stored = sorted(r[0] for r in con.execute("SELECT id FROM request WHERE kiosk = ?", (kid,)).fetchall())
        mine = sorted(r[0] for r in kiosk_requests(data))
        acked = con.execute("SELECT acked FROM kiosk WHERE id = ?", (kid,)).fetchone()[0]
        events = [tuple(e) for e in con.execute("SELECT id, request_id, status, note FROM event WHERE kiosk = ?"
                                                " ORDER BY id", (kid,)).fetchall()]
        if stored != mine or len(stored) != EACH:
            out.append("%s: %d stored, %d at the kiosk" % (kid, len(stored), len(mine)))
        elif acked != EACH:
            out.append("%s: acknowledged to %s" % (kid, acked))
        elif [tuple(e) for e in kiosk_events(data)] != events:
            out.append("%s: holds %d of %d events" % (kid, len(kiosk_events(data)), len(events)))
    con.close()
    return out


took, failures = sync_all()
t.eq(failures, [], "%d kiosks synced at once, each succeeded (%.1f s)" % (KIOSKS, took))
t.eq(behind(), [], "each is caught up: its requests stored once, its mark its last, every event held")
count = srv.db().execute("SELECT count(*) FROM request").fetchone()[0]
t.eq(count, KIOSKS * EACH, "the server holds %d requests, every one once" % (KIOSKS * EACH))

# Officials answer one request of every fourth kiosk; all pull at once again.
ids = [kiosk_requests(data)[0][0] for i, (_, _, data) in enumerate(kiosks) if i % 4 == 0]
updated = sum(srv.cli("update", rid, "--status", "in_progress").returncode == 0 for rid in ids)
t.eq(updated, len(ids), "officials updated %d requests" % len(ids))
took, failures = sync_all()
t.eq(failures, [], "all %d kiosks synced at once again (%.1f s)" % (KIOSKS, took))
t.eq(behind(), [], "and each holds the officials' answers: no event missed")
srv.stop()
t.done()
