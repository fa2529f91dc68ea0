"""`make install` into a throwaway prefix: the programs, assets, fonts, the
sample configuration and the nightly sync units land where the README says,
and systemd-analyze verifies the units (when systemd is on the machine)."""
import os, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT

t = Tap()
prefix = tempfile.mkdtemp(prefix="motcua-install-")
out = subprocess.run(["make", "-s", "install", "PREFIX=" + prefix, "SYSCONFDIR=" + prefix + "/etc"],
                     cwd=ROOT, capture_output=True, text=True)
t.eq(out.returncode, 0, "make install succeeds")
for f in ("bin/motcua-kiosk", "bin/motcua-server", "bin/motcua-sync", "share/motcua/assets/catalog.json",
          "share/motcua/assets/holidays.json", "share/motcua/fonts/NotoSans-Regular.ttf",
          "etc/motcua/kiosk.ini.sample", "lib/systemd/system/motcua-sync.service",
          "lib/systemd/system/motcua-sync.timer"):
    t.ok(os.path.exists(os.path.join(prefix, f)), "installed " + f)
unit = open(os.path.join(prefix, "lib/systemd/system/motcua-sync.service")).read()
t.ok("ExecStart=%s/bin/motcua-sync --config %s/etc/motcua/kiosk.ini now" % (prefix, prefix) in unit,
     "the service runs the installed motcua-sync with the installed configuration", unit)
timer = open(os.path.join(prefix, "lib/systemd/system/motcua-sync.timer")).read()
t.ok("OnCalendar=*-*-* 02:00:00" in timer and "Persistent=true" in timer, "the timer fires at 02:00, persistently")
sample = open(os.path.join(prefix, "etc/motcua/kiosk.ini.sample")).read()
t.ok("assets_dir = %s/share/motcua/assets" % prefix in sample, "the sample configuration points at the installed assets")
if shutil.which("systemd-analyze"):
    v = subprocess.run(["systemd-analyze", "verify"] + [os.path.join(prefix, "lib/systemd/system", u)
                       for u in ("motcua-sync.service", "motcua-sync.timer")], capture_output=True, text=True)
    t.ok(v.returncode == 0 and "motcua" not in v.stderr, "systemd-analyze verify passes", v.stderr)
else:
    print("ok %d - systemd-analyze verify # SKIP systemd is not on this machine" % (t.n + 1))
    t.n += 1
shutil.rmtree(prefix)
t.done()
