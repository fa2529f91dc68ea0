"""Text a person can read on the screens around home, at 800x480 and
1920x1080, in Vietnamese and English, with normal and with larger text:
home (with the commune's on-time rate), the categories (with the next
conference on the dialogue button), the procedure list's pages, the
cannot-accept screen, the guidance list and every procedure's guide page
after page, the queue-number screens (fields, kind, the number taken) and
the satisfaction rating's screens (how, the entry with a refusal, a
question, the comment with a long one typed, thanks). On each, readable's
check: nothing clipped, nothing off the screen, every touch target 9 mm,
contrast, and every font's capitals at its size. Also what issue 17 asks
of home: the big buttons keep their large text in larger text, their hints
sit inside them without overlapping their words, the categories' hints
whole, the guide's parts never overlapping."""
import json, os, sqlite3, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, make_config, ROOT, file_request
from readable import check as check_on

t = Tap()
catalog = json.load(open(os.path.join(ROOT, "assets/catalog.json"), encoding="utf-8"))
PROCS = [p["id"] for p in catalog["procedures"]]
COMMENT = ("Caacs cans booj tieeps ddoons raats taanj tinhf, huwowngs daaxn ddaay ddur giaays towf "
           "vaf hener ngayf trar keets quar roox rafng; nhuwng phongf chowf hown cher, neen cos theem ghees "
           "cho nguwowif giaf vaf phuj nuwx mang thai.")


def check(k, name):
    return check_on(t, k, name)


def ws(d):
    return {w["id"]: w for w in d["widgets"]}


def inside(a, b):
    return a["x"] >= b["x"] and a["y"] >= b["y"] and a["x"] + a["w"] <= b["x"] + b["w"] and a["y"] + a["h"] <= b["y"] + b["h"]


def overlap(a, b):
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def apart(d, prefix, tag):
    """No two texts of the screen, starting with prefix, overlap."""
    texts = [w for w in d["widgets"] if w["id"].startswith(prefix) and w["kind"] in ("label", "qr")]
    bad = [(a["id"], b["id"]) for i, a in enumerate(texts) for b in texts[i + 1:] if overlap(a, b)]
    t.eq(bad, [], "%s: no two of its texts overlap" % tag)


def start(k, larger):
    """At home: larger text for the visit when asked."""
    t.eq(k.screen(), "home", "back home")
    if larger:
        k.must("tap home.larger")


def store_sync(data):
    """The store as a sync leaves it: the commune's figures and the next conference."""
    year = time.gmtime().tm_year
    at = int(time.time()) + 9 * 86400
    con = sqlite3.connect(os.path.join(data, "request.db"))
    con.execute("INSERT INTO meta(key, value) VALUES('stats.year', ?), ('stats.resolved', '40'), ('stats.on_time', '39')",
                (str(year),))
    con.execute("INSERT INTO conference(id, at, place, leaders, topic) VALUES(1, ?, ?, ?, ?)",
                (at, "Hội trường Ủy ban nhân dân xã Phù Lãng", "Chủ tịch và Phó Chủ tịch UBND xã",
                 "Giải phóng mặt bằng đường liên thôn"))
    con.commit()
    con.close()


def home(k, tag, larger):
    d = check(k, "home-" + tag)
    w = ws(d)
    for b in ("home.file", "home.lookup"):
        t.eq(w[b]["font"], "large", "%s keeps the large font (%s)" % (b, tag))
        hint = w[b + ".hint"]
        t.ok(inside(hint, w[b]), "%s's hint is inside its button (%s)" % (b, tag), (hint, w[b]))
    t.ok("home.rate" in w, "home shows the on-time rate (%s)" % tag)
    for wid in ("home.help", "home.larger", "home.rate"):
        for b in ("home.file", "home.lookup", "home.ticket", "home.guide", "home.rating"):
            if wid in w and b in w:
                t.ok(not overlap(w[wid], w[b]), "%s and %s apart (%s)" % (wid, b, tag))
    return d


