"""Runs every test and reads its TAP: the unit tests (cmocka, built with
ASan and UBSan in build/san/tests/) and the scripts tests/e2e/t_*.py. A file
fails if any test fails, if its plan does not match what ran, or if it exits
non-zero (a sanitizer report, a crash). Ends with the line CI reads:
`N passed, N failed`.

Then the store's tests again with the store in PostgreSQL: a throwaway
cluster (tests/pgcluster.py) is started, MOTCUA_TEST_PG names it, the unit
tests of the store and the end-to-end sync, console and phone tests run
once more (shown with [pg]), and the cluster is stopped. `--no-pg` leaves
that pass out, `--pg` runs it alone."""
import glob, os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
env = dict(os.environ)
env.update({
    "CMOCKA_MESSAGE_OUTPUT": "TAP",
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=99",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
    "LSAN_OPTIONS": "suppressions=%s/tests/lsan.supp:print_suppressions=0" % ROOT,
})
sys.path.insert(0, os.path.join(ROOT, "tests"))
import pgcluster

args = sys.argv[1:]
pg_pass = "--no-pg" not in args
sqlite_pass = "--pg" not in args
only = [a for a in args if a not in ("--pg", "--no-pg")]
# The tests that run again on PostgreSQL: every test of the store through
# its interface, and the end-to-end tests of sync, console and phone page.
# test_pg checks the PostgreSQL schema itself and t_store_copy moves a SQLite
# store into it, t_pg_two runs two server processes on one database: they run
# in that pass alone.
PG_ONLY = ["build/san/tests/test_pg", "tests/e2e/t_store_copy.py", "tests/e2e/t_pg_two.py", "tests/e2e/t_replica.py"]
PG_AGAIN = ["build/san/tests/test_server", "build/san/tests/test_figures", "build/san/tests/test_work",
            "build/san/tests/test_steps", "build/san/tests/test_stats",
            "build/san/tests/test_auth", "tests/e2e/t_sync.py", "tests/e2e/t_sync_faults.py",
            "tests/e2e/t_console.py", "tests/e2e/t_console_trust.py", "tests/e2e/t_stats.py",
            "tests/e2e/t_trust.py", "tests/e2e/t_staff.py", "tests/e2e/t_lockout.py", "tests/e2e/t_attack.py",
            "tests/e2e/t_codes.py", "tests/e2e/t_office_figures.py", "tests/e2e/t_counter.py",
            "tests/e2e/t_desk.py", "tests/e2e/t_sms.py", "tests/e2e/t_sms_tick.py", "tests/e2e/t_rating_sync.py",
            "tests/e2e/t_many_kiosks.py", "tests/e2e/t_cache_headers.py", "tests/e2e/t_conference.py"]
files = sorted(glob.glob("build/san/tests/test_*")) + sorted(glob.glob("tests/e2e/t_*.py"))
files = [f for f in files if f not in PG_ONLY]
if only:
    files = [f for f in files if any(o in f for o in only)]
pg_files = [f for f in PG_ONLY + PG_AGAIN if os.path.exists(f) and (not only or any(o in f for o in only))]
runs = [(f, env, "") for f in files] if sqlite_pass else []
cluster = None
if pg_pass and pg_files:
    cluster = pgcluster.Cluster().start()
    pg_env = dict(env)
    pg_env["MOTCUA_TEST_PG"] = cluster.url
    runs += [(f, pg_env, " [pg]") for f in pg_files]
os.makedirs("build/test-out", exist_ok=True)
passed = failed = 0
for f, run_env, tag in runs:
    cmd = ["python3", f] if f.endswith(".py") else [f]
    start = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, env=run_env)
    ok = len(re.findall(r"^ok \d+", p.stdout, re.M))
    bad = len(re.findall(r"^not ok \d+", p.stdout, re.M))
    plan = re.search(r"^1\.\.(\d+)", p.stdout, re.M)
    broken = p.returncode != 0 and bad == 0 or not plan or int(plan.group(1)) != ok + bad
    with open("build/test-out/%s%s.log" % (os.path.basename(f), "-pg" if tag else ""), "w") as log:
        log.write(p.stdout + "\n--- stderr ---\n" + p.stderr)
    passed += ok
    failed += bad + (1 if broken else 0)
    status = "ok" if not bad and not broken else "FAILED"
    print("%-39s %4d passed %3d failed  %5.1fs  %s" % (f + tag, ok, bad, time.time() - start, status))
    if bad or broken:
        for line in p.stdout.splitlines():
            if line.startswith("not ok") or line.startswith("#"):
                print("    " + line)
        if broken:
            print("    exit code %d, plan %s; stderr ends:" % (p.returncode, plan.group(0) if plan else "missing"))
            for line in p.stderr.splitlines()[-25:]:
                print("    | " + line)
if cluster:
    cluster.stop()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
