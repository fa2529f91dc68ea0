"""Sync under faults, with real processes: connections cut at random byte
offsets by a proxy, the server killed mid-push, motcua-sync killed mid-sync,
the same batch delivered twice by USB. After recovery both sides must hold
exactly the same requests and events: none lost, none twice."""
import os, random, socket, sqlite3, subprocess, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap
from e2e import (Server, kiosk_config, register, sync, fill, kiosk_requests, kiosk_events, SYNC)

t = Tap()
rng = random.Random(int(os.environ.get("MOTCUA_SEED", "20261122")))
print("# seed %s" % os.environ.get("MOTCUA_SEED", "20261122"))


class CuttingProxy:
    """Forwards TCP to a port; each connection is cut, with probability p,
    after a random number of bytes in a random direction. The first
    connection after arm() is always cut, so every phase meets a cut even
    when the client keeps one connection alive for all its batches."""
    def __init__(self, target_port, p=0.7):
        self.target = target_port
        self.p = p
        self.cuts = 0
        self.armed = True
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def arm(self):
        self.armed = True
        self.cuts = 0

    def accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            try:
                s = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                c.close()
                continue
            cut = None
            if self.armed or rng.random() < self.p:
                self.armed = False
                cut = (rng.choice(("up", "down")), rng.randint(0, 40000))
                self.cuts += 1
            state = {"closed": False}
            for src, dst, d in ((c, s, "up"), (s, c, "down")):
                limit = cut[1] if cut and cut[0] == d else None
                threading.Thread(target=self.pump, args=(src, dst, limit, c, s, state), daemon=True).start()

    def pump(self, src, dst, limit, c, s, state):
        sent = 0
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    dst.shutdown(socket.SHUT_WR)
                    return
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[:limit - sent])
                    raise OSError("cut")
                dst.sendall(data)
                sent += len(data)
        except OSError:
            for x in (c, s):
                try:
                    x.close()
                except OSError:
                    pass


def same(srv, data, desc):
    sr, kr = srv.requests_hashed(), kiosk_requests(data)
    t.eq(len(sr), len(kr), "%s: as many requests upstream as at the kiosk (%d)" % (desc, len(kr)))
    t.ok(sr == kr, "%s: the very same requests on both sides" % desc)
    se, ke = srv.events(), kiosk_events(data)
    t.ok(se == ke, "%s: the very same events on both sides (%d)" % (desc, len(se)),
         "server %d, kiosk %d" % (len(se), len(ke)))
    con = srv.db()
    dup = con.execute("SELECT count(*) - count(DISTINCT token) FROM request").fetchone()[0]
    con.close()
    t.eq(dup, 0, "%s: no request twice" % desc)


def integrity(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


srv = Server().serve()
proxy = CuttingProxy(srv.port)
cfg, data = kiosk_config(srv, url="http://127.0.0.1:%d" % proxy.port)
register(srv, cfg)

# ---- connections cut at random byte offsets, pushing ----
fill(cfg, 1200)
attempts = 0
while attempts < 200:
    attempts += 1
    if sync(cfg).returncode == 0:
        break
t.ok(attempts < 200, "sync through a cutting proxy finishes (%d attempts, %d cuts)" % (attempts, proxy.cuts))
t.ok(proxy.cuts > 0, "the proxy did cut connections")
same(srv, data, "push with cuts")

# ---- and pulling: the officials' answers through the same proxy ----
proxy.arm()
# Complaints and denunciations are accepted only on their signed letter:
# the answers are for the other kinds.
for rid, token, *_ in [r for r in srv.requests() if r[2] not in ("complaint", "denunciation")][:40]:
    srv.cli("update", token, "--status", "accepted", "--note", "Đã thụ lý hồ sơ %s" % rid[-4:])
attempts = 0
while attempts < 200:
    attempts += 1
    if sync(cfg).returncode == 0:
        break
t.ok(attempts < 200 and proxy.cuts > 0, "pull through a cutting proxy finishes (%d attempts, %d cuts)" % (attempts, proxy.cuts))
same(srv, data, "pull with cuts")
con = sqlite3.connect(os.path.join(data, "request.db"))
accepted = con.execute("SELECT count(*) FROM request WHERE status = 'accepted'").fetchone()[0]
con.close()
t.eq(accepted, 40, "the kiosk shows the forty answers")

# ---- the server killed mid-push ----
cfg_direct, _ = kiosk_config(srv)
with open(cfg_direct) as f:
    direct = f.read().replace(os.path.dirname(cfg_direct) + "/data", data)
with open(cfg_direct, "w") as f:
    f.write(direct)
fill(cfg, 3000)
p = subprocess.Popen([SYNC, "--config", cfg_direct, "now"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
time.sleep(0.3 + rng.random() * 0.5)
srv.stop(9)
rc = p.wait(timeout=120)
t.ok(rc != 0 or len(srv.requests()) == len(kiosk_requests(data)), "sync reports the lost server (exit %d)" % rc)
t.eq(integrity(os.path.join(srv.data, "server.db")), "ok", "the server's database is intact after SIGKILL")
srv.serve()
t.eq(sync(cfg_direct).returncode, 0, "sync after the server's restart")
same(srv, data, "server killed mid-push")

# ---- motcua-sync killed mid-sync, several times ----
fill(cfg, 3000)
for i in range(4):
    p = subprocess.Popen([SYNC, "--config", cfg_direct, "now"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.1 + rng.random() * 0.4)
    p.kill()
    p.wait()
t.eq(integrity(os.path.join(data, "request.db")), "ok", "the kiosk's database is intact after SIGKILLs")
t.eq(sync(cfg_direct).returncode, 0, "sync after motcua-sync was killed")
same(srv, data, "kiosk killed mid-sync")

# ---- the same batch twice: two bundles with the same requests ----
fill(cfg, 25)
usb = os.path.join(os.path.dirname(cfg), "usb")
os.makedirs(usb)
sync(cfg, "export", usb)
sync(cfg, "export", usb)
bundles = sorted(os.path.join(usb, f) for f in os.listdir(usb))
t.eq(len(bundles), 2, "two bundles exported with the same requests")
r1 = srv.cli("import", bundles[0], "--reply", os.path.join(usb, "r1"))
r2 = srv.cli("import", bundles[1], "--reply", os.path.join(usb, "r2"))
t.ok(r1.returncode == 0 and r2.returncode == 0, "the server takes both", r1.stderr + r2.stderr)
t.eq(len(srv.requests()), len(kiosk_requests(data)), "the repeated batch is stored once")
r3 = srv.cli("import", bundles[0], "--reply", os.path.join(usb, "r3"))
t.ok(r3.returncode != 0, "the first bundle again is a replay", r3.stderr)
t.eq(sync(cfg, "import", os.path.join(usb, "r2")).returncode, 0, "the kiosk applies the newer reply")
t.eq(sync(cfg, "import", os.path.join(usb, "r1")).returncode, 0, "and the older one, harmlessly")
t.eq(sync(cfg_direct).returncode, 0, "a last sync")
same(srv, data, "batch delivered twice")
st = sync(cfg, "status")
t.ok(" 0" in st.stdout or "0 " in st.stdout, "nothing waits to be sent", st.stdout)
srv.stop()
t.done()
