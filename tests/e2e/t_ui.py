"""UI tests through the control interface: every category filed in both
languages at 800x480 and 1920x1080, the receipt QR decoded from the
screenshot, validation, Back, lookup, idle reset, the staff PIN, the
cannot-accept screen, configuration errors and sealing; the sync line at
home and the timeline pulled from the server on the status screen."""
import os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import (Tap, Kiosk, make_config, zbar, db_rows, code_of, shown_code, SHOTS, KIOSK, local_time, set_sync_meta, add_server_events,
                    file_request, fill_form, clipped, TYPED, pin_line, staff_sync, STAFF_PIN)
import time

t = Tap()

# ---- every category, both languages, both sizes ----
for size in ("800x480", "1920x1080"):
    for lang in ("vi", "en"):
        cfg, data = make_config(pin_line(), language=lang)
        k = Kiosk(cfg, size=size)
        k.must("shot %s/home-%s-%s.png" % (SHOTS, lang, size))
        t.eq(clipped(k), [], "home has no clipped text (%s %s)" % (lang, size))
        k.must("tap home.file")
        k.must("shot %s/category-%s-%s.png" % (SHOTS, lang, size))
        t.eq(clipped(k), [], "category screen has no clipped text (%s %s)" % (lang, size))
        k.must("tap back")
        filed = []
        for cat in ("procedure", "petition", "reflection", "complaint", "denunciation", "dialogue"):
            tag = "%s-%s-%s" % (cat, lang, size)
            proc = "birth_registration" if cat == "procedure" else None
            try:
                d, shot = file_request(k, cat, proc, tag)
            except RuntimeError as e:
                t.ok(False, "files a %s (%s %s)" % (cat, lang, size), e)
                k.must("tap back") if k.screen() != "home" else None
                continue
            code = next((w for w in d["widgets"] if w["id"] == "receipt.code"), None)
            qr = next((w for w in d["widgets"] if w["id"] == "receipt.qr"), None)
            t.eq(d["screen"], "receipt", "files a %s and shows a receipt (%s %s)" % (cat, lang, size))
            t.eq([w for w in d["widgets"] if w.get("clipped")], [], "receipt of a %s has no clipped text (%s %s)" % (cat, lang, size))
            rows = db_rows(data)
            token = shown_code(d)
            t.eq(code_of(data, token) if token else None, rows[-1][0],
                 "receipt code is the one the newest request's hash holds (%s)" % tag)
            t.eq(zbar(shot), "https://motcua.example.vn/r/" + token, "QR in the screenshot decodes to the lookup URL (%s)" % tag)
            t.ok(qr and qr["w"] >= (150 if size == "800x480" else 300), "QR is big enough to scan (%s)" % tag, qr)
            t.eq((rows[-1][2], rows[-1][3], rows[-1][4]), (cat, proc or "", "received"), "stored category and status (%s)" % tag)
            filed.append(token)
            k.must("tap receipt.done")
        t.eq(len(set(filed)), 6, "six distinct tokens (%s %s)" % (lang, size))
        # The other screens at this size and language: form, lookup, status.
        k.must("tap home.file")
        k.must("tap category.denunciation")
        fill_form(k)
        k.must("tap form.field.full_name")
        t.ok(k.widget("form.notice") is not None, "the secrecy notice stands over the identity fields (%s %s)" % (lang, size))
        short = [w["id"] for w in k.dump()["widgets"] if w["id"].startswith("kb.") and w["h"] < 45 * (1 if size == "800x480" else 2)]
        t.eq(short, [], "keys stay a finger's size under the notice (%s %s)" % (lang, size))
        k.must("shot %s/form-%s-%s.png" % (SHOTS, lang, size))
        t.eq(clipped(k), [], "form has no clipped text (%s %s)" % (lang, size))
        k.must("tap back")
        k.must("tap back")
        k.must("tap home.lookup")
        k.must("type " + filed[0][:5])
        k.must("shot %s/lookup-%s-%s.png" % (SHOTS, lang, size))
        t.eq(clipped(k), [], "lookup has no clipped text (%s %s)" % (lang, size))
        k.must("tap back")
        k.must("scan https://motcua.example.vn/r/" + filed[-1])
        k.must("shot %s/status-%s-%s.png" % (SHOTS, lang, size))
        t.eq(k.screen(), "status", "scanned receipt shows its status (%s %s)" % (lang, size))
        t.eq(clipped(k), [], "status has no clipped text (%s %s)" % (lang, size))
        k.must("tap status.done")
        # Sync, as staff see it (home speaks to citizens only), then the timeline.
        t.eq(k.widget("home.sync"), None, "home says nothing about sync (%s %s)" % (lang, size))
        sync, bad = staff_sync(k)
        t.eq(bad, [], "the staff menu has no clipped text (%s %s)" % (lang, size))
        never = "Chưa đồng bộ lần nào · 6 hồ sơ chờ gửi" if lang == "vi" else "Not synced yet · 6 waiting to be sent"
        t.eq(sync and sync["label"], never, "the staff menu says it never synced and what waits (%s %s)" % (lang, size))
        rid = code_of(data, filed[-1])
        synced_at, accepted_at = int(time.time()) - 7200, int(time.time()) - 3600
        long_note = "Hồ sơ đã được thụ lý. " + "Cán bộ địa chính sẽ liên hệ để hẹn ngày kiểm tra hiện trạng. " * 30
        add_server_events(data, rid, [(1, synced_at, "synced", ""), (2, accepted_at, "accepted", long_note.strip())])
        set_sync_meta(data, acked=4, cursor=2, last_success=accepted_at + 60, last_events=accepted_at + 60,
                      last_attempt=int(time.time()), last_error="No network: could not reach the server.")
        k.must("scan https://motcua.example.vn/r/" + filed[-1])
        k.must("shot %s/status-synced-%s-%s.png" % (SHOTS, lang, size))
        d = k.dump()
        ids = [w["id"] for w in d["widgets"] if w["id"].startswith("status.event.")]
        t.eq(ids, ["status.event.2", "status.event.1", "status.event.0"], "timeline newest first, all three events (%s %s)" % (lang, size))
        ev = k.widget("status.event.2")
        t.ok(ev and ev["label"].startswith(local_time(accepted_at)) and "Hồ sơ đã được thụ lý." in ev["label"]
             and ev["label"].endswith("…") and len(ev["label"]) < len(long_note),
             "the newest event shows its time, status and as much of the note as fits, then … (%s %s)" % (lang, size), ev)
        upd = k.widget("status.updated")
        want = ("Cập nhật từ cấp tỉnh lúc " if lang == "vi" else "Updated from the provincial office at ") + local_time(accepted_at + 60)
        t.eq(upd and upd["label"], want, "status says when it was updated from upstream (%s %s)" % (lang, size))
        t.ok("nhận xử lý" in k.widget("status.state")["label"] or "Accepted" in k.widget("status.state")["label"],
             "the status is the latest event's (%s %s)" % (lang, size), k.widget("status.state"))
        t.eq(clipped(k), [], "status with a long note has no clipped text (%s %s)" % (lang, size))
        k.must("tap status.done")
        sync, bad = staff_sync(k, "%s/staff-sync-failed-%s-%s.png" % (SHOTS, lang, size))
        want = ("Đồng bộ lần cuối: %s · lần gần nhất không kết nối được với cấp tỉnh · 2 hồ sơ chờ gửi" if lang == "vi"
                else "Last synced %s · the last try could not reach the provincial office · 2 waiting to be sent") % local_time(accepted_at + 60)
        t.eq(sync and sync["label"], want, "the staff menu says when it last synced and that the last try failed (%s %s)" % (lang, size))
        t.eq(bad, [], "the staff menu with the sync line has no clipped text (%s %s)" % (lang, size))
        rc, err = k.close()
        t.eq(rc, 0, "kiosk exits cleanly (%s %s)" % (lang, size))
        # Nothing typed is readable on disk: the name, phone and subject are sealed.
        blob = b""
        for f in os.listdir(data):
            blob += open(os.path.join(data, f), "rb").read()
        t.ok(b"Nguy" not in blob and "Nguyễn".encode() not in blob and b"0912345678" not in blob
             and "Đường".encode() not in blob, "no identity or content in the clear on disk (%s %s)" % (lang, size))
        t.ok("Nguy" not in err and "0912345678" not in err, "no personal data in the log (%s %s)" % (lang, size))

