"""One bench data set, measured in-process: build it, then count queries and time operations.

``benchmarks.run`` starts this as ``python -m benchmarks.measure <size|seed> <database-url>
<out.json>``, one process per data set, because Django's database settings are fixed once it
starts. The database is dropped and created afresh, migrated, filled, then measured; the figures
are written to ``out.json`` as raw samples (seconds) for the orchestrator to summarise.

A feature that isn't in the tree yet is recorded as missing, never given a number.
"""

import datetime
import io
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import orjson
import psycopg
from psycopg import sql

RUNS = 5
TIMED_RUNS = 7  # interleaved samples per operation and size, after one warm-up each
# Operations whose times are divided one by the other: timed in the same rounds, alternating,
# so the ratio is taken under the same load (timed minutes apart, it flipped with the machine's),
# and over more rounds: on this machine one run of either can take twice its median.
TIMED_TOGETHER_RUNS = 21
API_PAGE = "time: API list of 1,000"
API_FLOOR = "time: raw floor"
TIMED_TOGETHER = ((API_PAGE, API_FLOOR),)
PDF_RUNS = 3
LARGE_PDF_RUNS = 1  # builds of a pack from 2,000 actions up: minutes each
FLOOR_FITS = 4
LARGE_FLOOR_FITS = 2
API_LIST_SIZE = 1000
# BENCH_PDFS=0 leaves the PDF builds out (they take most of a run; the rows say "not measured").
SKIP_PDFS = os.environ.get("BENCH_PDFS", "1") == "0"
ROOT = Path(__file__).resolve().parent.parent


class Missing(Exception):
    """The feature to measure is not in the tree (yet)."""


STARTED = time.monotonic()


def progress(label: str, message: str) -> None:
    print(f"[bench {label} {time.monotonic() - STARTED:5.0f}s] {message}", flush=True)


def recreate_database(url: str) -> None:
    """Drop and create the database ``url`` names, through the server's ``postgres`` database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def timed(
    operation: Callable[[], object],
    runs: int = RUNS,
    *,
    warm_up: bool = True,
    reset: Callable[[], object] | None = None,
) -> list[float]:
    """Seconds per run of ``operation``, after one untimed warm-up run (connections, template
    and URL caches); ``reset`` runs untimed before each run."""
    samples = []
    for run in range(runs + warm_up):
        if reset:
            reset()
        started = time.perf_counter()
        operation()
        if run or not warm_up:
            samples.append(time.perf_counter() - started)
    return samples


def reverse_or_missing(name: str, **kwargs) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch as error:
        raise Missing(f"no URL named {name!r}") from error


def get_ok(client, url: str):
    """GET ``url`` and insist on a 200: a redirect or an error page is not the page measured."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")
    return response


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get_ok(client, url)
    with CaptureQueriesContext(connection) as captured:
        get_ok(client, url)
    return len(captured)


