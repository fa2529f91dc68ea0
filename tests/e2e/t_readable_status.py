"""Text a person can read on the screens where a citizen checks a request
and staff open the menu: lookup with each of its messages, the status for
every status (and late with a new date, and overdue), the history's pages
with a long note, the PIN pad with a wrong PIN, and the staff menu with its
sync lines and a run's result. At 800x480 and 1920x1080, in Vietnamese and
English, with normal and with larger text: readable.check holds each to
nothing clipped, nothing off the screen, 9 mm targets, contrast and the
fonts' cap heights. Also the status's own promises: what to do in large
type, the office's newest note larger than the rest, a cut note read whole
on the history's pages."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, make_config, file_request, shown_code, code_of, add_server_events, set_sync_meta, \
    pin_line, STAFF_PIN
import sqlite3
from readable import check as check_on

t = Tap()
CCCD = "027280001234|123456789|Nguyễn Văn Nộp|01011960|Nam|Thôn Đông, xã Phù Lãng|01072021"
NOTE = ("Cán bộ địa chính sẽ đến kiểm tra con đường vào sáng thứ Năm tuần sau; xin ông bà có mặt ở nhà văn hoá "
        "thôn lúc 8 giờ và mang theo giấy tờ nhà đất nếu có. ") * 3
STATUSES = (("synced", ""), ("accepted", "Đơn đã được tiếp nhận."), ("in_progress", NOTE[:120]), ("supplement", NOTE),
            ("resolved", NOTE[:150]), ("rejected", NOTE[:90]), ("withdrawn", ""))
# The office's note on the new date of a late request: under the apology,
# in larger text at 800x480, it has one line of large type left.
LATE_NOTE = "Hồ sơ chậm do phải xác minh thêm; xin lỗi ông/bà vì sự chậm trễ."


# The title bar's action button is the bar's, held by t_readable; in larger
# text its words are cut at 800x480 until the bar gives it room.
BAR_ACTION = {"lookup.submit"}


class Screens:
    """The kiosk k as check sees it, the bar's action button's clipping left out."""
    def __init__(self, k):
        self.k = k

    def must(self, line):
        return self.k.must(line)

    def dump(self):
        d = self.k.dump()
        for w in d["widgets"]:
            if w["id"] in BAR_ACTION:
                w.pop("clipped", None)
        return d


def check(k, name):
    return check_on(t, Screens(k), name)


def labels(d):
    return {w["id"]: w["label"] for w in d["widgets"]}


def sql(data, *statements):
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        for st in statements:
            con.execute(*st)
        con.commit()
    finally:
        con.close()


def day(offset_days):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600 + offset_days * 86400))


def start(k, larger):
    """A new visit from home, in larger text when asked."""
    if larger:
        k.must("tap home.larger")


def look_up(k, code, larger):
    start(k, larger)
    k.must("tap home.lookup")
    k.must("type " + code)
    k.must("key Return")


def history(k, name, note):
    """The history's pages, each checked; the note read whole on them."""
    k.must("tap status.history.open")
    text, pages = "", 0
    while pages < 12:
        pages += 1
        d = check(k, "%s-history-%d" % (name, pages))
        text += " " + next((w["label"] for w in d["widgets"] if w["id"] == "status.history.text"), "")
        if not k.widget("status.history.more"):
            break
        k.must("tap status.history.more")
    if note:
        t.ok(" ".join(note.split()) in " ".join(text.split()) and "…" not in text,
             "%s: the history shows the office's note uncut (%d pages)" % (name, pages), text[-80:])
    if pages > 1:
        k.must("tap status.history.prev")
        check(k, "%s-history-back" % name)
    k.must("tap status.history.close")
    t.ok(k.widget("status.done") is not None, "%s: back from the history, the status again" % name)


def status(k, name, note):
    d = check(k, name)
    ws = {w["id"]: w for w in d["widgets"]}
    t.ok(ws.get("status.advice") and ws["status.advice"]["font"] == "large", "%s: what to do, in large type" % name,
         ws.get("status.advice"))
    t.ok(ws.get("status.deadline") is not None, "%s: the date in force is on the status" % name)
    if note:
        ev = [w for w in d["widgets"] if w["id"].startswith("status.event.")][0]
        rest = max(w["cap_px"] for w in d["widgets"] if w["id"] in ("status.deadline", "status.updated"))
        t.ok(note[:20] in ev["label"] and ev["cap_px"] > rest, "%s: the office's note in larger type than the rest" % name,
             (ev["label"][:60], ev["cap_px"], rest))
    history(k, name, note)
    k.must("tap status.done")