def walk(size, lang, larger):
    tag = "%s-%s%s" % (lang, size, "-larger" if larger else "")
    cfg, data = make_config(language=lang)
    k = Kiosk(cfg, size=size)
    k.dump()
    store_sync(data)
    k.must("tap home.lookup")     # home is built afresh, from the store
    k.must("tap back")
    start(k, larger)
    d = home(k, tag, larger)
    normal_cap = None
    if larger:
        t.ok(abs(d["text_scale"] - 1.2) < 1e-6, "larger text for the visit (%s)" % tag)
    # The categories, the conference on the dialogue button.
    k.must("tap home.file")
    w = {}
    for page in range(4):
        d = check(k, "category-%d-%s" % (page, tag))
        w.update(ws(d))
        for wid, x in ws(d).items():
            if wid.startswith("category.") and wid.endswith(".hint"):
                t.ok(inside(x, w[wid[:-5]]), "%s inside its button (%s)" % (wid, tag))
        nxt = k.widget("category.page_next")
        if not nxt or not nxt["enabled"]:
            break
        k.must("tap category.page_next")
    t.ok(all("category.%s" % c["id"] in w for c in catalog["categories"]), "every category shown (%s)" % tag)
    t.ok("category.dialogue.hint" in w and "/" in w["category.dialogue.hint"]["label"],
         "the dialogue button names the conference (%s)" % tag)
    while k.widget("category.page_prev") and k.widget("category.page_prev")["enabled"]:
        k.must("tap category.page_prev")
    # The procedure list, every page.
    k.must("tap category.procedure")
    for page in range(6):
        check(k, "procedure-%d-%s" % (page, tag))
        nxt = k.widget("procedure.page_next")
        if not nxt or not nxt["enabled"]:
            break
        k.must("tap procedure.page_next")
    k.must("tap back")
    k.must("tap back")
    # Guidance: the list, every page, and every guide, every page.
    start(k, larger)
    k.must("tap home.guide")
    for page in range(6):
        check(k, "guide-list-%d-%s" % (page, tag))
        nxt = k.widget("guide.proc.page_next")
        if not nxt or not nxt["enabled"]:
            break
        k.must("tap guide.proc.page_next")
    for page in range(6):
        if not k.widget("guide.proc.page_prev") or not k.widget("guide.proc.page_prev")["enabled"]:
            break
        k.must("tap guide.proc.page_prev")
    for pid in PROCS:
        for _ in range(6):
            if k.widget("guide.proc." + pid):
                break
            k.must("tap guide.proc.page_next")
        k.must("tap guide.proc." + pid)
        for page in range(6):
            d = check(k, "guide-%s-%d-%s" % (pid, page, tag))
            apart(d, "guide.", "guide %s page %d (%s)" % (pid, page, tag))
            if not k.widget("guide.page.more"):
                break
            k.must("tap guide.page.more")
        k.must("tap back")
    k.must("tap back")
    # Queue numbers.
    start(k, larger)
    k.must("tap home.ticket")
    for page in range(4):
        check(k, "ticket-%d-%s" % (page, tag))
        nxt = k.widget("ticket.field.page_next")
        if not nxt or not nxt["enabled"]:
            break
        k.must("tap ticket.field.page_next")
    while not k.widget("ticket.field.xahoi") and k.widget("ticket.field.page_prev"):
        k.must("tap ticket.field.page_prev")
    k.must("tap ticket.field.xahoi")
    check(k, "ticket-kind-" + tag)
    k.must("tap ticket.priority")
    d = check(k, "ticket-done-" + tag)
    number = ws(d)["ticket.number"]["label"]
    k.must("tap ticket.done")
    # The rating: the entry refused once, then a ticket rated with a comment.
    start(k, larger)
    k.must("tap home.rating")
    check(k, "rating-how-" + tag)
    k.must("tap rating.with")
    k.must("type A999")
    k.must("tap rating.next")
    t.ok(k.widget("rating.msg") is not None, "an unknown ticket is refused (%s)" % tag)
    check(k, "rating-entry-" + tag)
    k.must("key BackSpace")
    k.must("key BackSpace")
    k.must("key BackSpace")
    k.must("key BackSpace")
    k.must("type " + number.lower())
    k.must("tap rating.next")
    t.eq(k.screen(), "rating_ask", "the ticket is taken for a rating (%s)" % tag)
    check(k, "rating-ask-" + tag)
    for f in (3, 2, 3, 1, 3):
        k.must("tap rating.face.%d" % f)
    k.must("type " + COMMENT)
    check(k, "rating-comment-" + tag)
    k.must("tap rating.send")
    check(k, "rating-done-" + tag)
    k.must("tap rating.done")
    # Five ratings without a number: the fourth is refused, with the reason over the choice.
    for i in range(4):
        start(k, larger)
        k.must("tap home.rating")
        k.must("tap rating.without")
        if k.screen() != "rating_ask":
            break
        for f in (2, 2, 2, 2, 2):
            k.must("tap rating.face.%d" % f)
        k.must("tap rating.send")
        k.must("tap rating.done")
    t.ok(k.widget("rating.msg") is not None, "the fourth without a number is refused (%s)" % tag)
    check(k, "rating-how-refused-" + tag)
    k.must("tap back")
    # The cannot-accept screen, with "try again": a request filed, then the store spoilt.
    start(k, larger)
    file_request(k, "petition", tag="readable-home-" + tag)
    k.must("tap receipt.done")
    with open(os.path.join(data, "request.db"), "r+b") as f:
        f.write(b"\0" * 4096)
    start(k, larger)
    file_request(k, "petition", tag="readable-home-spoilt-" + tag)
    t.eq(k.screen(), "error", "a spoilt store: cannot accept now (%s)" % tag)
    d = check(k, "error-" + tag)
    t.ok("error.retry" in ws(d), "with a way to try again (%s)" % tag)
    k.close()
    # No server key: cannot accept before anything is typed.
    cfg, data = make_config(language=lang, key=False)
    k = Kiosk(cfg, size=size)
    start(k, larger)
    k.must("tap home.file")
    t.eq(k.screen(), "error", "no key: cannot accept (%s)" % tag)
    check(k, "error-nokey-" + tag)
    k.close()


for size in ("800x480", "1920x1080"):
    for lang in ("vi", "en"):
        for larger in (False, True):
            walk(size, lang, larger)
t.done()
