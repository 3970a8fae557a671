"""``make bench``: build the bench data sets on PostgreSQL, measure them, record the figures.

Each data set is built and measured in its own process (``benchmarks.measure``) against its own
database, named after ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/tsoc_bench``) with the size appended: ``tsoc_bench_20``,
``tsoc_bench_200``, ``tsoc_bench_2000`` and ``tsoc_bench_seed`` (the shipped plans). Then gunicorn
serves the 2,000-action one to a load client (``benchmarks.throughput``). The table goes to the
terminal and, with the method and the machine, to ``docs/benchmarks.md``. The exit status is 1
when a target is missed.
"""

import json
import os
import platform
import subprocess
import sys
import time
import traceback
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from . import measure as measure_module
from . import report, throughput

ROOT = Path(__file__).resolve().parent.parent
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "200,2000,10000").split(","))
LOADED_SIZE = 2000
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tsoc_bench"
BENCH_DIR = ROOT / "var" / "bench"


def database_url(base: str, suffix: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{suffix}"))


def bench_env() -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}


def collect_static() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=bench_env(),
        check=True,
    )


def measure(target: str, url: str, workdir: Path) -> dict:
    out = workdir / f"{target}.json"
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", target, url, str(out)],
        cwd=ROOT,
        env=bench_env(),
    )
    if completed.returncode != 0:
        return {
            "size": target,
            "figures": {},
            "missing": {},
            "errors": {
                "data set": f"benchmarks.measure {target} exited with status {completed.returncode}"
            },
        }
    return json.loads(out.read_text())


class Server:
    """A ``benchmarks.measure serve`` process: one data set, answering timing requests."""

    def __init__(self, url: str, serve_json: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.measure", "serve", url, serve_json],
            cwd=ROOT,
            env=bench_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, line: str):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        while True:
            answer = self.process.stdout.readline()
            if not answer:
                raise RuntimeError("a timing process ended early")
            try:
                parsed = json.loads(answer)
            except ValueError:
                continue  # a log line
            if isinstance(parsed, list) or "key" in parsed:
                return parsed

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def rotated(items: list, turn: int) -> list:
    """``items`` starting at place ``turn`` (modulo their number), wrapping round."""
    start = turn % len(items)
    return items[start:] + items[:start]


def timing_groups(keys: list[str]) -> list[list[str]]:
    """The operations timed round by round together: each one compared with another (the API
    page and its floor, ``measure.TIMED_TOGETHER``) shares its rounds with it, the rest are
    timed alone."""
    groups = [[key for key in group if key in keys] for group in measure_module.TIMED_TOGETHER]
    groups = [group for group in groups if group]
    grouped = {key for group in groups for key in group}
    return groups + [[key] for key in keys if key not in grouped]


def interleaved_timings(results: dict, base_url: str) -> None:
    """Time every operation on every data set in alternation: for each group of operations
    (``timing_groups``), one warm-up request each per data set, then ``TIMED_RUNS`` rounds
    (``TIMED_TOGETHER_RUNS`` for a group of two or more) of one request each per data set,
    the order of sizes and of the group's operations rotated each round, so a change of load
    on the machine reaches every size, and both sides of a ratio, alike."""
    servers = {
        size: Server(database_url(base_url, str(size)), results[size]["serve"])
        for size in SIZES
        if "serve" in results[size]
    }
    if not servers:  # no data set was built: their errors are already in the results
        return
    try:
        keys = sorted(set.intersection(*(set(s.ask("list")) for s in servers.values())))
        order = list(servers)
        for group in timing_groups(keys):
            print(f"[bench timing] {' and '.join(group)}", flush=True)
            samples = {(size, key): [] for size in servers for key in group}
            rounds = (
                measure_module.TIMED_TOGETHER_RUNS if len(group) > 1 else measure_module.TIMED_RUNS
            )
            for run in range(rounds + 1):
                for size in rotated(order, run):
                    for key in rotated(group, run):
                        answer = servers[size].ask(key)
                        if "error" in answer:
                            results[size]["errors"][key] = answer["error"]
                        elif run:
                            samples[size, key].append(answer["seconds"])
            for (size, key), values in samples.items():
                if values and key not in results[size]["errors"]:
                    results[size]["figures"][key] = values
    finally:
        for server in servers.values():
            server.close()


