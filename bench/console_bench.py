"""The officials' console at 1,000,000 stored requests: the inbox (first
page, one commune's open requests, a page deep in the list), the search (a
phone number, a common word, two words), the request page, and the export
of 100,000 rows as CSV and as Excel. The store is grown in the server's own
schema with realistic columns: ten communes, the six categories, a year of
receipt times, seven in ten answered, one in five assigned, and the search
keys (keyed hashes, sync/store/srv_find.h) computed here exactly as the
server does: BLAKE2b keyed with crypto_kdf's subkey of the box secret key.
The peer, measured in the same run on the same file: a LIKE scan for one
word over 1,000,000 rows, which is what a search without keys would cost
(the subject is sealed, so the server could not even do that).

Run alone: python3 bench/console_bench.py [N]. With --exports, only the
exports (export_bench): a store of N (default 100,000), each backend's
exports BENCH_CONSOLE_EXPORT_RUNS times (default 7), the build named by
BENCH_CONSOLE_BEFORE (if any) and this one taking turns, and with
BENCH_CONSOLE_PERF=FILE the server's `perf record -g` during this build's
SQLite exports."""
import ctypes, ctypes.util, hashlib, http.cookiejar, json, os, random, re, shutil, sqlite3, struct, subprocess, sys, tempfile, threading, time
import urllib.parse, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import common  # noqa: E402
import pgcluster  # noqa: E402
import server_bench  # noqa: E402
from server_bench import Server, run, SERVER, ALPHABET  # noqa: E402

STORED = 1000000
SAMPLES = int(os.environ.get("BENCH_CONSOLE_SAMPLES", "200"))
EXPORT_ROWS = 100000
FORMS = 97              # distinct sealed forms, taken in turn: a page's rows each open a different one
COMMUNES = ["272%02d" % i for i in range(80, 90)]
CATEGORIES = ["procedure", "petition", "reflection", "complaint", "denunciation", "dialogue"]
WORDS = ["duong", "lien", "thon", "hong", "o", "ga", "nuoc", "dien", "rac", "dat", "cap", "giay", "khai", "sinh",
         "ho", "tich", "xa", "dan", "nha", "cau", "muong", "ngap", "cay", "xanh", "den", "tre", "truong", "hoc"]
PROBE_PHONE = "0987654321"
PASSWORD = "mật khẩu lãnh đạo bench"


def box_secret(data):
    """The server's box secret key, from its key file."""
    raw = open(os.path.join(data, "server.key"), "rb").read()
    return raw[32 + 64 + 32:32 + 64 + 32 + 32]


def find_key(data):
    box_sk = box_secret(data)
    # crypto_kdf_derive_from_key(32, 1, "motcfind", box_sk)
    return hashlib.blake2b(b"", digest_size=32, key=box_sk, salt=struct.pack("<Q", 1) + b"\0" * 8,
                           person=b"motcfind" + b"\0" * 8).digest()


SODIUM = None


def form_words(k):
    return [WORDS[(k * 7 + j * 3) % len(WORDS)] for j in range(4)]


def form_subject(k):
    return " ".join(form_words(k)).capitalize()


def sealed_forms(data, n):
    """n forms sealed to the server's key as a kiosk seals them
    (crypto_box_seal of the form's JSON, through libsodium itself), so the
    pages that open them (the inbox's subjects, the request page) pay for
    opening and parsing a real one."""
    global SODIUM
    if SODIUM is None:
        SODIUM = ctypes.CDLL(ctypes.util.find_library("sodium"))
        if SODIUM.sodium_init() < 0:
            raise RuntimeError("libsodium would not start")
    box_pk = ctypes.create_string_buffer(32)
    SODIUM.crypto_scalarmult_base(box_pk, box_secret(data))
    out = []
    for k in range(n):
        form = json.dumps({"full_name": "Nguyễn Văn Thử %d" % k, "phone": "09%08d" % k, "address": "Thôn %d" % k,
                           "subject": form_subject(k),
                           "details": "Kính đề nghị xã xem xét: " + " ".join(form_words(k) * 6)},
                          ensure_ascii=False, separators=(",", ":")).encode()
        box = ctypes.create_string_buffer(len(form) + 48)
        if SODIUM.crypto_box_seal(box, form, ctypes.c_ulonglong(len(form)), box_pk) != 0:
            raise RuntimeError("crypto_box_seal failed")
        out.append((k, box.raw))
    return out


