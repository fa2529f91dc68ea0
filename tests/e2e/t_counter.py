"""Pre-registration and counter acceptance end to end, with real processes:
requests filed at the kiosk while the upstream server is down; at the
office's counter (motcua-office, over HTTP on the office network) a
procedure's dossier is accepted with the provincial dossier number and the
receipt-and-appointment paper is shown with the date counted from that
moment; a complaint's and a denunciation's signed letters are marked
received; every refusal (papers not checked, a wrong dossier number, an
unknown code, accepted already, two counters at once) says why and changes
nothing. When the server comes back, one sync carries the counter's steps,
signed by the kiosk: the server's deadline, the phone page and the figures
count from the counter."""
import base64, datetime, http.cookiejar, json, os, re, sqlite3, subprocess, threading, time, urllib.parse, urllib.request, urllib.error
from kiosk import ROOT, KIOSK, Tap
from cdp import Browser
from e2e import Server, Staff, SERVER, kiosk_config, register, sync, fill, free_port, run, chromium

t = Tap()
SAN_OFFICE = os.path.join(ROOT, "build/san/motcua-office")
OFFICE = SAN_OFFICE if os.path.exists(SAN_OFFICE) else os.path.join(ROOT, "build/motcua-office")
PIN = subprocess.run([KIOSK, "hash-pin"], input="246813\n", capture_output=True, text=True).stdout.strip()
HOLIDAYS = json.load(open(os.path.join(ROOT, "assets/holidays.json")))
OFF = {d["date"] for d in HOLIDAYS["days_off"]}
WORK = {d["date"] for d in HOLIDAYS["working_days"]}


def vn_now():
    return datetime.datetime.utcnow() + datetime.timedelta(hours=7)


def working(d):
    s = d.isoformat()
    return s in WORK or (d.weekday() < 5 and s not in OFF)


def add_working(d, n):
    while n > 0:
        d += datetime.timedelta(days=1)
        n -= working(d)
    return d


srv = Server()
cfg, data = kiosk_config(srv, extra=PIN)
register(srv, cfg)
# Filed while the server is down: a procedure (birth registration), a
# petition, a reflection, a complaint, a denunciation, a dialogue question,
# and a second procedure (death registration).
codes = fill(cfg, 7)           # {request id: receipt code}, as the receipts show them
by_seq = {int(rid.rsplit("-", 1)[1]): code for rid, code in codes.items()}
tokens = {cat: by_seq[seq] for seq, cat in ((1, "procedure"), (2, "petition"), (4, "complaint"),
                                            (5, "denunciation"), (6, "dialogue"))}
proc_token = by_seq[1]
proc2_token = by_seq[7]

port = free_port()
office_log = open(os.path.join(srv.dir, "office.log"), "a")
office = subprocess.Popen([OFFICE, "--config", cfg, "--listen", "127.0.0.1:%d" % port], stdout=office_log, stderr=office_log)
base = "http://127.0.0.1:%d" % port
for _ in range(200):
    try:
        urllib.request.urlopen(base + "/counter/sign-in", timeout=1).read()
        break
    except Exception:
        time.sleep(0.05)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def session():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def call(opener, path, form=None):
    data_ = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        r = opener.open(urllib.request.Request(base + path, data=data_), timeout=30)
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def sign_in(counter):
    o = session()
    st, _ = call(o, "/counter/sign-in", {"counter": str(counter), "pin": "246813"})
    st, page = call(o, "/counter")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    return o, csrf, page


o1, csrf1, counter_page = sign_in(1)
t.ok('id="accept-link"' in counter_page, "the counter page leads to the acceptance page")


def msg(page):
    m = re.search(r'id="msg">([^<]*)<', page)
    return m.group(1) if m else ""


def field(page, name):
    m = re.search(r'id="%s">([^<]*)<' % name, page)
    return m.group(1) if m else None


def paper_day(page):
    """The paper's date, dd/mm/yyyy, as ISO."""
    d = field(page, "paper-due")
    return d and "%s-%s-%s" % (d[6:10], d[3:5], d[0:2])


