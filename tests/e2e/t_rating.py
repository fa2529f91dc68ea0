"""The satisfaction rating at the kiosk, driven through the control
interface: by a queue ticket of the day (typed as printed), by a receipt
code, and with neither; five criteria one a screen, an optional comment
typed through the input method; one rating per ticket and per request (a
second is refused before any question, with a message); ratings with
neither are limited per minute; what was typed is gone from the screens
after the visit; the rows are in the store. Screens are shot at 800x480 and
1920x1080, in Vietnamese and English, with nothing clipped."""
import os, sqlite3, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, make_config, file_request, shown_code, clipped, SHOTS

t = Tap()
cfg, data = make_config()
k = Kiosk(cfg)

t.ok(k.widget("home.rating") is not None, "home offers the rating (home.rating)")
k.must("tap home.ticket")
k.must("tap ticket.field.hotich")
k.must("tap ticket.normal")
label = k.widget("ticket.number")["label"]
k.must("tap ticket.done")


def rate(k, entry, faces=(3, 3, 2, 3, 3), comment=None, shots=None):
    """Rates with entry (None: neither); returns the screen it ended on and
    the refusal shown, if any."""
    if shots:
        t.eq(clipped(k), [], "home, with the rating button, clips nothing (%s)" % shots)
    k.must("tap home.rating")
    if shots:
        k.must("shot %s/rating-how-%s.png" % (SHOTS, shots))
        t.eq(clipped(k), [], "the first screen clips nothing (%s)" % shots)
    if entry is None:
        k.must("tap rating.without")
    else:
        k.must("tap rating.with")
        k.must("type " + entry)
        if shots:
            k.must("shot %s/rating-entry-%s.png" % (SHOTS, shots))
            t.eq(clipped(k), [], "the entry screen clips nothing (%s)" % shots)
        k.must("tap rating.next")
    if k.screen() != "rating_ask":
        msg = k.widget("rating.msg")
        return k.screen(), msg and msg["label"]
    for i, f in enumerate(faces):
        step = k.widget("rating.step")["label"]
        if not t.ok(str(i + 1) in step and step.endswith("5"), "question %d of 5 says so" % (i + 1), step):
            break
        if shots and i == 0:
            k.must("shot %s/rating-ask-%s.png" % (SHOTS, shots))
            t.eq(clipped(k), [], "the question screen clips nothing (%s)" % shots)
        k.must("tap rating.face.%d" % f)
    t.eq(k.screen(), "rating_comment", "after five answers, the optional comment")
    if comment:
        k.must("type " + comment)
    if shots:
        k.must("shot %s/rating-comment-%s.png" % (SHOTS, shots))
        t.eq(clipped(k), [], "the comment screen clips nothing (%s)" % shots)
    k.must("tap rating.send")
    if shots:
        k.must("shot %s/rating-done-%s.png" % (SHOTS, shots))
        t.eq(clipped(k), [], "the last screen clips nothing (%s)" % shots)
    return k.screen(), k.widget("rating.result")["label"]


screen, said = rate(k, label.lower(), comment="Cans booj taanj tinhf", shots="vi-800")
t.ok(screen == "rating_done" and "Cảm ơn" in said, "a ticket of the day is rated", (screen, said))
k.must("tap rating.done")
t.eq(k.screen(), "home", "done leads home")
screen, said = rate(k, label)
t.ok(screen == "rating_entry" and said and "đã được đánh giá" in said,
     "the same ticket again is refused before any question, saying why", (screen, said))
k.must("tap back")
k.must("tap back")
screen, said = rate(k, "A999")
t.ok(screen == "rating_entry" and said and "Không tìm thấy" in said, "an unknown ticket is refused", (screen, said))
k.must("tap back")
k.must("tap back")

# A receipt code, typed as on the receipt.
d, _ = file_request(k, "petition", tag="rating")
code = shown_code(d)
k.must("tap receipt.done")
screen, said = rate(k, code, faces=(1, 1, 1, 2, 1))
t.ok(screen == "rating_done" and "Cảm ơn" in said, "a receipt code is rated", (screen, said))
k.must("tap rating.done")
screen, said = rate(k, code)
t.ok(screen == "rating_entry" and "đã được đánh giá" in (said or ""), "the same code again is refused", (screen, said))
k.must("tap back")
k.must("tap back")

# Neither: counted apart, at most three a minute.
results = []
for i in range(4):
    screen, said = rate(k, None, faces=(2, 2, 2, 2, 2))
    results.append(screen)
    if screen == "rating_done": k.must("tap rating.done")
    else: k.must("tap back")
t.eq(results, ["rating_done"] * 3 + ["rating_how"], "three ratings with neither a minute, the fourth refused")
t.ok("phút" in (said or ""), "the refusal says to try again in a few minutes", said)

# Nothing typed stays on the screens of the next visit.
k.must("tap home.rating")
k.must("tap rating.with")
t.eq(k.widget("rating.entry")["label"], "", "the next visit's entry is empty")
k.must("tap back")
k.must("tap back")
rc, err = k.close()
t.eq(rc, 0, "the kiosk exits cleanly")

con = sqlite3.connect(os.path.join(data, "request.db"))
rows = con.execute("SELECT kind, field, reception, time, attitude, result, overall, comment FROM rating ORDER BY id").fetchall()
con.close()
t.eq([r[0] for r in rows], [1, 2, 0, 0, 0], "the store holds one ticket's, one request's and three with neither")
t.eq(rows[0][1:], ("hotich", 3, 3, 2, 3, 3, "Cán bộ tận tình"), "the ticket's answers and the comment, through Telex")
t.eq(rows[1][2:7], (1, 1, 1, 2, 1), "the code's answers")
t.ok(code not in open(os.path.join(data, "request.db"), "rb").read().decode("latin-1"), "the receipt code is not in the file")

# The screens at the other size and in English.
cfg2, data2 = make_config(language="en")
k = Kiosk(cfg2, size="1920x1080")
screen, said = rate(k, None, comment="Quick and kind", shots="en-1920")
t.ok(screen == "rating_done" and "Thank you" in said, "in English at 1920x1080", (screen, said))
k.must("tap rating.done")
k.must("tap home.rating")
k.must("tap rating.with")
k.must("type A001")
k.must("tap rating.next")
t.ok("No such" in (k.widget("rating.msg") or {}).get("label", ""), "an unknown ticket, said in English")
k.must("shot %s/rating-entry-unknown-en-1920.png" % SHOTS)
k.close()
cfg3, _ = make_config(language="en")
k = Kiosk(cfg3)
rate(k, None, shots="en-800")
k.close()
cfg4, _ = make_config()
k = Kiosk(cfg4, size="1920x1080")
rate(k, None, shots="vi-1920")
k.close()
t.done()