# ---- the form: typing, validation, Back keeps what was typed ----
cfg, data = make_config()
k = Kiosk(cfg)
k.must("tap home.file")
k.must("tap category.complaint")
k.must("tap form.field.full_name")
k.must("type Traanf Thij Bichs")
t.eq(k.widget("form.input")["value"], "Trần Thị Bích", "Telex through the on-screen keyboard")
k.must("tap form.field.phone")
t.ok(k.widget("kb.5") is not None and k.widget("kb.q") is None, "phone gets the numeric pad")
k.must("type 12345")
k.must("tap form.next")
d = k.dump()
t.eq(d["screen"], "form", "invalid form stays on the form")
t.eq(k.widget("form.field.full_name")["value"], "Trần Thị Bích", "typed name kept after a failed next")
t.ok(k.widget("form.error") is not None, "an inline error is shown")
k.must("shot %s/form-errors-vi.png" % SHOTS)
k.must("tap form.field.phone")
t.eq(k.widget("form.error")["label"], "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0.", "phone message in Vietnamese")
k.must("tap lang")
t.eq(k.widget("form.error")["label"], "A phone number has 10 digits and starts with 0.", "phone message in English after switching")
k.must("tap form.field.citizen_id")
k.must("type 12345678901")
k.must("tap form.next")
k.must("tap form.field.citizen_id")
t.eq(k.widget("form.error")["label"], "A citizen ID has exactly 12 digits.", "citizen id message")
k.must("tap back")
t.eq(k.screen(), "category", "Back from the form goes to the categories")
k.must("tap category.complaint")
t.eq(k.widget("form.field.full_name")["value"], "Trần Thị Bích", "Back and forth keeps the name")
t.eq(k.widget("form.field.phone")["value"], "12345", "Back and forth keeps the phone")
k.must("tap form.field.subject")
k.must("key Return")
t.eq(k.dump()["widgets"][0]["id"] != "", True, "Return moves on")
k.must("tap form.field.subject")
k.must("typed Khieeus naij quyeets ddinhj")
t.eq(k.widget("form.field.subject")["value"], "Khiếu nại quyết định", "a physical keyboard types through Telex too")
k.must("tap form.field.details")
k.must("type " + "b" * 50)
k.must("key BackSpace")
t.eq(len(k.widget("form.input")["value"]), 49, "BackSpace deletes one character")
t.eq(clipped(k), [], "form has no clipped text")
rc, err = k.close()