# ---- a procedure's dossier ----
st, page = call(o1, "/counter/accept?code=" + urllib.parse.quote(srv.url + "/r/" + proc_token))
t.eq(st, 200, "the slip's QR link finds its request")
t.ok('id="accept"' in page and 'id="dossier"' in page and 'id="supplement"' in page,
     "a procedure's dossier: accept with a dossier number, or list what is missing")
with open(os.path.join(ROOT, "build/test-out/shots/counter-accept-form.html"), "w") as f:
    f.write(page)
chromium("file://" + os.path.join(ROOT, "build/test-out/shots/counter-accept-form.html"),
         os.path.join(ROOT, "build/test-out/shots/counter-accept-form.png"), size="1280,900")
# The procedure's papers as tick boxes; what is left unticked is the list.
catalog = json.load(open(os.path.join(ROOT, "assets/catalog.json")))
birth = [p_ for p_ in catalog["procedures"] if p_["id"] == "birth_registration"][0]["papers"]["vi"]
t.ok(all('id="have-%d"' % i in page for i in range(len(birth))) and 'name="checklist"' in page,
     "the counter shows the procedure's %d papers as tick boxes" % len(birth))
st, page = call(o1, "/counter/accept/supplement", {"csrf": csrf1, "code": proc_token, "checklist": "1",
                                                   "have0": "1", "have2": "1", "list": "Bản sao sổ hộ khẩu cũ"})
m = re.search(r'id="paper-list"[^>]*>([^<]*)<', page)
listed = m.group(1) if m else ""
t.eq(st, 200, "asking for the unticked papers prints the supplement paper")
t.eq(listed, "1. %s\n2. %s\nBản sao sổ hộ khẩu cũ" % (birth[1], birth[3]),
     "its list is the papers left unticked, numbered, then what the officer typed")
st, page = call(o1, "/counter/accept/supplement", {"csrf": csrf1, "code": proc_token, "checklist": "1"})
t.eq(st, 409, "a second supplement list is refused: the law asks for everything at once")
st, page = call(o1, "/counter/accept/accept", {"csrf": csrf1, "code": proc_token, "dossier": "000.00.01.H26-261202-0001"})
t.eq(st, 400, "accepting without ticking that the papers were checked is refused")
t.ok("danh mục" in msg(page), "and says to check the papers against the procedure's list", msg(page))
st, page = call(o1, "/counter/accept/accept", {"csrf": csrf1, "code": proc_token, "papers": "1", "dossier": "HS-0001"})
t.eq(st, 409, "a dossier number in a wrong format is refused")
t.ok("HS-0001" in msg(page) and "000.00.01.H26-260930-0012" in msg(page) and "không đúng mẫu" in msg(page),
     "with the expected format, in the officer's language", msg(page))
st, page = call(o1, "/counter/accept/accept", {"csrf": "0" * 64, "code": proc_token, "papers": "1",
                                               "dossier": "000.00.01.H26-261202-0001"})
t.ok(st in (302, 303, 403), "a POST without the session's form token does nothing", st)
kdb = sqlite3.connect(os.path.join(data, "request.db"))
t.eq(kdb.execute("SELECT count(*) FROM counter_step").fetchone()[0], 1,
     "no refusal left a trace in the store: only the supplement asked")
kdb.close()

today = vn_now()
cccd = "027280001234|123456789|Nguyễn Văn Nộp|01011960|Nam|Thôn Đông, xã Phù Lãng|01072021"
st, page = call(o1, "/counter/accept/accept", {"csrf": csrf1, "code": proc_token, "papers": "1",
                                               "dossier": " 000.00.01.h26-261202-0001 ", "cccd": cccd})
t.eq(st, 200, "the complete dossier is accepted")
SHOTS = os.path.join(ROOT, "build/test-out/shots")
os.makedirs(SHOTS, exist_ok=True)
with open(os.path.join(SHOTS, "counter-accepted.html"), "w") as f:
    f.write(page)
