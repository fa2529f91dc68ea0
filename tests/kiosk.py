"""Test helpers: a kiosk process under its control interface, a throwaway
configuration and data folder, and TAP output that prove reads."""
import json, os, shutil, sqlite3, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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


def make_config(extra_kiosk="", language="vi", key=True, data_dir=None):
    d = tempfile.mkdtemp(prefix="motcua-test-")
    data = data_dir or os.path.join(d, "data")
    os.makedirs(data, exist_ok=True)
    line = server_key()[0] if key else ""
    cfg = os.path.join(d, "kiosk.ini")
    with open(cfg, "w") as f:
        f.write("[kiosk]\ncommune_code = 27280\ncommune_name = Xã Phù Lãng\nkiosk_number = 3\n"
                "data_dir = %s\nassets_dir = %s/assets\nfonts_dir = %s/fonts\nlanguage = %s\n%s\n"
                "[server]\npublic_url = https://motcua.example.vn/\nkey = %s\n"
                % (data, ROOT, ROOT, language, extra_kiosk, line))
    return cfg, data


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


def zbar(png):
    out = subprocess.run(["zbarimg", "--quiet", "--raw", png], capture_output=True, text=True)
    return out.stdout.strip()


def db_rows(data):
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        return con.execute("SELECT id, token, category, procedure, status, deadline FROM request ORDER BY seq").fetchall()
    finally:
        con.close()
