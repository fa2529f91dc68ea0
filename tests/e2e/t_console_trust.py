"""The console's side of the trust rules, over real HTTP and in headless
Chromium: an officer works only the communes assigned to them (the inbox,
the request page, its actions and identity, the checks page; a refusal is a
403 and an audit row), and one with none is told so; the request page
shows what the server found of the request's dates and code; the checks
page lists the dates to check side by side and the codes claimed twice,
by their last characters only; 300 failed logins do not push the real rows
of the audit log out of reach (filters, and paging with the store's
cursor); behind the TLS proxy (--secure-cookies) every console answer
carries HSTS. Screenshots at 1366x768: build/shots/console-checks.png,
console-audit.png, console-flags.png, console-no-communes.png."""
import os, re, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, SHOTS
from e2e import Server, Staff, run, SERVER
from cdp import Browser

t = Tap()
OFFICER, NONE, BOSS = ("lan.nguyen", "mật khẩu cán bộ 1"), ("hoa.le", "mật khẩu cán bộ 2"), \
    ("minh.tran", "mật khẩu lãnh đạo 3")
NOTE_DATES = "the kiosk's clock was 3652 days ahead: received at corrected"
NOTE_HELD = "receipt code also claimed by 27281-1"
HELD_TOKEN = "HELDCODE7Q2ZK"

srv = Server(extra=["--login-rate", "100000"])
now = int(time.time())
con = srv.db()
for kiosk in ("27280-1", "27281-1"):
    con.execute("INSERT INTO kiosk(id, key, added_at) VALUES(?, zeroblob(32), ?)", (kiosk, now - 86400))
rows = [
    # id, kiosk, token, commune, kiosk received, trust, note
    ("27280-1-000001", "27280-1", "PLAIN0000AAAA", "27280", None, 0, ""),
    ("27281-1-000001", "27281-1", "OTHER0000BBBB", "27281", now + 3650 * 86400, 1, "other commune's clock"),
    ("27280-1-000002", "27280-1", "DATES0000CCCC", "27280", now + 3652 * 86400, 6, NOTE_DATES),
    ("27280-1-000003", "27280-1", HELD_TOKEN, "27280", None, 8, NOTE_HELD),
    ("27281-1-000002", "27281-1", HELD_TOKEN, "27280", None, 8, NOTE_HELD),
]
for seq, (rid, kiosk, token, commune, kiosk_at, trust, note) in enumerate(rows, 1):
    con.execute("INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at, received_server_at,"
                " deadline, status, updated_at, sealed, commune, due, kiosk_received_at, trust, trust_note)"
                " VALUES(?, ?, ?, ?, 'petition', '', ?, ?, ?, 'synced', ?, x'00', ?, '2099-12-31', ?, ?, ?)",
                (rid, kiosk, seq, token, now - 60, now - 60, "2020-01-01" if trust & 4 else "2099-12-31", now - 60,
                 commune, kiosk_at, trust, note))
con.commit()
con.close()
srv.cli("commune", "set", "27280", "Xã Phù Lãng")
srv.cli("commune", "set", "27281", "Xã Phượng Sơn")
for who, role in ((OFFICER, "officer"), (NONE, "officer"), (BOSS, "supervisor")):
    run([SERVER, "user", "add", "--data", srv.data, "--name", who[0], "--role", role], input=who[1] + "\n")
sc = run([SERVER, "user", "communes", "--data", srv.data, OFFICER[0], "27280"])
t.ok(sc.returncode == 0, "the officer is given commune 27280", sc.stderr)
srv.serve()


def audit(action, request_id):
    c = srv.db()
    try:
        return c.execute("SELECT actor, detail FROM audit WHERE action = ? AND request_id = ? ORDER BY id",
                         (action, request_id)).fetchall()
    finally:
        c.close()


def status_of(request_id):
    c = srv.db()
    try:
        return c.execute("SELECT status FROM request WHERE id = ?", (request_id,)).fetchone()[0], \
            c.execute("SELECT count(*) FROM event WHERE request_id = ?", (request_id,)).fetchone()[0]
    finally:
        c.close()


# ---- an officer without communes is told so ----
none = Staff(srv)
t.eq(none.login(*NONE)[0], 303, "an officer without communes logs in")
code, _, page = none.request("/staff/inbox")
t.ok(code == 200 and 'id="no-communes"' in page, "their inbox says no communes are assigned to them", page[-600:])
t.ok("27280-1-000001" not in page and "PLAIN" not in page, "and lists nothing")
code, _, page = none.request("/staff/r/27280-1-000001")
t.eq(code, 403, "nor opens a request by its address")
code, _, page = none.request("/staff/checks")
t.ok(code == 200 and 'id="no-communes"' in page and "27280-1-000002" not in page, "nor sees the checks")

# ---- an officer of 27280 ----
o = Staff(srv)
t.eq(o.login(*OFFICER)[0], 303, "the officer of 27280 logs in")
code, _, page = o.request("/staff/inbox")
t.ok(code == 200 and "/staff/r/27280-1-000001" in page and "/staff/r/27280-1-000002" in page,
     "the inbox lists the requests of 27280", page[-800:])
