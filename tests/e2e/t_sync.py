"""End to end over loopback with real processes: a upstream server, a kiosk
filing through its control interface, motcua-sync, the officials' update, and
the answer seen at the kiosk and on the phone page (also in headless
Chromium at 390x844). Then the USB path, background sync, the server's
answers to bad input, and what must never leak."""
import calendar, http.client, json, os, re, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, SHOTS, ROOT, file_request, shown_code, pin_line, staff_sync
from e2e import (Server, kiosk_config, register, sync, fill, kiosk_requests, kiosk_events,
                 files_contain, chromium, run, SYNC, KIOSK_ID)

t = Tap()
NAME, PHONE, SUBJECT = "Nguyễn Văn An", "0912345678", "Đường liên thôn bị hỏng"
NOTE = "Hồ sơ đã được thụ lý; cán bộ sẽ liên hệ trước ngày hẹn."

srv = Server().serve()
cfg, data = kiosk_config(srv)

# ---- not registered yet: a plain reason, nothing sent ----
k = Kiosk(cfg)
_, _ = file_request(k, "petition", tag="e2e-petition")
k.must("tap receipt.done")
_, _ = file_request(k, "denunciation", tag="e2e-denunciation")
k.must("tap receipt.done")
_, _ = file_request(k, "procedure", "birth_registration", tag="e2e-procedure")
k.must("tap receipt.done")
out = sync(cfg)
t.ok(out.returncode != 0 and "kiosk add" in out.stderr + out.stdout,
     "an unregistered kiosk is told the exact command to register it", out.stdout + out.stderr)
t.eq(srv.requests(), [], "the server stored nothing from an unregistered kiosk")

# ---- register and sync ----
key = register(srv, cfg)
listed = srv.cli("kiosk", "list")
t.ok(KIOSK_ID in listed.stdout and key in listed.stdout, "kiosk list shows the registered kiosk and key", listed.stdout)
st = sync(cfg, "status")
t.ok(st.returncode == 0 and re.search(r"\b3\b", st.stdout), "status says three requests wait to be sent", st.stdout + st.stderr)
out = sync(cfg)
t.eq(out.returncode, 0, "motcua-sync now exits 0 when caught up")
t.ok("caught up" in out.stdout + out.stderr, "and says so", out.stdout + out.stderr)
t.eq(srv.requests_hashed(), kiosk_requests(data),
     "the server holds exactly the kiosk's requests, each code opened to the one the kiosk's hash holds")
st = sync(cfg, "status")
t.ok(re.search(r"\b0\b", st.stdout) and "never" not in st.stdout.lower(), "status: nothing waits, a last sync time", st.stdout)

# ---- only the server can read identities ----
rows = srv.requests()       # the codes, as the server opened them on arrival
petition, denunciation, procedure = rows[0], rows[1], rows[2]
show = srv.cli("show", petition[1], "--reason", "e2e: checking the sealed identity")
t.ok(show.returncode == 0 and NAME in show.stdout and PHONE in show.stdout, "show on the server opens the identity", show.stdout + show.stderr)
bundle_dir = os.path.join(os.path.dirname(cfg), "usb")
os.makedirs(bundle_dir)
ex = sync(cfg, "export", bundle_dir)
bundles = [os.path.join(bundle_dir, f) for f in os.listdir(bundle_dir)]
t.ok(ex.returncode == 0 and len(bundles) == 1, "export writes one bundle", ex.stdout + ex.stderr)
disk = [os.path.join(data, f) for f in os.listdir(data)] + bundles
t.eq(files_contain(disk, [NAME, PHONE, SUBJECT, "Nguyen"]), [],
     "no name, phone or subject in the kiosk's database, WAL or a bundle")
codes = [r[1] for r in rows]
grouped = ["%s-%s-%s" % (c[:4], c[4:8], c[8:]) for c in codes]
t.eq(files_contain(disk, codes + grouped + [c.lower() for c in codes]), [],
     "no receipt code, in any form, in the kiosk's data folder or a USB bundle")
# A lookup's log line is held with the thread's others (log.h) and written
# within half a second: it is there, its code cut to 4 characters.
srv.get("/r/" + petition[1])
srv.get("/r/" + denunciation[1])
for _ in range(40):
    logged = open(srv.log, encoding="utf-8", errors="replace").read()
    if "GET /r/%s… 200" % denunciation[1][:4] in logged:
        break
    time.sleep(0.05)
t.ok("GET /r/%s… 200" % petition[1][:4] in logged and "GET /r/%s… 200" % denunciation[1][:4] in logged,
     "the lookups' log lines reach the log within two seconds, each code cut to 4 characters")
t.eq(files_contain([srv.log], [NAME, PHONE, petition[1], denunciation[1]]), [],
     "the server log holds no name, phone or full token")

