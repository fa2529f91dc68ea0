"""Text messages to citizens, end to end: a real server sends through a fake
HTTP SMS gateway (a real HTTP server in this test) and through gammu-smsd's
files backend (the real gammu-smsd, on gammu's dummy phone). Only the
changes the law says the citizen must hear of (supplement needed, result
ready; the apology's text is checked by its words), only when the filer gave
a phone and agreed; the text holds the receipt code's last characters and
the status, never a name or a note; a refusing gateway is retried, a
hanging one never delays an official's action; the console shows the
delivery log without a phone number."""
import json, os, shutil, subprocess, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap
from e2e import Server, Staff, kiosk_config, register, sync, fill, kiosk_requests, run, SERVER

t = Tap()
SUPERVISOR = ("minh.tran", "mật khẩu lãnh đạo 2")
NOTE = "Thiếu bản sao giấy chứng sinh của ông Nguyễn Văn Bình."


class Gateway(BaseHTTPRequestHandler):
    """The fake gateway: answers 500 to the first message, then 200; in hang
    mode it holds the connection far longer than the server waits."""
    got, mode, lock = [], {"fail_first": True, "hang": False}, threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.lock:
            hang, fail = self.mode["hang"], self.mode["fail_first"]
            self.mode["fail_first"] = False
            if not hang and not fail:
                self.got.append(json.loads(body))
        if hang:
            time.sleep(8)
        self.send_response(500 if fail else 200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *a):
        pass


gw = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
threading.Thread(target=gw.serve_forever, daemon=True).start()
gw_url = "http://127.0.0.1:%d/send" % gw.server_address[1]


def wait(cond, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.2)
    return False


def act(staff, rid, action, note, extra=None):
    _, _, page = staff.request("/staff/r/" + rid)
    form = {"csrf": staff.csrf(page), "action": action, "note": note}
    form.update(extra or {})
    start = time.time()
    code, _, _ = staff.request("/staff/r/%s/act" % rid, form)
    return code, time.time() - start


def setup(extra):
    srv = Server(extra=extra).serve()
    run([SERVER, "user", "add", "--data", srv.data, "--name", SUPERVISOR[0], "--role", "supervisor"],
        input=SUPERVISOR[1] + "\n")
    run([SERVER, "commune", "set", "--data", srv.data, "27280", "Xã Phù Lãng"])
    cfg, data = kiosk_config(srv)
    register(srv, cfg)
    fill(cfg, 6, sms=True)       # six filers who agreed, one per category
    fill(cfg, 1)                 # and one who did not
    t.eq(sync(cfg).returncode, 0, "the kiosk syncs")
    wait(lambda: srv.db().execute("SELECT count(*) FROM request WHERE find_state = 0").fetchone()[0] == 0, 5)
    staff = Staff(srv)
    staff.login(*SUPERVISOR)
    return srv, srv.requests(), staff


# ---- an HTTP gateway ----
srv, reqs, staff = setup(["--sms-url", gw_url, "--sms-retry", "1", "--sms-timeout", "2"])
proc, petition, agreed_not = reqs[0], reqs[1], reqs[6]
con = srv.db()
t.eq(dict(con.execute("SELECT id, sms_ok FROM request").fetchall())[agreed_not[0]], 0,
     "a filer who did not agree: no messages")
con.close()
code, _ = act(staff, proc[0], "supplement", NOTE)
t.eq(code, 303, "a supplement asked")
t.ok(wait(lambda: len(Gateway.got) == 1), "the gateway refused once, the message was tried again and sent",
     Gateway.got)
msg = Gateway.got[0]
t.eq(msg["to"], "0912000000", "to the phone the filer gave")
t.ok(proc[1][-5:] in msg["text"] and "bổ sung" in msg["text"], "the text: the code's last characters and what is needed",
     msg["text"])
t.ok(proc[1] not in msg["text"] and "Nguyễn" not in msg["text"] and "chứng sinh" not in msg["text"],
     "never the whole code, a name or the note", msg["text"])
t.ok("Xã Phù Lãng" in msg["text"], "from the commune's office", msg["text"])
code, _ = act(staff, agreed_not[0], "supplement", NOTE)
code, _ = act(staff, proc[0], "progress", "Đang xử lý.")
time.sleep(2.5)
t.eq(len(Gateway.got), 1, "no message to a filer who did not agree, none for a progress note")

