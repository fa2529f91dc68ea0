"""The officials' console end to end, with real processes: a kiosk files
requests and syncs them to a real server; in headless Chromium (tests/cdp.py)
an officer logs in, filters the inbox, opens a request, accepts and resolves
it; the phone page and, after its next sync, the kiosk show the answer.
Then permissions (an officer never sees a denouncer's identity, not even by
a forged POST; a supervisor with a reason does, and the audit log says so),
CSRF and Origin refusals that change nothing, expired sessions back to the
login page and on to where the official was going, and the login rate
limit. Screenshots: build/shots/console-inbox.png and console-request.png at
1280x800."""
import http.cookiejar, os, re, sqlite3, sys, time, urllib.parse, urllib.request, urllib.error
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, ROOT, SHOTS, TYPED, file_request
from e2e import Server, Staff, kiosk_config, register, sync, kiosk_requests, files_contain, run, SERVER
from cdp import Browser

t = Tap()
NAME, PHONE = "Nguyễn Văn An", "0912345678"
OFFICER, SUPERVISOR = ("lan.nguyen", "mật khẩu cán bộ 1"), ("minh.tran", "mật khẩu lãnh đạo 2")
ACCEPT_NOTE = "Hồ sơ kiến nghị đã được thụ lý; cán bộ xã sẽ kiểm tra đoạn đường."
ANSWER = "Đoạn đường đã được đưa vào kế hoạch sửa chữa quý I; xã sẽ vá ổ gà trong tuần tới."
REASON = "Xác minh nội dung tố cáo theo chỉ đạo"



def user_add(srv, name, role, password, communes="27280"):
    """An account; an officer is given the communes it works (the kiosks' 27280)."""
    add = run([SERVER, "user", "add", "--data", srv.data, "--name", name, "--role", role], input=password + "\n")
    if add.returncode == 0 and role == "officer" and communes:
        run([SERVER, "user", "communes", "--data", srv.data, name, communes])
    return add


def browser_login(b, srv, who, start="/staff/inbox"):
    b.goto(srv.url + start)
    b.fill("#name", who[0])
    b.fill("#password", who[1])
    b.submit("#login")


def open_action(b, name, note, extra=None):
    b.eval("document.querySelector('#act-%s').open = true" % name)
    b.fill("#act-%s textarea[name=note]" % name, note)
    for k, v in (extra or {}).items():
        b.fill("#act-%s [name=%s]" % (name, k), v)
    b.submit("#act-%s button[type=submit]" % name)


# ---- a server with two officials, a kiosk that files and syncs ----
srv = Server().serve()
t.eq(user_add(srv, OFFICER[0], "officer", OFFICER[1]).returncode, 0, "user add: an officer, password from stdin")
t.eq(user_add(srv, SUPERVISOR[0], "supervisor", SUPERVISOR[1]).returncode, 0, "user add: a supervisor")
bad = user_add(srv, "hoa", "admin", "mật khẩu đủ dài")
t.ok(bad.returncode != 0 and "role" in bad.stderr, "an unknown role is refused with a reason", bad.stderr)
bad = user_add(srv, OFFICER[0], "officer", "mật khẩu khác dài")
t.ok(bad.returncode != 0 and "taken" in bad.stderr, "a taken name is refused", bad.stderr)
bad = user_add(srv, "hoa", "officer", "ngắn")
t.ok(bad.returncode != 0 and "short" in bad.stderr, "a short password is refused", bad.stderr)
listed = run([SERVER, "user", "list", "--data", srv.data])
t.ok(OFFICER[0] in listed.stdout and "supervisor" in listed.stdout, "user list shows both accounts", listed.stdout)
run([SERVER, "commune", "set", "--data", srv.data, "27280", "Xã Phù Lãng"])

