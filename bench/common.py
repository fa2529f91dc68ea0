"""What the benchmark scripts share: statistics (median, p99, min, max),
the one results table with its goals and verdicts, memory readings from
/proc, the description of the machine, and writing bench/RESULTS.md. The
parts of the suite (kiosk_bench, chromium_bench, server_bench) add rows to
one Table, so `make bench` prints and writes a single table. Plain Python 3
standard library."""
import datetime, os, platform, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.path.join(ROOT, "build")
RESULTS = os.path.join(ROOT, "bench/RESULTS.md")


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


# ---- statistics ----

def p99(xs):
    """Nearest-rank 99th percentile."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, -(-99 * len(s) // 100) - 1))]


def summary(xs):
    xs = list(xs)
    return {"median": statistics.median(xs), "p99": p99(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def ratio(a, b):
    """Ratios of paired samples a[i] / b[i], taken in the same run."""
    return summary([x / y for x, y in zip(a, b)])


# ---- memory ----

def pss_mib(pid):
    """Proportional set size of one process (shared pages split among their
    users), in MiB; 0 if it has already gone."""
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024.0
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0.0


def session_pids(sid):
    """Every live process of a session: a browser started in a new session
    keeps all its helpers (zygotes, renderer, GPU, utility) there."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[3]) == sid:
            pids.append(int(name))
    return pids


def status_mib(pid, key):
    """A VmRSS/VmHWM style line of /proc/PID/status, in MiB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no %s in /proc/%d/status" % (key, pid))


# ---- the table ----

def fmt(x, digits=None):
    if digits is None:
        return "%.0f" % x if abs(x) >= 1000 else "%.2f" % x if abs(x) < 10 else "%.1f" % x
    return ("%." + str(digits) + "f") % x


class Table:
    """One Markdown table: Figure, Median, p99, Min, Max, n, Goal, Verdict.
    A goal is `<= x` or `>= x` on the median (or on another statistic);
    a missed goal is shown as measured, and what limits it goes to Notes."""

    HEAD = ("Figure", "Median", "p99", "Min", "Max", "n", "Goal", "Verdict")

    def __init__(self):
        self.lines = []
        self.notes = []
        self.how = []
        self.missed = []

    def section(self, title):
        self.lines.append(("**%s**" % title,) + ("",) * 7)

    def row(self, figure, s, digits=None, goal=None, unit="", better="lower", judge="median",
            with_p99=False, limit=None):
        if s is None:
            self.lines.append((figure, "not measured", "", "", "", "", self.goal_text(goal, unit, better), "—"))
            return
        verdict = "—"
        if goal is not None:
            v = s[judge]
            ok = v <= goal if better == "lower" else v >= goal
            worst = s["max"] if better == "lower" else s["min"]
            verdict = "pass" if ok else "**missed**"
            if ok and (worst > goal if better == "lower" else worst < goal):
                verdict = "pass (%s)" % ("max over" if better == "lower" else "min under")
            if not ok:
                self.missed.append(figure)
                if limit:
                    self.notes.append("Missed: %s, %s %s against a goal of %s. %s"
                                      % (figure, judge, fmt(v, digits), self.goal_text(goal, unit, better), limit))
        self.lines.append((figure, fmt(s["median"], digits), fmt(s["p99"], digits) if with_p99 else "",
                           fmt(s["min"], digits), fmt(s["max"], digits), str(s["n"]),
                           self.goal_text(goal, unit, better), verdict))

    @staticmethod
    def goal_text(goal, unit, better):
        if goal is None:
            return "—"
        g = ("%d" % goal) if goal == int(goal) else ("%g" % goal)
        return "%s %s%s" % ("≤" if better == "lower" else "≥", g, (" " + unit) if unit else "")

    def markdown(self):
        out = ["| " + " | ".join(self.HEAD) + " |", "|---|" + "---:|" * 5 + "---:|---|"]
        out += ["| " + " | ".join(r) + " |" for r in self.lines]
        return "\n".join(out)


# ---- the machine and the report ----

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024.0 / 1024.0
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return [
        "CPU: %s" % model,
        "Cores: %d online, %d usable by this process" % (os.cpu_count(), len(os.sched_getaffinity(0))),
        "RAM: %.1f GiB" % mem,
        "Kernel: %s %s" % (platform.system(), platform.release()),
        "Load average at start: %.2f %.2f %.2f (a shared machine: figures are noisy)" % os.getloadavg(),
        "Date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "Commit: %s" % (commit + (" (with uncommitted changes)" if dirty else "")),
    ]


def tool_version(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return ((p.stdout or "") + (p.stderr or "")).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not installed"


def fs_type(path):
    """The file system a path is on: fsync costs nothing on tmpfs."""
    best, kind = "", "unknown"
    with open("/proc/mounts") as f:
        for line in f:
            dev, mnt, typ = line.split()[:3]
            if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                best, kind = mnt, "%s (%s on %s)" % (typ, dev, mnt)
    return kind


def write_results(table, info, elapsed):
    md = ["# motcua benchmark results", "",
          "Written by `make bench` (bench/run.sh, bench/bench.py); each full run replaces this file.",
          "", "## Machine", ""]
    md += ["- " + line for line in info]
    md += ["- Command: `make bench` (took %.0f s)" % elapsed, "", "## Results", "", table.markdown(), ""]
    md += ["## How", ""] + ["- " + h for h in table.how] + [""]
    if table.missed or table.notes:
        md += ["## Notes", ""]
        md += ["- Goal missed: %s." % f for f in table.missed if not any(n.startswith("Missed: " + f) for n in table.notes)]
        md += ["- " + n for n in table.notes] + [""]
    with open(RESULTS, "w") as f:
        f.write("\n".join(md))