Gateway.mode["hang"] = True
code, took = act(staff, petition[0], "resolve", "Đã giải quyết xong.")
t.ok(code == 303 and took < 1.5, "a hanging gateway does not delay the official's action (%.2f s)" % took)
con = srv.db()
t.ok(wait(lambda: con.execute("SELECT tries, last_error FROM sms_outbox WHERE request_id = ?",
                              (petition[0],)).fetchone()[0] >= 1, 15),
     "the hanging try times out and is logged",
     con.execute("SELECT * FROM sms_outbox").fetchall())
err = con.execute("SELECT last_error FROM sms_outbox WHERE request_id = ?", (petition[0],)).fetchone()[0]
t.ok("0912" not in err and err, "the log says why, without the phone", err)
Gateway.mode["hang"] = False
t.ok(wait(lambda: len(Gateway.got) == 2, 20), "once the gateway answers, the result message goes out")
t.ok("đã có kết quả" in Gateway.got[-1]["text"] and petition[1][-5:] in Gateway.got[-1]["text"],
     "the result message", Gateway.got[-1]["text"])
con.close()

_, _, page = staff.request("/staff/r/" + proc[0])
t.ok('id="sms"' in page and "Đã gửi" in page and "0912000000" not in page,
     "the request's page shows its message as sent, without the phone", page[-800:])
code, _, page = staff.request("/staff/sms")
t.ok(code == 200 and proc[0] in page and petition[0] in page and "0912" not in page,
     "the delivery log lists every message, without phone numbers", page[-600:])
srv.stop()

# ---- the text of each kind, from the translation files ----
texts = {}
for kind in ("supplement", "apology", "result"):
    out = run([SERVER, "sms-text", "--assets", "assets", kind, "ABCDEFGH1JK2M", "2026-12-24"])
    texts[kind] = out.stdout.strip()
t.ok("JK2M" in texts["apology"] and "24/12/2026" in texts["apology"] and "xin lỗi" in texts["apology"],
     "the apology tells the new date", texts)

# ---- gammu-smsd's files backend, on gammu's dummy phone ----
gdir = tempfile.mkdtemp(prefix="motcua-gammu-")
for d in ("in", "out", "sent", "err", "dummy"):
    os.makedirs(os.path.join(gdir, d))
rc = os.path.join(gdir, "smsdrc")
open(rc, "w").write("""[gammu]
device = {d}/dummy
model = dummy
connection = none

[smsd]
service = files
inboxpath = {d}/in/
outboxpath = {d}/out/
sentsmspath = {d}/sent/
errorsmspath = {d}/err/
outboxformat = standard
transmitformat = auto
logfile = {d}/log
commtimeout = 1
loopsleep = 1
checksecurity = 0
checkbattery = 0
checksignal = 0
""".format(d=gdir))
smsd = subprocess.Popen(["gammu-smsd", "-c", rc], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    srv, reqs, staff = setup(["--sms-gammu-outbox", os.path.join(gdir, "out")])
    code, _ = act(staff, reqs[1][0], "resolve", "Đã có kết quả, mời ông Bình đến nhận.")
    t.eq(code, 303, "resolved")
    sent = lambda: [f for f in os.listdir(os.path.join(gdir, "sent")) if f.startswith("OUTA")]
    t.ok(wait(sent, 30), "gammu-smsd took the file from its outbox and sent it",
         open(os.path.join(gdir, "log")).read()[-800:] if os.path.exists(os.path.join(gdir, "log")) else "")
    name = (sent() or [""])[0]
    t.ok("_0912000001_" in name, "the file is named for gammu, with the recipient", name)
    text = open(os.path.join(gdir, "sent", name), encoding="utf-8").read() if name else ""
    t.ok(reqs[1][1][-5:] in text and "Bình" not in text, "the text: the code's end, no name or note", text)
    log = open(os.path.join(gdir, "log")).read()
    t.ok("Transmitted" in log and "0912000001" in log, "gammu's log says it was transmitted", log[-400:])
    srv.stop()
finally:
    smsd.terminate()
    smsd.wait()
    shutil.rmtree(gdir, ignore_errors=True)
gw.shutdown()
t.done()