cfg, data = kiosk_config(srv)
register(srv, cfg)
k = Kiosk(cfg)
file_request(k, "petition", tag="console-petition")
k.must("tap receipt.done")
file_request(k, "denunciation", tag="console-denunciation")
k.must("tap receipt.done")
file_request(k, "procedure", "birth_registration", tag="console-procedure")
k.must("tap receipt.done")
out = sync(cfg)
t.eq(out.returncode, 0, "the kiosk syncs its three requests")
petition, denunciation, procedure = srv.requests()   # the codes as the server opened them

# ---- the officer in Chromium: log in, filter, open, accept, resolve ----
b = Browser(1280, 800)
try:
    b.goto(srv.url + "/staff/inbox")
    t.ok("/staff/login" in b.url() and b.exists("#password"), "without a session the inbox leads to the login page", b.url())
    b.fill("#name", OFFICER[0])
    b.fill("#password", "sai mật khẩu rồi")
    b.submit("#login")
    t.ok(b.exists(".error") and "/staff/login" in b.url(), "a wrong password stays on the login page with a message",
         b.text(".login"))
    browser_login(b, srv, OFFICER)
    t.ok(b.url().endswith("/staff/inbox"), "logged in, the officer lands on the inbox", b.url())
    t.eq(b.text("#count-total"), "3", "the inbox counts three requests")
    rows = b.eval("Array.from(document.querySelectorAll('#inbox tbody tr a')).map(a => a.textContent.replace(/-/g, ''))")
    t.eq(sorted(rows), sorted(r[1] for r in (petition, denunciation, procedure)), "one row per request, by receipt code")
    # the birth registration is due first: deadline order
    t.eq(rows[0], procedure[1], "sorted by deadline: the same-day procedure first")
    b.screenshot(os.path.join(SHOTS, "console-inbox.png"))
    b.eval("document.querySelector('#category').value = 'petition'")
    b.submit("#filter")
    rows = b.eval("Array.from(document.querySelectorAll('#inbox tbody tr a')).map(a => a.textContent.replace(/-/g, ''))")
    t.eq(rows, [petition[1]], "filtered by category: the petition alone")
    t.ok("category=petition" in b.url(), "the filter is in the address, so it can be bookmarked", b.url())
    b.eval("document.querySelector('#status').value = 'resolved'")
    b.submit("#filter")
    t.eq(b.text("#count-total"), "0", "petitions already resolved: none")
    b.goto(srv.url + "/staff/inbox?status=open")
    t.eq(b.text("#count-total"), "3", "open: all three")

    b.submit("#inbox a[href^='/staff/r/%s?']" % petition[0])
    t.ok(b.text("#request-id") == petition[0], "the request page opens", b.url())
    con = srv.db()
    opened = con.execute("SELECT actor FROM audit WHERE action = 'open' AND request_id = ?", (petition[0],)).fetchall()
    con.close()
    t.eq(opened, [(OFFICER[0],)], "opening the request page, which shows its content, is an audit row with who")
    t.ok(b.exists("#show-identity"), "an officer may open a petition's identity")
    t.ok(b.exists("#act-accept") and b.exists("#act-resolve") and b.exists("#act-reschedule"),
         "action forms; the apology with a new date while it may still be sent, before the deadline")
    open_action(b, "accept", ACCEPT_NOTE)
    t.ok(b.exists("#done"), "accepting says it was saved", b.text("main")[:300])
    t.ok("thụ lý" in b.text("#status").lower(), "the status is now accepted", b.text("#status"))
    t.ok(ACCEPT_NOTE in b.text("#timeline"), "the timeline shows the note", b.text("#timeline"))
    b.eval("document.querySelector('#act-resolve').open = true")
    b.screenshot(os.path.join(SHOTS, "console-request.png"))
    # a refusal keeps the text: resolving with an empty note
    t.ok(b.eval("document.querySelector('#act-resolve textarea').required"), "the browser asks for an answer first")
    b.eval("document.querySelector('#act-resolve textarea').required = false")
    open_action(b, "resolve", "")
    t.ok(b.exists("#act-resolve[open] .error"), "the server refuses an empty answer on the form itself",
         b.text("#actions")[:300])
    open_action(b, "resolve", ANSWER)
    t.ok("giải quyết" in b.text("#status").lower(), "resolved", b.text("#status"))
    t.ok(ANSWER in b.text("#timeline"), "the answer is in the timeline")

    # ---- the citizen's phone page and the kiosk ----
    code, _, page = srv.get("/r/" + petition[1])
    t.ok(code == 200 and ANSWER in page and ACCEPT_NOTE in page, "the phone page shows the acceptance and the answer",
         page[:300])
    out = sync(cfg)
    t.eq(out.returncode, 0, "the kiosk syncs again")
    k.must("scan %s/r/%s" % (srv.url, petition[1]))
    labels = " ".join(w.get("label", "") for w in k.dump()["widgets"])
    t.ok(k.screen() == "status" and ANSWER[:20] in labels, "the kiosk's status screen shows the answer", labels[:400])
    if k.widget("status.history.open"):   # cut to fit: read whole on the history's page
        k.must("tap status.history.open")
        labels = " ".join(w.get("label", "") for w in k.dump()["widgets"])
        k.must("tap status.history.close")
    t.ok(" ".join(ANSWER.split()) in " ".join(labels.split()), "the citizen reads the whole answer at the kiosk", labels[:400])
    k.must("shot %s/console-kiosk-status.png" % SHOTS)
    k.must("tap status.done")

    # ---- an officer and a denunciation ----
    b.goto(srv.url + "/staff/r/" + denunciation[0])
    t.ok(not b.exists("#show-identity") and b.exists("#identity-secret"),
         "an officer sees no identity button on a denunciation, only why")
    t.ok(NAME not in b.text(), "and no name anywhere on the page")
    t.ok(TYPED["subject"][1] in b.text("#content-fields") and TYPED["details"][1] in b.text("#content-fields"),
         "but the officer reads what the denunciation is about, to work it", b.text("#content")[:300])
    t.ok(TYPED["address"][1] not in b.text() and TYPED["citizen_id"][1] not in b.text(),
         "without the denouncer's address or citizen id")

    officer = Staff(srv)
    code, hdr, _ = officer.login(*OFFICER)
    t.eq(code, 303, "the officer logs in over plain HTTP too")
    cookie = hdr.get("Set-Cookie", "")
    t.ok("HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie and "Secure" not in cookie,
         "the session cookie: HttpOnly, SameSite=Strict, Path=/staff (no Secure without --secure-cookies)", cookie)
    code, hdr, page = officer.request("/staff/r/" + denunciation[0])
    t.ok(code == 200 and hdr.get("Cache-Control") == "no-store", "console pages are never cached", hdr)
    t.ok("default-src 'self'" in hdr.get("Content-Security-Policy", "") and "<script" not in page,
         "a strict CSP and no script", hdr.get("Content-Security-Policy"))
    csrf = officer.csrf(page)
    code, _, page = officer.request("/staff/r/%s/identity" % denunciation[0], {"csrf": csrf, "reason": "tò mò"})
    t.ok(code == 403 and NAME not in page and PHONE not in page, "a forged identity POST by an officer is refused",
         "%d %s" % (code, page[:300]))

    # ---- CSRF and Origin ----
    before = srv.events()
    code, _, _ = officer.request("/staff/r/%s/act" % procedure[0], {"action": "accept", "note": "không có mã"})
    t.eq(code, 403, "an action without a CSRF token is refused")
    code, _, _ = officer.request("/staff/r/%s/act" % procedure[0], {"action": "accept", "note": "x", "csrf": "A" * 43})
    t.eq(code, 403, "an action with a wrong CSRF token is refused")
    code, _, _ = officer.request("/staff/r/%s/act" % procedure[0], {"action": "accept", "note": "x", "csrf": csrf},
                                 headers={"Origin": "http://evil.example"})
    t.eq(code, 403, "an action from another origin is refused")
    t.eq(srv.events(), before, "none of them changed anything")
    code, _, _ = officer.request("/staff/r/%s/act" % procedure[0], {"action": "accept", "note": "Đã thụ lý.", "csrf": csrf},
                                 headers={"Origin": srv.url})
    t.eq(code, 303, "the same action with the token and our origin is done")
    t.eq(len(srv.events()), len(before) + 1, "as one new event")
    code, _, _ = officer.request("/staff/audit")
    t.eq(code, 403, "the audit log is for supervisors")

    # ---- the supervisor opens the denouncer's identity with a reason ----
    b.submit("form[action='/staff/logout'] button")
    t.ok("/staff/login" in b.url(), "logging out leads to the login page", b.url())
    b.goto(srv.url + "/staff/inbox")
    t.ok("/staff/login" in b.url(), "and the old session is gone")
    browser_login(b, srv, SUPERVISOR, "/staff/r/" + denunciation[0])
    t.ok(b.url().endswith("/staff/r/" + denunciation[0]) and b.exists("#show-identity"),
         "a supervisor lands on the request and may open the identity", b.url())
    b.fill("#reason", REASON)
    b.submit("#show-identity")
    t.ok(NAME in b.text("#identity-fields") and PHONE in b.text("#identity-fields"), "the identity is shown",
         b.text("#identity")[:200])

    # ---- a dialogue conference, and a question filed for it ----
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600 + 10 * 86400))
    b.goto(srv.url + "/staff/conferences/new")
    b.eval("document.querySelector('#commune').value = '27280'")
    b.fill("input[name=date]", day)
    b.fill("input[name=time]", "08:30")
    b.fill("input[name=place]", "Hội trường UBND xã")
    b.fill("input[name=leaders]", "Chủ tịch UBND xã")
    b.fill("textarea[name=topic]", "Giao thông nông thôn")
    b.submit("#save-conference")
    conference_url = b.url().split("?")[0]
    t.ok(re.search(r"/staff/conferences/\d+$", conference_url) and b.exists(".notice"), "a conference is announced",
         b.url() + " " + b.text("main")[:300])
    try:
        file_request(k, "dialogue", tag="console-dialogue")
        k.must("tap receipt.done")
        filed = sync(cfg).returncode == 0
    except Exception as e:
        filed = False
        print("# filing a dialogue question: %s" % e)
    question = srv.requests()[-1]
    b.goto(conference_url)
    t.ok(filed and question[2] == "dialogue" and question[1] in b.text("#questions").replace("-", ""),
         "the conference lists the question filed for it at the kiosk", b.text("main")[:400])
    b.goto(srv.url + "/staff/conferences")
    t.ok("Giao thông nông thôn" in b.text("#conferences"), "and the list of conferences shows it")

    # ---- cancelled in the browser: a reason and the ticked box ----
    b.goto(conference_url)
    b.screenshot(os.path.join(SHOTS, "console-conference.png"))
    b.fill("#cancel textarea[name=reason]", "Mưa bão, đường vào xã bị ngập")
    t.ok(b.eval("document.querySelector('#cancel').checkValidity()") is False,
         "not ticked, the browser does not send the form")
    b.eval("document.querySelector('#cancel input[name=confirm]').checked = true")
    b.submit("#cancel-conference")
    t.ok(b.exists("#cancel-done") and "Mưa bão" in b.text("#cancelled") and not b.exists("#save-conference"),
         "ticked, the conference is cancelled and says why", b.text("main")[:300])
    b.screenshot(os.path.join(SHOTS, "console-conference-cancelled.png"))
    b.goto(srv.url + "/staff/r/" + question[0])
    t.ok("Chưa có lịch hội nghị" in b.text("#deadline"), "its question has no date now", b.text("#deadline"))

    b.goto(srv.url + "/staff/audit")
    audit = b.text("#audit")
    t.ok(SUPERVISOR[0] in audit and REASON in audit and denunciation[0] in audit,
         "the audit log shows who opened which identity and why", audit[:600])
    t.ok("login_failed" in audit and "accept" in audit and "resolve" in audit,
         "and the failed login and the actions", audit[:600])
    t.ok(NAME not in audit and PHONE not in audit, "but no personal data")

    # ---- an expired session goes to the login page, then on ----
    con = srv.db()
    con.execute("UPDATE staff_session SET last_seen = last_seen - 3 * 3600")
    con.commit()
    con.close()
    b.goto(srv.url + "/staff/r/" + procedure[0])
    t.ok("/staff/login" in b.url() and "hết hạn" in b.text(".login"), "an expired session: the login page says so",
         b.url())
    b.fill("#name", SUPERVISOR[0])
    b.fill("#password", SUPERVISOR[1])
    b.submit("#login")
    t.ok(b.url().endswith("/staff/r/" + procedure[0]), "after logging in again, back where the official was going",
         b.url())
    b.submit(".lang")
    t.ok(b.eval("document.documentElement.lang") == "en" and "Deadline in force" in b.text(),
         "the English switch", b.text("main")[:200])
    b.screenshot(os.path.join(SHOTS, "console-request-en.png"))