t.ok("/staff/r/27281-1-000001" not in page, "but none of 27281")
code, _, page = o.request("/staff/inbox?commune=27281")
t.ok("/staff/r/27281-1-000001" not in page, "not even when the filter asks for 27281")
code, _, page = o.request("/staff/r/27280-1-000001")
t.eq(code, 200, "a request of 27280 opens")
code, _, page = o.request("/staff/r/27281-1-000001")
t.ok(code == 403 and "OTHER" not in page and "other commune" not in page, "one of 27281 is refused, showing nothing of it",
     page[-400:])
t.eq(audit("refused", "27281-1-000001"), [(OFFICER[0], "outside the officer's communes")],
     "the refusal is an audit row with who and why")
csrf = o.csrf(o.request("/staff/r/27280-1-000001")[2])
before = status_of("27281-1-000001")
code, _, _ = o.request("/staff/r/27281-1-000001/act", {"csrf": csrf, "action": "accept", "note": "Đã thụ lý."})
t.eq(code, 403, "an action posted on it is refused")
t.eq(status_of("27281-1-000001"), before, "and changes nothing")
code, _, _ = o.request("/staff/r/27281-1-000001/identity", {"csrf": csrf, "reason": "kiểm tra"})
t.eq(code, 403, "so is a look at its identity")
t.eq(len(audit("refused", "27281-1-000001")), 3, "each refusal is recorded")
t.eq(audit("identity", "27281-1-000001"), [], "and no identity was opened")

# ---- the flags on the request page ----
code, _, page = o.request("/staff/r/27280-1-000002")
m = re.search(r'id="trust-dates">(.*?)</p>', page)
t.ok(code == 200 and m and NOTE_DATES.replace("'", "&#39;") in m.group(1) or (m and NOTE_DATES in m.group(1)),
     "the request page says the server corrected its dates, and why", m and m.group(1))
t.ok(m and "giờ nhận không thể đúng" in m.group(1) and "máy chủ tính lại" in m.group(1)
     and "đồng hồ ki-ốt lệch" not in m.group(1),
     "in the page's language, one reason for each flag set", m and m.group(1))
t.ok('id="trust-held"' not in page, "and holds no code it does not")
code, _, page = o.request("/staff/r/27280-1-000003")
t.ok('id="trust-held"' in page and 'id="trust-dates"' not in page, "a code claimed twice is said so", page[-1500:])
code, _, page = o.request("/staff/r/27280-1-000001")
t.ok('id="trust-' not in page, "a request with nothing found says nothing")

# ---- the checks page ----
code, _, page = o.request("/staff/checks")
t.eq(code, 200, "the officer opens the checks")
dates = page.split('id="dates-table"')[1].split("</table>")[0] if 'id="dates-table"' in page else ""
held = page.split('id="held-table"')[1].split("</table>")[0] if 'id="held-table"' in page else ""
t.ok("27280-1-000002" in dates and "27281-1-000001" not in dates, "dates to check: 27280's, not 27281's", dates[:600])
kiosk_said = time.strftime("%Y", time.gmtime(now + 3652 * 86400 + 7 * 3600))
t.ok(kiosk_said in dates and time.strftime("%Y", time.gmtime(now + 7 * 3600)) in dates and "01/01/2020" in dates
     and "31/12/2099" in dates, "received and deadline side by side, the kiosk's and the server's", dates[:900])
t.ok("27280-1-000003" in held and "27281-1-000002" in held and held.count("<tr><td>") == 1,
     "the two claimants of one code together in one row", held[:900])
t.ok(HELD_TOKEN not in page and "…" + HELD_TOKEN[-4:] in held, "the code shown only by its last characters", held[:300])
code, _, _ = o.request("/staff/checks?commune=27281")
t.eq(code, 403, "an officer cannot pick another commune's checks")
boss = Staff(srv)
t.eq(boss.login(*BOSS)[0], 303, "the supervisor logs in")
code, _, page = boss.request("/staff/checks")
t.ok("27281-1-000001" in page and "27280-1-000002" in page, "a supervisor's checks cover every commune")
t.ok(HELD_TOKEN not in page, "and never show a whole code either")
code, _, page = boss.request("/staff/checks?commune=27281")
dates = page.split('id="dates-table"')[1].split("</table>")[0]
t.ok("27281-1-000001" in dates and "27280-1-000002" not in dates, "or those of the commune picked", dates[:500])
t.ok('href="/staff/checks"' in page, "the frame links the checks")

