"""Text a person can read on the form, its keyboard, review and receipt, at
800x480 and 1920x1080, in Vietnamese and English, with normal and larger
text, with long answers (a 530-character description, a long address):
readable.check on each (nothing clipped by the renderer's own line
breaking, nothing off the screen, every touch target 9 mm both ways,
contrast, capitals held to their sizes). The form is seen on every field's
tab, with the keyboard in every mode (letters, Shift, digits, Telex, VNI,
under the notice), with its message; review on every page; the receipt
alone and with the idle countdown's bar, which leaves the QR, the code and
every receipt line whole. Every category's form and every procedure's is
named whole in its title bar."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, make_config, tap_category, TYPED, ROOT
from readable import check as check_on, LONG_ANSWERS, review_filled

t = Tap()
# The long answers of t_readable.
# The title bar (its title, Back, the language, the bar's action and the
# aids) is the bar's own, held by t_readable: this test holds what the
# form, review and receipt draw under it.
BAR = ("title", "back", "lang", "form.next")


class UnderBar:
    """t, with the bar's widgets left out of the lists check() compares."""
    def __getattr__(self, name):
        return getattr(t, name)

    def eq(self, got, want, desc):
        if isinstance(got, list):
            got = [g for g in got if (g[0] if isinstance(g, tuple) else g) not in BAR
                   and not str(g[0] if isinstance(g, tuple) else g).startswith("aid.")]
        return t.eq(got, want, desc)


def check(k, name):
    return check_on(UnderBar(), k, name)


def tap_key(k, name):
    k.must("tap kb." + name)


def apart(a, b):
    """1 if the boxes a and b do not overlap."""
    return (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or
            a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])


def form_message_apart(k, name):
    """The form's message stands apart from the input and the keys."""
    d = k.dump()
    ws = {w["id"]: w for w in d["widgets"]}
    msg = ws.get("form.error")
    if not msg:
        return
    over = [w["id"] for w in d["widgets"] if (w["id"] == "form.input" or w["id"].startswith("kb."))
            and w["id"] != "kb" and not apart(msg, w)]
    t.eq(over, [], "%s: the form's message covers neither the input nor the keys" % name)


CATALOG = json.load(open(os.path.join(ROOT, "assets", "catalog.json"), encoding="utf-8"))


def titles(k, tag, lang, larger):
    """Each form's title bar names its category or procedure whole (a fragment
    such as "Peti…" is not a name), unclipped: opened from home, a visit
    each."""
    forms = [(c["id"], None, c["name"][lang]) for c in CATALOG["categories"] if c["id"] != "procedure"]
    forms += [("procedure", p["id"], p["name"][lang]) for p in CATALOG["procedures"]]
    bad, unsaid, cut = [], [], []
    for category, procedure, name in forms:
        if larger:
            k.must("tap home.larger")
        k.must("tap home.file")
        tap_category(k, category)
        if procedure:
            while k.widget("procedure." + procedure) is None:
                k.must("tap procedure.page_next")
            k.must("tap procedure." + procedure)
            if k.screen() == "guide":
                k.must("tap guide.continue")
        title = k.widget("title")
        if k.screen() != "form" or title is None or title["label"] != name or title.get("clipped"):
            bad.append((procedure or category, title and title["label"]))
        # What the law says over the identity fields stands at every size,
        # whole or in its short form.
        said = [c for c in CATALOG["categories"] if c["id"] == category and "notice" in c]
        notice = k.widget("form.notice")
        if said and (notice is None or notice.get("clipped") or
                     notice["label"] not in (said[0]["notice"][lang], said[0].get("notice_short", {}).get(lang))):
            unsaid.append((category, notice and notice["label"]))
        cut += [(procedure or category, w["id"]) for w in k.dump()["widgets"] if w.get("clipped")]
        while k.screen() != "home":
            k.must("tap back")
    t.eq(bad, [], "every form's title bar names its category or procedure whole (%s)" % tag)
    t.eq(unsaid, [], "every category's notice stands over its identity fields, unclipped (%s)" % tag)
    t.eq(cut, [], "every form opens with nothing clipped (%s)" % tag)


def to_field(k, name):
    """The field name focused: by its tab, or where the tabs gave way (the
    title's row and the form's message over the keyboard, in larger text),
    with the keyboard's Next from a field before it."""
    if k.widget("form.field." + name):
        k.must("tap form.field." + name)
        return
    for _ in range(10):
        if k.dump()["focus"] == name:
            return
        k.must("tap kb.enter")
    raise RuntimeError("Next does not reach the field %s" % name)


