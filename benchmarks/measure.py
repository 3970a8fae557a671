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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import orjson
import psycopg
from psycopg import sql

RUNS = 5
PDF_RUNS = 3
API_LIST_SIZE = 1000
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
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


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


# The API floor: the rows of GET /api/v1/actions/ (as the secretariat, who sees every action and
# return) in one SQL query, serialised with orjson. Same fields, nesting, order and latest-status
# rule as reporting/progress/latest.py and the API's list serialiser (short titles and
# assumptions included).
API_FLOOR_SQL = """
SELECT
  a.id, a.plan_id, p.slug AS plan, p.code || ' ' || a.number AS reference, a.number, a.title,
  a.short_title, a.description, a.resourcing, a.timeframe, a.starts_on, a.ends_on, a.is_ongoing,
  a.timeframe_unparsed, a.parent_id, parent.number AS parent_number, a.group_id,
  g.title AS group_title,
  ARRAY(
    SELECT area.slug FROM actions_action_priority_areas link
    JOIN actions_priorityarea area ON area.id = link.priorityarea_id
    WHERE link.action_id = a.id ORDER BY area."order", area.name, area.id
  ) AS priority_areas,
  ARRAY(
    SELECT area.slug FROM actions_action_focus_areas link
    JOIN actions_focusarea area ON area.id = link.focusarea_id
    WHERE link.action_id = a.id ORDER BY area."order", area.name, area.id
  ) AS focus_areas,
  COALESCE((
    SELECT json_agg(json_build_object(
      'agency_id', c.agency_id, 'agency', agency.slug, 'agency_name', agency.short_name,
      'role', c.role, 'scope', c.scope, 'assumption', (
        SELECT x.reason FROM actions_assumption x
        JOIN django_content_type ct ON ct.id = x.content_type_id
        WHERE ct.app_label = 'actions' AND ct.model = 'actionagency' AND x.object_id = c.id
          AND x.field = '' AND x.status = 'open' LIMIT 1)) ORDER BY c."order", c.id)
    FROM actions_actionagency c JOIN agencies_agency agency ON agency.id = c.agency_id
    WHERE c.action_id = a.id
  ), '[]'::json) AS agencies,
  COALESCE((
    SELECT json_agg(json_build_object(
      'id', m.id, 'statement', m.statement, 'scope', m.scope, 'indicator', m.indicator,
      'unit', m.unit, 'baseline', m.baseline::text, 'target', m.target::text,
      'target_date', m.target_date) ORDER BY m."order", m.id)
    FROM actions_successmeasure m WHERE m.action_id = a.id
  ), '[]'::json) AS success_measures,
  COALESCE((
    SELECT json_agg(json_build_object('field', x.field, 'reason', x.reason) ORDER BY x.field)
    FROM actions_assumption x JOIN django_content_type ct ON ct.id = x.content_type_id
    WHERE ct.app_label = 'actions' AND ct.model = 'action' AND x.object_id = a.id
      AND x.status = 'open'
  ), '[]'::json) AS assumptions,
  (
    SELECT json_build_object(
      'id', u.id, 'period_id', u.period_id, 'period', period.code, 'agency_id', u.agency_id,
      'agency', agency.slug, 'status', u.status, 'percent_complete', u.percent_complete,
      'commentary', u.commentary, 'state', u.state, 'is_late', u.is_late,
      'is_demo', u.is_demo, 'submitted_at', u.submitted_at, 'updated_at', u.updated_at)
    FROM reporting_statusupdate u
    JOIN reporting_reportingperiod period ON period.id = u.period_id
    JOIN agencies_agency agency ON agency.id = u.agency_id
    WHERE u.action_id = a.id AND u.state IN ('submitted', 'accepted') AND EXISTS (
      SELECT 1 FROM actions_actionagency lead
      WHERE lead.action_id = u.action_id AND lead.agency_id = u.agency_id AND lead.role = 'lead')
    ORDER BY period.year DESC, period.quarter DESC, u.updated_at DESC, u.id DESC
    LIMIT 1
  ) AS latest_status,
  EXISTS (
    SELECT 1 FROM reporting_reportingperiod open_period
    WHERE open_period.state = 'open' AND open_period.due_on < %(today)s
      AND open_period.starts_on <= p.end_date AND open_period.ends_on >= p.start_date
      AND EXISTS (
        SELECT 1 FROM actions_actionagency lead
        WHERE lead.action_id = a.id AND lead.role = 'lead' AND NOT EXISTS (
          SELECT 1 FROM reporting_statusupdate r
          WHERE r.action_id = a.id AND r.agency_id = lead.agency_id
            AND r.period_id = open_period.id AND r.state IN ('submitted', 'accepted')))
  ) AS overdue
FROM actions_action a
JOIN actions_actionplan p ON p.id = a.plan_id
LEFT JOIN actions_action parent ON parent.id = a.parent_id
LEFT JOIN actions_actiongroup g ON g.id = a.group_id
ORDER BY p.start_date DESC, p.title, a.sort_key, a.id
LIMIT %(limit)s
"""


def api_floor(limit: int) -> bytes:
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute(API_FLOOR_SQL, {"today": timezone.localdate(), "limit": limit})
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return orjson.dumps({"count": len(rows), "results": rows})


