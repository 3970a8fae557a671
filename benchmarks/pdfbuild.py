"""One report build in a fresh process, as a Celery worker builds it, reporting its peak memory.

``python -m benchmarks.pdfbuild <database-url> <report-id>`` prints one JSON line: the seconds
``build_report(in_worker=True)`` took (snapshot, HTML, WeasyPrint, storing the file), the pages,
and the process's peak resident set size (``getrusage``'s ``ru_maxrss``), which includes the
Django process around the build as a worker's would.
"""

import json
import os
import resource
import sys
import time


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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "pages": report.page_count, "peak_rss": peak}))


if __name__ == "__main__":
    main(*sys.argv[1:])
