"""The office's queue figures go upstream with the kiosk's sync and show on
the server's public figures: tickets taken at the kiosk, called and closed
at two counters of motcua-office, pushed by motcua-sync, then /stats/27280
and /api/v1/stats/27280 show the waiting and service times per field and
counter; a row of fewer than three served shows none of its figures; a
second sync replaces the rows rather than adding them up."""
import json, os, re, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, SHOTS
from e2e import Server, Office, Staff, kiosk_config, register, sync, pin_hash, chromium, run, SERVER

t = Tap()
srv = Server().serve()
srv.cli("commune", "set", "27280", "Xã Phù Lãng")
cfg, data = kiosk_config(srv, extra="staff_pin = %s\n" % pin_hash())
register(srv, cfg)

k = Kiosk(cfg)
for field in ["hotich"] * 4 + ["chungthuc"] * 2:
    k.must("tap home.ticket")
    k.must("tap ticket.field." + field)
    k.must("tap ticket.normal")
    k.must("tap ticket.done")
k.close()

office = Office(cfg).start()
c1, c3 = Staff(office), Staff(office)
c1.request("/counter/sign-in", {"counter": "1", "pin": "123456"})
c3.request("/counter/sign-in", {"counter": "3", "pin": "123456"})
for _ in range(4):              # counter 1 serves the four hotich numbers
    _, _, page = c1.request("/counter")
    c1.request("/counter/call", {"csrf": c1.csrf(page)})
    time.sleep(0.3)
_, _, page = c1.request("/counter")
c1.request("/counter/close", {"csrf": c1.csrf(page)})
for _ in range(2):              # counter 3 serves chungthuc: two, under the threshold
    _, _, page = c3.request("/counter")
    c3.request("/counter/call", {"csrf": c3.csrf(page)})
_, _, page = c3.request("/counter")
c3.request("/counter/close", {"csrf": c3.csrf(page)})
t.eq(office.stop(), 0, "the office service stops")

out = sync(cfg)
t.ok(out.returncode == 0, "motcua-sync pushes", out.stdout + out.stderr)
con = srv.db()
rows = con.execute("SELECT kiosk, commune, field, counter, served FROM queue_day ORDER BY field, counter").fetchall()
con.close()
t.eq(rows, [("27280-3", "27280", "chungthuc", 3, 2), ("27280-3", "27280", "hotich", 1, 4)],
     "the server holds the day's rows per field and counter, no identity")
out = sync(cfg)
con = srv.db()
again = con.execute("SELECT count(*), sum(served) FROM queue_day").fetchone()
con.close()
t.eq(again, (2, 6), "a second sync replaces the rows: nothing counted twice")

# The figures were not asked for before: the first request computes them.
code, _, body = srv.get("/api/v1/stats/27280")
figures = json.loads(body)
queue = {(r["field"], r["counter"]): r for r in figures.get("queue", [])}
t.ok(code == 200 and queue.get(("hotich", 1), {}).get("served") == 4, "the JSON figures show counter 1's four served",
     body[-600:])
t.ok(queue.get(("hotich", 1), {}).get("wait_avg_s") is not None and queue[("hotich", 1)]["service_avg_s"] is not None,
     "with the average wait and service")
h = queue.get(("chungthuc", 3), {})
t.ok(h and h["served"] is None and h["wait_avg_s"] is None and h["service_avg_s"] is None,
     "two served: the row shows no figure", h)
code, _, page = srv.get("/stats/27280")
t.ok(code == 200 and "Thời gian chờ tại bộ phận một cửa" in page and "Hộ tịch" in page and "Chứng thực" in page,
     "the commune's page shows the queue table with the fields' names")
t.ok(chromium(srv.url + "/stats/27280", os.path.join(SHOTS, "stats-queue.png"), size="1000,1800"),
     "the page renders in Chromium")

# ---- the console ----
for name, role in (("canbo", "officer"), ("khac", "officer")):
    run([SERVER, "user", "add", "--data", srv.data, "--name", name, "--role", role], input="mat-khau-dai-du-1\n")
run([SERVER, "user", "communes", "--data", srv.data, "canbo", "27280"])
run([SERVER, "user", "communes", "--data", srv.data, "khac", "27281"])
o = Staff(srv)
t.eq(o.login("canbo", "mat-khau-dai-du-1")[0], 303, "the officer of 27280 logs in")
code, _, page = o.request("/staff/queue")
t.ok(code == 200 and "Hộ tịch" in page and "27280" in page and 'id="nav-queue"' in page,
     "the console's queue page shows the commune's rows", page[-1500:])
other = Staff(srv)
other.login("khac", "mat-khau-dai-du-1")
code, _, page = other.request("/staff/queue")
t.ok(code == 200 and "Hộ tịch" not in page and "Chưa có số liệu" in page, "an officer of another commune sees none of them")
t.done()