def load_test(url: str, load: dict) -> dict:
    """The load client against gunicorn (Redis for the cache and rate limits), per page: the
    runs, or why the page was not measured; then a token under its limit and one past it."""
    results: dict[str, object] = {}
    if not os.environ.get("BENCH_REDIS_URL"):
        return dict.fromkeys(report.LOADED_PAGES, "BENCH_REDIS_URL not set: no shared limits")
    print("[bench load] starting gunicorn", flush=True)
    cookie = f"Cookie: {load['cookie']}"
    paths = {**load["paths"], "minimal view": "/bench/minimal/"}
    try:
        with throughput.gunicorn(url, BENCH_DIR / "gunicorn.log") as server:
            for page in report.LOADED_PAGES:
                if page in report.TOKEN_RUNS:
                    continue
                path = paths.get(page)
                if path is None:
                    results[page] = load["missing"].get(page, "feature missing")
                    continue
                print(f"[bench load] {page} ({path})", flush=True)
                results[page] = throughput.load(server, path, cookie)
            token = load["tokens"]["under its limit"]
            print("[bench load] a token under its limit", flush=True)
            results["API action list, token under its limit"] = throughput.load(
                server, paths["API action list"], f"Authorization: Token {token}", runs=1
            )
            token = load["tokens"]["over its limit"]
            print("[bench load] a token past its limit", flush=True)
            results["token past its limit"] = throughput.past_the_limit(
                server, "/api/v1/me/", f"Authorization: Token {token}"
            )
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        traceback.print_exc()
        failed = f"ERROR: {type(error).__name__}: {error}"
        keys = [*report.LOADED_PAGES, "token past its limit"]
        results = {page: results.get(page, failed) for page in keys}
    print("[bench load] gunicorn stopped", flush=True)
    return results


def machine(base_url: str, load_at_start: float) -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.split("\n")[1]
    with psycopg.connect(database_url(base_url, str(SIZES[0]))) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": " ".join(memory.split()[:2]).replace("Mem: ", "") + " total",
        "postgres": postgres,
        "python": platform.python_version(),
        "django": version("Django"),
        "weasyprint": version("weasyprint"),
        "system": f"{platform.system()} {platform.release()}",
        "load": f"{load_at_start:.1f} before the run and {os.getloadavg()[0]:.1f} after it",
    }


def main() -> int:
    started, load_at_start = time.monotonic(), os.getloadavg()[0]
    if os.environ.get("REDIS_URL") and not os.environ.get("BENCH_REDIS_URL"):
        os.environ["BENCH_REDIS_URL"] = os.environ["REDIS_URL"]
    base_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print(f"[bench] collecting static files into {BENCH_DIR / 'static'}", flush=True)
    collect_static()
    results = {}
    for size in SIZES:
        results[size] = measure(str(size), database_url(base_url, str(size)), BENCH_DIR)
    results["seed"] = measure("seed", database_url(base_url, "seed"), BENCH_DIR)
    interleaved_timings(results, base_url)
    # The load test runs on the 2,000-action set (the largest, if that is smaller).
    loaded_size = max((s for s in SIZES if s <= LOADED_SIZE), default=SIZES[0])
    loaded_set = results[loaded_size]
    loaded = (
        load_test(database_url(base_url, str(loaded_size)), loaded_set["load"])
        if "load" in loaded_set
        else dict.fromkeys(report.LOADED_PAGES, "the data set was not built")
    )
    (BENCH_DIR / "results.json").write_text(json.dumps({"results": results, "loaded": loaded}))
    summary = report.summarise(results, loaded, SIZES, loaded_size)
    print()
    print(report.as_text(summary))
    docs = ROOT / "docs" / "benchmarks.md"
    docs.write_text(
        report.as_markdown(summary, machine(base_url, load_at_start), time.monotonic() - started)
    )
    print(f"\n[bench] figures written to {docs.relative_to(ROOT)}", flush=True)
    return 1 if summary.missed else 0


if __name__ == "__main__":
    sys.exit(main())
