"""The kiosk against headless Chromium, the stack a kiosk maker would
otherwise ship: each cold-started to a saved PNG of the same receipt at
1280x800, alternating, in the same run.

- The kiosk (build/motcua-kiosk --headless --control) is spawned with its
  whole script already in its stdin: from the home screen it files a
  petition (six fields typed on the on-screen keyboard), seals and stores
  it with its fsync, shows the receipt, saves it with `shot`, and quits.
- Chromium (Debian's, the flags of tests/e2e/e2e.py, a fresh --user-data-dir)
  loads an HTML page of that receipt: every widget's text from the kiosk's
  `dump` at the same place and size, the same Noto Sans files through
  @font-face, the same QR (qrencode, level M, 8-bit, margin 4, as the kiosk
  encodes it) as inline SVG, and saves --screenshot at --window-size
  1280,800.
A second pair is the fairer twin: a cold start straight to a receipt
already stored (no filing). The kiosk is spawned with "tap home.lookup",
the receipt's code typed, "tap lookup.submit" and `shot` of the status
screen; Chromium loads that status screen as a page built the same way.
Wall time is spawn to process exit with the PNG on disk. Memory: for the
kiosk its PSS just after `shot`, in runs of their own (the timed runs read
nothing); for Chromium the largest PSS summed over its whole session
(every helper process), polled while it runs, also in runs of their own."""
import html, json, os, select, shutil, subprocess, tempfile, time
from common import B, ROOT, log, pss_mib, ratio, session_pids, summary, tool_version

KIOSK = os.path.join(B, "motcua-kiosk")
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars"]
RUNS = 5
POLL = 0.01
TIMEOUT = 60

# Keystrokes (Telex) for each field of the petition form.
TYPED = [("full_name", "Nguyeenx Vawn An"), ("phone", "0912345678"), ("citizen_id", "001203004567"),
         ("address", "Thoon Ddoong, xax Phuf Lawng"), ("subject", "Ddwowngf lieen thoon bij hoongr"),
         ("details", "Mawtj ddwowngf cos nhieeuf oor gaf.")]

# The renderer's fonts (src/render.c font_specs) at the 1280x800 scale,
# which is 800/500 = 1.6, by widget id; what is not listed is body text.
SCALE = 1.6
FONTS = {"title": ("Bold", 20), "lang": ("Regular", 19), "receipt.code.label": ("Regular", 19),
         "receipt.code": ("Bold", 30), "receipt.id": ("Regular", 15), "receipt.next": ("Regular", 15),
         "receipt.done": ("Bold", 22)}
COLORS = {"receipt.code.label": "#556370", "receipt.id": "#556370"}


def kiosk_script(shot, then_quit):
    lines = ["tap home.file", "tap category.petition"]
    for field, keys in TYPED:
        lines += ["tap form.field." + field, "type " + keys]
    # Review is paged (Send is on its last page): a turn past the last one
    # is answered with an error and changes nothing.
    lines += ["tap form.next"] + ["tap review.page.more"] * 4 + ["tap review.submit", "dump", "shot " + shot]
    if then_quit:
        lines.append("quit")
    return ("\n".join(lines) + "\n").encode()


def read_answers(p, count):
    """count JSON lines from the kiosk, with a time limit."""
    buf, fd = b"", p.stdout.fileno()
    while buf.count(b"\n") < count:
        ready, _, _ = select.select([fd], [], [], TIMEOUT)
        if not ready:
            raise RuntimeError("kiosk gave no answer in %d s" % TIMEOUT)
        chunk = os.read(fd, 65536)
        if not chunk:
            raise RuntimeError("kiosk exited early (%s)" % p.poll())
        buf += chunk
    return [json.loads(line) for line in buf.split(b"\n")[:count]]


def lookup_script(code, shot):
    """Straight to a stored receipt: look its code up, save the status screen."""
    return ("tap home.lookup\ntype %s\ntap lookup.submit\ndump\nshot %s\nquit\n" % (code, shot)).encode()


def kiosk_timed(cfg, png, errlog, script=None):
    t0 = time.perf_counter()
    with open(errlog, "ab") as err:
        p = subprocess.run([KIOSK, "--config", cfg, "--headless", "--control", "--size", "1280x800"],
                           input=script or kiosk_script(png, True), stdout=subprocess.PIPE, stderr=err,
                           timeout=TIMEOUT)
    wall = time.perf_counter() - t0
    if p.returncode != 0 or not os.path.getsize(png):
        raise RuntimeError("kiosk run failed (exit %d)" % p.returncode)
    return wall * 1000.0, p.stdout


