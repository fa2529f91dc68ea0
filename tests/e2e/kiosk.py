"""Test helpers: a kiosk process under its control interface, a throwaway
configuration and data folder, and TAP output that prove reads."""
import base64, hashlib, json, os, shutil, sqlite3, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KIOSK = os.environ.get("MOTCUA_KIOSK", os.path.join(ROOT, "build/san/motcua-kiosk"))
SERVER = os.path.join(ROOT, "build/motcua-server")
SHOTS = os.path.join(ROOT, "build/test-out/shots")
os.makedirs(SHOTS, exist_ok=True)


class Tap:
    """Collects results and prints TAP; the plan comes last."""
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, diag=""):
        self.n += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, desc))
        if not cond:
            self.failed += 1
            for line in str(diag).splitlines():
                print("#   " + line)
        sys.stdout.flush()
        return cond

    def eq(self, got, want, desc):
        return self.ok(got == want, desc, "got:  %r\nwant: %r" % (got, want))

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


_server_key = None


def server_key():
    """One server key pair for the whole test run, made by the real init."""
    global _server_key
    if _server_key is None:
        d = tempfile.mkdtemp(prefix="motcua-srv-")
        out = subprocess.run([SERVER, "init", "--data", os.path.join(d, "srv")],
                             capture_output=True, text=True, check=True)
        _server_key = (out.stdout.strip(), os.path.join(d, "srv"))
    return _server_key


def make_config(extra_kiosk="", language="vi", key=True, data_dir=None, extra_server="", number=3,
                public_url="https://motcua.example.vn/"):
    """A kiosk.ini and its data folder in a fresh temporary folder. key: True
    for the test run's server key, False for none, or a key line."""
    d = tempfile.mkdtemp(prefix="motcua-test-")
    data = data_dir or os.path.join(d, "data")
    os.makedirs(data, exist_ok=True)
    line = server_key()[0] if key is True else key or ""
    cfg = os.path.join(d, "kiosk.ini")
    with open(cfg, "w") as f:
        f.write("[kiosk]\ncommune_code = 27280\ncommune_name = Xã Phù Lãng\nkiosk_number = %d\n"
                "data_dir = %s\nassets_dir = %s/assets\nfonts_dir = %s/fonts\nlanguage = %s\n%s\n"
                "[server]\npublic_url = %s\nkey = %s\n%s\n"
                % (number, data, ROOT, ROOT, language, extra_kiosk, public_url, line, extra_server))
    os.chmod(cfg, 0o640)    # as installed: it holds the PIN's hash and keys
    _keys[os.path.realpath(data)] = line
    return cfg, data


_keys = {}   # data folder -> the server key line its kiosk is configured with


class Kiosk:
    def __init__(self, cfg, size="800x480", env=None):
        e = dict(os.environ)
        e.update(env or {})
        self.p = subprocess.Popen([KIOSK, "--config", cfg, "--headless", "--control", "--size", size],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=e)
        self.size = size

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        out = self.p.stdout.readline()
        if not out:
            raise RuntimeError("kiosk died on %r: %s" % (line, self.p.stderr.read()))
        return json.loads(out)

    def must(self, line):
        r = self.cmd(line)
        if not r.get("ok"):
            raise RuntimeError("%s -> %s" % (line, r))
        return r

    def dump(self):
        return self.must("dump")

    def widget(self, wid):
        for w in self.dump()["widgets"]:
            if w["id"] == wid:
                return w
        return None

    def screen(self):
        return self.dump()["screen"]

    def close(self):
        try:
            self.cmd("quit")
        except Exception:
            pass
        try:
            self.p.stdin.close()
        except Exception:
            pass
        err = self.p.stderr.read()
        rc = self.p.wait(timeout=30)
        return rc, err


