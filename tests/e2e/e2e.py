"""Helpers for end-to-end tests over loopback with real processes: an upstream
server (init, kiosk add, serve on a free port), a kiosk configuration that
points at it, motcua-sync runs, and both databases read back for comparison."""
import http.client, http.cookiejar, os, re, socket, sqlite3, subprocess, tempfile, time, urllib.parse, urllib.request, urllib.error
import kiosk
from kiosk import ROOT, make_config

SAN = os.path.join(ROOT, "build/san")
SERVER = os.environ.get("MOTCUA_SERVER", os.path.join(SAN, "motcua-server"))
SYNC = os.environ.get("MOTCUA_SYNC", os.path.join(SAN, "motcua-sync"))
FILL = os.path.join(ROOT, "build/motcua-fill")
KIOSK_ID = "27280-3"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(cmd, input=None, timeout=120):
    return subprocess.run(cmd, capture_output=True, text=True, input=input, timeout=timeout)


class Server:
    """A upstream server in a fresh data folder; serve() starts it."""
    def __init__(self, extra=()):
        self.dir = tempfile.mkdtemp(prefix="motcua-e2e-srv-")
        self.data = os.path.join(self.dir, "data")
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
        self.p = subprocess.Popen([SERVER, "serve", "--data", self.data, "--listen", "127.0.0.1:%d" % self.port,
                                   "--assets", os.path.join(ROOT, "assets")] + self.extra,
                                  stdout=self.logf, stderr=self.logf)
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
