"""The counter's papers on the office's printer, with real processes:
motcua-office configured with [printer] prints the receipt-and-appointment
paper, the supplement list and a signed letter's receipt itself, through the
shared src/print module the kiosk uses, instead of leaving them to the
counter's browser. On a network receipt printer (tests/e2e/fakeprinter.py)
the ESC/POS stream is decoded back into pictures (escpos_decode.py) and the
QR code read with zbarimg; a printer out of paper is said on the page and
the step is kept. Through CUPS (a throwaway scheduler set to keep every job
and file, tests/cupsd.py) the pages are PWG raster on A4 (pwg_decode.py); a
denunciation's paper is refused on a queue not marked private (nothing of
it reaches the scheduler, and the page keeps it from the browser's print),
and on a private queue it prints and is purged from the history and the
spool. No name reaches a printer as text, a log or the scheduler."""
import http.cookiejar, os, re, sys, time, urllib.error, urllib.parse, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from kiosk import Tap, make_config, zbar, ROOT
from e2e import Office, fill, pin_hash
import escpos_decode, pwg_decode, fakeprinter
import cupsd

t = Tap()
SHOTS = os.path.join(ROOT, "build/test-out/shots")
os.makedirs(SHOTS, exist_ok=True)
URL = "https://motcua.example.vn"
NAME = "Nguyễn Văn Nộp"
CCCD = "027280001234|123456789|%s|01011960|Nam|Thôn Đông, xã Phù Lãng|01072021" % NAME
PIN = "246813"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


class Counter:
    """A signed-in counter on an office service."""
    def __init__(self, office, number=1):
        self.base = office.url
        self.o = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
        self.call("/counter/sign-in", {"counter": str(number), "pin": PIN})
        _, page = self.call("/counter")
        self.csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)

    def call(self, path, form=None):
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            r = self.o.open(urllib.request.Request(self.base + path, data=body), timeout=90)
            return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def step(self, kind, code, **form):
        form.update({"csrf": self.csrf, "code": code})
        return self.call("/counter/accept/" + kind, form)


def print_msg(page):
    m = re.search(r'id="print-msg">([^<]*)<', page)
    return m.group(1) if m else None


def office_with(printer):
    """A kiosk store with seven requests filed (procedure, petition,
    reflection, complaint, denunciation, dialogue, procedure) and the office
    service on it, printing to printer (a [printer] section)."""
    cfg, data = make_config(extra_kiosk="staff_pin = %s\n" % pin_hash(PIN), public_url=URL,
                            extra_server="[printer]\n" + printer)
    codes = fill(cfg, 7)
    by_seq = {int(rid.rsplit("-", 1)[1]): code for rid, code in codes.items()}
    office = Office(cfg).start()
    return office, by_seq


def qr_of_pages(pages, name):
    """The QR code read from each decoded receipt page."""
    out = []
    for k, p in enumerate(pages):
        png = os.path.join(SHOTS, "%s-%d.png" % (name, k + 1))
        escpos_decode.write_page(p, png, border=24)
        out.append(zbar(png))
    return out


# ---- the receipt printer (ESC/POS over the network) ----
printer = fakeprinter.FakePrinter()
office, seq = office_with("device = tcp:127.0.0.1:%d\nwidth = 80\n" % printer.port)
c = Counter(office)
proc, complaint, denunciation = seq[1], seq[4], seq[5]
st, page = c.step("accept", proc, papers="1", dossier="000.00.01.H26-261202-0001", cccd=CCCD)
t.eq(st, 200, "the dossier is accepted")
t.ok(print_msg(page) and "Đã in giấy" in print_msg(page), "the page says the paper was printed", print_msg(page))
job = printer.wait_job(1)
t.ok(job is not None, "the receipt printer got the receipt-and-appointment paper")
pages = escpos_decode.decode(job or b"")
t.eq([(p.image()[0], p.cut) for p in pages], [(576, True)], "one cut page, 80 mm wide (576 dots)")
t.eq(qr_of_pages(pages, "counter-receipt-escpos"), ["%s/r/%s" % (URL, proc)],
     "its QR code reads the request's phone page")
t.ok(pages and 300 < len(pages[0].rows) < 3000, "a paper of a sensible length", pages and len(pages[0].rows))
t.ok(NAME.encode() not in job and b"000.00.01" not in job and proc.encode() not in job,
     "what reached the printer is a picture, no text")

st, page = c.step("supplement", seq[7], checklist="1", have0="1", list="Bản sao sổ hộ khẩu cũ")
t.eq(st, 200, "the second procedure's missing papers are asked")
job2 = printer.wait_job(2)
pages2 = escpos_decode.decode(job2 or b"")
t.eq(len(pages2), 1, "the supplement list is printed")
# The list makes the paper longer than the receipt, which has no list.
t.ok(pages and pages2 and len(pages2[0].rows) > len(pages[0].rows) - 60,
     "and holds the list of missing papers", (pages and len(pages[0].rows), pages2 and len(pages2[0].rows)))

