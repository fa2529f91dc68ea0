"""Satisfaction ratings reach the server's figures: a ticket rated at the
real kiosk (headless) and one given with neither travel with motcua-sync's
signed push; a resend (the kiosk's marks lost) stores nothing twice; a
kiosk flooding ratings is held to the day's cap and not asked to resend;
the phone page of a resolved request shows a plain form (no script) that
headless Chromium fills and posts, once: a second is refused politely,
and the kiosk's later rating of the same request is not counted again; a
denunciation's page has no form; /stats/<commune> and its JSON show the
rows, a row under three said in place."""
import json, os, re, sqlite3, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, SHOTS, file_request, shown_code
from e2e import Server, Staff, kiosk_config, register, sync, chromium, run, SERVER
import cdp

t = Tap()
srv = Server().serve()
srv.cli("commune", "set", "27280", "Xã Phù Lãng")
cfg, data = kiosk_config(srv)
register(srv, cfg)


def server_ratings():
    con = srv.db()
    try:
        return con.execute("SELECT source, kind, field, number, request_id, f_reception, f_time, f_attitude,"
                           " f_result, f_overall FROM rating ORDER BY id").fetchall()
    finally:
        con.close()


def rate_at_kiosk(k, entry, faces):
    k.must("tap home.rating")
    if entry is None:
        k.must("tap rating.without")
    else:
        k.must("tap rating.with")
        k.must("type " + entry)
        k.must("tap rating.next")
    if k.screen() != "rating_ask":
        return k.screen()
    for f in faces:
        k.must("tap rating.face.%d" % f)
    k.must("type Cans booj raats toots")
    k.must("tap rating.send")
    screen = k.screen()
    k.must("tap rating.done")
    return screen


k = Kiosk(cfg)
k.must("tap home.ticket")
k.must("tap ticket.field.hotich")
k.must("tap ticket.normal")
label = k.widget("ticket.number")["label"]
k.must("tap ticket.done")
d, _ = file_request(k, "petition", tag="rating-sync")
petition = shown_code(d)
k.must("tap receipt.done")
d, _ = file_request(k, "denunciation", tag="rating-sync-den")
denunciation = shown_code(d)
k.must("tap receipt.done")
t.eq(rate_at_kiosk(k, label, (3, 3, 2, 3, 3)), "rating_done", "the ticket is rated at the kiosk")
t.eq(rate_at_kiosk(k, None, (1, 2, 2, 2, 1)), "rating_done", "a rating with neither")
k.close()

out = sync(cfg)
t.ok(out.returncode == 0, "motcua-sync pushes", out.stdout + out.stderr)
rows = server_ratings()
t.eq([(r[0], r[1], r[2], r[3]) for r in rows], [("kiosk", 1, "hotich", int(re.sub(r"\D", "", label))), ("kiosk", 0, "", 0)],
     "the server holds the ticket's (field and number) and the one with neither")
t.eq(tuple(rows[0][5:]), (3, 3, 2, 3, 3), "with its five answers")
con = srv.db()
try:
    con.execute("SELECT comment FROM rating").fetchall()
    kept = True
except Exception:
    kept = False
con.close()
t.ok(not kept, "the server keeps no comment")
con = sqlite3.connect(os.path.join(data, "request.db"))
pushed = con.execute("SELECT count(*) FROM rating WHERE pushed_at = 0").fetchone()[0]
t.eq(pushed, 0, "the kiosk marks them sent once the server acknowledged them")
# The marks lost (a restored backup): the same ratings go up again.
con.execute("UPDATE rating SET pushed_at = 0")
con.commit()
con.close()
out = sync(cfg)
t.ok(out.returncode == 0 and len(server_ratings()) == 2, "sent again, nothing is counted twice", server_ratings())

# A flood: 450 ratings with neither put into the kiosk's store today.
con = sqlite3.connect(os.path.join(data, "request.db"))
day, at = con.execute("SELECT day, at FROM rating ORDER BY id DESC LIMIT 1").fetchone()
con.executemany("INSERT INTO rating(kind, day, at, reception, time, attitude, result, overall)"
                " VALUES(0, ?, ?, 1, 1, 1, 1, 1)", [(day, at + i) for i in range(450)])
con.commit()
con.close()
out = sync(cfg)
t.ok(out.returncode == 0, "the flooding push is answered", out.stdout + out.stderr)
n = len(server_ratings())
t.eq(n, 400, "the server takes at most 400 from one kiosk for one day")
con = sqlite3.connect(os.path.join(data, "request.db"))
left = con.execute("SELECT count(*) FROM rating WHERE pushed_at = 0").fetchone()[0]
con.close()
t.eq(left, 0, "those refused are acknowledged: the kiosk does not resend them forever")
t.ok("ratings refused" in open(srv.log).read(), "the server logs the refusal")

# ---- the phone page ----
for code in (petition, denunciation):
    up = srv.cli("update", code, "--status", "resolved", "--note", "Đã giải quyết")
    t.ok(up.returncode == 0, "the request is resolved on the server", up.stderr)