def pdf_pages(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


class Recorder:
    """Collects figures; a missing feature is kept as the reason instead of a number."""

    def __init__(self, label: str):
        self.label = label
        self.figures: dict[str, object] = {}
        self.missing: dict[str, str] = {}
        self.errors: dict[str, str] = {}

    def record(self, key: str, measure: Callable[[], object]) -> None:
        progress(self.label, f"measuring {key}")
        try:
            self.figures[key] = measure()
        except Missing as reason:
            self.missing[key] = f"feature missing: {reason}"
            progress(self.label, f"not measured: {key} (feature missing: {reason})")
        except Exception as error:  # one broken page must not stop the other measurements
            traceback.print_exc()
            self.errors[key] = f"{type(error).__name__}: {error}"
            progress(self.label, f"ERROR measuring {key}: {error}")

    def result(self, **extra) -> dict:
        return {
            "size": self.label,
            "figures": self.figures,
            "missing": self.missing,
            "errors": self.errors,
            **extra,
        }


# The API floor: the page GET /api/v1/actions/?page_size=N gives the secretariat (who sees every
# action and return), by the flattest correct path: one query per kind of row, each for the whole
# page (its ids as one array parameter), joined in Python and serialised with orjson. It applies
# the status rule's pure function to flat rows and restates the overdue rule; the harness checks
# it equal to the API's output, field by field and value by value, before timing it.
FLOOR_ACTIONS = """
SELECT a.id, a.plan_id, p.slug, p.code, a.kind, a.number, a.title, a.short_title, a.description,
  a.resourcing, a.timeframe, a.starts_on, a.ends_on, a.is_ongoing, a.timeframe_unparsed,
  a.parent_id, parent.number, a.group_id, g.title
FROM actions_action a
JOIN actions_actionplan p ON p.id = a.plan_id
LEFT JOIN actions_action parent ON parent.id = a.parent_id
LEFT JOIN actions_actiongroup g ON g.id = a.group_id
ORDER BY p.start_date DESC, p.title, a.sort_key, a.id
LIMIT %(limit)s
"""
FLOOR_AREAS = """
SELECT link.action_id, area.slug FROM actions_action_{kind}_areas link
JOIN actions_{kind}area area ON area.id = link.{kind}area_id
WHERE link.action_id = ANY(%(ids)s) ORDER BY area."order", area.name, area.id
"""
FLOOR_AGENCIES = """
SELECT c.id, c.action_id, c.agency_id, agency.slug, agency.short_name, c.role, c.designated_at
FROM actions_actionagency c JOIN agencies_agency agency ON agency.id = c.agency_id
WHERE c.action_id = ANY(%(ids)s) ORDER BY c."order", c.id
"""
FLOOR_ASSUMPTIONS = """
SELECT ct.model, x.object_id, x.field, x.reason FROM actions_assumption x
JOIN django_content_type ct ON ct.id = x.content_type_id
WHERE ct.app_label = 'actions' AND x.status = 'open' AND (
  (ct.model = 'action' AND x.object_id = ANY(%(ids)s))
  OR (ct.model = 'actionagency' AND x.object_id = ANY(%(coordinators)s) AND x.field = ''))
ORDER BY x.field, x.id
"""
FLOOR_MEASURES = """
SELECT m.action_id, m.id, m.statement, m.indicator, m.unit, m.baseline, m.baseline_date,
  m.target, m.target_date, m.direction
FROM actions_successmeasure m WHERE m.action_id = ANY(%(ids)s) ORDER BY m."order", m.id
"""
# The page's actions and the lines they roll up from, the lines' coordinating agencies, and the
# counted returns of each plan's default quarter: the rows reporting.lines.progress_of (the
# status rule, a pure function) reads.
FLOOR_FAMILY = """
SELECT a.id, a.parent_id FROM actions_action a WHERE a.id = ANY(%(ids)s)
UNION SELECT a.id, a.parent_id FROM actions_action a WHERE a.parent_id = ANY(%(ids)s)
UNION SELECT a.id, a.parent_id FROM actions_action a
  WHERE a.parent_id IN (SELECT c.id FROM actions_action c WHERE c.parent_id = ANY(%(ids)s))
"""
FLOOR_LINE_AGENCIES = """
SELECT c.action_id, c.agency_id, c.role FROM actions_actionagency c
WHERE c.action_id = ANY(%(ids)s) ORDER BY c."order", c.id
"""
FLOOR_COUNTED = """
SELECT u.action_id, u.agency_id, u.id, agency.slug, u.status, u.state, u.percent_complete
FROM reporting_statusupdate u JOIN agencies_agency agency ON agency.id = u.agency_id
WHERE u.action_id = ANY(%(ids)s) AND u.period_id = %(period)s
  AND u.state IN ('submitted', 'accepted')
ORDER BY agency.short_name, u.id
"""
# Overdue: an open period past due covering the plan, and a responsible agency of the action or
# one of its lines (a line: no parts of its own) without a counted return in it. The action, its
# parts and theirs are three lookups per page action (three times faster at 10,000 actions than
# the same rule as one join over the page's family, which read every return of every quarter of
# each line it joined; an OR of the three in one lookup read every action for each).
_LINE_OWES = """EXISTS (
    SELECT 1 FROM actions_actionagency c JOIN actions_action line ON line.id = c.action_id
    WHERE {line}
      AND NOT EXISTS (SELECT 1 FROM actions_action part WHERE part.parent_id = line.id)
      AND (c.role = 'lead' OR (c.role = 'coordinating' AND NOT EXISTS (
        SELECT 1 FROM actions_actionagency l WHERE l.action_id = line.id AND l.role = 'lead')))
      AND NOT EXISTS (
        SELECT 1 FROM reporting_statusupdate r WHERE r.action_id = line.id
          AND r.agency_id = c.agency_id AND r.period_id = o.id
          AND r.state IN ('submitted', 'accepted')))"""
_GRANDCHILDREN = (
    "line.parent_id IN (SELECT part.id FROM actions_action part WHERE part.parent_id = a.id)"
)
FLOOR_OVERDUE = f"""
SELECT a.id FROM actions_action a JOIN actions_actionplan p ON p.id = a.plan_id
WHERE a.id = ANY(%(ids)s) AND EXISTS (
  SELECT 1 FROM reporting_reportingperiod o
  WHERE o.state = 'open' AND o.due_on < %(today)s
    AND o.starts_on <= p.end_date AND o.ends_on >= p.start_date
    AND ({_LINE_OWES.format(line="line.id = a.id")}
      OR {_LINE_OWES.format(line="line.parent_id = a.id")}
      OR {_LINE_OWES.format(line=_GRANDCHILDREN)}))
"""


def _text(value):
    return None if value is None else str(value)


def _day(value):
    return None if value is None else value.isoformat()


def api_floor(limit: int, page_url: str) -> bytes:
    """The API's page of ``limit`` actions, built flat (see above) and serialised with orjson."""
    from collections import defaultdict

    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:

        def rows(query, **params):
            cursor.execute(query, params)
            return cursor.fetchall()

        cursor.execute("SELECT count(*) FROM actions_action")
        count = cursor.fetchone()[0]
        actions = rows(FLOOR_ACTIONS, limit=limit)
        ids = [row[0] for row in actions]
        areas = {}
        for kind in ("priority", "focus"):
            areas[kind] = defaultdict(list)
            for action_id, slug in rows(FLOOR_AREAS.format(kind=kind), ids=ids):
                areas[kind][action_id].append(slug)
        coordinators = rows(FLOOR_AGENCIES, ids=ids)
        assumptions, coordinator_assumptions = defaultdict(list), {}
        for model, object_id, field, reason in rows(
            FLOOR_ASSUMPTIONS, ids=ids, coordinators=[c[0] for c in coordinators]
        ):
            if model == "action":
                assumptions[object_id].append({"field": field, "reason": reason})
            else:
                coordinator_assumptions.setdefault(object_id, reason)
        agencies = defaultdict(list)
        for pk, action_id, agency_id, slug, name, role, designated_at in coordinators:
            agencies[action_id].append(
                {
                    "agency_id": agency_id,
                    "agency": slug,
                    "agency_name": name,
                    "role": role,
                    "designated_at": designated_at,
                    "assumption": coordinator_assumptions.get(pk),
                }
            )
        measures = defaultdict(list)
        for (
            action_id,
            pk,
            statement,
            indicator,
            unit,
            base,
            base_day,
            target,
            day,
            direction,
        ) in rows(FLOOR_MEASURES, ids=ids):
            measures[action_id].append(
                {
                    "id": pk,
                    "statement": statement,
                    "indicator": indicator,
                    "unit": unit,
                    "baseline": _text(base),
                    "baseline_date": _day(base_day),
                    "target": _text(target),
                    "target_date": _day(day),
                    "direction": direction,
                }
            )
        progress = _floor_progress(rows, actions, ids)
        overdue = {row[0] for row in rows(FLOOR_OVERDUE, ids=ids, today=timezone.localdate())}
    results = []
    for row in actions:
        (pk, plan_id, plan, code, kind, number, title, short_title, description) = row[:9]
        (resourcing, timeframe, starts, ends, ongoing, unparsed, parent_id) = row[9:16]
        parent_number, group_id, group_title = row[16:]
        results.append(
            {
                "id": pk,
                "plan_id": plan_id,
                "plan": plan,
                "reference": f"{code} {number}",
                "kind": kind,
                "number": number,
                "title": title,
                "short_title": short_title,
                "description": description,
                "resourcing": resourcing,
                "timeframe": timeframe,
                "starts_on": _day(starts),
                "ends_on": _day(ends),
                "is_ongoing": ongoing,
                "timeframe_unparsed": unparsed,
                "parent_id": parent_id,
                "parent_number": parent_number,
                "group_id": group_id,
                "group_title": group_title,
                "priority_areas": areas["priority"][pk],
                "focus_areas": areas["focus"][pk],
                "agencies": agencies[pk],
                "success_measures": measures[pk],
                "assumptions": assumptions[pk],
                "progress": progress.get(pk),
                "overdue": pk in overdue,
            }
        )
    page = {
        "count": count,
        "next": f"{page_url}?page=2&page_size={limit}" if count > limit else None,
        "previous": None,
        "results": results,
    }
    return orjson.dumps(page, option=orjson.OPT_UTC_Z)


def _floor_progress(rows, actions, ids) -> dict:
    """Each page action's ``progress`` for its plan's default quarter, from flat rows and the
    status rule's pure function (``reporting.lines.progress_of``)."""
    from collections import defaultdict

    from actions.models import ActionPlan
    from reporting.lines import progress_of
    from reporting.models import ReportingPeriod

    family = rows(FLOOR_FAMILY, ids=ids)
    in_family = {pk for pk, _ in family}
    pairs = [(pk, parent if parent in in_family else None) for pk, parent in family]
    roles = defaultdict(list)
    role_of = {}
    for action_id, agency_id, role in rows(FLOOR_LINE_AGENCIES, ids=list(in_family)):
        roles[action_id].append((agency_id, role))
        role_of[(action_id, agency_id)] = role
    plans = {row[1] for row in actions}
    result = {}
    for plan in ActionPlan.objects.filter(pk__in=plans):
        period = ReportingPeriod.objects.default_for(plan)
        if period is None:
            continue
        returns, counted = defaultdict(list), {}
        for action_id, agency_id, pk, slug, status, state, percent in rows(
            FLOOR_COUNTED, ids=list(in_family), period=period.pk
        ):
            counted[(action_id, agency_id)] = (status, percent)
            returns[action_id].append((pk, agency_id, slug, status, state, percent))
        lines = progress_of(pairs, roles, counted)
        for row in actions:
            if row[1] != plan.pk:
                continue
            line = lines[row[0]]
            result[row[0]] = {
                "period": period.code,
                "period_label": period.label,
                **line.as_dict(),
                "returns": [
                    {
                        "update_id": pk,
                        "agency_id": agency_id,
                        "agency": slug,
                        "role": role_of.get((row[0], agency_id), ""),
                        "counts": agency_id in line.responsible,
                        "status": status,
                        "state": state,
                        "percent_complete": percent,
                    }
                    for pk, agency_id, slug, status, state, percent in returns[row[0]]
                ]
                if line.is_line
                else [],
            }
    return result


def first_difference(api, floor, path="$") -> str | None:
    """Where two parsed JSON values first differ (a path and both values), or None."""
    if type(api) is not type(floor):
        return f"{path}: API {api!r}, floor {floor!r}"
    if isinstance(api, dict):
        if sorted(api) != sorted(floor):
            return f"{path}: API fields {sorted(api)}, floor fields {sorted(floor)}"
        for key in api:
            if found := first_difference(api[key], floor[key], f"{path}.{key}"):
                return found
        return None
    if isinstance(api, list):
        if len(api) != len(floor):
            return f"{path}: API {len(api)} items, floor {len(floor)}"
        for n, (a, f) in enumerate(zip(api, floor, strict=True)):
            if found := first_difference(a, f, f"{path}[{n}]"):
                return found
        return None
    return None if api == floor else f"{path}: API {api!r}, floor {floor!r}"


def check_floor_matches(api: bytes, floor: bytes) -> int:
    """The floor must be the API's page exactly: every field of every row, value for value.
    Returns how many actions it lists."""
    api_page, floor_page = orjson.loads(api), orjson.loads(floor)
    if found := first_difference(api_page, floor_page):
        raise RuntimeError(f"the API floor differs from the API at {found}")
    return len(api_page["results"])


# The PDF floors: WeasyPrint rendering the text the report prints (every paragraph, heading, list
# item, table cell and chart label of its own HTML, in order) with the report's @page size and
# margins and nothing else, as plain blocks and as one long table, the font scaled so the floor
# comes out at the pack's pages.
def report_page_css() -> str:
    """The ``@page`` size and margins of the reports' stylesheet."""
    css = (ROOT / "static" / "css" / "report.css").read_text()
    match = re.search(r"@page\s*{\s*size:\s*([^;]+);\s*margin:\s*([^;]+);", css)
    if match is None:
        raise RuntimeError("static/css/report.css has no @page size and margin to copy")
    return f"@page {{ size: {match[1]}; margin: {match[2]}; }}"


class PrintedText(HTMLParser):
    """The text of a report's HTML as rows of cells: a table row's cells make one row, and the
    text of every other block (paragraph, heading, list item, term, chart label) a row of one.
    What is never printed (the head, styles, an SVG's title and description) is left out."""

    BLOCKS = frozenset(
        {
            *("address", "article", "aside", "blockquote", "caption", "div", "figcaption"),
            *("figure", "footer", "header", "main", "nav", "pre", "section"),
            *("h1", "h2", "h3", "h4", "h5", "h6", "p", "dl", "dt", "dd", "ol", "ul", "li"),
            *("table", "thead", "tbody", "tfoot", "td", "th", "svg", "g", "text"),
        }
    )
    UNPRINTED = frozenset({"head", "style", "script", "title", "desc"})

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None  # the cells of the table row being read
        self.text: list[str] = []
        self.hidden = 0

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            if self.row is not None:
                self.row.append(text)
            else:
                self.rows.append([text])

    def handle_starttag(self, tag, attrs):
        if tag in self.UNPRINTED:
            self.hidden += 1
        elif tag == "tr":
            self.flush()
            self.row = []
        elif tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.UNPRINTED:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "tr":
            self.flush()
            if self.row:
                self.rows.append(self.row)
            self.row = None
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


def floor_cells(html: str) -> list[list[str]]:
    """The text ``html`` prints, as rows of cells (``PrintedText``)."""
    parser = PrintedText()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.rows


def floor_html(cells: list[list[str]], layout: str, font_pt: float) -> str:
    from django.utils.html import escape

    if layout == "table":
        body = (
            "<table>"
            + "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in cells
            )
            + "</table>"
        )
        css = "table { border-collapse: collapse; } td { border: 0.5pt solid #999; padding: 1mm; }"
    else:
        body = "".join(
            "<div>" + "".join(f"<p>{escape(c)}</p>" for c in row if c) + "</div>" for row in cells
        )
        css = "p { margin: 0 0 1mm; }"
    return (
        f"<!doctype html><html><head><style>{report_page_css()} "
        f"body {{ font: {font_pt:.2f}pt/1.4 'DejaVu Sans', sans-serif; }} {css}"
        f"</style></head><body>{body}</body></html>"
    )


