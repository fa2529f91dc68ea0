"""Server and sync benchmarks, the second half of `make bench`.

- Sync: N requests queued at a kiosk (made with build/motcua-fill, sealed
  like a citizen's) pushed to a fresh server over loopback by
  `motcua-sync now`, timed end to end, at 1,000, 10,000 and 100,000; and
  the same through the USB path (export, server import, kiosk import).
  Then 1,000,000 over loopback (once: about two minutes a run), its queue
  made by `motcua-fill --bulk` (1,000 filed, the rest copied in SQL, each
  with its own code), against ten times the 100,000 figure.
- The phone page: GET /r/<token> from motcua-server against nginx serving
  a page of the same kind as a static file, both loaded by wrk (50
  connections) in the same run, alternating; requests/s, p50, p99, and the
  server's peak RSS. Repeated with 10,000 (synced for real), 100,000 and
  1,000,000 requests stored, the extra rows written straight into the
  server's database in its own schema, to show that a lookup does not grow
  with the data.
run() adds the rows to the one table of bench/bench.py."""
import os, random, re, shutil, signal, socket, sqlite3, statistics, subprocess, tempfile, time, urllib.request
from common import B, ROOT, log, ratio, summary

SERVER, SYNC, FILL = B + "/motcua-server", B + "/motcua-sync", B + "/motcua-fill"
SYNC_SIZES = [int(x) for x in os.environ.get("BENCH_SYNC_SIZES", "1000,10000,100000").split(",")]
SYNC_RUNS = 3
BIG_SYNC = int(os.environ.get("BENCH_BIG_SYNC", "1000000"))   # 0: left out
BIG_SYNC_RUNS = 1
STORED_SIZES = [10000, 100000, 1000000]
PER_KIOSK = 10000       # synthetic kiosks hold this many requests each
SAMPLE_TOKENS = 1000    # wrk asks for these, at random, so lookups are spread over the index
WRK_RUNS = 3
WRK_SECONDS = 5
# Shared memory, where fsync costs nothing: only for making the kiosk
# templates, which are then copied to disk and never timed there.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
# Crockford base32 and the mod-37 check symbols (src/token.c).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), p.stderr[-2000:]))
    return p


# Kiosks seal each receipt code to the server's key, so a kiosk template
# made once syncs only to servers holding the key it was made for: every
# bench server takes the first one's key (server.key and its line).
SHARED_KEY = {}


def share_key(data, line):
    """The bench's one server key put in data (a folder `init` just made);
    the key line kiosks are given."""
    if not SHARED_KEY:
        with open(data + "/server.key", "rb") as f:
            SHARED_KEY.update(file=f.read(), line=line)
    else:
        with open(data + "/server.key", "wb") as f:
            f.write(SHARED_KEY["file"])
    return SHARED_KEY["line"]


class Server:
    def __init__(self, extra=()):
        self.dir = tempfile.mkdtemp(prefix="motcua-bench-srv-")
        self.data = self.dir + "/data"
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.key = share_key(self.data, run([SERVER, "init", "--data", self.data, "--public-url", self.url])
                             .stdout.strip())
        self.extra = list(extra)
        self.p = None

    def serve(self, binary=SERVER):
        self.p = subprocess.Popen([binary, "serve", "--data", self.data, "--listen", "127.0.0.1:%d" % self.port,
                                   "--assets", ROOT + "/assets"] + self.extra,
                                  stdout=subprocess.DEVNULL, stderr=open(self.dir + "/log", "a"))
        # Up to a minute: a server migrating a large store (a new index
        # over a million requests) listens once it is done.
        for _ in range(1200):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return self
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def hwm_mib(self):
        return self.mem_mib()["VmHWM"]

    def mem_mib(self):
        """VmHWM (peak resident, with the pages of the database file it has
        mapped), RssAnon (its own memory now) and RssFile, in MiB."""
        out = {"VmHWM": 0, "RssAnon": 0, "RssFile": 0}
        for line in open("/proc/%d/status" % self.p.pid):
            key = line.split(":")[0]
            if key in out:
                out[key] = int(line.split()[1]) / 1024
        return out

    def stop(self):
        if self.p:
            self.p.send_signal(signal.SIGTERM)
            self.p.wait(timeout=30)
            self.p = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def write_config(d, data, srv):
    cfg = d + "/kiosk.ini"
    with open(cfg, "w") as f:
        f.write("[kiosk]\ncommune_code = 27280\ncommune_name = Xã Bench\nkiosk_number = 1\ndata_dir = %s\n"
                "assets_dir = %s/assets\nfonts_dir = %s/fonts\n[server]\npublic_url = %s\nurl = %s\nkey = %s\n"
                "sync_interval = 0\n" % (data, ROOT, ROOT, srv.url, srv.url, srv.key))
    return cfg


