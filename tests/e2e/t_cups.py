"""Printing through CUPS: a kiosk configured with [printer] kind = cups
sends its slip to an office printer's queue on a real scheduler (a
throwaway cupsd, tests/cupsd.py) as PWG raster on A4; what reached the
printer is read back (pwg_decode.py), turned into a picture and its QR code
read with zbarimg. A denunciation's slip and letter are refused on a queue
the configuration does not mark private, so nothing of it reaches the
scheduler; on a private queue they print and are purged from its history
and spool at once, while the scheduler itself keeps job files and history
(the worst case: a shared office server set to keep copies)."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from kiosk import wait_print, Tap, Kiosk, make_config, zbar, shown_code, db_rows, ROOT, file_request, TYPED
import escpos_decode, pwg_decode
import cupsd

t = Tap()
SHOTS = os.path.join(ROOT, "build/shots")
os.makedirs(SHOTS, exist_ok=True)
URL = "https://motcua.example.vn"
NAME = TYPED["full_name"][1]
PRINTED = ("Đã in giấy biên nhận: xin nhận giấy ở máy in.",
           "Đã in giấy biên nhận và đơn: xin nhận ở máy in, ký đơn và nộp tại bộ phận một cửa.")


def wait_bytes(cups, queue, at_least, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        data = cups.printed(queue)
        if len(data) > at_least:
            return data
        time.sleep(0.2)
    return cups.printed(queue)


def cups_config(cups, queue, private):
    return make_config(extra_server="[printer]\nkind = cups\nqueue = %s\nserver = %s\nprivate = %s\n"
                       % (queue, cups.server, "yes" if private else "no"))


with cupsd.Cupsd(preserve_files=True, preserve_history=True) as cups:
    cups.add_queue("office")

    # ---- a petition's slip on A4 ----
    cfg, data = cups_config(cups, "office", private=False)
    k = Kiosk(cfg)
    d, _ = file_request(k, "petition", None, "cups-petition")
    token = shown_code(d)
    w = wait_print(k, 30)
    t.eq(w and w["label"], PRINTED[0], "the receipt screen says the slip printed")
    raw = wait_bytes(cups, "office", 0)
    pages = []
    try:
        pages = pwg_decode.decode(raw)
    except pwg_decode.DecodeError as e:
        t.ok(False, "what reached the printer is PWG raster", e)
    t.eq([(p.width, p.height, p.dpi, p.bpl) for p in pages], [(4960, 7015, (600, 600), 620)],
         "one A4 page at 600 dpi, 1 bit a pixel")
    if pages:
        rows = pwg_decode.crop(pages[0].dots(3))
        width = len(rows[0]) if rows else 0
        t.ok(300 < width <= 384, "the slip keeps its width on paper (58 mm: at most 384 dots)", width)
        png = os.path.join(SHOTS, "paper-cups-a4.png")
        blank = [0] * (width + 48)
        escpos_decode.write_png(png, width + 48, [blank] * 24 + [[0] * 24 + r + [0] * 24 for r in rows] + [blank] * 24)
        t.eq(zbar(png), "%s/r/%s" % (URL, token), "the slip's QR code reads from what the printer got")
    t.ok(NAME.encode() not in raw and token.encode() not in raw, "the job holds a picture, not the text")
    t.eq(len(cups.jobs("completed")), 1, "the scheduler keeps the job in its history (it is set to)")
    rc, err = k.close()
    t.eq(rc, 0, "the kiosk stops cleanly")
    t.ok("printed the receipt (CUPS queue office, job" in err, "the log names the queue and job", err[-400:])

    # ---- a denunciation on the shared queue: refused, nothing sent ----
    before = len(cups.printed("office"))
    cfg, data = cups_config(cups, "office", private=False)
    k = Kiosk(cfg)
    d, _ = file_request(k, "denunciation", None, "cups-denunciation-shared")
    w = wait_print(k, 5)
    t.ok(w is not None and w["label"] not in PRINTED, "the receipt screen does not say it printed",
         w and w["label"])
    time.sleep(1)
    t.eq(len(cups.printed("office")), before, "nothing of the denunciation reached the shared queue")
    t.eq(len(cups.jobs("all")), 1, "the scheduler never saw a job for it")
    t.eq(db_rows(data)[-1][2] if db_rows(data) else None, "denunciation", "the denunciation is stored all the same")
    rc, err = k.close()
    t.ok("not sent to the shared CUPS queue office" in err, "the log says why", err[-400:])
    t.ok(NAME not in err, "the log holds no name", err[-400:])

    # ---- the same on a private queue: printed, then purged ----
    cups.add_queue("private")
    cfg, data = cups_config(cups, "private", private=True)
    k = Kiosk(cfg)
    d, _ = file_request(k, "denunciation", None, "cups-denunciation-private")
    w = wait_print(k, 60)
    t.eq(w and w["label"], PRINTED[1], "on a private queue the slip and the letter print")
    raw = wait_bytes(cups, "private", 0)
    pages = pwg_decode.decode(raw) if raw[:4] == b"RaS2" else []
    t.ok(len(pages) >= 2, "the printer got the slip and the letter", len(pages))
    end = time.time() + 20
    while time.time() < end and len(cups.jobs("all")) != 1:
        time.sleep(0.2)
    jobs = cups.jobs("all")
    t.eq([j.split()[0] for j in jobs], ["office-1"], "the denunciation's jobs are purged from the history")
    t.eq(cups.spool_files(), ["c00001", "d00001-001"],
         "the spool keeps the petition's files (it is set to), none of the denunciation's jobs")
    rc, err = k.close()
    t.ok("purged" in err, "the log says the letter was purged", err[-400:])
    t.ok(NAME not in cups.log() and NAME not in err, "no name in either log")
t.done()
