"""The bench figures as tables and targets, for the terminal and for ``docs/benchmarks.md``.

Every timing is shown as the median of its runs with the min–max beside it. A target is PASS or
MISS from the same numbers; what could not be measured is listed with the reason, never scored.
"""

import datetime
import re
import statistics
import textwrap
from dataclasses import dataclass, field

from . import measure, throughput

PAGES = [
    "plan page",
    "My actions",
    "action page",
    "period review",
    "dashboard",
    "API action list",
    "API status-update list",
]
# Timed operations: label, and whether 10× the actions must cost at most 10× the time.
TIMED = {
    **{f"time: {page}": (f"{page} request", True) for page in PAGES},
    "time: API list of 1,000": ("API action list, page of up to 1,000", True),
    "time: raw floor": ("raw SQL + orjson floor, same rows", False),
    "pdf: steering pack": ("steering pack PDF build", True),
    "reminder run": ("reminder run, all leads", True),
}
LOADED_PAGES = ["dashboard", "API action list"]
API_RATIO_TARGET = 2.0
PDF_RATIO_TARGET = 0.5
GROWTH_TARGET = 10.0


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Target:
    name: str
    figure: str
    verdict: str  # PASS, MISS or "not measured"


@dataclass
class Summary:
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    not_measured: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def missed(self) -> bool:
        return bool(self.errors) or any(t.verdict == "MISS" for t in self.targets)

    def target(self, name: str, figure: str, passed: bool | None) -> None:
        verdict = "not measured" if passed is None else "PASS" if passed else "MISS"
        self.targets.append(Target(name, figure, verdict))


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def duration(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def spread(samples: list[float]) -> str:
    if len(samples) == 1:
        return duration(samples[0])
    low, high = min(samples), max(samples)
    unit = (1000, "ms") if high < 1 else (1, "s")
    digits = 1 if unit[1] == "ms" else 2
    return (
        f"{duration(median(samples))} "
        f"({low * unit[0]:.{digits}f}–{high * unit[0]:.{digits}f} {unit[1]})"
    )


def sizes_label(size) -> str:
    return f"{size:,}" if isinstance(size, int) else str(size)


class Figures:
    """Look-ups across the per-data-set results, remembering what was missing and why."""

    def __init__(self, results: dict, summary: Summary):
        self.results = results
        self.summary = summary
        for label, result in results.items():
            for key, reason in result.get("missing", {}).items():
                line = f"{key} at {sizes_label(label)}: {reason}"
                summary.not_measured.append(line)
            for key, error in result.get("errors", {}).items():
                summary.errors.append(f"{key} at {sizes_label(label)}: {error}")

    def get(self, size, key):
        return self.results.get(size, {}).get("figures", {}).get(key)

    def samples(self, size, key) -> list[float] | None:
        """The timing runs of ``key``: a list, or the ``samples`` of a report or reminder run."""
        figure = self.get(size, key)
        return figure["samples"] if isinstance(figure, dict) else figure


def summarise(results: dict, loaded: dict, sizes: tuple[int, ...]) -> Summary:
    summary = Summary()
    figures = Figures(results, summary)
    small, large = sizes[-2], sizes[-1]
    size_headers = [f"{sizes_label(s)} actions" for s in sizes]

    # Queries per request: identical at every size.
    rows = []
    for page in PAGES:
        counts = [figures.get(size, f"queries: {page}") for size in sizes]
        measured = [c for c in counts if c is not None]
        constant = len(measured) == len(sizes) and len(set(measured)) == 1
        cells = [str(c) if c is not None else "—" for c in counts]
        if len(measured) < len(sizes):
            verdict = None
            note = "not measured"
        else:
            verdict = constant
            note = "constant" if constant else "GROWS"
        rows.append([page, *cells, note])
        summary.target(
            f"SQL queries per request constant in size: {page}",
            " / ".join(cells),
            verdict,
        )
    summary.tables.append(
        Table("SQL queries per request", ["page", *size_headers, "verdict"], rows)
    )

    # Time per operation, and growth from the second-largest to the largest size.
    rows = []
    for key, (label, linear) in TIMED.items():
        samples = [figures.samples(size, key) for size in sizes]
        cells = [spread(s) if s else "—" for s in samples]
        growth = None
        if samples[-2] and samples[-1]:
            growth = median(samples[-1]) / median(samples[-2])
        rows.append([label, *cells, f"{growth:.1f}×" if growth is not None else "—"])
        if linear:
            summary.target(
                f"{large:,} actions cost ≤ {GROWTH_TARGET:.0f}× the time of {small:,}: {label}",
                f"{growth:.1f}×" if growth is not None else "—",
                None if growth is None else growth <= GROWTH_TARGET,
            )
    summary.tables.append(
        Table(
            "Time per operation (median, min–max)",
            ["operation", *size_headers, f"{large:,} ÷ {small:,}"],
            rows,
        )
    )

    # API list against the raw floor.
    rows = []
    for size in sizes:
        api, floor = (
            figures.get(size, "time: API list of 1,000"),
            figures.get(size, "time: raw floor"),
        )
        listed = figures.get(size, "API rows")
        if api and floor:
            ratio = median(api) / median(floor)
            rows.append([f"{listed:,}", spread(api), spread(floor), f"{ratio:.2f}×"])
    api = figures.get(large, "time: API list of 1,000")
    floor = figures.get(large, "time: raw floor")
    ratio = median(api) / median(floor) if api and floor else None
    summary.target(
        f"API list of {figures.get(large, 'API rows') or 1000:,} actions ≤ "
        f"{API_RATIO_TARGET:.0f}× the raw floor",
        f"{ratio:.2f}×" if ratio is not None else "—",
        None if ratio is None else ratio <= API_RATIO_TARGET,
    )
    summary.tables.append(
        Table(
            "API action list with latest status, against one raw SQL query + orjson",
            ["actions listed", "API", "floor", "ratio"],
            rows,
        )
    )

    # PDFs in pages per second, beside WeasyPrint rendering a bare table of the same rows.
    rows = []
    pdfs = [("seed", "pdf: Cabinet report", "Cabinet report, TSOC plan")] + [
        (size, "pdf: steering pack", f"steering pack, programme of {size:,}") for size in sizes[1:]
    ]
    for size, key, label in pdfs:
        pdf = figures.get(size, key)
        if pdf is not None:
            label = f"{label} (plan of {pdf['actions']:,} actions)"
        if pdf is None:
            summary.target(f"PDF pages/s ≥ half WeasyPrint's floor: {label}", "—", None)
            continue
        rate = pdf["pages"] / median(pdf["samples"])
        floor_rate = pdf["floor_pages"] / median(pdf["floor_samples"])
        rows.append(
            [
                label,
                str(pdf["pages"]),
                spread(pdf["samples"]),
                f"{rate:.1f}",
                str(pdf["floor_pages"]),
                f"{floor_rate:.1f}",
                f"{rate / floor_rate:.2f}",
            ]
        )
        summary.target(
            f"PDF pages/s ≥ half WeasyPrint's floor: {label}",
            f"{rate / floor_rate:.2f} of the floor",
            rate / floor_rate >= PDF_RATIO_TARGET,
        )
    summary.tables.append(
        Table(
            "PDF reports, pages per second",
            ["report", "pages", "time", "pages/s", "floor pages", "floor pages/s", "÷ floor"],
            rows,
        )
    )

    # The reminder run: emails, queries and time at each size.
    rows = []
    for size in sizes:
        run = figures.get(size, "reminder run")
        if run:
            rows.append(
                [f"{size:,}", str(run["emails"]), str(run["queries"]), spread(run["samples"])]
            )
    runs = [figures.get(size, "reminder run") for size in (small, large)]
    summary.target(
        f"Reminder run queries the same at {small:,} and {large:,} actions",
        " / ".join(str(r["queries"]) for r in runs) if all(runs) else "—",
        None if not all(runs) else runs[0]["queries"] == runs[1]["queries"],
    )
    summary.tables.append(
        Table("Reminder run for all leads", ["actions", "emails", "queries", "time"], rows)
    )

    # Throughput under load.
    rows = []
    for page in LOADED_PAGES:
        runs = loaded.get(page)
        if not isinstance(runs, list):
            if runs.startswith("ERROR"):
                summary.errors.append(f"throughput of {page}: {runs}")
            else:
                summary.not_measured.append(f"throughput of {page}: {runs}")
            summary.target(f"Zero errors under load: {page}", "—", None)
            continue
        errors = sum(r["errors"] for r in runs)
        rows.append(
            [
                page,
                f"{sum(r['requests'] for r in runs):,}",
                spread_rate([r["rps"] for r in runs]),
                spread([r["p50"] for r in runs]),
                spread([r["p99"] for r in runs]),
                str(errors),
            ]
        )
        summary.target(f"Zero errors under load: {page}", f"{errors} errors", errors == 0)
    summary.tables.append(
        Table(
            f"Throughput at {large:,} actions: gunicorn, wrk on loopback",
            ["page", "requests", "req/s", "p50", "p99", "errors"],
            rows,
        )
    )
    return summary


def spread_rate(values: list[float]) -> str:
    return f"{median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def render(table: Table) -> str:
    body = table.rows or [["(none measured)"] + [""] * (len(table.headers) - 1)]
    widths = [max(len(row[i]) for row in [table.headers, *body]) for i in range(len(body[0]))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(table.headers), rule, *(line(row) for row in body)])


