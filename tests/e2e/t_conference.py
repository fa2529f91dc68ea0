"""A dialogue question is answered at the next leader-citizen conference, end
to end with real processes: a question filed before any conference keeps the
kiosk's date; the console announces a conference and, at the next sync, that
date reaches the kiosk as an event (its stored date and its status screen
follow); a question filed once the kiosk knows of the conference shows the
conference's day on review, on the receipt and in the store; when the console
moves the conference, both questions follow it at the next sync, and a sync
with nothing new brings nothing twice. A question filed while the kiosk had
not yet heard of the conference is attached to it upstream and told its day
in the same sync.

Cancelling, on the console: refused without a reason, without the ticked
confirmation, by an officer of another commune, for one already begun,
with nothing changed; then the questions move to the commune's next
conference, and when that one is cancelled too (the kiosk having missed
both the announcement of a third and its cancellation) they have no date:
"no conference scheduled yet" on the console's lists and request page,
the phone page and the kiosk's status screen, never late, answered on
time; a question filed then has the kiosk's own date on its slip; the
kiosk pulling every event again ends the same; a conference announced
afterwards dates them again."""
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
                                " AND (e.deadline != '' OR e.undated) ORDER BY e.server_id DESC LIMIT 1), deadline)"
                                " FROM request"))
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

# ---- cancelling: each refusal changes nothing ----
run([SERVER, "user", "add", "--data", srv.data, "--name", "lan.pham", "--role", "officer"], input="mật khẩu cán bộ 3\n")
run([SERVER, "user", "communes", "--data", srv.data, "lan.pham", "27281"])
other = Staff(srv)
other.login("lan.pham", "mật khẩu cán bộ 3")
REASON = "Mưa bão, đường vào xã bị ngập"


def cancel(staff, conf, reason=REASON, confirm="1"):
    st, _, page = staff.request("/staff/conferences/%s" % conf)
    form = {"csrf": staff.csrf(page), "id": conf, "reason": reason}
    if confirm:
        form["confirm"] = confirm
    st, headers, page = staff.request("/staff/conferences/cancel", form)
    return st, dict((a.lower(), b) for a, b in headers.items()).get("location", ""), page


def scalar(sql, params=()):
    con = srv.db()
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def cancelled():
    return scalar("SELECT count(*) FROM conference WHERE cancelled_at <> 0")


told = len(events("conference"))
st, _, page = cancel(other, conf_id)
t.ok(st == 422 and "27280" in page, "an officer of another commune may not cancel it", st)
st, _, page = cancel(officer, conf_id, reason="")
t.ok(st == 422 and "reason" in page, "nor anyone without a reason", st)
st, _, page = cancel(officer, conf_id, confirm="")
t.ok(st == 422 and "xác nhận" in page and REASON in page,
     "nor without the ticked confirmation (the reason typed stays in the form)", st)
st, past = save_conference(day(-3))
st, _, page = officer.request("/staff/conferences/%s" % past)
t.ok('id="cannot-cancel"' in page and 'id="cancel"' not in page, "a conference already held offers no cancelling")
st, _, page = cancel(officer, past)
t.ok(st == 422 and "began" in page, "and one that began is refused with a clear message", st)
t.eq((len(events("conference")), cancelled(), scalar("SELECT count(*) FROM audit WHERE action = 'conference_cancel'")),
     (told, 0, 0), "nothing was changed, told or audited")

# ---- cancelled: the questions move to the commune's next conference ----
later = day(20)
st, second = save_conference(later)
t.eq(len(events("conference")), told, "announcing a later conference moves nobody")
st, _, page = officer.request("/staff/conferences/%s" % conf_id)
t.ok('id="cancel-conference"' in page and "3 câu hỏi" in page, "the coming conference offers cancelling, counting its questions")
st, loc, _ = cancel(officer, conf_id)
t.ok(st == 303 and "cancelled=3" in loc and "next=%s" % second in loc, "the official cancels it", (st, loc))
t.eq(events("conference")[told:], sorted([(q1_id, later), (q2_id, later), (q3_id, later)]),
     "its three questions are told the next conference's day")
