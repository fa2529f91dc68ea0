"""The office in one room, with no upstream network: the kiosk issues queue
numbers, motcua-office (its own process, on the kiosk's store) serves two
counters signed in with the staff PIN and a hall display in headless
Chromium. Two counters calling at the same instant get two different
numbers, the priority one first, and the display shows both within a
second; recall, skip, transfer and close; the call is spoken (espeak-ng's
Vietnamese voice, a WAV) after a chime; the display says it is stale when
the service goes away, and everything is still there after a restart;
bad sign-ins, forms without their token and over-long forms are refused."""
import json, os, re, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, Kiosk, make_config, SHOTS
from e2e import Office, Staff, pin_hash
from cdp import Browser

t = Tap()
cfg, data = make_config(extra_kiosk="staff_pin = %s\n" % pin_hash("123456"))

# ---- the kiosk takes numbers ----
k = Kiosk(cfg)
taken = []
for field, kind in (("hotich", "normal"), ("hotich", "normal"), ("chungthuc", "normal"), ("hotich", "priority")):
    k.must("tap home.ticket")
    k.must("tap ticket.field." + field)
    k.must("tap ticket." + kind)
    taken.append((k.widget("ticket.number")["label"], (k.widget("ticket.ahead") or {}).get("label")))
    k.must("tap ticket.done")
t.eq([n for n, _ in taken], ["A001", "A002", "B001", "A003"], "numbers run per field: A001 A002 B001, then A003")
t.eq(taken[1][1], "Trước bạn còn 1 người", "the second of its field has one before it")
t.eq(taken[3][1], "Bạn là người tiếp theo", "a priority number goes before the ordinary ones")

# ---- the service, the display ----
office = Office(cfg).start()
st, _, body = office.get("/display/state")
state = json.loads(body)
t.ok(st == 200 and state["waiting"] == 4 and state["calls"] == [], "the display's state: four waiting, no call yet", body)

b = Browser(1920, 1080, args=["--autoplay-policy=no-user-gesture-required"])
b.goto(office.url + "/display")
deadline = time.time() + 10
while time.time() < deadline and b.eval("document.getElementById('waiting').textContent") != "4":
    time.sleep(0.1)
t.eq(b.eval("document.getElementById('waiting').textContent"), "4", "the display shows four waiting")

# ---- sign-in ----
c1, c2 = Staff(office), Staff(office)
st, _, page = c1.request("/counter")
t.eq(st, 303, "the counter page sends a stranger to sign in")
st, _, page = c1.request("/counter/sign-in", {"counter": "1", "pin": "654321"})
t.ok(st == 403 and "Sai mã PIN" in page, "a wrong PIN is refused, in Vietnamese", "%d %s" % (st, page[-300:]))
st, _, page = c1.request("/counter/sign-in", {"counter": "42", "pin": "123456"})
t.ok(st == 200 and "Sai" in page, "a counter that does not exist is refused", st)
st, h, _ = c1.request("/counter/sign-in", {"counter": "1", "pin": "123456"})
t.ok(st == 303 and h.get("Location") == "/counter" and "HttpOnly" in h.get("Set-Cookie", "")
     and "SameSite=Strict" in h.get("Set-Cookie", ""), "counter 1 signs in: an HttpOnly, SameSite cookie", h)
st, _, _ = c2.request("/counter/sign-in", {"counter": "2", "pin": "123456"})
t.eq(st, 303, "counter 2 signs in")
_, _, p1 = c1.request("/counter")
_, _, p2 = c2.request("/counter")
t.ok("Quầy 1" in p1 and "Hộ tịch" in p1 and "Quầy 2" in p2 and "Chứng thực" in p2,
     "each counter's page names it and the fields it serves")
st, _, _ = c1.request("/counter/call", {"csrf": "x" * 64})
t.eq(st, 403, "an action without the session's form token is refused")
st, _, _ = c1.request("/counter/call", {"csrf": c1.csrf(p1), "pad": "y" * 20000})
t.eq(st, 413, "an over-long form is refused")

# ---- two counters call at the same instant ----
results = {}
go = threading.Barrier(2)


def call(name, c, page):
    go.wait()
    results[name] = c.request("/counter/call", {"csrf": c.csrf(page)})[0]


threads = [threading.Thread(target=call, args=("c1", c1, p1)), threading.Thread(target=call, args=("c2", c2, p2))]
for th in threads:
    th.start()
for th in threads:
    th.join()
called_at = time.time()
t.eq(results, {"c1": 303, "c2": 303}, "both calls answered")
_, _, p1 = c1.request("/counter")
_, _, p2 = c2.request("/counter")
now1 = re.search(r'id="now">([^<]+)<', p1).group(1)
now2 = re.search(r'id="now">([^<]+)<', p2).group(1)
t.ok(now1 != now2 and {now1, now2} == {"A003", "A001"},
     "two counters calling at once: two numbers, the priority one and the oldest", (now1, now2))
seen = ""
while time.time() - called_at < 5:
    seen = b.eval("document.body.dataset.calls || ''")
    if ("%s@1" % now1) in seen and ("%s@2" % now2) in seen:
        break
    time.sleep(0.02)
shown_after = time.time() - called_at
t.ok(("%s@1" % now1) in seen and ("%s@2" % now2) in seen, "the display shows both calls with their counters", seen)
t.ok(shown_after < 1.0, "the display showed them within a second of the calls (%.2f s)" % shown_after)
big = b.eval("document.querySelector('#latest .label').textContent")
t.ok(big in (now1, now2), "the newest call is the large one", big)
size = float(b.eval("parseFloat(getComputedStyle(document.querySelector('#latest .label')).fontSize)"))
t.ok(size >= 200, "the number is drawn %.0f px tall on a 1080p screen (readable at 5 m)" % size)
t.eq(b.eval("document.getElementById('waiting').textContent"), "2", "two still wait")
shot = b.screenshot(os.path.join(SHOTS, "office-display-1920x1080.png"))

