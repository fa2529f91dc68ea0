"""A throwaway PostgreSQL cluster for the tests: initdb into a fresh folder
under /tmp, the server on a Unix socket in that folder (no TCP port), one
database, stopped and removed at the end. As root, the cluster runs as the
`postgres` user (PostgreSQL refuses root), the folder given to it.

    with Cluster() as pg:
        url = pg.url          # postgresql:///motcua?host=/tmp/...&user=postgres
        other = pg.createdb("two")
        rep = pg.standby()    # a streaming replica, its own socket; rep.url, rep.stop()

Also a command: `python3 tests/pgcluster.py start|stop DIR` for the shell
(bench/run.sh)."""
import glob, os, pwd, shutil, subprocess, sys, tempfile

BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)


def bindir():
    for d in BINDIRS:
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    return None


def available():
    return bindir() is not None


class Cluster:
    def __init__(self, root=None, db="motcua", durable=False):
        self.bin = bindir()
        if not self.bin:
            raise RuntimeError("PostgreSQL is not installed (tools/deps.sh installs postgresql)")
        self.root = root or tempfile.mkdtemp(prefix="motcua-pg-")
        self.data = os.path.join(self.root, "data")
        self.db = db
        self.durable = durable       # as a deployment keeps it (benchmarks); else nothing flushed (tests)
        self.as_root = os.getuid() == 0
        self.user = "postgres" if self.as_root else pwd.getpwuid(os.getuid()).pw_name
        self.url = self.url_of(db)

    def url_of(self, db):
        return "postgresql:///%s?host=%s&user=%s" % (db, self.root, self.user)

    def _run(self, args, **kw):
        if self.as_root:
            args = ["runuser", "-u", "postgres", "--"] + args
        return subprocess.run(args, capture_output=True, text=True, **kw)

    def start(self):
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        os.chmod(self.root, 0o755)
        p = self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "-A", "trust", "-U", self.user,
                       "-E", "UTF8", "--locale=C"] + ([] if self.durable else ["--no-sync"]))
        if p.returncode != 0:
            raise RuntimeError("initdb failed: " + p.stderr[-2000:])
        # A cluster for tests: no TCP, its socket in its folder, nothing
        # flushed to disk (it is thrown away), room for many connections,
        # and pg_stat_statements loaded so a test can count statements.
        opts = "-k %s -c listen_addresses='' -c max_connections=300 -c shared_buffers=64MB" \
               " -c shared_preload_libraries=pg_stat_statements" % self.root
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        p = self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-o", opts, "-l",
                       os.path.join(self.root, "log"), "-w", "-t", "60", "start"])
        if p.returncode != 0:
            log = open(os.path.join(self.root, "log")).read() if os.path.exists(os.path.join(self.root, "log")) else ""
            raise RuntimeError("pg_ctl start failed: " + p.stderr[-1000:] + log[-2000:])
        self.createdb(self.db)
        return self

    def createdb(self, name):
        p = self._run([os.path.join(self.bin, "createdb"), "-h", self.root, "-U", self.user, name])
        if p.returncode != 0:
            raise RuntimeError("createdb %s failed: %s" % (name, p.stderr))
        return self.url_of(name)

    def psql(self, sql, db=None):
        """Runs sql; the rows as lists of strings (tab-separated output)."""
        p = self._run([os.path.join(self.bin, "psql"), "-h", self.root, "-U", self.user, "-d", db or self.db,
                       "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        if p.returncode != 0:
            raise RuntimeError("psql: " + p.stderr)
        return [line.split("\t") for line in p.stdout.splitlines() if line]

    def stop(self):
        for rep in getattr(self, "standbys", []):
            rep.stop()
        self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.root, ignore_errors=True)

    def standby(self):
        """A hot standby streaming from this cluster: pg_basebackup -R (which
        writes primary_conninfo and standby.signal), started on a Unix
        socket in its own folder. Stopped with the primary."""
        rep = Standby(self)
        self.standbys = getattr(self, "standbys", []) + [rep]
        return rep.start()


class Standby:
    def __init__(self, primary):
        self.primary = primary
        self.root = tempfile.mkdtemp(prefix="motcua-pgrep-")
        self.data = os.path.join(self.root, "data")
        self.url = "postgresql:///%s?host=%s&user=%s" % (primary.db, self.root, primary.user)
        self.running = False

    def start(self):
        pg = self.primary
        if pg.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        os.chmod(self.root, 0o755)
        if not os.path.exists(self.data):
            p = pg._run([os.path.join(pg.bin, "pg_basebackup"), "-h", pg.root, "-U", pg.user, "-D", self.data,
                         "-R", "-X", "stream", "-c", "fast"])
            if p.returncode != 0:
                raise RuntimeError("pg_basebackup failed: " + p.stderr[-2000:])
        opts = "-k %s -c listen_addresses='' -c max_connections=300 -c shared_buffers=32MB -c hot_standby=on" \
               " -c fsync=off" % self.root
        p = pg._run([os.path.join(pg.bin, "pg_ctl"), "-D", self.data, "-o", opts, "-l",
                     os.path.join(self.root, "log"), "-w", "-t", "60", "start"])
        if p.returncode != 0:
            log = open(os.path.join(self.root, "log")).read() if os.path.exists(os.path.join(self.root, "log")) else ""
            raise RuntimeError("standby start failed: " + p.stderr[-1000:] + log[-2000:])
        self.running = True
        return self

    def psql(self, sql):
        pg = self.primary
        p = pg._run([os.path.join(pg.bin, "psql"), "-h", self.root, "-U", pg.user, "-d", pg.db,
                     "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        if p.returncode != 0:
            raise RuntimeError("psql: " + p.stderr)
        return [line.split("\t") for line in p.stdout.splitlines() if line]

    def halt(self):
        """Stops the standby, its folder kept (start() brings it back)."""
        if self.running:
            self.primary._run([os.path.join(self.primary.bin, "pg_ctl"), "-D", self.data, "-m", "immediate",
                               "-w", "stop"])
        self.running = False

    def stop(self):
        self.halt()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "start":
        os.makedirs(sys.argv[2], exist_ok=True)
        print(Cluster(root=sys.argv[2]).start().url)
    elif len(sys.argv) == 3 and sys.argv[1] == "stop":
        Cluster(root=sys.argv[2]).stop()
    else:
        sys.exit("usage: pgcluster.py start|stop DIR")