# What the form tests type (Telex) and what it must become.
TYPED = {
    "full_name": ("Nguyeenx Vawn An", "Nguyễn Văn An"),
    "phone": ("0912345678", "0912345678"),
    "citizen_id": ("001203004567", "001203004567"),
    "birth_date": ("05091987", "05/09/1987"),
    "address": ("Thoon Ddoong, xax Phuf Lawng", "Thôn Đông, xã Phù Lãng"),
    "subject": ("Ddwowngf lieen thoon bij hongr", "Đường liên thôn bị hỏng"),
    "details": ("Mawtj ddwowngf cos nhieeuf oor gaf, trowif mwa raast khos ddi.",
                "Mặt đường có nhiều ổ gà, trời mưa rất khó đi."),
}


def clipped(k):
    """Ids of the widgets whose text the renderer had to clip."""
    return [w["id"] for w in k.dump()["widgets"] if w.get("clipped")]


def fill_form(k):
    """Types TYPED into every field the form shows. Where the tabs gave way
    (the next conference over a dialogue form's first fields, at 800x480),
    the fields are typed one after another with the keyboard's Next key,
    as a citizen would, until the tabs come back."""
    d = k.dump()
    typed = set()
    while not any(w["id"].startswith("form.field.") for w in d["widgets"]) and d.get("focus") not in typed:
        typed.add(d["focus"])
        k.must("type " + TYPED[d["focus"]][0])
        k.must("tap kb.enter")
        d = k.dump()
    for w in d["widgets"]:
        if w["id"].startswith("form.field.") and w["id"][len("form.field."):] not in typed:
            name = w["id"][len("form.field."):]
            k.must("tap " + w["id"])
            k.must("type " + TYPED[name][0])


def wait_print(k, timeout=15):
    """The receipt screen's printing line once printing has finished (or
    the last one seen when it has not within timeout seconds)."""
    end = time.time() + timeout
    w = None
    while time.time() < end:
        w = k.widget("receipt.print")
        if w and w["label"] not in ("Đang in giấy biên nhận…", "Printing your receipt…"):
            return w
        time.sleep(0.1)
    return w


def review_to_end(k):
    """Pages through review to its last page, where Send is."""
    for _ in range(20):
        if not k.widget("review.page.more"):
            return
        k.must("tap review.page.more")


def tap_category(k, category):
    """Taps a category on the categories screen, turning its pages (larger
    text at 800x480 pages them) from the first until it shows."""
    while k.widget("category." + category) is None and k.widget("category.page_prev") is not None:
        if not k.cmd("tap category.page_prev").get("ok"):
            break
    while k.widget("category." + category) is None:
        k.must("tap category.page_next")
    k.must("tap category." + category)


def file_request(k, category, procedure=None, tag=""):
    """Files one request; returns (dump of receipt, shot path)."""
    k.must("tap home.file")
    tap_category(k, category)
    if procedure:
        k.must("tap procedure." + procedure)
        if k.screen() == "guide":       # the papers to bring, before the form
            k.must("tap guide.continue")
    fill_form(k)
    k.must("tap form.next")
    if k.screen() != "review":
        raise RuntimeError("form not accepted: %s" % [(w["id"], w["label"]) for w in k.dump()["widgets"] if "error" in w["id"]])
    k.must("shot %s/review-%s.png" % (SHOTS, tag))
    review_to_end(k)
    k.must("tap review.submit")
    d = k.dump()
    shot = "%s/receipt-%s.png" % (SHOTS, tag)
    k.must("shot " + shot)
    return d, shot


def zbar(png):
    out = subprocess.run(["zbarimg", "--quiet", "--raw", png], capture_output=True, text=True)
    return out.stdout.strip()


def db_rows(data):
    """(id, code hash in hex, category, procedure, status, deadline): the
    store keeps no receipt code in clear."""
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        return con.execute("SELECT id, hex(code_hash), category, procedure, status, deadline FROM request"
                           " ORDER BY seq").fetchall()
    finally:
        con.close()