st, page = c.step("letter", denunciation)
t.eq(st, 200, "a denunciation's signed letter is marked received")
t.ok(print_msg(page) and "Đã in giấy" in print_msg(page),
     "its paper prints on the office's own receipt printer (no shared queue)", print_msg(page))
t.ok("#paper{display:none}" in page, "and the browser may not print it")
job3 = printer.wait_job(3)
t.eq(qr_of_pages(escpos_decode.decode(job3 or b""), "counter-denunciation-escpos"), ["%s/r/%s" % (URL, denunciation)],
     "the denunciation's paper reached the receipt printer")
office.stop()
printer.close()
t.ok(NAME not in office.err, "the office's log holds no name", office.err[-600:])
t.ok("printed the accepted paper" in office.err, "the log says what was printed, and where", office.err[-600:])

# ---- out of paper: said on the page, the step kept ----
empty = fakeprinter.FakePrinter(status=fakeprinter.PAPER_OUT)
office, seq = office_with("device = tcp:127.0.0.1:%d\n" % empty.port)
c = Counter(office)
st, page = c.step("letter", seq[4])
t.eq(st, 200, "with the printer out of paper the signed letter is still marked received")
t.ok(print_msg(page) and "out of paper" in print_msg(page) and 'id="paper-due"' in page,
     "the page says the paper was not printed and why, and shows it to print from the browser", print_msg(page))
t.ok("#paper{display:none}" not in page, "a complaint's paper may be printed from the browser")
office.stop()
empty.close()

# ---- CUPS ----
with cupsd.Cupsd(preserve_files=True, preserve_history=True) as cups:
    cups.add_queue("office")
    office, seq = office_with("kind = cups\nqueue = office\nserver = %s\nprivate = no\n" % cups.server)
    c = Counter(office)
    st, page = c.step("letter", seq[4])
    t.ok(st == 200 and print_msg(page) and "Đã in giấy" in print_msg(page),
         "a complaint's signed-letter paper prints on the shared office queue", print_msg(page))
    end = time.time() + 30
    while time.time() < end and not cups.printed("office"):
        time.sleep(0.2)
    raw = cups.printed("office")
    pages = pwg_decode.decode(raw) if raw[:4] == b"RaS2" else []
    t.eq([(p.width, p.height) for p in pages], [(4960, 7015)], "one A4 page of PWG raster")
    if pages:
        rows = pwg_decode.crop(pages[0].dots(3))
        width = len(rows[0]) if rows else 0
        png = os.path.join(SHOTS, "counter-letter-cups.png")
        blank = [0] * (width + 48)
        escpos_decode.write_png(png, width + 48, [blank] * 24 + [[0] * 24 + r + [0] * 24 for r in rows] + [blank] * 24)
        t.eq(zbar(png), "%s/r/%s" % (URL, seq[4]), "its QR code reads from what the printer got")
    jobs_before, bytes_before = len(cups.jobs("all")), len(cups.printed("office"))

    st, page = c.step("letter", seq[5])
    t.eq(st, 200, "a denunciation's signed letter is marked received all the same")
    t.ok(print_msg(page) and "không gửi tới máy in dùng chung" in print_msg(page),
         "the page says its paper is not sent to a shared queue", print_msg(page))
    t.ok("#paper{display:none}" in page, "nor printed from the browser")
    time.sleep(1)
    t.eq((len(cups.jobs("all")), len(cups.printed("office"))), (jobs_before, bytes_before),
         "nothing of the denunciation reached the scheduler")
    office.stop()
    t.ok("not sent to the shared CUPS queue office" in office.err, "the office's log says why", office.err[-600:])

    cups.add_queue("private")
    office, seq = office_with("kind = cups\nqueue = private\nserver = %s\nprivate = yes\n" % cups.server)
    c = Counter(office)
    st, page = c.step("letter", seq[5])
    t.ok(st == 200 and print_msg(page) and "Đã in giấy" in print_msg(page),
         "on a private queue the denunciation's paper prints", print_msg(page))
    raw = cups.printed("private")
    t.ok(raw[:4] == b"RaS2" and len(pwg_decode.decode(raw)) == 1, "the private queue's printer got one page")
    end = time.time() + 20
    while time.time() < end and len(cups.jobs("all")) != jobs_before:
        time.sleep(0.2)
    t.eq(len(cups.jobs("all")), jobs_before, "the denunciation's job is purged from the scheduler's history")
    t.eq(cups.spool_files(), ["c00001", "d00001-001"], "the spool keeps the complaint's files (it is set to), none of the denunciation's")
    office.stop()
    t.ok("purged" in office.err, "the log says it was purged", office.err[-600:])
    t.ok(NAME not in cups.log() and NAME not in office.err, "no name in either log")
t.done()