# ---- a denunciation says the identity is required and secret ----
cfg, data = make_config()
k = Kiosk(cfg)
k.must("tap home.file")
k.must("tap category.denunciation")
n = k.widget("form.notice")
t.ok(n and "bí mật" in n["label"], "denunciation form says the identity is kept secret", n)
k.must("tap form.next")
t.eq(k.screen(), "form", "denunciation without identity is refused")
k.must("shot %s/denunciation-form.png" % SHOTS)
k.close()

# ---- lookup: scan the URL, typed code, typo, unknown ----
cfg, data = make_config()
k = Kiosk(cfg)
d, shot = file_request(k, "petition", tag="lookup")
token = shown_code(d)
k.must("tap receipt.done")
k.must("scan https://motcua.example.vn/r/" + token)
t.eq(k.screen(), "status", "a scanned receipt URL at home opens the status")
t.ok("tiếp nhận" in k.widget("status.state")["label"], "status shows received", k.widget("status.state"))
k.must("shot %s/status-vi.png" % SHOTS)
k.must("tap status.done")
k.must("tap home.lookup")
k.must("type " + token[:4] + "-" + token[4:8] + "-" + token[8:].lower())
k.must("tap lookup.submit")
t.eq(k.screen(), "status", "a typed, grouped, lowercase code finds the request")
k.must("tap back")
# one wrong character
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
bad = token[:5] + alphabet[(alphabet.index(token[5]) + 1) % 32] + token[6:]
for _ in range(20):
    k.must("key BackSpace")
