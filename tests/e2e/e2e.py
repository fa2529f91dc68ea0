"""Helpers for end-to-end tests over loopback with real processes: an upstream
server (init, kiosk add, serve on a free port), a kiosk configuration that
points at it, motcua-sync runs, and both databases read back for comparison."""
import atexit, http.client, http.cookiejar, os, re, socket, sqlite3, subprocess, tempfile, time, urllib.parse, urllib.request, urllib.error
import kiosk
from kiosk import ROOT, make_config

SAN = os.path.join(ROOT, "build/san")
SERVER = os.environ.get("MOTCUA_SERVER", os.path.join(SAN, "motcua-server"))
SYNC = os.environ.get("MOTCUA_SYNC", os.path.join(SAN, "motcua-sync"))
FILL = os.path.join(ROOT, "build/motcua-fill")
OFFICE = os.environ.get("MOTCUA_OFFICE", os.path.join(SAN, "motcua-office"))
KIOSK_ID = "27280-3"
# With MOTCUA_TEST_PG set to a PostgreSQL URL (tests/run.py's throwaway
# cluster), every Server keeps its store in a database of its own there:
# motcua-server gets --db after --data wherever the data folder is one of
# those servers', and Server.db() reads the same rows through psycopg2.
PG_URL = os.environ.get("MOTCUA_TEST_PG", "")
PG_STORES = {}                   # data folder -> its store's URL


def pg_connect(url):
    try:
        import psycopg2
    except ImportError:          # Debian's python3-psycopg2, from a python3 not Debian's
        import sys
        sys.path.append("/usr/lib/python3/dist-packages")
        import psycopg2
    return psycopg2.connect(url)


class PgCon:
    """The few calls tests make on sqlite3 connections, on PostgreSQL: ?
    placeholders, SQLite's blob literals, rows as tuples, booleans as 0 and
    1. Numbers go as untyped literals, so a 0 or 1 fills a boolean column
    as SQLite's integer flags do."""
    def __init__(self, url):
        self.con = pg_connect(url)

    def execute(self, sql, params=()):
        cur = self.con.cursor()
        sql = re.sub(r"zeroblob\((\d+)\)", r"decode(repeat('00', \1), 'hex')", sql)
        sql = re.sub(r"x'([0-9a-fA-F]*)'", r"decode('\1', 'hex')", sql)
        if params:
            cur.execute(sql.replace("%", "%%").replace("?", "%s"),
                        tuple(str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in params))
        else:
            cur.execute(sql)
        return PgRows(cur)

    def iterdump(self):
        """Every row of every table, one line each (as sqlite3's iterdump
        gives the whole database as text, for tests that look for a leak)."""
        tables = [r[0] for r in self.execute("SELECT table_name FROM information_schema.tables"
                                             " WHERE table_schema = current_schema() ORDER BY 1").rows]
        for name in tables:
            for row in self.execute('SELECT * FROM "%s"' % name).rows:
                yield "INSERT INTO %s VALUES%r;" % (name, row)

    def commit(self):
        self.con.commit()

    def close(self):
        self.con.close()


class PgRows:
    def __init__(self, cur):
        self.rows = [tuple(int(v) if isinstance(v, bool) else bytes(v) if isinstance(v, memoryview) else v
                           for v in r) for r in cur.fetchall()] if cur.description else []

    def fetchall(self):
        return self.rows

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def __iter__(self):
        return iter(self.rows)


def pg_new_store():
    """A fresh database in the cluster of PG_URL; its URL."""
    import uuid
    name = "srv_" + uuid.uuid4().hex[:12]
    admin = pg_connect(PG_URL)
    admin.autocommit = True
    admin.cursor().execute("CREATE DATABASE " + name)
    admin.close()
    base, _, query = PG_URL.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def with_store(cmd):
    """cmd with --db added after --data when that folder's store is in PostgreSQL."""
    cmd = list(cmd)
    if cmd and cmd[0] == SERVER and "--data" in cmd and "--db" not in cmd:
        i = cmd.index("--data")
        url = PG_STORES.get(cmd[i + 1]) if i + 1 < len(cmd) else None
        if url:
            cmd[i + 2:i + 2] = ["--db", url]
    return cmd


def run(cmd, input=None, timeout=120):
    return subprocess.run(with_store(cmd), capture_output=True, text=True, input=input, timeout=timeout)


