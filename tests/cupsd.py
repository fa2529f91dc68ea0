"""A throwaway CUPS scheduler for the tests: cupsd in the foreground with its
own ServerRoot, spool, state and logs in a fresh folder under /tmp, listening
on a free port of 127.0.0.1, stopped and removed at the end. Its queues print
through a `capture` backend of its own (a short shell script in its
ServerBin, beside links to the system's filters and daemons) that appends
what a job sends to a file, so a test reads exactly what reached the
printer. (A raw queue on a file: device wrote nothing with Debian's CUPS
2.4.2 here: the scheduler runs no filter for it, and file: has no backend.)

    with Cupsd(preserve_files=True) as cups:
        cups.add_queue("office")          # prints to cups.output("office")
        cups.server                       # "127.0.0.1:PORT", for [printer] server
        cups.jobs("completed")            # the history, as lpstat -W shows it
        cups.spool_files()                # what the spool keeps (c* control, d* data)
"""
import os, shutil, socket, subprocess, tempfile, time

CUPSD = "/usr/sbin/cupsd"
LPADMIN = "/usr/sbin/lpadmin"
LPSTAT = "/usr/bin/lpstat"
SYSTEM_BIN = "/usr/lib/cups"

CAPTURE = """#!/bin/sh
# capture:/path: what a job sends, appended to the file.
[ $# -eq 0 ] && { echo 'direct capture "Unknown" "motcua test capture"'; exit 0; }
out="${DEVICE_URI#capture:}"
if [ -n "$6" ]; then cat "$6" >> "$out"; else cat >> "$out"; fi
"""


def available():
    return all(os.path.exists(p) for p in (CUPSD, LPADMIN, LPSTAT))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Cupsd:
    def __init__(self, preserve_files=False, preserve_history=True):
        if not available():
            raise RuntimeError("CUPS is not installed (tools/deps.sh installs cups-daemon and cups-client)")
        self.root = tempfile.mkdtemp(prefix="motcua-cups-")
        self.port = free_port()
        self.server = "127.0.0.1:%d" % self.port
        self.preserve_files = preserve_files
        self.preserve_history = preserve_history
        self.proc = None

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        for d in ("spool", "cache", "state", "log", "out", "bin/backend"):
            os.makedirs(self.path(d), exist_ok=True)
        # The backend runs as lp when the scheduler is root: it must write there.
        os.chmod(self.path("out"), 0o777)
        for d in ("filter", "daemon", "notifier", "cgi-bin", "monitor", "driver"):
            if os.path.exists(os.path.join(SYSTEM_BIN, d)):
                os.symlink(os.path.join(SYSTEM_BIN, d), self.path("bin", d))
        with open(self.path("bin/backend/capture"), "w") as f:
            f.write(CAPTURE)
        os.chmod(self.path("bin/backend/capture"), 0o755)
        with open(self.path("cupsd.conf"), "w") as f:
            f.write("Listen %s\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultShared No\n"
                    "PreserveJobFiles %s\nPreserveJobHistory %s\n"
                    "<Location />\n  Order allow,deny\n  Allow from 127.0.0.1\n</Location>\n"
                    "<Location /admin>\n  Order allow,deny\n  Allow from 127.0.0.1\n</Location>\n"
                    "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
                    % (self.server, "Yes" if self.preserve_files else "No", "Yes" if self.preserve_history else "No"))
        with open(self.path("cups-files.conf"), "w") as f:
            f.write("ServerRoot %s\nRequestRoot %s\nCacheDir %s\nStateDir %s\nTempDir %s\n"
                    "AccessLog %s\nErrorLog %s\nPageLog %s\nServerBin %s\nDataDir /usr/share/cups\nPrintcap %s\n"
                    % (self.root, self.path("spool"), self.path("cache"), self.path("state"), self.path("spool"),
                       self.path("log/access_log"), self.path("log/error_log"), self.path("log/page_log"),
                       self.path("bin"), self.path("state/printcap")))
        self.proc = subprocess.Popen([CUPSD, "-f", "-c", self.path("cupsd.conf"), "-s", self.path("cups-files.conf")],
                                     stdout=subprocess.DEVNULL, stderr=open(self.path("log/stderr"), "w"))
        end = time.time() + 20
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("cupsd exited: " + open(self.path("log/stderr")).read()[-500:])
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("cupsd did not listen on %s" % self.server)

    def add_queue(self, name):
        out = self.output(name)
        r = subprocess.run([LPADMIN, "-h", self.server, "-p", name, "-v", "capture:" + out, "-E"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("lpadmin: " + r.stderr)
        return out

    def output(self, name):
        return self.path("out", name + ".prn")

    def printed(self, name):
        try:
            with open(self.output(name), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return b""

    def jobs(self, which="all"):
        r = subprocess.run([LPSTAT, "-h", self.server, "-W", which, "-o"], capture_output=True, text=True)
        return [l for l in r.stdout.splitlines() if l.strip()]

    def spool_files(self):
        return sorted(n for n in os.listdir(self.path("spool")) if n[:1] in ("c", "d"))

    def log(self):
        try:
            return open(self.path("log/error_log")).read()
        except FileNotFoundError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)