k.must("type " + bad.lower())
k.must("key Return")
t.eq(k.screen(), "lookup", "a code with a typo stays on lookup")
t.ok("gõ nhầm" in (k.widget("lookup.msg") or {}).get("label", ""), "a typo is caught by the check character", k.widget("lookup.msg"))
k.must("shot %s/lookup-typo.png" % SHOTS)
for _ in range(20):
    k.must("key BackSpace")
k.must("type hello")
k.must("key Return")
t.ok("không đúng dạng" in (k.widget("lookup.msg") or {}).get("label", ""), "garbage is called malformed")
r = k.cmd("tap nonexistent.widget")
t.ok(r["ok"] is False and "nonexistent.widget" in r["error"], "an impossible command answers ok:false", r)
t.ok(k.cmd("frobnicate")["ok"] is False, "unknown command answers ok:false and the kiosk carries on")
t.eq(k.cmd("dump")["ok"], True, "still alive after bad commands")
k.close()

# ---- idle: countdown, then everything wiped and home ----
cfg, data = make_config("idle_timeout = 60")
k = Kiosk(cfg)
k.must("tap home.file")
k.must("tap category.reflection")
k.must("tap form.field.subject")
k.must("type Racs thari")
k.must("advance 30")
t.eq(k.widget("idle.message"), None, "no countdown before the timeout")
k.must("advance 31")
t.ok(k.widget("idle.message") is not None, "countdown after the idle timeout")
k.must("shot %s/idle-countdown.png" % SHOTS)
k.must("tap idle.continue")
t.eq(k.widget("form.field.subject")["value"], "Rác thải", "'still here' keeps what was typed")
k.must("advance 61")
k.must("advance 16")
t.eq(k.screen(), "home", "home after the countdown")
k.must("tap home.file")
k.must("tap category.reflection")
t.eq(k.widget("form.field.subject")["value"], "", "what was typed is wiped")
k.close()

# ---- staff PIN guards the exit ----
cfg, data = make_config()
staff_pin_line = subprocess.run([KIOSK, "hash-pin"], input="246813\n", capture_output=True, text=True).stdout.strip()
cfg, data = make_config(staff_pin_line)
k = Kiosk(cfg)
k.must("tap home.title")
t.eq(k.screen(), "home", "a short tap on the title does nothing")
k.must("key Escape")
t.eq(k.screen(), "home", "Escape does not leave the kiosk")
k.must("hold home.title 2.5")
t.eq(k.screen(), "pin", "a long press on the title opens the PIN pad")
k.must("type 1111")
k.must("tap pin.ok")
t.eq(k.screen(), "pin", "a wrong PIN stays on the pad")
k.must("type 246813")
k.must("tap pin.ok")
t.eq(k.screen(), "staff", "the right PIN opens the staff menu")
k.must("tap staff.exit")
rc = k.p.wait(timeout=20)
t.eq(rc, 0, "staff exit quits the kiosk")

# ---- cannot accept: full disk, corrupt database, no key ----
cfg, data = make_config()
k = Kiosk(cfg, env={"MOTCUA_FAULT": "read_only"})
try:
    file_request(k, "petition", tag="readonly")
except RuntimeError:
    pass