def walk(size, lang, larger):
    tag = "%s-%s%s" % (lang, size, "-larger" if larger else "")
    cfg, data = make_config(language=lang)
    k = Kiosk(cfg, size=size)
    titles(k, tag, lang, larger)
    if larger:
        k.must("tap home.larger")
    k.must("tap home.file")
    # The notice over the identity fields, in Telex and in VNI.
    tap_category(k, "denunciation")
    check(k, "fnotice-%s" % tag)
    tap_key(k, "ime_vni")
    check(k, "fnotice-vni-%s" % tag)
    tap_key(k, "layer")
    check(k, "fnotice-vni-123-%s" % tag)
    tap_key(k, "layer")
    tap_key(k, "ime_telex")
    k.must("tap back")
    tap_category(k, "petition")
    d = k.dump()
    tabs = [w["id"] for w in d["widgets"] if w["id"].startswith("form.field.")]
    for wid in tabs:
        k.must("tap " + wid)
        check(k, "form-%s-%s" % (wid[11:], tag))
    k.must("tap form.field.full_name")
    tap_key(k, "shift")
    check(k, "form-shift-%s" % tag)
    tap_key(k, "shift")
    tap_key(k, "layer")
    check(k, "form-123-%s" % tag)
    tap_key(k, "layer")
    tap_key(k, "ime_vni")
    check(k, "form-vni-%s" % tag)
    tap_key(k, "ime_telex")
    # The message of an empty form, then every field filled.
    k.must("tap form.next")
    check(k, "form-error-%s" % tag)
    form_message_apart(k, "form-error-%s" % tag)
    # Every field in turn, the address and the description with the long
    # answers (where the message leaves the tabs no room, with Next).
    for wid in tabs:
        name = wid[11:]
        if name in TYPED:
            to_field(k, name)
            k.must("type " + LONG_ANSWERS.get(name, TYPED[name][0]))
            if name in LONG_ANSWERS:
                check(k, "form-%s-long-%s" % (name, tag))
    k.must("tap form.next")
    t.eq(k.screen(), "review", "the long petition reaches review (%s)" % tag)
    pages, dumps = 0, []
    while pages < 12:
        dumps.append(check(k, "review-%d-%s" % (pages, tag)))
        pages += 1
        if not k.widget("review.page.more"):
            break
        k.must("tap review.page.more")
    t.ok(k.widget("review.submit") is not None, "Send on review's last page (%s, %d pages)" % (tag, pages))
    review_filled(t, dumps, "review-" + tag)
    k.must("tap review.submit")
    d = check(k, "receipt-%s" % tag)
    lines = [w["id"] for w in d["widgets"] if w["id"].startswith("receipt.") and w["id"] != "receipt.done"]
    k.must("advance 90")
    t.eq((k.screen(), k.widget("idle.message")), ("receipt", None), "past the idle timeout, the receipt stays, unwarned (%s)" % tag)
    k.must("advance 16")
    d = check(k, "receipt-idle-%s" % tag)
    ws = {w["id"]: w for w in d["widgets"]}
    bar = [ws[wid] for wid in ("idle.message", "idle.continue") if wid in ws]
    t.eq(len(bar), 2, "the idle bar counts down over the receipt (%s)" % tag)
    over = [(b["id"], wid) for b in bar for wid in lines if wid in ws and not apart(b, ws[wid])]
    t.eq(over, [], "the idle bar covers no receipt line, nor the QR or the code (%s)" % tag)
    t.eq(k.screen(), "receipt", "the receipt stays at 1:46 (%s)" % tag)
    t.ok(ws.get("receipt.qr") and ws.get("receipt.code") and ws.get("receipt.deadline") and ws.get("receipt.id"),
         "the QR, the code and the receipt's lines still shown (%s)" % tag)
    k.must("advance 15")
    t.eq(k.screen(), "home", "at two minutes the receipt goes (%s)" % tag)
    k.close()


# FORM_WALK=800x480,vi,1 walks one of them (while working on a layout).
only = os.environ.get("FORM_WALK")
for size in ("800x480", "1920x1080"):
    for lang in ("vi", "en"):
        for larger in (False, True):
            if not only or only == "%s,%s,%d" % (size, lang, larger):
                walk(size, lang, larger)
t.done()
