"""The phone page read from a real streaming replica (MOTCUA_TEST_PG,
tests/run.py's PostgreSQL pass): a hot standby of the test cluster made with
pg_basebackup -R on its own Unix socket, and `serve --db --db-read` pointed at
it. A request synced to the primary shows on the phone page once the standby
has replayed it; with replay paused an official's update is on the primary
but the page still shows the status the standby has (the page reads the
replica), and shows the new one once replay resumes; the standby refuses a
write; the standby stopped, the page still answers from the primary, and
reads the standby again once it is back."""
import json, os, sys, time, urllib.parse
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from kiosk import Tap
from e2e import Server, kiosk_config, register, sync, fill, PG_URL
import pgcluster

t = Tap()
if not PG_URL:
    t.ok(False, "MOTCUA_TEST_PG names a PostgreSQL cluster (run through tests/run.py)")
    t.done()
    sys.exit(1)


def status_of(srv, code):
    c, _, body = srv.get("/api/v1/requests/" + code)
    j = json.loads(body) if c == 200 else {}
    return c, j.get("known"), j.get("status")


def wait_for(cond, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.1)
    return False


primary_root = urllib.parse.parse_qs(PG_URL.partition("?")[2])["host"][0]
primary = pgcluster.Cluster(root=primary_root)      # run.py's cluster: not started nor stopped here
srv = Server()                                       # its store made and migrated on the primary
rep = primary.standby()
rep_url = srv.store.replace("host=" + primary_root, "host=" + rep.root)
try:
    t.eq(rep.psql("SELECT pg_is_in_recovery()"), [["t"]], "the replica is a hot standby of the test cluster")
    srv.extra = ["--db-read", rep_url]
    srv.serve()
    cfg, _ = kiosk_config(srv)
    register(srv, cfg)
    codes = list(fill(cfg, 3).values())
    out = sync(cfg)
    t.ok(out.returncode == 0, "a kiosk synced three requests to the primary", out.stderr[-300:])
    db = srv.store.partition("?")[0].rsplit("/", 1)[1]
    t.ok(wait_for(lambda: status_of(srv, codes[0]) == (200, True, "synced")),
         "the request shows on the phone page once the standby replayed it", str(status_of(srv, codes[0])))
    reading = rep.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'motcua-server read'"
                       " AND datname = '%s'" % db)
    t.ok(int(reading[0][0]) >= 1, "the server's lookups are connected to the standby", str(reading))

    # Replay paused: the primary moves on, the page shows what the standby has.
    rep.psql("SELECT pg_wal_replay_pause()")
    up = srv.cli("update", codes[0], "--status", "in_progress")
    t.ok(up.returncode == 0, "an official's update stored on the primary", up.stderr)
    time.sleep(0.5)
    t.eq(status_of(srv, codes[0]), (200, True, "synced"),
         "replay paused: the phone page shows the standby's older status (it reads the replica)")
    c, _, page = srv.get("/r/" + codes[0])
    t.eq(c, 200, "the HTML page too answers from the standby")
    rep.psql("SELECT pg_wal_replay_resume()")
    t.ok(wait_for(lambda: status_of(srv, codes[0]) == (200, True, "in_progress")),
         "replay resumed: the page shows the new status", str(status_of(srv, codes[0])))

    # Read-only: the standby refuses writes whoever asks.
    w = primary._run([os.path.join(primary.bin, "psql"), rep_url, "-X", "-v", "ON_ERROR_STOP=1", "-c",
                      "UPDATE request SET status = 'done'"])
    t.ok(w.returncode != 0 and "read-only" in w.stderr, "a write through the replica's URL fails", w.stderr)

    # The standby down: the page answers from the primary, never a 503.
    rep.halt()
    up = srv.cli("update", codes[1], "--status", "in_progress")
    t.ok(up.returncode == 0, "another update on the primary while the standby is down", up.stderr)
    t.eq(status_of(srv, codes[1]), (200, True, "in_progress"),
         "the standby stopped: the phone page answers from the primary, with its current status")
    c, _, _ = srv.get("/r/" + codes[2])
    t.eq(c, 200, "the HTML page too")
    log = open(srv.log).read()
    t.ok("lookups go to the primary" in log, "the fall back is logged", log[-500:])
    t.ok(rep_url not in log and "host=" + rep.root not in log, "the log never holds the replica's URL")
    rep.start()
    t.ok(wait_for(lambda: status_of(srv, codes[2]) == (200, True, "synced") and
                  "lookups read from it" in open(srv.log).read(), 15),
         "the standby back: lookups read from it again", open(srv.log).read()[-400:])
    t.eq(srv.stop(), 0, "the server stops cleanly")
finally:
    srv.stop()
    rep.stop()
t.done()
