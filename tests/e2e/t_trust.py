"""The server's command line as staff and a careless administrator use it:
`show` opens an identity only with a reason and leaves an audit row (who,
`show`, the request, the reason), says plainly when it opens a
denunciation, and prints what kiosks and officials wrote with its control
characters escaped; `user communes` gives an officer its communes. The
store's side of every trust rule (dates, codes claimed twice, catalog and
limits, out-of-order bundles, audit paging, officers' scope) is checked in
test_server.c and test_work.c."""
import os, pwd, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap
from e2e import Server, run, SERVER

t = Tap()
srv = Server()
now = int(time.time())
con = srv.db()
con.execute("INSERT INTO kiosk(id, key, added_at) VALUES('27280-1', zeroblob(32), ?)", (now - 86400,))
for seq, category in ((1, "petition"), (2, "denunciation")):
    con.execute("INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at, received_server_at,"
                " deadline, status, updated_at, sealed, commune, due) VALUES(?, '27280-1', ?, ?, ?, '', ?, ?,"
                " '2099-12-31', 'synced', ?, x'00', '27280', '2099-12-31')",
                ("27280-1-%06d" % seq, seq, "T%012d" % seq, category, now - 60, now - 60, now - 60))
con.commit()
con.close()
NOTE = "Đã nhận\x1b]0;pwned\x07\x1b[2J xong"
up = srv.cli("update", "27280-1-000001", "--status", "in_progress", "--note", NOTE)
t.eq(up.returncode, 0, "an official's note holding escape sequences is recorded")


def audit(action):
    c = srv.db()
    rows = c.execute("SELECT actor, request_id, detail FROM audit WHERE action = ? ORDER BY id", (action,)).fetchall()
    c.close()
    return rows


# ---- show needs a reason, and leaves a row ----
bare = srv.cli("show", "27280-1-000001")
t.ok(bare.returncode == 2 and "--reason" in bare.stderr, "show without --reason is refused, saying why", bare.stderr)
t.ok("identity" not in bare.stdout, "and prints nothing of the request", bare.stdout)
t.eq(audit("show"), [], "a refused show leaves no opening in the audit log")
shown = srv.cli("show", "27280-1-000001", "--reason", "Gọi lại cho công dân")
t.eq(shown.returncode, 0, "show with a reason opens the request")
me = pwd.getpwuid(os.geteuid()).pw_name
rows = audit("show")
t.ok(len(rows) == 1 and rows[0][0].startswith("os:" + me) and rows[0][1] == "27280-1-000001"
     and "Gọi lại cho công dân" in rows[0][2], "the audit row says who (the OS account), which request and why", rows)
t.ok("\x1b" not in shown.stdout and "\x07" not in shown.stdout, "no control character reaches the terminal",
     repr(shown.stdout[-300:]))
t.ok("\\x1b[2J" in shown.stdout and "Đã nhận" in shown.stdout, "they are shown escaped, the Vietnamese as it is",
     shown.stdout[-300:])
t.ok("DENUNCIATION" not in shown.stdout, "a petition is not announced as a denunciation")
den = srv.cli("show", "27280-1-000002", "--reason", "Thanh tra yêu cầu xác minh")
t.ok(den.returncode == 0 and "OPENING A DENUNCIATION" in den.stdout and "audit log" in den.stdout,
     "opening a denunciation says so plainly", den.stdout[:300])
t.eq(len(audit("show")), 2, "and is recorded too")

# ---- officers' communes ----
def user(*args):
    return run([SERVER, "user", args[0], "--data", srv.data] + list(args[1:]))


add = run([SERVER, "user", "add", "--data", srv.data, "--name", "canbo1", "--role", "officer"],
          input="một mật khẩu đủ dài\n")
t.eq(add.returncode, 0, "an officer's account is made")
sc = user("communes", "canbo1", "27280,27281")
t.ok(sc.returncode == 0 and "27280,27281" in sc.stdout, "user communes gives the officer two communes", sc.stdout + sc.stderr)
c = srv.db()
got = [r[0] for r in c.execute("SELECT commune FROM officer_commune WHERE name = 'canbo1' ORDER BY commune")]
c.close()
t.eq(got, ["27280", "27281"], "the store holds them")
t.ok(len(audit("scope")) == 1, "the change is in the audit log", audit("scope"))
bad = user("communes", "canbo1", "2728x")
t.ok(bad.returncode == 2 and "5 digits" in bad.stderr, "a malformed code is refused", bad.stderr)
none = user("communes", "canbo1", "none")
t.ok(none.returncode == 0 and "sees no requests" in none.stdout, "none takes them all away, saying what it means",
     none.stdout)
unknown = user("communes", "nobody", "27280")
t.ok(unknown.returncode == 2 and "no account" in unknown.stderr, "an unknown account is refused", unknown.stderr)
t.done()
