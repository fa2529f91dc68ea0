"""The server's key kept apart from its database: `init --key-file` writes
it outside the data folder, which then holds nothing that opens a sealed
identity; `serve` finds it as a systemd credential ($CREDENTIALS_DIRECTORY,
as LoadCredential= hands it over) and starts; without it, it refuses to;
and a server whose key lies beside its database (an older install)
still starts, and warns."""
import os, shutil, subprocess, sys, tempfile, time, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT
import e2e

t = Tap()
work = tempfile.mkdtemp(prefix="motcua-keyapart-")
data, keys = os.path.join(work, "data"), os.path.join(work, "etc")
os.makedirs(keys, mode=0o700)
key_file = os.path.join(keys, "server.key")
p = e2e.run([e2e.SERVER, "init", "--data", data, "--key-file", key_file, "--public-url", "https://motcua.example.vn"])
t.ok(p.returncode == 0 and p.stdout.startswith("mc1."), "init --key-file makes the key apart", p.stderr)
t.ok(os.path.exists(key_file) and os.stat(key_file).st_mode & 0o777 == 0o600, "the key file is there, 0600")
t.ok(not os.path.exists(os.path.join(data, "server.key")), "the data folder holds no key")
with open(key_file, "rb") as f:
    secret = f.read()
leaked = [n for n in os.listdir(data) if secret[32:96] in open(os.path.join(data, n), "rb").read()]
t.eq(leaked, [], "no file of the data folder holds the secret halves")

# serve, with the key handed over as systemd's LoadCredential= does.
creds = os.path.join(work, "credentials")
os.makedirs(creds)
shutil.copy(key_file, os.path.join(creds, "server.key"))
port = e2e.free_port()
log = os.path.join(work, "serve.log")
env = dict(os.environ, CREDENTIALS_DIRECTORY=creds)
srv = subprocess.Popen([e2e.SERVER, "serve", "--data", data, "--listen", "127.0.0.1:%d" % port,
                        "--assets", os.path.join(ROOT, "assets")], env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
up = False
for _ in range(100):
    try:
        up = urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=1).status == 200
        break
    except Exception:
        time.sleep(0.05)
t.ok(up, "serve starts with its key from $CREDENTIALS_DIRECTORY", open(log).read()[-800:])
srv.terminate()
srv.wait(timeout=10)
t.ok("beside the database" not in open(log).read(), "and does not warn")

# Without the credential, serve cannot start: the key is not in the data folder.
port2 = e2e.free_port()
p = subprocess.run([e2e.SERVER, "serve", "--data", data, "--listen", "127.0.0.1:%d" % port2,
                    "--assets", os.path.join(ROOT, "assets")], capture_output=True, text=True, timeout=30)
t.ok(p.returncode != 0 and "server.key" in p.stderr, "without the key, serve refuses to start and says why", p.stderr)

# An old install: the key beside the database works, with a warning.
old = e2e.Server()
old.serve()
old.stop()
t.ok("lies beside the database" in open(old.log).read(), "a key beside the database is warned about",
     open(old.log).read()[-800:])
shutil.rmtree(work)
shutil.rmtree(old.dir, ignore_errors=True)
t.done()
