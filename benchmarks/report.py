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

RUNS_NOTE = (
    f"{measure.TIMED_RUNS} runs, {measure.TIMED_TOGETHER_RUNS} for the API page and its floor"
)
WORKERS_NOTE = f"{throughput.WORKERS} sync workers"

PAGES = [
    "plan page",
    "My actions",
    "action page",
    "period review",
    "dashboard",
    "API action list",
    "API status-update list",
]
# Pages that show the same amount at any size: flat cost (issue 22, part 4).
FIXED_SIZE = [
    "period review",
    "My actions",
    "action page",
    "API action list",
    "API status-update list",
]
# Whole-plan pages, to be served from a cache: warm flat, cold at most linear (part 5).
WHOLE_PLAN = ["dashboard", "plan page"]
TIMED = {
    **{f"time: {page}": f"{page} request" for page in PAGES},
    **{f"time: {page} cold": f"{page} request, cache emptied first" for page in WHOLE_PLAN},
    measure.API_PAGE: "API action list, page of up to 1,000",
    measure.API_FLOOR: "API floor (flat queries + orjson), same page",
}
PACKS = {"pdf: steering pack": "steering pack", "pdf: SIB pack": "SIB pack"}
LOADED_PAGES = ["minimal view", "dashboard", "API action list"]
TOKEN_RUNS = ["API action list, token under its limit"]
FLAT_TARGET = 1.5
API_RATIO_TARGET = 1.2
PDF_RATIO_TARGET = 0.8
RSS_TARGET_MIB, RSS_TARGET_SIZE = 600, 10000
REMINDER_TIME_TARGET = 3.0


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


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def summarise(results: dict, loaded: dict, sizes: tuple[int, ...], loaded_size: int) -> Summary:
    summary = Summary()
    figures = Figures(results, summary)
    small, large = sizes[0], sizes[-1]
    data_ratio = large / small
    size_headers = [f"{sizes_label(s)} actions" for s in sizes]
    between = f"{large:,} ÷ {small:,}"

    # Queries per request: identical at every size.
    rows = []
    for page in PAGES:
        counts = [figures.get(size, f"queries: {page}") for size in sizes]
        measured = [c for c in counts if c is not None]
        cells = [str(c) if c is not None else "—" for c in counts]
        verdict = None if len(measured) < len(sizes) else len(set(measured)) == 1
        note = {None: "not measured", True: "constant", False: "GROWS"}[verdict]
        rows.append([page, *cells, note])
        summary.target(
            f"SQL queries per request constant in size: {page}", " / ".join(cells), verdict
        )
    summary.tables.append(
        Table("SQL queries per request", ["page", *size_headers, "verdict"], rows)
    )

    # Time per operation, interleaved between the data sets, and growth smallest → largest.
    rows, growth = [], {}
    for key, label in TIMED.items():
        samples = [figures.samples(size, key) for size in sizes]
        cells = [spread(s) if s else "—" for s in samples]
        if samples[0] and samples[-1]:
            growth[key] = median(samples[-1]) / median(samples[0])
        rows.append([label, *cells, f"{growth[key]:.2f}×" if key in growth else "—"])
    summary.tables.append(
        Table(
            f"Time per operation, interleaved (median of {RUNS_NOTE}, min–max)",
            ["operation", *size_headers, between],
            rows,
        )
    )

    def ratio_target(name, key, limit):
        value = growth.get(key)
        summary.target(
            name,
            f"{value:.2f}×" if value is not None else "—",
            None if value is None else value <= limit,
        )

    for page in FIXED_SIZE:
        ratio_target(
            f"Fixed-size page flat: {page} at {large:,} ≤ {FLAT_TARGET}× its time at {small:,}",
            f"time: {page}",
            FLAT_TARGET,
        )
    for page in WHOLE_PLAN:
        ratio_target(
            f"Whole-plan page warm: {page} at {large:,} ≤ {FLAT_TARGET}× its time at {small:,}",
            f"time: {page}",
            FLAT_TARGET,
        )
        ratio_target(
            f"Whole-plan page cold: {page}, {data_ratio:.0f}× the data ≤ {data_ratio:.0f}× "
            "the time",
            f"time: {page} cold",
            data_ratio,
        )

    # API list against the honest floor.
    rows = []
    for size in sizes:
        api, floor = (
            figures.get(size, measure.API_PAGE),
            figures.get(size, measure.API_FLOOR),
        )
        if api and floor:
            listed = figures.get(size, "API rows") or 0
            rows.append(
                [f"{listed:,}", spread(api), spread(floor), f"{median(api) / median(floor):.2f}×"]
            )
    api, floor = (
        figures.get(large, measure.API_PAGE),
        figures.get(large, measure.API_FLOOR),
    )
    ratio = median(api) / median(floor) if api and floor else None
    summary.target(
        f"API list of {figures.get(large, 'API rows') or 1000:,} actions at {large:,} ≤ "
        f"{API_RATIO_TARGET}× the honest floor",
        f"{ratio:.2f}×" if ratio is not None else "—",
        None if ratio is None else ratio <= API_RATIO_TARGET,
    )
    summary.tables.append(
        Table(
            "API action list against its floor (checked equal on every value first; median of "
            f"{measure.TIMED_TOGETHER_RUNS} rounds of both, min–max)",
            ["actions listed", "API", "floor", "ratio"],
            rows,
        )
    )

    # PDFs: pages per second against the content-matched floors; peak memory of each build.
    rows = []
    pdfs = [("seed", "pdf: Cabinet report", "Cabinet report, TSOC plan")] + [
        (size, key, f"{label}, programme of {size:,}")
        for size in sizes
        for key, label in PACKS.items()
    ]
    for size, key, label in pdfs:
        pdf = figures.get(size, key)
        if pdf is None:
            summary.target(
                f"PDF ≥ {PDF_RATIO_TARGET} of the blocks floor per page: {label}", "—", None
            )
            continue
        label = f"{label} (plan of {pdf['actions']:,} actions)"
        rate = pdf["pages"] / median(pdf["samples"])
        blocks = pdf["blocks_pages"] / median(pdf["blocks_samples"])
        table = pdf["table_pages"] / median(pdf["table_samples"])
        peak = max(pdf["peak_rss"])
        rows.append(
            [
                label,
                str(pdf["pages"]),
                spread(pdf["samples"]),
                f"{rate:.1f}",
                f"{pdf['blocks_pages']} p, {blocks:.1f}/s",
                f"{pdf['table_pages']} p, {table:.1f}/s",
                f"{rate / blocks:.2f}",
                f"{mib(min(pdf['peak_rss']))}–{mib(peak)}",
            ]
        )
        summary.target(
            f"PDF ≥ {PDF_RATIO_TARGET} of the blocks floor per page: {label}",
            f"{rate / blocks:.2f} of the floor",
            rate / blocks >= PDF_RATIO_TARGET,
        )
        if key == "pdf: steering pack" and size == RSS_TARGET_SIZE:
            summary.target(
                f"Steering pack at {RSS_TARGET_SIZE:,} actions builds in < {RSS_TARGET_MIB} MiB",
                mib(peak),
                peak < RSS_TARGET_MIB * 2**20,
            )
    if RSS_TARGET_SIZE not in sizes:
        summary.target(
            f"Steering pack at {RSS_TARGET_SIZE:,} actions builds in < {RSS_TARGET_MIB} MiB",
            "—",
            None,
        )
    summary.tables.append(
        Table(
            "PDF builds (each in a fresh process, as a worker): pages per second and peak memory",
            [
                "report",
                "pages",
                "time",
                "pages/s",
                "floor: blocks",
                "floor: table",
                "÷ blocks floor",
                "peak memory (PSS)",
            ],
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
    first, last = figures.get(small, "reminder run"), figures.get(large, "reminder run")
    summary.target(
        f"Reminder run queries the same at {small:,} and {large:,} actions",
        f"{first['queries']} / {last['queries']}" if first and last else "—",
        None if not (first and last) else first["queries"] == last["queries"],
    )
    if first and last:
        emails = last["emails"] / first["emails"]
        cost = median(last["samples"]) / median(first["samples"])
        summary.target(
            f"Reminder run: {emails:.1f}× the emails cost ≤ {REMINDER_TIME_TARGET:.0f}× the time",
            f"{cost:.2f}×",
            cost <= REMINDER_TIME_TARGET,
        )
    summary.tables.append(
        Table("Reminder run for all leads", ["actions", "emails", "queries", "time"], rows)
    )

    # Throughput under load, with the minimal view's ceiling beside the pages.
    rows = []
    ceiling = loaded.get("minimal view")
    ceiling_rps = median([r["rps"] for r in ceiling]) if isinstance(ceiling, list) else None
    for page in [*LOADED_PAGES, *TOKEN_RUNS]:
        runs = loaded.get(page)
        if not isinstance(runs, list):
            runs = runs or "not run"
            (summary.errors if runs.startswith("ERROR") else summary.not_measured).append(
                f"throughput of {page}: {runs}"
            )
            summary.target(f"Zero errors under load: {page}", "—", None)
            continue
        errors = sum(r["errors"] for r in runs)
        rps = median([r["rps"] for r in runs])
        rows.append(
            [
                page,
                f"{sum(r['requests'] for r in runs):,}",
                spread_rate([r["rps"] for r in runs]),
                f"{rps / ceiling_rps:.2f}" if ceiling_rps else "—",
                spread([r["p50"] for r in runs]),
                spread([r["p99"] for r in runs]),
                str(errors),
            ]
        )
        summary.target(f"Zero errors under load: {page}", f"{errors} errors", errors == 0)
    summary.tables.append(
        Table(
            f"Throughput at {loaded_size:,} actions: gunicorn ({WORKERS_NOTE}) with Redis, "
            "a threaded keep-alive client on loopback",
            ["page", "requests", "req/s", "÷ minimal view", "p50", "p99", "errors"],
            rows,
        )
    )
    past = loaded.get("token past its limit")
    if isinstance(past, dict):
        summary.target(
            f"A token past its limit of {past['limit']:,}/hour is stopped at it across every "
            "worker",
            f"{past['ok']:,} answered, {past['throttled']:,} × 429, {past['errors']} errors",
            past["throttled"] > 0 and past["errors"] == 0 and past["ok"] <= past["limit"],
        )
    else:
        summary.target("A token past its limit is stopped at it across every worker", "—", None)
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
`make bench` builds each data set in its own PostgreSQL database, takes the measurements that
need one data set at a time (queries, PDFs, reminders), then times every request on all the
data sets in alternation, and finally serves the 2,000-action set with gunicorn and Redis for a
load test. Everything runs on this one machine; the figures that carry from machine to machine
are the ratios.

- **Data sets.** `benchmarks/synthetic.py` builds a programme shaped like the real one with bulk
  inserts: 3 strategies with one plan each, 60 agencies (every fifth with a shared inbox), leads
  growing with the programme (one per 20 actions, at least two per agency), contributors, 10
  secretariat and 10 viewers; 200, 2,000 or 10,000 actions (`BENCH_SIZES`), one in ten a parent
  reported through two or three sub-actions, each with a lead and one or two supporting agencies,
  one to three priority and focus areas, two success measures (one a numeric indicator with a
  reading every quarter), and 20 quarters of returns from the lead and most quarters from the
  supporting agencies, each with its history row; the open quarter 3 days overdue with a third
  of the lead returns outstanding; one action in 25 with its description withheld; and one more
  agency that leads 12 lines at every size (a third of them outstanding), whose lead the bench
  signs in as, so the pages it reads show the same amount at any size. Titles and
  descriptions take their lengths from the shipped plans, commentary, risks and next steps from
  the paragraphs of the seed documents, in the seeds' own words. (Strands are not built: they
  arrive with issue 14's data model.) Each size gets its own database (`<BENCH_DATABASE_URL>_N`);
  a built set is kept as a template database (`…_tpl_N`, labelled with the code and date that
  made it) and copied for the next run the same day, so the 10,000-action set is built once.
  Sets are vacuumed and analysed (`VACUUM ANALYZE`) as autovacuum would. The Cabinet report is
  measured on the shipped plans and demo data in `_seed`.
- **Settings.** `benchmarks/settings.py`: the production settings (DEBUG off, hashed static files
  through WhiteNoise) with a bench secret key, plain HTTP on loopback, Celery in-process, email
  kept in memory (messages are rendered; only the SMTP hop is left out), the cache and rate limits
  in Redis (`BENCH_REDIS_URL`), each data set's under a key prefix of its own (the sets' plans and
  periods have the same ids, so one set could otherwise be served another's cached pages), and
  one extra URL, a minimal signed-in view for the load test.
- **Queries per request.** Django's test client, signed in as the person who uses the page (the
  fixed agency's lead for "My actions" and the action page, the secretariat for the others),
  requests each page once to warm up and once inside `CaptureQueriesContext`. The target is the
  same count at every size; `tests/test_query_counts.py` asserts it in the test suite.
- **Interleaved timings.** One process per data set stays up with its signed-in clients; for each
  operation the harness asks each process for one warm-up run, then {measure.TIMED_RUNS} rounds
  of one run per data set, the order rotated each round, so the sizes are compared a request
  apart under the same load. The API page and its floor share their rounds (each round runs
  both on every data set, their order alternating), so their ratio too is taken under one load,
  and have {measure.TIMED_TOGETHER_RUNS} rounds, since one run of either can take twice its
  median here.
  `time.perf_counter()` around the whole request (middleware, session, view, rendering). Each
  figure is the median with the min–max beside it; ratios are medians over medians between the
  smallest and the largest set. "Cold" runs empty the cache (untimed) first.
- **API floor.** The page `GET /api/v1/actions/?page_size={measure.API_LIST_SIZE}` returns to the
  secretariat, built by the flattest correct path: one query per kind of row (actions, priority
  and focus areas, agencies, assumptions, measures, latest lead status, overdue, and the count),
  each for the whole page with its ids as one array parameter, joined in Python and serialised
  with `orjson` in the same process and connection. Each query is the fastest form found for it
  (overdue as three lookups per page action: an earlier floor's one join over the page's family
  was three times slower at 10,000 actions, which flattered the API). Before it is timed, the
  harness compares the
  floor's JSON with the API's, every field of every row, value for value (and the count and page
  links), and stops with the first difference if there is one.
- **Reports.** Each PDF is built {measure.PDF_RUNS} times, each in a fresh process as a Celery
  worker builds it (`benchmarks/pdfbuild.py`: `build_report(in_worker=True)`: the snapshot, the
  HTML, WeasyPrint, storing the file), recording the time and the peak memory of the build's
  process tree (Django included; a long pack renders each section in a child process), sampled
  from outside every 50 ms as the summed proportional set size (PSS, shared pages counted once).
  The steering and SIB packs are of the largest plan, a third of
  the programme. From 2,000 actions, where a build takes minutes, only the steering pack is
  built, {measure.LARGE_PDF_RUNS} time (so those figures have no spread). The floors are
  WeasyPrint rendering the text the report prints, read off its own HTML in order (every
  paragraph, heading, list item, table cell and chart label: `measure.PrintedText`), with the
  report's `@page` size and margins and nothing else, once as plain paragraphs and once as one
  long table (a table row's cells as a row, every other block as a row of one cell), the font
  scaled (untimed, up to {measure.FLOOR_FITS} tries, {measure.LARGE_FLOOR_FITS} from 2,000
  actions) so the floor comes out at the report's page count (both counts are shown).
  Pages are counted with `pikepdf`; the target compares pages per second with the blocks floor.
- **Reminder run.** `queue_due_reminders()`, the job beat runs every hour, with every email
  rendered and delivered in-process; the reminder log is emptied (untimed) before each run so
  each run sends everything again. Queries are counted over one whole run.
- **Throughput.** gunicorn with the production configuration (`tsoc_tracker/gunicorn_conf.py`,
  {load.WORKERS} sync workers) on a loopback port free at the start (or `BENCH_PORT`), with the
  cache and rate limits in Redis, against the 2,000-action database, and a load client of
  {load.CONNECTIONS} threads, each with its own keep-alive connection, asking back to back and
  reading every response whole (`benchmarks/throughput.py`: wrk dropped the dashboard's large
  pages): for the minimal view, the dashboard and the API list with a secretariat session
  (browser sessions' limit raised for the run so the pages' own cost shows), one untimed
  {load.WARM_UP_SECONDS}-second warm-up, then {load.RUNS} runs of {load.SECONDS} seconds each;
  then the API list with a token whose limit ({load.TOKEN_RATE}) the run stays under, and a fresh
  token on `/api/v1/me/` in runs of {load.SECONDS} seconds until its first 429 (at most
  {load.PAST_LIMIT_RUNS} runs): its 200s must stop at the limit across all the workers and the
  rest be 429s. Every other response than a 200 (or the intended 429s) counts as an error, as do
  the client's connection errors and timeouts, from gunicorn's access log.
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
        f"Django {machine['django']}; WeasyPrint {machine['weasyprint']}",
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
