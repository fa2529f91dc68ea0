"""`motcua-kiosk --check`: a kiosk set up right passes, then each piece is
broken in turn (configuration, data folder, database, fonts, catalog,
holidays, server key, server, printer, clock) and the report must fail (or
warn) on a line that names that piece and says what to do, with exit code 1
on any failure."""
import http.server, os, shutil, sqlite3, subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosk
from kiosk import Tap, ROOT, make_config

t = Tap()
KIOSK = kiosk.KIOSK


class Health(http.server.BaseHTTPRequestHandler):
    """The upstream server's /healthz, with a Date header as far off as
    the test asks."""
    skew = 0
    status = 200

    def do_GET(self):
        code = Health.status if self.path.endswith("/healthz") else 404
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok":true}')

    def date_time_string(self, timestamp=None):
        return super().date_time_string(time.time() + Health.skew)

    def log_message(self, *args):
        pass


httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
SERVER_URL = "http://127.0.0.1:%d" % httpd.server_address[1]

PIN = subprocess.run([KIOSK, "hash-pin"], input="246813\n", capture_output=True, text=True).stdout.strip()
work = tempfile.mkdtemp(prefix="motcua-check-")
printer = os.path.join(work, "printer.bin")
open(printer, "w").close()


def config(kiosk_extra="", server_extra=None, key=True, data_dir=None, printer_device=None, tail=""):
    """A configuration that passes, with the changes asked for."""
    if server_extra is None:
        server_extra = "url = %s\n" % SERVER_URL
    cfg, data = make_config(extra_kiosk="%s\n%s" % (PIN, kiosk_extra), key=key, data_dir=data_dir,
                            public_url="https://motcua.bacgiang.gov.vn", extra_server=server_extra)
    with open(cfg, "a") as f:
        f.write("[printer]\ndevice = %s\n%s" % (printer_device or printer, tail))
    return cfg, data


def with_data_dir(path):
    """A configuration whose data_dir is path, which is left as it is."""
    cfg, data = config()
    with open(cfg) as f:
        text = f.read()
    with open(cfg, "w") as f:
        f.write(text.replace("data_dir = %s" % data, "data_dir = %s" % path))
    return cfg


