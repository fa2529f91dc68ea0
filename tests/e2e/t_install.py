"""`make install` into a throwaway prefix lays out a whole system: the
programs, assets, fonts, sample configurations, every systemd unit and the
system users; systemd-analyze verifies every unit (when systemd is on the
machine). Then the kiosk's side of the service contract: READY=1 once its
first frame is up, WATCHDOG=1 pings at half of WATCHDOG_USEC even when
nobody touches it, nothing of the kind without systemd, and log lines with
the journal's level prefixes when stderr is the journal."""
import os, shutil, socket, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT, make_config

t = Tap()
prefix = tempfile.mkdtemp(prefix="motcua-install-")
out = subprocess.run(["make", "-s", "install", "PREFIX=" + prefix, "SYSCONFDIR=" + prefix + "/etc"],
                     cwd=ROOT, capture_output=True, text=True)
t.eq(out.returncode, 0, "make install succeeds")
UNITS = ("motcua-kiosk.service", "motcua-server.service", "motcua-sync.service", "motcua-sync.timer",
         "motcua-office.service")
for f in ("bin/motcua-kiosk", "bin/motcua-server", "bin/motcua-sync", "share/motcua/assets/catalog.json",
          "share/motcua/assets/holidays.json", "share/motcua/assets/lang/vi.po", "share/motcua/assets/lang/en.po",
          "share/motcua/fonts/NotoSans-Regular.ttf",
          "share/motcua/fonts/NotoSans-Bold.ttf", "share/motcua/fonts/OFL.txt", "share/motcua/README.md",
          "etc/motcua/kiosk.ini.sample", "etc/motcua/server.env.sample", "lib/sysusers.d/motcua.conf") + \
        tuple("lib/systemd/system/" + u for u in UNITS):
    t.ok(os.path.exists(os.path.join(prefix, f)), "installed " + f)
ini = os.path.join(prefix, "etc/motcua/kiosk.ini")
t.ok(os.path.exists(ini) and os.stat(ini).st_mode & 0o777 == 0o640,
     "kiosk.ini (the PIN hash, the keys) is installed 0640", oct(os.stat(ini).st_mode) if os.path.exists(ini) else "missing")


def unit(name):
    with open(os.path.join(prefix, "lib/systemd/system", name)) as f:
        return f.read()


def has(text, *lines):
    return all(("\n%s\n" % l) in text for l in lines)


sync = unit("motcua-sync.service")
t.ok("ExecStart=%s/bin/motcua-sync --config %s/etc/motcua/kiosk.ini now" % (prefix, prefix) in sync,
     "the sync service runs the installed motcua-sync with the installed configuration", sync)
timer = unit("motcua-sync.timer")
t.ok("OnCalendar=*-*-* 02:00:00" in timer and "Persistent=true" in timer, "the timer fires at 02:00, persistently")
kiosk_unit = unit("motcua-kiosk.service")
t.ok("ExecStart=%s/bin/motcua-kiosk --config %s/etc/motcua/kiosk.ini --fullscreen" % (prefix, prefix) in kiosk_unit,
     "the kiosk service runs the installed kiosk, full screen", kiosk_unit)
t.ok(has(kiosk_unit, "Type=notify", "Restart=always", "Conflicts=getty@tty1.service", "TTYPath=/dev/tty1",
         "User=motcua", "SupplementaryGroups=video input render lp", "Environment=SDL_VIDEODRIVER=kmsdrm",
         "StandardError=journal", "WantedBy=multi-user.target"),
     "the kiosk takes tty1 at boot as motcua, on KMSDRM, restarted always, logging to the journal", kiosk_unit)
t.ok(any(l.startswith("WatchdogSec=") for l in kiosk_unit.splitlines()), "the kiosk has a watchdog")
settings = [l for l in kiosk_unit.splitlines() if not l.startswith("#")]
t.ok("PrivateDevices=yes" not in settings and not any(l.startswith(("DevicePolicy", "DeviceAllow", "ProtectClock"))
     for l in settings) and "NoNewPrivileges=yes" in settings,
     "hardened, but the screen, input and printer devices stay open to it")
