"""The kiosk's files under fault, against a running kiosk: a store that
could not open on a full disk opens by itself once space is freed; a
request.db replaced, overwritten in place or truncated, or its -wal
deleted, never gets a receipt shown for a request that the file at the path
does not hold: the citizen sees "cannot accept now", the log says what
changed, and the kiosk opens what is at the path again; a WAL deleted and
then a kill loses no receipt shown. Needs root for the tmpfs, as CI has."""
import os, shutil, signal, sqlite3, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, make_config, file_request, db_rows, stored_codes

t = Tap()


def holds(data, code):
    """Whether the store in the file at the path, read by another process,
    holds the request of this receipt code (its keyed hash is there)."""
    return bool(code) and bool(stored_codes(data, [code]))


def store_count(data):
    """Requests in the file at the path; None when it holds no store."""
    try:
        return len(db_rows(data))
    except sqlite3.Error:
        return None


def receipt_token(d):
    if d["screen"] != "receipt":
        return None
    code = next((w for w in d["widgets"] if w["id"] == "receipt.code"), None)
    return code["label"].replace("-", "") if code else None


def try_file(k, tag):
    """Files a petition; the token its receipt shows, or None."""
    try:
        d, _ = file_request(k, "petition", tag=tag)
    except RuntimeError:
        d = k.dump()
    return receipt_token(d), d["screen"]


def leave(k):
    """Back home from the receipt or the error screen."""
    s = k.screen()
    if s == "receipt":
        k.must("tap receipt.done")
    elif s == "error":
        k.must("tap error.home")


# ---- full disk at start ----
mnt = tempfile.mkdtemp(prefix="motcua-full-")
p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], capture_output=True, text=True)
t.ok(p.returncode == 0, "a 1 MiB tmpfs mounted for the data folder", p.stderr)
try:
    cfg, data = make_config(data_dir=mnt)
    try:
        with open(os.path.join(mnt, "ballast"), "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError:
        pass
    k = Kiosk(cfg)
    k.must("tap home.file")
    t.eq(k.screen(), "error", "started on a full disk: the citizen is told before typing")
    k.must("tap error.home")
    os.remove(os.path.join(mnt, "ballast"))
    k.must("advance 6")
    t.ok(os.path.exists(os.path.join(mnt, "request.db")) and store_count(mnt) == 0,
         "with space freed the store opens by itself from the loop")
    token, screen = try_file(k, "fault-disk")
    t.ok(token is not None, "and takes requests again, without a restart", screen)
    t.ok(holds(mnt, token), "the receipt shown is in the database")
    leave(k)
    # Full again while running: refused, then taken again once space is freed.
    try:
        with open(os.path.join(mnt, "ballast"), "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError:
        pass
    held = {token}
    token, screen = None, "receipt"
    for i in range(200):             # until the WAL's room runs out too
        token, screen = try_file(k, "fault-disk-full-%d" % i)
        if token is None:
            break
        held.add(token)
        leave(k)
    t.ok(token is None and screen == "error", "the disk full while running: \"cannot accept now\"", screen)
    os.remove(os.path.join(mnt, "ballast"))
    k.must("tap error.retry")
    again = receipt_token(k.dump())
    t.ok(again is not None and holds(mnt, again), "space freed: the same visit is filed on retry", k.screen())
    t.ok(stored_codes(mnt, held) == held, "every receipt shown while the disk filled up is in the database")
    rc, err = k.close()
    t.ok("the database is open again" in err, "the log says it opened again", err[-800:])
finally:
    subprocess.run(["umount", mnt])
    shutil.rmtree(mnt, ignore_errors=True)


# ---- the database file changed under a running kiosk ----
def other_store():
    """A store of another kiosk, with one request of its own."""
    cfg, data = make_config(number=9)
    k = Kiosk(cfg)
    try_file(k, "fault-other")
    k.close()
    return os.path.join(data, "request.db")


def replace(path):
    tmp = path + ".new"
    shutil.copyfile(other_store(), tmp)
    os.rename(tmp, path)


def overwrite(path):
    shutil.copyfile(other_store(), path)     # the same inode, other content


def truncate(path):
    os.truncate(path, os.path.getsize(path) // 2)


def zeroes(path):
    with open(path, "r+b") as f:
        f.write(b"\0" * 4096)


def delete_wal(path):
    os.remove(path + "-wal")


# damaged: what is at the path afterwards is no database SQLite can use;
# the kiosk must then go on refusing (until staff restore it), not file
# into the old file.
for name, fault, damaged in (("replaced", replace, False), ("overwritten by another store", overwrite, False),
                             ("overwritten with zeroes", zeroes, True), ("truncated", truncate, True),
                             ("WAL deleted", delete_wal, False)):
    cfg, data = make_config()
    path = os.path.join(data, "request.db")
    k = Kiosk(cfg)
    shown = []
    first, _ = try_file(k, "fault-before")
    shown.append(first)
    leave(k)
    fault(path)
    token, screen = try_file(k, "fault-after")
    t.ok(token is None and screen == "error", "%s: the next request gets no receipt but \"cannot accept now\"" % name,
         screen)
    t.ok(token is None or holds(data, token), "%s: no receipt shown for what the file does not hold" % name)
    if token:
        shown.append(token)
    # The citizen tries again: the kiosk has opened what is at the path.
    if screen == "error":
        k.must("tap error.retry")
        again = receipt_token(k.dump())
        if damaged:
            t.ok(again is None and k.screen() == "error", "%s: tried again, still refused: the file at the path is damaged" % name,
                 k.screen())
        else:
            t.ok(again is not None and holds(data, again),
                 "%s: tried again, the request is filed into the file at the path" % name, k.screen())
    rc, err = k.close()
    t.ok("cannot store a request" in err, "%s: the log says why" % name, err[-600:])
    if not damaged:
        con = sqlite3.connect(path)
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        con.close()
        t.eq(check, "ok", "%s: the file at the path is sound afterwards (the old WAL was not applied to it)" % name)
    if damaged:
        t.ok(any(w in err for w in ("damaged", "not a database", "malformed")), "%s: and that the file is damaged" % name, err[-600:])
    if name == "WAL deleted":
        t.ok(holds(data, first), "WAL deleted: the receipt shown before it is still in request.db")


# ---- the WAL deleted, then a kill ----
cfg, data = make_config()
path = os.path.join(data, "request.db")
k = Kiosk(cfg)
shown = []
for i in range(3):
    token, _ = try_file(k, "fault-kill-%d" % i)
    shown.append(token)
    leave(k)
os.remove(path + "-wal")
k.p.send_signal(signal.SIGKILL)
k.p.wait(timeout=10)
held = stored_codes(data, shown) or set()
t.ok(all(s and s in held for s in shown), "WAL deleted, then killed: every receipt shown is in request.db",
     "%s vs %s" % (shown, held))
t.done()
