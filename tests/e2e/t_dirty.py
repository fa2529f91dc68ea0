"""Dirty rectangles: a frame drawn incrementally (only what changed since the
frame before, render.h) is the frame drawn whole, pixel for pixel.

At 800x480 and 1920x1080, a citizen types on the petition form: a name in
Telex ("Nguyeenx" gives Nguyễn), capitals through the shift key, the tone
keys and the Vietnamese letter keys, Backspace on screen and on a physical
keyboard, then switches field to the phone and the address, and the form's
"please correct" banner comes and goes; then a receipt's code is typed on
the lookup screen, and its status is shown under the idle countdown. After each press the kiosk draws
(`draw`, which answers what it redrew), saves that frame (`shot`), draws the
same state whole (`redraw full`) and compares it with the shot (`compare`,
tolerance 0): no pixel may differ. A run of presses drawn one on another with
no full redraw between them is compared at its end. Plain letters must redraw
a small part of the screen, covering the field typed into. The fallbacks must
redraw everything: a change of screen, of language and to larger text, the
idle warning over the screen, and a frame after `redraw full`."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, file_request, make_config, shown_code, SHOTS

t = Tap()
SMALL = 0.25        # of the screen: what a letter may redraw at most


def covers(boxes, w):
    """1 if some box holds all of widget w's rectangle."""
    return any(x <= w["x"] and y <= w["y"] and x + bw >= w["x"] + w["w"] and y + bh >= w["y"] + w["h"]
               for x, y, bw, bh in boxes)


class Frames:
    def __init__(self, k, size):
        self.k, self.size = k, size
        self.w, self.h = (int(v) for v in size.split("x"))
        self.shot = os.path.join(SHOTS, "dirty-%s.png" % size)
        self.diff = os.path.join(SHOTS, "dirty-%s-diff.png" % size)
        self.partial = 0

    def same_as_full(self, what):
        """The frame on screen now against the same state drawn whole."""
        self.k.must("shot " + self.shot)
        full = self.k.must("redraw full")
        if os.path.exists(self.diff):
            os.remove(self.diff)
        r = self.k.must("compare %s %s 0" % (self.shot, self.diff))
        return t.ok(full["full"] and r["compared"] == self.w * self.h and r["differing"] == 0,
                    "%s: %s is the full redraw, pixel for pixel" % (self.size, what),
                    "%s of %s pixels differ (worst %s); see %s" % (r["differing"], r["compared"], r["worst"],
                                                                     self.diff))

    def press(self, cmd, want=None, field=None):
        """One press, its frame drawn as the window loop draws it, then
        compared. want: "small" (a small part, covering the field typed
        into, the form's input) or "full"."""
        self.k.must(cmd)
        d = self.k.must("draw")
        if not d["full"]:
            self.partial += 1
        if want == "small":
            inp = self.k.widget(field or "form.input")
            t.ok(not d["full"] and 0 < d["area"] <= SMALL * self.w * self.h and covers(d["boxes"], inp),
                 "%s: %r redraws a small part, the field included" % (self.size, cmd), d)
        elif want == "full":
            t.ok(d["full"] and d["area"] == self.w * self.h, "%s: %r redraws the whole frame" % (self.size, cmd), d)
        self.same_as_full("the frame after %r" % cmd)
        return d