def kiosk_template(n, tmp, bulk=False):
    """A kiosk data folder with n queued requests, made once per size by
    motcua-fill in shared memory (its fsyncs cost nothing there, which
    only shortens the making), then copied to disk under tmp."""
    d = tempfile.mkdtemp(prefix="motcua-bench-fill-", dir=SCRATCH)
    try:
        srv = Server()
        cfg = write_config(d, d + "/data", srv)
        os.makedirs(d + "/data")
        t0 = time.time()
        run([FILL, "--config", cfg, str(n)] + (["--bulk"] if bulk else []), timeout=3600)
        run([SYNC, "--config", cfg, "key"])
        srv.remove()
        log("queued %d requests in %.1f s (not timed in any figure)" % (n, time.time() - t0))
        out = os.path.join(tmp, "kiosk-%d" % n)
        shutil.copytree(d + "/data", out)
        return out
    finally:
        shutil.rmtree(d, ignore_errors=True)


def fresh_pair(template):
    """A new server and a copy of the template kiosk registered with it."""
    srv = Server()
    d = tempfile.mkdtemp(prefix="motcua-bench-k-")
    shutil.copytree(template, d + "/data")
    cfg = write_config(d, d + "/data", srv)
    line = [w for w in run([SYNC, "--config", cfg, "key"]).stdout.split() if w.startswith("mk1.")][0]
    run([SERVER, "kiosk", "add", "--data", srv.data, "--kiosk", "27280-1", "--key", line])
    return srv, cfg, d


def stored(srv):
    db = sqlite3.connect(srv.data + "/server.db")
    try:
        return db.execute("SELECT count(*) FROM request").fetchone()[0]
    finally:
        db.close()


def bench_sync(table, tmp):
    """Returns the 10,000 template, reused for the phone page."""
    keep = at_100k = None
    for n in SYNC_SIZES:
        template = kiosk_template(n, tmp)
        http, usb, usb_refused = [], [], None
        log("sync %d requests: %d runs over loopback and by USB bundle" % (n, SYNC_RUNS))
        for _ in range(SYNC_RUNS):
            srv, cfg, d = fresh_pair(template)
            srv.serve()
            t0 = time.perf_counter()
            run([SYNC, "--config", cfg, "now"], timeout=600)
            http.append(time.perf_counter() - t0)
            if stored(srv) != n:
                raise RuntimeError("server holds %d of %d" % (stored(srv), n))
            srv.remove()
            shutil.rmtree(d, ignore_errors=True)
            if usb_refused:
                continue
            srv, cfg, d = fresh_pair(template)
            os.makedirs(d + "/usb")
            t0 = time.perf_counter()
            run([SYNC, "--config", cfg, "export", d + "/usb"])
            # A long queue is several bundles (10,000 requests each), imported in name order.
            for name in sorted(os.listdir(d + "/usb")):
                bundle = d + "/usb/" + name
                bundle_mib = os.path.getsize(bundle) / 1048576.0
                reply = d + "/" + name + ".reply"
                imported = subprocess.run([SERVER, "import", "--data", srv.data, bundle, "--reply", reply],
                                          capture_output=True, text=True, timeout=600)
                if imported.returncode != 0:
                    usb_refused = imported.stderr.strip().split(": ", 2)[-1]
                    break
                run([SYNC, "--config", cfg, "import", reply], timeout=600)
            if usb_refused:
                srv.remove()
                shutil.rmtree(d, ignore_errors=True)
                continue
            usb.append(time.perf_counter() - t0)
            if stored(srv) != n:
                raise RuntimeError("server holds %d of %d after the USB import" % (stored(srv), n))
            srv.remove()
            shutil.rmtree(d, ignore_errors=True)
        table.row("Sync %s queued requests over loopback, end to end (s)" % format(n, ","), summary(http), 2,
                  2 if n == 10000 else None, "s", limit="One signed envelope and one durable server "
                  "transaction per batch of 500; see the requests/s rows for where the time grows.")
        table.row("Sync %s: throughput over loopback (requests/s)" % format(n, ","), summary(n / x for x in http), 0)
        if usb_refused:
            table.row("Sync %s by USB bundle: refused by the server, see notes" % format(n, ","), None)
            table.notes.append("USB bundle with %s requests: `motcua-sync export` wrote one bundle of %.1f MiB and "
                               "`motcua-server import` refused it (%s); the protocol caps one envelope, so the "
                               "USB path needs bundles split below that cap to carry this many."
                               % (format(n, ","), bundle_mib, usb_refused))
        else:
            table.row("Sync %s by USB bundle: export, server import, reply import (s)" % format(n, ","),
                      summary(usb), 2)
            table.row("Sync %s by USB bundle: throughput (requests/s)" % format(n, ","),
                      summary(n / x for x in usb), 0)
        if n == 100000:
            at_100k = list(http)
        if n == 10000:
            keep = template
        else:
            shutil.rmtree(template, ignore_errors=True)
    if BIG_SYNC:
        bench_big_sync(table, tmp, at_100k)
    return keep