# ---- the officials answer; the kiosk and the phone see it ----
up = srv.cli("update", petition[1], "--status", "accepted", "--note", NOTE)
t.eq(up.returncode, 0, "update on the server by token")
up = srv.cli("update", denunciation[0], "--status", "in_progress")
t.eq(up.returncode, 0, "update on the server by request id")
bad = srv.cli("update", petition[1], "--status", "done")
t.ok(bad.returncode != 0 and "status" in bad.stderr, "an unknown status is refused with a reason", bad.stderr)
bad = srv.cli("update", "ZZZZZZZZZZZZZ", "--status", "accepted")
t.ok(bad.returncode != 0, "updating an unknown request fails", bad.stderr)
out = sync(cfg)
t.eq(out.returncode, 0, "second sync")
t.eq(kiosk_events(data), srv.events(), "the kiosk holds every server event, once")
k.must("scan %s/r/%s" % (srv.url, petition[1]))
t.eq(k.screen(), "status", "the kiosk's status screen opens")
labels = " ".join(w.get("label", "") for w in k.dump()["widgets"])
t.ok("nhận xử lý" in k.widget("status.state")["label"], "the kiosk shows the new status", k.widget("status.state"))
t.ok("Hồ sơ đã được thụ lý" in labels, "the kiosk shows the office's note", labels)
t.ok(k.widget("status.updated") is not None, "and when it was updated from upstream", labels)
k.must("shot %s/status-synced-vi.png" % SHOTS)
t.eq([w["id"] for w in k.dump()["widgets"] if w.get("clipped")], [], "status with the timeline has no clipped text")
k.must("tap status.done")
rc, err = k.close()
t.eq(rc, 0, "kiosk exits cleanly")

code, hdr, page = srv.get("/r/" + petition[1])
t.eq(code, 200, "phone page answers")
t.ok("thụ lý" in page and "Hồ sơ đã được thụ lý" in page, "phone page shows status and note", page[:400])
t.ok(len(page.encode()) < 30 * 1024, "phone page under 30 KB (%d bytes)" % len(page.encode()))
t.ok("<script" not in page.lower(), "phone page has no JavaScript")
t.eq([n for n in (NAME, PHONE, SUBJECT) if n in page], [], "phone page holds no personal data")
code, _, en = srv.get("/r/%s?lang=en" % petition[1])
t.ok(code == 200 and 'lang="en"' in en, "English phone page", en[:300])
code, _, grouped = srv.get("/r/%s-%s-%s" % (petition[1][:4].lower(), petition[1][4:8].lower(), petition[1][8:].lower()))
t.eq(code, 200, "a grouped lowercase token finds the page")
code, _, js = srv.get("/api/v1/requests/" + petition[1])
j = json.loads(js) if code == 200 else {}
t.ok(j.get("status") == "accepted" and j.get("known") is True and any(e.get("note") == NOTE for e in j.get("events", [])),
     "the JSON twin", js[:300])
t.eq([n for n in (NAME, PHONE) if n in js], [], "JSON holds no personal data")
code, _, kind = srv.get("/r/" + petition[1][:12] + ("0" if petition[1][12] != "0" else "1"))
t.eq(code, 404, "a token with a wrong check symbol is 404")
code, _, _ = srv.get("/r/hello")
t.eq(code, 404, "a malformed token is 404")
code, _, health = srv.get("/healthz")
t.ok(code == 200 and json.loads(health).get("ok") is True, "healthz", health)

png = os.path.join(SHOTS, "phone-vi-390x844.png")
t.ok(chromium("%s/r/%s" % (srv.url, petition[1]), png), "Chromium screenshot of the phone page at 390x844")
t.ok(chromium("%s/r/%s?lang=en" % (srv.url, denunciation[1]), os.path.join(SHOTS, "phone-en-390x844.png")),
     "Chromium screenshot in English")
dom = chromium("%s/r/%s" % (srv.url, petition[1]), dom=True)
t.ok("Hồ sơ đã được thụ lý" in dom, "Chromium renders the note", dom[:300])

# ---- a newer holiday file placed on the server reaches the kiosk ----
newer = open(os.path.join(ROOT, "assets/holidays.json")).read() + "\n"
open(os.path.join(srv.data, "holidays.json"), "w").write(newer)
out = sync(cfg)
got = os.path.join(data, "holidays.json")
t.ok(out.returncode == 0 and os.path.exists(got) and open(got).read() == newer,
     "a newer holiday file on the server is saved at the kiosk", out.stderr)
open(os.path.join(srv.data, "catalog.json"), "w").write("{ not a catalog")
out = sync(cfg)
t.ok(out.returncode == 0 and not os.path.exists(os.path.join(data, "catalog.json")),
     "a broken catalog on the server is never installed at the kiosk", out.stderr)
