"""Receipt codes, for real, with the real programs (docs/security.md,
"Receipt codes at rest" and "A held code released"):

- a kiosk's data folder (every file in it) and its USB bundle hold no issued
  receipt code in clear (canonical, grouped or lower case), while the kiosk's
  own lookup screen finds a code typed there and the server, which opened
  each code on arrival, serves its phone page;
- a store from before (schema 3, codes in clear) is converted by the first
  program that opens it (`motcua-sync status`): no code left in any byte of
  the folder, each still found at the kiosk and, after a sync, on /r/;
- a code claimed by two kiosks is held; in headless Chromium a supervisor
  on /staff/checks chooses its genuine claimant with a reason; the phone
  page then shows that request, the other stays flagged, the audit row
  says who, when and why; an officer's attempt and a choice without a
  reason are refused and change nothing.
Screenshots: build/test-out/shots/console-release*.png."""
import base64, datetime, json, os, re, secrets, sqlite3, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, SHOTS, ROOT, file_request, shown_code, code_of
from e2e import Server, Staff, kiosk_config, register, sync, fill, files_contain, run, SERVER, SYNC
from cdp import Browser

t = Tap()
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"
BOSS, OFFICER = ("minh.tran", "mật khẩu lãnh đạo 3"), ("lan.nguyen", "mật khẩu cán bộ 1")
REASON = "Công dân mang giấy biên nhận của ki-ốt 27280-3; sổ tiếp nhận khớp"


OLD_CHECKS = "*~$=U"


def encode(value):
    """12 symbols and the mod-37 check, from Crockford's description."""
    data = "".join(ALPHABET[(value >> (5 * (11 - i))) & 31] for i in range(12))
    return data + ALPHABET[value % 37]


def new_code():
    """A receipt code as token_new draws one today: its check a letter or digit."""
    while True:
        value = secrets.randbits(60)
        if value % 37 < 32:
            return encode(value)


def old_code(check):
    """A code issued before the change, ending in the check-only symbol check."""
    value = secrets.randbits(60)
    return encode(value - value % 37 + ALPHABET.index(check) if value % 37 <= ALPHABET.index(check)
                  else value - value % 37 - 37 + ALPHABET.index(check))


def forms(codes):
    """Every way a code could sit in a file: canonical, grouped, lower case."""
    out = []
    for c in codes:
        out += [c, "%s-%s-%s" % (c[:4], c[4:8], c[8:]), c.lower()]
    return out


def folder(*dirs):
    return [os.path.join(d, f) for d in dirs for f in os.listdir(d) if os.path.isfile(os.path.join(d, f))]


def lookup_at_kiosk(k, code):
    """Types a code on the kiosk's lookup screen; the screen it leads to. The
    lookup keyboard has no symbol keys: an old code's symbol is left out."""
    k.must("tap home.lookup")
    k.must("type %s-%s-%s" % (code[:4], code[4:8], code[8:].rstrip(OLD_CHECKS).lower()))
    k.must("tap lookup.submit")
    screen = k.screen()
    k.must("tap status.done") if screen == "status" else k.must("tap back")
    return screen


srv = Server(extra=["--login-rate", "100000"]).serve()

# ---- a kiosk files: no code in clear in its folder or on the stick ----
cfg, data = kiosk_config(srv)
register(srv, cfg)
filled = fill(cfg, 20)
t.eq(len(filled), 20, "twenty requests filed, each code as its receipt showed it")
k = Kiosk(cfg)
d, _ = file_request(k, "petition", tag="codes")
shown = shown_code(d)
k.must("tap receipt.done")
t.ok(shown and code_of(data, shown), "a code filed at the screen is stored, as its hash", shown)
codes = list(filled.values()) + [shown]
t.eq([c for c in codes if c[12] not in ALPHABET[:32]], [], "every new code ends in a letter or digit")
t.eq(lookup_at_kiosk(k, shown), "status", "the kiosk's lookup screen finds the code typed there")
t.eq(lookup_at_kiosk(k, list(filled.values())[3]), "status", "and one filed earlier")
t.eq(lookup_at_kiosk(k, new_code()), "lookup", "a code it never issued is not found")
k.close()
usb = os.path.join(os.path.dirname(cfg), "usb")
os.makedirs(usb)
ex = sync(cfg, "export", usb)
t.ok(ex.returncode == 0 and os.listdir(usb), "a USB bundle is written", ex.stderr)
t.ok(folder(data) and any(f.endswith("request.db") for f in folder(data)), "the folder holds the store", folder(data))
t.eq(files_contain(folder(data, usb), forms(codes)), [],
     "no code in any form in any file of the kiosk's data folder or the USB bundle")
