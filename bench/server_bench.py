"""Server and sync benchmarks, run by `make bench` after the kiosk's.

- Sync: N requests queued at a kiosk (made with build/motcua-fill, sealed
  like a citizen's) pushed to a fresh server over loopback by
  `motcua-sync now`, timed end to end; and the same through the USB path
  (export, server import, kiosk import).
- The phone page: GET /r/<token> from motcua-server against nginx serving
  the very same bytes as a static file, both measured with wrk (50
  connections) in the same run, alternating; requests/s, p50, p99, and the
  server's peak RSS under that load.
Appends its table to bench/RESULTS.md (written first by kiosk_bench.py).
Medians over repeated runs, with min and max."""
import os, re, shutil, signal, socket, sqlite3, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.path.join(ROOT, "build")
SERVER, SYNC, FILL = B + "/motcua-server", B + "/motcua-sync", B + "/motcua-fill"
RESULTS = os.path.join(ROOT, "bench/RESULTS.md")
SYNC_SIZES = [1000, 10000]
SYNC_RUNS = 3
WRK_RUNS = 3
WRK_SECONDS = 8
rows = []


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


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


def row(name, values, budget="—", verdict="—", p99=""):
    rows.append("| %s | %s | %s | %s | %s | %d | %s | %s |" % (
        name, fmt(statistics.median(values)), p99, fmt(min(values)), fmt(max(values)), len(values), budget, verdict))


def fmt(v):
    return "%.0f" % v if v >= 1000 else "%.2f" % v if v < 10 else "%.1f" % v


class Server:
    def __init__(self, extra=()):
        self.dir = tempfile.mkdtemp(prefix="motcua-bench-srv-")
        self.data = self.dir + "/data"
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.key = run([SERVER, "init", "--data", self.data, "--public-url", self.url]).stdout.strip()
        self.extra = list(extra)
        self.p = None

    def serve(self):
        self.p = subprocess.Popen([SERVER, "serve", "--data", self.data, "--listen", "127.0.0.1:%d" % self.port,
                                   "--assets", ROOT + "/assets"] + self.extra,
                                  stdout=subprocess.DEVNULL, stderr=open(self.dir + "/log", "w"))
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return self
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def hwm_mib(self):
        for line in open("/proc/%d/status" % self.p.pid):
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
        return 0

    def stop(self):
        if self.p:
            self.p.send_signal(signal.SIGTERM)
            self.p.wait(timeout=30)
            self.p = None


def kiosk_template(n):
    """A kiosk data folder with n queued requests, made once per size."""
    d = tempfile.mkdtemp(prefix="motcua-bench-kiosk-")
    srv = Server()
    cfg = write_config(d, d + "/data", srv)
    os.makedirs(d + "/data")
    t0 = time.time()
    run([FILL, "--config", cfg, str(n)], timeout=3600)
    log("queued %d requests in %.1f s (one durable transaction each)" % (n, time.time() - t0))
    run([SYNC, "--config", cfg, "key"])
    return d + "/data"


def write_config(d, data, srv):
    cfg = d + "/kiosk.ini"
    with open(cfg, "w") as f:
        f.write("[kiosk]\ncommune_code = 27280\ncommune_name = Xã Bench\nkiosk_number = 1\ndata_dir = %s\n"
                "assets_dir = %s/assets\nfonts_dir = %s/fonts\n[server]\npublic_url = %s\nurl = %s\nkey = %s\n"
                "sync_interval = 0\n" % (data, ROOT, ROOT, srv.url, srv.url, srv.key))
    return cfg


def fresh_pair(template):
    """A new server and a copy of the template kiosk registered with it."""
    srv = Server()
    d = tempfile.mkdtemp(prefix="motcua-bench-k-")
    shutil.copytree(template, d + "/data")
    cfg = write_config(d, d + "/data", srv)
    line = [w for w in run([SYNC, "--config", cfg, "key"]).stdout.split() if w.startswith("mk1.")][0]
    run([SERVER, "kiosk", "add", "--data", srv.data, "--kiosk", "27280-1", "--key", line])
    return srv, cfg, d


def bench_sync():
    for n in SYNC_SIZES:
        template = kiosk_template(n)
        http, usb = [], []
        for _ in range(SYNC_RUNS):
            srv, cfg, d = fresh_pair(template)
            srv.serve()
            t0 = time.perf_counter()
            run([SYNC, "--config", cfg, "now"], timeout=600)
            http.append(time.perf_counter() - t0)
            got = sqlite3.connect(srv.data + "/server.db").execute("SELECT count(*) FROM request").fetchone()[0]
            if got != n:
                raise RuntimeError("server holds %d of %d" % (got, n))
            srv.stop()
            srv, cfg, d = fresh_pair(template)
            os.makedirs(d + "/usb")
            t0 = time.perf_counter()
            run([SYNC, "--config", cfg, "export", d + "/usb"])
            bundle = [d + "/usb/" + f for f in os.listdir(d + "/usb")][0]
            run([SERVER, "import", "--data", srv.data, bundle, "--reply", d + "/reply.json"], timeout=600)
            run([SYNC, "--config", cfg, "import", d + "/reply.json"], timeout=600)
            usb.append(time.perf_counter() - t0)
        goal = n == 10000
        row("Sync %d queued requests over loopback, end to end (s)" % n, http,
            "2 s" if goal else "—", ("pass" if statistics.median(http) < 2 else "FAIL") if goal else "—")
        row("Sync %d requests: throughput (requests/s)" % n, [n / x for x in http])
        row("Sync %d requests by USB bundle: export, import, reply (s)" % n, usb)
    return template