def targets_table(summary: Summary) -> Table:
    return Table(
        "Targets",
        ["target", "figure", "verdict"],
        [[t.name, t.figure, t.verdict] for t in summary.targets],
    )


def as_text(summary: Summary) -> str:
    parts = [f"{t.title}\n{render(t)}" for t in [*summary.tables, targets_table(summary)]]
    parts += [f"not measured: {line}" for line in summary.not_measured]
    parts += [f"ERROR: {line}" for line in summary.errors]
    return "\n\n".join(parts)


def method() -> str:
    load = throughput
    return f"""\
`make bench` builds each data set in its own PostgreSQL database, measures it in-process, then
serves the largest with gunicorn for a load test. Everything runs on this one machine; the
figures that carry from machine to machine are the ratios.

- **Data sets.** `benchmarks/synthetic.py` builds a whole-of-government programme with bulk
  inserts: 3 strategies with one plan each, 60 agencies, 600 users (120 agency leads, 460
  contributors, 10 secretariat, 10 steering-group viewers) and 20, 200 or 2,000 actions spread
  over the plans, each with a lead and a supporting agency, two success measures and a parsed
  timeframe, and 8 quarters of lead returns: 7 closed and accepted, the current one open and 3
  days overdue with the returns of a third of the actions outstanding, spread so that every agency
  has some. Each size gets its own database (`<BENCH_DATABASE_URL>_20`, `_200`, `_2000`), dropped,
  created, migrated and, once filled, `ANALYZE`d as autovacuum would. The Cabinet report is
  measured on the shipped plans and demo data (`load_plans`, `load_demo`) in `_seed`.
- **Settings.** `benchmarks/settings.py`: the production settings (DEBUG off, hashed static files
  through WhiteNoise after `collectstatic`) with a bench secret key, plain HTTP on loopback,
  Celery in-process and email kept in memory (messages are rendered; only the SMTP hop is left
  out).
- **Queries per request.** Django's test client, signed in as the person who uses the page (an
  agency lead for "My actions" and the action page, the secretariat for the others), requests
  each page once to warm up and once inside `CaptureQueriesContext`; the second count is shown.
  The plan page shows a whole plan, a third of the actions; the period review shows the first
  page of the open period's returns and the summary counts of all of them. The target is the same
  count at every size. `tests/test_query_counts.py` asserts the same
  guarantees in the test suite.
- **Timings.** `time.perf_counter()` around the whole operation; in-process requests include
  middleware, session, view and rendering. One untimed warm-up, then the median of
  {measure.RUNS} runs with the min–max beside it. Growth is the median at 2,000 actions over the
  median at 200; linear or better is ≤ {GROWTH_TARGET:.0f}×.
- **API floor.** The rows `GET /api/v1/actions/?page_size={measure.API_LIST_SIZE}` returns to
  the secretariat (up to {measure.API_LIST_SIZE:,} actions with their agencies, measures, areas,
  latest lead status and overdue flag) fetched by one raw SQL query (`cursor.execute`, the same
  connection) and serialised with `orjson` in the same process. The harness first checks that
  the floor lists the same actions in the same order, with the same fields and latest statuses.
  The API is called in-process through the test client, so the ratio compares the request path
  and serialisation, not the network.
- **Reports.** Each PDF is built {measure.PDF_RUNS} times as a Celery worker builds it
  (`build_report(in_worker=True)`: the dashboard snapshot, the HTML, WeasyPrint, storing the
  file); the steering pack is of the largest plan, a third of the programme's actions. The floor
  is WeasyPrint rendering a bare HTML table of the same rows (action, description, lead agencies,
  status, per cent, commentary, risks, next steps) with the report's `@page` size and margins.
  Pages are counted with `pypdf`; pages per second = pages ÷ median seconds.
- **Reminder run.** `queue_due_reminders()`, the job beat runs every hour, with every email
  rendered and delivered in-process; the reminder log is emptied (untimed) before each run so
  each run sends everything again. Queries are counted over one whole run.
- **Throughput.** gunicorn with the production configuration (`tsoc_tracker/gunicorn_conf.py`,
  {load.WORKERS} sync workers) on 127.0.0.1 against the 2,000-action database, and wrk
  ({load.THREADS} threads, {load.CONNECTIONS} connections) with a secretariat session cookie:
  one untimed {load.WARM_UP_SECONDS}-second warm-up, then {load.RUNS} runs of {load.SECONDS}
  seconds per page. Every response other than a 200 counts as an error, as do socket errors and
  timeouts.
- **Profiling a miss.** The bench databases stay in place after a run: point
  `DJANGO_SETTINGS_MODULE=benchmarks.settings` and `DATABASE_URL` at `tsoc_bench_2000` and profile
  a test-client request (pyinstrument, py-spy or cProfile) to see where the time goes.
"""