def bench_big_sync(table, tmp, at_100k):
    """The million: is sync linear in the queue? Goal: within ten times the
    100,000 figure of the same run."""
    n = BIG_SYNC
    template = kiosk_template(n, tmp, bulk=True)
    took = []
    log("sync %d requests: %d run(s) over loopback" % (n, BIG_SYNC_RUNS))
    for _ in range(BIG_SYNC_RUNS):
        srv, cfg, d = fresh_pair(template)
        srv.serve()
        t0 = time.perf_counter()
        run([SYNC, "--config", cfg, "now"], timeout=7200)
        took.append(time.perf_counter() - t0)
        if stored(srv) != n:
            raise RuntimeError("server holds %d of %d" % (stored(srv), n))
        srv.remove()
        shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(template, ignore_errors=True)
    table.row("Sync %s queued requests over loopback, end to end (s)" % format(n, ","), summary(took), 2)
    table.row("Sync %s: throughput over loopback (requests/s)" % format(n, ","), summary(n / x for x in took), 0)
    if at_100k:
        table.row("Sync %s: time / the 100,000 sync's (same run)" % format(n, ","),
                  summary([statistics.median(took) / statistics.median(at_100k)]), 2, n / 100000, "×",
                  limit="The kiosk reads its queue in batches of 500 after a cursor (what waits is the last seq "
                  "less the acknowledged one, not a count of the rest) and the server stores each batch in one "
                  "transaction; what grows is the server's indexes (request id, code).")


def token(rng):
    value = rng.getrandbits(60)
    return "".join(ALPHABET[(value >> (5 * (11 - i))) & 31] for i in range(12)) + ALPHABET[value % 37]


def grow(srv, target, rng):
    """Adds synthetic requests, each with its first event, in the server's
    own schema (sync/store/srv_db.c), until it holds target: kiosks 27280-2,
    27280-3, ... with PER_KIOSK requests each, categories and sealed sizes
    copied from the real rows, marked as having their search keys (their
    sealed forms are random bytes: a server would otherwise try to open
    every one as it starts). Bench-only; the server is stopped."""
    db = sqlite3.connect(srv.data + "/server.db")
    db.execute("PRAGMA synchronous=OFF")
    have = db.execute("SELECT count(*) FROM request").fetchone()[0]
    shapes = db.execute("SELECT category, procedure, received_at, deadline, length(sealed) FROM request "
                        "LIMIT 60").fetchall()
    kiosk = db.execute("SELECT count(*) FROM kiosk").fetchone()[0] + 1
    now = int(time.time())
    with db:
        while have < target:
            kid = "27280-%d" % kiosk
            db.execute("INSERT INTO kiosk(id, key, added_at) VALUES(?, randomblob(32), ?)", (kid, now))
            count = min(PER_KIOSK, target - have)
            rows = []
            for seq in range(1, count + 1):
                cat, proc, at, deadline, size = shapes[seq % len(shapes)]
                rows.append(("%s-%06d" % (kid, seq), kid, seq, token(rng), cat, proc, at, at, deadline, at, size))
            db.executemany("INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at, "
                           "received_server_at, deadline, status, updated_at, sealed, find_state) "
                           "VALUES(?,?,?,?,?,?,?,?,?,'synced',?,randomblob(?),1)", rows)
            db.executemany("INSERT INTO event(request_id, kiosk, at, status) VALUES(?, ?, ?, 'synced')",
                           [(r[0], kid, r[6]) for r in rows])
            have += count
            kiosk += 1
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def cpu_ticks(pids):
    """User and system clock ticks used so far by these processes."""
    t = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            t += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return t


