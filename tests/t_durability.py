"""Durability: the kiosk is killed with SIGKILL at random moments while
citizens file requests. After each kill the database passes
PRAGMA integrity_check, and every request whose receipt was shown is there
with the token the receipt showed."""
import os, random, signal, sqlite3, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosk
from kiosk import Tap, Kiosk, make_config

t = Tap()
kiosk.KIOSK = os.path.join(kiosk.ROOT, "build/motcua-kiosk")   # the real build, for speed
random.seed(int(os.environ.get("MOTCUA_SEED", time.time())))
cfg, data = make_config()
shown = []          # tokens of receipts the kiosk showed
rounds = 12
for r in range(rounds):
    k = Kiosk(cfg)
    delay = random.uniform(0.05, 1.5)
    killer = threading.Timer(delay, lambda p=k.p: p.send_signal(signal.SIGKILL))
    killer.start()
    try:
        while True:
            k.must("tap home.file")
            k.must("tap category.reflection")
            k.must("tap form.field.subject")
            k.must("type Ddenf ddwowngf hongr")
            k.must("tap form.field.details")
            k.must("type Ddenf tawts caar tuaanf")
            k.must("tap form.next")
            k.must("tap review.submit")
            d = k.dump()
            if d["screen"] == "receipt":
                code = next(w for w in d["widgets"] if w["id"] == "receipt.code")
                shown.append(code["label"].replace("-", ""))
            k.must("tap receipt.done")
    except (RuntimeError, BrokenPipeError, ValueError):
        pass
    killer.cancel()
    k.p.wait()
    con = sqlite3.connect(os.path.join(data, "request.db"))
    check = con.execute("PRAGMA integrity_check").fetchone()[0]
    stored = {row[0] for row in con.execute("SELECT token FROM request")}
    con.close()
    missing = [s for s in shown if s not in stored]
    t.ok(check == "ok" and not missing, "after kill %d (at %.2fs): database intact, all %d shown receipts stored"
         % (r + 1, delay, len(shown)), "integrity: %s, missing: %s" % (check, missing))
t.ok(len(shown) > 5, "the kills interrupted real work (%d receipts shown)" % len(shown))
t.done()