chromium("file://" + os.path.join(SHOTS, "counter-accepted.html"), os.path.join(SHOTS, "counter-accepted.png"), size="1280,900")
t.eq(field(page, "paper-dossier"), "000.00.01.H26-261202-0001", "the paper carries the dossier number, in capitals")
t.eq(field(page, "paper-name"), "Nguyễn Văn Nộp", "and the name read from the citizen's CCCD")
want = today.date() if working(today.date()) and today.hour < 15 else add_working(today.date(), 1)
proc_due = paper_day(page)
t.eq(proc_due, want.isoformat(), "a same-day procedure is due today before 15:00 on a working day, else the next one")
kdb = sqlite3.connect(os.path.join(data, "request.db"))
t.eq(kdb.execute("SELECT count(*) FROM counter_step WHERE kind = 'accepted'").fetchone()[0], 1, "the acceptance is in the kiosk's store")
t.ok("Nộp" not in open(os.path.join(data, "request.db"), "rb").read().decode("utf-8", "replace"),
     "the name from the CCCD is not stored")
t.eq(kdb.execute("SELECT status FROM request WHERE seq = 1").fetchone()[0], "accepted",
     "the kiosk's status screen shows it accepted at once")
kdb.close()
st, page = call(o1, "/counter/accept/accept", {"csrf": csrf1, "code": proc_token, "papers": "1",
                                               "dossier": "000.00.01.H26-261202-0002"})
t.eq(st, 409, "the same slip accepted again is refused")
t.ok("000.00.01.H26-261202-0001" in msg(page) and "không thay đổi gì" in msg(page) and
     vn_now().strftime("%d/%m/%Y") in msg(page), "saying when and with which number", msg(page))
st, page = call(o1, "/counter/accept?code=0000000000000")
t.eq(st, 404, "an unknown code")
t.ok("kiểm tra lại mã" in msg(page), "is said so", msg(page))
st, page = call(o1, "/counter/accept?code=" + tokens["petition"])
t.ok("không cần tiếp nhận tại quầy" in page, "a petition needs no counter acceptance: its time runs from the kiosk")

# ---- two counters at once ----
o2, csrf2, _ = sign_in(2)
results = []


def race(o, csrf, number):
    results.append(call(o, "/counter/accept/accept", {"csrf": csrf, "code": proc2_token, "papers": "1",
                                                     "dossier": "000.00.01.H26-261202-01%02d" % number}))


threads = [threading.Thread(target=race, args=(o1, csrf1, 1)), threading.Thread(target=race, args=(o2, csrf2, 2))]
for th in threads:
    th.start()
for th in threads:
    th.join()
codes = sorted(r[0] for r in results)
t.eq(codes, [200, 409], "two counters accepting one slip at once: one wins, the other is refused")
loser = [r[1] for r in results if r[0] == 409]
t.ok(loser and "đã được tiếp nhận tại quầy" in msg(loser[0]), "and told", loser and msg(loser[0]))

# ---- signed letters ----
st, page = call(o1, "/counter/accept?code=" + tokens["complaint"])
t.ok('id="letter"' in page and 'id="dossier"' not in page, "a complaint: the signed letter, no dossier number")
st, page = call(o1, "/counter/accept/letter", {"csrf": csrf1, "code": tokens["complaint"]})
t.eq(st, 200, "the complaint's signed letter is marked received")
complaint_due = paper_day(page)
t.eq(complaint_due, add_working(vn_now().date(), 7).isoformat(), "its time to accept runs 7 working days from the letter")
st, page = call(o1, "/counter/accept/letter", {"csrf": csrf1, "code": tokens["complaint"]})
t.eq(st, 409, "marking it twice is refused")
st, page = call(o1, "/counter/accept/letter", {"csrf": csrf1, "code": tokens["denunciation"]})
t.ok(st == 200 and 'id="paper-secret"' in page, "a denunciation's paper says how the denouncer's identity is kept secret")