def check(cfg, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([KIOSK, "--check", "--config", cfg], capture_output=True, text=True, env=e, timeout=60)
    return p.returncode, p.stdout, p.stderr


def lines(out, status):
    return [l for l in out.splitlines() if l.startswith(status)]


def broken(desc, cfg, *words, status="FAIL", env=None):
    """The report has a status line naming every word, and a way out; FAIL
    exits 1, WARN alone 0."""
    rc, out, err = check(cfg, env)
    hit = [l for l in lines(out, status) if all(w.lower() in l.lower() for w in words)]
    want_rc = 1 if status == "FAIL" else 0
    t.ok(rc == want_rc and hit and " — " in hit[0], "%s: %s names it, exit %d" % (desc, status, want_rc),
         "rc %d\n%s%s" % (rc, out, err))
    return out


# ---- all well ----
good, good_data = config()
rc, out, err = check(good)
t.ok(rc == 0 and not lines(out, "FAIL") and not lines(out, "WARN"), "a kiosk set up right passes every check",
     out + err)
for item in ("configuration", "commune", "staff_pin", "timezone", "data folder", "database", "NotoSans-Regular",
             "NotoSans-Bold", "catalog", "holidays", "key", "server", "printer", "clock"):
    t.ok(any(item in l for l in lines(out, "ok")), "the report has an ok line for %s" % item, out)
t.ok(out.rstrip().splitlines()[-1].startswith("ready"), "and ends with ready", out)

# kiosk.ini readable by every user: its PIN hash falls to offline guessing.
loose, _ = config()
os.chmod(loose, 0o644)
broken("kiosk.ini readable by others", loose, "readable by every user", status="WARN")
t.ok(subprocess.run([KIOSK, "hash-pin"], input="2468\n", capture_output=True, text=True).returncode == 2,
     "hash-pin refuses a PIN of fewer than 6 digits")

# A real database, from a kiosk that filed one request.
k = kiosk.Kiosk(good)
kiosk.file_request(k, "reflection")
k.close()
subprocess.run(["sqlite3", os.path.join(good_data, "request.db"), "PRAGMA wal_checkpoint(TRUNCATE)"], check=True,
               capture_output=True)
printed = os.path.getsize(printer)     # the receipt of that request
rc, out, err = check(good)
t.ok(rc == 0 and any("1 request" in l and "intact" in l for l in lines(out, "ok")),
     "a database in use: intact, its schema and count", out + err)

# ---- configuration ----
cfg, _ = config(tail="[kiosk]\ncolour = blue\n")
broken("an unknown key", cfg, "configuration", "colour")
cfg, _ = config(kiosk_extra="kiosk_number = 0")
broken("a value out of range", cfg, "configuration", "kiosk_number")
cfg, _ = config()
with open(cfg) as f:
    text = f.read()
with open(cfg, "w") as f:
    f.write(text.replace("commune_code = 27280", "commune_code = 00000"))
broken("the sample's commune code left in", cfg, "commune_code")
cfg, _ = config()
with open(cfg, "w") as f:
    f.write(text.replace(PIN, ""))
broken("no staff PIN", cfg, "staff_pin", status="WARN")
cfg, _ = config(kiosk_extra="timezone = UTC0")
broken("a time zone that is not Vietnam's", cfg, "timezone", "UTC+7", status="WARN")
rc, out, err = check(os.path.join(work, "missing.ini"))
t.ok(rc == 1 and any("configuration" in l and "missing.ini" in l for l in lines(out, "FAIL")),
     "a configuration file that is not there", out + err)

# ---- data folder ----
cfg = with_data_dir(os.path.join(work, "no-such-folder"))
broken("a data folder that does not exist", cfg, "data folder", "install -d")
plain = os.path.join(work, "a-file")
open(plain, "w").close()
cfg = with_data_dir(plain)
broken("a data folder that is a file", cfg, "data folder", "not a folder")
if os.geteuid() == 0 and shutil.which("setpriv"):
    ro = tempfile.mkdtemp(prefix="motcua-ro-")
    os.chmod(ro, 0o755)
    cfg, _ = config(data_dir=ro)
    os.chmod(os.path.dirname(cfg), 0o755)
    os.chmod(cfg, 0o644)
    p = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", KIOSK, "--check",
                        "--config", cfg], capture_output=True, text=True)
    hit = [l for l in lines(p.stdout, "FAIL") if "not writable" in l and "chown" in l]
    t.ok(p.returncode == 1 and hit, "a data folder the kiosk's user cannot write", p.stdout + p.stderr)
else:
    t.ok(True, "a data folder the kiosk's user cannot write # SKIP needs root and setpriv")

# ---- database ----
cfg, data = config()
with open(os.path.join(data, "request.db"), "wb") as f:
    f.write(b"this is not an SQLite database, it is a power cut's leftovers" * 100)
broken("a database file that is garbage", cfg, "database", "README")
cfg, data = config()
shutil.copy(os.path.join(good_data, "request.db"), os.path.join(data, "request.db"))
con = sqlite3.connect(os.path.join(data, "request.db"))
root, size = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'request'").fetchone()[0], \
    con.execute("PRAGMA page_size").fetchone()[0]
con.close()
with open(os.path.join(data, "request.db"), "r+b") as f:
    f.seek((root - 1) * size + 8)    # the request table's b-tree cells, past its page header
    f.write(os.urandom(size - 96))
broken("a database with a damaged page", cfg, "database", "README")
cfg, data = config()
con = sqlite3.connect(os.path.join(data, "request.db"))
con.execute("PRAGMA user_version = 99")
con.close()
broken("a database from a newer motcua", cfg, "database", "newer")

# ---- fonts ----
empty = tempfile.mkdtemp(prefix="motcua-nofonts-")
cfg, _ = config(kiosk_extra="fonts_dir = %s" % empty)
broken("no fonts where fonts_dir says", cfg, "font", "NotoSans-Regular", "fonts_dir")
thai = "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf"
if os.path.exists(thai):
    lacking = tempfile.mkdtemp(prefix="motcua-thaifonts-")
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        shutil.copy(thai, os.path.join(lacking, name))
    cfg, _ = config(kiosk_extra="fonts_dir = %s" % lacking)
    broken("a font without Vietnamese letters", cfg, "font", "Vietnamese")
else:
    t.ok(True, "a font without Vietnamese letters # SKIP no such font on this machine")

# ---- catalog and holidays ----
assets = tempfile.mkdtemp(prefix="motcua-assets-")
shutil.copy(os.path.join(ROOT, "assets/holidays.json"), assets)
shutil.copytree(os.path.join(ROOT, "assets/lang"), os.path.join(assets, "lang"))
with open(os.path.join(assets, "catalog.json"), "w") as f:
    f.write('{"version": "x", "categories": [')