bundle = json.loads(open(folder(usb)[0]).read())
push = json.loads(bundle["payload"])
t.ok(push["v"] == 2 and all("token_sealed" in r and "token" not in r for r in push["requests"]),
     "the bundle's push is version 2: each code sealed to the server, none in clear", push["v"])
out = sync(cfg)
t.ok(out.returncode == 0, "the kiosk syncs", out.stderr)
t.eq({rid: c for rid, c in srv.codes().items() if rid in filled}, filled,
     "the server opened every code on arrival: the very codes the receipts showed")
code, _, page = srv.get("/api/v1/requests/" + shown)
t.ok(code == 200 and json.loads(page).get("known") is True, "and serves the phone page of the one filed at the screen", page[:200])
t.eq(files_contain(folder(data), forms(codes)), [], "after the sync the folder still holds none")

# ---- a store from before: converted by the first program that opens it ----
cfg_old, data_old = kiosk_config(srv, number=4)
old_codes = [old_code(c) for c in OLD_CHECKS] + [encode(secrets.randbits(60))]
con = sqlite3.connect(os.path.join(data_old, "request.db"))
con.execute("PRAGMA journal_mode=WAL")
con.executescript(
    "CREATE TABLE request(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, token TEXT NOT NULL UNIQUE,"
    " category TEXT NOT NULL, procedure TEXT NOT NULL DEFAULT '', received_at INTEGER NOT NULL,"
    " deadline TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'received', updated_at INTEGER NOT NULL,"
    " sealed BLOB NOT NULL);"
    "CREATE TABLE event(id INTEGER PRIMARY KEY, request_id TEXT NOT NULL REFERENCES request(id), at INTEGER NOT NULL,"
    " status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX event_request ON event(request_id, at);"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "ALTER TABLE event ADD COLUMN server_id INTEGER;"
    "CREATE UNIQUE INDEX event_server_id ON event(server_id) WHERE server_id IS NOT NULL;"
    "ALTER TABLE event ADD COLUMN deadline TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE conference(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, place TEXT NOT NULL,"
    " leaders TEXT NOT NULL, topic TEXT NOT NULL);"
    "PRAGMA user_version = 3;")
now = int(time.time())
for i, c in enumerate(old_codes, 1):
    rid = "27280-4-%06d" % i
    con.execute("INSERT INTO request(seq, id, token, category, received_at, deadline, updated_at, sealed)"
                " VALUES(?, ?, ?, 'petition', ?, '2099-12-31', ?, ?)", (i, rid, c, now - 600, now - 600, os.urandom(80)))
    con.execute("INSERT INTO event(request_id, at, status) VALUES(?, ?, 'received')", (rid, now - 600))
con.commit()
con.close()
t.ok(files_contain(folder(data_old), old_codes), "the old store holds its codes in clear (the search works)")
st = sync(cfg_old, "status")
t.ok(st.returncode == 0, "motcua-sync opens the old store", st.stderr)
t.eq(files_contain(folder(data_old), forms(old_codes)), [],
     "converted: no code left in any byte of the folder (file, WAL, free pages)")
con = sqlite3.connect(os.path.join(data_old, "request.db"))
cols = [r[1] for r in con.execute("PRAGMA table_info(request)")]
version = con.execute("PRAGMA user_version").fetchone()[0]
check = con.execute("PRAGMA integrity_check").fetchone()[0]
con.close()
t.ok("token" not in cols and "code_hash" in cols and version >= 5 and check == "ok",
     "the store is past schema 5 (the codes' step), sound, without the token column", (cols, version, check))
t.eq([code_of(data_old, c) for c in old_codes], ["27280-4-%06d" % i for i in range(1, 7)],
     "each old code matches its own request's hash")