def wrk(url):
    out = run(["wrk", "-t2", "-c50", "-d%ds" % WRK_SECONDS, "--latency", url], timeout=WRK_SECONDS + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def lat(pct):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % pct, out, re.M)
        v = float(m.group(1))
        return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError("wrk saw %s error responses from %s" % (errors.group(1), url))
    return rps, lat(50), lat(99)


def bench_page(template):
    srv, cfg, d = fresh_pair(template)
    srv.extra = ["--lookup-rate", "0"]
    srv.serve()
    run([SYNC, "--config", cfg, "now"], timeout=600)
    token = sqlite3.connect(d + "/data/request.db").execute("SELECT token FROM request LIMIT 1 OFFSET 5000").fetchone()[0]
    run([SERVER, "update", "--data", srv.data, token, "--status", "accepted", "--note", "Hồ sơ đã được thụ lý."])
    page = urllib.request.urlopen(srv.url + "/r/" + token).read()
    www = tempfile.mkdtemp(prefix="motcua-bench-nginx-")
    os.chmod(www, 0o755)
    os.makedirs(www + "/root/r")
    os.chmod(www + "/root", 0o755)
    os.chmod(www + "/root/r", 0o755)
    with open(www + "/root/r/" + token, "wb") as f:
        f.write(page)
    os.chmod(www + "/root/r/" + token, 0o644)
    nport = free_port()
    with open(www + "/nginx.conf", "w") as f:
        f.write("worker_processes auto; daemon off; pid %s/nginx.pid; error_log %s/error.log;\n"
                "events { worker_connections 1024; }\n"
                "http { access_log off; server { listen 127.0.0.1:%d; root %s/root;\n"
                " location /r/ { default_type 'text/html; charset=utf-8'; } } }\n" % (www, www, nport, www))
    nginx = subprocess.Popen(["nginx", "-c", www + "/nginx.conf"], stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    if urllib.request.urlopen("http://127.0.0.1:%d/r/%s" % (nport, token)).read() != page:
        raise RuntimeError("nginx does not serve the same page")
    ours, theirs = [], []
    for _ in range(WRK_RUNS):
        ours.append(wrk("%s/r/%s" % (srv.url, token)))
        theirs.append(wrk("http://127.0.0.1:%d/r/%s" % (nport, token)))
    rss = srv.hwm_mib()
    nginx.send_signal(signal.SIGQUIT)
    nginx.wait(timeout=30)
    srv.stop()
    ratio = [a[0] / b[0] for a, b in zip(ours, theirs)]
    row("Phone page GET /r/<token>, motcua-server (requests/s)", [x[0] for x in ours])
    row("Same page as a static file, nginx (requests/s)", [x[0] for x in theirs])
    row("Throughput ratio, motcua-server / nginx (same run)", ratio, "≥ 0.5",
        "pass" if statistics.median(ratio) >= 0.5 else "FAIL")
    row("Phone page latency p50, motcua-server (ms)", [x[1] for x in ours])
    row("Phone page latency p99, motcua-server (ms)", [x[2] for x in ours], "10 ms",
        "pass" if statistics.median([x[2] for x in ours]) < 10 else "FAIL")
    row("Static page latency p99, nginx (ms)", [x[2] for x in theirs])
    row("Server peak RSS (VmHWM) after the load (MiB)", [rss], "30 MiB", "pass" if rss < 30 else "FAIL")
    return len(page)


def main():
    t0 = time.time()
    template = bench_sync()
    size = bench_page(template)
    table = ["", "## Server and sync", "",
             "| Figure | Median | p99 | Min | Max | n | Budget | Verdict |",
             "|---|---:|---:|---:|---:|---:|---:|---|"] + rows + [
             "", "- Sync: build/motcua-fill queues the requests (sealed identities, one durable transaction each, "
             "not timed); each run copies that kiosk, registers it with a fresh server, and times `motcua-sync now` "
             "until caught up (batches of 500, one signed envelope and one server transaction each). The USB row "
             "times export, `motcua-server import` and `motcua-sync import` of the reply.",
             "- Phone page: the server holds %d requests; the page (%d bytes) of one with an answer, fetched by "
             "wrk -t2 -c50 for %d s, alternating with nginx (worker_processes auto, access_log off) serving the "
             "same bytes as a file; rate limiting off (`--lookup-rate 0`), as nginx has none. wrk runs on the same "
             "2 cores as the server, so both figures are lower than on a dedicated machine; the ratio is what "
             "compares." % (SYNC_SIZES[-1], size, WRK_SECONDS),
             "- Command: `make bench` (this part took %.0f s)." % (time.time() - t0)]
    print("\n".join(table))
    with open(RESULTS, "a") as f:
        f.write("\n".join(table) + "\n")


if __name__ == "__main__":
    main()
