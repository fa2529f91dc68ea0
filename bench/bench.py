"""The whole benchmark suite, run by `make bench` through bench/run.sh:
the kiosk alone (kiosk_bench), the kiosk against Chromium
(chromium_bench), queue tickets and the hall display (office_bench), sync
and the server against nginx (server_bench), the phone page while kiosks
push (push_bench), the store on SQLite against PostgreSQL (store_bench),
200 kiosks syncing at once on each backend (kiosks_bench),
the officials' console at 1,000,000 stored (console_bench). Prints
one table and writes it to bench/RESULTS.md after a description of the
machine, with how each figure is measured. Every process it starts talks
over pipes, a local X socket or the loopback interface only."""
import os, shutil, signal, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chromium_bench, common, console_bench, kiosk_bench, kiosks_bench, office_bench, push_bench, server_bench, \
    store_bench  # noqa: E402


def main():
    for name in ("motcua-kiosk", "motcua-server", "motcua-sync", "motcua-office", "motcua-fill"):
        if not os.access(os.path.join(common.B, name), os.X_OK):
            sys.exit("bench: build/%s is missing: run  make all build/motcua-fill" % name)
    started = time.perf_counter()
    info = common.machine()
    tmp = tempfile.mkdtemp(prefix="motcua-bench-")
    table = common.Table()
    try:
        cfg = kiosk_bench.run(table, tmp)
        chromium_bench.run(table, tmp, cfg)
        office_bench.run(table, tmp)
        server_bench.run_all(table, tmp)
        push_bench.run(table, tmp)
        store_bench.run(table, tmp)
        kiosks_bench.run(table, tmp)
        console_bench.run_bench(table, tmp)
        info += ["Kiosk store and server databases: %s" % common.fs_type(os.path.realpath(tmp)),
                 "Compared with: %s; %s; %s" % (common.tool_version(["chromium", "--version"]),
                                              common.tool_version(["nginx", "-v"]),
                                              common.tool_version(["wrk", "--version"]))]
    finally:
        kiosk_bench.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(table.markdown())
    for note in table.notes:
        common.log(note)
    common.write_results(table, info, elapsed)
    common.log("wrote bench/RESULTS.md in %.0f s" % elapsed)


def on_signal(signum, frame):
    # A TERM or HUP becomes an exception, so the finally above still ends
    # what was started and removes the temporary folder.
    common.log("stopped by signal %d; cleaning up" % signum)
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        main()
    except RuntimeError as e:
        sys.exit("bench: failed: %s" % e)
