"""The paper receipt end to end: a kiosk prints to a file and to a fake
network printer; the ESC/POS stream is turned back into a picture
(escpos_decode.py), its width checked (58 mm: 384 dots, 80 mm: 576) and its
QR code read with zbarimg. A missing printer, a refused connection and a
printer that says it is out of paper or open: the citizen is told on the
receipt screen, the QR stays on screen, the request is stored and staff see
the error. The staff menu's test page prints. Pictures of the paper are left
in build/shots/paper-*.png to be looked at."""
import os, socket, subprocess, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import wait_print, review_to_end, Tap, Kiosk, make_config, zbar, db_rows, code_of, shown_code, ROOT, KIOSK, file_request, fill_form, clipped, TYPED
import escpos_decode
from fakeprinter import FakePrinter, READY, PAPER_OUT, COVER_OPEN

t = Tap()
SHOTS = os.path.join(ROOT, "build/shots")
os.makedirs(SHOTS, exist_ok=True)
URL = "https://motcua.example.vn"
NAME = TYPED["full_name"][1]
def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def printer_config(device, width="58", language="vi", pin=""):
    return make_config(extra_kiosk=pin, language=language,
                       extra_server="[printer]\ndevice = %s\nwidth = %s\n" % (device, width))


def page_check(data, width, tag, want_qr):
    """Decodes a stream: one cut page of the width, its QR code; saves it."""
    try:
        pages = escpos_decode.decode(data)
    except escpos_decode.DecodeError as e:
        t.ok(False, "the stream decodes (%s)" % tag, e)
        return None
    t.eq([(p.width, p.cut) for p in pages], [(width, True)], "one cut page %d dots wide (%s)" % (width, tag))
    if not pages:
        return None
    png = os.path.join(SHOTS, "paper-%s.png" % tag)
    escpos_decode.write_page(pages[0], png, border=24)
    t.eq(zbar(png), want_qr, "the QR code on paper reads %s (%s)" % (want_qr, tag))
    return pages[0]


def pin_line():
    return subprocess.run([KIOSK, "hash-pin"], input="246813\n", capture_output=True, text=True).stdout.strip()


def open_staff(k):
    k.must("hold home.title 2.5")
    k.must("type 246813")
    k.must("tap pin.ok")
    return k.screen() == "staff"


# ---- to a file, 58 mm and 80 mm ----
for width, dots in (("58", 384), ("80", 576)):
    tmp = make_config()[1]
    paper = os.path.join(os.path.dirname(tmp), "printer.out")
    open(paper, "wb").close()
    cfg, data = printer_config(paper, width)
    k = Kiosk(cfg)
    d, shot = file_request(k, "procedure", "birth_registration", "printer-%s" % width)
    token = shown_code(d)
    t.eq(code_of(data, token), db_rows(data)[-1][0], "the code shown is the stored request's (%s mm)" % width)
    w = wait_print(k)
    t.eq(w and w["label"], "Đã in giấy biên nhận: xin nhận giấy ở máy in.", "the receipt screen says it printed (%s mm)" % width)
    k.must("shot %s/receipt-printed-%s.png" % (SHOTS, width))
    t.eq(clipped(k), [], "the receipt screen has no clipped text after printing (%s mm)" % width)
    with open(paper, "rb") as f:
        stream = f.read()
    page = page_check(stream, dots, width, "%s/r/%s" % (URL, token))
    t.ok(page is not None and 600 * dots // 384 < len(page.rows) < 1600 * dots // 384,
         "the receipt is a sensible length (%s mm)" % width, page and len(page.rows))
    t.ok(NAME.encode() not in stream and token.encode() not in stream,
         "the stream holds pictures, not text (%s mm)" % width)
    rc, err = k.close()
    t.eq(rc, 0, "the kiosk stops cleanly, its printer thread too (%s mm)" % width)
    t.ok("printed the receipt" in err, "the log says it printed (%s mm)" % width, err)
    t.ok(NAME not in err and token not in err, "the log holds neither the name nor the code (%s mm)" % width, err)

# ---- in English ----
tmp = make_config()[1]
paper = os.path.join(os.path.dirname(tmp), "printer.out")
open(paper, "wb").close()
cfg, data = printer_config(paper, "58", language="en")
k = Kiosk(cfg)
d, _ = file_request(k, "complaint", None, "printer-en")
w = wait_print(k)
t.eq(w and w["label"], "Your receipt and letter are printed: take them from the printer, sign the letter and hand it in at the counter.",
     "English: the receipt screen says the receipt and the letter printed")