status, _, page = srv.get("/r/" + denunciation)
t.ok(status == 200 and "<form" not in page, "a denunciation's page has no rating form")
status, headers, page = srv.get("/r/" + petition)
t.ok(status == 200 and '<form method=post action="/r/' in page and "<script" not in page,
     "the resolved request's page has a plain form, no script")
t.ok("Thái độ, tác phong của cán bộ" in page and "Rất hài lòng" in page, "with the kiosk's criteria and faces")
t.ok("form-action 'self'" in headers.get("Content-Security-Policy", ""), "the page's policy lets the form post to itself")
status, body = srv.post("/r/" + petition, b"reception=3&time=2", {"Content-Type": "application/x-www-form-urlencoded"})
t.ok(status == 200 and "Xin chọn một câu trả lời" in body, "an incomplete form is asked again, nothing stored")
t.eq(len(server_ratings()), 400, "nothing was stored")

b = cdp.Browser(390, 844)
try:
    b.goto(srv.url + "/r/" + petition)
    b.screenshot(os.path.join(SHOTS, "phone-rating-form.png"))
    for name, value in (("reception", 3), ("time", 2), ("attitude", 3), ("result", 3), ("overall", 3)):
        b.eval("document.querySelector('input[name=%s][value=\"%d\"]').click()" % (name, value))
    b.submit(".rate button")
    text = b.text(".rate")
    t.ok(text and "Cảm ơn" in text, "Chromium posts the form: thanks", text)
    b.screenshot(os.path.join(SHOTS, "phone-rating-thanks.png"))
finally:
    b.close()
rows = server_ratings()
t.ok(rows[-1][0] == "phone" and rows[-1][1] == 2 and tuple(rows[-1][5:]) == (3, 2, 3, 3, 3),
     "the phone's rating is stored by request", rows[-1])
status, body = srv.post("/r/" + petition, b"reception=1&time=1&attitude=1&result=1&overall=1",
                        {"Content-Type": "application/x-www-form-urlencoded"})
t.ok(status == 200 and "đã được đánh giá" in body and "<form" not in body, "a second is refused politely")
status, _, page = srv.get("/r/" + petition + "?lang=en")
t.ok("rated already" in page, "in English too")
t.eq(len(server_ratings()), 401, "still one for the request")

# The kiosk rates the same request later: not counted again upstream.
k = Kiosk(cfg)
t.eq(rate_at_kiosk(k, petition, (1, 1, 1, 1, 1)), "rating_done", "the kiosk takes it (it cannot know)")
k.close()
out = sync(cfg)
t.ok(out.returncode == 0 and len(server_ratings()) == 401, "the server keeps one rating per request", server_ratings()[-1])

# ---- the figures ----
code, _, body = srv.get("/api/v1/stats/27280")
figures = json.loads(body)
ratings = {(r["field"], r["neither"]): r for r in figures.get("ratings", [])}
t.ok(ratings.get(("", True), {}).get("ratings") == 399, "the JSON counts those with neither apart", figures.get("ratings"))
hot = ratings.get(("hotich", False), {})
t.ok(hot and hot["ratings"] is None and hot["satisfied_pct"] == [None] * 5, "one ticket's rating shows no figure", hot)
code, _, page = srv.get("/stats/27280")
t.ok(code == 200 and "Mức độ hài lòng năm nay" in page and "Dưới 3 lượt" in page and "399" in page,
     "the commune's page shows the ratings' table, a small row said in place")
t.ok(chromium(srv.url + "/stats/27280", os.path.join(SHOTS, "stats-ratings.png"), size="1000,2200"),
     "the page renders in Chromium")

# ---- the console ----
run([SERVER, "user", "add", "--data", srv.data, "--name", "truong", "--role", "supervisor"], input="mat-khau-dai-du-1\n")
run([SERVER, "user", "add", "--data", srv.data, "--name", "khac", "--role", "officer"], input="mat-khau-dai-du-1\n")
run([SERVER, "user", "communes", "--data", srv.data, "khac", "27281"])
o = Staff(srv)
t.eq(o.login("truong", "mat-khau-dai-du-1")[0], 303, "the supervisor logs in")
code, _, page = o.request("/staff/ratings")
t.ok(code == 200 and "399" in page and 'id="nav-ratings"' in page and "ratings-csv" in page,
     "the console's ratings page shows the commune's rows", page[-1500:])
code, headers, csv = o.request("/staff/ratings.csv")
lines = csv.strip().split("\r\n")
t.ok(code == 200 and headers.get("Content-Type", "").startswith("text/csv") and
     lines[0].startswith("day,commune,field,counter,source,neither"), "the CSV export", lines[:2])
t.eq(len(lines) - 1, 401, "one line per rating stored")
t.ok(petition not in csv and "27280-3-" not in csv, "no code and no request id in it")
con = srv.db()
audited = con.execute("SELECT count(*) FROM audit WHERE action = 'export_ratings'").fetchone()[0]
con.close()
t.eq(audited, 1, "the export is in the audit log")
other = Staff(srv)
other.login("khac", "mat-khau-dai-du-1")
code, _, csv = other.request("/staff/ratings.csv")
t.eq(csv.strip().count("\r\n"), 0, "an officer of another commune exports none of them")
t.eq(srv.stop(), 0, "the server stops")
t.done()