def wrapped(markdown: str) -> str:
    """Each paragraph and list item refilled to 100 columns (values are spliced into the text)."""
    blocks = re.split(r"\n(?=- |\n)", markdown.strip())
    filled = []
    for block in blocks:
        text = " ".join(block.split())
        bullet = text.startswith("- ")
        filled.append(textwrap.fill(text, 100, subsequent_indent="  " if bullet else ""))
    return "\n".join(filled) + "\n"


def as_markdown(summary: Summary, machine: dict, elapsed: float) -> str:
    today = datetime.date.today().isoformat()
    lines = [
        "# Benchmarks",
        "",
        wrapped(
            "How the cost of TSOC Tracker grows with the size of the programme. Run `make bench` "
            "against the local PostgreSQL (override with `BENCH_DATABASE_URL`); it prints the "
            "tables below, rewrites this file from the same numbers and exits with status 1 if a "
            "target is missed. Timings belong here, never in the test suite; the query-count "
            "guarantees are also tests."
        ).strip(),
        "",
        "## Method",
        "",
        wrapped(method()),
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cpus']} cores (`nproc`)",
        f"- Memory: {machine['memory']} (`free -h`)",
        f"- {machine['system']}; PostgreSQL {machine['postgres']}; Python {machine['python']}; "
        f"Django {machine['django']}; WeasyPrint {machine['weasyprint']}; wrk {machine['wrk']}",
        f"- One-minute load average {machine['load']} (the bench itself keeps one or two cores "
        "busy; more than that was other work sharing the machine, which widens the min–max and "
        "can tilt single figures)",
        "",
        f"## Latest figures ({today}, whole run {elapsed / 60:.1f} minutes)",
        "",
    ]
    for table in [targets_table(summary), *summary.tables]:
        lines += [f"### {table.title}", "", render(table), ""]
    if summary.not_measured or summary.errors:
        lines += ["### Not measured", ""]
        lines += [f"- not measured: {line}" for line in summary.not_measured]
        lines += [f"- error: {line}" for line in summary.errors]
        lines.append("")
    return "\n".join(lines)