def keyed(key, kind, value):
    return hashlib.blake2b(kind.encode() + b"\0" + value.encode(), digest_size=16, key=key).hexdigest()


def h(k):
    """A pseudo-random non-negative integer of the row number i, the k-th of
    the row (SQL: SQLite's 64-bit integers wrap, so the product is masked)."""
    return "((((i + %d) * 2654435761 + %d) %% 4294967291) / 7)" % (k * 7919, k * 104729)


def grow(data, n, rng):
    """Grows the store in SQL, one INSERT ... SELECT over a counter per
    table: a million requests in a minute or two instead of the better part
    of an hour through Python (rng is unused: the rows are a function of
    their number, the same in every run)."""
    key = find_key(data)
    db = sqlite3.connect(os.path.join(data, "server.db"))
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA cache_size=-262144")
    now = int(time.time())
    first = EXPORT_ROWS if n > EXPORT_ROWS else n
    rest = len(COMMUNES) - 1
    with db:
        for c in COMMUNES:
            db.execute("INSERT INTO commune(code, name) VALUES(?, ?)", (c, "Xã thử %s" % c))
            db.execute("INSERT INTO kiosk(id, key, added_at) VALUES(?, randomblob(32), ?)", ("%s-1" % c, now))
        db.execute("CREATE TEMP TABLE bench_word(k INTEGER PRIMARY KEY, hash TEXT)")
        db.executemany("INSERT INTO bench_word VALUES(?, ?)", [(i, keyed(key, "word", w)) for i, w in enumerate(WORDS)])
        db.execute("CREATE TEMP TABLE bench_status(k INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO bench_status VALUES(?, ?)",
                       enumerate(["resolved", "rejected", "synced", "accepted", "in_progress"]))
        db.execute("CREATE TEMP TABLE bench_sealed(k INTEGER PRIMARY KEY, form BLOB)")
        db.executemany("INSERT INTO bench_sealed VALUES(?, ?)", sealed_forms(data, FORMS))
        db.execute("CREATE TEMP TABLE bench_cat(k INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO bench_cat VALUES(?, ?)", enumerate(CATEGORIES))
        # The first EXPORT_ROWS requests are all of the first commune: one export's list.
        commune = "CASE WHEN i < %d THEN '%s' ELSE '272' || (81 + i %% %d) END" % (first, COMMUNES[0], rest)
        seq = "CASE WHEN i < %d THEN i + 1 ELSE (i - %d) / %d + 1 END" % (first, first, rest)
        at = "(%d - %s %% %d)" % (now, h(1), 365 * 86400)
        closed = "(%s %% 10 < 7)" % h(2)
        status = "(SELECT name FROM bench_status WHERE k = CASE WHEN %s THEN %s %% 2 ELSE 2 + %s %% 3 END)" % (
            closed, h(3), h(3))
        token = " || ".join("substr('%s', 1 + (%s >> %d) %% 32, 1)" % (ALPHABET[:32], h(4 + k // 6), 5 * (k % 6))
                            for k in range(12)) + " || substr('%s', 1 + i %% %d, 1)" % (ALPHABET, len(ALPHABET))
        db.execute(
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d),"
            " r AS (SELECT i, %s AS c, %s AS seq, %s AS at, %s AS closed, %s AS status, %s AS token FROM s)"
            " INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at, received_server_at,"
            " deadline, status, updated_at, sealed, commune, due, accepted_at, closed_at, assignee, find_state)"
            " SELECT c || '-1-' || printf('%%06d', seq), c || '-1', seq, token,"
            " (SELECT name FROM bench_cat WHERE k = i %% 6), '', at, at,"
            " date(at + (1 + %s %% 59) * 86400, 'unixepoch'), status, at, (SELECT form FROM bench_sealed WHERE k = i %% %d), c,"
            " date(at + (1 + %s %% 59) * 86400, 'unixepoch'), CASE WHEN status = 'synced' THEN NULL ELSE at END,"
            " CASE WHEN closed THEN at + 86400 END,"
            " CASE WHEN %s %% 5 = 0 THEN 'officer' || (%s / 5 %% 20) ELSE '' END, 1 FROM r"
            % (n - 1, commune, seq, at, closed, status, token, h(7), FORMS, h(7), h(8), h(8)))
        db.execute("INSERT INTO event(request_id, kiosk, at, status) SELECT id, kiosk, received_at, status"
                   " FROM request ORDER BY rowid")
        # Three of the words for each request (a start and a step: never one twice), and a phone.
        for k in range(3):
            db.execute("INSERT OR IGNORE INTO find_key(hash, request_id) SELECT"
                       " (SELECT hash FROM bench_word WHERE k = (%s %% 28 + %d * (1 + %s %% 9)) %% 28), id"
                       " FROM (SELECT rowid - 1 AS i, id FROM request)" % (h(9), k, h(10)))
        probe = keyed(key, "phone", PROBE_PHONE)
        db.execute("INSERT OR IGNORE INTO find_key(hash, request_id) SELECT CASE WHEN rowid - 1 = %d THEN ?"
                   " ELSE lower(hex(randomblob(16))) END, id FROM request" % (n // 2), (probe,))
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


class Session:
    def __init__(self, url):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(self.url + path, timeout=120) as r:
            return r.read()

    def login(self, name, password):
        page = self.get("/staff/login").decode()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf": csrf, "name": name, "password": password, "next": "/staff/inbox"})
        self.opener.open(self.url + "/staff/login", data=data.encode(), timeout=30).read()


def timed(s, path, n):
    ms = []
    for _ in range(n):
        t0 = time.perf_counter()
        s.get(path)
        ms.append((time.perf_counter() - t0) * 1000)
    return common.summary(ms)


def like_peer(data, n):
    db = sqlite3.connect(os.path.join(data, "server.db"))
    ms = []
    for _ in range(n):
        t0 = time.perf_counter()
        db.execute("SELECT count(*) FROM request WHERE token LIKE '%QQ%'").fetchone()
        ms.append((time.perf_counter() - t0) * 1000)
    db.close()
    return common.summary(ms)


CASES = [
    ("Inbox, first page (ms)", "/staff/inbox?view=all"),
    ("Inbox, one commune's open requests (ms)", "/staff/inbox?view=all&commune=%s&status=open" % COMMUNES[3]),
    ("Inbox, page 100 of one commune (ms)", "/staff/inbox?view=all&commune=%s&page=100" % COMMUNES[0]),
    ("Inbox, received newest first (ms)", "/staff/inbox?view=all&sort=received"),
    ("Inbox, due within 7 days (ms)", "/staff/inbox?view=all&within=7"),
    ("Search, a phone number (ms)", "/staff/inbox?view=all&q=" + PROBE_PHONE),
    ("Search, one common word: 1 in 9 rows (ms)", "/staff/inbox?view=all&q=duong"),
    ("Search, two words in one commune (ms)", "/staff/inbox?view=all&q=duong+nuoc&commune=%s" % COMMUNES[2]),
    ("Request page (ms)", "/staff/r/%s-1-%06d" % (COMMUNES[0], 5000)),
]


EXPORTS = (("csv", "Export, %d rows as CSV (s)" % EXPORT_ROWS), ("xlsx", "Export, %d rows as Excel (s)" % EXPORT_ROWS))


def export_once(s, srv, fmt, backend, stored, perf=None):
    """One export of the first commune's rows: its seconds and the most
    RssAnon (the server's own memory, not the database's mapped pages) seen
    while it ran, in MiB; with perf, a file the server's `perf record -g`
    during it is written to."""
    most = [srv.mem_mib()["RssAnon"]]
    done = threading.Event()

    def watch():
        while not done.wait(0.02):
            most[0] = max(most[0], srv.mem_mib()["RssAnon"])
    w = threading.Thread(target=watch)
    w.start()
    rec = subprocess.Popen(["perf", "record", "-q", "-g", "-p", str(srv.p.pid), "-o", perf],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if perf else None
    if rec:
        time.sleep(0.5)      # perf attached before the first row
    try:
        t0 = time.perf_counter()
        body = s.get("/staff/export?format=%s&view=all&commune=%s" % (fmt, COMMUNES[0]))
        secs = time.perf_counter() - t0
    finally:
        done.set()
        w.join()
        if rec:
            rec.send_signal(2)
            rec.wait(timeout=60)
    if fmt == "csv" and body.count(b"\r\n") != min(stored, EXPORT_ROWS) + 1:
        raise RuntimeError("%s: the CSV export has %d lines" % (backend, body.count(b"\r\n")))
    if fmt == "xlsx" and not body.startswith(b"PK"):
        raise RuntimeError("%s: the Excel export is not a workbook" % backend)
    return secs, most[0]


def pages(table, srv, backend, stored, samples, exports=True, before=False):
    """The pages' figures, the exports' and the memory they took, of one
    running server."""
    s = Session(srv.url)
    s.login("bench.sup", PASSWORD)
    found = s.get("/staff/inbox?view=all&q=" + PROBE_PHONE).decode()
    if found.count('class="code"') != 1:
        raise RuntimeError("%s: the phone search did not find its one request" % backend)
    inbox = s.get("/staff/inbox?view=all").decode()
    if not before and not any(form_subject(k) in inbox for k in range(FORMS)):
        raise RuntimeError("%s: the inbox shows no subject opened from a sealed form" % backend)
    for name, path in CASES:
        s.get(path)
        table.row(name, timed(s, path, samples), digits=1, goal=50, unit="ms", judge="p99", with_p99=True,
                  limit="%s on the shared two-core machine; see docs/console.md." % backend)
    if not exports:
        return
    before = srv.hwm_mib()
    for fmt, name in EXPORTS:
        secs = [export_once(s, srv, fmt, backend, stored)[0] for _ in range(3)]
        table.row(name, common.summary(secs), digits=2, goal=5, unit="s", judge="max")
    table.row("Server's peak resident memory before the exports (MiB)", common.summary([before]), digits=0)
    table.row("Server's peak resident memory after the exports (MiB)", common.summary([srv.hwm_mib()]), digits=0)
    # The peak counts the database file's mapped pages (the kernel's page
    # cache, shared and dropped under pressure); RssAnon is the server's own.
    table.row("Server's own memory after the exports (RssAnon) (MiB)", common.summary([srv.mem_mib()["RssAnon"]]),
              digits=1, goal=30, unit="MiB")


class PgTwin(Server):
    """A server on the PostgreSQL copy of another's store."""
    def __init__(self, lite, db, binary=None):
        self.dir = tempfile.mkdtemp(prefix="motcua-bench-pg-")
        self.data = lite.data
        self.port = server_bench.free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.key = lite.key
        self.extra = ["--db", db]
        self.p = None


def serve_with(srv, binary):
    """srv served by binary (another build of motcua-server). The binary is
    passed, not set as server_bench.SERVER: serve's default is bound when
    it is defined."""
    srv.serve(binary)


def run_bench(table, tmp, stored=STORED):
    """Both store backends on the same rows: SQLite as grown, then its copy
    on a throwaway PostgreSQL cluster (motcua-server store copy). With
    BENCH_CONSOLE_BEFORE naming another build of motcua-server, its pages
    are measured on the same stores too (BENCH_CONSOLE_BEFORE_SAMPLES GETs
    each), the before of a change against its after in one run. The before
    build goes first on each store, which is made in its schema (init and
    the store copy are its own): a build with a newer schema migrates a
    store when it first serves it, and the before build would then refuse
    it."""
    rng = random.Random(15)
    before = os.environ.get("BENCH_CONSOLE_BEFORE")
    before_n = int(os.environ.get("BENCH_CONSOLE_BEFORE_SAMPLES", "20"))
    maker = before or SERVER
    keep = server_bench.SERVER
    server_bench.SERVER = maker
    try:
        srv = Server()
    finally:
        server_bench.SERVER = keep
    cluster = pg = None
    try:
        run([maker, "user", "add", "--data", srv.data, "--name", "bench.sup", "--role", "supervisor"],
            input=PASSWORD + "\n")
        common.log("console: growing the store to %d requests" % stored)
        t0 = time.perf_counter()
        grow(srv.data, stored, rng)
        common.log("console: grown in %.0f s" % (time.perf_counter() - t0))
        cluster = pgcluster.Cluster(durable=True).start()
        db = cluster.createdb("console")
        common.log("console: copying the store to PostgreSQL")
        t0 = time.perf_counter()
        run([maker, "store", "copy", "--data", srv.data, "--db", db], timeout=7200)
        copied = time.perf_counter() - t0
        # The store at rest, as autovacuum leaves it soon after a copy (a
        # build's copy may not vacuum): the figures are the pages', not
        # those of autovacuum's first pass over a million fresh rows.
        cluster.psql("VACUUM ANALYZE", db="console")
        if before:
            serve_with(srv, before)
            table.section("Before the change (BENCH_CONSOLE_BEFORE), %d stored, SQLite" % stored)
            pages(table, srv, "SQLite", stored, before_n, exports=False, before=True)
            srv.stop()
        srv.serve()
        table.section("Officials' console, %d stored, SQLite" % stored)
        pages(table, srv, "SQLite", stored, SAMPLES)
        table.row("Peer: a LIKE scan of one column, no index (ms)", like_peer(srv.data, 20), digits=1, with_p99=True)
        srv.stop()
        pg = PgTwin(srv, db)
        if before:
            serve_with(pg, before)
            table.section("Before the change (BENCH_CONSOLE_BEFORE), %d stored, PostgreSQL" % stored)
            pages(table, pg, "PostgreSQL", stored, before_n, exports=False, before=True)
            pg.stop()
        pg.serve()
        table.section("Officials' console, %d stored, PostgreSQL" % stored)
        pages(table, pg, "PostgreSQL", stored, SAMPLES)
        table.row("Store copy to PostgreSQL (s)" + (" (by the before build)" if before else ""),
                  common.summary([copied]), digits=0)
        pg.stop()
        table.how.append("Console: %d requests grown in the server's schema in SQL (bench/console_bench.py), then "
                         "copied to a throwaway PostgreSQL cluster (durable) by `motcua-server store copy`; each "
                         "figure is %d sequential GETs over one logged-in session on loopback; exports are three "
                         "runs each of one commune's %d requests; peak memory is the server's VmHWM."
                         % (stored, SAMPLES, EXPORT_ROWS))
    finally:
        if pg:
            pg.stop()
            shutil.rmtree(pg.dir, ignore_errors=True)
        if cluster:
            cluster.stop()
        srv.remove()


def export_bench(table, stored, runs):
    """The exports alone, on both backends of one grown store: each run
    starts each build's server afresh, logs in and exports once in each
    format; the before build (BENCH_CONSOLE_BEFORE) and this one take
    turns, so the machine's load falls on both alike."""
    before = os.environ.get("BENCH_CONSOLE_BEFORE")
    perf = os.environ.get("BENCH_CONSOLE_PERF")
    builds = [("before the change", before), ("this build", SERVER)] if before else [("this build", SERVER)]
    srv = Server()
    cluster = pg = None
    try:
        run([SERVER, "user", "add", "--data", srv.data, "--name", "bench.sup", "--role", "supervisor"],
            input=PASSWORD + "\n")
        grow(srv.data, stored, random.Random(15))
        cluster = pgcluster.Cluster(durable=True).start()
        db = cluster.createdb("console")
        run([SERVER, "store", "copy", "--data", srv.data, "--db", db], timeout=7200)
        cluster.psql("VACUUM ANALYZE", db="console")
        pg = PgTwin(srv, db)
        for backend, one in (("SQLite", srv), ("PostgreSQL", pg)):
            got = {(label, fmt): [] for label, _ in builds for fmt, _ in EXPORTS}
            rss = {label: [] for label, _ in builds}
            for r in range(runs):
                for label, binary in builds:
                    serve_with(one, binary)
                    try:
                        s = Session(one.url)
                        s.login("bench.sup", PASSWORD)
                        for fmt, _ in EXPORTS:
                            rec = perf if perf and r == 0 and fmt == "xlsx" and binary == SERVER else None
                            secs, most = export_once(s, one, fmt, backend, stored,
                                                     rec and "%s.%s" % (perf, backend.lower()))
                            got[(label, fmt)].append(secs)
                            if fmt == "xlsx":
                                rss[label].append(most)
                    finally:
                        one.stop()
            for label, _ in builds:
                table.section("Exports, %d stored, %s, %s" % (stored, backend, label))
                for fmt, name in EXPORTS:
                    table.row(name, common.summary(got[(label, fmt)]), digits=2, goal=5, unit="s", judge="max")
                table.row("Server's RssAnon during the Excel export, most (MiB)", common.summary(rss[label]), digits=0)
        table.how.append("Exports: python3 bench/console_bench.py --exports %d, %d runs per build and backend, "
                         "the builds taking turns, each run a fresh server." % (stored, runs))
    finally:
        if pg:
            pg.stop()
            shutil.rmtree(pg.dir, ignore_errors=True)
        if cluster:
            cluster.stop()
        srv.remove()


if __name__ == "__main__":
    exports = "--exports" in sys.argv[1:]
    args = [a for a in sys.argv[1:] if a != "--exports"]
    n = int(args[0]) if args else EXPORT_ROWS if exports else STORED
    tmp = tempfile.mkdtemp(prefix="motcua-bench-")
    table = common.Table()
    try:
        if exports:
            export_bench(table, n, int(os.environ.get("BENCH_CONSOLE_EXPORT_RUNS", "7")))
        else:
            run_bench(table, tmp, n)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table.markdown())
    for note in table.notes + table.how:
        common.log(note)
