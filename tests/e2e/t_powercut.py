"""Power cuts. A kiosk on an SD card loses power mid-write: after the next
start the database is intact and every request whose receipt was shown is
there, whole (its first event and its sealed identity with it).

1. Killed during writes: the kiosk files requests through the control
   interface and is SIGKILLed, many times: every other time at a random
   moment, the others while a submission's commit is under way (between sending `tap
   review.submit` and reading its answer). A kill keeps what reached the
   kernel, so this tests SQLite's transactions, not the disk.
2. A power cut proper, where writes not yet synced are lost: the data
   folder is an ext4 file system on a loop device, mounted with a 10-minute
   journal commit interval so that nothing reaches the "disk" (the image
   file behind the loop device) unless the kiosk syncs it. At each cut the
   kiosk is killed and the image is copied at once, as the disk is at that
   instant; the next round mounts the copy (ext4 replays its journal, as
   at boot) and checks the database. Dirty pages still in memory are lost,
   exactly as when the power goes. Needs root, a loop device and ext4; the
   test says SKIP otherwise. (dm-flakey and dm-log-writes would be the
   tools of choice, but this kernel has no device-mapper.)"""
import os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosk
from kiosk import Tap, Kiosk, make_config

t = Tap()
kiosk.KIOSK = os.path.join(kiosk.ROOT, "build/motcua-kiosk")   # the real build, for speed
seed = int(os.environ.get("MOTCUA_SEED", time.time()))
random.seed(seed)
print("# seed %d (MOTCUA_SEED=%d repeats this run)" % (seed, seed))


def check_store(path, shown):
    """(ok, why): integrity_check, every shown receipt there, no request
    without its first event or its sealed identity."""
    if not os.path.exists(path):
        return (not shown, "no database, %d receipts shown" % len(shown))
    con = sqlite3.connect(path)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        rows = con.execute("SELECT id, hex(code_hash) FROM request").fetchall()
        orphans = con.execute("SELECT count(*) FROM request r WHERE length(r.sealed) = 0 OR NOT EXISTS "
                              "(SELECT 1 FROM event e WHERE e.request_id = r.id)").fetchone()[0]
    finally:
        con.close()
    # The store keeps each code as its keyed hash under the request's id.
    stored = {(rid, h) for rid, h in rows}
    key = kiosk.server_key()[0]
    missing = [s for s in shown if not any((rid, kiosk.code_hash(rid, s, key)) in stored for rid, _ in rows)]
    return (check == "ok" and not missing and orphans == 0,
            "integrity: %s; missing: %s; without event or identity: %d" % (check, missing, orphans))


def kill_later(k, delay):
    """A timer that kills the kiosk after delay; k.killed says it has."""
    k.killed = threading.Event()

    def kill():
        k.killed.set()
        k.p.send_signal(signal.SIGKILL)
    timer = threading.Timer(delay, kill)
    timer.start()
    return timer


def file_until_killed(k, shown, mid_commit=None):
    """Files requests until the kiosk dies; returns how it died. With
    mid_commit N, the kill lands while the N-th submission commits. The
    receipt code is recorded only once the receipt screen is up."""
    filed = 0
    try:
        while True:
            k.must("tap home.file")
            k.must("tap category.reflection")
            k.must("tap form.field.subject")
            k.must("type Ddenf ddwowngf hongr")
            k.must("tap form.field.details")
            k.must("type Ddenf tawts caar tuaanf")
            k.must("tap form.next")
            kiosk.review_to_end(k)
            filed += 1
            if filed == mid_commit:
                k.p.stdin.write("tap review.submit\n")
                k.p.stdin.flush()
                time.sleep(random.uniform(0, 0.004))
                k.killed.set()
                k.p.send_signal(signal.SIGKILL)
                return "during the commit"
            k.must("tap review.submit")
            d = k.dump()
            if d["screen"] == "receipt":
                code = next(w for w in d["widgets"] if w["id"] == "receipt.code")
                shown.append(code["label"].replace("-", ""))
            k.must("tap receipt.done")
    except (RuntimeError, BrokenPipeError, ValueError) as e:
        if not k.killed.is_set():
            # A step failed, not the kill: said so, and killed, so the
            # test does not wait for a kill its timer will not send.
            k.p.kill()
            return "a step failed: %s" % e
        return "at a random moment"


