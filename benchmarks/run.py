"""``make bench``: build the bench data sets on PostgreSQL, measure them, record the figures.

Each data set is built and measured in its own process (``benchmarks.measure``) against its own
database, named after ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/tsoc_bench``) with the size appended: ``tsoc_bench_20``,
``tsoc_bench_200``, ``tsoc_bench_2000`` and ``tsoc_bench_seed`` (the shipped plans). Then gunicorn
serves the largest one to wrk. The table goes to the terminal and, with the method and the
machine, to ``docs/benchmarks.md``. The exit status is 1 when a target is missed.
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from . import report, throughput

ROOT = Path(__file__).resolve().parent.parent
SIZES = (20, 200, 2000)
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


def load_test(url: str, load: dict) -> dict:
    """wrk against gunicorn, per page: the runs, or why the page was not measured."""
    results: dict[str, object] = {}
    if not shutil.which("wrk"):
        return dict.fromkeys(report.LOADED_PAGES, "wrk missing (apt-get install wrk)")
    print("[bench load] starting gunicorn", flush=True)
    try:
        with throughput.gunicorn(url, BENCH_DIR / "gunicorn.log") as server:
            for page in report.LOADED_PAGES:
                path = load["paths"].get(page)
                if path is None:
                    results[page] = load["missing"].get(page, "feature missing")
                    continue
                print(f"[bench load] wrk on {page} ({path})", flush=True)
                results[page] = throughput.load(server, path, load["cookie"])
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        traceback.print_exc()
        failed = f"ERROR: {type(error).__name__}: {error}"
        results = {page: results.get(page, failed) for page in report.LOADED_PAGES}
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
    with psycopg.connect(database_url(base_url, "20")) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    wrk = shutil.which("wrk")
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": " ".join(memory.split()[:2]).replace("Mem: ", "") + " total",
        "postgres": postgres,
        "python": platform.python_version(),
        "django": version("Django"),
        "weasyprint": version("weasyprint"),
        "wrk": subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()[1]
        if wrk
        else "missing",
        "system": f"{platform.system()} {platform.release()}",
        "load": f"{load_at_start:.1f} before the run and {os.getloadavg()[0]:.1f} after it",
    }


def main() -> int:
    started, load_at_start = time.monotonic(), os.getloadavg()[0]
    base_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print(f"[bench] collecting static files into {BENCH_DIR / 'static'}", flush=True)
    collect_static()
    results = {}
    for size in SIZES:
        results[size] = measure(str(size), database_url(base_url, str(size)), BENCH_DIR)
    results["seed"] = measure("seed", database_url(base_url, "seed"), BENCH_DIR)
    largest = results[SIZES[-1]]
    loaded = (
        load_test(database_url(base_url, str(SIZES[-1])), largest["load"])
        if "load" in largest
        else dict.fromkeys(report.LOADED_PAGES, "the largest data set was not built")
    )
    summary = report.summarise(results, loaded, SIZES)
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