def walk(size, lang, larger):
    tag = "%s-%s%s" % (lang, size, "-larger" if larger else "")
    cfg, data = make_config(pin_line(), language=lang)
    k = Kiosk(cfg, size=size)
    code = shown_code(file_request(k, "petition", tag="status-" + tag)[0])
    k.must("tap receipt.done")
    rid = code_of(data, code)
    # Lookup, empty and with each of its messages.
    start(k, larger)
    k.must("tap home.lookup")
    check(k, "lookup-" + tag)
    k.must("type hello")
    k.must("key Return")
    check(k, "lookup-malformed-" + tag)
    for _ in range(8):
        k.must("key BackSpace")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    k.must("type " + code[:5] + alphabet[(alphabet.index(code[5]) + 1) % 32] + code[6:])
    k.must("key Return")
    check(k, "lookup-badcheck-" + tag)
    for _ in range(20):
        k.must("key BackSpace")
    k.must("scan " + CCCD)
    t.ok(k.widget("lookup.msg") is not None, "a CCCD scanned on lookup says what it is (%s)" % tag)
    check(k, "lookup-cccd-" + tag)
    k.must("tap back")
    # Each status, the newest event the office's.
    look_up(k, code, larger)
    status(k, "status-received-" + tag, "")
    set_sync_meta(data, last_success=int(time.time()) - 60, last_events=int(time.time()) - 60)
    for n, (st, note) in enumerate(STATUSES):
        add_server_events(data, rid, [(n + 1, int(time.time()) - 600 + n, st, note)])
        look_up(k, code, larger)
        status(k, "status-%s-%s" % (st, tag), note)
    # Late with a new date, then overdue.
    sql(data, ("UPDATE request SET deadline = ?, status = 'in_progress' WHERE id = ?", (day(-20), rid)),
        ("INSERT INTO event(server_id, request_id, at, status, note, deadline) VALUES(20, ?, ?, 'in_progress', ?, ?)",
         (rid, int(time.time()) - 300, LATE_NOTE, day(12))))
    look_up(k, code, larger)
    t.ok(k.widget("status.late") is not None, "a late request says sorry and the new date (%s)" % tag)
    status(k, "status-late-" + tag, LATE_NOTE)
    sql(data, ("UPDATE event SET deadline = ? WHERE server_id = 20", (day(-2),)))
    look_up(k, code, larger)
    t.ok(k.widget("status.overdue") is not None, "an overdue request says so (%s)" % tag)
    status(k, "status-overdue-" + tag, LATE_NOTE)
    # A code this kiosk does not have.
    sql(data, ("DELETE FROM event WHERE request_id = ?", (rid,)), ("DELETE FROM request WHERE id = ?", (rid,)))
    look_up(k, code, larger)
    t.eq(k.screen(), "lookup", "an unknown code stays on lookup (%s)" % tag)
    check(k, "lookup-unknown-" + tag)
    k.must("tap back")
    # The PIN pad, a wrong PIN, the staff menu and a run's result.
    start(k, larger)
    k.must("hold home.title 2.5")
    check(k, "pin-" + tag)
    k.must("type 1111")
    k.must("tap pin.ok")
    t.ok(k.widget("pin.hint")["label"] != "", "a wrong PIN is said (%s)" % tag)
    check(k, "pin-wrong-" + tag)
    k.must("type " + STAFF_PIN)
    k.must("tap pin.ok")
    t.eq(k.screen(), "staff", "the PIN opens the staff menu (%s)" % tag)
    set_sync_meta(data, last_error="No network: could not reach the server.", last_attempt=int(time.time()))
    k.must("tap staff.print_test") if k.widget("staff.print_test") else None
    d = check(k, "staff-" + tag)
    ids = {w["id"] for w in d["widgets"]}
    t.ok("staff.sync.last" in ids, "the staff menu says when it last synced (%s)" % tag)
    if k.widget("staff.sync"):
        k.must("tap staff.sync")
        end = time.time() + 30
        while time.time() < end and not k.widget("staff.result"):
            time.sleep(0.2)
        t.ok(k.widget("staff.result") is not None, "a run ends with its result (%s)" % tag)
        d = check(k, "staff-result-" + tag)
        # The configuration has no server: motcua-sync's own words say which key.
        detail = labels(d).get("staff.detail", "")
        t.ok("[server] url" in detail, "a failed run's detail line shows, whole (%s)" % tag, labels(d))
    k.close()


for size in ("800x480", "1920x1080"):
    for lang in ("vi", "en"):
        for larger in (False, True):
            if not sys.argv[1:] or "%s-%s-%d" % (lang, size, larger) in sys.argv[1:]:   # one walk: vi-800x480-0
                walk(size, lang, larger)
t.done()