with open(paper, "rb") as f:
    stream = f.read()
pages = escpos_decode.decode(stream)
t.eq([(p.width, p.cut) for p in pages], [(384, True), (384, True)],
     "a complaint prints two cut pages: the slip, then the letter to sign")
if len(pages) == 2:
    escpos_decode.write_page(pages[0], os.path.join(SHOTS, "paper-58-en.png"), border=24)
    t.eq(zbar(os.path.join(SHOTS, "paper-58-en.png")), "%s/r/%s" % (URL, shown_code(d)),
         "the slip's QR code reads (complaint)")
    escpos_decode.write_page(pages[1], os.path.join(SHOTS, "paper-letter-en.png"), border=24)
    # The letter has no QR code, and a signature box: rows with a line across most of the paper.
    t.eq(zbar(os.path.join(SHOTS, "paper-letter-en.png")), "", "the letter carries no QR code")
    wide = [r for r in pages[1].image()[1] if sum(r) > 300]
    t.ok(len(wide) >= 4, "the letter ends with a box to sign in", len(wide))
rc, err = k.close()
t.ok("printed the letter" in err and NAME not in err, "the log says the letter printed, without the name", err[-500:])

# ---- a denunciation: the slip without the name, the letter to sign ----
tmp = make_config()[1]
paper = os.path.join(os.path.dirname(tmp), "printer.out")
open(paper, "wb").close()
cfg, data = printer_config(paper, "58")
k = Kiosk(cfg)
file_request(k, "denunciation", None, "printer-denunciation")
w = wait_print(k)
t.eq(w and w["label"], "Đã in giấy biên nhận và đơn: xin nhận ở máy in, ký đơn và nộp tại bộ phận một cửa.",
     "a denunciation: the slip and the letter printed")
with open(paper, "rb") as f:
    pages = escpos_decode.decode(f.read())
t.eq(len(pages), 2, "a denunciation prints its slip and its letter")
if len(pages) == 2:
    t.ok(len(pages[1].rows) > len(pages[0].rows) * 0.8, "the letter holds what was typed",
         (len(pages[0].rows), len(pages[1].rows)))
    escpos_decode.write_page(pages[1], os.path.join(SHOTS, "paper-letter-denunciation.png"), border=24)
k.close()

# ---- a network printer ----
fake = FakePrinter()
cfg, data = printer_config("tcp:127.0.0.1:%d" % fake.port, "80")
k = Kiosk(cfg)
d, _ = file_request(k, "petition", None, "printer-tcp")
token = shown_code(d)
job = fake.wait_job()
t.ok(job is not None, "the network printer received a job")
t.eq(fake.queries, [1, 2, 4], "the kiosk asked the printer's state first (DLE EOT 1, 2, 4)")
if job is not None:
    page_check(job, 576, "tcp-80", "%s/r/%s" % (URL, token))
w = wait_print(k)
t.eq(w and w["label"], "Đã in giấy biên nhận: xin nhận giấy ở máy in.", "the receipt screen says it printed (tcp)")
k.close()
fake.close()

# ---- a slow printer does not hold the screen ----
fake = FakePrinter(delay=1.0)
cfg, data = printer_config("tcp:127.0.0.1:%d" % fake.port)
k = Kiosk(cfg)
k.must("tap home.file")
k.must("tap category.reflection")
fill_form(k)
k.must("tap form.next")
start = time.time()
review_to_end(k)
k.must("tap review.submit")
d = k.dump()
took = time.time() - start
w = next((x for x in d["widgets"] if x["id"] == "receipt.print"), None)
t.ok(d["screen"] == "receipt" and took < 1.0, "the receipt shows at once while a slow printer answers (%.2f s)" % took)
t.eq(w and w["label"], "Đang in giấy biên nhận…", "the receipt screen says it is printing")
w = wait_print(k)
t.eq(w and w["label"], "Đã in giấy biên nhận: xin nhận giấy ở máy in.", "then that it printed")
k.close()
fake.close()

# ---- failures: the citizen is told, the QR stays, the request is stored ----
PIN = pin_line()
WANT = {"vi": "Không in được giấy biên nhận: %s. Hãy chụp mã QR hoặc ghi lại mã tra cứu.",
        "en": "No paper receipt: %s. Please photograph the QR code or write the code down."}