def render_floor(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def matched_floor(cells, layout: str, pages: int, fits: int) -> tuple[str, int]:
    """The floor's HTML with its font scaled (untimed, up to ``FLOOR_FITS`` renders) until it
    comes out at the pack's page count, or as near as that gets (``fits`` renders at most)."""
    font, best = 9.5, None
    for _ in range(fits):
        html = floor_html(cells, layout, font)
        got = pdf_pages(render_floor(html))
        if best is None or abs(got - pages) < abs(best[1] - pages):
            best = (html, got)
        if abs(got - pages) <= max(1, pages // 50):
            break
        font *= (pages / got) ** 0.5  # the text area grows with the square of the font size
    return best


def measure_report(plan, period, audience: str, user, runs: int = PDF_RUNS) -> dict:
    """Build the report ``PDF_RUNS`` times, each in a fresh process as a Celery worker does
    (snapshot, HTML, render, store), recording time and peak memory; then the floors of the
    same content, as blocks and as a table."""
    from django.db import connection

    from benchmarks.pdfbuild import build_in_fresh_process
    from reporting.models import Report

    url = os.environ["DATABASE_URL"]
    builds = []
    for _ in range(runs):
        report = Report.objects.create(
            plan=plan, period=period, audience=audience, requested_by=user
        )
        connection.close()  # the build's process has its own connection
        builds.append(build_in_fresh_process(url, report.pk))
    report.refresh_from_db()
    pages = builds[-1]["pages"]
    result = {
        "pages": pages,
        "samples": [build["seconds"] for build in builds],
        "peak_rss": [build["peak_rss"] for build in builds],
        "actions": len(report.snapshot["actions"]),
    }
    from reporting.reports.documents import report_html

    cells = floor_cells(report_html(report))
    for layout in ("blocks", "table"):
        html, floor_pages = matched_floor(
            cells, layout, pages, FLOOR_FITS if runs > 1 else LARGE_FLOOR_FITS
        )
        result[f"{layout}_pages"] = floor_pages
        result[f"{layout}_samples"] = timed(lambda h=html: render_floor(h), runs, warm_up=False)
    return result


def measure_reminders() -> dict:
    """A whole reminder run (what beat's hourly job does) with every email sent in-process."""
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.models import ReminderLog
    from reporting.reminders.tasks import queue_due_reminders

    def forget_sent():
        ReminderLog.objects.all().delete()
        mail.outbox = []

    samples = timed(queue_due_reminders, reset=forget_sent)
    forget_sent()
    with CaptureQueriesContext(connection) as captured:
        queue_due_reminders()
    if not mail.outbox:
        raise RuntimeError("the reminder run sent no email")
    return {"samples": samples, "queries": len(captured), "emails": len(mail.outbox)}


# The synthetic data sets -------------------------------------------------------------------


def page_urls(data: dict) -> dict[str, tuple[str, Callable[[], str]]]:
    """Each page measured for query counts: who reads it, and where it is."""
    plan, period = data["plans"][0], data["periods"][-1]
    return {
        "plan page": (
            "secretariat",
            lambda: reverse_or_missing("actions:plan_detail", slug=plan.slug),
        ),
        "My actions": ("lead", lambda: reverse_or_missing("reporting:my_actions")),
        "action page": (
            "lead",
            lambda: reverse_or_missing("actions:action_detail", plan=plan.slug, number="1"),
        ),
        "period review": (
            "secretariat",
            lambda: reverse_or_missing("reporting:period_detail", code=period.code),
        ),
        "dashboard": (
            "secretariat",
            lambda: reverse_or_missing("reporting:dashboard", plan=plan.slug),
        ),
        "API action list": ("secretariat", lambda: reverse_or_missing("actions-list")),
        "API status-update list": (
            "secretariat",
            lambda: reverse_or_missing("status-updates-list"),
        ),
    }


def analyze() -> None:
    """What autovacuum keeps on a live database: planner statistics, and the visibility map
    that lets a count or a sort read an index alone (it vacuums a table after many inserts)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def template_label(size: int) -> str:
    """What a kept data set was made from: the builder's code and the day (its periods are
    counted back from today). Migrations added since are applied to the copy, as they would be
    to a live database."""
    import hashlib

    digest = hashlib.sha256((ROOT / "benchmarks" / "synthetic.py").read_bytes())
    # The day in New Zealand, as the builder sees it (Django sets TZ once it starts).
    today = datetime.datetime.now(ZoneInfo("Pacific/Auckland")).date()
    return f"bench {size} {today.isoformat()} {digest.hexdigest()[:16]}"


def maintenance(url: str):
    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def copy_from_template(url: str, size: int) -> bool:
    """Create the data set's database from its kept template, if one made the same way today
    exists; True if it did."""
    name = urlsplit(url).path.lstrip("/")
    with maintenance(url) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [f"{name}_tpl"],
        ).fetchone()
        if not row or row[0] != template_label(size):
            return False
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(f"{name}_tpl")
            )
        )
    return True


def keep_as_template(url: str, size: int) -> None:
    from django.db import connections

    connections.close_all()
    name = urlsplit(url).path.lstrip("/")
    template = sql.Identifier(f"{name}_tpl")
    with maintenance(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(template))
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(template, sql.Identifier(name))
        )
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                template, sql.Literal(template_label(size))
            )
        )


def measure_size(size: int, url: str, copied: bool) -> dict:
    from django.conf import settings
    from django.test import Client

    from benchmarks import synthetic

    label = str(size)
    if copied:
        data = synthetic.handles()
        progress(label, f"copied from its template: {data['actions']} actions")
    else:
        progress(label, f"building the synthetic programme ({size} actions)")
        started = time.perf_counter()
        data = synthetic.build(size)
        analyze()
        progress(
            label,
            f"built {data['actions']} actions, {data['updates']} updates "
            f"in {time.perf_counter() - started:.1f}s",
        )
        keep_as_template(url, size)
    clients = {}
    for role in ("secretariat", "lead"):
        clients[role] = Client()
        clients[role].force_login(data[role])
    secretariat = clients["secretariat"]

    recorder = Recorder(label)
    pages = page_urls(data)
    paths, missing = {}, {}
    for page, (role, url) in pages.items():
        try:
            paths[page] = url()
        except Missing as reason:
            missing[page] = f"feature missing: {reason}"
        recorder.record(
            f"queries: {page}", lambda role=role, url=url: count_queries(clients[role], url())
        )

    def api_list():
        url = f"{pages['API action list'][1]()}?page_size={API_LIST_SIZE}"
        page_url = f"http://testserver{pages['API action list'][1]()}"
        return check_floor_matches(
            get_ok(secretariat, url).content, api_floor(API_LIST_SIZE, page_url)
        )

    recorder.record("API rows", api_list)
    if size >= 200 and not SKIP_PDFS:
        plan, period = data["plans"][0], data["periods"][-1]
        # From 2,000 actions a build takes minutes: the steering pack once, the SIB pack not.
        packs = (("steering", "pdf: steering pack"), ("sib", "pdf: SIB pack"))
        for audience, key in packs if size < 2000 else packs[:1]:
            recorder.record(
                key,
                lambda a=audience: measure_report(
                    plan,
                    period,
                    a,
                    data["secretariat"],
                    PDF_RUNS if size < 2000 else LARGE_PDF_RUNS,
                ),
            )
    recorder.record("reminder run", measure_reminders)

    # For the interleaved timings and the load test: who reads what, and where.
    from agencies.tokens import ApiToken

    cookie = secretariat.cookies[settings.SESSION_COOKIE_NAME]
    from django.core.cache import cache

    tokens = {}
    for name in ("under its limit", "over its limit"):
        token, tokens[name] = ApiToken.objects.issue(data["secretariat"], name=f"bench {name}")
        cache.delete(f"throttle_token_{token.pk}")  # a fresh allowance, whatever ran before
    load = {
        "cookie": f"{cookie.key}={cookie.value}",
        "paths": paths,
        "missing": missing,
        "tokens": tokens,
    }
    readers = {page: pages[page][0] for page in paths}
    users = {role: data[role].get_username() for role in ("secretariat", "lead")}
    return recorder.result(load=load, serve={"paths": paths, "readers": readers, "users": users})


# Interleaved timing ------------------------------------------------------------------------
# ``benchmarks.run`` starts one ``serve`` process per data set and asks them in turn for one
# sample each, so every size is timed under the same load, a request apart.

CACHE_COLD = "cold"


def timing_operations(serve: dict) -> dict[str, Callable[[], object]]:
    """Each timed operation of a data set: a page request as its reader, the API page of 1,000
    and its floor; the dashboard and plan page also cold (the cache emptied first, untimed)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    clients = {}
    for role, username in serve["users"].items():
        clients[role] = Client()
        clients[role].force_login(get_user_model().objects.get(username=username))
    operations = {}
    for page, path in serve["paths"].items():
        client = clients[serve["readers"][page]]
        operations[f"time: {page}"] = (None, lambda c=client, p=path: get_ok(c, p))
        if page in ("dashboard", "plan page"):
            operations[f"time: {page} {CACHE_COLD}"] = (
                cache.clear,
                lambda c=client, p=path: get_ok(c, p),
            )
    api_path = serve["paths"].get("API action list")
    if api_path:
        url = f"{api_path}?page_size={API_LIST_SIZE}"
        page_url = f"http://testserver{api_path}"
        secretariat = clients["secretariat"]
        operations[API_PAGE] = (None, lambda: get_ok(secretariat, url))
        operations[API_FLOOR] = (None, lambda: api_floor(API_LIST_SIZE, page_url))
    return operations


def serve(serve_json: str) -> None:
    """Answer ``<key>`` lines on stdin with one timed run of that operation, as a JSON line
    ``{"key": …, "seconds": …}`` (or ``"error"``); ``list`` answers the keys."""
    operations = timing_operations(json.loads(Path(serve_json).read_text()))
    for line in sys.stdin:
        key = line.strip()
        if key == "list":
            print(json.dumps(sorted(operations)), flush=True)
            continue
        try:
            reset, operation = operations[key]
            if reset:
                reset()
            started = time.perf_counter()
            operation()
            print(json.dumps({"key": key, "seconds": time.perf_counter() - started}), flush=True)
        except Exception as error:  # one broken page must not stop the others
            print(json.dumps({"key": key, "error": f"{type(error).__name__}: {error}"}), flush=True)


# The seed plans ----------------------------------------------------------------------------


def measure_seed() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from actions.models import ActionPlan
    from reporting.demo import DEMO_PLAN
    from reporting.models import ReportingPeriod

    progress("seed", "loading the seed plans and demo data")
    call_command("load_plans", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    analyze()
    recorder = Recorder("seed")
    if SKIP_PDFS:
        return recorder.result()
    plan = ActionPlan.objects.get(slug=DEMO_PLAN)
    period = ReportingPeriod.objects.current()
    secretariat = get_user_model().objects.get(username="secretariat")
    recorder.record(
        "pdf: Cabinet report", lambda: measure_report(plan, period, "cabinet", secretariat)
    )
    return recorder.result()


def main(argv: list[str]) -> None:
    if argv[0] == "serve":
        _, url, serve_json = argv
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
        import django

        django.setup()
        serve(serve_json)
        return
    target, url, out = argv
    copied = target != "seed" and copy_from_template(url, int(target))
    if not copied:
        progress(target, f"creating {urlsplit(url).path.lstrip('/')} and migrating")
        recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)  # on a copy: the migrations added since it was built
    if copied:
        analyze()
    started = datetime.datetime.now()
    result = measure_seed() if target == "seed" else measure_size(int(target), url, copied)
    progress(target, f"measured in {(datetime.datetime.now() - started).seconds}s")
    if "serve" in result:
        serve_json = Path(out).with_suffix(".serve.json")
        serve_json.write_text(json.dumps(result["serve"]))
        result["serve"] = str(serve_json)
    Path(out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
