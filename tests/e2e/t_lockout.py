"""A stranger cannot lock an official out. Over real sockets from two
loopback addresses: a stranger at 127.0.0.2 sends wrong passwords for an
official's name until the server makes that address wait (429); the
official, at 127.0.0.3, still logs in at once with the right password, and
the stranger, even with the right password, still waits. A new password
ends the sessions opened with the old one."""
import http.client, os, re, sys, urllib.parse
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap
import e2e

t = Tap()
NAME, PASSWORD = "lan.canbo", "mật khẩu đủ dài 2026"
srv = e2e.Server()
e2e.run([e2e.SERVER, "user", "add", "--data", srv.data, "--name", NAME, "--role", "officer"], input=PASSWORD + "\n")
srv.serve()


class From:
    """A browser at one loopback address, with its own cookies."""
    def __init__(self, address):
        self.address = address
        self.cookies = {}

    def request(self, method, path, form=None):
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30, source_address=(self.address, 0))
        headers = {"Cookie": "; ".join("%s=%s" % kv for kv in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        page = r.read().decode()
        for h, v in r.getheaders():
            if h.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        c.close()
        return r.status, page

    def login(self, password):
        _, page = self.request("GET", "/staff/login")
        m = re.search(r'name="csrf" value="([^"]+)"', page)
        return self.request("POST", "/staff/login", {"csrf": m.group(1) if m else "", "name": NAME,
                                                     "password": password, "next": "/staff/inbox"})


official = From("127.0.0.3")
code, _ = official.login(PASSWORD)
t.eq(code, 303, "the official logs in from 127.0.0.3")
session_cookies = dict(official.cookies)

stranger = From("127.0.0.2")
codes = [stranger.login("đoán thử %d" % i)[0] for i in range(12)]
t.ok(401 in codes and codes[-1] == 429, "the stranger's guesses from 127.0.0.2 end in waiting (429)", repr(codes))
code, _ = stranger.login(PASSWORD)
t.eq(code, 429, "the stranger waits even with the right password")

again = From("127.0.0.3")
code, page = again.login(PASSWORD)
t.eq(code, 303, "the official, at 127.0.0.3, is not locked out by the stranger")

code, _ = official.request("GET", "/staff/inbox")
t.eq(code, 200, "the official's first session is open")
p = e2e.run([e2e.SERVER, "user", "passwd", "--data", srv.data, NAME], input="mật khẩu mới hẳn 2026\n")
t.ok(p.returncode == 0, "user passwd sets a new password", p.stderr)
code, _ = official.request("GET", "/staff/inbox")
t.ok(code in (303, 401, 403), "a new password ends the sessions opened with the old one (%d)" % code)
srv.stop()
t.done()