def code_hash(rid, code, key_line):
    """The kiosk's keyed hash of request rid's code (src/core/seal.c, computed
    here independently): BLAKE2b-256 keyed by BLAKE2b-256 of the server's
    X25519 key under "motcua receipt code key 1"."""
    raw = base64.urlsafe_b64decode(key_line[4:] + "=" * (-len(key_line[4:]) % 4))
    key = hashlib.blake2b(raw[32:64], digest_size=32, key=b"motcua receipt code key 1").digest()
    return hashlib.blake2b((rid + "\n" + code).encode(), digest_size=32, key=key).hexdigest().upper()


def stored_codes(data, codes, key_line=None):
    """Of the codes (as receipts showed them), those whose request is in the
    store at data: its hash under its id is there. None when no store."""
    key_line = key_line or _keys.get(os.path.realpath(data)) or server_key()[0]
    try:
        rows = db_rows(data)
    except sqlite3.Error:
        return None
    hashes = {(rid, h) for rid, h, *_ in rows}
    return {c for c in codes if c and any((rid, code_hash(rid, c, key_line)) in hashes for rid, _ in hashes)}


def code_of(data, code, key_line=None):
    """The id of the stored request whose code this is, or None."""
    key_line = key_line or _keys.get(os.path.realpath(data)) or server_key()[0]
    return next((rid for rid, h, *_ in db_rows(data) if code_hash(rid, code, key_line) == h), None)


def shown_code(d):
    """The receipt code the receipt screen of dump d shows (canonical), or None."""
    if not d or d.get("screen") != "receipt":
        return None
    w = next((w for w in d["widgets"] if w["id"] == "receipt.code"), None)
    return w["label"].replace("-", "") if w else None


def local_time(t):
    """A Unix time as the kiosk shows it: HH:MM DD/MM/YYYY in the commune's
    time (the default [kiosk] timezone, UTC+7), whatever this machine's zone."""
    import time
    return time.strftime("%H:%M %d/%m/%Y", time.gmtime(t + 7 * 3600))


def set_sync_meta(data, **values):
    """Sets the kiosk's sync state (meta keys sync.*) as a sync would."""
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        for k, v in values.items():
            con.execute("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        ("sync." + k, str(v)))
        con.commit()
    finally:
        con.close()


def add_server_events(data, request_id, events):
    """Inserts events as if pulled from the server: (server id, at, status, note)."""
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        for sid, at, status, note in events:
            con.execute("INSERT INTO event(server_id, request_id, at, status, note) VALUES(?, ?, ?, ?, ?)",
                        (sid, request_id, at, status, note))
        last = events[-1]
        con.execute("UPDATE request SET status = ?, updated_at = ? WHERE id = ?", (last[2], last[1], request_id))
        con.commit()
    finally:
        con.close()


STAFF_PIN = "246813"
_pin_line = []


def pin_line():
    """The kiosk.ini line holding STAFF_PIN's hash (made once per run)."""
    if not _pin_line:
        _pin_line.append(subprocess.run([KIOSK, "hash-pin"], input=STAFF_PIN + "\n", capture_output=True,
                                        text=True).stdout.strip())
    return _pin_line[0]


def staff_sync(k, shot=None, wid="staff.sync.state"):
    """The sync line, as staff read it: from home, the long press and the PIN
    (the config needs pin_line()), the staff menu's staff.sync.state widget
    (only when the last try failed or requests wait; wid for another), then
    the menu idles back to home. Returns (widget, clipped ids)."""
    k.must("hold home.title 2.5")
    k.must("type " + STAFF_PIN)
    k.must("tap pin.ok")
    if k.screen() != "staff":
        raise RuntimeError("the PIN did not open the staff menu: %s" % k.screen())
    w = k.widget(wid)
    bad = clipped(k)
    if shot:
        k.must("shot " + shot)
    k.must("advance 600")
    k.dump()
    return w, bad