# ---- upstream ----
srv.serve()
out = sync(cfg)
t.ok(out.returncode == 0, "the sync runs when the server is back", out.stdout + out.stderr)
con = srv.db()
row = con.execute("SELECT due, accepted_at, status FROM request WHERE token = ?", (proc_token,)).fetchone()
t.eq(row[0], proc_due, "the server's deadline is the counter's date")
t.ok(row[1] is not None and row[2] == "accepted", "and the request is accepted from the counter's moment", row)
row = con.execute("SELECT due, accepted_at FROM request WHERE token = ?", (tokens["complaint"],)).fetchone()
t.eq(row[0], complaint_due, "the complaint's time to accept counts from the letter")
t.ok(row[1] is None, "and it is not accepted (thụ lý) until an official decides")
actors = [a for (a,) in con.execute("SELECT actor FROM audit WHERE action IN ('accept', 'letter') ORDER BY id")]
t.ok(actors and all(a == "counter@27280-3" for a in actors), "the audit names the counter's kiosk", actors)
con.close()
st, _, page = srv.get("/r/" + proc_token)
t.ok(st == 200 and "000.00.01.H26-261202-0001" in page, "the phone page shows the acceptance with its dossier number")
kdb = sqlite3.connect(os.path.join(data, "request.db"))
acked = kdb.execute("SELECT value FROM meta WHERE key = 'sync.counter_acked'").fetchone()
t.eq(acked and int(acked[0]), 5, "the server acknowledged the counter's five steps")
kdb.close()
out = sync(cfg)
con = srv.db()
t.eq(con.execute("SELECT count(*) FROM event WHERE action = 'accept'").fetchone()[0], 2,
     "a second sync applies nothing twice")
con.close()

# ---- the console: the clock's steps after the counter's letter ----
run([SERVER, "user", "add", "--data", srv.data, "--name", "lan.nguyen", "--role", "officer"], input="mật khẩu cán bộ 1\n")
run([SERVER, "user", "communes", "--data", srv.data, "lan.nguyen", "27280"])
officer = Staff(srv)
officer.login("lan.nguyen", "mật khẩu cán bộ 1")


def console(token):
    st, _, page = officer.request("/staff/r/" + token)
    return st, page


def act(token, action, note):
    st, page = console(token)
    return officer.request("/staff/r/%s/act" % token, {"csrf": officer.csrf(page), "action": action, "note": note})


def dd(page, id_):
    m = re.search(r'id="%s">([^<]*)<' % id_, page)
    return m.group(1) if m else None


st, page = console(tokens["complaint"])
t.ok(st == 200 and dd(page, "clock-letter") not in (None, "chưa") and 'id="letter-missing"' not in page,
     "the complaint's page says when the counter received its signed letter", dd(page, "clock-letter"))
t.ok('id="act-accept"' in page and 'id="act-suspend"' not in page, "it may be accepted; not yet suspended")
t.ok(dd(page, "clock-accept-by") == "%s/%s/%s" % (complaint_due[8:10], complaint_due[5:7], complaint_due[0:4]),
     "with the limit to accept counted from the letter", dd(page, "clock-accept-by"))
st, _, _ = act(tokens["complaint"], "accept", "Đơn khiếu nại đã được thụ lý.")
t.eq(st, 303, "the complaint is accepted on the console")
st, _, _ = act(tokens["complaint"], "suspend", "Chờ kết quả giám định của cơ quan chuyên môn.")
t.eq(st, 303, "its time to resolve is suspended, with the reason")
st, page = console(tokens["complaint"])
t.ok(dd(page, "clock-suspended") and 'id="act-resume"' in page and 'id="act-extend"' not in page,
     "the page says since when; it may be resumed, nothing else moves the clock", dd(page, "clock-suspended"))
t.ok("Tạm đình chỉ việc giải quyết: Chờ kết quả giám định" in page, "the suspension and its reason are in the timeline")
with open(os.path.join(ROOT, "build/test-out/shots/console-suspended.html"), "w") as f:
    f.write(page)
chromium("file://" + os.path.join(ROOT, "build/test-out/shots/console-suspended.html"),
         os.path.join(ROOT, "build/test-out/shots/console-suspended.png"), size="1280,1400")
st, _, _ = act(tokens["complaint"], "resume", "Đã có kết quả giám định; tiếp tục giải quyết.")
st2, page = console(tokens["complaint"])
t.ok(st == 303 and dd(page, "clock-suspended") is None and 'id="act-suspend"' in page,
     "resumed: running again, and may be suspended again", st)
st, page = console(tokens["denunciation"])
t.ok(dd(page, "clock-accept-several") and dd(page, "clock-forward-by"),
     "the denunciation's page: the longer limit with checks at several places, and the forwarding limit")
