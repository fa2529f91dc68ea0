"""What t_readable and the screens' own readability tests measure on a
screen the kiosk shows now: nothing clipped (by the renderer's own line
breaking), nothing off the screen, every touch target 9 mm both ways, every
text 4.5:1 on its ground and every control's edge 3:1 (on the screenshot's
pixels), and every font's capitals at its size: 3 mm for every text, 4 mm
for the large font (what to do next, the office's note), the code and the
status word. check(t, k, name) runs them all on the kiosk k."""
import os
import pngread
from kiosk import SHOTS

# The long answers the screens are held to, typed in Telex: a 120-character
# address of before the 2025 mergers (Xóm 4, thôn Đông Phù, xã Phù Lãng,
# huyện Quế Võ, ...) and a 530-character description.
LONG_ADDRESS = ("Xoms 4, thoon Ddoong Phuf, xax Phuf Langx, huyeenj Quees Vox, "
                "tinhr Bawcs Ninh (nay laf xax Phuf Langx, tinhr Bawcs Ninh), gaanf nhaf vawn hoas thoon")
DETAILS = ("Ddoanj dduwowngf lieen thoon tuwf ngax ba Ddoong Phuf ddeens truwowngf tieeur hocj bij suts luns "
           "nawngj, cos nhieeuf oor gaf sa, trowif muwa nuwowcs ddoongj ngaapj ddeens ddaauf gois. "
           "Hocj sinh ddi hocj phari loijo nuwowcs, ddax cos hai chaus bij ngax. Xe chowr vaatj lieeuj "
           "xaay duwngj ddi laij nhieeuf laafn trong ngayf lafm ddwowngf caangf hown. Ddeef nghij xax "
           "sowms kieemr tra, suwar chuwax vaf lawps ddeen bieen ddeer nguwowif daan ddi laij an toanf. "
           "Chungs tooi sawnx sangf goops coong suwcs neeus caanf, xin caramr own caacs caans booj xax. "
           "Neeus caanf, chungs tooi cos theer ddoongs gops ngayf coong ddeer cungf lafm. Ddeef nghij xax thoong baos "
           "lichj suwar chuwax cho baf con trong thoon bieets. Xin chaan thanhf camr own.")
# What the tests type into each field instead of its short answer (typed
# in place of it, not after it).
LONG_ANSWERS = {"address": LONG_ADDRESS, "details": DETAILS}

OUT = os.path.join(SHOTS, "readable")
os.makedirs(OUT, exist_ok=True)
TARGET_KINDS = {"button", "tab", "key", "input"}
SHOWN_ONLY = {"pin.display"}   # drawn as an input, but nothing happens on a tap
# The least cap height of each font, in millimetres (docs/readable.md).
CAP_MM = {"small": 3.0, "body": 3.0, "title": 3.0, "large": 4.0, "code": 4.0, "huge": 4.0}


def mm(px, d):
    return px / d["px_per_mm"]


def pixel(rows, x, y):
    r = rows[y]
    return tuple(r[3 * x:3 * x + 3])


def text_contrast(rows, w, W, H):
    """The ground (the commonest colour in the box) against the ink (of the
    colours there, the one farthest from the ground in luminance)."""
    counts = {}
    x0, y0 = max(0, w["x"]), max(0, w["y"])
    x1, y1 = min(W, w["x"] + w["w"]), min(H, w["y"] + w["h"])
    step = 1 if (x1 - x0) * (y1 - y0) < 60000 else 2
    for y in range(y0, y1, step):
        for x in range(x0, x1, step):
            p = pixel(rows, x, y)
            counts[p] = counts.get(p, 0) + 1
    if not counts:
        return None
    ground = max(counts, key=counts.get)
    lg = pngread.luminance(ground)
    ink = max(counts, key=lambda p: abs(pngread.luminance(p) - lg))
    return pngread.contrast(ground, ink)


def edge_contrast(rows, w, W, H):
    """A control's edge against what is just outside it, on the side that
    has an outside (left, right, top, bottom): the best-seen side counts,
    as a finger needs one edge to find it."""
    best = 0
    cy, cx = w["y"] + w["h"] // 2, w["x"] + w["w"] // 2
    for (ix, iy), (ox, oy) in (((w["x"], cy), (w["x"] - 2, cy)), ((w["x"] + w["w"] - 1, cy), (w["x"] + w["w"] + 1, cy)),
                               ((cx, w["y"]), (cx, w["y"] - 2)), ((cx, w["y"] + w["h"] - 1), (cx, w["y"] + w["h"] + 1))):
        if 0 <= ox < W and 0 <= oy < H and 0 <= ix < W and 0 <= iy < H:
            best = max(best, pngread.contrast(pixel(rows, ix, iy), pixel(rows, ox, oy)))
    return best


