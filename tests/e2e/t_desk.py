"""An official's day in the console, end to end with real processes: a kiosk
files a petition (and motcua-fill a dozen more), syncs them to a real server;
in headless Chromium at 1366x768 officials find requests by receipt code,
request id, the citizen's phone and ID number (matched through keyed hashes:
the server's database holds neither in clear) and by words of the subject
with or without marks; sort and filter (due within N days, mine,
unassigned); a supervisor assigns a request to an officer, which is in the
audit log and the timeline, writes a canned reply; the officer finds it in
"mine", answers with the canned reply, records the dossier number, and
walks the list with "next request", the filters kept on every link. Bad
input in the search box answers a page. Screenshots: build/shots/desk-*.png."""
import base64, csv, io, os, re, sqlite3, subprocess, sys, tempfile, time, urllib.parse, zipfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, SHOTS, TYPED, file_request
from e2e import Server, Staff, kiosk_config, register, sync, fill, kiosk_requests, run, SERVER
from cdp import Browser

t = Tap()
OFFICER, OTHER, SUPERVISOR = ("lan.nguyen", "mật khẩu cán bộ 1"), ("hai.le", "mật khẩu cán bộ 2"), \
    ("minh.tran", "mật khẩu lãnh đạo 2")
PHONE, CID = TYPED["phone"][1], TYPED["citizen_id"][1]
REPLY_TITLE = "Thụ lý kiến nghị về đường"
REPLY_TEXT = "Kiến nghị của ông/bà đã được thụ lý; xã sẽ trả lời trong 10 ngày làm việc."
DOSSIER = "000.00.27.H01-261201-0001"
SUPPLEMENT = "Bản sao giấy chứng sinh có chứng thực; tờ khai ký đủ họ tên người đi khai."


def user_add(srv, name, role, password, communes="27280"):
    add = run([SERVER, "user", "add", "--data", srv.data, "--name", name, "--role", role], input=password + "\n")
    if add.returncode == 0 and role == "officer" and communes:
        run([SERVER, "user", "communes", "--data", srv.data, name, communes])
    return add


def login(b, who):
    b.goto(srv.url + "/staff/login")
    b.fill("#name", who[0])
    b.fill("#password", who[1])
    b.submit("#login")


def rows(b):
    """The receipt codes of the inbox's rows, without their dashes."""
    return b.eval("Array.from(document.querySelectorAll('#inbox tbody tr a.code'))"
                  ".map(a => a.textContent.replace(/-/g, ''))")


def search(b, q, extra=""):
    b.goto(srv.url + "/staff/inbox?q=" + urllib.parse.quote(q) + extra)


srv = Server().serve()
for who, role, communes in ((OFFICER, "officer", "27280"), (OTHER, "officer", "27281"),
                            (SUPERVISOR, "supervisor", "")):
    t.eq(user_add(srv, who[0], role, who[1], communes).returncode, 0, "account %s" % who[0])
run([SERVER, "commune", "set", "--data", srv.data, "27280", "Xã Phù Lãng"])
cfg, data = kiosk_config(srv)
register(srv, cfg)
k = Kiosk(cfg)
file_request(k, "petition", tag="desk-petition")
k.must("tap receipt.done")
fill(cfg, 12)
t.eq(sync(cfg).returncode, 0, "the kiosk syncs thirteen requests")
reqs = srv.requests()   # the codes as the server opened them
petition = reqs[0]
filled = reqs[1:]
t.eq(len(filled), 12, "a petition from the kiosk's form and twelve filled")

# ---- nothing in clear, and every request indexed (just after its push is answered) ----
for _ in range(100):
    con = srv.db()
    pending = con.execute("SELECT count(*) FROM request WHERE find_state = 0").fetchone()[0]
    con.close()
    if not pending:
        break
    time.sleep(0.05)
con = srv.db()
dump = "\n".join(con.iterdump())
state = con.execute("SELECT find_state, count(*) FROM request GROUP BY find_state").fetchall()
keys = con.execute("SELECT count(*) FROM find_key").fetchone()[0]
con.close()
t.eq(state, [(1, 13)], "every request's form was opened once and its search keys made")
t.ok(keys > 13, "search keys stored", keys)
leaks = [s for s in (PHONE, CID, "0912000005", "Đường liên thôn", "liên thôn", "duong") if s in dump]
t.eq(leaks, [], "the server's database holds no phone, ID number or subject in clear")