os.unlink(os.path.join(srv.data, "catalog.json"))

# ---- a well-formed token filed offline and not yet synced: a kind page ----
k = Kiosk(cfg)
fresh = shown_code(file_request(k, "reflection", tag="e2e-reflection")[0])
k.close()
code, _, kind = srv.get("/r/" + fresh)
t.ok(code == 200 and ("đồng bộ" in kind), "an unsynced token gets the kind page", kind[:300])
t.ok(chromium("%s/r/%s" % (srv.url, fresh), os.path.join(SHOTS, "phone-unknown-390x844.png")), "screenshot of the kind page")

# ---- the USB path: export, import upstream, import the reply ----
for f in os.listdir(bundle_dir):
    os.unlink(os.path.join(bundle_dir, f))
ex = sync(cfg, "export", bundle_dir)
bundle = os.path.join(bundle_dir, os.listdir(bundle_dir)[0])
reply = os.path.join(bundle_dir, "reply.json")
im = srv.cli("import", bundle, "--reply", reply)
t.ok(im.returncode == 0 and os.path.exists(reply), "the server imports a bundle and writes a reply", im.stderr)
again = srv.cli("import", bundle, "--reply", reply + ".2")
t.ok(again.returncode != 0 and "replay" in (again.stderr + again.stdout).lower() and not os.path.exists(reply + ".2"),
     "the same bundle imported twice is refused as a replay", again.stderr)
cut = os.path.join(bundle_dir, "cut.json")
open(cut, "wb").write(open(bundle, "rb").read()[:300])
bad = srv.cli("import", cut, "--reply", cut + ".reply")
t.ok(bad.returncode != 0 and not os.path.exists(cut + ".reply"), "a truncated bundle is refused", bad.stderr)
altered = os.path.join(bundle_dir, "altered.json")
b = open(bundle).read()
open(altered, "w").write(b.replace("reflection", "petition", 1) if "reflection" in b else b.replace("\\\"n\\\":", "\\\"n\\\":9", 1))
bad = srv.cli("import", altered, "--reply", altered + ".reply")
t.ok(bad.returncode != 0 and "signature" in (bad.stderr + bad.stdout).lower(), "an altered bundle fails its signature", bad.stderr)
cut_reply = os.path.join(bundle_dir, "cut-reply.json")
open(cut_reply, "wb").write(open(reply, "rb").read()[:200])
bad = sync(cfg, "import", cut_reply)
t.ok(bad.returncode != 0, "the kiosk refuses a truncated reply", bad.stderr)
im = sync(cfg, "import", reply)
t.eq(im.returncode, 0, "the kiosk applies the reply bundle")
t.eq(srv.requests_hashed(), kiosk_requests(data), "after the USB round trip both sides hold the same requests")
t.eq(kiosk_events(data), srv.events(), "and the same events")
im = sync(cfg, "import", reply)
t.eq(kiosk_events(data), srv.events(), "importing the reply again changes nothing")

# ---- bad input over HTTP: a clear 4xx, nothing changed ----
before = (srv.requests(), srv.events())
env = json.loads(open(bundle).read())
cases = [
    ("not JSON", b"{\"motcua\":1,", 400),
    ("bad UTF-8", b"{\"motcua\":1,\"signer\":\"\xff\",\"payload\":\"{}\",\"sig\":\"AA\"}", 400),
    ("wrong types", json.dumps({"motcua": 1, "signer": 5, "payload": [], "sig": 1}).encode(), 400),
    ("missing signature", json.dumps({"motcua": 1, "signer": KIOSK_ID, "payload": env["payload"]}).encode(), 400),
    ("wrong signature", json.dumps(dict(env, sig=env["sig"][:20] + ("A" if env["sig"][20] != "A" else "B") + env["sig"][21:])).encode(), 401),
    ("unknown kiosk", json.dumps(dict(env, signer="27280-9")).encode(), 403),
    ("a replayed envelope", json.dumps(env).encode(), 409),
]
for desc, body, want in cases:
    code, text = srv.post("/api/v1/sync", body)
    t.ok(code == want and "error" in text, "%s: %d (got %d)" % (desc, want, code), text[:200])
# A body announced over the limit is refused before it is read.
conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
conn.putrequest("POST", "/api/v1/sync")
conn.putheader("Content-Length", str(17 << 20))
conn.endheaders()
resp = conn.getresponse()
t.eq(resp.status, 413, "a body announced over 16 MiB: 413 before reading it")
conn.close()
t.eq((srv.requests(), srv.events()), before, "bad input changed nothing on the server")
code, _, _ = srv.get("/api/v1/sync")
t.eq(code, 405, "GET on the sync endpoint is 405")