d = k.dump()
t.eq(d["screen"], "error", "a failed write shows the cannot-accept screen")
t.ok(not any(w["id"].startswith("receipt.") for w in d["widgets"]), "no receipt for what was not stored")
k.must("shot %s/error-vi.png" % SHOTS)
rc, err = k.close()
t.eq(len(db_rows(data)), 0, "nothing half-stored after the failed write")
t.ok("cannot store" in err, "the failure is logged for staff", err)

cfg, data = make_config()
open(os.path.join(data, "request.db"), "wb").write(b"this is not a database" * 100)
k = Kiosk(cfg)
k.must("tap home.file")
t.eq(k.screen(), "error", "a corrupt database: told before typing anything")
k.close()

cfg, data = make_config(key=False)
k = Kiosk(cfg)
k.must("tap home.file")
t.eq(k.screen(), "error", "no server key: requests are not accepted")
k.close()

# ---- sync line: a long office name still fits; the background sync reports ----
cfg, data = make_config("office_level = Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh\n" + pin_line())
k = Kiosk(cfg)
k.dump()   # the database exists once the kiosk answers
set_sync_meta(data, last_success=int(time.time()), last_attempt=int(time.time()), last_error="refused")
file_request(k, "petition", tag="sync-long")
k.must("tap receipt.done")
sync, bad = staff_sync(k)
t.ok(sync and not sync.get("clipped") and "Đồng bộ lần cuối" in sync["label"],
     "a long office name: the sync line drops what does not fit", sync)
k.close()

# Nothing listens on port 1: the worker's first attempt fails at once, and
# the home screen says so without anyone touching it.
cfg, data = make_config(pin_line(), extra_server="url = http://127.0.0.1:1\nsync_interval = 300")
k = Kiosk(cfg)
label = ""
k.must("hold home.title 2.5")
k.must("type " + STAFF_PIN)
k.must("tap pin.ok")
for _ in range(100):
    w = k.widget("staff.sync.state")
    label = w["label"] if w else ""
    if "không kết nối được" in label:
        break
    time.sleep(0.1)
t.eq(label, "Chưa đồng bộ lần nào · lần gần nhất không kết nối được với cấp tỉnh",
     "a failed background sync shows on the staff menu by itself")
start = time.time()
rc, err = k.close()
t.ok(rc == 0 and time.time() - start < 5, "the kiosk quits promptly with the sync worker waiting", (rc, time.time() - start))
t.ok("127.0.0.1:1" in err and "sync" in err, "the failed sync is logged for staff", err)

# ---- configuration errors name the file, line and key ----
def start_error(text):
    import tempfile
    d = tempfile.mkdtemp()
    p = os.path.join(d, "k.ini")
    open(p, "w").write(text)
    r = subprocess.run([KIOSK, "--config", p, "--headless", "--control"], input="quit\n", capture_output=True, text=True, timeout=30)
    return r.returncode, r.stderr, p

rc, err, p = start_error("[kiosk]\ncommune_code = 27280\ncommune_name = X\ncolour = blue\n")
t.ok(rc == 2 and (p + ":4") in err and "colour" in err, "unknown key: file, line and key named", err)
rc, err, p = start_error("[kiosk]\ncommune_code = 27280\ncommune_name = X\nidle_timeout = soon\n")
t.ok(rc == 2 and (p + ":4") in err and "idle_timeout" in err, "bad value: file, line and key named", err)
rc, err, p = start_error("[kiosk]\ncommune_code = 2728\ncommune_name = X\n")
t.ok(rc == 2 and (p + ":2") in err and "commune_code" in err, "bad commune code named", err)
rc, err, p = start_error("[kiosk]\ncommune_name = X\n")
t.ok(rc == 2 and "commune_code is required" in err, "missing commune code named", err)
r = subprocess.run([KIOSK, "--config", "/nonexistent/k.ini", "--headless", "--control"], capture_output=True, text=True)
t.ok(r.returncode == 2 and "/nonexistent/k.ini" in r.stderr, "unreadable file named", r.stderr)

t.done()
