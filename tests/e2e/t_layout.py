"""The layout holds: each program links only its own layers (read from the
built binaries with nm), no source includes a header from a layer above
its own or beside it (read from the sources, the same rule the Makefile's
include paths enforce), and no source file outgrows a room a reader can
hold (about 800 lines)."""
import glob, os, re, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosk import Tap, ROOT

t = Tap()
os.chdir(ROOT)

# Which layers a folder may use, itself included (docs/design.md).
SEES = {
    "src/core": ["src/core"],
    "src/store": ["src/store", "src/core"],
    "src/print": ["src/print", "src/core"],
    "src/kiosk": ["src/kiosk", "src/print", "src/store", "src/core"],
    "src/office": ["src/office", "src/print", "src/store", "src/core"],
    "sync/client": ["sync/client", "src/store", "src/core"],
    "sync/store": ["sync/store", "src/core"],
    "sync/web": ["sync/web", "sync/store", "src/core"],
    "sync/server": ["sync/server", "sync/web", "sync/store", "src/core"],
}
home = {}
for layer in SEES:
    for h in glob.glob(layer + "/*.h"):
        home[os.path.basename(h)] = layer
t.ok(len(home) > 30, "headers found in the layers", repr(sorted(home)))
for layer, sees in SEES.items():
    bad = []
    for f in sorted(glob.glob(layer + "/*.[ch]")):
        for inc in re.findall(r'^#include "([^"]+)"', open(f, encoding="utf-8").read(), re.M):
            if home.get(inc) not in sees:
                bad.append("%s includes %s (%s)" % (f, inc, home.get(inc, "no layer")))
    t.ok(not bad, "%s includes only from %s" % (layer, ", ".join(sees)), "\n".join(bad))


def symbols(binary):
    out = subprocess.run(["nm", "-C", binary], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def defined_prefixes(layer):
    """The public function names a layer's modules define, from its objects."""
    names = set()
    for o in glob.glob("build/obj/%s/*.o" % layer):
        out = subprocess.run(["nm", "--defined-only", "-g", o], capture_output=True, text=True).stdout
        names |= {l.split()[-1] for l in out.splitlines() if " T " in l}
    return names


binaries = {
    "build/motcua-kiosk": ["src/kiosk", "src/print", "src/store", "src/core"],
    "build/motcua-office": ["src/office", "src/print", "src/store", "src/core"],
    "build/motcua-sync": ["sync/client", "src/store", "src/core"],
    "build/motcua-server": ["sync/server", "sync/web", "sync/store", "src/core"],
}
layer_funcs = {layer: defined_prefixes(layer) for layer in SEES}
t.ok(all(layer_funcs.values()), "every layer's objects are built",
     repr({l: len(v) for l, v in layer_funcs.items()}))
for binary, own in binaries.items():
    syms = symbols(binary)
    for layer, funcs in layer_funcs.items():
        if layer in own:
            continue
        leaked = sorted(f for f in funcs if f in syms and f != "main")
        t.ok(not leaked, "%s links nothing of %s" % (os.path.basename(binary), layer), " ".join(leaked[:20]))
    libs = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    if binary.endswith("kiosk"):
        t.ok("libcurl" not in libs and "libmicrohttpd" not in libs, "the kiosk loads no HTTP library", libs)
    elif binary.endswith("office"):
        # SDL_ttf draws the counters' papers (src/print): fonts and
        # surfaces only, never a window, a renderer or SDL's video.
        t.ok("libcurl" not in libs, "motcua-office loads no HTTP client", libs)
        windows = sorted(s for s in symbols(binary) if s.startswith(("SDL_Init", "SDL_CreateWindow", "SDL_CreateRenderer", "SDL_VideoInit", "IMG_")))
        t.ok(not windows, "motcua-office opens no SDL window or video", " ".join(windows))
    else:
        t.ok("libSDL2" not in libs and "libqrencode" not in libs, "%s loads no SDL" % os.path.basename(binary), libs)

# Known names, so that the check above cannot pass by finding nothing.
server = symbols("build/motcua-server")
for name in ("bgsync_start", "db_submit", "ime_key", "sync_now", "ui_new"):
    t.ok(name not in server, "motcua-server has no %s" % name)
t.ok("srv_db_open" in server and "status_is_final" in server, "motcua-server has its store and the core")
office_syms = symbols("build/motcua-office")
t.ok("queue_call_next" in office_syms and "office_http_serve" in office_syms and "ui_new" not in office_syms
     and "srv_db_open" not in office_syms, "motcua-office has the queue and its pages, no kiosk screens, no server store")
kiosk_syms = symbols("build/motcua-kiosk")
t.ok("ime_key" in kiosk_syms and "srv_db_open" not in kiosk_syms, "motcua-kiosk has the IME and no server store")

long_files = []
for f in glob.glob("src/*/*.c") + glob.glob("sync/*/*.c"):
    n = sum(1 for _ in open(f, encoding="utf-8"))
    if n > 850:
        long_files.append("%s: %d lines" % (f, n))
t.ok(not long_files, "no source file over about 800 lines", "\n".join(sorted(long_files)))

# Every operation of the SQLite backend hands a PostgreSQL handle to its
# twin first (SRV_PG_ROUTE, sync/store/srv_sqlite.h), and the twin exists:
# an operation added to one backend alone fails here, not on a live store.
LOCAL = {"srv_sqlite_fail", "srv_sqlite_stmt", "srv_sqlite_run", "srv_sqlite_rollback", "srv_sqlite_step_done",
         "srv_sqlite_or_empty", "srv_sqlite_bind", "srv_sqlite_inbox_list", "srv_work_audit_open", "srv_work_audit_refused"}
unrouted, twins = [], set()
for f in glob.glob("sync/store/*_pg.c") + glob.glob("sync/store/srv_pg.c"):
    twins |= set(re.findall(r"^[a-z][\w \*]*?\b(srv_pg_\w+)\(", open(f, encoding="utf-8").read(), re.M))
for f in sorted(glob.glob("sync/store/*_sqlite.c")):
    src = open(f, encoding="utf-8").read()
    for m in re.finditer(r"^(?!static)[a-z][\w \*]*?\b(srv_\w+)\(srv_db \*d[^{]*\n\{\n([^\n]*)", src, re.M):
        name, first = m.group(1), m.group(2)
        if name in LOCAL or name in ("srv_db_close",):
            continue
        want = {"srv_be_figures_of": "srv_pg_figures_of", "srv_be_data_version": "srv_pg_data_version"}.get(
            name, "srv_pg_" + name[4:])
        if "SRV_PG_ROUTE(d, %s(" % want not in first or want not in twins:
            unrouted.append("%s: %s" % (f, name))
t.ok(len(twins) > 40 and not unrouted, "every SQLite store operation has its PostgreSQL twin, routed first",
     "\n".join(unrouted))
t.done()
