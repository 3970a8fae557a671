"""One report build in a fresh process, as a Celery worker builds it, reporting its peak memory.

``python -m benchmarks.pdfbuild <database-url> <report-id>`` prints one JSON line: the seconds
``build_report(in_worker=True)`` took (snapshot, HTML, WeasyPrint, storing the file), the pages,
and the peak resident sets (``getrusage``'s ``ru_maxrss``) of the process (``parent_rss``, Django
included, as a worker's would be) and of its largest child (``child_rss``): a long pack renders
each section in a forked child (``reporting.reports.rendering``), and each figure counts the
pages the two share. ``build_in_fresh_process`` runs it and adds ``peak_rss``: the peak, sampled
from outside every 50 ms, of the proportional set size (PSS: a page shared by several processes
counted once, in shares) summed over the whole process tree, the memory the build holds.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SAMPLE_SECONDS = 0.05


def tree_pss(pid: int) -> int:
    """The summed PSS in bytes of ``pid`` and its descendants (0 for one that has just gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        total += next(
            int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")
        )
        pending += [int(child) for child in children]
    return total


def build_in_fresh_process(url: str, report_id: int) -> dict:
    """Run ``python -m benchmarks.pdfbuild`` on the report, sampling the memory of its process
    tree from outside every ``SAMPLE_SECONDS``; its JSON line with ``peak_rss`` added."""
    root = Path(__file__).resolve().parent.parent
    build = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.pdfbuild", url, str(report_id)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while build.poll() is None:
        peak = max(peak, tree_pss(build.pid))
        time.sleep(SAMPLE_SECONDS)
    out, err = build.communicate()
    if build.returncode:
        raise RuntimeError(f"the build of report {report_id} failed: {err[-2000:]}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_rss": peak}


def main(url: str, report_id: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from reporting.models import Report
    from reporting.reports.building import build_report

    started = time.perf_counter()
    report = build_report(int(report_id), in_worker=True)
    seconds = time.perf_counter() - started
    if report.state != Report.State.READY:
        raise SystemExit(f"the report failed to build: {report.error}")
    kib = 1024  # getrusage's ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN's is the largest's
    print(
        json.dumps(
            {
                "seconds": seconds,
                "pages": report.page_count,
                "parent_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib,
                "child_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