k = Kiosk(cfg_old)
t.eq(lookup_at_kiosk(k, old_codes[2]), "status", "the kiosk's lookup screen finds an old code ending in '$', typed without it")
t.eq(lookup_at_kiosk(k, old_codes[4]), "status", "and one ending in 'U'")
t.eq(lookup_at_kiosk(k, old_codes[5]), "status", "and an old code ending in a letter or digit")
k.close()
register(srv, cfg_old)
out = sync(cfg_old)
t.ok(out.returncode == 0, "the converted kiosk syncs", out.stderr)
t.eq([srv.codes().get("27280-4-%06d" % i) for i in range(1, 7)], old_codes,
     "the server opened the converted codes: the ones the old receipts carry")
code, _, page = srv.get("/api/v1/requests/" + old_codes[0])
t.ok(code == 200 and json.loads(page).get("known") is True, "an old receipt's phone page works", page[:200])
for c in old_codes[:5]:
    code, _, page = srv.get("/r/%s-%s-%s" % (c[:4], c[4:8], c[8:].replace("$", "%24").replace("=", "%3D")))
    t.ok(code == 200 and ("%s-%s-%s" % (c[:4], c[4:8], c[8:])) in page,
         "the phone page of an old code ending in '%s' (as its QR links it) shows that code" % c[12], page[:200])

# ---- a code claimed twice: held, then released by a supervisor ----
# Another commune's kiosk copies a victim's sealed code out of a lost bundle
# (it cannot read it) into a request of its own, and syncs first.
victim_id = sorted(filled)[1]
victim_code = filled[victim_id]
cfg_thief, data_thief = kiosk_config(srv, number=7)
thief_cfg_text = open(cfg_thief).read().replace("commune_code = 27280", "commune_code = 27281")
open(cfg_thief, "w").write(thief_cfg_text)
fill(cfg_thief, 1)
sealed_box = next(r["token_sealed"] for r in push["requests"] if r["id"] == victim_id)
raw = base64.urlsafe_b64decode(sealed_box + "=" * (-len(sealed_box) % 4))
con = sqlite3.connect(os.path.join(data_thief, "request.db"))
con.execute("UPDATE request SET code_sealed = ? WHERE seq = 1", (raw,))
con.commit()
con.close()
key = run([SYNC, "--config", cfg_thief, "key"]).stdout
line = [w for w in key.split() if w.startswith("mk1.")][0]
srv.cli("kiosk", "add", "--kiosk", "27281-7", "--key", line)
out = sync(cfg_thief)
t.ok(out.returncode == 0, "the other kiosk's push is taken", out.stderr)
code, _, page = srv.get("/api/v1/requests/" + victim_code)
t.ok(code == 200 and json.loads(page).get("known") is False, "the code is held: the phone page shows neither request",
     page[:300])
thief_id = next(rid for rid, c in srv.codes().items() if rid.startswith("27281-7-"))
t.eq(srv.codes()[thief_id], victim_code, "both requests claim the code")

srv.cli("commune", "set", "27280", "Xã Phù Lãng")
srv.cli("commune", "set", "27281", "Xã Phượng Sơn")
for who, role in ((BOSS, "supervisor"), (OFFICER, "officer")):
    run([SERVER, "user", "add", "--data", srv.data, "--name", who[0], "--role", role], input=who[1] + "\n")
run([SERVER, "user", "communes", "--data", srv.data, OFFICER[0], "27280,27281"])


def flags(rid):
    c = srv.db()
    try:
        return c.execute("SELECT trust FROM request WHERE id = ?", (rid,)).fetchone()[0]
    finally:
        c.close()


def audit_rows():
    c = srv.db()
    try:
        return c.execute("SELECT at, actor, request_id, detail FROM audit WHERE action = 'release_code'").fetchall()
    finally:
        c.close()


before = (flags(victim_id), flags(thief_id))
o = Staff(srv)
t.eq(o.login(*OFFICER)[0], 303, "an officer logs in")
code, _, page = o.request("/staff/checks")
# The calendar's warning (cal_unconfirmed_year): this year when the
# government has not decided it, and from 1 October the coming year.
confirmed = set(json.load(open(os.path.join(ROOT, "assets/holidays.json")))["confirmed_years"])
vn = datetime.datetime.utcnow() + datetime.timedelta(hours=7)
want = vn.year if vn.year not in confirmed else vn.year + 1 if vn.month >= 10 and vn.year + 1 not in confirmed else None
m = re.search(r'id="calendar-unconfirmed">[^<]*<b>(\d+)</b>', page)
t.eq(m and int(m.group(1)), want, "the checks page warns of the year whose days off are not confirmed yet")
held = page.split('id="held-table"')[1].split("</table>")[0]
t.ok(victim_id in held and thief_id in held and 'class="release"' not in held,
     "the officer sees both claimants, and no form to release the code", held[:600])
