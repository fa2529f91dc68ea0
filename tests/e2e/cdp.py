"""Drives Debian's headless Chromium over the DevTools protocol from plain
Python: Chromium started with --remote-debugging-pipe reads commands on its
file descriptor 3 and writes answers and events on 4, each message JSON
ended by a NUL byte. One page target, attached in flat mode: navigate and
wait for the load event, evaluate JavaScript (fill inputs, click, read the
DOM), take screenshots. No pip packages."""
import base64, json, os, select, shutil, subprocess, tempfile, time
from e2e import CHROMIUM


class CdpError(RuntimeError):
    pass


class Browser:
    def __init__(self, width=1280, height=800, timeout=60, args=()):
        self.timeout = timeout
        self.prof = tempfile.mkdtemp(prefix="motcua-cdp-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            # Chromium's ends at the numbers the pipe mode expects; copied
            # out of the way first, as either may already be 3 or 4.
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.p = subprocess.Popen(CHROMIUM + ["--user-data-dir=" + self.prof, "--remote-debugging-pipe",
                                              "--window-size=%d,%d" % (width, height)] + list(args) + ["about:blank"],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  preexec_fn=fds, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                         "deviceScaleFactor": 1, "mobile": False}, session=True)

    # ---- the wire ----

    def _send(self, msg):
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self.to_chrome, data)
            data = data[n:]

    def _read_one(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise CdpError("no answer from Chromium in time")
            r, _, _ = select.select([self.from_chrome], [], [], left)
            if not r:
                continue
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise CdpError("Chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=False):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        self._send(msg)
        deadline = time.time() + self.timeout
        while True:
            m = self._read_one(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise CdpError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, name, timeout=None):
        deadline = time.time() + (timeout or self.timeout)
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == name:
                    del self.events[i]
                    return e
            m = self._read_one(deadline)
            if "method" in m:
                self.events.append(m)

    # ---- what tests use ----

    def goto(self, url):
        """Navigates and waits for the page's load event."""
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired")

    def eval(self, expression):
        """The value of a JavaScript expression (JSON-able), or raises."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True}, session=True)
        if "exceptionDetails" in r:
            raise CdpError("%s: %s" % (expression[:80], r["exceptionDetails"].get("text")))
        return r["result"].get("value")

    def act(self, expression):
        """Runs JavaScript that makes the page navigate (a click on a submit
        button, a link) and waits for the new page's load event."""
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        self.eval(expression)
        self.wait_event("Page.loadEventFired")

    def fill(self, selector, value):
        self.eval("(function(){var e=document.querySelector(%s); e.value=%s; return true})()"
                  % (json.dumps(selector), json.dumps(value)))

    def submit(self, selector):
        """Clicks a button or link and waits for the page it leads to."""
        self.act("document.querySelector(%s).click()" % json.dumps(selector))

    def text(self, selector="body"):
        return self.eval("(function(){var e=document.querySelector(%s); return e ? e.innerText : null})()"
                         % json.dumps(selector))

    def exists(self, selector):
        return self.eval("document.querySelector(%s) !== null" % json.dumps(selector))

    def url(self):
        return self.eval("location.href")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        for fd in (self.to_chrome, self.from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.prof, ignore_errors=True)
