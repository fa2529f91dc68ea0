"""The kiosk's "text me" tick, end to end: on the review screen when the
citizen gave a phone, off until tapped, explained on a denunciation, absent
without a phone; the choice is sealed with the request and, once synced,
the server's store holds sms_ok for exactly the requests whose filer
ticked yes (the server sends messages for those alone, t_sms.py)."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosk as K
from kiosk import Tap, Kiosk, TYPED
from e2e import Server, kiosk_config, register, sync

t = Tap()
srv = Server().serve()
cfg, data = kiosk_config(srv)
register(srv, cfg)
k = Kiosk(cfg)


def to_review(category, phone=True):
    k.must("tap home.file")
    k.must("tap category." + category)
    for w in k.dump()["widgets"]:
        if w["id"].startswith("form.field."):
            name = w["id"][len("form.field."):]
            if name == "phone" and not phone:
                continue
            k.must("tap " + w["id"])
            k.must("type " + TYPED[name][0])
    k.must("tap form.next")
    t.eq(k.screen(), "review", "%s: the form reaches review" % category)
    K.review_to_end(k)   # the tick is beside Send, on the last page


def submit(taps):
    for _ in range(taps):
        k.must("tap review.sms")
    k.must("tap review.submit")
    rid = k.dump()
    rid = [w["label"] for w in rid["widgets"] if w["id"] == "receipt.id"][0].split(": ")[-1]
    k.must("tap receipt.done")
    return rid


to_review("petition")
tick = k.widget("review.sms")
t.ok(tick is not None and "Không" in tick["label"], "with a phone: the tick is there, off", tick)
t.ok(tick["h"] >= 56 and tick["w"] >= 56, "the tick is a full touch target (9 mm)", tick)
k.must("tap review.sms")
t.ok("Có" in k.widget("review.sms")["label"], "a tap turns it on", k.widget("review.sms"))
k.must("tap review.edit")
k.must("tap form.next")
K.review_to_end(k)
t.ok("Không" in k.widget("review.sms")["label"], "back from editing, it is off again until ticked")
petition_yes = submit(1)

to_review("petition")
petition_no = submit(2)                 # on, then off again

to_review("denunciation")
tick = k.widget("review.sms")
t.ok("Không" in tick["label"] and "tố cáo" in tick["label"],
     "a denunciation: off, and says what a message could reveal", tick)
denounce_no = submit(0)
to_review("denunciation")
denounce_yes = submit(1)

to_review("reflection", phone=False)
t.eq(k.widget("review.sms"), None, "no phone given: no tick")
reflection = submit(0)
k.close()

k = Kiosk(cfg, size="1920x1080")
to_review("denunciation")
tick = k.widget("review.sms")
t.ok(tick and not tick.get("clipped"), "1920x1080: the tick's words fit", tick)
k.close()

t.eq(sync(cfg).returncode, 0, "the kiosk syncs")
con = srv.db()
end = time.time() + 10
while time.time() < end and con.execute("SELECT count(*) FROM request WHERE find_state = 0").fetchone()[0]:
    time.sleep(0.2)
got = {r[0]: int(r[1]) for r in con.execute("SELECT id, sms_ok FROM request").fetchall()}
con.close()
t.eq((got.get(petition_yes), got.get(petition_no), got.get(denounce_no), got.get(denounce_yes), got.get(reflection)),
     (1, 0, 0, 1, 0), "the server's sms_ok follows each filer's tick (petition yes/no, denunciation no/yes, no phone)")
srv.stop()
t.done()
