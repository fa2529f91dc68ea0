"""motcua benchmark suite, run by `make bench` through bench/run.sh.

Drives the optimised kiosk (build/motcua-kiosk) through its control
interface and measures what a citizen or the commune would notice: cold
start to the first frame, memory, frame time of the busiest screen, CPU used
while idle on the home screen, the durable submission and the latency of a
key tap. Each figure is a median over repeated runs or samples, with min
and max, because the machines it runs on are shared and noisy; run() adds
them to the one table of bench/bench.py. Everything is local: the kiosk talks over pipes, Xvfb over a Unix
socket only. Plain Python 3 standard library."""
import json, os, select, shutil, statistics, subprocess, time
from common import ROOT, fs_type, log, ratio, status_mib, summary

KIOSK = os.path.join(ROOT, "build/motcua-kiosk")
SERVER = os.path.join(ROOT, "build/motcua-server")
CLK_TCK = os.sysconf("SC_CLK_TCK")
TIMEOUT = 30  # seconds any one answer may take before the kiosk counts as hung

# Counts of each measurement, sized to keep the whole run near two minutes.
COLD_RUNS = 20
WALK_RUNS = 5
FRAME_RUNS = 3
FRAMES = 200
IDLE_RUNS = 3
IDLE_SETTLE = 2.0
IDLE_WINDOW = 10.0
SUBMISSIONS = 50
NOOPS_PER_SUBMISSION = 5
TAPS = 200
KEY_PRESSES = 320
KEY_SIZE = "1920x1080"

# What a citizen would type, as keystrokes (Telex), per form field.
TYPED = {
    "full_name": "Nguyeenx Vawn An",
    "phone": "0912345678",
    "citizen_id": "001203004567",
    "birth_date": "05091987",
    "address": "Thoon Ddoong, xax Phuf Lawng",
    "subject": "Ddwowngf lieen thoon bij hoongr",
    "details": "Mawtj ddwowngf cos nhieeuf oor gaf, trowif mwa raast khos ddi.",
}

# Letters that no Telex rule combines with what comes before, so typing one
# and deleting it leaves the field exactly as it was.
PLAIN = "bcghklmnpqtv"

# Words a citizen types into the subject, press by press: Telex letters and
# tones, and the keyboard's own letter and tone keys for those who know no
# Telex (bị, hổng, nặng, đường, thôn, xã, sửa, giữa), each then a space.
WORDS = [
    ["type b", "type i", "tap kb.tone_nang"],
    ["type h", "tap kb.o_circ", "type n", "type g", "tap kb.tone_hoi"],
    ["type n", "type a", "type w", "type n", "type g", "type j"],
    ["type d", "type d", "type w", "type o", "type w", "type n", "type g", "type f"],
    ["type t", "type h", "type o", "type o", "type n"],
    ["type x", "type a", "tap kb.tone_nga"],
    ["type s", "tap kb.u_horn", "type a", "type r"],
    ["type g", "type i", "type w", "type a", "type x", "tap kb.tone_none", "type x"],
]

children = []   # every process started here, ended in cleanup()


def spawn(argv, **kw):
    p = subprocess.Popen(argv, **kw)
    children.append(p)
    return p


def cleanup():
    for p in children:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=3)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


class Kiosk:
    """A headless kiosk under the control interface. Raw file descriptors
    and select, rather than text streams, so a hung kiosk times out instead
    of hanging the benchmark, and so Python's buffering adds nothing to the
    round trips being timed."""

    def __init__(self, cfg, size, errlog):
        self.err = open(errlog, "ab")
        self.t_spawn = time.perf_counter()
        self.p = spawn([KIOSK, "--config", cfg, "--headless", "--control", "--size", size],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, bufsize=0)
        self.buf = b""
        self.size = size

    def send(self, text):
        os.write(self.p.stdin.fileno(), text.encode())

    def answer(self):
        fd = self.p.stdout.fileno()
        while b"\n" not in self.buf:
            ready, _, _ = select.select([fd], [], [], TIMEOUT)
            if not ready:
                raise RuntimeError("kiosk %s gave no answer in %d s" % (self.size, TIMEOUT))
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError("kiosk %s died (exit %s); see its log" % (self.size, self.p.poll()))
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def timed(self, line):
        """Sends one command; returns its answer and the round trip in ms."""
        t0 = time.perf_counter()
        self.send(line + "\n")
        a = self.answer()
        return a, (time.perf_counter() - t0) * 1000.0

    def must(self, line):
        a, _ = self.timed(line)
        if not a.get("ok"):
            raise RuntimeError("%s: %r -> %s" % (self.size, line, a.get("error")))
        return a

    def dump(self):
        return self.must("dump")

    def screen(self):
        return self.dump()["screen"]

    def expect(self, screen):
        got = self.screen()
        if got != screen:
            raise RuntimeError("%s: expected screen %s, on %s" % (self.size, screen, got))

    def status(self, key):
        return status_mib(self.p.pid, key)

    def quit(self):
        try:
            self.send("quit\n")
            self.answer()
        except Exception:
            pass
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.p.stdin.close()
        self.p.stdout.close()
        self.err.close()


