"""A full disk under the kiosk's store (a 2 MiB tmpfs as its data folder):
filing stops with words a clerk can act on ("the disk is full"), not
"disk I/O error"; every request reported stored is in the database; and
once space is freed the same folder takes requests again. motcua-sync's
export to a full stick says the same. Needs root (mount), as CI has."""
import os, re, shutil, sqlite3, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT, make_config
import e2e

t = Tap()
mnt = tempfile.mkdtemp(prefix="motcua-full-")
stick = tempfile.mkdtemp(prefix="motcua-stick-")
mounted = []
for path, size in ((mnt, "2m"), (stick, "64k")):
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs", path], capture_output=True, text=True)
    if p.returncode == 0:
        mounted.append(path)
t.eq(len(mounted), 2, "two small tmpfs mounted (a data folder and a stick)")
try:
    cfg, data = make_config(data_dir=mnt)
    # Ballast that can be deleted to free space later.
    with open(os.path.join(mnt, "ballast"), "wb") as f:
        f.write(b"\0" * (1200 * 1024))
    p = subprocess.run([e2e.FILL, "--config", cfg, "100000"], capture_output=True, text=True, timeout=300)
    t.ok(p.returncode != 0, "filing stops when the disk is full")
    t.ok("the disk is full" in p.stderr, "the error says the disk is full", p.stderr)
    t.ok("disk I/O error" not in p.stderr, "not \"disk I/O error\"", p.stderr)
    m = re.search(r"request (\d+):", p.stderr)
    stored_said = int(m.group(1)) - 1 if m else -1
    con = sqlite3.connect(os.path.join(data, "request.db"))
    n = con.execute("SELECT count(*) FROM request").fetchone()[0]
    con.close()
    t.eq(n, stored_said, "every request reported stored is in the database, and no other")
    os.remove(os.path.join(mnt, "ballast"))
    p = subprocess.run([e2e.FILL, "--config", cfg, "20"], capture_output=True, text=True, timeout=60)
    t.ok(p.returncode == 0, "with space freed the same folder takes requests again", p.stderr)
    # A stick with no room left at all.
    try:
        with open(os.path.join(stick, "photos"), "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError:
        pass
    out = e2e.sync(cfg, "export", stick)
    t.ok(out.returncode != 0, "an export to a full stick fails")
    t.ok("No space left" in out.stderr + out.stdout or "full" in out.stderr + out.stdout,
         "and says the stick is full", out.stdout + out.stderr)
finally:
    for path in mounted:
        subprocess.run(["umount", path])
    shutil.rmtree(mnt, ignore_errors=True)
    shutil.rmtree(stick, ignore_errors=True)
t.done()
