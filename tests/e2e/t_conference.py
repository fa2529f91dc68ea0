"""A dialogue question is answered at the next leader-citizen conference, end
to end with real processes: a question filed before any conference keeps the
kiosk's date; the console announces a conference and, at the next sync, that
date reaches the kiosk as an event (its stored date and its status screen
follow); a question filed once the kiosk knows of the conference shows the
conference's day on review, on the receipt and in the store; when the console
moves the conference, both questions follow it at the next sync, and a sync
with nothing new brings nothing twice. A question filed while the kiosk had
not yet heard of the conference is attached to it upstream and told its day
in the same sync."""
import os, re, sqlite3, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, SHOTS, file_request, shown_code
from e2e import Server, Staff, SERVER, kiosk_config, register, sync, run

t = Tap()


def day(offset_days):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600 + offset_days * 86400))


def shown(iso):
    y, m, d = iso.split("-")
    return "%s/%s/%s" % (d, m, y)


def kiosk_deadlines(data):
    """{request id: the date in force}, as the kiosk's status screen reads it."""
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        return dict(con.execute("SELECT id, coalesce((SELECT e.deadline FROM event e WHERE e.request_id = request.id"
                                " AND e.deadline != '' ORDER BY e.server_id DESC LIMIT 1), deadline) FROM request"))
    finally:
        con.close()


def status_deadline(k, token):
    k.must("scan %s/r/%s" % (srv.url, token))
    w = k.widget("status.deadline")
    k.must("tap status.done")
    return w["label"] if w else None


srv = Server().serve()
run([SERVER, "user", "add", "--data", srv.data, "--name", "mai.tran", "--role", "officer"], input="mật khẩu cán bộ 2\n")
run([SERVER, "user", "communes", "--data", srv.data, "mai.tran", "27280"])
officer = Staff(srv)
officer.login("mai.tran", "mật khẩu cán bộ 2")
cfg, data = kiosk_config(srv)
register(srv, cfg)
k = Kiosk(cfg)


def save_conference(iso, conf_id=""):
    st, _, page = officer.request("/staff/conferences/new")
    form = {"csrf": officer.csrf(page), "commune": "27280", "date": iso, "time": "08:30",
            "place": "Hội trường UBND xã", "leaders": "Chủ tịch UBND xã", "topic": "Giao thông nông thôn"}
    if conf_id:
        form["id"] = conf_id
    st, headers, page = officer.request("/staff/conferences", form)
    loc = dict((a.lower(), b) for a, b in headers.items()).get("location", "") if st == 303 else ""
    m = re.search(r"/staff/conferences/(\d+)", loc)
    return st, m.group(1) if m else ""


def events(action):
    con = srv.db()
    try:
        return con.execute("SELECT request_id, deadline FROM event WHERE action = ? ORDER BY id", (action,)).fetchall()
    finally:
        con.close()


# ---- a question filed before any conference: the kiosk's own date ----
d1, _ = file_request(k, "dialogue", tag="dialogue-before")
q1 = shown_code(d1)
k.must("tap receipt.done")
t.eq(sync(cfg).returncode, 0, "the question reaches the server")
q1_id = srv.requests()[-1][0]
before = kiosk_deadlines(data)[q1_id]
t.ok(day(30) <= before <= day(34), "with no conference known, the kiosk keeps its own date (30 days)", before)

# ---- the console announces a conference: the date comes down as an event ----
first = day(10)
st, conf_id = save_conference(first)
t.ok(st == 303 and conf_id, "a conference is announced on the console", st)
t.eq(events("conference"), [(q1_id, first)], "the question already filed is told of the conference's day, once")
t.eq(sync(cfg).returncode, 0, "the next sync")
t.eq(kiosk_deadlines(data)[q1_id], first, "the kiosk's stored date follows the conference")
label = status_deadline(k, q1)
t.ok(label and shown(first) in label, "its status screen shows the conference's day", label)

# ---- a question filed once the kiosk knows of the conference ----
d2, shot = file_request(k, "dialogue", tag="dialogue-conference")
q2 = shown_code(d2)
w = next((w for w in d2["widgets"] if w["id"] == "receipt.deadline"), None)
t.ok(w and shown(first) in w["label"] and "hội nghị đối thoại" in w["label"],
     "the receipt says the answer is due at the conference, on its day", w)
k.must("tap receipt.done")
t.eq(sync(cfg).returncode, 0, "the second question reaches the server")
q2_id = srv.requests()[-1][0]
t.eq(kiosk_deadlines(data)[q2_id], first, "the kiosk stored the conference's day")
con = srv.db()
due = con.execute("SELECT due, conference_id FROM request WHERE id = ?", (q2_id,)).fetchone()
con.close()
t.eq(due, (first, int(conf_id)), "and the server holds it for that conference, on the same day")
t.eq(len(events("conference")), 1, "a question already on the conference's day needs no event")

# ---- the conference is moved: both questions follow it ----
moved = day(12)
st, same = save_conference(moved, conf_id)
t.ok(st == 303 and same == conf_id, "the conference is moved to another day", st)
t.eq(events("conference")[1:], sorted([(q1_id, moved), (q2_id, moved)]), "both questions are told of the new day")
t.eq(sync(cfg).returncode, 0, "the next sync")
dates = kiosk_deadlines(data)
t.eq((dates[q1_id], dates[q2_id]), (moved, moved), "the kiosk's stored dates follow the move")
for token in (q1, q2):
    label = status_deadline(k, token)
    t.ok(label and shown(moved) in label, "the status screen shows the new day", label)
k.must("shot %s/status-dialogue-moved.png" % SHOTS)
st, _ = save_conference(moved, conf_id)
t.eq(len(events("conference")), 3, "saving it again unchanged tells nobody twice")
t.eq(sync(cfg).returncode, 0, "a sync with nothing new")
t.eq(kiosk_deadlines(data), dates, "changes nothing on the kiosk")

# ---- filed before the kiosk heard of the conference, synced after ----
con = sqlite3.connect(os.path.join(data, "request.db"))
con.execute("DELETE FROM conference")     # as if the announcement came after the kiosk's last pull
con.commit()
con.close()
d3, _ = file_request(k, "dialogue", tag="dialogue-unheard")
q3 = shown_code(d3)
w = next((w for w in d3["widgets"] if w["id"] == "receipt.deadline"), None)
t.ok(w and "hội nghị" not in w["label"], "not knowing of a conference, the receipt gives the kiosk's own date", w)
k.must("tap receipt.done")
t.eq(sync(cfg).returncode, 0, "its sync")
q3_id = srv.requests()[-1][0]
t.eq(events("conference")[3:], [(q3_id, moved)], "the server attaches it to the conference and says so")
t.eq(kiosk_deadlines(data)[q3_id], moved, "in the same sync the kiosk's stored date follows")
label = status_deadline(k, q3)
t.ok(label and shown(moved) in label, "and its status screen", label)
k.close()
srv.stop()
t.done()