def stop_at_exit(p):
    """Stops p when the test ends if the test did not: a test that fails
    half-way (or forgets) leaves no server or office service behind to hold
    a port and the machine's memory for the next test."""
    def stop():
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    atexit.register(stop)


class Server:
    """An upstream server in a fresh data folder; serve() starts it. With
    MOTCUA_TEST_PG its store is a new PostgreSQL database, unless sqlite."""
    def __init__(self, extra=(), sqlite=False):
        self.dir = tempfile.mkdtemp(prefix="motcua-e2e-srv-")
        self.data = os.path.join(self.dir, "data")
        self.store = pg_new_store() if PG_URL and not sqlite else None
        if self.store:
            PG_STORES[self.data] = self.store
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        out = run([SERVER, "init", "--data", self.data, "--public-url", self.url])
        if out.returncode != 0:
            raise RuntimeError("init: " + out.stderr)
        self.key = out.stdout.strip()
        self.extra = list(extra)
        self.p = None
        self.log = os.path.join(self.dir, "server.log")

    def cli(self, *args):
        a = list(args)
        return run([SERVER] + a[:2] + ["--data", self.data] + a[2:]) if a[0] == "kiosk" else \
            run([SERVER, a[0], "--data", self.data] + a[1:])

    def serve(self):
        self.logf = open(self.log, "a")
        self.p = subprocess.Popen(with_store([SERVER, "serve", "--data", self.data, "--listen",
                                              "127.0.0.1:%d" % self.port,
                                              "--assets", os.path.join(ROOT, "assets")] + self.extra),
                                  stdout=self.logf, stderr=self.logf)
        stop_at_exit(self.p)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return self
            except Exception:
                if self.p.poll() is not None:
                    raise RuntimeError("server exited: " + open(self.log).read()[-2000:])
                time.sleep(0.05)
        raise RuntimeError("server did not answer")

    def stop(self, sig=15):
        if self.p and self.p.poll() is None:
            self.p.send_signal(sig)
            rc = self.p.wait(timeout=30)
        else:
            rc = self.p.returncode if self.p else None
        self.p = None
        return rc

    def get(self, path, headers=None):
        """(status, headers, body text) of a GET."""
        req = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            r = urllib.request.urlopen(req, timeout=10)
            return r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode()

    def post(self, path, body, headers=None):
        req = urllib.request.Request(self.url + path, data=body, method="POST", headers=headers or {})
        try:
            r = urllib.request.urlopen(req, timeout=30)
            return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def db(self):
        if self.store:
            return PgCon(self.store)
        return sqlite3.connect(os.path.join(self.data, "server.db"))

    def requests(self):
        con = self.db()
        try:
            return con.execute("SELECT id, token, category, procedure, deadline FROM request ORDER BY id").fetchall()
        finally:
            con.close()

    def requests_hashed(self):
        """requests(), each code replaced by the kiosk's keyed hash of it
        under this server's key: what kiosk_requests reads from a kiosk."""
        return [(rid, kiosk.code_hash(rid, code, self.key), *rest) for rid, code, *rest in self.requests()]

    def codes(self):
        """Request id -> receipt code, as the server opened them on arrival."""
        return {rid: code for rid, code, *_ in self.requests()}

    def events(self):
        """(server event id, request id, status, note) of every event."""
        con = self.db()
        try:
            return con.execute("SELECT id, request_id, status, note FROM event ORDER BY id").fetchall()
        finally:
            con.close()


def kiosk_config(server, language="vi", interval=0, url=None, number=3, extra=""):
    """A kiosk configuration pointing at server (or at url, e.g. a proxy)."""
    return make_config(extra_kiosk=extra, language=language, key=server.key, number=number,
                       public_url=server.url,
                       extra_server="url = %s\nsync_interval = %d" % (url or server.url, interval))


def register(server, cfg):
    """motcua-sync key, then kiosk add on the server. Returns the key line."""
    out = run([SYNC, "--config", cfg, "key"])
    line = [w for w in out.stdout.split() if w.startswith("mk1.")]
    if out.returncode != 0 or not line:
        raise RuntimeError("key: %s %s" % (out.stdout, out.stderr))
    kid = "27280-%s" % open(cfg).read().split("kiosk_number = ")[1].split()[0]
    add = server.cli("kiosk", "add", "--kiosk", kid, "--key", line[0])
    if add.returncode != 0:
        raise RuntimeError("kiosk add: " + add.stderr)
    return line[0]