def check(t, k, name):
    """Every measurement on the screen k shows now; name says which."""
    path = os.path.join(OUT, name + ".png")
    k.must("shot " + path)
    d = k.dump()
    W, H, rows = pngread.read(path)
    bad_clip, bad_off, bad_target, bad_text, bad_edge = [], [], [], [], []
    for w in d["widgets"]:
        if w.get("clipped"):
            bad_clip.append((w["id"], w["label"][:40]))
        if w["x"] < 0 or w["y"] < 0 or w["x"] + w["w"] > W or w["y"] + w["h"] > H:
            bad_off.append(w["id"])
        if w["kind"] in TARGET_KINDS and w["enabled"] and w["id"] not in SHOWN_ONLY:
            if min(mm(w["w"], d), mm(w["h"], d)) < 9.0 - 1e-6:
                bad_target.append((w["id"], round(mm(w["w"], d), 1), round(mm(w["h"], d), 1)))
        if w["kind"] != "qr" and w["label"].strip() and w["w"] > 4 and w["h"] > 4:
            c = text_contrast(rows, w, W, H)
            if c is not None and c < 4.5:
                bad_text.append((w["id"], round(c, 2)))
        if w["kind"] in TARGET_KINDS and w["enabled"]:
            e = edge_contrast(rows, w, W, H)
            if e < 3.0:
                bad_edge.append((w["id"], round(e, 2)))
    t.eq(bad_clip, [], "%s: no text clipped" % name)
    t.eq(bad_off, [], "%s: nothing off the screen" % name)
    caps(t, d, name)
    t.eq(bad_target, [], "%s: every touch target 9 mm both ways" % name)
    t.eq(bad_text, [], "%s: every text 4.5:1 on its ground" % name)
    t.eq(bad_edge, [], "%s: every control's edge 3:1" % name)
    return d


def caps(t, d, name):
    """The capitals of every text, in millimetres: printed for the record
    and held to CAP_MM."""
    seen = sorted({round(mm(w["cap_px"], d), 2) for w in d["widgets"] if "cap_px" in w})
    print("# %s: cap heights %s mm" % (name, seen))
    short = sorted({(w["id"], w["font"], round(mm(w["cap_px"], d), 2)) for w in d["widgets"]
                    if "cap_px" in w and w["label"].strip() and w.get("font") in CAP_MM
                    and mm(w["cap_px"], d) < CAP_MM[w["font"]] - 1e-6})
    t.eq(short, [], "%s: every text 3 mm, the large text, the code and the status word 4 mm" % name)
    for font in ("small", "body", "large", "title", "code"):
        got = sorted({round(mm(w["cap_px"], d), 2) for w in d["widgets"] if w.get("font") == font})
        if got:
            print("# %s: %s %s mm" % (name, font, got))
    code = [w for w in d["widgets"] if w["id"] == "receipt.code"]
    for w in code:
        t.ok(mm(w["cap_px"], d) >= 4.0, "%s: the receipt code's capitals are 4 mm" % name, w)


def review_filled(t, dumps, name):
    """Review's pages (dumps, one a page) leave no page half empty before a
    long answer: one that goes on over the next page (review.X.1) starts
    on the page before when a row is left there (under the last row, above
    the last page's tick or the buttons, the least room a page has: the pad
    is Edit's left margin, a row the shortest value's height)."""
    def values(d):
        return [w for w in d["widgets"] if w["id"].startswith("review.") and not w["id"].endswith(".label")
                and not w["id"].startswith("review.page") and w["id"] not in ("review.edit", "review.submit", "review.sms")]
    last = {w["id"]: w for w in dumps[-1]["widgets"]}
    pad = last["review.edit"]["x"]
    bottom = (last["review.sms"] if "review.sms" in last else last["review.edit"])["y"] - pad
    row = min(w["h"] for d in dumps for w in values(d))
    ids = {w["id"] for d in dumps for w in values(d)}
    bad = []
    for p in range(len(dumps) - 1):
        if not values(dumps[p]) or not values(dumps[p + 1]):
            continue
        free = bottom - max(w["y"] + w["h"] for w in values(dumps[p]))
        first = min(values(dumps[p + 1]), key=lambda w: w["y"])
        if first["id"].count(".") == 1 and first["id"] + ".1" in ids and free >= row + pad // 2:
            bad.append((p + 1, first["id"], free, row))
    t.eq(bad, [], "%s: a long answer starts on the page before it when a row is left there" % name)
