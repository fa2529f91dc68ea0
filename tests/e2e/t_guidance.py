"""Procedure guidance and queue tickets on screen and on paper. Every
shipped procedure has its papers, fee, time and place, shown without a
clipped word at 800x480 and 1920x1080 in both languages (page after page
when they need more than one), with a QR code that
reads as its page on the national portal (none for a procedure the portal
does not list); filing a procedure passes through its guide; the checklist
prints with the same QR; the receipt of a procedure repeats its papers. A
queue ticket prints within a second of the tap, its picture one cut page;
a printer out of paper leaves the number taken and on the screen."""
import json, os, sqlite3, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, make_config, zbar, ROOT, SHOTS, file_request
from fakeprinter import FakePrinter, READY, PAPER_OUT
import escpos_decode

t = Tap()
PORTAL = "https://dichvucong.gov.vn/p/home/dvc-danh-sach-dich-vu-cong.html?ma_tt="
catalog = json.load(open(os.path.join(ROOT, "assets/catalog.json"), encoding="utf-8"))
procs = catalog["procedures"]
t.ok(len(procs) >= 14 and all(p.get("papers") and p["papers"]["vi"] and p.get("fee") and p.get("where") for p in procs),
     "every shipped procedure has papers, a fee and a place (%d procedures)" % len(procs))
t.ok(all(p.get("portal_code") for p in procs if p["id"] != "residence_confirmation"),
     "every procedure of the People's Committee has its national portal code")


def open_guide(k, pid):
    """From home's guide list, the page holding pid, then its guide."""
    k.must("tap home.guide")
    for _ in range(5):
        if k.widget("guide.proc." + pid):
            break
        k.must("tap guide.proc.page_next")
    k.must("tap guide.proc." + pid)


for size in ("800x480", "1920x1080"):
    for lang in ("vi", "en"):
        cfg, data = make_config(language=lang)
        k = Kiosk(cfg, size=size)
        clipped_any, qr_bad = [], []
        for p in procs:
            open_guide(k, p["id"])
            shot = os.path.join(SHOTS, "guide-%s-%s-%s.png" % (p["id"], lang, size))
            k.must("shot " + shot)
            papers = []
            for page in range(5):      # a long guide comes in pages
                d = k.dump()
                clipped_any += ["%s:%s" % (p["id"], w["id"]) for w in d["widgets"] if w.get("clipped")]
                papers += [w["label"] for w in d["widgets"] if w["id"].startswith("guide.paper.")]
                if not k.widget("guide.page.more"):
                    break
                k.must("tap guide.page.more")
            if papers != ["• " + x for x in p["papers"][lang]]:
                qr_bad.append("%s papers %r" % (p["id"], papers))
            want = PORTAL + p["portal_code"] if p.get("portal_code") else ""
            if size == "800x480" and lang == "vi" and zbar(shot) != want:
                qr_bad.append("%s qr %r" % (p["id"], zbar(shot)))
            if not want and k.widget("guide.qr"):
                qr_bad.append("%s has a QR code without a portal page" % p["id"])
            k.must("tap guide.done")
        t.eq(clipped_any, [], "every guide fits at %s in %s" % (size, lang))
        t.eq(qr_bad, [], "every guide lists its papers and its QR code reads its portal page (%s %s)" % (size, lang))
        k.close()

# ---- before filing ----
cfg, data = make_config()
k = Kiosk(cfg)
k.must("tap home.file")
k.must("tap category.procedure")
k.must("tap procedure.birth_registration")
t.eq(k.screen(), "guide", "choosing a procedure shows its papers before the form")
t.ok(k.widget("guide.continue") and not k.widget("guide.done"), "with the way on to the form")
k.must("tap back")
t.eq(k.screen(), "procedure", "back from the guide is the procedure list")
k.must("tap procedure.birth_registration")
k.must("tap guide.continue")
t.eq(k.screen(), "form", "then the form")
k.close()

# ---- on paper ----
cfg, data = make_config(extra_server="[printer]\ndevice = %s\nwidth = 58\n" % os.path.join(os.path.dirname(make_config()[1]), "p.out"))
paper = None
for line in open(cfg, encoding="utf-8"):
    if line.startswith("device = "):
        paper = line.split(" = ", 1)[1].strip()
