"""Runs every test and reads its TAP: the unit tests (cmocka, built with
ASan and UBSan in build/san/tests/) and the scripts tests/e2e/t_*.py. A file
fails if any test fails, if its plan does not match what ran, or if it exits
non-zero (a sanitizer report, a crash). Ends with the line CI reads:
`N passed, N failed`."""
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
only = sys.argv[1:]
files = sorted(glob.glob("build/san/tests/test_*")) + sorted(glob.glob("tests/e2e/t_*.py"))
if only:
    files = [f for f in files if any(o in f for o in only)]
os.makedirs("build/test-out", exist_ok=True)
passed = failed = 0
for f in files:
    cmd = ["python3", f] if f.endswith(".py") else [f]
    start = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    ok = len(re.findall(r"^ok \d+", p.stdout, re.M))
    bad = len(re.findall(r"^not ok \d+", p.stdout, re.M))
    plan = re.search(r"^1\.\.(\d+)", p.stdout, re.M)
    broken = p.returncode != 0 and bad == 0 or not plan or int(plan.group(1)) != ok + bad
    with open("build/test-out/%s.log" % os.path.basename(f), "w") as log:
        log.write(p.stdout + "\n--- stderr ---\n" + p.stderr)
    passed += ok
    failed += bad + (1 if broken else 0)
    status = "ok" if not bad and not broken else "FAILED"
    print("%-34s %4d passed %3d failed  %5.1fs  %s" % (f, ok, bad, time.time() - start, status))
    if bad or broken:
        for line in p.stdout.splitlines():
            if line.startswith("not ok") or line.startswith("#"):
                print("    " + line)
        if broken:
            print("    exit code %d, plan %s; stderr ends:" % (p.returncode, plan.group(0) if plan else "missing"))
            for line in p.stderr.splitlines()[-25:]:
                print("    | " + line)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