finally:
    b.close()

# ---- the idle time and login limit, as configured ----
srv2 = Server(extra=["--session-idle", "2"]).serve()
user_add(srv2, OFFICER[0], "officer", OFFICER[1])
s2 = Staff(srv2)
code, _, _ = s2.login(*OFFICER)
code, _, _ = s2.request("/staff/inbox")
t.eq(code, 200, "--session-idle 2: the inbox right after login")
time.sleep(3.5)
code, hdr, _ = s2.request("/staff/inbox")
t.ok(code == 303 and "why=expired" in hdr.get("Location", ""), "after 3 idle seconds: back to the login page",
     "%d %s" % (code, hdr.get("Location")))
codes = [Staff(srv2).login("guess%d" % i, "không phải mật khẩu")[0] for i in range(14)]
t.ok(429 in codes and codes[0] == 401, "login attempts from one address are rate-limited", codes)
_, _, page = Staff(srv2).request("/staff/login")
code, hdr, _ = Staff(srv2).request("/staff/login", {"name": OFFICER[0], "password": OFFICER[1], "csrf": "x" * 43})
t.ok(code in (403, 429), "a login without the form's own token is refused", code)
srv2.stop()
srv3 = Server(extra=["--secure-cookies"]).serve()
_, hdr, _ = Staff(srv3).request("/staff/login")
t.ok("; Secure" in hdr.get("Set-Cookie", ""), "--secure-cookies marks the console's cookies Secure", hdr.get("Set-Cookie"))
# The language switch changes nothing on a GET (a prefetch, another site's
# <img>); it is a POST form.
code, hdr, _ = Staff(srv3).request("/staff/lang?to=en&next=/staff/inbox")
t.ok(code == 404 and "lang=" not in hdr.get("Set-Cookie", ""), "GET /staff/lang changes nothing", "%d %s" % (code, hdr))
code, hdr, _ = Staff(srv3).request("/staff/lang", {"to": "en", "next": "/staff/inbox"})
t.ok(code == 303 and "lang=en" in hdr.get("Set-Cookie", ""), "POST /staff/lang switches the language",
     "%d %s" % (code, hdr))
srv3.stop()

t.eq(files_contain([srv.log, srv2.log], [NAME, PHONE, OFFICER[1], SUPERVISOR[1], REASON, petition[1], denunciation[1]]),
     [], "the server logs hold no name, phone, password, reason or full token")
rc, err = k.close()
t.eq(rc, 0, "the kiosk exits cleanly")
t.eq(srv.stop(), 0, "the server stops cleanly")
t.done()