def kiosk_memory(cfg, png, errlog):
    script = kiosk_script(png, False)
    with open(errlog, "ab") as err:
        p = subprocess.Popen([KIOSK, "--config", cfg, "--headless", "--control", "--size", "1280x800"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, bufsize=0)
    try:
        p.stdin.write(script)
        answers = read_answers(p, script.count(b"\n"))
        failed = [a for a in answers if not a.get("ok") and "review.page.more" not in a.get("error", "")]
        if failed:
            raise RuntimeError("kiosk script failed: %s" % failed)
        pss = pss_mib(p.pid)
        p.stdin.write(b"quit\n")
        p.stdin.close()
        p.wait(timeout=TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return pss


BUTTONS = {"lang": "#2A6CA8", "back": "#2A6CA8", "aid.speak": "#2A6CA8", "aid.call": "#2A6CA8",
           "receipt.done": "#0B4F8C", "status.done": "#0B4F8C"}


def receipt_html(dump, path):
    """The receipt (or the status screen of a stored one) as a page: each
    widget of the dump where the kiosk draws it, in the kiosk's fonts and
    colours."""
    qr = next((w for w in dump["widgets"] if w["id"] == "receipt.qr"), None)
    svg = ""
    if qr:
        svg = subprocess.run(["qrencode", "-t", "SVG", "-l", "M", "-8", "-m", "4", "-o", "-", qr["label"]],
                             capture_output=True, text=True, check=True).stdout
        svg = svg[svg.index("<svg"):]
    fonts = "".join("@font-face{font-family:N;font-weight:%s;src:url('file://%s/fonts/NotoSans-%s.ttf')}"
                    % ("bold" if style == "Bold" else "normal", ROOT, style) for style in ("Regular", "Bold"))
    parts = ["<!DOCTYPE html><html lang=vi><head><meta charset=utf-8><style>", fonts,
             "body{margin:0;width:1280px;height:800px;background:#F1F4F7;font-family:N;color:#1B2631;"
             "overflow:hidden}div{position:absolute;box-sizing:border-box;line-height:1.35}"
             ".bar{left:0;top:0;width:1280px;height:96px;background:#0B4F8C}"
             ".qr{background:#fff;display:flex;align-items:center;justify-content:center}"
             ".qr svg{width:94%;height:94%;shape-rendering:crispEdges}"
             ".btn{display:flex;align-items:center;justify-content:center}"
             "</style></head><body><div class=bar></div>"]
    for w in dump["widgets"]:
        box = "left:%dpx;top:%dpx;width:%dpx;height:%dpx;" % (w["x"], w["y"], w["w"], w["h"])
        if w["id"] == "receipt.qr":
            parts.append("<div class=qr style='%s'>%s</div>" % (box, svg))
            continue
        style, size = FONTS.get(w["id"], ("Regular", 19))
        css = box + "font-size:%.0fpx;font-weight:%s;" % (size * SCALE, "bold" if style == "Bold" else "normal")
        cls = ""
        if w["id"] == "title":
            css += "color:#fff;display:flex;align-items:center;justify-content:center;"
        elif w["id"] in BUTTONS:
            css += "background:%s;color:#fff;" % BUTTONS[w["id"]]
            cls = " class=btn"
        else:
            css += "color:%s;" % COLORS.get(w["id"], "#1B2631")
        parts.append("<div%s style=\"%s\">%s</div>" % (cls, css, html.escape(w["label"])))
    parts.append("</body></html>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))


def chromium_run(page, png, tmp, poll):
    """One cold Chromium to a screenshot: wall ms and, when polled, the
    largest PSS total of its session in MiB."""
    prof = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp)
    cmd = CHROMIUM + ["--user-data-dir=" + prof, "--window-size=1280,800", "--screenshot=" + png,
                      "file://" + page]
    peak = 0.0
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        if poll:
            while p.poll() is None:
                peak = max(peak, sum(pss_mib(pid) for pid in session_pids(p.pid)))
                time.sleep(POLL)
        p.wait(timeout=TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    wall = (time.perf_counter() - t0) * 1000.0
    shutil.rmtree(prof, ignore_errors=True)
    if p.returncode != 0 or not os.path.exists(png) or not os.path.getsize(png):
        raise RuntimeError("chromium made no screenshot (exit %d)" % p.returncode)
    os.unlink(png)
    return wall, peak


def stored(table, tmp, cfg, receipt, errlog):
    """The fairer twin: straight to a stored receipt, no filing."""
    code = next(w["label"] for w in receipt["widgets"] if w["id"] == "receipt.code")
    kpng = os.path.join(tmp, "kiosk-status.png")
    cpng = os.path.join(tmp, "chromium-status.png")
    page = os.path.join(tmp, "status.html")
    script = lookup_script(code, kpng)
    _, out = kiosk_timed(cfg, kpng, errlog, script)
    dump = [a for a in map(json.loads, out.decode().splitlines()) if "widgets" in a][0]
    if dump["screen"] != "status":
        raise RuntimeError("the lookup ended on %s, not the status screen" % dump["screen"])
    receipt_html(dump, page)
    chromium_run(page, cpng, tmp, False)
    log("kiosk against Chromium: straight to a stored receipt (%d alternating runs)" % RUNS)
    kt, ct = [], []
    for _ in range(RUNS):
        kt.append(kiosk_timed(cfg, kpng, errlog, script)[0])
        ct.append(chromium_run(page, cpng, tmp, False)[0])
    table.section("Kiosk against Chromium: cold start straight to a stored receipt, 1280x800")
    table.row("Wall time, motcua-kiosk: looks a stored receipt's code up, shows and saves its status (ms)",
              summary(kt), 1)
    table.row("Wall time, Chromium: loads the same status page and saves a screenshot (ms)", summary(ct), 0)
    table.row("Start ratio, Chromium / kiosk, stored receipt (same run)", ratio(ct, kt), 1, 20, "×", "higher",
              limit="Both show a receipt already stored; the kiosk still starts SDL and its fonts, opens the store, "
              "types the 13-character code and finds it by its keyed hash.")
    table.how.append(
        "Straight to a stored receipt: %d runs of each, alternating, at 1280x800, on the store the filing runs "
        "left. The kiosk's stdin holds `tap home.lookup`, `type CODE` (the first run's receipt code), "
        "`tap lookup.submit`, `dump`, `shot`, `quit`; Chromium loads the status screen's page, built from that "
        "dump as the receipt's page is." % RUNS)


def run(table, tmp, cfg):
    if not shutil.which("chromium") or not shutil.which("qrencode"):
        table.section("Kiosk against Chromium")
        table.row("Receipt to PNG: Chromium (chromium or qrencode missing)", None)
        table.notes.append("Kiosk against Chromium not measured: chromium or qrencode is not installed.")
        return
    errlog = os.path.join(tmp, "versus.log")
    kpng = os.path.join(tmp, "kiosk-receipt.png")
    cpng = os.path.join(tmp, "chromium-receipt.png")
    page = os.path.join(tmp, "receipt.html")
    # One untimed run creates the store and gives the receipt the page copies.
    _, out = kiosk_timed(cfg, kpng, errlog)
    dump = [a for a in map(json.loads, out.decode().splitlines()) if "widgets" in a][0]
    if dump["screen"] != "receipt":
        raise RuntimeError("kiosk script ended on %s, not the receipt" % dump["screen"])
    receipt_html(dump, page)
    chromium_run(page, cpng, tmp, False)  # warms the page cache for Chromium's files too
    log("kiosk against Chromium: receipt to PNG (%d alternating runs each for time and for memory)" % RUNS)
    kt, ct, km, cm = [], [], [], []
    for _ in range(RUNS):
        kt.append(kiosk_timed(cfg, kpng, errlog)[0])
        ct.append(chromium_run(page, cpng, tmp, False)[0])
        km.append(kiosk_memory(cfg, kpng, errlog))
        cm.append(chromium_run(page, cpng, tmp, True)[1])
    table.section("Kiosk against Chromium: cold start to a saved PNG of the receipt, 1280x800")
    table.row("Wall time, motcua-kiosk: files a petition, shows and saves the receipt (ms)", summary(kt), 1)
    table.row("Wall time, Chromium: loads the same receipt page and saves a screenshot (ms)", summary(ct), 0)
    table.row("Start ratio, Chromium / kiosk (same run)", ratio(ct, kt), 1, 10, "×", "higher",
              limit="The kiosk's timed run does more than Chromium's: it starts, types a petition's six "
              "fields on its keyboard through the input method, seals and durably stores it, draws the receipt "
              "and saves the PNG; Chromium only loads a finished page and saves it.")
    table.row("Memory, motcua-kiosk PSS after the shot (MiB)", summary(km), 1)
    table.row("Memory, Chromium PSS summed over its processes, peak (MiB)", summary(cm), 1)
    table.row("Memory ratio, Chromium / kiosk (same run)", ratio(cm, km), 1, 15, "×", "higher",
              limit="The kiosk's PSS is mostly SDL, FreeType glyph caches and its 1280x800 frame buffer.")
    stored(table, tmp, cfg, dump, errlog)
    table.how.append(
        "Kiosk against Chromium: %d runs of each, alternating, at 1280x800. The kiosk is spawned with its whole "
        "script in stdin: it files a petition through the on-screen keyboard (six fields), seals and stores it "
        "(fsync included), shows the receipt, `shot` saves the PNG, `quit`. Chromium (%s, flags of "
        "tests/e2e/e2e.py, a fresh --user-data-dir each run) loads a local HTML page of that receipt: each widget's "
        "text from the kiosk's `dump` at the same position and size, the same NotoSans .ttf files by "
        "@font-face, the same QR from `qrencode -l M -8 -m 4` as inline SVG, and saves --screenshot at "
        "--window-size=1280,800. Wall time: spawn to process exit with the PNG written. Memory, in separate "
        "runs: the kiosk's PSS (/proc/PID/smaps_rollup) right after `shot`; for Chromium the largest sum of "
        "PSS over every process of its session, polled every %d ms while it runs. Ratios pair the runs of "
        "the same round." % (RUNS, tool_version(["chromium", "--version"]), POLL * 1000))
