"""What a cache in front of the server is told (docs/postgresql.md, "What
may be cached"): every public answer says Cache-Control: no-store, so a
cache that follows HTTP keeps nothing of a citizen's page, of a
denunciation's, of an unknown code's answer or of a refusal; the public
figures say no-store too (a deployment may choose to cache those, never
the others). On the backend of the pass (SQLite, or PostgreSQL)."""
import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap
from e2e import Server, kiosk_config, register, fill, sync

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"


def unknown_code(rng):
    """A well-formed receipt code (check symbol right) that no kiosk issued."""
    value = rng.getrandbits(60)
    return "".join(ALPHABET[(value >> (5 * (11 - i))) & 31] for i in range(12)) + ALPHABET[value % 37]


t = Tap()
srv = Server().serve()
cfg, data = kiosk_config(srv)
register(srv, cfg)
codes = fill(cfg, 8)
t.eq(sync(cfg).returncode, 0, "a kiosk synced 8 requests")
cats = dict(srv.db().execute("SELECT id, category FROM request").fetchall())
denounced = [codes[i] for i in codes if cats.get(i) == "denunciation"]
other = [codes[i] for i in codes if cats.get(i) != "denunciation"]
t.ok(denounced and other, "among them a denunciation and other requests", cats)
paths = [("/r/" + other[0], 200), ("/r/" + other[0] + "?lang=en", 200), ("/api/v1/requests/" + other[0], 200),
         ("/r/" + denounced[0], 200), ("/api/v1/requests/" + denounced[0], 200),
         ("/r/" + unknown_code(random.Random(7)), 200), ("/api/v1/requests/" + unknown_code(random.Random(8)), 200),
         ("/r/not-a-code", 404), ("/api/v1/requests/not-a-code", 404),
         ("/stats", 200), ("/stats?lang=en", 200), ("/api/v1/stats", 200), ("/stats/27280", 200),
         ("/api/v1/stats/27280", 200), ("/healthz", 200)]
for path, want in paths:
    status, headers, _ = srv.get(path)
    t.eq((status, headers.get("Cache-Control")), (want, "no-store"), "%s: %d, Cache-Control: no-store" % (path, want))
srv.stop()
t.done()