# ---- the sounds ----
st, h, chime = office.get("/display/chime.wav")
t.ok(st == 200 and chime[:4] == b"RIFF" and h.get("Content-Type") == "audio/wav", "the chime is a WAV")
state = json.loads(office.get("/display/state")[2])
first = state["calls"][-1]["id"]
st, h, voice = office.get("/display/voice.wav?call=%d" % first)
t.ok(st == 200 and voice[:4] == b"RIFF" and len(voice) > 20000, "the call is spoken by espeak-ng as a WAV (%d bytes)" % len(voice),
     voice[:200])
st, _, _ = office.get("/display/voice.wav?call=999999")
t.eq(st, 404, "an unknown call has no voice")
deadline = time.time() + 15
while time.time() < deadline and int(b.eval("document.body.dataset.played || 0")) < 1:
    time.sleep(0.2)
t.ok(int(b.eval("document.body.dataset.played || 0")) >= 1, "the display played the chime for the calls")

# ---- recall, transfer, skip, close ----
_, _, p1 = c1.request("/counter")
c1.request("/counter/recall", {"csrf": c1.csrf(p1)})
state = json.loads(office.get("/display/state")[2])
t.ok(state["calls"][0]["label"] == now1 and state["calls"][0]["recall"] == 1, "recall calls the same number again", state["calls"][0])
c3 = Staff(office)
c3.request("/counter/sign-in", {"counter": "3", "pin": "123456"})
_, _, p2 = c2.request("/counter")
st, _, _ = c2.request("/counter/transfer", {"csrf": c2.csrf(p2), "to": "3"})
_, _, p2 = c2.request("/counter")
t.ok(st == 303 and "Chưa gọi số nào" in p2, "counter 2 sent its number on and serves none")
_, _, p3 = c3.request("/counter")
c3.request("/counter/call", {"csrf": c3.csrf(p3)})
_, _, p3 = c3.request("/counter")
t.eq(re.search(r'id="now">([^<]+)<', p3).group(1), now2, "counter 3 calls the number sent to it first")
c3.request("/counter/skip", {"csrf": c3.csrf(p3)})
_, _, p1 = c1.request("/counter")
c1.request("/counter/close", {"csrf": c1.csrf(p1)})
_, _, p1 = c1.request("/counter")
t.ok("Đã phục vụ" in p1 and "<td>1</td>" in p1, "counter 1's day: one served", p1[-800:])

# ---- the service goes away; the display says so; a restart loses nothing ----
before = json.loads(office.get("/display/state")[2])
t.eq(office.stop(), 0, "motcua-office stops cleanly on SIGTERM")
deadline = time.time() + 10
while time.time() < deadline and not b.eval("document.body.classList.contains('stale')"):
    time.sleep(0.2)
t.ok(b.eval("document.body.classList.contains('stale')"), "the display says it is stale once the service is gone")
b.screenshot(os.path.join(SHOTS, "office-display-stale.png"))
office = Office(cfg).start()
after = json.loads(office.get("/display/state")[2])
t.eq(after["calls"], before["calls"], "after a restart every call is still there")
t.eq(after["waiting"], before["waiting"], "and every waiting ticket")
b.goto(office.url + "/display")
deadline = time.time() + 10
while time.time() < deadline and b.eval("document.body.dataset.calls || ''") == "":
    time.sleep(0.1)
t.ok(not b.eval("document.body.classList.contains('stale')") and b.eval("document.body.dataset.calls"),
     "the display, opened again, is live")
st, _, _ = Staff(office).request("/counter")
t.eq(st, 303, "sessions do not outlive the service: sign in again")
b.goto(office.url + "/display?lang=en")
time.sleep(1.5)
t.ok("Counter" in b.text("#latest"), "the display in English", b.text("body")[:200])
b.screenshot(os.path.join(SHOTS, "office-display-en.png"))
b.close()
b = Browser(1280, 800)
c = Staff(office)
b.goto(office.url + "/counter/sign-in")
b.fill("#pin", "123456")
b.submit("#sign-in")
b.screenshot(os.path.join(SHOTS, "office-counter.png"))
t.ok("Gọi số tiếp theo" in b.text("body"), "the counter page in Chromium after signing in")
b.close()
# ---- wrong PINs lock the counters' sign-in and the kiosk's pad together ----
g = Staff(office)
codes = [g.request("/counter/sign-in", {"counter": "1", "pin": "000000"})[0] for _ in range(5)]
t.eq(codes, [403, 403, 403, 403, 429], "five wrong PINs in a row: the fifth locks")
code, _, page = g.request("/counter/sign-in", {"counter": "1", "pin": "123456"})
t.ok(code == 429 and "thử lại sau" in page, "while locked even the right PIN is refused, saying for how long", code)
k2 = Kiosk(cfg)
k2.must("hold home.title 2.5")
pin_widgets = " ".join(w.get("label", "") for w in k2.dump()["widgets"])
t.ok(k2.screen() == "pin" and "Thử lại sau" in pin_widgets,
     "the kiosk's own pad is locked too (one lock in the store)", pin_widgets[:300])
k2.close()
t.eq(office.stop(), 0, "stopped")
rc, err = k.close()
t.eq(rc, 0, "the kiosk ran beside the service on the same store and stops cleanly")
t.done()
