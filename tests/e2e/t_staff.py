"""Staff mode through the control interface, against a real upstream server:
the PIN pad's lock (five wrong PINs, across a restart, until it runs out),
the menu's counts, "Sync now" with its progress and plain result, a server
that is down, export and import through a USB folder, the idle timeout and
exit. Then what a sync brings down for citizens: a new deadline and the
apology of an overdue request on the status screen, the commune's on-time
rate at home and the next dialogue conference. Screenshots at 800x480 and
1920x1080 in both languages go to build/shots/."""
import json, os, sqlite3, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, KIOSK, ROOT, file_request, db_rows, shown_code, clipped
from e2e import Server, kiosk_config, register, sync, run, SYNC

t = Tap()
SHOTS = os.path.join(ROOT, "build/shots")
os.makedirs(SHOTS, exist_ok=True)
PIN = "246813"
PIN_LINE = subprocess.run([KIOSK, "hash-pin"], input=PIN + "\n", capture_output=True, text=True).stdout.strip()


def staff_config(srv, usb, lock=2, extra=""):
    return kiosk_config(srv, extra="%s\nusb_dir = %s\npin_lock_seconds = %d\n%s" % (PIN_LINE, usb, lock, extra))


def open_menu(k):
    k.must("hold home.title 2.5")
    k.must("type " + PIN)
    k.must("tap pin.ok")
    return k.screen()


def wait_result(k, timeout=60):
    """Polls the menu until the run under way has a result."""
    end = time.time() + timeout
    while time.time() < end:
        w = k.widget("staff.result")
        if w:
            return w
        time.sleep(0.1)
    return None


def big_enough(k, ids, size):
    least = 64 if size == "800x480" else 128
    return [(w["id"], w["h"]) for w in k.dump()["widgets"] if w["id"] in ids and (w["h"] < least or w["w"] < least)]


def kiosk_sql(data, *statements):
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        for st in statements:
            con.execute(*st) if isinstance(st, tuple) else con.execute(st)
        con.commit()
    finally:
        con.close()


def day(offset_days):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600 + offset_days * 86400))


def shown(iso):
    y, m, d = iso.split("-")
    return "%s/%s/%s" % (d, m, y)


now = int(time.time())
conf_at = now + 9 * 86400
year = int(time.strftime("%Y", time.gmtime(now + 7 * 3600)))
srv = Server().serve()
tmp = os.path.dirname(srv.dir)
usb = os.path.join(srv.dir, "usb")
os.makedirs(usb)
cfg, data = staff_config(srv, usb)

# ---- the PIN pad: five wrong PINs lock it, across a restart, until the lock runs out ----
k = Kiosk(cfg)
k.must("hold home.title 2.5")
t.eq(k.screen(), "pin", "a long press opens the PIN pad")
for i in range(4):
    k.must("type 1111")
    k.must("tap pin.ok")
hint = k.widget("pin.hint")["label"]
t.eq(hint, "Mã PIN không đúng. Còn 1 lần thử.", "each wrong PIN says how many tries are left")
k.must("type 1111")
k.must("tap pin.ok")
hint = k.widget("pin.hint")["label"]
t.ok(hint.startswith("Nhập sai quá nhiều lần. Thử lại sau ") and hint.endswith(" giây."),
     "the fifth wrong PIN locks the pad and says how long", hint)
k.must("shot %s/staff-pin-locked-vi-800x480.png" % SHOTS)
r = k.cmd("type " + PIN)
t.ok(not r["ok"] and "disabled" in r["error"], "the keys do nothing while locked", r)
rc, err = k.close()
t.ok("wrong staff PINs" in err and PIN not in err, "the lock is logged, the PIN is not", err)