def run(size):
    cfg, _ = make_config()
    k = Kiosk(cfg, size=size)
    # The countdown's seconds come from the clock: stilled, a frame and its
    # full redraw show the same second however slowly the machine runs.
    k.must("clock still")
    f = Frames(k, size)
    d = k.must("draw")
    t.ok(d["full"], "%s: the first frame is drawn whole" % size, d)
    d = k.must("draw")
    t.eq((d["full"], d["rects"], d["area"]), (False, 0, 0), "%s: a frame with nothing changed redraws nothing" % size)

    # Fallbacks: a new screen, larger text, a language.
    f.press("tap home.larger", "full")
    f.press("tap home.larger", "full")
    f.press("tap home.lang", "full")
    f.press("tap home.lang", "full")
    f.press("tap home.file", "full")
    f.press("tap category.petition", "full")

    # The name, key by key: the field's hint goes with the first letter.
    f.press("type N")
    for ch in "guy":
        f.press("type " + ch, "small")
    f.press("type e", "small")
    f.press("type e", "small")          # ê
    f.press("type n", "small")
    f.press("type x", "small")          # the ngã: Nguyễn
    name = k.widget("form.input")
    t.ok(name["label"].startswith("Nguyễn"), "%s: Telex typed Nguyễn" % size, name)
    f.press("tap kb.backspace", "small")
    f.press("type x", "small")
    f.press("tap kb.space")             # a capital comes next: the keyboard's letters change
    f.press("tap kb.shift")
    f.press("tap kb.shift")
    f.press("type T")
    f.press("type h", "small")
    f.press("type i", "small")
    f.press("tap kb.tone_nang", "small")    # the tone keys, for those who know no Telex: Thị
    f.press("tap kb.tone_none", "small")
    f.press("tap kb.tone_nang", "small")
    f.press("key BackSpace", "small")   # a physical keyboard's
    f.press("type j", "small")

    # Switching field: the tabs, the label and the keyboard change.
    f.press("tap form.field.phone")
    for ch in "0912":
        f.press("type " + ch, "small")
    f.press("tap kb.backspace", "small")
    f.press("tap form.field.address")
    f.press("tap kb.d_bar")             # Đ from its own key, a capital: the letters change after it
    f.press("tap kb.o_circ", "small")   # ô
    f.press("type n", "small")
    f.press("type g", "small")
    f.press("tap kb.tone_sac", "small")     # Đống
    t.ok(k.widget("form.input")["label"].startswith("Đống"), "%s: the letter and tone keys typed Đống" % size,
         k.widget("form.input"))

    # The banner: Next with the phone too short shows it, typing clears it.
    f.press("tap form.next")
    f.press("tap form.field.phone")
    f.press("type 3")

    # A run of presses drawn one on another, compared at the end.
    k.must("tap form.field.address")
    k.must("draw")
    runs = []
    for cmd in ("type b", "type a", "tap kb.tone_hoi", "tap kb.backspace", "type c", "type h",
                "tap kb.tone_nga", "tap kb.tone_none", "tap kb.backspace"):
        k.must(cmd)
        runs.append(k.must("draw"))
    t.ok(all(not r["full"] for r in runs), "%s: nine presses in a row are each drawn in part" % size,
         [r["area"] for r in runs])
    f.same_as_full("the frame after nine presses drawn one on another")

    # The idle warning darkens the whole screen, and goes with a tap.
    f.press("advance 100", "full")
    f.press("tap idle.continue", "full")

    # The language on the form, then a screen change.
    f.press("tap lang", "full")
    f.press("type z", "small")
    f.press("tap back", "full")

    # A receipt's code typed on the lookup screen, a wrong character taken
    # back; the status screen with its icon, drawn whole.
    k.must("tap back")
    d, _ = file_request(k, "petition", tag="dirty-" + size)
    code = shown_code(d)
    f.press("tap receipt.done", "full")
    f.press("tap home.lookup", "full")
    for ch in code[:6].lower():
        f.press("type " + ch, "small", "lookup.input")
    f.press("type q")
    f.press("key BackSpace", "small", "lookup.input")
    k.must("type " + code[6:].lower())
    f.press("tap lookup.submit", "full")
    d = k.dump()
    t.eq(d["screen"], "status", "%s: the code typed finds its request" % size)
    f.press("advance 91", "full")       # the idle warning over the status, its icon under it
    for _ in range(3):
        d = f.press("advance 1")        # the countdown: its line alone
        t.ok(not d["full"] and d["area"] <= SMALL * f.w * f.h, "%s: a second of the countdown redraws its line"
             % size, d)
    f.press("tap idle.continue", "full")
    f.press("tap status.done", "full")
    t.ok(f.partial >= 30, "%s: most presses were drawn in part (%d)" % (size, f.partial))
    rc, err = k.close()
    t.eq(rc, 0, "%s: the kiosk exits cleanly" % size)


for size in ("800x480", "1920x1080"):
    run(size)
t.done()