code, _, _ = o.request("/staff/checks/release", {"csrf": o.csrf(page), "request": victim_id, "reason": REASON})
t.eq(code, 403, "an officer's release is refused")
boss = Staff(srv)
boss.login(*BOSS)
_, _, page = boss.request("/staff/checks")
code, _, page = boss.request("/staff/checks/release", {"csrf": boss.csrf(page), "request": victim_id, "reason": ""})
t.ok(code == 400 and 'id="refused"' in page, "a choice without a reason is refused, and says so", code)
t.eq((flags(victim_id), flags(thief_id), audit_rows()), before + ([],), "and changes nothing")

b = Browser(1366, 768)
try:
    b.goto(srv.url + "/staff/login?next=/staff/checks")
    b.fill("#name", BOSS[0])
    b.fill("#password", BOSS[1])
    b.submit("#login")
    t.ok(b.exists("form.release"), "the supervisor sees the release form on the checks page", b.text("main")[:400])
    labels = b.text("#held-table")
    t.ok(victim_id in labels and thief_id in labels and victim_code not in labels,
         "with both claimants, the code by its last characters only", labels[:400])
    t.ok(b.eval("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at 1366 wide")
    b.screenshot(os.path.join(SHOTS, "console-release.png"))
    b.eval("document.querySelector('form.release input[value=\"%s\"]').checked = true" % victim_id)
    b.fill("form.release textarea[name=reason]", REASON)
    b.eval("document.querySelector('form.release').scrollIntoView()")
    b.screenshot(os.path.join(SHOTS, "console-release-chosen.png"))
    b.submit("form.release button")
    t.ok(b.url().endswith("/staff/checks?released=1") and b.exists("#released"), "released: the page says so", b.url())
    after = b.eval("document.querySelector('#held-table').innerHTML")
    t.ok("/staff/r/" + thief_id in after and "/staff/r/" + victim_id not in after and 'class="release"' not in after,
         "the other claimant stays flagged, the chosen one is off the list, nothing left to release", after[:600])
    b.screenshot(os.path.join(SHOTS, "console-release-done.png"))
    b.goto(srv.url + "/staff/r/" + victim_id)
    t.ok(b.exists("#code-chosen") and not b.exists("#trust-held"), "the chosen request's page says it was chosen")
    b.goto(srv.url + "/staff/r/" + thief_id)
    t.ok(b.exists("#code-not-chosen"), "the other's page says it was not", b.text("main")[:300])
    b.screenshot(os.path.join(SHOTS, "console-release-other.png"))
    b.goto(srv.url + "/staff/checks")
    b.submit(".lang")
    t.ok(b.eval("document.documentElement.lang") == "en" and "Not the code's claimant" in b.text("#held-table"),
         "in English too", b.text("#held-table")[:300])
    b.screenshot(os.path.join(SHOTS, "console-release-en.png"))
finally:
    b.close()
code, _, page = srv.get("/api/v1/requests/" + victim_code)
j = json.loads(page) if code == 200 else {}
t.ok(j.get("known") is True and "petition" in json.dumps(j.get("category")) and "birth" not in page,
     "the phone page now shows the chosen request", page[:300])
rows = audit_rows()
t.ok(len(rows) == 1 and rows[0][1] == BOSS[0] and rows[0][2] == victim_id and REASON in rows[0][3]
     and thief_id in rows[0][3] and abs(rows[0][0] - time.time()) < 120,
     "the audit row: who, when, why, and the claimant set aside", rows)
t.ok(flags(thief_id) & 32 and not flags(thief_id) & 8 and flags(victim_id) & 16 and not flags(victim_id) & 8,
     "the store: the chosen flagged as chosen, the other as not", (flags(victim_id), flags(thief_id)))
t.eq(srv.stop(), 0, "the server stops cleanly")
t.done()