b = Browser(1366, 768)
try:
    login(b, OFFICER)
    t.ok(b.url().endswith("/staff/inbox"), "the officer is in the inbox", b.url())
    t.ok(b.exists("#view-all.on"), "nothing assigned to the officer yet: all their communes' requests",
         b.text("#views"))
    t.eq(b.text("#count-total"), "13", "thirteen requests")
    # ---- what each row is about ----
    cells = b.eval("Array.from(document.querySelectorAll('#inbox tbody tr')).map(tr => [tr.querySelector("
                   "'a.code').textContent.replace(/-/g, ''), tr.cells[2].textContent, tr.cells[3].textContent])")
    about = {code: (category, subject) for code, category, subject in cells}
    t.eq(about[petition[1]][1], "Đường liên thôn bị hỏng", "the petition's row shows the subject the citizen wrote")
    denounced = [v[1] for v in about.values() if v[0] == "Tố cáo"]
    t.ok(denounced and all(v == "Chỉ xem trong hồ sơ" for v in denounced),
         "a denunciation's subject is read only on its audited page, never in the list", denounced)
    bare = [code for code, v in about.items() if v[1] in ("", "–")]
    t.ok(bare == [], "every row says what it is about", cells)

    # ---- find ----
    search(b, PHONE)
    t.eq(rows(b), [petition[1]], "by the citizen's phone: the petition alone")
    b.screenshot(os.path.join(SHOTS, "desk-search.png"))
    search(b, "0912 345 678")
    t.eq(rows(b), [petition[1]], "a phone typed with spaces")
    search(b, "+84912345678")
    t.eq(rows(b), [petition[1]], "a phone typed with +84")
    search(b, CID)
    t.eq(rows(b), [petition[1]], "by the ID number")
    search(b, "0912000005")
    t.eq(rows(b), [filled[5][1]], "by the phone of a filled request: that one only")
    search(b, "091234567")
    t.eq(rows(b), [], "a phone one digit short finds nothing: exact match")
    t.ok(b.exists("#no-rows"), "and says what a search matches", b.text("#inbox"))
    search(b, "duong lien thon")
    t.eq(rows(b), [petition[1]], "words of the subject without marks")
    search(b, "ĐƯỜNG  hỏng")
    t.eq(rows(b), [petition[1]], "words in capitals with marks, in any order")
    search(b, "đường ổ gà")
    t.eq(rows(b), [petition[1]], "words of the details")
    search(b, "thử số 7")
    t.eq(rows(b), [filled[7][1]], "every word must be there: one filled request")
    search(b, "thử", "&sort=received")
    t.eq(rows(b), [r[1] for r in reversed(filled)], "twelve with the word, newest received first")
    search(b, petition[1].lower()[:4] + "-" + petition[1].lower()[4:])
    t.ok(b.url().split("?")[0].endswith("/staff/r/" + petition[0]), "a receipt code typed opens its request", b.url())
    search(b, filled[2][0])
    t.ok(b.url().split("?")[0].endswith("/staff/r/" + filled[2][0]), "so does a request id", b.url())

    # ---- bad input answers a page ----
    staff = Staff(srv)
    staff.login(*OFFICER)
    for q, what in (("'\"; DROP TABLE request; --", "quotes and SQL"), ("a" * 10000, "10,000 characters"), ("ổ" * 2000, "2,000 letters with marks"),
                    ("%", "a percent sign"), ("\"*\" OR 1=1", "an SQL condition"), ("", "nothing")):
        code, _, page = staff.request("/staff/inbox?q=" + urllib.parse.quote(q))
        t.ok(code == 200 and 'id="inbox"' in page, "a search for %s answers the inbox page" % what, page[:200])
    code, _, page = staff.request("/staff/inbox?q=%FF%FE%80abc")
    t.ok(code == 200 and 'id="inbox"' in page, "invalid UTF-8 answers the inbox page", page[:200])
    code, _, page = staff.request("/staff/inbox?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
    t.ok(code == 200 and "<script>alert" not in page, "what was typed comes back escaped", page[:200])
    con = srv.db()
    t.eq(con.execute("SELECT count(*) FROM request").fetchone()[0], 13, "and the requests are all still there")
    con.close()

    # ---- sort and due within ----
    b.goto(srv.url + "/staff/inbox?sort=deadline")
    by_deadline = rows(b)
    con = srv.db()
    due = {tok: max(d, a) for tok, d, a in con.execute("SELECT token, due, appointment FROM request").fetchall()}
    con.close()
    t.eq([due[c] for c in by_deadline], sorted(due[c] for c in by_deadline), "sorted by deadline, soonest first")
    b.goto(srv.url + "/staff/inbox?sort=status")
    t.eq(b.eval("document.querySelector('#sort').value"), "status", "the sort is kept in its control")
    b.goto(srv.url + "/staff/inbox?within=1")
    soon = rows(b)
    t.ok(soon and all(due[c] <= max(due.values()) for c in soon) and len(soon) < 13,
         "due within a day: only the requests due by tomorrow", (soon, due))

    # ---- the supervisor assigns, and writes a canned reply ----
    sup = Browser(1366, 768)
    try:
        login(sup, SUPERVISOR)
        sup.goto(srv.url + "/staff/r/" + petition[0])
        t.ok(sup.exists("#assign"), "a supervisor has the assignment form", sup.text("#assignment"))
        options = sup.eval("Array.from(document.querySelectorAll('#officer option')).map(o => o.value)")
        t.eq(options, ["", OFFICER[0]], "only officers working the commune are offered")
        s2 = Staff(srv)
        s2.login(*SUPERVISOR)
        _, _, page = s2.request("/staff/r/" + petition[0])
        code, _, page = s2.request("/staff/r/%s/assign" % petition[0], {"csrf": s2.csrf(page), "officer": OTHER[0]})
        t.ok(code == 422 and "27280" in page, "assigning an officer outside the commune is refused with why", page[:300])
        sup.fill("#officer", OFFICER[0])
        sup.submit("#assign")
        t.eq(sup.text("#assignee"), OFFICER[0], "assigned")
        t.ok("Giao xử lý" in sup.text("#timeline") and OFFICER[0] in sup.text("#timeline"),
             "the assignment is in the timeline", sup.text("#timeline"))
        con = srv.db()
        audit = con.execute("SELECT actor, detail FROM audit WHERE action = 'assign' AND request_id = ?",
                            (petition[0],)).fetchall()
        con.close()
        t.eq(audit, [(SUPERVISOR[0], "- -> " + OFFICER[0])], "and in the audit log, by whom")
        officer_http = Staff(srv)
        officer_http.login(*OFFICER)
        _, _, page = officer_http.request("/staff/r/" + petition[0])
        code, _, _ = officer_http.request("/staff/r/%s/assign" % petition[0],
                                          {"csrf": officer_http.csrf(page), "officer": ""})
        t.eq(code, 422, "an officer cannot assign")

        sup.goto(srv.url + "/staff/replies")
        sup.fill("#reply-form-0 [name=category]", "petition")
        sup.fill("#reply-form-0 [name=action]", "accept")
        sup.fill("#reply-form-0 [name=title]", REPLY_TITLE)
        sup.fill("#reply-form-0 [name=text]", REPLY_TEXT)
        sup.submit("#reply-form-0 button[type=submit]")
        titles = sup.eval("Array.from(document.querySelectorAll('form:not(#reply-form-0) [name=title]')).map(i => i.value)")
        t.ok(sup.exists("#done") and titles == [REPLY_TITLE], "the supervisor saved a canned reply", titles)
        sup.screenshot(os.path.join(SHOTS, "desk-replies.png"))
        code, _, _ = officer_http.request("/staff/replies")
        t.ok(code in (303, 403), "officers do not edit canned replies", code)
    finally:
        sup.close()

    # ---- the officer: mine first, the canned reply, next request ----
    b.goto(srv.url + "/staff/inbox")
    t.ok(b.exists("#view-mine.on"), "with a request assigned, the officer's inbox opens on mine", b.text("#views"))
    t.eq(rows(b), [petition[1]], "mine: the assigned petition")
    b.goto(srv.url + "/staff/inbox?view=unassigned")
    t.ok(petition[1] not in rows(b) and len(rows(b)) == 12, "unassigned: the twelve others")
    b.goto(srv.url + "/staff/inbox?view=mine")
    b.submit("#inbox a.code")
    t.ok("view=mine" in b.url() and "i=0" in b.url(), "the request's page knows the list it came from", b.url())
    t.ok(b.exists("#act-accept[open]"), "the likeliest action, accepting, is open", b.text("#actions")[:300])
    forms = b.eval("Array.from(document.querySelectorAll('#actions details')).map(d => d.id)")
    t.ok("act-extend" not in forms and len(forms) < 8,
         "only the actions the law allows now (no extension before acceptance)", forms)
    t.ok(b.exists("#not-now"), "and which ones are not possible yet", b.text("#actions")[-300:])
    t.ok("Đường liên thôn bị hỏng" in b.text("#content"), "the subject is on the page")
    b.submit("#act-accept a.reply")
    t.eq(b.eval("document.querySelector('#act-accept textarea').value"), REPLY_TEXT, "the canned reply fills the note")
    b.fill("#act-accept [name=dossier]", DOSSIER)
    b.screenshot(os.path.join(SHOTS, "desk-request.png"))
    b.submit("#act-accept button[type=submit]")
    t.ok(b.exists("#done") and "view=mine" in b.url(), "accepted, back on the page in the same list", b.url())
    t.eq(b.text("#dossier"), DOSSIER, "the dossier number is recorded")
    t.ok(REPLY_TEXT in b.text("#timeline"), "the canned reply went to the citizen", b.text("#timeline"))
    t.ok(not b.exists("#act-accept"), "accepting is no longer offered")
    back = b.eval("document.querySelector('#back').getAttribute('href')")
    t.ok("view=mine" in back, "back to the list keeps its view", back)
    code, _, page = srv.get("/r/" + petition[1])
    t.ok(REPLY_TEXT in page, "the phone page shows the answer")
    search(b, DOSSIER)
    t.eq(rows(b), [petition[1]], "found by the dossier number")

    # ---- next request, with the filters kept ----
    b.goto(srv.url + "/staff/inbox?view=all&sort=received&category=petition")
    listed = rows(b)
    t.ok(len(listed) >= 3, "petitions, newest first", listed)
    b.submit("#inbox a.code")
    seen = [b.text("#receipt").replace("-", "")]
    while b.exists("#next-request") and len(seen) < 10:
        b.submit("#next-request")
        seen.append(b.text("#receipt").replace("-", ""))
        t.ok("category=petition" in b.url() and "sort=received" in b.url(), "next keeps the filters", b.url())
    t.eq(seen, listed, "next request walks the list in its order, to its end")
    b.submit("#back")
    t.ok("category=petition" in b.url() and "sort=received" in b.url(), "back to the same list", b.url())
    b.goto(srv.url + "/staff/inbox?view=all")
    b.screenshot(os.path.join(SHOTS, "desk-inbox.png"))

    # ---- the official papers, printed on A4 ----
    proc = filled[0]
    b.goto(srv.url + "/staff/r/" + proc[0])
    t.ok(not b.exists("#papers"), "no papers before there is anything to print")
    b.eval("document.querySelector('#act-supplement').open = true")
    b.fill("#act-supplement textarea[name=note]", SUPPLEMENT)
    b.submit("#act-supplement button[type=submit]")
    t.ok(b.exists("#print-supplement") and not b.exists("#print-refusal"), "the supplement request can be printed",
         b.text("main")[-400:])
    b.goto(srv.url + b.eval("document.querySelector('#print-supplement').getAttribute('href')"))
    pdf = b.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True,
                                     "printBackground": False}, session=True)["data"]
    path = os.path.join(SHOTS, "desk-supplement.pdf")
    open(path, "wb").write(base64.b64decode(pdf))
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    t.ok("(A4)" in info and "Pages:           1" in info, "the paper is one A4 page", info)
    for what, needle in (("the title", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
                         ("the national heading", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                         ("the office", "XÃ PHÙ LÃNG"), ("what is missing", SUPPLEMENT),
                         ("the receipt code", proc[1][:4]), ("the filer's name", "Nguyễn Thị Thử"),
                         ("the rule of the clock", "tính lại từ đầu"), ("the official", OFFICER[0])):
        t.ok(needle in flat, "the printed supplement request holds %s" % what, flat[:600])
    t.ok("Ctrl+P" not in flat and "Đăng xuất" not in flat, "the console's own parts are not printed", flat[:300])
    b.screenshot(os.path.join(SHOTS, "desk-paper.png"))
    con = srv.db()
    printed = con.execute("SELECT actor, detail FROM audit WHERE action = 'open' AND request_id = ? AND detail LIKE"
                          " 'print%'", (proc[0],)).fetchall()
    con.close()
    t.eq(printed, [(OFFICER[0], "print supplement")], "printing, which reads the filer's name, is in the audit log")
    code, _, _ = officer_http.request("/staff/r/%s/print?paper=refusal" % proc[0])
    t.eq(code, 404, "a paper the request has not reached is not printed")

    # ---- export: the list as filtered, CSV and Excel ----
    b.goto(srv.url + "/staff/inbox?view=all")
    href = b.eval("document.querySelector('#export-xlsx').getAttribute('href')")
    t.ok("view=all" in href and "format=xlsx" in href, "the download links carry the list's filters", href)
    raw = officer_http.opener.open(srv.url + "/staff/export?format=csv&view=all&category=petition").read()
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    t.eq(len(table), 1 + len([r for r in reqs if r[2] == "petition"]), "CSV: a header and one line per petition")
    t.ok(table[0][0] == "Mã biên nhận" and DOSSIER in raw.decode(), "in Vietnamese, with the dossier number",
         table[:2])
    t.ok(PHONE not in raw.decode() and "Nguyễn" not in raw.decode(), "an officer's export holds no identity")
    r = officer_http.opener.open(srv.url + "/staff/export?format=xlsx&view=all")
    book = zipfile.ZipFile(io.BytesIO(r.read()))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    cells = re.findall(r"<t[^>]*>([^<]*)</t>", sheet)
    t.ok("spreadsheetml" in r.headers.get("Content-Type", "") and sheet.count("<row ") == 14,
         "Excel: a workbook with a header row and thirteen requests", sheet[:200])
    t.ok(petition[0] in cells and DOSSIER in cells and PHONE not in sheet, "the workbook holds the rows, no identity")
    # The times and the deadline are Excel dates (days since 1899-12-30, Vietnam time) in a date format, the
    # same day and minute the CSV writes as text.
    styles = book.read("xl/styles.xml").decode()
    fmts = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]+)"', styles))
    xfs = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])
    texts = {l[1]: l for l in csv.reader(io.StringIO(officer_http.opener.open(
        srv.url + "/staff/export?format=csv&view=all").read().decode("utf-8-sig")))}
    dated = []
    for row, rid in re.findall(r'<row r="(\d+)"><c r="A\d+"[^>]*><is><t>[^<]*</t></is></c><c r="B\d+"[^>]*><is><t>([^<]*)<',
                               sheet):
        for col, at in (("H", 7), ("J", 9)):
            m = re.search(r'<c r="%s%s" s="(\d+)"><v>([0-9.]+)</v></c>' % (col, row), sheet)
            if not m:
                continue
            code = re.search(r'numFmtId="(\d+)"', xfs[int(m.group(1))]).group(1)
            shown = time.strftime("%d/%m/%Y %H:%M" if col == "H" else "%d/%m/%Y",
                                  time.gmtime(round((float(m.group(2)) - 25569) * 86400)))
            dated.append((fmts.get(code), shown == texts[rid][at], shown, texts[rid][at]))
    t.ok(len(dated) >= 20 and all(d[0] in ("dd/mm/yyyy hh:mm", "dd/mm/yyyy") and d[1] for d in dated),
         "Excel: the received times and the deadlines are dates, as the CSV shows them", dated[:4])
    _, _, page = officer_http.request("/staff/inbox")
    code, _, _ = officer_http.request("/staff/export?format=csv", {"csrf": officer_http.csrf(page), "reason": "x"})
    t.eq(code, 403, "an officer cannot export identities")
    sup_http = Staff(srv)
    sup_http.login(*SUPERVISOR)
    _, _, page = sup_http.request("/staff/inbox")
    code, _, _ = sup_http.request("/staff/export?format=csv", {"csrf": sup_http.csrf(page), "reason": ""})
    t.eq(code, 422, "identities without a reason: refused")
    code, hdr, body = sup_http.request("/staff/export?format=csv&view=all", {"csrf": sup_http.csrf(page),
                                                                             "reason": "Báo cáo thanh tra"})
    t.ok(code == 200 and PHONE in body and CID in body, "a supervisor with a reason gets the identities", body[:300])
    secret = [l for l in csv.reader(io.StringIO(body.lstrip("\ufeff"))) if l[3] == "Tố cáo"]
    t.ok(secret and all(l[14] == "" and l[15] == "" for l in secret), "but never a denouncer's", secret[:1])
    con = srv.db()
    audit = con.execute("SELECT actor, action, detail FROM audit WHERE action LIKE 'export%' ORDER BY id").fetchall()
    con.close()
    t.ok(any(a[0] == SUPERVISOR[0] and a[1] == "export_identity" and "Báo cáo thanh tra" in a[2] for a in audit),
         "the identity export is in the audit log with its reason", audit)
    t.ok(any(a[0] == OFFICER[0] and a[1] == "export" for a in audit), "and plain exports too", audit)
finally:
    b.close()
srv.stop()
t.done()