# ---- the audit log under 300 failed logins ----
code, _, _ = boss.request("/staff/r/27281-1-000001")
t.eq(code, 200, "a supervisor opens any commune's request")
# from 300 addresses, as a botnet would: one address soon waits (429) between guesses
for i in range(300):
    code = Staff(srv, "127.0.%d.%d" % (1 + i // 200, 1 + i % 200)).login("guess%03d" % i, "không phải mật khẩu")[0]
    if code != 401:
        t.ok(False, "a failed login answers 401", code)
        break
c = srv.db()
t.eq(c.execute("SELECT count(*) FROM audit WHERE action = 'login_failed'").fetchone()[0], 300,
     "300 failed logins are in the audit log")
c.close()
code, _, page = boss.request("/staff/audit")
t.ok(code == 200 and "27281-1-000001" not in page.split('id="audit"')[1], "the newest page is all failed logins")
code, _, page = boss.request("/staff/audit?nofail=1")
t.ok("outside the officer&#39;s communes" in page or "outside the officer's communes" in page,
     "without the failed logins the officer's refusals are on the first page", page[-1500:])
code, _, page = boss.request("/staff/audit?action=refused")
body = page.split("<tbody>")[1].split("</tbody>")[0]
t.ok(body.count("<tr>") == 4 and "login_failed" not in body, "filtered by action: the four refusals", body[:500])
code, _, page = boss.request("/staff/audit?actor=" + OFFICER[0].replace(".", "%2E"))
t.ok(page.count(">refused<") == 3, "filtered by official: theirs", page[-800:])
code, _, page = boss.request("/staff/audit?request=27281-1-000001")
body = page.split("<tbody>")[1].split("</tbody>")[0]
t.ok(body.count("<tr>") == 3 and "login_failed" not in body, "filtered by request", body[:300])
# paging: the older links, with their filters, down to the first rows
path, pages, seen = "/staff/audit", 0, ""
while path and pages < 10:
    code, _, page = boss.request(path.replace("&amp;", "&"))
    pages += 1
    seen += page.split("<tbody>")[1].split("</tbody>")[0]
    m = re.search(r'id="older" href="([^"]+)"', page)
    path = m and m.group(1)
c = srv.db()
total = c.execute("SELECT count(*) FROM audit").fetchone()[0]
c.close()
t.ok(pages == (total + 99) // 100 and seen.count("login_failed") == 300 and seen.count(">refused<") == 4,
     "paging older reaches every row, 100 a page, the last without an older link", (pages, total))
code, _, page = boss.request("/staff/audit?action=login_failed")
m = re.search(r'id="older" href="([^"]+)"', page)
t.ok(m and "action=login_failed" in m.group(1) and "before=" in m.group(1), "the older link keeps the filters",
     m and m.group(1))
code, _, page = boss.request(m.group(1).replace("&amp;", "&") if m else "/staff/audit")
t.ok('id="newest"' in page and ">refused<" not in page, "and the page after it keeps them too")

# ---- in Chromium, 1366x768 ----
b = Browser(1366, 768)
try:
    b.goto(srv.url + "/staff/login?next=/staff/checks")
    b.fill("#name", BOSS[0])
    b.fill("#password", BOSS[1])
    b.submit("#login")
    t.ok(b.url().endswith("/staff/checks") and b.exists("#held-table"), "the checks page in a browser", b.url())
    t.ok(b.eval("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at 1366 wide")
    b.screenshot(os.path.join(SHOTS, "console-checks.png"))
    b.goto(srv.url + "/staff/r/27280-1-000002")
    t.ok(NOTE_DATES in b.text("#trust-dates"), "the flag in a browser", b.text("main")[:300])
    b.screenshot(os.path.join(SHOTS, "console-flags.png"))
    b.goto(srv.url + "/staff/audit")
    b.eval("document.querySelector('#nofail').checked = true")
    b.fill("#f-action", "refused")
    b.submit("#filter")
    t.ok("nofail=1" in b.url() and "action=refused" in b.url(), "the audit filters are in the address", b.url())
    t.eq(b.eval("document.querySelectorAll('#audit tbody tr').length"), 4, "and filter")
    b.goto(srv.url + "/staff/audit?nofail=1")
    b.screenshot(os.path.join(SHOTS, "console-audit.png"))
    b.submit("form[action='/staff/logout'] button")
    b.goto(srv.url + "/staff/login?next=/staff/inbox")
    b.fill("#name", NONE[0])
    b.fill("#password", NONE[1])
    b.submit("#login")
    t.ok(b.exists("#no-communes"), "the officer without communes is told so", b.text("main")[:300])
    b.screenshot(os.path.join(SHOTS, "console-no-communes.png"))
finally:
    b.close()
t.eq(srv.stop(), 0, "the server stops cleanly")

# ---- HSTS behind the TLS proxy ----
plain = Server().serve()
_, hdr, _ = Staff(plain).request("/staff/login")
t.ok("Strict-Transport-Security" not in hdr, "plain HTTP: no HSTS", hdr)
plain.stop()
tls = Server(extra=["--secure-cookies"]).serve()
for path in ("/staff/login", "/staff/inbox", "/staff/style.css"):
    _, hdr, _ = Staff(tls).request(path)
    t.eq(hdr.get("Strict-Transport-Security"), "max-age=31536000", "--secure-cookies: HSTS on " + path)
tls.stop()
t.done()