office_unit = unit("motcua-office.service")
office_settings = [l for l in office_unit.splitlines() if not l.startswith("#")]
t.ok("SupplementaryGroups=lp" in office_settings and "PrivateDevices=yes" not in office_settings
     and "NoNewPrivileges=yes" in office_settings,
     "the office service may reach a USB receipt printer for the counters' papers, hardened otherwise", office_unit)
server = unit("motcua-server.service")
t.ok(has(server, "User=motcua-server", "StateDirectory=motcua-server", "ProtectSystem=strict", "PrivateTmp=yes",
         "NoNewPrivileges=yes", "SystemCallFilter=@system-service", "CapabilityBoundingSet=")
     and "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" in server,
     "the server runs unprivileged in its own state folder, hardened", server)
t.ok("--assets %s/share/motcua/assets" % prefix in server, "the server reads the installed assets", server)
t.ok(has(server, "LoadCredential=server.key:%s/etc/motcua/server.key" % prefix,
         "ConditionPathExists=%s/etc/motcua/server.key" % prefix) and "/var/lib/motcua-server/server.key" not in server,
     "the server's key is kept apart from its data and handed over as a credential", server)
with open(os.path.join(prefix, "lib/sysusers.d/motcua.conf")) as f:
    users = f.read()
t.ok("u motcua " in users and "u motcua-server " in users and all("m motcua %s" % g in users
     for g in ("video", "input", "render", "lp")), "sysusers makes both users, the kiosk's in its device groups", users)
if shutil.which("systemd-sysusers"):
    # Applied to a copy of this machine's user files, as at first boot.
    root = tempfile.mkdtemp(prefix="motcua-sysroot-")
    os.makedirs(os.path.join(root, "etc"))
    for f in ("passwd", "group", "shadow", "gshadow"):
        if os.path.exists("/etc/" + f):
            shutil.copy("/etc/" + f, os.path.join(root, "etc"))
    shutil.copytree(os.path.join(prefix, "lib/sysusers.d"), os.path.join(root, "usr/local/lib/sysusers.d"))
    su = subprocess.run(["systemd-sysusers", "--root=" + root], capture_output=True, text=True)
    with open(os.path.join(root, "etc/group")) as f:
        groups = {l.split(":")[0]: l.strip().split(":")[3].split(",") for l in f if l.count(":") >= 3}
    with open(os.path.join(root, "etc/passwd")) as f:
        made = [l.split(":")[0] for l in f]
    t.ok(su.returncode == 0 and "motcua" in made and "motcua-server" in made and
         all("motcua" in groups.get(g, []) for g in ("video", "input", "render", "lp")),
         "systemd-sysusers makes the users from the installed file, the kiosk's in its groups", su.stderr)
    shutil.rmtree(root)
else:
    t.ok(True, "systemd-sysusers makes the users # SKIP systemd is not on this machine")
with open(os.path.join(prefix, "etc/motcua/kiosk.ini.sample")) as f:
    sample = f.read()
t.ok("assets_dir = %s/share/motcua/assets" % prefix in sample, "the sample configuration points at the installed assets")
t.ok("[printer]" in sample and "[log]" in sample, "and has the printer and log sections")
if shutil.which("systemd-analyze"):
    v = subprocess.run(["systemd-analyze", "verify"] + [os.path.join(prefix, "lib/systemd/system", u) for u in UNITS],
                       capture_output=True, text=True)
    # verify also complains of things outside these units (the build
    # machine's own units, binaries it cannot find); only our lines count.
    ours = [l for l in v.stderr.splitlines() if "motcua" in l]
    t.ok(v.returncode == 0 and not ours, "systemd-analyze verify passes on every unit", v.stderr)
else:
    t.ok(True, "systemd-analyze verify # SKIP systemd is not on this machine")

# The sample, filled in only with what the README says to, passes the
# self-check's configuration line.
chk = subprocess.run([os.path.join(prefix, "bin/motcua-kiosk"), "--check", "--config",
                      os.path.join(prefix, "etc/motcua/kiosk.ini.sample")], capture_output=True, text=True)
t.ok(chk.returncode == 1 and "commune_code" in chk.stdout, "--check on the untouched sample says what to fill in",
     chk.stdout + chk.stderr)
