"""Nothing of a visit stays in the kiosk's memory once it ends: a visit is
driven through the control interface with distinctive values, ended (the
receipt left, the idle timeout, starting over from the form, a citizen ID
card scanned into the form), and the
running kiosk's memory is read whole (/proc/PID/maps and /proc/PID/mem, as
root: the kiosk is not dumpable, but root can still read it) for the name
(as typed in Telex and as composed), the phone number and the citizen ID,
in UTF-8 and in UTF-16 and UTF-32 (as
a text renderer converts them). Needs root, as CI has."""
import os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import review_to_end, Tap, Kiosk, make_config, TYPED

t = Tap()


def memory(pid):
    """Every readable mapping of the process, as one list of byte strings."""
    out = []
    with open("/proc/%d/maps" % pid) as maps, open("/proc/%d/mem" % pid, "rb", 0) as mem:
        for line in maps:
            m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)", line)
            start, end, perms, name = int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4)
            if perms[0] != "r" or name in ("[vvar]", "[vsyscall]", "[vdso]") or end - start > 1 << 34:
                continue
            # ASan's shadow and allocator reserve terabytes, nearly all unmapped.
            try:
                mem.seek(start)
                pos = start
                while pos < end:
                    chunk = mem.read(min(end - pos, 1 << 24))
                    if not chunk:
                        break
                    out.append(chunk)
                    pos += len(chunk)
            except (OSError, ValueError, OverflowError):
                continue
    return out


def encodings(value):
    return [value.encode("utf-8"), value.encode("utf-16-le"), value.encode("utf-32-le")]


def found(pid, values):
    """The values (and in which encoding) still in the process's memory."""
    chunks = memory(pid)
    hits = []
    for v in values:
        for enc, needle in zip(("utf-8", "utf-16", "utf-32"), encodings(v)):
            if any(needle in c for c in chunks):
                hits.append("%s (%s)" % (v, enc))
    return hits


def visit(k, n):
    """Fills a petition's form with values of its own; returns them."""
    name_typed, name = "Khuwowngs Thij Bichs Ngocj %s" % chr(ord("A") + n), "Khướng Thị Bích Ngọc %s" % chr(ord("A") + n)
    phone = "09765432%02d" % (10 + n)
    cid = "0791840032%02d" % (10 + n)
    values = {"full_name": (name_typed, name), "phone": (phone, phone), "citizen_id": (cid, cid)}
    k.must("tap home.file")
    k.must("tap category.petition")
    for w in k.dump()["widgets"]:
        if w["id"].startswith("form.field."):
            f = w["id"][len("form.field."):]
            k.must("tap " + w["id"])
            k.must("type " + values.get(f, TYPED[f])[0])
    k.must("tap form.field.full_name")     # its value is drawn, as a person sees it
    k.must("shot /dev/null")
    return [name, phone, cid, "Khướng", name_typed]


# A long idle timeout: reading the memory takes long on a busy machine, and
# the idle case moves the clock itself.
cfg, data = make_config(extra_kiosk="idle_timeout = 600")
k = Kiosk(cfg)
pid = k.p.pid

# The check itself finds values while a visit is on.
values = visit(k, 0)
hits = found(pid, values)
t.ok(len(hits) >= 3, "while the visit is on, its values are found in memory (the search works)", hits)

# 1: filed, the receipt shown and left.
k.must("tap form.next")
t.eq(k.screen(), "review", "the form is accepted")
k.must("shot /dev/null")
review_to_end(k)
k.must("tap review.submit")
t.eq(k.screen(), "receipt", "filed")
k.must("shot /dev/null")
k.must("tap receipt.done")
k.must("shot /dev/null")
hits = found(pid, values)
t.eq(hits, [], "after the receipt is left, nothing of the visit is in memory")

# 2: the idle timeout, in the middle of the form.
values = visit(k, 1)
k.must("advance 616")
t.eq(k.screen(), "home", "the idle timeout took it home")
k.must("shot /dev/null")
hits = found(pid, values)
t.eq(hits, [], "after the idle timeout, nothing of the visit is in memory")

# 3: starting over: back from the form, all the way home.
values = visit(k, 2)
for i in range(4):
    if k.screen() == "home":
        break
    k.must("tap back")
t.eq(k.screen(), "home", "back to home")
k.must("shot /dev/null")
hits = found(pid, values)
t.eq(hits, [], "after starting over, nothing of the visit is in memory")

# 4: a citizen ID card scanned into the form, then starting over.
card = ["034187009911", "Phạm Thị Xuyến Quỳnh", "Xóm Chùa, thôn Kim Sơn Hạ", "17/03/1962"]
k.must("tap home.file")
k.must("tap category.petition")
k.must("scan %s|145678902|%s|17031962|Nữ|%s|03112022" % (card[0], card[1], card[2]))
t.eq(k.widget("form.field.citizen_id")["value"], card[0], "the card filled the form")
k.must("tap form.field.address")
k.must("shot /dev/null")
hits = found(pid, card)
t.ok(len(hits) >= 3, "while the visit is on, the card's values are found in memory", hits)
for i in range(4):
    if k.screen() == "home":
        break
    k.must("tap back")
k.must("shot /dev/null")
hits = found(pid, card)
t.eq(hits, [], "after starting over, nothing of the scanned card is in memory")
k.close()
t.done()
