"""Vietnamese for people who know no input method, and the citizen ID card's
QR code read by a scanner, through the kiosk's control interface (taps at
keys' coordinates, a scanner's characters one event each).

- A person who never saw Telex types "Nguyễn Thị Hoà, thôn Đông, xã Phù
  Lãng" with the keyboard's Vietnamese letter and tone keys, each tap a
  touchscreen's finger events through SDL's queue: the text and the number
  of taps are checked (the count is printed).
- Every key is at least 9 mm on a 7-inch 800x480 panel (47 px, and as much
  at 1920x1080 scaled) in every keyboard and mode, with the form's notice.
- Telex and VNI still work on screen and from a physical keyboard; the
  switch is two keys.
- A CCCD scan fills name, ID, date of birth and address in both layouts,
  never through the input method (the scanner's characters as SDL text
  events and its Return as a key event); anything else is refused with a message;
  the card's data is sealed and never in the log."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import review_to_end, Tap, Kiosk, make_config, SHOTS, clipped, fill_form, TYPED

t = Tap()
WANT = "Nguyễn Thị Hoà, thôn Đông, xã Phù Lãng"
# What a person taps, key by key: letters, the Vietnamese block's letters
# and tones, Shift for a capital inside the field.
TAPS = (["N", "g", "u", "y", "e_circ", "n", "tone_nga", "space",
         "shift", "T", "h", "i", "tone_nang", "space",
         "shift", "H", "o", "a", "tone_huyen", "comma", "space",
         "t", "h", "o_circ", "n", "space",
         "shift", "d_bar", "o_circ", "n", "g", "comma", "space",
         "x", "a", "tone_nga", "space",
         "shift", "P", "h", "u", "tone_huyen", "space",
         "shift", "L", "a", "n", "g", "tone_nga"])


def keys(k):
    return {w["id"][3:]: w for w in k.dump()["widgets"] if w["id"].startswith("kb.")}


def tap_key(k, name, how="tap"):
    """A finger on the key's centre: "tap" presses and releases there as a
    touch does; "touch" pushes a touchscreen's finger events through SDL's
    queue to the window loop's handler."""
    ks = keys(k)
    key = ks.get(name) or ks.get(name.lower())
    if key is None:
        raise RuntimeError("no key %s on screen" % name)
    k.must("%s %d %d" % (how, key["x"] + key["w"] // 2, key["y"] + key["h"] // 2))


def field(k, name):
    w = k.widget("form.field." + name)
    return w and w.get("value")


# ---- the tap count, at both sizes ----
for size in ("800x480", "1920x1080"):
    cfg, data = make_config(extra_kiosk="tone_style = new")
    k = Kiosk(cfg, size=size)
    k.must("tap home.file")
    k.must("tap category.complaint")
    k.must("tap form.field.address")
    hint = k.widget("form.hint")
    t.ok(hint and "Nguyễn" in hint["label"], "the empty field says how the tone keys work (%s)" % size, hint)
    for name in TAPS:
        tap_key(k, name, "touch")
    t.eq(k.widget("form.input")["value"], WANT, "typed with the Vietnamese keys, no Telex (%s)" % size)
    t.ok(k.widget("form.hint") is None, "the hint goes once the field has text (%s)" % size)
    print("# %d taps for %d characters: %s" % (len(TAPS), len(WANT), WANT))
    t.ok(len(TAPS) <= 50, "%d taps for %r (%s)" % (len(TAPS), WANT, size))
    k.must("shot %s/vietnamese-keys-%s.png" % (SHOTS, size))
    t.eq(clipped(k), [], "keyboard and form have no clipped text (%s)" % size)
    k.close()

# old style: the same taps give Hòa, as Telex does in that style
cfg, data = make_config()
k = Kiosk(cfg)
k.must("tap home.file")
k.must("tap category.complaint")
k.must("tap form.field.address")
for name in ["H", "o", "a", "tone_huyen", "space", "m", "u", "a", "tone_huyen",
             "space", "q", "u", "y", "tone_sac", "space", "n", "g", "u", "o_horn", "i", "tone_huyen"]:
    tap_key(k, name)
t.eq(k.widget("form.input")["value"], "Hòa mùa quý người", "tone keys place the tone by the configured style (old)")
tap_key(k, "tone_huyen")
t.eq(k.widget("form.input")["value"], "Hòa mùa quý ngươi", "the same tone key again takes the tone off")
tap_key(k, "tone_sac")
tap_key(k, "tone_none")
t.eq(k.widget("form.input")["value"], "Hòa mùa quý ngươi", "the no-tone key takes any tone off")
# ---- Telex and VNI, on screen and from a physical keyboard ----
k.must("tap form.field.subject")
k.must("type Nguyeenx")
t.eq(k.widget("form.input")["value"], "Nguyễn", "Telex on the screen's letter keys")
tap_key(k, "ime_vni")
t.ok("1" in keys(k) and "e_circ" not in keys(k), "VNI puts its digits where the Vietnamese block was")
k.must("type  Vie65t")
t.eq(k.widget("form.input")["value"], "Nguyễn Việt", "VNI on the screen's keys")
tap_key(k, "ime_telex")
t.ok("e_circ" in keys(k), "Telex brings the Vietnamese block back")
k.must("tap form.field.details")
k.must("typed Ddaats nuwowcs")
t.eq(field(k, "details"), "Đất nước\n", "Telex from a physical keyboard (its Return a new line there)")
tap_key(k, "ime_vni")
k.must("tap form.field.address")
for _ in range(30):
    k.must("key BackSpace")
k.must("typed 12 Le6 Lo75i, D9a8k1 La8k1")
t.eq(field(k, "address"), "12 Lê Lợi, Đắk Lắk", "VNI from a physical keyboard, digits at a word's start typed as they came")
k.close()

# ---- every key a finger's size, in every keyboard and mode ----
for size, least in (("800x480", 47), ("1920x1080", int(47 * 2.25))):
    cfg, data = make_config()
    k = Kiosk(cfg, size=size)
    k.must("tap home.file")
    k.must("tap category.denunciation")     # the notice over the identity fields
    seen = {}
    for mode in ("telex", "vni"):
        tap_key(k, "ime_" + mode)
        seen[mode] = keys(k)
        tap_key(k, "layer")
        seen[mode + " 123"] = keys(k)
        tap_key(k, "layer")
    k.must("tap form.field.phone")
    seen["phone pad"] = keys(k)
    k.must("tap form.field.birth_date")
    seen["date pad"] = keys(k)
    k.must("tap back")
    k.must("tap back")
    k.must("tap home.lookup")
    seen["lookup"] = keys(k)
    for mode, ks in seen.items():
        small = ["%s %dx%d" % (n, w["w"], w["h"]) for n, w in ks.items() if w["w"] < least or w["h"] < least]
        t.eq(small, [], "every key at least 9 mm (%d px) in %s (%s)" % (least, mode, size))
    k.close()

# ---- the citizen ID card ----
CARD7 = "001203004567|123456789|Nguyễn Thị Hoà|05091987|Nữ|Thôn Đông, Xã Phù Lãng, Huyện Quế Võ, Bắc Ninh|12082021"
CARD6 = "079199012345|Lê Thị Thuỷ|31121999|Nữ|12 Lê Lợi, Phường Bến Nghé|15042021"
for size in ("800x480", "1920x1080"):
    for lang in ("vi", "en"):
        cfg, data = make_config(language=lang)   # old tone style: the card's new style must stay
        k = Kiosk(cfg, size=size)
        k.must("tap home.file")
        k.must("tap category.complaint")
        # as SDL hands a scanner's characters and its Return to the window loop
        k.must("keyboard " + CARD7)
        t.eq([field(k, n) for n in ("full_name", "citizen_id", "birth_date", "address")],
             ["Nguyễn Thị Hoà", "001203004567", "05/09/1987", "Thôn Đông, Xã Phù Lãng, Huyện Quế Võ, Bắc Ninh"],
             "a scan fills name, ID, date of birth and address as the card has them (%s %s)" % (lang, size))
        msg = k.widget("form.scan")
        t.ok(msg and ("CCCD" in msg["label"] or "ID card" in msg["label"]), "the form says it was filled from the card (%s %s)" % (lang, size), msg)
        k.must("shot %s/scan-filled-%s-%s.png" % (SHOTS, lang, size))
        t.eq(clipped(k), [], "the filled form has no clipped text (%s %s)" % (lang, size))
        t.eq(field(k, "phone"), "", "the phone is the citizen's to type (%s %s)" % (lang, size))
        k.close()

cfg, data = make_config()
k = Kiosk(cfg)
# a card scanned at home, where receipts are looked up: none of it stays on screen
k.must("keyboard " + CARD7)
t.eq(k.screen(), "lookup", "a scan at home goes to the lookup")
t.eq(k.widget("lookup.input")["value"] if k.widget("lookup.input") else None, "",
     "the card's number and name are not left in the receipt code's field")
msg = [w["label"] for w in k.dump()["widgets"] if "thẻ CCCD" in w["label"]]
t.ok(msg, "the lookup says this is an ID card and where one is read", [w["label"] for w in k.dump()["widgets"]])
t.eq([w["id"] for w in k.dump()["widgets"] if "Nguy" in w["label"] or "001203" in w["label"]], [],
     "nothing of the card is shown")
k.must("tap back")
k.must("tap home.file")
k.must("tap category.denunciation")
k.must("tap form.field.phone")
k.must("scan " + CARD6)
t.eq([field(k, n) for n in ("full_name", "citizen_id", "birth_date", "address", "phone")],
     ["Lê Thị Thuỷ", "079199012345", "31/12/1999", "12 Lê Lợi, Phường Bến Nghé", ""],
     "the six-field layout, scanned with the phone field in focus")
# a scan into a field that already has digits is still a scan
k.must("tap form.field.phone")
k.must("type 09")
k.must("scan " + CARD7)
t.eq([field(k, n) for n in ("full_name", "citizen_id", "phone")], ["Nguyễn Thị Hoà", "001203004567", "09"],
     "a scan with the phone half typed fills the card's fields and leaves the phone")
k.must("typed 12345678")
t.eq(field(k, "phone"), "0912345678", "digits from a keyboard into the phone are typed as they came")
k.must("scan " + CARD6)
t.ok(k.widget("form.scan") is not None and k.widget("form.notice") is None, "the scan's line stands where the notice was")
# editable: the address predates the mergers
k.must("tap form.field.address")
t.ok(k.widget("form.scan") is None and k.widget("form.notice") is not None,
     "on to another field, the denouncer's secrecy notice is back")
for _ in range(len("Phường Bến Nghé")):
    k.must("key BackSpace")
k.must("type Phuwowngf Saif Gonf")
t.eq(field(k, "address"), "12 Lê Lợi, Phường Sài Gòn", "the filled address can be edited")
# not a card: refused, nothing changed
before = [field(k, n) for n in ("full_name", "citizen_id", "birth_date", "address")]
for bad in ("001203004567|123456789|Nguyễn Văn A|31021987|Nam|Thôn Đông|12082021",
            "001203004567|hello", "079199012345|" + "x" * 1200,
            "https://motcua.example.vn/r/ABCDEFGHJKMN5", "8934563138165", "Khieeus naij quyeets ddinhj"):
    k.must("tap form.field.subject")
    k.must("scan " + bad)
    msg = k.widget("form.scan")
    t.ok(msg and "không phải" in msg["label"], "a scan that is not a card's code is refused with a message", msg)
    t.eq([field(k, n) for n in ("full_name", "citizen_id", "birth_date", "address")], before, "and changes nothing")
    t.eq(field(k, "subject"), "", "and types nothing into the field in focus")
k.must("shot %s/scan-refused-vi-800x480.png" % SHOTS)
# a card scanned after a letter, where VNI reads digits: read from the line as sent
k.must("tap form.field.subject")
k.must("tap kb.ime_vni")
k.must("type Mo")
k.must("scan " + CARD7)
t.eq([field(k, n) for n in ("subject", "full_name", "birth_date")], ["Mo", "Nguyễn Thị Hoà", "05/09/1987"],
     "a card scanned after a letter in VNI: the field as it was, the card read as the scanner sent it")
k.must("tap kb.ime_telex")
# a scanner in keyboard mode that cannot type the marks
k.must("scan 001203004567|123456789|Nguyen Thi Hoa|05091987|Nu|Thon Dong, Xa Phu Lang|12082021")
msg = k.widget("form.scan")
t.ok(msg and "dấu" in msg["label"], "a card read without marks asks for the name and address to be corrected", msg)
t.eq(field(k, "full_name"), "Nguyen Thi Hoa", "and fills what it read, to be corrected")
# file it: the card's data is sealed with the rest, never in the clear
k.must("tap form.field.full_name")
for _ in range(20):
    k.must("key BackSpace")
k.must("type Nguyeenx Thij Hoaf")
k.must("tap form.field.subject")
k.must("type Tieeu cuwcj")
k.must("tap form.field.details")
k.must("type Noojij dung")
k.must("tap form.next")
t.eq(k.screen(), "review", "the filled form goes to review")
rev = k.widget("review.birth_date")
t.eq(rev and rev["label"], "05/09/1987", "review shows the date of birth")
review_to_end(k)
k.must("tap review.submit")
t.eq(k.screen(), "receipt", "and is filed")
rc, err = k.close()
blob = b""
for f in os.listdir(data):
    blob += open(os.path.join(data, f), "rb").read()
t.ok(b"001203004567" not in blob and b"05/09/1987" not in blob and "Phù Lãng".encode() not in blob
     and b"Thon Dong" not in blob, "the card's ID, date of birth and address are sealed, not on disk")
t.ok("001203004567" not in err and "Nguy" not in err and "1987" not in err and "Thon" not in err,
     "nothing of the card in the log", err[-2000:])
t.done()