con = srv.db()
note = con.execute("SELECT note FROM event WHERE action = 'conference' ORDER BY id DESC LIMIT 1").fetchone()[0]
audit = con.execute("SELECT actor, detail FROM audit WHERE action = 'conference_cancel'").fetchall()
con.close()
t.eq(note, REASON, "with the reason as the citizen's note")
t.ok(len(audit) == 1 and audit[0][0] == "mai.tran" and REASON in audit[0][1], "the cancellation is audited", audit)
st, _, page = officer.request(loc)
t.ok('id="cancel-done"' in page and 'id="cancelled"' in page and REASON in page and 'name="place"' not in page,
     "its page says so, by whom and why, and is no longer edited")
st, _, page = officer.request("/staff/conferences")
t.ok('class="cancelled"' in page and "Đã hủy" in page, "the list marks it cancelled")
told = len(events("conference"))
st, _, page = cancel(officer, conf_id)
t.ok(st == 422 and "already cancelled" in page, "cancelling it again is refused", st)
t.eq((len(events("conference")), scalar("SELECT count(*) FROM audit WHERE action = 'conference_cancel'")), (told, 1),
     "and changes nothing")
t.eq(sync(cfg).returncode, 0, "the next sync")
dates = kiosk_deadlines(data)
t.eq((dates[q1_id], dates[q2_id], dates[q3_id]), (later, later, later), "the kiosk's dates follow")
kcon = sqlite3.connect(os.path.join(data, "request.db"))
t.eq([r[0] for r in kcon.execute("SELECT id FROM conference")], [int(second)], "its list holds the next one only")
kcon.close()
label = status_deadline(k, q2)
t.ok(label and shown(later) in label, "the status screen shows the next conference's day", label)
d4, _ = file_request(k, "dialogue", tag="dialogue-after-cancel")
q4 = shown_code(d4)
w = next((w for w in d4["widgets"] if w["id"] == "receipt.deadline"), None)
t.ok(w and shown(later) in w["label"] and "hội nghị" in w["label"], "a new question's slip names the next conference", w)
k.must("tap receipt.done")
t.eq(sync(cfg).returncode, 0, "its sync")
q4_id = srv.requests()[-1][0]

# ---- the kiosk misses a third's announcement and cancellation; the last goes too ----
st, third = save_conference(day(25))
st, loc, _ = cancel(officer, second, reason="Lãnh đạo xã đi công tác")
t.ok(st == 303 and "next=%s" % third in loc, "the second is cancelled: its questions go to the third", loc)
told = len(events("conference"))
st, loc, _ = cancel(officer, third, reason="Hoãn đến khi có lịch mới")
t.ok(st == 303 and "cancelled=4" in loc and "next=0" in loc, "the third is cancelled, none left", loc)
t.eq(events("conference")[told:], sorted([(q1_id, ""), (q2_id, ""), (q3_id, ""), (q4_id, "")]),
     "its four questions are told they have no date")
st, _, page = officer.request(loc)
t.ok("chờ đến khi xã có lịch" in page, "the notice says they wait for a conference")
t.eq(sync(cfg).returncode, 0, "one sync brings both")
dates = kiosk_deadlines(data)
t.eq([dates[i] for i in (q1_id, q2_id, q3_id, q4_id)], ["", "", "", ""], "the kiosk holds no date for them")
kcon = sqlite3.connect(os.path.join(data, "request.db"))
t.eq(kcon.execute("SELECT count(*) FROM conference").fetchone()[0], 0, "nor any conference")
kcon.close()
label = status_deadline(k, q2)
t.ok(label and "chưa có lịch" in label and "/" not in label, "the status screen: no conference scheduled yet", label)
k.must("scan %s/r/%s" % (srv.url, q2))
t.ok(k.widget("status.overdue") is None, "never late")
k.must("tap status.done")
k.close()
for size in ("800x480", "1920x1080"):     # the status screen's words at both ends, in both languages
    k = Kiosk(cfg, size=size)
    for lang in ("vi", "en"):
        if lang == "en":
            k.must("tap home.lang")
        k.must("scan %s/r/%s" % (srv.url, q2))
        w = k.widget("status.deadline")
        t.ok(w and not w.get("clipped") and ("chưa có lịch" if lang == "vi" else "none scheduled yet") in w["label"],
             "the status screen says so unclipped (%s, %s)" % (lang, size), w)
        k.must("shot %s/status-dialogue-cancelled-%s-%s.png" % (SHOTS, lang, size))
        k.must("tap status.done")
    k.close()