shutil.rmtree(prefix)

# ---- the service contract: READY=1 and the watchdog ----
KIOSK = os.path.join(ROOT, "build/motcua-kiosk")
cfg, data = make_config()
sock_dir = tempfile.mkdtemp(prefix="motcua-notify-")
sock_path = os.path.join(sock_dir, "notify")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sock_path)
sock.settimeout(0.2)
env = dict(os.environ, SDL_VIDEODRIVER="offscreen", NOTIFY_SOCKET=sock_path, WATCHDOG_USEC="400000")
env.pop("WATCHDOG_PID", None)
p = subprocess.Popen([KIOSK, "--config", cfg, "--size", "800x480"], env=env, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
got = []
end = time.time() + 3.0
while time.time() < end:
    try:
        got.append(sock.recv(256).decode())
    except socket.timeout:
        pass
ready = [m for m in got if "READY=1" in m]
pings = [m for m in got if "WATCHDOG=1" in m]
t.ok(ready and got.index(ready[0]) == 0, "the kiosk says READY=1 first, once it is drawn", got)
t.ok(9 <= len(pings) <= 20, "an idle kiosk pings the watchdog every 200 ms (%d pings in 3 s)" % len(pings), got)
p.terminate()
err = p.communicate(timeout=20)[1]
t.eq(p.returncode, 0, "SIGTERM stops it cleanly")
late = []
try:
    while True:
        late.append(sock.recv(256).decode())
except socket.timeout:
    pass
t.ok(any("STOPPING=1" in m for m in late), "and it tells systemd it is stopping", late)

# Without systemd: no watchdog, and an idle kiosk sleeps (almost no CPU).
env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
for k in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "JOURNAL_STREAM"):
    env.pop(k, None)
p = subprocess.Popen([KIOSK, "--config", cfg, "--size", "800x480"], env=env, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
time.sleep(1.0)
with open("/proc/%d/stat" % p.pid) as f:
    fields = f.read().rsplit(")", 1)[1].split()
before = int(fields[11]) + int(fields[12])
time.sleep(2.0)
with open("/proc/%d/stat" % p.pid) as f:
    fields = f.read().rsplit(")", 1)[1].split()
after = int(fields[11]) + int(fields[12])
ticks = os.sysconf("SC_CLK_TCK")
t.ok((after - before) / ticks < 0.05, "without systemd an idle kiosk uses %.0f ms of CPU in 2 s"
     % ((after - before) * 1000 / ticks))
p.terminate()
err = p.communicate(timeout=20)[1]
t.ok("motcua-kiosk: info: started" in err and "<6>" not in err, "on a terminal, log lines say program and level", err)

# With stderr the journal's stream: sd-daemon level prefixes.
logf = open(os.path.join(sock_dir, "stderr"), "w+")
st = os.fstat(logf.fileno())
env = dict(os.environ, SDL_VIDEODRIVER="offscreen", JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino),
           MOTCUA_LOG="debug")
for k in ("NOTIFY_SOCKET", "WATCHDOG_USEC"):
    env.pop(k, None)
cfg_nopin, _ = make_config(key=False)
p = subprocess.Popen([KIOSK, "--config", cfg_nopin, "--size", "800x480"], env=env, stdout=subprocess.PIPE,
                     stderr=logf, text=True)
time.sleep(1.0)
p.terminate()
p.wait(timeout=20)
logf.seek(0)
log = logf.read()
t.ok("<6>started" in log and "<4>" in log and "motcua-kiosk:" not in log,
     "under journald: <6> for info, <4> for warnings, no program name", log)
env["MOTCUA_LOG"] = "error"
logf.seek(0)
logf.truncate()
p = subprocess.Popen([KIOSK, "--config", cfg_nopin, "--size", "800x480"], env=env, stdout=subprocess.PIPE,
                     stderr=logf, text=True)
time.sleep(1.0)
p.terminate()
p.wait(timeout=20)
logf.seek(0)
log = logf.read()
t.ok("<6>" not in log and "<4>" not in log, "MOTCUA_LOG=error keeps info and warnings out", log)
shutil.rmtree(sock_dir)
t.done()
