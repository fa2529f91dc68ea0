"""A network receipt printer on 127.0.0.1 for the tests: answers the
ESC/POS status queries (DLE EOT n) as told and keeps the jobs it is sent."""
import socket, threading, time

READY = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}     # offline, paper-end stop, roll end
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}


class FakePrinter:
    """A network printer on 127.0.0.1: answers DLE EOT status queries as told
    (None: never answers), after `delay` seconds, and keeps what it is sent."""
    def __init__(self, status=READY, delay=0.0):
        self.status, self.delay = status, delay
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.jobs = []
        self.queries = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.handle(c)

    def handle(self, c):
        data, started = b"", False
        c.settimeout(30)
        while True:
            try:
                chunk = c.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            # Status queries come before the page; a page's picture may hold
            # the same bytes, so only the front is read as commands.
            while not started and len(data) >= 3 and data[:2] == b"\x10\x04":
                n = data[2]
                self.queries.append(n)
                data = data[3:]
                if self.status is not None and n in self.status:
                    time.sleep(self.delay)
                    c.sendall(bytes([self.status[n]]))
            if data[:2] == b"\x1b\x40":
                started = True
        c.close()
        self.jobs.append(data)

    def wait_job(self, n=1, timeout=15):
        end = time.time() + timeout
        while len(self.jobs) < n and time.time() < end:
            time.sleep(0.05)
        return self.jobs[n - 1] if len(self.jobs) >= n else None

    def close(self):
        self.sock.close()