cfg, _ = config(kiosk_extra="assets_dir = %s" % assets)
broken("a catalog that does not parse", cfg, "catalog")
assets2 = tempfile.mkdtemp(prefix="motcua-assets-")
shutil.copy(os.path.join(ROOT, "assets/catalog.json"), assets2)
shutil.copytree(os.path.join(ROOT, "assets/lang"), os.path.join(assets2, "lang"))
with open(os.path.join(assets2, "holidays.json"), "w") as f:
    f.write('{"version": "2026", "days_off": [{"date": "2026-13-45", "name": "x"}]}')
cfg, _ = config(kiosk_extra="assets_dir = %s" % assets2)
broken("a holiday calendar that does not parse", cfg, "holiday")
assets3 = tempfile.mkdtemp(prefix="motcua-assets-")
for name in ("catalog.json", "holidays.json"):
    shutil.copy(os.path.join(ROOT, "assets", name), assets3)
shutil.copytree(os.path.join(ROOT, "assets/lang"), os.path.join(assets3, "lang"))
with open(os.path.join(assets3, "lang/en.po"), "a") as f:
    f.write('msgid "kiosk.extra"\nmsgstr "100% sure"\n')
cfg, _ = config(kiosk_extra="assets_dir = %s" % assets3)
broken("a translation that does not load", cfg, "translations", "en.po", "kiosk.extra", "translation.md")
cfg, data = config()
with open(os.path.join(data, "catalog.json"), "w") as f:
    f.write("[]")
broken("a broken catalog brought by sync, the installed one still good", cfg, "catalog", "installed", status="WARN")

# ---- the server: key, reachability ----
cfg, _ = config(key=False)
broken("no server key", cfg, "[server] key", "motcua-server init")
cfg, _ = config(key="mc1.not-a-key")
broken("a server key cut short", cfg, "[server] key", "parse")
cfg, _ = config(server_extra="url = http://127.0.0.1:1\n")
broken("a server nobody answers at", cfg, "server", "cannot be reached", "network")
Health.status = 503
cfg, _ = config()
broken("a server that answers but is not well", cfg, "server", "503")
Health.status = 200
cfg, _ = config(server_extra="url = http://no-such-host.invalid\n")
broken("a server name that does not resolve", cfg, "server", "resolve")
cfg, _ = config(server_extra="")
broken("no server url", cfg, "[server] url", status="WARN")

# ---- printer ----
cfg, _ = config(printer_device="/nonexistent/usb/lp0")
broken("a printer that is not there", cfg, "printer", "/nonexistent/usb/lp0")
cfg, _ = config(printer_device="tcp:127.0.0.1:1")
broken("a network printer that does not answer", cfg, "printer", "tcp:127.0.0.1:1")
t.eq(os.path.getsize(printer), printed, "checking the printer printed nothing")

# ---- clock ----
Health.skew = 2 * 3600
cfg, _ = config()
not_kept = dict(os.environ, MOTCUA_CLOCK_SYNCED="no")
broken("a clock two hours behind the server's", cfg, "clock", "behind", "timedatectl", status="WARN", env=not_kept)
kept = dict(os.environ, MOTCUA_CLOCK_SYNCED="yes")
out = broken("a server two hours ahead of a clock kept by network time", cfg, "network time", "server's is 2 h 00 min ahead",
             status="WARN", env=kept)
t.ok("timedatectl set-time" not in out, "and the kiosk is not told to set its own clock", out)
Health.skew = 0
if shutil.which("faketime"):
    # faketime preloads its library before the sanitizer's runtime, which
    # ASan refuses unless told that the order is intended.
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    p = subprocess.run(["faketime", "1970-01-02 00:00:00", KIOSK, "--check", "--config", good],
                       capture_output=True, text=True, env=env)
    t.ok(p.returncode == 1 and any("clock" in l and "1970" in l for l in lines(p.stdout, "FAIL")),
         "a clock that says 1970 fails", p.stdout + p.stderr)
else:
    t.ok(True, "a clock that says 1970 # SKIP faketime is not installed")

# ---- nothing personal in the report ----
rc, out, err = check(good)
t.ok("Nguy" not in out + err and "0912345678" not in out + err, "the report carries no personal data")

httpd.shutdown()
shutil.rmtree(work, ignore_errors=True)
t.done()