# ---- 1. SIGKILL during writes ----
cfg, data = make_config()
shown = []
rounds = int(os.environ.get("MOTCUA_POWERCUT_ROUNDS", "30"))
during = 0
for r in range(rounds):
    k = Kiosk(cfg)
    delay = random.uniform(0.05, 1.2)
    killer = kill_later(k, delay)
    how = file_until_killed(k, shown, random.randint(1, 12) if r % 2 else None)
    killer.cancel()
    if how.startswith("a step failed"):
        t.ok(False, "kill %d: the filing ran until the kill" % (r + 1), how)
    k.p.wait()
    during += how == "during the commit"
    ok, why = check_store(os.path.join(data, "request.db"), shown)
    t.ok(ok, "kill %d (%s): database intact, all %d shown receipts there" % (r + 1, how, len(shown)), why)
t.ok(len(shown) > 10 and during > 3 and rounds - during > 3, "the kills interrupted real work: %d receipts shown, "
     "%d kills mid-commit, %d at random moments" % (len(shown), during, rounds - during))

# ---- 2. power cuts that drop unsynced writes ----
def tool(*names):
    return all(shutil.which(n) for n in names)


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


work = tempfile.mkdtemp(prefix="motcua-powercut-")
mnt = os.path.join(work, "mnt")
os.makedirs(mnt)
img = os.path.join(work, "disk-0.img")
loop = None
usable = os.geteuid() == 0 and tool("losetup", "mount", "umount", "mkfs.ext4")
if usable:
    with open(img, "wb") as f:
        f.truncate(32 * 1024 * 1024)
    usable = run("mkfs.ext4", "-q", "-F", img).returncode == 0


def attach(image):
    """Mounts image at mnt (replaying its journal, as a boot does);
    returns the loop device, or None."""
    out = run("losetup", "-f", "--show", image)
    if out.returncode != 0:
        return None
    dev = out.stdout.strip()
    if run("mount", "-t", "ext4", "-o", "commit=600", dev, mnt).returncode != 0:
        run("losetup", "-d", dev)
        return None
    return dev


def detach(dev):
    run("umount", mnt)
    run("losetup", "-d", dev)


cuts = int(os.environ.get("MOTCUA_POWERCUT_CUTS", "10"))
if usable and (loop := attach(img)) is not None:
    os.makedirs(os.path.join(mnt, "data"))
    cfg, data = make_config(data_dir=os.path.join(mnt, "data"))
    shown = []
    try:
        # The harness itself: a cut keeps what was synced, drops what was not.
        with open(os.path.join(mnt, "synced"), "w") as f:
            f.write("kept")
            f.flush()
            os.fsync(f.fileno())
        dfd = os.open(mnt, os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)
        with open(os.path.join(mnt, "synced"), "a") as f:
            f.write(" and more")          # never synced
        with open(os.path.join(mnt, "unsynced"), "w") as f:
            f.write("lost")
        cut = os.path.join(work, "disk-0b.img")
        shutil.copyfile(img, cut)
        detach(loop)
        os.unlink(img)
        img = cut
        loop = attach(img)
        kept = open(os.path.join(mnt, "synced")).read() if loop and os.path.exists(os.path.join(mnt, "synced")) else None
        t.ok(loop is not None and kept == "kept" and not os.path.exists(os.path.join(mnt, "unsynced")),
             "a cut keeps what was synced and drops what was not (the test can see a lost write)", repr(kept))
        for r in range(cuts):
            k = Kiosk(cfg)
            delay = random.uniform(0.3, 2.0)
            killer = kill_later(k, delay)
            how = file_until_killed(k, shown)
            killer.cancel()
            if how.startswith("a step failed"):
                t.ok(False, "cut %d: the filing ran until the power went" % (r + 1), how)
            k.p.wait()
            # The power goes: the disk is what the image holds now.
            cut = os.path.join(work, "disk-%d.img" % (r + 1))
            shutil.copyfile(img, cut)
            # What the running system still sees, for comparison.
            live = check_store(os.path.join(data, "request.db"), shown)
            detach(loop)
            os.unlink(img)
            img = cut
            loop = attach(img)
            if loop is None:
                t.ok(False, "cut %d: the file system mounts after the cut" % (r + 1))
                break
            ok, why = check_store(os.path.join(data, "request.db"), shown)
            t.ok(ok and live[0], "cut %d at %.2fs, unsynced writes dropped: database intact, all %d shown receipts "
                 "there" % (r + 1, delay, len(shown)), why)
        t.ok(len(shown) > 5, "the cuts interrupted real work (%d receipts shown)" % len(shown))
    finally:
        if loop is not None:
            detach(loop)
else:
    t.ok(True, "power cuts that drop unsynced writes # SKIP needs root, a loop device and ext4 (losetup, mount)")
shutil.rmtree(work, ignore_errors=True)
t.done()
