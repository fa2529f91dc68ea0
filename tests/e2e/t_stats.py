"""The public figures on a real server: /stats and /stats/<code> in both
languages and their JSON twins, which must say the same; hidden cells shown
as a dash with the footnote; 404s; no script, no personal data, under 30 KB;
screenshots in headless Chromium at 1280x800 and 390x844 (the exact figures
are checked in test_stats.c)."""
import datetime, html.parser, json, os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, SHOTS
from e2e import Server, chromium

t = Tap()
VN = datetime.timezone(datetime.timedelta(hours=7))
A, B, C = "27280", "27283", "27290"
NAMES = {A: "Xã Phù Lãng", B: "Xã Tân Mỹ", C: "Xã Không Hồ Sơ"}
SECRET = "Nguyễn Văn An"

srv = Server()
now = int(time.time())
local = datetime.datetime.fromtimestamp(now, VN)
month_start = int(datetime.datetime(local.year, local.month, 1, tzinfo=VN).timestamp())
# Everything happens between the month's first second and now, so the
# figures are the same for the month and the year whenever this runs.
span = max(now - month_start - 120, 2)


def fill():
    con = srv.db()
    seq = 0

    def add(commune, category, received, status, closed=None, on_time=None, due="2099-12-31"):
        nonlocal seq
        seq += 1
        con.execute("INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at,"
                    " received_server_at, deadline, status, updated_at, sealed, commune, due, closed_at, on_time)"
                    " VALUES(?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ("%s-1-%06d" % (commune, seq), commune + "-1", seq, "T%012d" % seq, category, received,
                     received, due, status, received, SECRET.encode(), commune, due, closed, on_time))

    for code in (A, B):
        con.execute("INSERT INTO kiosk(id, key, added_at) VALUES(?, zeroblob(32), ?)", (code + "-1", now))
    for code, name in NAMES.items():
        con.execute("INSERT INTO commune(code, name) VALUES(?, ?)", (code, name))
    start = month_start + 60
    # A: 6 procedures resolved (5 on time), 1 rejected on time, 1 open and
    # overdue; 4 petitions resolved on time; 1 denunciation (hidden).
    for k in range(6):
        add(A, "procedure", start, "resolved", start + span * (k + 1) // 8, 1 if k < 5 else 0)
    add(A, "procedure", start, "rejected", start + span // 2, 1)
    add(A, "procedure", start, "accepted", due="2000-01-01")
    for k in range(4):
        add(A, "petition", start, "resolved", start + span // 4, 1)
    add(A, "denunciation", start, "accepted")
    # B: 2 reflections, both hidden, and so is one more cell beside them.
    add(B, "reflection", start, "resolved", start + span // 3, 1)
    add(B, "reflection", start, "synced")
    con.commit()
    con.close()


fill()
srv.serve()


class Tables(html.parser.HTMLParser):
    """Every table's rows as lists of cell texts, and the chart's items."""
    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell, self.bars, self.links = [], None, None, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def parse(page):
    p = Tables()
    p.feed(page)
    return p


def shown(value, lang, unit=""):
    """A JSON figure as the page writes it."""
    if value is None:
        return "ẩn" if lang == "vi" else "hidden"
    if isinstance(value, float) or unit:
        text = "%.1f" % value
        text = text.replace(".", ",") if lang == "vi" else text
        return text + unit.strip()
    text = "{:,}".format(value)
    return text.replace(",", ".") if lang == "vi" else text


def cells(figures, lang, overdue=None):
    """The cells of one table row, from a JSON row's period figures."""
    out = [shown(figures["received"], lang), shown(figures["resolved"], lang), shown(figures["on_time"], lang)]
    for value, unit in ((figures["on_time_rate"], "%"), (figures["median_days"], "")):
        if figures["resolved"] == 0:
            out.append("chưa có" if lang == "vi" else "none yet")   # nothing to compute from
        else:
            out.append(shown(None if value is None else value * (100 if unit else 1), lang, unit or " "))
    if overdue is not False:
        out.append(shown(overdue, lang))
    return out


def table_agrees(tables, doc, rows_key, names, lang):
    """Both tables (year, then month) say what the JSON says, row by row."""
    problems = []
    for ti, period in enumerate(("year", "month")):
        body = tables[ti][1:]                           # without the header row
        want = [[names(r)] + cells(r[period], lang, r["overdue"] if period == "year" else False)
                for r in doc[rows_key]]
        want.append([("Tổng" if lang == "vi" else "Total")] +
                    cells(doc["total"][period], lang, doc["total"]["overdue"] if period == "year" else False))
        if body != want:
            problems.append((period, body, want))
    return problems


# ---- all communes ----
code, hdr, page = srv.get("/stats")
t.eq(code, 200, "/stats answers")
t.ok(hdr.get("Content-Type", "").startswith("text/html"), "as HTML", hdr)
t.ok("default-src 'none'" in hdr.get("Content-Security-Policy", ""), "with the pages' security headers", hdr)
t.ok(len(page.encode()) < 30 * 1024, "under 30 KB (%d bytes)" % len(page.encode()))
t.ok("<script" not in page.lower(), "no JavaScript")
code, _, body = srv.get("/api/v1/stats")
doc = json.loads(body) if code == 200 else {}
t.eq(code, 200, "/api/v1/stats answers")
t.eq([c["commune"]["code"] for c in doc.get("communes", [])], [A, B, C], "every commune, the one without requests too")
p = parse(page)
t.eq(table_agrees(p.tables, doc, "communes", lambda r: r["commune"]["name"], "vi"), [],
     "the HTML tables say what the JSON says (vi)")
t.ok("stats/%s" % A in p.links and "stats/%s" % C in p.links, "each commune links to its own page", p.links)
b = [c for c in doc["communes"] if c["commune"]["code"] == B][0]
t.ok(b["year"]["received"] is None and b["year"]["resolved"] is None,
     "B's 2 requests and 1 answer are hidden in JSON (null)", b)
a = [c for c in doc["communes"] if c["commune"]["code"] == A][0]
t.ok(a["year"]["received"] is None, "and so is A's count beside them, which would give B's away", a)
t.ok(doc["total"]["year"]["received"] == 15 and doc["total"]["year"]["resolved"] == 12,
     "the total is shown: 15 received, 12 resolved", doc["total"])
t.ok("ẩn" in page and "dưới 3 hồ sơ" in page and "Cách đọc" in page and "—" not in page,
     "the page marks hidden cells with one word, explained above the tables, no dash")
t.ok("giải quyết xong và từ chối" in page, "the page says resolved counts rejections too")

code, _, en = srv.get("/stats?lang=en")
t.ok(code == 200 and 'lang="en"' in en and "Resolved" in en, "English", en[:300])
t.eq(table_agrees(parse(en).tables, doc, "communes", lambda r: r["commune"]["name"], "en"), [],
     "the English tables say what the JSON says")

# ---- one commune ----
code, _, page = srv.get("/stats/" + A)
code_j, _, body = srv.get("/api/v1/stats/" + A)
doc = json.loads(body) if code_j == 200 else {}
t.ok(code == 200 and code_j == 200, "/stats/%s and its JSON twin answer" % A)
t.ok(NAMES[A] in page and doc.get("commune", {}).get("name") == NAMES[A], "the commune's name, from the commune table")
cats = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "catalog.json")))
names = {c["id"]: c["name"]["vi"] if isinstance(c["name"], dict) else c["name"] for c in cats["categories"]}
p = parse(page)
t.eq(table_agrees(p.tables, doc, "categories", lambda r: names.get(r["category"]["id"], r["category"]["id"]), "vi"),
     [], "the commune's tables say what its JSON says, by category")
proc = [c for c in doc["categories"] if c["category"]["id"] == "procedure"][0]
t.ok(proc["year"]["resolved"] == 7 and proc["year"]["on_time"] == 6 and abs(proc["year"]["on_time_rate"] - 0.857) < 1e-9,
     "procedures: 7 resolved, 6 on time, 85.7%", proc)
t.ok("85,7%" in page, "the page writes 85,7%")
den = [c for c in doc["categories"] if c["category"]["id"] == "denunciation"][0]
t.ok(den["year"]["received"] is None, "the lone denunciation is hidden", den)
t.ok('href="../stats"' in page, "a link back to all communes")
code, _, page_c = srv.get("/stats/" + C)
t.ok(code == 200 and NAMES[C] in page_c, "a commune without requests has its page, all zeros")
for bad in ("99999", "2728", "abcde", "27280x", "27280/extra"):
    code, _, _ = srv.get("/stats/" + bad)
    code_j, _, body = srv.get("/api/v1/stats/" + bad)
    t.ok(code == 404 and code_j == 404 and json.loads(body).get("error") == "not_found",
         "/stats/%s is 404, page and JSON" % bad)
code, _, _ = srv.get("/stats?p=2")
t.eq(code, 404, "a page of the list past its end is 404")

# ---- nothing personal, nothing leaked ----
everything = "".join(srv.get(u)[2] for u in ("/stats", "/stats/" + A, "/api/v1/stats", "/api/v1/stats/" + A))
t.ok(SECRET not in everything and "T0000000" not in everything and "%s-1-0" % A not in everything,
     "no sealed content, token or request id on any of them")

t.ok(chromium(srv.url + "/stats/" + B, os.path.join(SHOTS, "stats-hidden-vi-390x844.png")),
     "Chromium screenshot of a commune whose figures are all hidden")
dom = chromium(srv.url + "/stats/" + A, dom=True)
t.ok("85,7%" in dom, "Chromium renders the figures", dom[:300])


# ---- a province's year, for the screenshots ----
def demo(server):
    """Seven communes' requests since 1 January, one commune small enough
    that its figures are hidden."""
    import random
    rnd = random.Random(7)
    year_start = int(datetime.datetime(local.year, 1, 1, tzinfo=VN).timestamp())
    today = local.strftime("%Y-%m-%d")
    communes = [("27280", "Xã Phù Lãng", 420), ("27283", "Xã Tân Mỹ", 310), ("27286", "Xã Đông Phong", 260),
                ("27289", "Xã Yên Giả", 180), ("27292", "Xã Hòa Long", 350), ("27295", "Phường Vũ Ninh", 520),
                ("27298", "Xã Cao Đức", 2)]
    limit = {"procedure": 5, "petition": 15, "reflection": 15, "complaint": 30, "denunciation": 30, "dialogue": 20}
    kinds = ["procedure"] * 10 + ["petition", "reflection", "reflection", "complaint", "denunciation", "dialogue"]
    con = server.db()
    seq = 0
    for code, name, n in communes:
        con.execute("INSERT INTO kiosk(id, key, added_at) VALUES(?, zeroblob(32), ?)", (code + "-1", year_start))
        con.execute("INSERT INTO commune(code, name) VALUES(?, ?)", (code, name))
        skill = rnd.uniform(0.8, 1.4)
        for _ in range(n):
            seq += 1
            cat = rnd.choice(kinds)
            received = rnd.randint(year_start, now - 3600)
            took = int(rnd.expovariate(1 / (limit[cat] * 86400 * 0.55 * skill)))
            due = datetime.datetime.fromtimestamp(received + limit[cat] * 86400, VN).strftime("%Y-%m-%d")
            closed = received + took if received + took < now else None
            status = ("rejected" if rnd.random() < 0.08 else "resolved") if closed else "in_progress"
            on_time = None
            if closed:
                on_time = int(datetime.datetime.fromtimestamp(closed, VN).strftime("%Y-%m-%d") <= due)
            con.execute("INSERT INTO request(id, kiosk, seq, token, category, procedure, received_at,"
                        " received_server_at, deadline, status, updated_at, sealed, commune, due, closed_at, on_time)"
                        " VALUES(?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, x'00', ?, ?, ?, ?)",
                        ("%s-1-%06d" % (code, seq), code + "-1", seq, "D%012d" % seq, cat, received, received, due,
                         status, closed or received, code, due, closed, on_time))
    con.commit()
    con.close()
    return today


shown_srv = Server()
demo(shown_srv)
shown_srv.serve()
for url, name, size in (("/stats", "stats-vi-1280x800", "1280,800"), ("/stats?lang=en", "stats-en-1280x800", "1280,800"),
                        ("/stats", "stats-vi-390x844", "390,844"), ("/stats?lang=en", "stats-en-390x844", "390,844"),
                        ("/stats/27280", "stats-commune-vi-1280x800", "1280,800"),
                        ("/stats/27280?lang=en", "stats-commune-en-1280x800", "1280,800"),
                        ("/stats/27280", "stats-commune-vi-390x844", "390,844"),
                        ("/stats/27280?lang=en", "stats-commune-en-390x844", "390,844")):
    png = os.path.join(SHOTS, name + ".png")
    t.ok(chromium(shown_srv.url + url, png, size=size), "Chromium screenshot of %s at %s" % (url, size.replace(",", "x")))
for url in ("/stats", "/stats?lang=en", "/stats/27280", "/stats/27298?lang=en"):
    code, _, page = shown_srv.get(url)
    t.ok(code == 200 and len(page.encode()) < 30 * 1024, "%s: under 30 KB (%d bytes)" % (url, len(page.encode())))
code, _, body = shown_srv.get("/api/v1/stats")
small = [c for c in json.loads(body)["communes"] if c["commune"]["code"] == "27298"][0]
t.ok(small["year"]["received"] is None, "the commune with 2 requests shows none of its counts", small)
# ---- readable with little data: the trend, the download, nothing at all ----
code, _, body = shown_srv.get("/api/v1/stats/27280")
trend = json.loads(body).get("trend", [])
t.ok(len(trend) == 12 and trend[-1]["month"] == local.strftime("%Y-%m"), "the trend has the last 12 months, this one last",
     trend[-2:])
this_year = [m for m in trend if m["month"].startswith(local.strftime("%Y"))]
year_resolved = json.loads(body)["total"]["year"]["resolved"]
shown_months = [m["resolved"] for m in this_year if m["resolved"] is not None]
t.ok(sum(shown_months) <= year_resolved and len(this_year) - len(shown_months) != 1 and len(shown_months) >= 9,
     "a large commune's months: most shown, never one alone hidden (it would be the year minus the others)",
     (this_year, year_resolved))
code, _, page = shown_srv.get("/stats/27280")
t.ok("Theo tháng (12 tháng gần nhất)" in page and 'id="download"' in page and 'href="27280.csv"' in page,
     "the commune's page has the trend and the download link")
code, hdr, csv = shown_srv.get("/stats/27280.csv")
lines = csv.strip().split("\r\n")
t.ok(code == 200 and hdr.get("Content-Type", "").startswith("text/csv") and lines[0].startswith("table,commune,category"),
     "/stats/27280.csv is the figures as CSV", lines[:2])
t.eq(len([l for l in lines if l.startswith("trend,")]), 12, "with the 12 months of the trend")
t.ok(all(len(l.split(",")) == 10 for l in lines), "every line has the header's 10 columns")
code, _, csv = shown_srv.get("/stats/all.csv")
t.ok(code == 200 and ",27298," in csv and "hidden" in csv, "/stats/all.csv: every commune, the small one marked hidden")
t.eq(shown_srv.get("/stats/99999.csv")[0], 404, "an unknown commune's CSV is 404")
t.eq(shown_srv.stop(), 0, "the second server stops cleanly")

empty = Server().serve()
code, _, page = empty.get("/stats")
t.ok(code == 200 and "Năm nay chưa có hồ sơ nào." in page and "<table" not in page.split('id="trend"')[0],
     "a server with no request says so once, in place of tables of marks")
t.ok("Chưa có hồ sơ nào được giải quyết trong 12 tháng qua." in page, "and that the trend is empty")
for url, name, size in (("/stats", "stats-empty-vi-390x844", "390,844"), ("/stats?lang=en", "stats-empty-en-1280x800", "1280,800")):
    t.ok(chromium(empty.url + url, os.path.join(SHOTS, name + ".png"), size=size), "Chromium screenshot of %s" % name)
t.eq(empty.stop(), 0, "the empty server stops")

t.eq(srv.stop(), 0, "the server stops cleanly")
t.done()
