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

Run alone: python3 bench/console_bench.py [N]."""
import hashlib, http.cookiejar, os, random, re, sqlite3, struct, sys, tempfile, time, urllib.parse, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from server_bench import Server, run, SERVER, ALPHABET  # noqa: E402

STORED = 1000000
SAMPLES = 200
EXPORT_ROWS = 100000
COMMUNES = ["272%02d" % i for i in range(80, 90)]
CATEGORIES = ["procedure", "petition", "reflection", "complaint", "denunciation", "dialogue"]
WORDS = ["duong", "lien", "thon", "hong", "o", "ga", "nuoc", "dien", "rac", "dat", "cap", "giay", "khai", "sinh",
         "ho", "tich", "xa", "dan", "nha", "cau", "muong", "ngap", "cay", "xanh", "den", "tre", "truong", "hoc"]
PROBE_PHONE = "0987654321"
PASSWORD = "mật khẩu lãnh đạo bench"


def find_key(data):
    raw = open(os.path.join(data, "server.key"), "rb").read()
    box_sk = raw[32 + 64 + 32:32 + 64 + 32 + 32]
    # crypto_kdf_derive_from_key(32, 1, "motcfind", box_sk)
    return hashlib.blake2b(b"", digest_size=32, key=box_sk, salt=struct.pack("<Q", 1) + b"\0" * 8,
                           person=b"motcfind" + b"\0" * 8).digest()


def keyed(key, kind, value):
    return hashlib.blake2b(kind.encode() + b"\0" + value.encode(), digest_size=16, key=key).hexdigest()


def grow(data, n, rng):
    key = find_key(data)
    word_hash = {w: keyed(key, "word", w) for w in WORDS}
    db = sqlite3.connect(os.path.join(data, "server.db"))
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA journal_mode=WAL")
    now = int(time.time())
    kiosks = {}
    with db:
        for c in COMMUNES:
            db.execute("INSERT INTO commune(code, name) VALUES(?, ?)", (c, "Xã thử %s" % c))
            kid = "%s-1" % c
            kiosks[c] = kid
            db.execute("INSERT INTO kiosk(id, key, added_at) VALUES(?, randomblob(32), ?)", (kid, now))
        seqs = {c: 0 for c in COMMUNES}
        batch, keys = [], []
        for i in range(n):
            # The first EXPORT_ROWS requests are all of the first commune: one export's list.
            c = COMMUNES[0] if i < EXPORT_ROWS else COMMUNES[1 + i % (len(COMMUNES) - 1)]
            seqs[c] += 1
            rid = "%s-%06d" % (kiosks[c], seqs[c])
            at = now - rng.randrange(365 * 86400)
            due = time.strftime("%Y-%m-%d", time.gmtime(at + rng.randrange(1, 60) * 86400))
            closed = rng.random() < 0.7
            status = rng.choice(["resolved", "rejected"]) if closed else rng.choice(["synced", "accepted", "in_progress"])
            tok = "".join(rng.choice(ALPHABET[:32]) for _ in range(12)) + rng.choice(ALPHABET)
            assignee = "officer%d" % rng.randrange(20) if rng.random() < 0.2 else ""
            batch.append((rid, kiosks[c], seqs[c], tok, CATEGORIES[i % 6], "", at, at, due, status, at,
                          c, due, at if status != "synced" else None, at + 86400 if closed else None, assignee))
            for w in rng.sample(WORDS, 3):
                keys.append((word_hash[w], rid))
            keys.append((keyed(key, "phone", PROBE_PHONE) if i == n // 2 else "%032x" % rng.getrandbits(128), rid))
            if len(batch) == 20000:
                flush(db, batch, keys)
                batch, keys = [], []
        flush(db, batch, keys)
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def flush(db, batch, keys):
    db.executemany("INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at, received_server_at,"
                   " deadline, status, updated_at, sealed, commune, due, accepted_at, closed_at, assignee, find_state)"
                   " VALUES(?,?,?,?,?,?,?,?,?,?,?,randomblob(200),?,?,?,?,?,1)", batch)
    db.executemany("INSERT INTO event(request_id, kiosk, at, status) VALUES(?, ?, ?, ?)",
                   [(b[0], b[1], b[6], b[9]) for b in batch])
    db.executemany("INSERT OR IGNORE INTO find_key(hash, request_id) VALUES(?, ?)", keys)


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


def run_bench(table, tmp, stored=STORED):
    rng = random.Random(15)
    srv = Server()
    try:
        run([SERVER, "user", "add", "--data", srv.data, "--name", "bench.sup", "--role", "supervisor"],
            input=PASSWORD + "\n")
        common.log("console: growing the store to %d requests" % stored)
        t0 = time.perf_counter()
        grow(srv.data, stored, rng)
        common.log("console: grown in %.0f s" % (time.perf_counter() - t0))
        srv.serve()
        s = Session(srv.url)
        s.login("bench.sup", PASSWORD)
        found = s.get("/staff/inbox?view=all&q=" + PROBE_PHONE).decode()
        if found.count('class="code"') != 1:
            raise RuntimeError("the phone search did not find its one request")
        table.section("Officials' console, %d stored" % stored)
        cases = [
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
        for name, path in cases:
            s.get(path)
            table.row(name, timed(s, path, SAMPLES), digits=1, goal=50, unit="ms", judge="p99", with_p99=True,
                      limit="SQLite on the shared two-core machine; see the query plan in docs/console.md.")
        table.row("Peer: a LIKE scan of one column, no index (ms)", like_peer(srv.data, 20), digits=1, with_p99=True)
        for fmt, name in (("csv", "Export, %d rows as CSV (s)" % EXPORT_ROWS),
                          ("xlsx", "Export, %d rows as Excel (s)" % EXPORT_ROWS)):
            secs = []
            for _ in range(3):
                t0 = time.perf_counter()
                body = s.get("/staff/export?format=%s&view=all&commune=%s" % (fmt, COMMUNES[0]))
                secs.append(time.perf_counter() - t0)
            if fmt == "csv" and body.count(b"\r\n") != min(stored, EXPORT_ROWS) + 1:
                raise RuntimeError("the CSV export has %d lines" % body.count(b"\r\n"))
            table.row(name, common.summary(secs), digits=2, goal=5, unit="s", judge="max")
        table.row("Server's peak resident memory after the exports (MiB)",
                  common.summary([srv.hwm_mib()]), digits=0)
        table.how.append("Console: %d requests grown in the server's schema (bench/console_bench.py); each figure "
                         "is %d sequential GETs over one logged-in session on loopback; exports are three runs "
                         "each of one commune's %d requests." % (stored, SAMPLES, EXPORT_ROWS))
    finally:
        srv.remove()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else STORED
    tmp = tempfile.mkdtemp(prefix="motcua-bench-")
    table = common.Table()
    run_bench(table, tmp, n)
    print(table.markdown())
    for note in table.notes + table.how:
        common.log(note)