def sync(cfg, *args, timeout=300):
    return run([SYNC, "--config", cfg] + (list(args) or ["now"]), timeout=timeout)


def fill(cfg, n, name=None, sms=False):
    """Files n requests; {request id: receipt code}, as their receipts would
    show them (the store keeps no code in clear)."""
    cmd = [FILL, "--config", cfg, str(n)] + (["--name", name] if name else []) + (["--sms"] if sms else [])
    out = run(cmd, timeout=600)
    if out.returncode != 0:
        raise RuntimeError("fill: " + out.stderr)
    return dict(line.split() for line in out.stdout.splitlines() if line.strip())


def kiosk_requests(data):
    """(id, code hash in hex, category, procedure, deadline) of the kiosk's
    requests: compare with Server.requests_hashed()."""
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        return con.execute("SELECT id, hex(code_hash), category, procedure, deadline FROM request ORDER BY id").fetchall()
    finally:
        con.close()


def kiosk_events(data):
    """(server event id, request id, status, note) of every event pulled."""
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        return con.execute("SELECT server_id, request_id, status, note FROM event"
                           " WHERE server_id IS NOT NULL ORDER BY server_id").fetchall()
    finally:
        con.close()


def files_contain(paths, needles):
    """The needles (str) found in any of the files' bytes."""
    found = []
    for p in paths:
        if not os.path.exists(p):
            continue
        blob = open(p, "rb").read()
        for n in needles:
            if n.encode() in blob:
                found.append((os.path.basename(p), n))
    return found


CHROMIUM = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars"]


def chromium(url, png=None, size="390,844", dom=False):
    """A screenshot of url (png) or its DOM as text, from headless Chromium."""
    prof = tempfile.mkdtemp(prefix="motcua-chromium-")
    cmd = CHROMIUM + ["--user-data-dir=" + prof, "--window-size=" + size]
    cmd += ["--dump-dom", url] if dom else ["--screenshot=" + png, url]
    out = run(cmd, timeout=120)
    return out.stdout if dom else out.returncode == 0 and os.path.exists(png)


class Staff:
    """The console over urllib, with its own cookie jar: what a script or
    an attacker holding a session could send."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    class FromAddress(urllib.request.HTTPHandler):
        """Connects from a given loopback address (127.0.0.2, ...): many clients."""
        def __init__(self, source):
            super().__init__()
            self.source = source

        def http_open(self, req):
            return self.do_open(lambda host, **kw: http.client.HTTPConnection(host, source_address=(self.source, 0), **kw),
                                req)

    def __init__(self, srv, source=None):
        self.srv = srv
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar), self.NoRedirect]
        if source:
            handlers.append(self.FromAddress(source))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, path, form=None, headers=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.srv.url + path, data=data, headers=headers or {})
        try:
            r = self.opener.open(req, timeout=30)
            return r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode()

    def csrf(self, page):
        m = re.search(r'name="csrf" value="([^"]+)"', page)
        return m.group(1) if m else ""

    def login(self, name, password):
        _, _, page = self.request("/staff/login")
        return self.request("/staff/login", {"csrf": self.csrf(page), "name": name, "password": password,
                                             "next": "/staff/inbox"})


class Office:
    """motcua-office on a free port for a kiosk configuration (its data
    folder is the kiosk's); .url for Staff-style clients."""
    def __init__(self, cfg):
        self.cfg = cfg
        self.p = None

    def start(self):
        self.p = subprocess.Popen([OFFICE, "--config", self.cfg, "--listen", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stop_at_exit(self.p)
        line = self.p.stdout.readline()
        m = re.search(r"listening on [0-9.]+:(\d+)", line)
        if not m:
            raise RuntimeError("motcua-office did not start: %s %s" % (line, self.p.stderr.read()))
        self.port = int(m.group(1))
        self.url = "http://127.0.0.1:%d" % self.port
        return self

    def stop(self, sig=15):
        self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        self.err = self.p.stderr.read()
        return rc

    def get(self, path):
        try:
            r = urllib.request.urlopen(self.url + path, timeout=30)
            return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()


def pin_hash(pin="123456"):
    """The staff_pin line's value for a PIN, from the kiosk's own hash-pin."""
    from kiosk import KIOSK
    out = run([KIOSK, "hash-pin"], input=pin + "\n")
    return out.stdout.strip().split(" = ", 1)[1]