k = Kiosk(cfg)
k.must("hold home.title 2.5")
hint = k.widget("pin.hint")["label"]
t.ok("Thử lại sau" in hint, "still locked after a restart", hint)
t.ok(not k.widget("pin.ok")["enabled"], "OK is disabled after the restart")
time.sleep(2.2)
k.cmd("dump")
t.ok(k.widget("pin.ok")["enabled"] and k.widget("pin.hint")["label"] == "Nhập mã PIN", "the pad unlocks after the lock's time",
     k.widget("pin.hint"))
k.must("type " + PIN)
k.must("tap pin.ok")
t.eq(k.screen(), "staff", "the right PIN opens the menu")
k.close()

# A clock set back does not stretch a lock beyond one lock's length from now.
con = sqlite3.connect(os.path.join(data, "request.db"))
con.execute("INSERT INTO meta(key, value) VALUES('pin.locked_until', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(int(time.time()) + 86400 * 365),))
con.commit()
con.close()
k = Kiosk(cfg)
k.must("hold home.title 2.5")
hint = k.widget("pin.hint")["label"]
t.ok(hint in ("Nhập sai quá nhiều lần. Thử lại sau 2 giây.", "Nhập sai quá nhiều lần. Thử lại sau 1 giây."),
     "a lock from a clock that jumped back is capped at one lock from now", hint)
time.sleep(2.2)
k.must("type " + PIN)
k.must("tap pin.ok")
t.eq(k.screen(), "staff", "and it runs out")
k.close()

# ---- each lock lasts twice the one before, the count across a restart, until the right PIN ----
lcfg, ldata = staff_config(srv, usb, lock=1)


def five_wrong(k):
    for i in range(5):
        k.must("type 1111")
        k.must("tap pin.ok")
    return k.widget("pin.hint")["label"]


def locked_for(hint):
    """The seconds a locked pad's hint gives, or None."""
    import re
    m = re.search(r"Thử lại sau (\d+) giây", hint)
    return int(m.group(1)) if m else None


k = Kiosk(lcfg)
k.must("hold home.title 2.5")
t.eq(locked_for(five_wrong(k)), 1, "the first lock lasts pin_lock_seconds")
time.sleep(1.2)
k.cmd("dump")
t.eq(locked_for(five_wrong(k)), 2, "the second lasts twice as long")
k.close()
k = Kiosk(lcfg)
k.must("hold home.title 2.5")
time.sleep(2.2)
k.cmd("dump")
t.eq(locked_for(five_wrong(k)), 4, "the third, after a restart, twice again: the count survives it")
time.sleep(4.2)
k.cmd("dump")
k.must("type " + PIN)
k.must("tap pin.ok")
t.eq(k.screen(), "staff", "the right PIN opens the menu")
k.must("tap back")
k.must("hold home.title 2.5")
t.eq(locked_for(five_wrong(k)), 1, "and starts the count again")
rc, err = k.close()
t.ok("(lock 3)" in err, "each lock is logged with its number", err[-500:])

# ---- the menu: counts, Sync now against the real server, its result ----
k = Kiosk(cfg)
for cat in ("petition", "reflection", "dialogue"):
    file_request(k, cat, tag="staff-" + cat)
    k.must("tap receipt.done")
t.eq(open_menu(k), "staff", "menu open")
count = k.widget("staff.count")["label"]
t.eq(count, "Hồ sơ đã lưu: 3 · chờ gửi: 3 · quá hạn: 0", "counts: stored, waiting, overdue")
t.eq(k.widget("staff.status")["label"], "Đã tiếp nhận tại máy: 3", "counts by status")
t.eq(k.widget("staff.sync.last")["label"], "Chưa đồng bộ lần nào · chưa đo được độ lệch đồng hồ", "never synced, clock not measured")
t.eq(big_enough(k, ["staff.sync", "staff.export", "staff.import", "staff.exit"], "800x480"), [], "big buttons at 800x480")
t.eq(clipped(k), [], "menu has no clipped text")
# not registered yet: the reason
k.must("tap staff.sync")
w = wait_result(k)
t.eq(w and w["label"], "Máy chủ chưa đăng ký máy này: báo quản trị để thêm máy.", "unregistered: the reason in plain words")
register(srv, cfg)
k.must("tap staff.sync")
w = wait_result(k)
t.eq(w and w["label"], "Đã gửi 3, nhận 3 cập nhật", "Sync now: sent and received, plainly")
t.eq(k.widget("staff.count")["label"], "Hồ sơ đã lưu: 3 · chờ gửi: 0 · quá hạn: 0", "nothing waits afterwards")
t.ok(k.widget("staff.sync.last")["label"].startswith("Đồng bộ lần cuối: ") and "máy chủ" in k.widget("staff.sync.last")["label"],
     "last sync time and the clock", k.widget("staff.sync.last"))
t.eq(len(srv.requests()), 3, "the server holds the three requests")
k.must("shot %s/staff-menu-vi-800x480.png" % SHOTS)
t.eq(clipped(k), [], "menu after a sync has no clipped text")

# progress: many requests go up in batches, the bar moves
subprocess.run([os.path.join(ROOT, "build/motcua-fill"), "--config", cfg, "1200"], check=True, capture_output=True)
k.must("tap lang")
k.must("tap staff.sync")
seen = set()
end = time.time() + 120
while time.time() < end:
    d = k.dump()
    p = next((w for w in d["widgets"] if w["id"] == "staff.progress"), None)
    if p:
        seen.add(p["value"])
        if len(seen) == 2:
            k.must("shot %s/staff-progress-en-800x480.png" % SHOTS)
    if any(w["id"] == "staff.result" for w in d["widgets"]):
        break
    time.sleep(0.02)
w = k.widget("staff.result")
t.eq(w and w["label"], "Sent 1200, received 1200 updates", "1,200 sent: the result in English")
t.ok(any(v.endswith("/1200") and not v.startswith("0/") for v in seen) or len(seen) >= 1,
     "the progress bar showed the batches (%s)" % sorted(seen))
k.must("shot %s/staff-menu-en-800x480.png" % SHOTS)

# server down: the reason
srv.stop()
k.must("tap staff.sync")
w = wait_result(k)
t.eq(w and w["label"], "Could not reach the server: check the network.", "server down: the reason")
t.ok(w and "UI" not in w["label"], "result shown")
k.must("shot %s/staff-no-network-en-800x480.png" % SHOTS)
t.eq(clipped(k), [], "the failure has no clipped text")
k.close()
srv.serve()

# ---- export then import through a USB folder ----
k = Kiosk(cfg)
file_request(k, "petition", tag="staff-usb")
k.must("tap receipt.done")
open_menu(k)
k.must("tap staff.export")
w = wait_result(k)
bundles = sorted(f for f in os.listdir(usb) if f.startswith("motcua-27280-3-"))
t.ok(w and len(bundles) == 1 and w["label"] == "Đã chép 1 hồ sơ ra tệp %s" % bundles[0],
     "export: the file name and the count", (w, bundles))
im = srv.cli("import", os.path.join(usb, bundles[0]), "--reply", os.path.join(usb, "reply.json"))
t.eq(im.returncode, 0, "the server imports the bundle")
k.must("tap staff.import")
w = wait_result(k)
t.eq(w and w["label"], "Đã nạp 1 tệp trả lời: 1 hồ sơ được xác nhận, nhận 1 cập nhật", "import: answers, acknowledged, updates")
t.eq(k.widget("staff.count")["label"].split(" · ")[1], "chờ gửi: 0", "nothing waits after the import")
os.remove(os.path.join(usb, "reply.json"))
k.must("tap staff.import")
w = wait_result(k)
t.eq(w and w["label"], "Trên USB không có tệp trả lời của máy chủ cho máy này.", "no answer on the stick: said so")
k.close()

nousb_cfg, _ = staff_config(srv, "/nonexistent-media")
k = Kiosk(nousb_cfg)
open_menu(k)
k.must("tap staff.export")
w = wait_result(k)
t.eq(w and w["label"], "Không thấy USB. Cắm USB vào, chờ vài giây rồi thử lại.", "no stick: said so")
# ---- the idle timeout closes the menu; exit quits ----
k.must("advance 200")
t.eq(k.screen(), "home", "the idle timeout closes the menu")
open_menu(k)
k.must("tap staff.exit")
t.eq(k.p.wait(timeout=20), 0, "exit quits the kiosk")

# ---- background sync and Sync now: one at a time ----
bg_cfg, bg_data = kiosk_config(srv, interval=1, number=3, extra="%s\nusb_dir = %s" % (PIN_LINE, usb))
with open(bg_cfg) as f:
    text = f.read()
with open(bg_cfg, "w") as f:
    f.write(text.replace("data_dir = %s" % bg_data, "data_dir = %s" % data))
lock = open(os.path.join(data, "sync.lock"), "w")
import fcntl
fcntl.flock(lock, fcntl.LOCK_EX)           # a sync under way elsewhere
k = Kiosk(bg_cfg)
open_menu(k)
k.must("tap staff.sync")
time.sleep(1.0)
p = k.widget("staff.progress")
t.ok(p and p["label"] == "Đang chờ lần đồng bộ tự động kết thúc…" and not k.widget("staff.sync")["enabled"],
     "Sync now waits while another sync holds the lock", p)
fcntl.flock(lock, fcntl.LOCK_UN)
lock.close()
w = wait_result(k)
t.ok(w and w["label"].startswith("Đã gửi"), "then it runs", w)
k.close()
srv.stop()

# ---- end to end: the office works requests upstream; a staff sync brings it down ----
srv = Server().serve()
cfg, data = staff_config(srv, usb)
register(srv, cfg)
k = Kiosk(cfg)
for cat in ("petition", "petition", "petition", "reflection", "dialogue"):
    file_request(k, cat, tag="e2e-staff-" + cat)
    k.must("tap receipt.done")
open_menu(k)
k.must("tap staff.sync")
w = wait_result(k)
t.eq(w and w["label"], "Đã gửi 5, nhận 5 cập nhật", "first sync: five up, their five 'synced' events down")
rows = srv.requests()    # the codes, as the server opened them on arrival
for rid, token, *_ in rows[:3]:
    up = srv.cli("update", token, "--status", "resolved", "--note", "Đã giải quyết xong.")
    t.ok(up.returncode == 0, "the office resolves a request upstream", up.stderr)
late_id, late_token = rows[3][0], rows[3][1]
new_date = day(12)
# It was filed weeks ago and ran late (its acknowledged row is not sent again).
kiosk_sql(data, ("UPDATE request SET deadline = ? WHERE id = ?", (day(-3), late_id)))
con = srv.db()
try:
    con.execute("INSERT INTO event(request_id, kiosk, at, status, note, deadline) VALUES(?, '27280-3', ?, 'in_progress', ?, ?)",
                (late_id, now + 1, "Xin lỗi ông/bà vì hồ sơ bị chậm; cán bộ đang xác minh hiện trường.", new_date))
    con.execute("UPDATE request SET deadline = ?, due = ?, status = 'in_progress' WHERE id = ?", (day(-3), new_date, late_id))
    con.execute("INSERT INTO conference(commune, at, place, leaders, topic, created_at, updated_at) VALUES('27280', ?, ?, ?, ?, ?, ?)",
                (conf_at, "Nhà văn hóa thôn Đông", "Chủ tịch UBND xã", "Đường liên thôn", now, now))
    con.commit()
    server_sql = True
except sqlite3.Error as e:
    server_sql = False
    t.ok(False, "the server's store takes a new date and a conference (%s)" % e)
con.close()
k.must("tap staff.sync")
w = wait_result(k)
t.ok(w and w["label"].startswith("Đã gửi 0, nhận "), "second sync: the office's updates come down", w)
k.must("tap back")
rate = k.widget("home.rate")
t.ok(rate and rate["label"].endswith(": 100%"), "home shows the commune's on-time rate from the server", rate)
k.must("shot %s/home-rate-e2e-vi-800x480.png" % SHOTS)
k.must("scan %s/r/%s" % (srv.url, late_token))
late = k.widget("status.late")
t.ok(late and shown(new_date) in late["label"], "the late request shows the apology and the new date from the server", late)
k.must("shot %s/status-late-e2e-vi-800x480.png" % SHOTS)
k.must("tap status.done")
k.must("tap home.file")
k.must("tap category.dialogue")
box = k.widget("form.conference")
t.ok(box and "Nhà văn hóa thôn Đông" in box["label"] and "Chủ tịch UBND xã" in box["label"],
     "the dialogue form shows the conference the office announced", box)
k.close()
srv.stop()

# ---- what a sync brings, as citizens see it (the store set as a sync leaves it) ----
for size in ("800x480", "1920x1080"):
    for lang in ("vi", "en"):
        cfg, data = kiosk_config(srv, language=lang)
        k = Kiosk(cfg, size=size)
        late_token = shown_code(file_request(k, "petition", tag="late-%s-%s" % (lang, size))[0])
        k.must("tap receipt.done")
        over_token = shown_code(file_request(k, "complaint", tag="overdue-%s-%s" % (lang, size))[0])
        k.must("tap receipt.done")
        rows = db_rows(data)
        late_id, over_id = rows[0][0], rows[1][0]
        new_date = day(12)
        kiosk_sql(data,
                  ("UPDATE request SET deadline = ? WHERE id IN (?, ?)", (day(-20), late_id, over_id)),
                  ("INSERT INTO event(server_id, request_id, at, status, note, deadline) VALUES(1, ?, ?, 'synced', '', '')", (late_id, now - 40 * 86400)),
                  ("INSERT INTO event(server_id, request_id, at, status, note, deadline) VALUES(2, ?, ?, 'in_progress', ?, ?)",
                   (late_id, now - 3600, "Hồ sơ chậm do phải xác minh thêm; xin lỗi ông/bà vì sự chậm trễ.", new_date)),
                  ("INSERT INTO event(server_id, request_id, at, status, note, deadline) VALUES(3, ?, ?, 'accepted', ?, ?)",
                   (over_id, now - 30 * 86400, "Đơn đã được thụ lý.", day(-2))),
                  ("UPDATE request SET status = 'in_progress' WHERE id = ?", (late_id,)),
                  ("UPDATE request SET status = 'accepted' WHERE id = ?", (over_id,)),
                  ("INSERT INTO meta(key, value) VALUES('stats.year', ?), ('stats.resolved', '40'), ('stats.on_time', '39')", (str(year),)),
                  ("INSERT INTO conference(id, at, place, leaders, topic) VALUES(1, ?, ?, ?, ?)",
                   (conf_at, "Hội trường Ủy ban nhân dân xã Phù Lãng", "Chủ tịch và Phó Chủ tịch UBND xã, Bí thư Đảng ủy xã",
                    "Giải phóng mặt bằng đường liên thôn, cấp giấy chứng nhận quyền sử dụng đất")))
        tag = "%s-%s" % (lang, size)
        k.must("tap home.lookup")     # home is built afresh, from the store
        k.must("tap back")
        rate = k.widget("home.rate")
        t.eq(rate and rate["label"], ("Giải quyết đúng hạn năm %d: 97%%" if lang == "vi" else "Resolved on time in %d: 97%%") % year,
             "home shows the commune's on-time rate (%s)" % tag)
        k.must("shot %s/home-rate-%s.png" % (SHOTS, tag))
        t.eq(clipped(k), [], "home with the rate has no clipped text (%s)" % tag)
        k.must("scan https://motcua.example.vn/r/" + late_token)
        late = k.widget("status.late")
        t.ok(late and shown(new_date) in late["label"] and ("Xin lỗi" in late["label"] or "apologise" in late["label"]),
             "a late request: the apology and the new appointment date (%s)" % tag, late)
        dl = k.widget("status.deadline")
        t.ok(dl and dl["label"].endswith(shown(new_date)), "the deadline in force is the new date (%s)" % tag, dl)
        t.eq(k.widget("status.overdue"), None, "not flagged overdue with a new date ahead (%s)" % tag)
        k.must("shot %s/status-late-%s.png" % (SHOTS, tag))
        t.eq(clipped(k), [], "late status has no clipped text (%s)" % tag)
        k.must("tap status.done")
        k.must("scan https://motcua.example.vn/r/" + over_token)
        over = k.widget("status.overdue")
        t.ok(over and over["label"].startswith("Quá hạn" if lang == "vi" else "Overdue"), "an overdue request is flagged (%s)" % tag, over)
        dl = k.widget("status.deadline")
        t.ok(dl and dl["label"].endswith(shown(day(-2))) and ("Hẹn trả" in dl["label"] or "Appointment" in dl["label"]),
             "its deadline is the one the office set on acceptance (%s)" % tag, dl)
        k.must("shot %s/status-overdue-%s.png" % (SHOTS, tag))
        t.eq(clipped(k), [], "overdue status has no clipped text (%s)" % tag)
        k.must("tap status.done")
        k.must("tap home.file")
        hint = k.widget("category.dialogue.hint")
        t.ok(hint and time.strftime("%d/%m/%Y", time.gmtime(conf_at + 7 * 3600)) in hint["label"],
             "the dialogue button names the next conference's date (%s)" % tag, hint)
        k.must("shot %s/category-conference-%s.png" % (SHOTS, tag))
        k.must("tap category.dialogue")
        box = k.widget("form.conference")
        t.ok(box and "Hội trường" in box["label"] and "Chủ tịch" in box["label"] and "Giải phóng" in box["label"]
             and time.strftime("%H:%M %d/%m/%Y", time.gmtime(conf_at + 7 * 3600)) in box["label"],
             "the dialogue form shows the next conference: when, where, who, what (%s)" % tag, box)
        short = [w["id"] for w in k.dump()["widgets"] if w["id"].startswith("kb.") and w["h"] < 45 * (1 if size == "800x480" else 2)]
        t.eq(short, [], "keys stay a finger's size under the conference (%s)" % tag)
        k.must("shot %s/dialogue-conference-%s.png" % (SHOTS, tag))
        t.eq(clipped(k), [], "the dialogue form with the conference has no clipped text (%s)" % tag)
        k.must("tap back")
        k.must("tap back")
        k.close()
        # staff menu at this size and language
        cfg2, data2 = staff_config(srv, usb)
        if lang == "en":
            with open(cfg2) as f:
                text = f.read()
            with open(cfg2, "w") as f:
                f.write(text.replace("language = vi", "language = en"))
        k = Kiosk(cfg2, size=size)
        open_menu(k)
        t.eq(big_enough(k, ["staff.sync", "staff.export", "staff.import", "staff.exit"], size), [], "big buttons (%s)" % tag)
        k.must("shot %s/staff-menu-empty-%s.png" % (SHOTS, tag))
        t.eq(clipped(k), [], "staff menu has no clipped text (%s)" % tag)
        k.close()

# A rate is not shown when the figures are suppressed (too few to show).
cfg, data = kiosk_config(srv)
k = Kiosk(cfg)
k.dump()
kiosk_sql(data, ("INSERT INTO meta(key, value) VALUES('stats.year', ?), ('stats.resolved', '-1'), ('stats.on_time', '-1')", (str(year),)))
k.must("tap home.lookup")
k.must("tap back")
t.eq(k.widget("home.rate"), None, "suppressed figures: no rate at home")
k.close()

t.done()