k = Kiosk(cfg)
d5, _ = file_request(k, "dialogue", tag="dialogue-none")
w = next((w for w in d5["widgets"] if w["id"] == "receipt.deadline"), None)
own = [day(n) for n in range(30, 35)]
t.ok(w and "hội nghị" not in w["label"] and any(shown(o) in w["label"] for o in own),
     "a question filed now has the kiosk's own date on its slip (30 days)", w)
k.must("tap receipt.done")
t.eq(sync(cfg).returncode, 0, "its sync")
q5_id = srv.requests()[-1][0]
t.ok(kiosk_deadlines(data)[q5_id] in own, "and keeps it", kiosk_deadlines(data)[q5_id])

# ---- the console and the phone page ----
st, _, page = officer.request("/staff/inbox?category=dialogue&view=all")
rows = [r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S) if "/staff/r/" in r]
t.ok(len(rows) >= 4 and sum("Chưa có lịch hội nghị" in r for r in rows) == 4 and not any("overdue" in r for r in rows),
     "the inbox says no conference scheduled yet for the four", len(rows))
st, _, page = officer.request("/staff/r/%s" % q2_id)
m = re.search(r'<dd id="deadline">([^<]*)<', page)
t.eq(m and m.group(1), "Chưa có lịch hội nghị", "and so does the request's page")
st, _, page = officer.request("/staff/conferences/%s" % third)
t.ok("Hoãn đến khi có lịch mới" in page, "the cancelled conference's page keeps its reason")
import urllib.request
phone = urllib.request.urlopen("%s/r/%s" % (srv.url, q2), timeout=30).read().decode()
t.ok("Chưa có lịch hội nghị đối thoại" in phone and "quá hạn" not in phone.lower(),
     "the phone page: no conference scheduled yet, not late")
t.ok("Hoãn đến khi có lịch mới" in phone and "Nguyễn Văn An" not in phone and "0912345678" not in phone,
     "with the reason, and no identity")
up = srv.cli("update", q1_id, "--status", "resolved", "--note", "Đã trả lời bằng văn bản")
t.ok(up.returncode == 0, "a question without a date is answered", up.stderr)
t.eq(scalar("SELECT count(*) FROM request WHERE id = ? AND on_time", (q1_id,)), 1, "and counts on time")

# ---- replayed: the kiosk pulls every event again ----
before = kiosk_deadlines(data)
kcon = sqlite3.connect(os.path.join(data, "request.db"))
n_before = kcon.execute("SELECT count(*) FROM event").fetchone()[0]
kcon.execute("UPDATE meta SET value = '0' WHERE key = 'sync.cursor'")
kcon.commit()
kcon.close()
t.eq(sync(cfg).returncode, 0, "a sync from cursor 0")
after = kiosk_deadlines(data)
t.eq({i: after[i] for i in before if i != q1_id}, {i: before[i] for i in before if i != q1_id},
     "every event again changes no date")
kcon = sqlite3.connect(os.path.join(data, "request.db"))
t.eq(kcon.execute("SELECT count(*) FROM event").fetchone()[0], n_before + 1, "and adds none twice (only the answer)")
kcon.close()

# ---- a conference announced again dates them ----
fourth = day(28)
told = len(events("conference"))
st, _ = save_conference(fourth)
t.eq(events("conference")[told:], sorted([(q2_id, fourth), (q3_id, fourth), (q4_id, fourth), (q5_id, fourth)]),
     "the open questions are told the new conference's day")
t.eq(sync(cfg).returncode, 0, "the next sync")
dates = kiosk_deadlines(data)
t.eq([dates[i] for i in (q2_id, q3_id, q4_id, q5_id)], [fourth] * 4, "the kiosk's dates follow")
label = status_deadline(k, q2)
t.ok(label and shown(fourth) in label, "and its status screen", label)
k.close()
srv.stop()
t.done()