act(tokens["denunciation"], "accept", "Đã ra quyết định thụ lý tố cáo.")
st, page = console(tokens["denunciation"])
t.ok(dd(page, "clock-decided") and dd(page, "clock-notify-by") and dd(page, "clock-notified") == "chưa"
     and 'id="act-notify"' in page, "accepted: the decision's date, the limit to tell the denouncer, not yet told")
st, _, _ = act(tokens["denunciation"], "notify", "Đã thông báo việc thụ lý cho người tố cáo.")
st2, page = console(tokens["denunciation"])
t.ok(st == 303 and dd(page, "clock-notified") not in (None, "chưa") and 'id="act-notify"' not in page,
     "told: when, and not offered again", dd(page, "clock-notified"))
with open(os.path.join(ROOT, "build/test-out/shots/console-denunciation.html"), "w") as f:
    f.write(page)
chromium("file://" + os.path.join(ROOT, "build/test-out/shots/console-denunciation.html"),
         os.path.join(ROOT, "build/test-out/shots/console-denunciation.png"), size="1280,1400")

# ---- the notice to the denouncer, on A4, read back through headless Chromium ----
t.ok('id="print-notice"' in page, "once the denouncer was told, the notice can be printed")
st, page = console(tokens["complaint"])
t.ok('id="print-notice"' not in page, "a complaint has no notice to a denouncer")
st, _, _ = officer.request("/staff/r/%s/print?paper=notice" % tokens["complaint"])
t.eq(st, 404, "nor can it be asked for by its address")
con = srv.db()
audits = con.execute("SELECT count(*) FROM audit WHERE action = 'open' AND detail LIKE 'print%'").fetchone()[0]
con.close()
b = Browser(1280, 1000)
try:
    b.goto(srv.url + "/staff/login")
    b.fill("#name", "lan.nguyen")
    b.fill("#password", "mật khẩu cán bộ 1")
    b.submit("#login")
    b.goto(srv.url + "/staff/r/" + tokens["denunciation"])
    b.goto(srv.url + b.eval("document.querySelector('#print-notice').getAttribute('href')"))
    notice = " ".join(b.text("#paper").split())
    b.screenshot(os.path.join(ROOT, "build/test-out/shots/paper-denunciation-notice.png"))
    pdf = b.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True,
                                     "printBackground": False}, session=True)["data"]
finally:
    b.close()
path = os.path.join(ROOT, "build/test-out/shots/paper-denunciation-notice.pdf")
open(path, "wb").write(base64.b64decode(pdf))
flat = " ".join(subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout.split())
info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
t.ok("(A4)" in info and "Pages:           1" in info, "the notice is one A4 page", info)
for what, needle in (("its title", "THÔNG BÁO VIỆC THỤ LÝ TỐ CÁO"), ("the national heading", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                     ("the receipt code", tokens["denunciation"][:4]), ("the day the acceptance was decided", "Ngày quyết định thụ lý:"),
                     ("what the official recorded", "Đã thông báo việc thụ lý cho người tố cáo."),
                     ("the time to resolve", "không quá 30 ngày"), ("how the identity is kept", "được giữ bí mật"),
                     ("the official", "lan.nguyen")):
    t.ok(needle in notice and needle in flat, "the notice, on screen and printed, holds %s" % what, flat[:700])
for what, needle in (("the denouncer's name", "Nguyễn Thị Thử"), ("the denouncer's phone", "0912"),
                     ("what was denounced, and whom", "Yêu cầu thử số"), ("a place for the filer to sign", "Người nộp hồ sơ")):
    t.ok(needle not in notice and needle not in flat, "the notice holds no %s" % what, flat[:700])
t.ok("Ctrl+P" not in flat, "the console's hint is not printed", flat[:300])
con = srv.db()
t.eq(con.execute("SELECT count(*) FROM audit WHERE action = 'open' AND detail LIKE 'print%'").fetchone()[0], audits,
     "printing the notice opens no sealed identity (no reading in the audit log)")
con.close()

office.terminate()
office.wait(timeout=30)
srv.stop()
t.done()