fails = [
    ("missing", "/nonexistent/usb/lp0", None, "không tìm thấy máy in", "no printer", "vi", "800x480"),
    ("refused", "tcp:127.0.0.1:%d" % closed_port(), None, "không tìm thấy máy in", "no printer", "vi", "800x480"),
    ("paper-out", None, PAPER_OUT, "hết giấy", "out of paper", "vi", "800x480"),
    ("cover-open", None, COVER_OPEN, "nắp máy in đang mở", "cover open", "vi", "800x480"),
    ("cover-open-en", None, COVER_OPEN, "the printer cover is open", "cover open", "en", "800x480"),
    ("offline-en", None, {1: 0x1A, 2: 0x12, 4: 0x12}, "the printer is offline", "printer offline", "en", "1920x1080"),
    ("paper-out-1080", None, PAPER_OUT, "hết giấy", "out of paper", "vi", "1920x1080"),
]
for tag, device, status, said, logged, language, size in fails:
    fake = FakePrinter(status) if status else None
    cfg, data = printer_config(device or "tcp:127.0.0.1:%d" % fake.port, pin=PIN, language=language)
    k = Kiosk(cfg, size=size)
    before = 0                  # a fresh data folder
    d, shot = file_request(k, "procedure", "birth_registration", "printer-" + tag)
    rows = db_rows(data)
    token = shown_code(d)
    w = wait_print(k)
    want = WANT[language] % said
    t.eq(w and w["label"], want, "the receipt screen says why it did not print (%s)" % tag)
    t.eq(len(rows), before + 1, "the request is stored all the same (%s)" % tag)
    shot = "%s/receipt-%s.png" % (SHOTS, "printer-" + tag)
    k.must("shot " + shot)
    t.eq(zbar(shot), "%s/r/%s" % (URL, token), "the QR code is on screen (%s)" % tag)
    t.eq(clipped(k), [], "no clipped text on the receipt screen (%s)" % tag)
    if fake:
        time.sleep(0.2)
        t.ok(all(j == b"" for j in fake.jobs), "nothing is printed on a printer that reports a problem (%s)" % tag,
             [len(j) for j in fake.jobs])
    k.must("tap receipt.done")
    t.ok(open_staff(k), "the staff menu opens (%s)" % tag)
    s = k.widget("staff.printer")
    t.ok(s is not None and said in s["label"], "the staff menu shows the printer's last error (%s)" % tag, s)
    k.must("shot %s/staff-printer-%s.png" % (SHOTS, tag))
    t.eq(clipped(k), [], "no clipped text on the staff menu (%s)" % tag)
    rc, err = k.close()
    t.eq(rc, 0, "the kiosk stops cleanly (%s)" % tag)
    t.ok("could not print the receipt: " + logged in err, "the log tells staff why (%s)" % tag, err)
    t.ok(NAME not in err and token not in err, "the log holds neither the name nor the code (%s)" % tag)
    if fake:
        fake.close()

# ---- the staff menu's test page ----
for width, dots in (("58", 384), ("80", 576)):
    tmp = make_config()[1]
    paper = os.path.join(os.path.dirname(tmp), "printer.out")
    open(paper, "wb").close()
    cfg, data = printer_config(paper, width, pin=PIN)
    k = Kiosk(cfg)
    t.ok(open_staff(k), "the staff menu opens (test page %s mm)" % width)
    s = k.widget("staff.printer")
    t.ok(s is not None and "chưa in lần nào" in s["label"], "the staff menu says nothing was printed yet", s)
    k.must("tap staff.print_test")
    end = time.time() + 15
    while time.time() < end and "in được lúc" not in (k.widget("staff.printer") or {}).get("label", ""):
        time.sleep(0.1)
    s = k.widget("staff.printer")
    t.ok(s is not None and "in được lúc" in s["label"], "the staff menu says the test page printed (%s mm)" % width, s)
    k.must("shot %s/staff-printer-%s.png" % (SHOTS, width))
    t.eq(clipped(k), [], "no clipped text on the staff menu (%s mm)" % width)
    with open(paper, "rb") as f:
        page_check(f.read(), dots, "test-" + width, URL)
    k.close()

# ---- configuration ----
for extra, key in (("device = lp0\n", "[printer] device"), ("device = tcp:\n", "[printer] device"),
                   ("device = tcp:10.0.0.9:99999\n", "[printer] device"), ("width = 70\n", "[printer] width")):
    cfg, data = make_config(extra_server="[printer]\n" + extra)
    p = subprocess.run([KIOSK, "--config", cfg, "--headless", "--control"], input="quit\n",
                       capture_output=True, text=True, timeout=30)
    t.ok(p.returncode != 0 and key in p.stderr, "a bad %s stops the kiosk and names the key" % extra.strip(), p.stderr)

t.done()