open(paper, "wb").close()
k = Kiosk(cfg)
open_guide(k, "marriage_registration")
k.must("tap guide.print")
end = time.time() + 15
while time.time() < end and os.path.getsize(paper) == 0:
    time.sleep(0.1)
time.sleep(0.3)
pages = escpos_decode.decode(open(paper, "rb").read())
t.eq([(p.width, p.cut) for p in pages], [(384, True)], "the checklist is one cut page, 58 mm wide")
png = os.path.join(SHOTS, "paper-checklist.png")
escpos_decode.write_page(pages[0], png, border=24)
t.eq(zbar(png), PORTAL + "1.000894", "the checklist's QR code reads the procedure's portal page")
k.must("tap guide.done")

# The receipt of a procedure repeats its papers: taller than one without.
def receipt_rows(category, procedure):
    open(paper, "wb").close()
    file_request(k, category, procedure, "guide-" + category)
    end = time.time() + 15
    while time.time() < end and os.path.getsize(paper) == 0:
        time.sleep(0.1)
    time.sleep(0.3)
    rows = escpos_decode.decode(open(paper, "rb").read())[0]
    k.must("tap receipt.done")
    return rows


with_papers = receipt_rows("procedure", "birth_registration")
without = receipt_rows("petition", None)
escpos_decode.write_page(with_papers, os.path.join(SHOTS, "paper-receipt-papers.png"), border=24)
t.ok(len(with_papers.rows) > len(without.rows) + 150,
     "a procedure's receipt carries its papers to bring (%d rows against %d)" % (len(with_papers.rows), len(without.rows)))
k.close()

# ---- queue tickets on paper ----
fake = FakePrinter(READY)
cfg, data = make_config(extra_server="[printer]\ndevice = tcp:127.0.0.1:%d\nwidth = 80\n" % fake.port)
k = Kiosk(cfg)
k.must("tap home.ticket")
k.must("tap ticket.field.hotich")
tapped = time.time()
k.must("tap ticket.priority")
job = fake.wait_job(1)
took = time.time() - tapped
t.ok(job is not None, "the ticket went to the printer")
t.ok(took < 1.0, "the ticket printed within a second of the tap (%.2f s)" % took)
pages = escpos_decode.decode(job)
t.eq([(p.width, p.cut) for p in pages], [(576, True)], "the ticket is one cut page, 80 mm wide")
escpos_decode.write_page(pages[0], os.path.join(SHOTS, "paper-ticket.png"), border=24)
end = time.time() + 10
while time.time() < end and "in" not in (k.widget("ticket.print") or {}).get("label", "").lower():
    time.sleep(0.1)
t.eq(k.widget("ticket.print")["label"], "Đã in phiếu: xin nhận phiếu ở máy in.", "the screen says the ticket is printed")
k.close()
fake.close()

fake = FakePrinter(PAPER_OUT)
cfg, data = make_config(extra_server="[printer]\ndevice = tcp:127.0.0.1:%d\nwidth = 58\n" % fake.port)
k = Kiosk(cfg)
k.must("tap home.ticket")
k.must("tap ticket.field.datdai")
k.must("tap ticket.normal")
end = time.time() + 15
label = ""
while time.time() < end:
    label = (k.widget("ticket.print") or {}).get("label", "")
    if label and "Đang in" not in label:
        break
    time.sleep(0.1)
t.ok("hết giấy" in label and "Số của bạn vẫn được giữ" in label, "out of paper: the screen says so and that the number is kept", label)
t.eq(k.widget("ticket.number")["label"], "C001", "the number is on the screen")
con = sqlite3.connect(os.path.join(data, "request.db"))
rows = con.execute("SELECT field, number, state FROM ticket").fetchall()
con.close()
t.eq(rows, [("datdai", 1, 0)], "and taken, waiting in the store")
k.must("shot %s/ticket-paper-out.png" % SHOTS)
# A power cut right after the number showed: killed without a word, the
# kiosk starts again and the next number follows it.
k.p.kill()
k.p.wait()
fake.close()
k = Kiosk(cfg)
k.must("tap home.ticket")
k.must("tap ticket.field.datdai")
k.must("tap ticket.normal")
t.eq(k.widget("ticket.number")["label"], "C002", "after a kill -9 the next number follows the one shown")
t.eq(k.widget("ticket.ahead")["label"], "Trước bạn còn 1 người", "and the one shown still waits before it")
k.close()
t.done()
