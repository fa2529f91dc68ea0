"""Text a person can read, at 800x480 and 1920x1080, in Vietnamese and
English, on home, the categories, the form, lookup and the PIN pad:
nothing clipped (the renderer's own line breaking decides), nothing off
the screen, every touch target 9 mm both ways (px per mm from panel_mm or
the 7-inch default), every text 4.5:1 against its ground and every
control's edge 3:1, measured on the screenshot's pixels; the capitals'
heights are printed for the record. Also the larger-text choice on home,
the panel_mm key and its error, and the form's fixes (one way forward
each, "optional" once, "please correct" gone once corrected, the PIN
pad's delete key in words)."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, make_config, KIOSK, TYPED, add_server_events
import sqlite3
from readable import check as check_on, LONG_ANSWERS, review_filled
import subprocess

t = Tap()
PIN = "246813"
PIN_HASH = subprocess.run([KIOSK, "hash-pin"], input=PIN + "\n", capture_output=True, text=True).stdout.strip().split("=", 1)[-1].strip()

NOTE = ("Cán bộ địa chính sẽ đến kiểm tra con đường vào sáng thứ Năm tuần sau; xin ông bà có mặt ở nhà văn hoá "
        "thôn lúc 8 giờ và mang theo giấy tờ nhà đất nếu có. ") * 3


def check(k, name):
    return check_on(t, k, name)


def labels(d):
    return {w["id"]: w["label"] for w in d["widgets"]}


def type_field(k, name, text):
    k.must("tap form.field." + name)
    k.must("type " + text)


def walk(size, lang):
    tag = "%s-%s" % (lang, size)
    cfg, data = make_config(language=lang, extra_kiosk="staff_pin = " + PIN_HASH)
    k = Kiosk(cfg, size=size)
    d = check(k, "home-" + tag)
    t.ok(not any(w["id"] == "home.kiosk" for w in d["widgets"]), "home does not show the kiosk's number (%s)" % tag)
    k.must("tap home.larger")
    d = k.dump()
    t.ok(abs(d["text_scale"] - 1.2) < 1e-6, "larger text is chosen for the visit (%s)" % tag, d["text_scale"])
    t.ok(all(w["cap_px"] > 0 for w in d["widgets"] if "cap_px" in w), "fonts reopened for larger text (%s)" % tag)
    small = {w["id"]: w["cap_px"] for w in k.must("tap home.larger") and k.dump()["widgets"] if "cap_px" in w}
    k.must("tap home.larger")
    big = {w["id"]: w["cap_px"] for w in k.dump()["widgets"] if "cap_px" in w}
    t.ok(all(big[i] > small[i] for i in small if i in big), "every text on home is larger with larger text (%s)" % tag,
         [(i, small[i], big.get(i)) for i in small])
    k.must("tap home.file")
    t.ok(abs(k.dump()["text_scale"] - 1.2) < 1e-6, "larger text stays for the visit (%s)" % tag)
    k.must("tap back")
    t.eq(k.dump()["text_scale"], 1.0, "back home starts a new visit at the usual size, as with the language (%s)" % tag)
    k.must("tap home.file")
    check(k, "category-" + tag)
    k.must("tap category.petition")
    d = check(k, "form-" + tag)
    # English's two ways forward say different things; Vietnamese's did.
    ls = labels(d)
    t.ok(ls["form.next"] != ls["kb.enter"], "the bar's way forward and the Next key differ (%s)" % tag, (ls["form.next"], ls["kb.enter"]))
    k.must("tap form.next")
    d = k.dump()
    t.ok(labels(d).get("form.error"), "an empty form asks for corrections (%s)" % tag)
    # Correct every field, the address and the description with the long
    # answers: the request to correct goes with the last.
    for w in d["widgets"]:
        name = w["id"][11:]
        if w["id"].startswith("form.field.") and name in TYPED:
            type_field(k, name, LONG_ANSWERS.get(name, TYPED[name][0]))
    t.eq(labels(k.dump()).get("form.error"), None, "once corrected, no 'please correct' stays (%s)" % tag)
    # Long answers: review shows them whole, a page at a time.
    d = k.dump()
    address = next(w for w in d["widgets"] if w["id"] == "form.field.address")["value"]
    details = next(w for w in d["widgets"] if w["id"] == "form.field.details")["value"]
    t.ok(len(details) >= 530 and len(address) >= 120, "a 530-character description and a 120-character address typed (%s)" % tag,
         (len(details), len(address)))
    t.ok(address.startswith("Xóm 4, thôn Đông Phù") and details.startswith("Đoạn đường"),
         "each long answer typed in place of the short one, not after it (%s)" % tag, (address[:40], details[:40]))
    k.must("tap form.next")
    t.eq(k.screen(), "review", "the long petition reaches review (%s)" % tag)
    shown, pages, dumps = {}, 0, []
    while pages < 10:
        d = check(k, "review-%d-%s" % (pages, tag))
        dumps.append(d)
        pages += 1
        for w in d["widgets"]:
            wid = w["id"]
            if wid.startswith("review.") and not wid.endswith(".label") and not wid.startswith("review.page") \
                    and wid not in ("review.edit", "review.submit"):
                field = wid.split(".")[1]
                shown[field] = (shown.get(field, "") + " " + w["label"]).strip()
        if not k.widget("review.page.more"):
            break
        k.must("tap review.page.more")
    t.ok(k.widget("review.submit") is not None, "sending comes on the last page (%s)" % tag)
    review_filled(t, dumps, "review-" + tag)
    norm = lambda x: " ".join(x.split())
    t.eq(norm(shown.get("details", "")), norm(details), "review shows the whole description (%s, %d pages)" % (tag, pages))
    t.eq(norm(shown.get("address", "")), norm(address), "review shows the whole address (%s)" % tag)
    # The receipt: two minutes, and the idle bar never over the QR or the code.
    k.must("tap review.submit")
    code = labels(check(k, "receipt-" + tag))["receipt.code"].replace("-", "")
    k.must("advance 90")
    t.eq((k.screen(), k.widget("idle.message")), ("receipt", None), "past the idle timeout, the receipt stays, unwarned (%s)" % tag)
    k.must("advance 16")
    d = check(k, "receipt-idle-" + tag)
    ws = {w["id"]: w for w in d["widgets"]}
    bar = ws.get("idle.message")
    t.ok(bar is not None and ws.get("idle.continue"), "at 1:45 the idle bar counts down (%s)" % tag)
    for wid in ("receipt.qr", "receipt.code", "receipt.code.label"):
        w = ws[wid]
        apart = bar and (bar["y"] >= w["y"] + w["h"] or bar["x"] >= w["x"] + w["w"] or bar["x"] + bar["w"] <= w["x"])
        t.ok(apart, "the idle bar leaves %s whole (%s)" % (wid, tag), (bar, w))
    k.must("advance 15")
    t.eq(k.screen(), "home", "at two minutes the receipt goes (%s)" % tag)
    # Status: colour, icon, what to do, the office's note in large type.
    con = sqlite3.connect(os.path.join(data, "request.db"))
    rid = con.execute("SELECT id FROM request ORDER BY seq DESC LIMIT 1").fetchone()[0]
    con.close()
    seen = set()
    for n, (status, note) in enumerate((("supplement", NOTE), ("accepted", ""), ("resolved", NOTE[:150]), ("rejected", NOTE[:90]))):
        add_server_events(data, rid, [(n + 1, int(time.time()) - 600 + n, status, note)])
        k.must("tap home.lookup")
        k.must("type " + code)
        k.must("key Return")
        d = check(k, "status-%s-%s" % (status, tag))
        ls = labels(d)
        advice = ls.get("status.advice", "")
        t.ok(advice and advice not in seen, "status %s says what to do, its own words (%s)" % (status, tag), advice)
        seen.add(advice)
        t.ok("thụ lý" not in ls["status.state"] + advice and "cấp trên" not in ls["status.state"] + advice,
             "plain words for %s (%s)" % (status, tag), ls["status.state"])
        if note:
            ev = [w for w in d["widgets"] if w["id"].startswith("status.event.")][0]   # newest first
            body = max(w["cap_px"] for w in d["widgets"] if w["id"] in ("status.deadline", "status.updated"))
            t.ok(note[:30] in ev["label"] and ev["cap_px"] > body, "the office's note in larger type than the rest (%s %s)" % (status, tag),
                 (ev["label"][:60], ev["cap_px"], body))
        if status == "supplement":
            # A note cut to fit is read whole on the history's pages, in large type.
            t.ok(k.widget("status.history.open") is not None and "…" in ev["label"],
                 "a cut note offers the whole history (%s)" % tag, ev["label"][-40:])
            k.must("tap status.history.open")
            text, pages = "", 0
            while True:
                pages += 1
                d = check(k, "history-%d-%s" % (pages, tag))
                text += " " + labels(d).get("status.history.text", "")   # the last page may hold the details only
                if not k.widget("status.history.more") or pages > 10:
                    break
                k.must("tap status.history.more")
            t.ok(" ".join(note.split()) in " ".join(text.split()) and "…" not in text,
                 "the whole history shows the office's note uncut (%s, %d pages)" % (tag, pages), text[-80:])
            k.must("tap status.history.close")
            t.ok(k.widget("status.done") is not None and k.widget("status.history.text") is None,
                 "back from the history, the status again (%s)" % tag)
        k.must("tap status.done")
    k.must("tap home.file")
    k.must("tap category.reflection")
    k.must("tap form.field.full_name")
    label = labels(k.dump())["form.label"]
    t.ok(label.count("(") <= 1, "an optional field says so once (%s)" % tag, label)
    k.must("tap back")
    k.must("tap back")
    k.must("tap home.lookup")
    check(k, "lookup-" + tag)
    k.must("tap back")
    k.must("hold home.title 2.5")
    d = check(k, "pin-" + tag)
    t.eq(labels(d).get("pin.clear"), "Xóa" if lang == "vi" else "Delete", "the PIN pad's delete key says what it does (%s)" % tag)
    k.must("type " + PIN)
    k.must("tap pin.ok")
    d = k.dump()
    t.ok("27280-3" in labels(d).get("title", ""), "the staff menu names the kiosk (%s)" % tag, labels(d).get("title"))
    k.close()


for size in ("800x480", "1920x1080"):
    for lang in ("vi", "en"):
        walk(size, lang)

# The panel's size is the operator's to say: a 10-inch 1280x800 panel.
cfg, data = make_config("panel_mm = 217x136")
k = Kiosk(cfg, size="1280x800")
d = check(k, "home-panel-1280x800")
t.ok(abs(d["px_per_mm"] - 1280 / 217.0) < 0.05, "px per mm from panel_mm", d["px_per_mm"])
k.close()
cfg, data = make_config("panel_mm = 7 inch")
r = subprocess.run([KIOSK, "--config", cfg, "--headless", "--control"], input="quit\n", capture_output=True, text=True, timeout=60)
t.ok(r.returncode != 0 and "panel_mm" in r.stderr and "WIDTHxHEIGHT" in r.stderr, "a bad panel_mm is refused with the key named", r.stderr)
t.done()
