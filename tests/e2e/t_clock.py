"""A kiosk clock that jumps back a day mid-run (libfaketime, its offset
moved while the kiosk runs; the monotonic clock left true): receipts are
not dated the day before. The kiosk dates them by the time it kept running
(never earlier than the latest receipt), logs a warning, the staff menu
says the clock went back, and the self-check warns; after a restart with
the clock still back, no receipt is dated before the latest stored one."""
import os, re, sqlite3, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, KIOSK, make_config, file_request, local_time

t = Tap()
LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
if not os.path.exists(LIB):
    t.ok(True, "a clock jumping back # SKIP libfaketime is not installed")
    t.done()

PIN = "246813"
pin_line = subprocess.run([KIOSK, "hash-pin"], input=PIN + "\n", capture_output=True, text=True).stdout.strip()
cfg, data = make_config(pin_line)
stamp = os.path.join(os.path.dirname(cfg), "faketime")
with open(stamp, "w") as f:
    f.write("+0\n")
env = {"LD_PRELOAD": LIB, "FAKETIME_TIMESTAMP_FILE": stamp, "FAKETIME_NO_CACHE": "1",
       "FAKETIME_DONT_FAKE_MONOTONIC": "1",
       # faketime preloads before the sanitizer's runtime (see t_check.py)
       "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}


def rows():
    con = sqlite3.connect(os.path.join(data, "request.db"))
    try:
        return con.execute("SELECT id, received_at, deadline FROM request ORDER BY seq").fetchall()
    finally:
        con.close()


def receipt_time(d):
    w = next((w for w in d["widgets"] if w["id"] == "receipt.time"), None)
    return w and w["label"]


k = Kiosk(cfg, env=env)
d, _ = file_request(k, "petition", tag="clock-before")
k.must("tap receipt.done")
before = time.time()
with open(stamp, "w") as f:
    f.write("-1d\n")
time.sleep(0.2)
d, _ = file_request(k, "petition", tag="clock-after")
after = time.time()
a, b = rows()
t.ok(b[1] >= a[1], "the receipt after the jump is not dated before the one before it", (a, b))
t.ok(before - 5 <= b[1] <= after + 5, "it is dated by the time the kiosk kept, not the day before",
     "%s, real %d..%d" % (b, before, after))
t.eq(b[2], a[2], "and its deadline counts from that day")
t.ok(d["screen"] == "receipt", "a receipt is shown", d["screen"])
k.must("tap receipt.done")
k.must("hold home.title 2.5")
k.must("type " + PIN)
k.must("tap pin.ok")
line = k.widget("staff.sync.last")
t.ok(line and "lùi" in line["label"], "the staff menu says the clock went back", line)
rc, err = k.close()
t.ok(re.search(r"clock is \d+ s behind", err), "the log warns", err[-800:])

p = subprocess.run([KIOSK, "--check", "--config", cfg], capture_output=True, text=True, env=dict(os.environ, **env),
                   timeout=60)
warn = [l for l in p.stdout.splitlines() if l.startswith("WARN") and "clock" in l and "went back" in l]
t.ok(warn, "the self-check warns that the clock went back", p.stdout)

# Restarted with the clock still a day back: no pair to run on, the latest
# receipt is the floor.
k = Kiosk(cfg, env=env)
file_request(k, "reflection", tag="clock-restart")
k.close()
c = rows()[-1]
t.ok(c[1] >= b[1], "after a restart no receipt is dated before the latest stored", (b, c))
t.done()