def check_floor_matches(api: bytes, floor: bytes) -> int:
    """The floor must list what the API lists: same actions in the same order, same fields,
    same latest status and overdue flag. Returns how many actions."""
    api_rows, floor_rows = orjson.loads(api)["results"], orjson.loads(floor)["results"]

    def essence(rows):
        return [
            (
                row["id"],
                sorted(row),
                (row["latest_status"] or {}).get("id"),
                row["overdue"],
                [agency["agency"] for agency in row["agencies"]],
                [measure["id"] for measure in row["success_measures"]],
            )
            for row in rows
        ]

    if essence(api_rows) != essence(floor_rows):
        raise RuntimeError("the raw floor does not list the same rows as the API")
    return len(api_rows)


# The PDF floor: WeasyPrint rendering a bare table of the report's rows, same page and margins.
def report_page_css() -> str:
    """The ``@page`` size and margins of the reports' stylesheet."""
    css = (ROOT / "static" / "css" / "report.css").read_text()
    match = re.search(r"@page\s*{\s*size:\s*([^;]+);\s*margin:\s*([^;]+);", css)
    if match is None:
        raise RuntimeError("static/css/report.css has no @page size and margin to copy")
    return f"@page {{ size: {match[1]}; margin: {match[2]}; }}"


def floor_html(snapshot: dict) -> str:
    from django.utils.html import escape

    rows = []
    for action in snapshot["actions"]:
        for update in action["updates"] or [{}]:
            cells = [
                action["code"],
                action["title"],
                action["description"],
                ", ".join(action["leads"]),
                action["status_label"],
                update.get("percent") or "",
                update.get("commentary", ""),
                update.get("risks", ""),
                update.get("next_steps", ""),
            ]
            rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    return (
        f"<!doctype html><html><head><style>{report_page_css()} "
        "body { font: 9.5pt/1.4 'DejaVu Sans', sans-serif; } "
        "table { border-collapse: collapse; } td { border: 0.5pt solid #999; padding: 1mm; }"
        f"</style></head><body><table>{''.join(rows)}</table></body></html>"
    )


def render_floor(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def measure_report(plan, period, audience: str, user) -> dict:
    """Build the report ``PDF_RUNS`` times as a Celery worker does (snapshot, HTML, render in
    process, store: the whole build the secretariat waits for), then render the floor of the
    same rows as many times."""
    from reporting.models import Report
    from reporting.reports.building import build_report

    built = []

    def build():
        report = Report.objects.create(
            plan=plan, period=period, audience=audience, requested_by=user
        )
        report = build_report(report.pk, in_worker=True)
        if report.state != Report.State.READY:
            raise RuntimeError(f"the {audience} report failed to build: {report.error}")
        built.append(report)

    samples = timed(build, PDF_RUNS, warm_up=False)
    report = built[-1]
    with report.file.open("rb") as pdf:
        pages = pdf_pages(pdf.read())
    html = floor_html(report.snapshot)
    floor_pages = pdf_pages(render_floor(html))
    floor_samples = timed(lambda: render_floor(html), PDF_RUNS, warm_up=False)
    return {
        "pages": pages,
        "samples": samples,
        "floor_pages": floor_pages,
        "floor_samples": floor_samples,
        "actions": len(report.snapshot["actions"]),
    }


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
    """Up-to-date planner statistics, as autovacuum keeps them on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure_size(size: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from benchmarks import synthetic

    label = str(size)
    progress(label, f"building the synthetic programme ({size} actions)")
    started = time.perf_counter()
    data = synthetic.build(size)
    analyze()
    progress(
        label,
        f"built {data['actions']} actions, {data['updates']} updates "
        f"in {time.perf_counter() - started:.1f}s",
    )
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

    for page, path in paths.items():
        client = clients[pages[page][0]]
        recorder.record(f"time: {page}", lambda c=client, p=path: timed(lambda: get_ok(c, p)))

    def api_list():
        url = f"{pages['API action list'][1]()}?page_size={API_LIST_SIZE}"
        recorder.figures["API rows"] = check_floor_matches(
            get_ok(secretariat, url).content, api_floor(API_LIST_SIZE)
        )
        return timed(lambda: get_ok(secretariat, url))

    recorder.record("time: API list of 1,000", api_list)
    if "time: API list of 1,000" in recorder.figures:
        recorder.record("time: raw floor", lambda: timed(lambda: api_floor(API_LIST_SIZE)))

    if size >= 200:
        plan, period = data["plans"][0], data["periods"][-1]
        recorder.record(
            "pdf: steering pack",
            lambda: measure_report(plan, period, "steering", data["secretariat"]),
        )
    recorder.record("reminder run", measure_reminders)

    # For the load test: a secretariat session, and where the loaded pages are.
    cookie = secretariat.cookies[settings.SESSION_COOKIE_NAME]
    load = {"cookie": f"{cookie.key}={cookie.value}", "paths": paths, "missing": missing}
    return recorder.result(load=load)


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
    plan = ActionPlan.objects.get(slug=DEMO_PLAN)
    period = ReportingPeriod.objects.current()
    secretariat = get_user_model().objects.get(username="secretariat")
    recorder.record(
        "pdf: Cabinet report", lambda: measure_report(plan, period, "cabinet", secretariat)
    )
    return recorder.result()


def main(argv: list[str]) -> None:
    target, url, out = argv
    progress(target, f"creating {urlsplit(url).path.lstrip('/')} and migrating")
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    started = datetime.datetime.now()
    result = measure_seed() if target == "seed" else measure_size(int(target))
    progress(target, f"measured in {(datetime.datetime.now() - started).seconds}s")
    Path(out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
