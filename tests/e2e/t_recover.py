"""The README's recovery recipe for a damaged kiosk database, run as it is
written there (read from the README, so the two cannot drift apart): from a
healthy file it keeps every request; from a file with damaged pages it
keeps the requests it can still read and the result is a sound database."""
import os, re, shutil, sqlite3, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT, make_config
import e2e

t = Tap()
readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
m = re.search(r"^(sqlite3 /var/lib/motcua/request\.db .*)$", readme, re.M)
t.ok(m is not None, "the README gives a recovery command")
recipe = m.group(1) if m else "false"

cfg, data = make_config()
e2e.fill(cfg, 300)
db = os.path.join(data, "request.db")
work = tempfile.mkdtemp(prefix="motcua-recover-")


def recover(source):
    """The README's command with its paths pointed at this test's files."""
    out = os.path.join(work, "recovered.db")
    if os.path.exists(out):
        os.remove(out)
    cmd = recipe.replace("/var/lib/motcua/request.db", source).replace("/tmp/recovered.db", out)
    p = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, timeout=60)
    return p, out


def count(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM request").fetchone()[0], \
            con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


# Checkpoint the WAL into the file, as a stopped kiosk leaves it.
con = sqlite3.connect(db)
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()

p, out = recover(db)
t.eq(p.returncode, 0, "recovery of a healthy file exits 0")
n, check = count(out)
t.eq(n, 300, "every request of a healthy file is recovered")
t.eq(check, "ok", "the recovered file is sound")

# Damage: zero a run of pages in the middle of the file.
damaged = os.path.join(work, "damaged.db")
shutil.copy(db, damaged)
size = os.path.getsize(damaged)
with open(damaged, "r+b") as f:
    page = 4096
    f.seek((size // page // 2) * page)
    f.write(b"\0" * page * 3)
p, out = recover(damaged)
n, check = count(out)
t.ok(n > 0, "the damaged file gives back the requests it can read (%d of 300), not an empty database" % n,
     p.stderr[-500:])
t.eq(check, "ok", "the file recovered from damage is sound")
shutil.rmtree(work)
shutil.rmtree(os.path.dirname(cfg))
t.done()