def with_children(pid):
    """pid and its children (nginx's master and workers)."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [pid] + [int(c) for c in f.read().split()]
    except OSError:
        return [pid]


def wrk(url, script, pids=(), not_found_ok=False):
    """requests/s, p50 and p99 (ms) of one wrk run; with pids, also the CPU
    time those processes spent per request (microseconds), which the other
    work on a shared machine moves less than the throughput. not_found_ok:
    the run asks for what is answered 404 (the floor, below)."""
    t0 = cpu_ticks(pids)
    out = run(["wrk", "-t2", "-c50", "-d%ds" % WRK_SECONDS, "--latency", "-s", script, url],
              timeout=WRK_SECONDS + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    cpu_us = (cpu_ticks(pids) - t0) / os.sysconf("SC_CLK_TCK") / max(rps * WRK_SECONDS, 1) * 1e6

    def lat(pct):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % pct, out, re.M)
        v = float(m.group(1))
        return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors and not not_found_ok:
        raise RuntimeError("wrk saw %s error responses from %s" % (errors.group(1), url))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if sockets and any(int(n) for n in sockets.groups()):
        raise RuntimeError("wrk saw socket errors from %s: %s" % (url, sockets.group(0)))
    return (rps, lat(50), lat(99), cpu_us) if pids else (rps, lat(50), lat(99))


def start_nginx(www, page):
    """nginx answering every /r/<token> with the same bytes from one file."""
    os.makedirs(www + "/root", exist_ok=True)
    for d in (www, www + "/root"):
        os.chmod(d, 0o755)
    with open(www + "/root/page.html", "wb") as f:
        f.write(page)
    os.chmod(www + "/root/page.html", 0o644)
    port = free_port()
    with open(www + "/nginx.conf", "w") as f:
        f.write("worker_processes auto; daemon off; pid %s/nginx.pid; error_log %s/error.log;\n"
                "events { worker_connections 1024; }\n"
                "http { access_log off; server { listen 127.0.0.1:%d; root %s/root;\n"
                " location /r/ { default_type 'text/html; charset=utf-8'; try_files /page.html =404; } } }\n"
                % (www, www, port, www))
    p = subprocess.Popen(["nginx", "-c", www + "/nginx.conf"], stderr=subprocess.DEVNULL)
    url = "http://127.0.0.1:%d" % port
    for _ in range(100):
        try:
            if urllib.request.urlopen(url + "/r/X", timeout=1).read() == page:
                return p, url
            break
        except Exception:
            time.sleep(0.05)
    p.terminate()
    p.wait(timeout=30)
    raise RuntimeError("nginx did not start or does not serve the page")


def bench_page(table, tmp, template):
    srv, cfg, d = fresh_pair(template)
    # wrk's 50 connections all come from one address, where phones come
    # from many: the per-address limits (lookups a minute, 32 connections)
    # would refuse most of them and measure the refusals.
    srv.extra = ["--lookup-rate", "0", "--max-per-address", "0"]
    srv.serve()
    run([SYNC, "--config", cfg, "now"], timeout=600)
    srv.stop()
    rng = random.Random(27280)
    ours, theirs, rss, sizes, olds = {}, {}, {}, {}, {}
    # The floor: the same route answering a malformed code, its 404 page
    # from memory, no store read and no page rendered: what libmicrohttpd,
    # the routing, the headers and the log cost a request, against nginx.
    floors = []
    floor_script = os.path.join(tmp, "floor.lua")
    with open(floor_script, "w") as f:
        f.write("request = function()\n  return wrk.format(\"GET\", \"/r/NOT-A-CODE\")\nend\n")
    # Another build of motcua-server (say main's, before a change), served
    # from the same database and measured in the same alternation.
    before = os.environ.get("BENCH_PAGE_BEFORE")
    for n in STORED_SIZES:
        if stored(srv) < n:
            t0 = time.time()
            grow(srv, n, rng)
            log("stored %d requests in the server's database in %.1f s (not timed in any figure)" % (n, time.time() - t0))
        if stored(srv) != n:
            raise RuntimeError("server holds %d requests, not %d" % (stored(srv), n))
        db = sqlite3.connect(srv.data + "/server.db")
        tokens = [t for (t,) in db.execute("SELECT token FROM request ORDER BY random() LIMIT ?", (SAMPLE_TOKENS,))]
        db.close()
        script = os.path.join(tmp, "tokens-%d.lua" % n)
        with open(script, "w") as f:
            f.write("local tokens = {%s}\nrequest = function()\n  return wrk.format(\"GET\", \"/r/\" .. "
                    "tokens[math.random(#tokens)])\nend\n" % ",".join('"%s"' % t for t in tokens))
        srv.serve()
        page = urllib.request.urlopen(srv.url + "/r/" + tokens[0]).read()
        sizes[n] = len(page)
        # Outside tmp, which is private: nginx's workers run as another user.
        www = tempfile.mkdtemp(prefix="motcua-bench-nginx-")
        nginx, nurl = start_nginx(www, page)
        old = None
        if before:
            old = Server.__new__(Server)
            old.__dict__.update(srv.__dict__, port=free_port(), p=None)
            old.url = "http://127.0.0.1:%d" % old.port
            old.serve(before)
        log("phone page with %d stored: wrk against motcua-server%s and nginx, %d alternating runs of %d s"
            % (n, " (and %s)" % before if before else "", WRK_RUNS, WRK_SECONDS))
        ours[n], theirs[n], olds[n] = [], [], []
        try:
            for _ in range(WRK_RUNS):
                ours[n].append(wrk(srv.url, script, [srv.p.pid]))
                if n == STORED_SIZES[0]:
                    floors.append(wrk(srv.url, floor_script, [srv.p.pid], not_found_ok=True))
                if old:
                    olds[n].append(wrk(old.url, script, [old.p.pid]))
                theirs[n].append(wrk(nurl, script, with_children(nginx.pid)))
            rss[n] = srv.mem_mib()
        finally:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)
            shutil.rmtree(www, ignore_errors=True)
            srv.stop()
            if old:
                old.stop()
    srv.remove()
    shutil.rmtree(d, ignore_errors=True)

    table.section("Server against nginx: GET /r/<token>, wrk -c50, same run")
    for n in STORED_SIZES:
        label = format(n, ",")
        o, t, b = ours[n], theirs[n], olds[n]
        if n == STORED_SIZES[0]:
            table.row("Floor: the server's 404 for a malformed code, no store read (requests/s)", summary(
                x[0] for x in floors), 0)
            table.row("Floor: throughput ratio, server's 404 / nginx", ratio([x[0] for x in floors], [x[0] for x in t]), 2)
            table.row("Floor: CPU time per request, server's 404 (µs)", summary(x[3] for x in floors), 1)
        table.row("%s stored: motcua-server (requests/s)" % label, summary(x[0] for x in o), 0)
        table.row("%s stored: nginx, static file (requests/s)" % label, summary(x[0] for x in t), 0)
        table.row("%s stored: throughput ratio, server / nginx" % label,
                  ratio([x[0] for x in o], [x[0] for x in t]), 2, 1.0, "", "higher",
                  limit="the server without the store (the Floor rows) is as fast as nginx; the lookup "
                        "(an SQLite read transaction, four index descents, the page rendered) doubles its CPU "
                        "time on a request (below), and no cache of rendered pages is kept (docs/design.md).")
        table.row("%s stored: CPU time per request, server (µs)" % label, summary(x[3] for x in o), 1)
        table.row("%s stored: CPU time per request, nginx (µs)" % label, summary(x[3] for x in t), 1)
        table.row("%s stored: latency p50, server (ms)" % label, summary(x[1] for x in o), 2)
        table.row("%s stored: latency p50, nginx (ms)" % label, summary(x[1] for x in t), 2)
        table.row("%s stored: latency p99, server (ms)" % label, summary(x[2] for x in o), 2, 5, "ms",
                  limit="Tail latency under 50 connections on two cores shared with wrk.")
        table.row("%s stored: latency p99, nginx (ms)" % label, summary(x[2] for x in t), 2)
        if b:
            table.row("%s stored: before (BENCH_PAGE_BEFORE) (requests/s)" % label, summary(x[0] for x in b), 0)
            table.row("%s stored: throughput ratio, server / before" % label,
                      ratio([x[0] for x in o], [x[0] for x in b]), 2)
            table.row("%s stored: CPU time per request, before (µs)" % label, summary(x[3] for x in b), 1)
            table.row("%s stored: CPU time ratio, server / before" % label,
                      ratio([x[3] for x in o], [x[3] for x in b]), 2)
            table.row("%s stored: latency p99, before (ms)" % label, summary(x[2] for x in b), 2)
        table.row("%s stored: server's own memory (RssAnon) (MiB)" % label, summary([rss[n]["RssAnon"]]), 1, 30,
                  "MiB", limit="The page buffers, statement caches and libmicrohttpd's pools.")
        table.row("%s stored: server peak RSS with the mapped database (VmHWM) (MiB)" % label,
                  summary([rss[n]["VmHWM"]]), 1)
    table.how += [
        "Sync: build/motcua-fill queues the requests (sealed identities, the kiosk's own submission path, in "
        "shared memory so that making them is quick; not timed), copied to disk; each run copies that kiosk, "
        "registers it with a fresh server, and times `motcua-sync now` until caught up (batches of 500, one "
        "signed envelope and one server transaction each). The USB rows time `motcua-sync export`, "
        "`motcua-server import` and `motcua-sync import` of the reply. %d runs per size." % SYNC_RUNS,
        "Server against nginx: the 10,000 requests are synced for real; 100,000 and 1,000,000 are reached by "
        "inserting synthetic requests (valid tokens, one first event each, sealed blobs of the real sizes) "
        "straight into the server's SQLite database in its schema. At each size wrk -t2 -c50 -d%ds asks for "
        "%d tokens sampled at random from the whole database (a Lua script), %d times, alternating with nginx "
        "(worker_processes auto, access_log off) answering the same paths with the page of one of those "
        "requests (%s bytes) as a static file; rate limiting off (`--lookup-rate 0`), as nginx has none. "
        "wrk shares the two cores with the server it loads, so absolute figures are lower than on a "
        "dedicated machine; the ratio is what compares. CPU time per request: the user and system time the "
        "server's process (nginx: its master and workers) used during a run, over the requests answered. "
        "With BENCH_PAGE_BEFORE=path/to/another/motcua-server, that build serves the same database on a port of "
        "its own and takes its turn in the same alternation. The database is read through a memory map, so the "
        "peak RSS counts the file's pages the server touched (the kernel's page cache, shared and dropped under "
        "pressure); RssAnon is the server's own memory." % (WRK_SECONDS, SAMPLE_TOKENS, WRK_RUNS,
                                                           "/".join(str(sizes[n]) for n in STORED_SIZES)),
    ]


def run_all(table, tmp):
    table.section("Sync, kiosk to server")
    template = bench_sync(table, tmp)
    bench_page(table, tmp, template)


if __name__ == "__main__":
    # The phone page against nginx alone (`python3 bench/server_bench.py`, after `make all
    # build/motcua-fill`; BENCH_PAGE_BEFORE=other/motcua-server adds that build to the runs).
    import sys
    import common
    tmp = tempfile.mkdtemp(prefix="motcua-bench-")
    try:
        table = common.Table()
        template = kiosk_template(10000, tmp)
        bench_page(table, tmp, template)
        print(table.markdown())
        for note in table.notes:
            log(note)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0)