# ---- revoked kiosks are refused ----
rv = srv.cli("kiosk", "revoke", "--kiosk", KIOSK_ID)
t.eq(rv.returncode, 0, "kiosk revoke")
k = Kiosk(cfg)
file_request(k, "dialogue", tag="e2e-dialogue")
k.close()
out = sync(cfg)
t.ok(out.returncode != 0 and "revoked" in (out.stdout + out.stderr).lower(), "a revoked kiosk is refused with a plain reason", out.stderr)
t.ok(len(srv.requests()) == len(kiosk_requests(data)) - 1, "and nothing it sent was stored")

# ---- no network ----
srv.stop()
out = sync(cfg)
t.ok(out.returncode != 0 and ("network" in (out.stdout + out.stderr).lower() or "reach" in (out.stdout + out.stderr).lower()),
     "server down: a plain 'cannot reach' reason", out.stderr)

# ---- background sync from the kiosk app; home says when it last synced ----
srv2 = Server().serve()
cfg2, data2 = kiosk_config(srv2, interval=2, number=4, extra=pin_line())
register(srv2, cfg2)
k = Kiosk(cfg2)
# The line has minute resolution and the kiosk may already have synced (an
# empty run) before the filing, so "changed" is no test: the line must name a
# sync no older than the minute the request was filed in.
filed_minute = int(time.time()) // 60 * 60
file_request(k, "petition", tag="bg-petition")
k.must("tap receipt.done")
deadline = time.time() + 30
while time.time() < deadline and len(srv2.requests()) < 1:
    k.cmd("advance 500")
    time.sleep(0.3)
t.eq(len(srv2.requests()), 1, "the kiosk app synced by itself in the background")
time.sleep(0.5)
sync_w, bad = staff_sync(k, "%s/staff-synced-vi.png" % SHOTS, wid="staff.sync.last")
label = (sync_w or {}).get("label", "")
def synced_at(line):
    m = re.match(r"Đồng bộ lần cuối: (\d\d:\d\d \d\d/\d\d/\d{4})", line)
    # the kiosk shows the commune's clock ([kiosk] timezone, ICT-7 by default)
    return calendar.timegm(time.strptime(m.group(1), "%H:%M %d/%m/%Y")) - 7 * 3600 if m else None
shown = synced_at(label)
t.ok(shown is not None and filed_minute <= shown <= time.time(),
     "the staff menu shows the sync after the filing (%r, filed in the minute %s)"
     % (label, time.strftime("%H:%M UTC", time.gmtime(filed_minute))))
t.eq(bad, [], "the staff menu with the sync line has no clipped text")
t.eq(k.widget("home.sync"), None, "home says nothing about sync")
t.eq(staff_sync(k)[0], None, "synced with nothing waiting: no second sync line on the staff menu")
srv2.stop()
rc, err = k.close()
t.eq(rc, 0, "the kiosk quits promptly with the worker running")
t.eq(files_contain([srv2.log], [NAME, PHONE]), [], "no personal data in the second server's log")

# ---- weeks offline: more than one bundle's worth goes out as several ----
srv3 = Server()
shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None   # fast to fill; the export is what is tested
cfg3, data3 = kiosk_config(srv3, number=5)
if shm:
    import shutil, tempfile
    fast = tempfile.mkdtemp(prefix="motcua-e2e-", dir=shm)
    with open(cfg3) as f:
        text = f.read().replace("data_dir = %s" % data3, "data_dir = %s" % fast)
    with open(cfg3, "w") as f:
        f.write(text)
    data3 = fast
register(srv3, cfg3)
fill(cfg3, 10005)
usb3 = os.path.join(os.path.dirname(cfg3), "usb")
os.makedirs(usb3)
ex = sync(cfg3, "export", usb3)
bundles = sorted(os.listdir(usb3))
t.ok(ex.returncode == 0 and len(bundles) == 2, "10,005 waiting requests go out as two bundles", ex.stdout + ex.stderr)
t.ok(all(os.path.getsize(os.path.join(usb3, b)) < 16 << 20 for b in bundles), "each bundle under the envelope limit")
ok = True
for b in bundles:
    reply = os.path.join(usb3, b.replace(".json", ".reply"))
    ok = ok and srv3.cli("import", os.path.join(usb3, b), "--reply", reply).returncode == 0
    ok = ok and sync(cfg3, "import", reply).returncode == 0
t.ok(ok, "the server takes the bundles in name order, the kiosk their answers")
t.eq(srv3.requests_hashed(), kiosk_requests(data3), "all 10,005 arrived, once")
st = sync(cfg3, "status")
t.ok(re.search(r"\b0\b", st.stdout), "nothing waits to be sent", st.stdout)
if shm:
    shutil.rmtree(data3)
t.done()
