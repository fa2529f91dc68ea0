"""No core dumps: the server and the kiosk, while running, have a core-file
limit of zero and are not dumpable (PR_SET_DUMPABLE 0, which the kernel
shows by giving their /proc files to root even when they run as another
user); a crash of the kiosk writes no core file; the installed systemd
units set LimitCORE=0."""
import os, pwd, shutil, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT, make_config, KIOSK
import e2e

t = Tap()


def core_limit(pid):
    for line in open("/proc/%d/limits" % pid):
        if line.startswith("Max core file size"):
            return line.split()[4:6]
    return None


def check(name, p, expect_uid):
    t.eq(core_limit(p.pid), ["0", "0"], "%s: core-file limit is zero" % name)
    st = os.stat("/proc/%d/status" % p.pid)
    t.ok(st.st_uid == 0 and expect_uid != 0, "%s: not dumpable (its /proc files belong to root, it runs as uid %d)"
         % (name, expect_uid), "owner %d" % st.st_uid)


nobody = pwd.getpwnam("nobody")
as_nobody = ["setpriv", "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid, "--clear-groups"]

# The server, run as nobody in a folder nobody owns.
srv = e2e.Server()
for root, dirs, files in os.walk(srv.dir):
    for n in dirs + files + [""]:
        os.chown(os.path.join(root, n), nobody.pw_uid, nobody.pw_gid)
os.chmod(srv.dir, 0o755)
log = open(srv.log, "a")
p = subprocess.Popen(as_nobody + [e2e.SERVER, "serve", "--data", srv.data, "--listen", "127.0.0.1:%d" % srv.port,
                                  "--assets", os.path.join(ROOT, "assets")], stdout=log, stderr=log)
time.sleep(0.5)
ok = p.poll() is None
t.ok(ok, "the server runs as nobody", open(srv.log).read()[-500:])
if ok:
    check("motcua-server", p, nobody.pw_uid)
p.terminate()
p.wait(timeout=10)

# The kiosk, headless, as nobody.
cfg, data = make_config()
for path in (os.path.dirname(cfg), data):
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
os.chmod(cfg, 0o644)
k = subprocess.Popen(as_nobody + [KIOSK, "--config", cfg, "--headless", "--control", "--size", "800x480"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                     cwd=os.path.dirname(cfg))
k.stdin.write("dump\n")
k.stdin.flush()
line = k.stdout.readline()
t.ok(bool(line), "the kiosk runs as nobody", k.stderr.read() if not line else "")
if line:
    check("motcua-kiosk", k, nobody.pw_uid)
# A crash: SIGABRT's default action would dump core into its folder.
k.send_signal(signal.SIGABRT)
k.wait(timeout=10)
t.eq(k.returncode, -signal.SIGABRT, "the kiosk died of the crash")
cores = [f for f in os.listdir(os.path.dirname(cfg)) if f.startswith("core")]
t.eq(cores, [], "and left no core file")

# The units.
stage = tempfile.mkdtemp(prefix="motcua-units-")
for unit in ("motcua-kiosk.service", "motcua-server.service", "motcua-sync.service"):
    text = open(os.path.join(ROOT, "deploy", unit + ".in")).read()
    t.ok("\nLimitCORE=0\n" in text, "%s sets LimitCORE=0" % unit)
shutil.rmtree(stage)
shutil.rmtree(srv.dir)
shutil.rmtree(os.path.dirname(cfg))
t.done()
