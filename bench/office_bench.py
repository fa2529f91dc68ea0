"""The office: a queue ticket from the tap to the printer, and a counter's
call to the hall display. Ticket: a headless kiosk (build/motcua-kiosk)
prints to a fake network printer on loopback (tests/e2e/fakeprinter.py);
the figure is from writing `tap ticket.normal` to the printer holding the
whole job; its peer, measured in the same run, is a no-op round trip on the
same kiosk (key Tab on the ticket screen). Display: build/motcua-office
on the kiosk's store, a reader of /display/events over one connection (as
the TV's EventSource), and a signed-in counter posting /counter/call; the
figure is from the POST to the event naming the new call; its peer is a
GET /display/state round trip on a fresh connection."""
import http.client, json, os, re, statistics, subprocess, sys, time, urllib.parse
from common import ROOT, log, summary
sys.path.insert(0, os.path.join(ROOT, "tests/e2e"))
from fakeprinter import FakePrinter, READY  # noqa: E402
import kiosk_bench  # noqa: E402

OFFICE = os.path.join(ROOT, "build/motcua-office")
TICKETS = 40
CALLS = 60


def pin_hash():
    out = subprocess.run([kiosk_bench.KIOSK, "hash-pin"], input="123456\n", capture_output=True, text=True, timeout=60)
    return out.stdout.strip().split(" = ", 1)[1]


def bench_ticket(tmp, key):
    fake = FakePrinter(READY)
    cfg, data = kiosk_bench.make_config(tmp, "office-kiosk", key)
    with open(cfg, "a") as f:
        f.write("\n[printer]\ndevice = tcp:127.0.0.1:%d\nwidth = 80\n" % fake.port)
    k = kiosk_bench.Kiosk(cfg, "1280x800", os.path.join(tmp, "ticket.log"))
    lat, noop = [], []
    for i in range(TICKETS):
        k.must("tap home.ticket")
        k.must("tap ticket.field.hotich")
        t0 = time.perf_counter()
        k.must("tap ticket.normal")
        if fake.wait_job(i + 1, timeout=10) is None:
            raise RuntimeError("ticket %d never reached the printer" % (i + 1))
        lat.append((time.perf_counter() - t0) * 1000.0)
        _, ms = k.timed("key Tab")
        noop.append(ms)
        k.must("tap ticket.done")
    k.quit()
    fake.close()
    return cfg, summary(lat), summary(noop)


class Counter:
    def __init__(self, port):
        self.port = port
        self.cookie = ""

    def request(self, method, path, form=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read().decode()
        m = re.match(r"(motcua_counter=[0-9a-f]+)", r.getheader("Set-Cookie") or "")
        if m:
            self.cookie = m.group(1)
        c.close()
        return r.status, data


def bench_display(tmp, cfg):
    with open(cfg) as f:
        text = f.read()
    text = text.replace("[kiosk]\n", "[kiosk]\nstaff_pin = %s\n" % pin_hash(), 1)
    with open(cfg, "w") as f:
        f.write(text)
    k = kiosk_bench.Kiosk(cfg, "800x480", os.path.join(tmp, "display-kiosk.log"))
    for _ in range(CALLS):
        k.must("tap home.ticket"); k.must("tap ticket.field.hotich"); k.must("tap ticket.normal"); k.must("tap ticket.done")
    k.quit()
    p = subprocess.Popen([OFFICE, "--config", cfg, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                         stderr=open(os.path.join(tmp, "office.log"), "ab"), text=True)
    try:
        port = int(re.search(r":(\d+)$", p.stdout.readline().strip()).group(1))
        counter = Counter(port)
        counter.request("POST", "/counter/sign-in", {"counter": "1", "pin": "123456"})
        _, page = counter.request("GET", "/counter")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        tv = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        tv.request("GET", "/display/events")
        stream = tv.getresponse()
        lat, peer = [], []
        last = 0
        for _ in range(CALLS):
            t0 = time.perf_counter()
            counter.request("POST", "/counter/call", {"csrf": csrf})
            while True:
                line = stream.fp.readline().decode()
                if not line.startswith("data: "):
                    continue
                calls = json.loads(line[6:])["calls"]
                if calls and calls[0]["id"] > last:
                    last = calls[0]["id"]
                    break
            lat.append((time.perf_counter() - t0) * 1000.0)
            t1 = time.perf_counter()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/display/state")
            c.getresponse().read()
            c.close()
            peer.append((time.perf_counter() - t1) * 1000.0)
        tv.close()
    finally:
        p.terminate()
        p.wait(timeout=30)
    return summary(lat), summary(peer)


def run(table, tmp):
    key = kiosk_bench.server_key(os.path.join(tmp, "office-key"))
    log("queue tickets to a network printer (%d)" % TICKETS)
    cfg, ticket, noop = bench_ticket(tmp, key)
    log("counter calls to the hall display (%d)" % CALLS)
    display, peer = bench_display(tmp, cfg)
    table.section("Office (queue numbers)")
    table.row("Ticket: tap to the whole job at the printer, 80 mm (ms)", ticket, 1, 1000, "ms", with_p99=True)
    table.row("Peer: no-op round trip on the same kiosk, key Tab (ms)", noop, 2, with_p99=True)
    table.row("Display: counter's call to the event on the TV's stream (ms)", display, 1, 1000, "ms", with_p99=True)
    table.row("Peer: GET /display/state round trip (ms)", peer, 2, with_p99=True)
    table.notes.append("Office ratios (medians): ticket / no-op round trip %.0fx; call to display / state round trip "
                       "%.1fx." % (ticket["median"] / max(noop["median"], 1e-6),
                                   display["median"] / max(peer["median"], 1e-6)))
    table.how.append(__doc__.replace("\n", " "))


if __name__ == "__main__":
    # Alone (after `make all`): the office's figures and the kiosk's peak
    # memory over every screen, printed as the table `make bench` writes.
    import tempfile, common
    table, tmp = common.Table(), tempfile.mkdtemp(prefix="motcua-bench-office-")
    os.makedirs(os.path.join(tmp, "office-key"))
    run(table, tmp)
    os.makedirs(os.path.join(tmp, "peak-key"))
    cfg, _ = kiosk_bench.make_config(tmp, "peak", kiosk_bench.server_key(os.path.join(tmp, "peak-key")))
    table.section("Kiosk")
    table.row("Peak RSS (VmHWM) after every screen, 1920x1080 (MiB)", kiosk_bench.bench_peak(cfg, tmp), 1, 40, "MiB")
    print(table.markdown())
    for note in table.notes:
        print("- " + note)