# ---- setup ----

def make_config(tmp, name, key):
    d = os.path.join(tmp, name)
    data = os.path.join(d, "data")
    os.makedirs(data)
    cfg = os.path.join(d, "kiosk.ini")
    with open(cfg, "w") as f:
        f.write("[kiosk]\ncommune_code = 27280\ncommune_name = Xã Phù Lãng\nkiosk_number = 3\n"
                "data_dir = %s\nassets_dir = %s/assets\nfonts_dir = %s/fonts\nlanguage = vi\n\n"
                "[server]\npublic_url = https://motcua.example.vn/\nkey = %s\n" % (data, ROOT, ROOT, key))
    return cfg, data


def server_key(tmp):
    out = subprocess.run([SERVER, "init", "--data", os.path.join(tmp, "server")],
                         capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.strip()


# ---- the screens ----

def fill(k, fields):
    """Types into each named field through the on-screen keyboard."""
    for name in fields:
        k.must("tap form.field." + name)
        k.must("type " + TYPED[name])


def open_form(k, category, procedure=None):
    k.must("tap home.file")
    k.must("tap category." + category)
    if procedure:
        k.must("tap procedure." + procedure)
        if k.screen() == "guide":
            k.must("tap guide.continue")
    k.expect("form")


def form_fields(k):
    return [w["id"][len("form.field."):] for w in k.dump()["widgets"] if w["id"].startswith("form.field.")]


def busy_form(k):
    """The busiest screen: the denunciation form (the most widgets: the
    secrecy notice over six fields and the full keyboard), four fields
    filled and the cursor in the subject, after a finished word so the
    letters typed next stand alone."""
    k.must("tap home.file")
    k.must("tap category.denunciation")
    fill(k, ["full_name", "phone", "citizen_id", "address"])
    k.must("tap form.field.subject")
    k.must("type Ddwowngf lieen thoon ")


def check_busy_form(k):
    """Checked only after the first draw: a dump measures text with the
    fonts, which would warm the caches the uncached draw is meant to miss."""
    d = k.dump()
    if d["screen"] != "form" or not any(w["id"] == "kb.q" for w in d["widgets"]):
        raise RuntimeError("not on the form with the letter keyboard: %s" % d["screen"])


# ---- the measurements ----

def bench_cold(cfg, tmp):
    """Spawn to the answer of the first draw at 1280x800; RSS right then."""
    warm = Kiosk(cfg, "1280x800", os.path.join(tmp, "cold.log"))
    warm.must("draw")   # creates the database and warms the page cache, as on a kiosk in service
    warm.quit()
    times, rss = [], []
    for _ in range(COLD_RUNS):
        k = Kiosk(cfg, "1280x800", os.path.join(tmp, "cold.log"))
        k.send("draw\n")  # queued in the pipe at once, read when the kiosk is ready
        a = k.answer()
        times.append((time.perf_counter() - k.t_spawn) * 1000.0)
        if not a.get("ok"):
            raise RuntimeError("first draw failed: %s" % a)
        rss.append(k.status("VmRSS"))
        k.expect("home")
        k.quit()
    return summary(times), summary(rss)


def review_to_end(k):
    """Pages the review to its last page, where Send is."""
    for _ in range(20):
        ids = {w["id"] for w in k.dump()["widgets"]}
        if "review.submit" in ids or "review.page.more" not in ids:
            return
        k.must("tap review.page.more"); k.must("draw")


def walk(k):
    """Every screen a citizen can reach, each drawn."""
    k.must("draw"); k.expect("home")
    k.must("tap home.file"); k.must("draw"); k.expect("category")
    k.must("tap category.procedure"); k.must("draw"); k.expect("procedure")
    for w in k.dump()["widgets"]:
        if w["id"] == "procedure.page_next" and w["enabled"]:
            k.must("tap procedure.page_next"); k.must("draw")
            k.must("tap procedure.page_prev"); k.must("draw")
    k.must("tap procedure.birth_registration"); k.must("draw"); k.expect("guide")
    k.must("tap guide.continue"); k.must("draw"); k.expect("form")
    for name in form_fields(k):
        fill(k, [name])
        k.must("draw")
    k.must("tap form.next"); k.must("draw"); k.expect("review")
    review_to_end(k)
    k.must("tap review.submit"); k.must("draw"); k.expect("receipt")
    code = next(w["label"] for w in k.dump()["widgets"] if w["id"] == "receipt.code")
    k.must("tap receipt.done"); k.must("draw"); k.expect("home")
    k.must("tap home.lookup"); k.must("draw"); k.expect("lookup")
    k.must("type " + code.lower()); k.must("draw")
    k.must("tap lookup.submit"); k.must("draw"); k.expect("status")
    k.must("tap status.done"); k.must("draw"); k.expect("home")
    # The office's screens: a queue number in the huge font, a guide with its QR.
    k.must("tap home.ticket"); k.must("draw"); k.expect("ticket")
    k.must("tap ticket.field.hotich"); k.must("draw"); k.expect("ticket_kind")
    k.must("tap ticket.priority"); k.must("draw"); k.expect("ticket_done")
    k.must("tap ticket.done"); k.must("draw")
    k.must("tap home.guide"); k.must("draw"); k.expect("guide_list")
    k.must("tap guide.proc.birth_registration"); k.must("draw"); k.expect("guide")
    # The voice, loaded on first use, reads the guide's prompt aloud.
    said = k.must("voice")["said"]
    k.must("tap aid.speak")
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        v = k.must("voice")
        if v["said"] > said and not v["busy"]:
            break
        time.sleep(0.05)
    else:
        raise RuntimeError("the voice said nothing in 60 s")


def bench_peak(cfg, tmp):
    hwm = []
    for _ in range(WALK_RUNS):
        k = Kiosk(cfg, "1920x1080", os.path.join(tmp, "walk.log"))
        walk(k)
        hwm.append(k.status("VmHWM"))
        k.quit()
    return summary(hwm)


def bench_frames(cfg, tmp, size):
    """Per frame: one key press (a letter, then BackSpace, so the text keeps
    its length) and one timed full redraw (`redraw full`: the whole frame,
    as every frame was before dirty rectangles). The first draw of the form
    in a fresh process, with nothing drawn before it, is kept apart as the
    uncached one."""
    first, frames = [], []
    for _ in range(FRAME_RUNS):
        k = Kiosk(cfg, size, os.path.join(tmp, "frames.log"))
        busy_form(k)
        first.append(k.must("draw")["ms"])
        check_busy_form(k)
        before = k.dump()
        for i in range(FRAMES):
            k.must("type " + PLAIN[(i // 2) % len(PLAIN)] if i % 2 == 0 else "tap kb.backspace")
            frames.append(k.must("redraw full")["ms"])
        after = k.dump()
        if [w.get("value") for w in before["widgets"]] != [w.get("value") for w in after["widgets"]]:
            raise RuntimeError("typing and deleting changed the form")
        k.quit()
    return summary(first), summary(frames)


def subject(k):
    return next(w["value"] for w in k.dump()["widgets"] if w["id"] == "form.input")


def bench_keys(cfg, tmp):
    """Key presses on the busiest screen at KEY_SIZE: the words of WORDS
    typed into the subject press by press, a space after each, and every
    word deleted again with BackSpace, until KEY_PRESSES presses. Each press
    is drawn as the window loop draws it (`draw`: dirty rectangles), then
    the same frame whole (`redraw full`), in the same process, so the two
    are paired frame by frame."""
    k = Kiosk(cfg, KEY_SIZE, os.path.join(tmp, "keys.log"))
    busy_form(k)
    k.must("draw")
    check_busy_form(k)
    base = subject(k)
    dirty, full, share, whole = [], [], [], 0
    pixels = int(KEY_SIZE.split("x")[0]) * int(KEY_SIZE.split("x")[1])

    def press(cmd):
        nonlocal whole
        k.must(cmd)
        d = k.must("draw")
        dirty.append(d["ms"])
        share.append(100.0 * d["area"] / pixels)
        whole += 1 if d["full"] else 0
        full.append(k.must("redraw full")["ms"])

    w = 0
    while len(dirty) < KEY_PRESSES:
        for cmd in WORDS[w % len(WORDS)] + ["tap kb.space"]:
            press(cmd)
        w += 1
        for _ in range(len(subject(k)) - len(base)):
            press("tap kb.backspace")
        if subject(k) != base:
            raise RuntimeError("typing and deleting changed the subject: %r" % subject(k))
    k.quit()
    return summary(dirty), summary(full), ratio(full, dirty), summary(share), whole


def bench_submit(cfg, tmp):
    """tap review.submit round trips (seal, SQLite transaction, fsync) and,
    on each receipt, no-op round trips (key Tab does nothing there) for the
    cost of the pipe and the answer alone."""
    k = Kiosk(cfg, "1280x800", os.path.join(tmp, "submit.log"))
    raw, noop = [], []
    for _ in range(SUBMISSIONS):
        open_form(k, "petition")
        fill(k, form_fields(k))
        k.must("tap form.next")
        k.expect("review")
        review_to_end(k)
        a, ms = k.timed("tap review.submit")
        if not a.get("ok"):
            raise RuntimeError("submit failed: %s" % a)
        raw.append(ms)
        k.expect("receipt")
        for _ in range(NOOPS_PER_SUBMISSION):
            a, ms = k.timed("key Tab")
            noop.append(ms)
        k.must("tap receipt.done")
    k.quit()
    base = statistics.median(noop)
    return summary(raw), summary(noop), summary([r - base for r in raw])


def bench_tap(cfg, tmp):
    """From writing `tap kb.a` to the answer of the draw after it: both
    lines go in one write, as a touch and the frame it causes."""
    k = Kiosk(cfg, "1280x800", os.path.join(tmp, "tap.log"))
    busy_form(k)
    k.must("draw")
    check_busy_form(k)
    lat = []
    for _ in range(TAPS):
        t0 = time.perf_counter()
        k.send("tap kb.a\ndraw\n")
        a, b = k.answer(), k.answer()
        lat.append((time.perf_counter() - t0) * 1000.0)
        if not (a.get("ok") and b.get("ok")):
            raise RuntimeError("tap kb.a/draw failed: %s %s" % (a, b))
        k.must("tap kb.backspace")  # a second `a` would make Telex write â
        k.must("draw")              # drawn, so the next tap's frame has its letter to draw
    k.quit()
    return summary(lat)


def proc_cpu(pid):
    """utime+stime in ticks for the whole process, and the context switches
    summed over its threads (wake-ups too short to cost a tick show there)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    switches = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if "ctxt_switches" in line:
                        switches += int(line.split()[1])
        except FileNotFoundError:
            pass
    threads = len(os.listdir("/proc/%d/task" % pid))
    return ticks, switches, threads


def start_xvfb(tmp):
    """Xvfb on a free display it picks itself (-displayfd), listening on
    its Unix socket only."""
    r, w = os.pipe()
    p = spawn(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
              pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "xvfb.log"), "wb"))
    os.close(w)
    got = b""
    deadline = time.time() + 15
    while not got.endswith(b"\n"):
        ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.time()))
        if not ready:
            break
        chunk = os.read(r, 64)
        if not chunk:
            break
        got += chunk
    os.close(r)
    if not got.strip().isdigit():
        raise RuntimeError("Xvfb did not start: %s" % open(os.path.join(tmp, "xvfb.log")).read()[-500:])
    return p, ":" + got.strip().decode()


def bench_idle(cfg, tmp):
    if not shutil.which("Xvfb"):
        return None
    xvfb, display = start_xvfb(tmp)
    env = dict(os.environ, DISPLAY=display, SDL_VIDEODRIVER="x11")
    cpu, wakeups, threads, term = [], [], [], []
    errlog = os.path.join(tmp, "idle.log")
    try:
        for _ in range(IDLE_RUNS):
            with open(errlog, "ab") as err:
                p = spawn([KIOSK, "--config", cfg, "--size", "1280x800"], stdin=subprocess.DEVNULL,
                          stdout=err, stderr=err, env=env)
            time.sleep(IDLE_SETTLE)
            if p.poll() is not None:
                raise RuntimeError("windowed kiosk exited (%s): %s" % (p.returncode, open(errlog).read()[-500:]))
            t0, s0, _ = proc_cpu(p.pid)
            w0 = time.perf_counter()
            time.sleep(IDLE_WINDOW)
            t1, s1, n = proc_cpu(p.pid)
            elapsed = time.perf_counter() - w0
            cpu.append((t1 - t0) / CLK_TCK)
            wakeups.append((s1 - s0) / elapsed)
            threads.append(n)
            # It ignores the window manager's close by design, so SIGTERM;
            # SDL turns SIGTERM into the same quit event, so if that is
            # ignored too, SIGKILL after a grace period, and say so.
            p.terminate()
            try:
                p.wait(timeout=3)
                term.append("exited")
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                term.append("ignored")
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    return summary(cpu), summary([c / IDLE_WINDOW * 100.0 for c in cpu]), summary(wakeups), threads, term


def run(table, tmp):
    """Measures the kiosk alone; returns the configuration of a kiosk with
    a store, for the comparison with Chromium."""
    key = server_key(tmp)
    cfg, data = make_config(tmp, "kiosk", key)
    log("cold start (%d runs at 1280x800)" % COLD_RUNS)
    cold, rss = bench_cold(cfg, tmp)
    log("memory after walking every screen (%d runs at 1920x1080)" % WALK_RUNS)
    peak = bench_peak(cfg, tmp)
    frames = {}
    for size in ("800x480", "1280x800", "1920x1080"):
        log("frame time of the form with the keyboard at %s (%d runs x %d frames)" % (size, FRAME_RUNS, FRAMES))
        frames[size] = bench_frames(cfg, tmp, size)
    log("key presses with dirty rectangles against full redraws (%d at %s)" % (KEY_PRESSES, KEY_SIZE))
    keys = bench_keys(cfg, tmp)
    log("tap latency (%d taps at 1280x800)" % TAPS)
    tap = bench_tap(cfg, tmp)
    log("durable submissions (%d)" % SUBMISSIONS)
    sub_raw, sub_noop, sub_net = bench_submit(cfg, tmp)
    log("idle CPU under Xvfb (%d runs of %.0f s)" % (IDLE_RUNS, IDLE_WINDOW))
    idle = bench_idle(cfg, tmp)

    table.section("Kiosk")
    table.row("Start to first frame, 1280x800 (ms)", cold, 1, 100, "ms")
    table.row("RSS at home after the first frame, 1280x800 (MiB)", rss, 1)
    table.row("Peak RSS (VmHWM) after every screen, 1920x1080 (MiB)", peak, 1, 40, "MiB",
              limit="The 1920x1080 frame buffer (8 MiB) and glyph textures for every screen drawn count in "
                    "the high-water mark; the software renderer keeps them in this process.")
    for size in ("800x480", "1280x800", "1920x1080"):
        first, fr = frames[size]
        table.row("First (uncached) draw of the busiest screen, %s (ms)" % size, first, 2)
        table.row("Full redraw, busiest screen (form and keyboard), %s (ms)" % size, fr, 2,
                  4 if size == "1920x1080" else None, "ms", with_p99=True,
                  limit="Software rendering: fills and copies of 2 Mpixels dominate.")
    k_dirty, k_full, k_ratio, k_share, k_whole = keys
    table.row("Key-press frame, dirty rectangles, %s (ms)" % KEY_SIZE, k_dirty, 3, 1, "ms", with_p99=True,
              limit="A press that changes the shift state relabels every key, and the keyboard is redrawn.")
    table.row("Key-press frame, same frames redrawn whole, %s (ms)" % KEY_SIZE, k_full, 2, with_p99=True)
    table.row("Key-press frame ratio, full / dirty (paired, same run)", k_ratio, 1)
    table.row("Key-press frame, share of the screen redrawn (%)", k_share, 1)
    if k_dirty["p99"] > 1:
        table.notes.append("Key-press frames with dirty rectangles: p99 %.2f ms, over 1 ms (%d of %d presses "
                           "were redrawn whole)." % (k_dirty["p99"], k_whole, k_dirty["n"]))
    table.row("Tap latency, tap to the answered next frame, 1280x800 (ms)", tap, 2, with_p99=True)
    if idle:
        cpu, pct, wake, threads, term = idle
        table.row("Idle CPU on home over %.0f s, windowed under Xvfb (CPU s)" % IDLE_WINDOW, cpu, 2, 0, "s",
                  judge="max", limit="See the notes on wake-ups.")
        table.row("Idle context switches, all threads (per s)", wake, 1)
        if cpu["max"] > 0 or wake["max"] >= 1:
            table.notes.append("The idle kiosk was not fully asleep: CPU seconds per run %s, context switches "
                               "per second %s, threads %s." % (cpu, wake, threads))
        if "ignored" in term:
            table.notes.append("The windowed kiosk did not exit on SIGTERM in %d of %d runs (it had to be "
                               "killed)." % (term.count("ignored"), len(term)))
    else:
        table.row("Idle CPU on home, windowed under Xvfb (CPU s)", None, 2, 0, "s")
        table.notes.append("Idle CPU was not measured: Xvfb is not installed and could not be.")
    table.section("Durable writes (kiosk store, %s)" % fs_type(os.path.realpath(data)))
    table.row("Submit round trip, tap review.submit (ms)", sub_raw, 2, with_p99=True)
    table.row("No-op round trip, key Tab on the receipt (ms)", sub_noop, 3, with_p99=True)
    table.row("Submission latency: submit minus median no-op (ms)", sub_net, 2, with_p99=True)

    table.how += [
        "Kiosk: build/motcua-kiosk (-O2) under `--headless --control`, except for idle CPU, where it runs "
        "windowed under Xvfb (SDL_VIDEODRIVER=x11). Verdicts judge the median against the goal, except idle "
        "CPU where the goal is zero and the worst run is judged; \"max over\" marks a passing median with an "
        "outlier beyond the goal.",
        "Start to first frame: wall time from spawn to the answer of a `draw` written to the kiosk's stdin at "
        "spawn, %d runs; one untimed start first creates the store. RSS at home is VmRSS at that moment." % COLD_RUNS,
        "Peak RSS: VmHWM just before quit, after drawing every screen a citizen reaches (home, categories, both "
        "procedure pages, a procedure's guide, a form filled key by key, review, submit, the receipt with its QR, "
        "lookup, status, the three queue-number screens with the number in the huge font, the guide list and a "
        "guide with its QR, where the speaker is tapped: libespeak-ng loaded and its prompt synthesised).",
        "Frame time: the busiest screen is the denunciation form (most widgets) with four fields filled, the "
        "subject focused and the letter keyboard; each frame is one key press (a letter, then BackSpace) then "
        "`redraw full`, whose `ms` answer is the renderer's time for the whole frame (SDL software renderer). %d runs of %d frames per "
        "size; the first draw in each fresh process, with nothing cached, is shown apart." % (FRAME_RUNS, FRAMES),
        "Key-press frames: on the same busiest screen at %s, %d presses: Vietnamese words typed into the subject "
        "(Telex letters and tones, the keyboard's ă â đ ê ô ơ ư and tone keys), a space after each, each word "
        "deleted with Backspace. After each press `draw` (what the window loop draws: only the widgets that "
        "changed and what lies under and over them, clipped to a few rectangles) and then `redraw full` (the "
        "same frame drawn whole) are timed in the same process; the ratio is taken press by press. The "
        "frame-time rows above time `redraw full`." % (KEY_SIZE, KEY_PRESSES),
        "Tap latency: `tap kb.a` and `draw` written together, timed to the draw's answer (%d taps; each then "
        "deleted with Backspace and drawn, untimed, so every timed frame draws its letter)." % TAPS,
        "Idle CPU: utime+stime from /proc/PID/stat over %.0f s, %.0f s after start, on the home screen, %d runs; "
        "the clock tick is %d ms, so zero means under one tick; context switches of all threads show wake-ups "
        "too short to cost a tick." % (IDLE_WINDOW, IDLE_SETTLE, IDLE_RUNS, 1000 // CLK_TCK),
        "Durable writes: %d petitions filled and reviewed, then `tap review.submit` timed (sealing and one "
        "SQLite transaction, WAL with synchronous=FULL, so an fsync); %d `key Tab` round trips on each receipt, "
        "which change nothing, measure the pipe alone and are subtracted." % (SUBMISSIONS, NOOPS_PER_SUBMISSION),
    ]
    return cfg
