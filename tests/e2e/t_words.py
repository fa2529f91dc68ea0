"""The translation files stop a program at start-up when they are wrong, and
say where: the kiosk and the server each refuse a missing folder, a
malformed file, a key one language lacks, a key the program needs that
neither file has, and a translation whose conversions (%d, %s) differ from
Vietnamese, naming the file, the line and the key on stderr. And the
reference copies of the Vietnamese in en.po's comments (#. vi: ...) are
the Vietnamese text as it is, so a translator is not misled by an old one."""
import os, re, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT, KIOSK, make_config
from e2e import SERVER

t = Tap()


def assets(change=None):
    """A copy of assets/ whose translations change() may edit: it gets the
    folder and returns nothing."""
    d = tempfile.mkdtemp(prefix="motcua-words-")
    for f in ("catalog.json", "holidays.json"):
        shutil.copy(os.path.join(ROOT, "assets", f), d)
    shutil.copytree(os.path.join(ROOT, "assets", "lang"), os.path.join(d, "lang"))
    if change:
        change(os.path.join(d, "lang"))
    return d


def edit(lang_dir, lang, old, new):
    path = os.path.join(lang_dir, lang + ".po")
    text = open(path, encoding="utf-8").read()
    assert old in text, old
    open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))


def line_of(lang, key):
    lines = open(os.path.join(ROOT, "assets", "lang", lang + ".po"), encoding="utf-8").read().split("\n")
    return lines.index('msgid "%s"' % key) + 1


def kiosk(folder):
    cfg, _ = make_config(extra_kiosk="assets_dir = %s" % folder)
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    p = subprocess.run([KIOSK, "--config", cfg], capture_output=True, text=True, timeout=60, env=env)
    return p.returncode, p.stderr


def server(folder):
    d = tempfile.mkdtemp(prefix="motcua-words-srv-")
    p = subprocess.run([SERVER, "serve", "--data", os.path.join(d, "data"), "--listen", "127.0.0.1:0",
                        "--assets", folder], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stderr


def refused(desc, run, folder, *words):
    rc, err = run(folder)
    t.ok(rc != 0 and all(w in err for w in words), "%s: refused at start-up, naming %s" % (desc, ", ".join(words)),
         "rc %d\n%s" % (rc, err))


# ---- the kiosk ----
no_lang = assets(lambda d: shutil.rmtree(d))
refused("the kiosk without assets/lang", kiosk, no_lang, "lang/vi.po: cannot be read")
refused("the kiosk, a bad escape", kiosk,
        assets(lambda d: edit(d, "vi", 'msgstr "Quay lại"', 'msgstr "Quay \\q lại"')),
        "vi.po:%d: bad escape \\q" % (line_of("vi", "kiosk.back") + 1))
refused("the kiosk, %s where Vietnamese has %d", kiosk,
        assets(lambda d: edit(d, "en", 'msgstr "%d working days"', 'msgstr "%s working days"')),
        "en.po:%d: msgid \"kiosk.working_days\"" % line_of("en", "kiosk.working_days"), "differ", "vi.po:%d" %
        line_of("vi", "kiosk.working_days"))
refused("the kiosk, a key English lacks", kiosk,
        assets(lambda d: edit(d, "en", 'msgid "kiosk.home.file"\nmsgstr "File a request"\n', "")),
        "en.po: msgid \"kiosk.home.file\" is missing", "vi.po:%d has it" % line_of("vi", "kiosk.home.file"))


def drop_both(key):
    def change(d):
        for lang in ("vi", "en"):
            path = os.path.join(d, lang + ".po")
            text = open(path, encoding="utf-8").read()
            text = re.sub(r'(#\. [^\n]*\n)?msgid "%s"\nmsgstr "[^\n]*"\n' % re.escape(key), "", text)
            open(path, "w", encoding="utf-8").write(text)
    return change


refused("the kiosk, a key neither file has", kiosk, assets(drop_both("kiosk.back")),
        "msgid \"kiosk.back\" is missing: the program needs it")
refused("the kiosk, the same conversions in both but not the code's", kiosk,
        assets(lambda d: (edit(d, "vi", 'msgstr "%d ngày làm việc"', 'msgstr "%s ngày làm việc"'),
                          edit(d, "en", 'msgstr "%d working days"', 'msgstr "%s working days"'))),
        "msgid \"kiosk.working_days\": the program passes it %d")

# ---- the server ----
refused("the server without assets/lang", server, no_lang, "lang/vi.po: cannot be read")
refused("the server, an unterminated string", server,
        assets(lambda d: edit(d, "en", 'msgstr "One-stop-shop request status"', 'msgstr "One-stop-shop request status')),
        "en.po:%d: the string has no closing quote" % (line_of("en", "page.site") + 1))
def extra_english(d):
    with open(os.path.join(d, "en.po"), "a", encoding="utf-8") as f:
        f.write('\nmsgid "page.extra"\nmsgstr "Extra"\n')


en_lines = len(open(os.path.join(ROOT, "assets", "lang", "en.po"), encoding="utf-8").read().split("\n"))
refused("the server, a key Vietnamese lacks", server, assets(extra_english),
        "en.po:%d: msgid \"page.extra\" is not in" % (en_lines + 1), "vi.po")
refused("the server, a key neither file has", server, assets(drop_both("status.rejected.staff")),
        "msgid \"status.rejected.staff\" is missing: the program needs it")
refused("the server, a status without its office", server,
        assets(lambda d: (edit(d, "vi", 'msgstr "Đã gửi lên %s"\n\nmsgid "status.synced.hint"',
                               'msgstr "Đã gửi lên"\n\nmsgid "status.synced.hint"'))),
        "msgid \"status.synced\"", "differ")

refused("the server, markup in a page's text", server,
        assets(lambda d: edit(d, "en", 'msgid "page.code"\nmsgstr "Receipt code"', 'msgid "page.code"\nmsgstr "<b>Receipt</b> code"')),
        "en.po:%d: msgid \"page.code\": the web pages' texts may not hold < > & or \"" % line_of("en", "page.code"))

# ---- en.po's reference comments ----
def entries(lang):
    text = open(os.path.join(ROOT, "assets", "lang", lang + ".po"), encoding="utf-8").read()
    return re.findall(r'(?:#\. vi: ([^\n]*)\n)?msgid "([^"]+)"\nmsgstr "((?:[^"\\]|\\.)*)"', text)


vi = {key: value for _, key, value in entries("vi")}
stale = ["%s: %r, vi.po has %r" % (key, ref, vi.get(key)) for ref, key, _ in entries("en")
         if ref and ref.replace('"', '\\"') != vi.get(key)]
t.ok(not stale, "en.po's '#. vi:' comments are the Vietnamese texts", "\n".join(stale[:10]))

t.done()
