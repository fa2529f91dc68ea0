"""The console's exports of lists longer than one batch of the workbook's
rows (the thread that reads them ahead hands them over 256 at a time):
1,001 requests, and 512, a whole number of batches, whose end comes in a
batch of none. The rows are grown in the server's schema in SQL as the
console bench does (bench/console_bench.py), into a real server's SQLite
store; the workbook, opened with zipfile, has every request once, in the
order of the CSV export of the same list."""
import csv, io, os, random, re, sys, zipfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from kiosk import Tap
from e2e import Server, Staff, run, SERVER
import console_bench  # noqa: E402

t = Tap()
SUPERVISOR = ("minh.tran", "mật khẩu lãnh đạo 2")

for n in (1001, 512):
    srv = Server(sqlite=True)
    run([SERVER, "user", "add", "--data", srv.data, "--name", SUPERVISOR[0], "--role", "supervisor"],
        input=SUPERVISOR[1] + "\n")
    console_bench.grow(srv.data, n, random.Random(15))
    srv.serve()
    try:
        s = Staff(srv)
        s.login(*SUPERVISOR)
        for sort in ("deadline", "received"):
            path = "/staff/export?view=all&sort=%s&format=" % sort
            lines = list(csv.reader(io.StringIO(s.opener.open(srv.url + path + "csv").read().decode("utf-8-sig"))))
            sheet = zipfile.ZipFile(io.BytesIO(s.opener.open(srv.url + path + "xlsx").read())).read(
                "xl/worksheets/sheet1.xml").decode()
            ids = re.findall(r'<c r="B\d+" t="inlineStr"><is><t>([^<]*)</t>', sheet)
            t.eq(sheet.count("<row "), n + 1, "%d requests, by %s: the workbook has a header and a row each" % (n, sort))
            t.ok(len(set(ids)) == n and ids == [l[1] for l in lines[1:]],
                 "%d requests, by %s: each once, in the CSV's order" % (n, sort), (len(ids), ids[:3], lines[1:4]))
    finally:
        srv.stop()
t.done()
