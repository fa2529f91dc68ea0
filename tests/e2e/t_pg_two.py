"""Two server processes against one PostgreSQL database (MOTCUA_TEST_PG,
tests/run.py's PostgreSQL pass), sharing one data folder (the key, the
catalog and holiday files): 50 kiosks push at once, half to each process,
while officials update requests through both; then every kiosk syncs
again. Every request is stored once, each kiosk acknowledged to its last,
and every kiosk holds every event of its requests exactly once: none
missed, though the events were written by two processes at once."""
import os, random, subprocess, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT
from e2e import Server, kiosk_config, register, fill, kiosk_requests, kiosk_events, run, with_store, SERVER, SYNC, \
    PG_URL, free_port

t = Tap()
if not PG_URL:
    t.ok(False, "MOTCUA_TEST_PG names a PostgreSQL cluster (run through tests/run.py)")
    t.done()
    sys.exit(1)

KIOSKS, EACH = 50, 12
a = Server().serve()
# The second process: the same data folder and database, its own port.
b_port = free_port()
b_url = "http://127.0.0.1:%d" % b_port
b_log = open(os.path.join(a.dir, "b.log"), "a")
b = subprocess.Popen(with_store([SERVER, "serve", "--data", a.data, "--listen", "127.0.0.1:%d" % b_port,
                                 "--assets", os.path.join(ROOT, "assets")]),
                     stdout=b_log, stderr=b_log)
for _ in range(200):
    try:
        import urllib.request
        urllib.request.urlopen(b_url + "/healthz", timeout=1).read()
        break
    except Exception:
        time.sleep(0.05)
t.ok(b.poll() is None, "a second server process serves the same store")

kiosks = []
for i in range(KIOSKS):
    cfg, data = kiosk_config(a, number=10 + i, url=b_url if i % 2 else None)
    register(a, cfg)
    fill(cfg, EACH)
    kiosks.append((cfg, data))
t.eq(len(kiosks), KIOSKS, "50 kiosks registered, %d requests each waiting" % EACH)

failures = []


def sync_all(rounds):
    def one(cfg):
        for _ in range(rounds):
            out = subprocess.run([SYNC, "--config", cfg, "now"], capture_output=True, text=True, timeout=600)
            if out.returncode != 0:
                failures.append(out.stderr[-300:])
    threads = [threading.Thread(target=one, args=(cfg,)) for cfg, _ in kiosks]
    for th in threads:
        th.start()
    return threads


start = time.time()
threads = sync_all(2)
# Officials answer on both processes' store while the kiosks push: the
# command line writes events for the kiosks' requests as they arrive.
updated = 0
deadline = time.time() + 120
while any(th.is_alive() for th in threads) and time.time() < deadline:
    rows = a.db().execute("SELECT id FROM request WHERE status = 'synced' ORDER BY random() LIMIT 4").fetchall()
    for (rid,) in rows:
        if run([SERVER, "update", "--data", a.data, rid, "--status", "in_progress"]).returncode == 0:
            updated += 1
for th in threads:
    th.join()
took = time.time() - start
t.eq(failures, [], "every kiosk's sync succeeded (%.1f s for 50 kiosks on two processes)" % took)
t.ok(updated > 0, "officials updated %d requests while the kiosks pushed" % updated)
# Once more, each kiosk: the events written last reach it.
threads = sync_all(1)
for th in threads:
    th.join()
t.eq(failures, [], "and each syncs again")

con = a.db()
stored = con.execute("SELECT id, kiosk FROM request ORDER BY id").fetchall()
t.eq(len(stored), KIOSKS * EACH, "every request stored")
t.eq(len(set(r[0] for r in stored)), len(stored), "each once")
missing, extra, acked = [], [], []
for cfg, data in kiosks:
    kid = "27280-%s" % open(cfg).read().split("kiosk_number = ")[1].split()[0]
    server_events = con.execute("SELECT id, request_id, status, note FROM event WHERE kiosk = ? ORDER BY id",
                                (kid,)).fetchall()
    got = kiosk_events(data)
    if [tuple(e) for e in got] != [tuple(e) for e in server_events]:
        missing.append((kid, len(got), len(server_events)))
    row = con.execute("SELECT acked FROM kiosk WHERE id = ?", (kid,)).fetchone()
    if row[0] != EACH:
        acked.append((kid, row[0]))
    if sorted(r[0] for r in kiosk_requests(data)) != sorted(r[0] for r in stored if r[1] == kid):
        extra.append(kid)
con.close()
t.eq(missing, [], "every kiosk holds every event of its requests, once, in order: none missed")
t.eq(acked, [], "every kiosk is acknowledged to its last request")
t.eq(extra, [], "and the server holds exactly each kiosk's requests")
b.terminate()
b.wait(timeout=30)
a.stop()
t.done()
