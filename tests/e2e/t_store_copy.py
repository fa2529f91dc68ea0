"""`motcua-server store copy`: a SQLite deployment moved to PostgreSQL (the
cluster of MOTCUA_TEST_PG, tests/run.py's PostgreSQL pass). Two kiosks file
and sync, officials answer, an account and a commune are made; the server
stops; the store is copied; every row of every table is compared on both
sides; a second copy into the same database is refused and changes
nothing; the server serves from PostgreSQL: the phone page says the same,
the console lets the same official in, and the kiosks go on syncing from
their cursors: the next update reaches each kiosk once, new requests are
taken and acknowledged after the old."""
import json, os, re, sqlite3, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap
from e2e import (Server, Staff, kiosk_config, register, sync, fill, kiosk_events, kiosk_requests, run, PgCon,
                 pg_new_store, PG_URL, PG_STORES, SERVER)

t = Tap()
if not PG_URL:
    t.ok(False, "MOTCUA_TEST_PG names a PostgreSQL cluster (run through tests/run.py)")
    t.done()
    sys.exit(1)

SUPERVISOR = ("thu.supervisor", "mật khẩu của chị Thu 2026")
srv = Server(sqlite=True).serve()
kiosks = []
for number in (3, 4):
    cfg, data = kiosk_config(srv, number=number)
    register(srv, cfg)
    fill(cfg, 40)
    kiosks.append((cfg, data))
    t.eq(sync(cfg).returncode, 0, "kiosk %d syncs its 40 requests to the SQLite server" % number)
codes = srv.codes()
rows = [(rid, codes[rid], category) for rid, _, category, *_ in kiosk_requests(kiosks[0][1])]
for rid, token, category in rows[:5]:
    if category in ("complaint", "denunciation"):
        # Accepted only on the signed letter the counter marks received.
        t.ok(srv.cli("update", token, "--status", "accepted").returncode != 0, "no letter, not accepted: " + rid)
    else:
        t.eq(srv.cli("update", token, "--status", "accepted", "--note", "Đã thụ lý.").returncode, 0, "update " + rid)
t.eq(srv.cli("update", rows[5][0], "--status", "withdrawn").returncode, 0, "a withdrawal")
add = run([SERVER, "user", "add", "--data", srv.data, "--name", SUPERVISOR[0], "--role", "supervisor"],
          input=SUPERVISOR[1] + "\n")
t.eq(add.returncode, 0, "an official's account")
t.eq(run([SERVER, "commune", "set", "--data", srv.data, "27280", "Xã Phù Lãng", "--remote"]).returncode, 0,
     "a commune's name")
for cfg, data in kiosks:
    t.eq(sync(cfg).returncode, 0, "the kiosk pulls the officials' events")
token = rows[0][1]
_, _, before_page = srv.get("/r/" + token)
_, _, before_json = srv.get("/api/v1/requests/" + token)
events_before = [kiosk_events(data) for _, data in kiosks]
srv.stop()

# ---- the copy ----
url = pg_new_store()
lite = sqlite3.connect(os.path.join(srv.data, "server.db"))
tables = [r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                     " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
counts = {name: lite.execute("SELECT count(*) FROM " + name).fetchone()[0] for name in tables}
out = run([SERVER, "store", "copy", "--data", srv.data, "--db", url])
t.ok(out.returncode == 0, "store copy exits 0", out.stdout + out.stderr)
said = dict((m.group(1), int(m.group(2))) for m in re.finditer(r"^\s+(\w+)\s+(\d+) rows$", out.stdout, re.M))
t.ok(said == counts, "and says what it copied: each table and its rows", out.stdout + repr(counts))
# 80 filed, three accepted (the complaint and the denunciation among the
# five have no signed letter), one withdrawn.
t.ok(counts["request"] == 80 and counts["event"] == 84, "80 requests and 84 events were there to copy", repr(counts))
t.ok("password" not in out.stdout + out.stderr, "nothing about the URL's secrets is printed")

pg = PgCon(url)


def norm(v):
    return bytes(v) if isinstance(v, (bytes, memoryview)) else v


for name in tables:
    cols = ", ".join(r[1] for r in lite.execute("PRAGMA table_info(%s)" % name))
    a = sorted(repr(tuple(norm(v) for v in r)) for r in lite.execute("SELECT %s FROM %s" % (cols, name)))
    b = sorted(repr(tuple(norm(v) for v in r)) for r in pg.execute("SELECT %s FROM %s" % (cols, name)))
    t.eq(b, a, "%s: every row and column the same in PostgreSQL (%d rows)" % (name, len(a)))
lite.close()

again = run([SERVER, "store", "copy", "--data", srv.data, "--db", url])
t.ok(again.returncode != 0 and "not empty" in again.stderr, "a second copy into the same database is refused",
     again.stderr)
t.eq(pg.execute("SELECT count(*) FROM request").fetchone()[0], 80, "and changes nothing")
pg.close()
bad = run([SERVER, "store", "copy", "--data", srv.data, "--db", "postgresql:///nosuchdb?host=/nonexistent"])
t.ok(bad.returncode != 0 and "nothing was copied" in bad.stderr, "an unreachable database: a reason, nothing done",
     bad.stderr)

# ---- serving from PostgreSQL ----
PG_STORES[srv.data] = url
srv.store = url
srv.serve()
_, _, after_page = srv.get("/r/" + token)
_, _, after_json = srv.get("/api/v1/requests/" + token)
t.eq(json.loads(after_json), json.loads(before_json), "the phone page's JSON is the same from PostgreSQL")
t.ok("Đã thụ lý" in after_page and "Đã thụ lý" in before_page, "and its page shows the officials' note")
st, _, _ = Staff(srv).login(*SUPERVISOR)
t.eq(st, 303, "the copied official logs in to the console")
up = srv.cli("update", rows[6][1], "--status", "accepted", "--note", "Sau khi chuyển sang PostgreSQL.")
t.eq(up.returncode, 0, "an update on the PostgreSQL store")
for i, (cfg, data) in enumerate(kiosks):
    fill(cfg, 3)
    t.eq(sync(cfg).returncode, 0, "kiosk %d syncs from its cursor" % (i + 3))
    got = kiosk_events(data)
    t.eq(got[:len(events_before[i])], events_before[i], "it keeps what it had")
    t.eq(got, [e for e in srv.events() if e[1].startswith("27280-%d-" % (i + 3))],
         "and holds every event of its requests once: none again, none missed")
    t.eq(len(kiosk_requests(data)), 43, "its three new requests")
new_ids = [e[0] for e in srv.events() if e[3] == "Sau khi chuyển sang PostgreSQL."]
t.ok(len(new_ids) == 1 and new_ids[0] > 84, "new events are numbered after the copied ones", repr(new_ids))
listed = srv.cli("kiosk", "list").stdout
t.ok(re.search(r"27280-3 .* 43\b", listed) and re.search(r"27280-4 .* 43\b", listed),
     "kiosk list: both kiosks acknowledged up to 43", listed)
srv.stop()
t.done()
