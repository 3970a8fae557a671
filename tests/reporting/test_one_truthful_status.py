"""One status per action and line, the same on every surface.

The scene has what makes a status hard to tell truly:

- TSOC 1 has two strands. Customs and Police coordinate the first jointly and report different
  statuses (on track, at risk); nobody has reported on the second.
- TSOC 2 is one line: Health's accepted return says complete; MBIE, supporting, says off track.
- TSOC 3 has two sub-actions: 3a is complete, 3b has only a draft.
- TSOC 4 is one line whose only return was returned for changes.
- TSOC 5 has two strands: one complete, the other not reported.

Every surface (the API as JSON and CSV, the dashboard, My actions, the period page, the action
page, each PDF audience and its public variant, the Word table and the XLSX export) must show
the statuses in ``EXPECTED``, and the figures must add up.
"""

import csv
import datetime
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from actions.models import Action, ActionAgency
from agencies.models import Membership
from reporting.models import Report, ReportingPeriod, StatusUpdate
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.reports import building
from reporting.reports.exports import status_table_document, updates_workbook
from reporting.statuses import EXCEPTION_STATUSES, NO_RETURN, STATUS_LABELS
from tests.actions.factories import ActionAgencyFactory, ActionFactory, ActionPlanFactory
from tests.agencies.factories import AgencyFactory
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

COORDINATING, SUPPORTING = ActionAgency.Role.COORDINATING, ActionAgency.Role.SUPPORTING

EXPECTED = {
    "TSOC 1": "at_risk",  # the worst of its lines; never complete while strand 2 is silent
    "TSOC 1 strand 1": "at_risk",  # the worst of the joint coordinators' returns
    "TSOC 1 strand 2": "none",
    "TSOC 2": "complete",  # supporting input worse than the return never changes it
    "TSOC 3": "partly_reported",  # 3a complete, 3b only a draft
    "TSOC 3a": "complete",
    "TSOC 3b": "none",  # a draft counts for nothing
    "TSOC 4": "none",  # a returned update counts for nothing
    "TSOC 5": "partly_reported",
    "TSOC 5 strand 1": "complete",
    "TSOC 5 strand 2": "none",
}
LINES = [code for code in EXPECTED if code not in ("TSOC 1", "TSOC 3", "TSOC 5")]
CABINET_LISTS = (*EXCEPTION_STATUSES, NO_RETURN)  # the lines the Cabinet report lists


@pytest.fixture
def scene(db):
    plan = ActionPlanFactory(
        code="TSOC",
        slug="scene-plan",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
    )
    ReportingPeriodFactory(year=2026, quarter=2, state=ReportingPeriod.State.CLOSED)
    period = ReportingPeriodFactory(year=2026, quarter=3, state=ReportingPeriod.State.OPEN)
    agency = {slug: AgencyFactory(slug=slug, short_name=slug.title()) for slug in AGENCIES}
    actions = {}

    def action(number, title, parent=None, kind="action", coordinators=()):
        made = ActionFactory(
            plan=plan, number=number, title=title, parent=actions.get(parent), kind=kind
        )
        for order, (slug, role) in enumerate(coordinators, start=1):
            ActionAgencyFactory(action=made, agency=agency[slug], role=role, order=order)
        actions[number] = made

    action("1", "Stand up the agency")
    action(
        "1 strand 1",
        "Developing the agency",
        "1",
        "strand",
        [("customs", COORDINATING), ("police", COORDINATING)],
    )
    action("1 strand 2", "Data sharing", "1", "strand", [("tsoc", COORDINATING)])
    action("2", "Media campaign", coordinators=[("health", COORDINATING), ("mbie", SUPPORTING)])
    action("3", "Laundering cash")
    action("3a", "Cash wages", "3", coordinators=[("justice", COORDINATING)])
    action("3b", "Cash payments", "3", coordinators=[("justice", COORDINATING)])
    action("4", "Maritime campaign", coordinators=[("police", COORDINATING)])
    action("5", "Two-part work")
    action("5 strand 1", "First part", "5", "strand", [("health", COORDINATING)])
    action("5 strand 2", "Second part", "5", "strand", [("mbie", COORDINATING)])

    def returned(number, slug, status, state, percent=None):
        defaults = {"complete": 100, "not_started": 0}
        StatusUpdateFactory(
            action=actions[number],
            agency=agency[slug],
            period=period,
            status=status,
            state=state,
            percent_complete=defaults.get(status, percent or 50),
            commentary=f"{slug} on {number}.",
        )

    returned("1 strand 1", "customs", "on_track", "submitted")
    returned("1 strand 1", "police", "at_risk", "accepted")
    returned("2", "health", "complete", "accepted")
    returned("2", "mbie", "off_track", "submitted")
    returned("3a", "justice", "complete", "submitted")
    returned("3b", "justice", "off_track", "draft")
    returned("4", "police", "off_track", "returned")
    returned("5 strand 1", "health", "complete", "accepted")
    return plan, period, agency, actions


AGENCIES = ("customs", "police", "tsoc", "health", "mbie", "justice")


def test_the_snapshot_behind_the_dashboard_reports_and_exports(scene, secretariat_user):
    plan, period, _, _ = scene
    data = build_dashboard(plan, period, scope=Scope.of(secretariat_user))
    assert {row["code"]: row["status"] for row in data["actions"]} == EXPECTED
    assert data["action_count"] == 5 and data["reportable_count"] == len(LINES) == 8
    assert sum(c["count"] for c in data["counts"]) == data["reportable_count"]
    assert sum(c["count"] for c in data["action_counts"]) == data["action_count"]
    counted = {c["status"]: c["count"] for c in data["counts"] if c["count"]}
    assert counted == {"at_risk": 1, "complete": 3, "none": 4}
    one = next(row for row in data["actions"] if row["code"] == "TSOC 1")
    assert one["reported_summary"] == "1 of 2 lines reported"
    assert data["returns"]["expected"] == 9  # two joint coordinators on strand 1
    assert data["returns"]["received"] == 5


def test_the_api_as_json_and_csv(scene, viewer):
    plan, *_ = scene
    client = APIClient()
    client.force_login(viewer)
    listed = client.get("/api/v1/actions/", {"plan": plan.slug, "page_size": 100}).json()
    assert {a["reference"]: a["progress"]["status"] for a in listed["results"]} == EXPECTED
    table = csv.DictReader(
        io.StringIO(
            client.get("/api/v1/actions/", {"plan": plan.slug, "format": "csv"}).content.decode(
                "utf-8-sig"
            )
        )
    )
    assert {row["reference"]: row["progress.status"] for row in table} == EXPECTED
    one = client.get(f"/api/v1/actions/{scene[3]['1'].pk}/").json()
    assert (one["progress"]["status"], one["progress"]["lines_reported"]) == ("at_risk", 1)


def test_the_dashboard_page_counts_lines_and_actions_apart(scene, client_for, viewer):
    plan, *_ = scene
    page = client_for(viewer).get(f"/dashboard/{plan.slug}/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "5 actions in 8 reportable lines" in text
    assert "Worst" not in text


def test_my_actions_the_period_page_and_the_action_page(scene, client_for, secretariat_user):
    _plan, period, agency, actions = scene
    police_lead = Membership.objects.create(
        user=secretariat_user.__class__.objects.create(username="pat.police"),
        agency=agency["police"],
        role=Membership.Role.LEAD,
    ).user
    mine = client_for(police_lead).get("/my-actions/").context["returns"]
    assert {(f"TSOC {r.action.number}", r.line_status.status) for r in mine} == {
        ("TSOC 1 strand 1", "at_risk"),
        ("TSOC 4", "none"),
    }

    rows = client_for(secretariat_user).get(f"/periods/{period.code}/").context["returns"]
    assert {f"TSOC {r.action.number}": r.line_status.status for r in rows} == {
        code: status for code, status in EXPECTED.items() if code in LINES
    }

    for number in ("1", "3", "5"):
        page = client_for(secretariat_user).get(actions[number].get_absolute_url())
        assert page.context["status"].status == EXPECTED[f"TSOC {number}"], number
        assert {
            f"TSOC {part.number}": p.status for part, p, *_ in page.context["line_statuses"]
        } == {
            code: status
            for code, status in EXPECTED.items()
            if code.startswith(f"TSOC {number}") and code != f"TSOC {number}"
        }


def pdf_text(report: Report) -> str:
    report.refresh_from_db()
    pages = PdfReader(io.BytesIO(report.file.read())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.mark.parametrize("audience", ["cabinet", "sib", "steering"])
@pytest.mark.parametrize("variant", ["full", "public"])
def test_every_pdf_audience_and_its_public_variant(scene, audience, variant):
    plan, period, *_ = scene
    report = Report.objects.create(plan=plan, period=period, audience=audience, variant=variant)
    building.build_report(report.pk)
    text = pdf_text(report)
    assert "5 actions in 8 reportable lines" in text
    assert "Worst" not in text
    for code, status in EXPECTED.items():
        label = STATUS_LABELS[status]
        if audience == "cabinet" and not (code in LINES and status in CABINET_LISTS):
            continue  # counted, not listed: every status is in the Word table (below)
        # Each action's block (each exception's, for Cabinet): its code, then its status.
        shown = re.search(rf"{re.escape(code)}: .{{0,300}}?status: . ?{label}", text)
        assert shown, (audience, code, label, text)


def test_the_word_table_and_the_xlsx_export(scene, secretariat_user):
    plan, period, *_ = scene
    report = Report.objects.create(plan=plan, period=period, audience="cabinet")
    report.snapshot = build_dashboard(plan, period, scope=Scope.for_report())
    report.save()
    (table,) = Document(io.BytesIO(status_table_document(report))).tables
    words = {row.cells[0].text: row.cells[3].text for row in table.rows[1:]}
    assert {code: text.split(" (")[0] for code, text in words.items()} == {
        code: STATUS_LABELS[status] for code, status in EXPECTED.items()
    }

    book = load_workbook(io.BytesIO(updates_workbook(plan, period, user=secretariat_user)))
    sheet = book["Status"]
    shown = {row[0]: row[5] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert shown == {code: STATUS_LABELS[status] for code, status in EXPECTED.items()}
    updates = list(book["Updates"].iter_rows(min_row=5, values_only=True))
    counts = {(row[0], row[2]): row[4] for row in updates}
    assert counts[("TSOC 2", "Mbie")] == "No"  # supporting input
    assert counts[("TSOC 2", "Health")] == "Yes"
    assert counts[("TSOC 3b", "Justice")] == "No"  # a draft


def test_a_designated_lead_makes_the_line_its_own(scene, secretariat_user):
    plan, period, agency, actions = scene
    police = ActionAgency.objects.get(action=actions["1 strand 1"], agency=agency["police"])
    police.designate_as_lead(by=secretariat_user)
    data = build_dashboard(plan, period, scope=Scope.for_report())
    strand = next(row for row in data["actions"] if row["code"] == "TSOC 1 strand 1")
    assert (strand["status"], strand["responsible"]) == ("at_risk", ["Police"])
    customs = ActionAgency.objects.get(action=actions["1 strand 1"], agency=agency["customs"])
    StatusUpdate.objects.filter(action=actions["1 strand 1"], agency=agency["police"]).update(
        status="on_track", percent_complete=50
    )
    StatusUpdate.objects.filter(action=actions["1 strand 1"], agency=customs.agency).update(
        status="off_track"
    )
    data = build_dashboard(plan, period, scope=Scope.for_report())
    strand = next(row for row in data["actions"] if row["code"] == "TSOC 1 strand 1")
    assert strand["status"] == "on_track"  # the lead's; Customs' off track is shown beside it
    assert police.history.first().history_change_reason == "designated lead by the secretariat"
    assert Action.objects.get(pk=actions["1"].pk).kind == "action"


def test_changes_since_last_quarter_and_timeframes_count_what_they_name(scene, secretariat_user):
    plan, period, agency, actions = scene
    before = ReportingPeriod.objects.get(year=2026, quarter=2)
    for number, slug, status in [
        ("1 strand 1", "customs", "on_track"),  # on track then, at risk now: changed
        ("1 strand 1", "police", "on_track"),
        ("4", "police", "on_track"),  # reported then, its update now returned: not yet
        ("3a", "justice", "complete"),  # complete then and now: unchanged
    ]:
        StatusUpdateFactory(
            action=actions[number],
            agency=agency[slug],
            period=before,
            status=status,
            state="accepted",
            percent_complete=100 if status == "complete" else 50,
        )
    Action.objects.filter(pk=actions["4"].pk).update(ends_on=datetime.date(2026, 6, 30))
    # A sub-action's timeframe dates its action (TSOC 3); it is complete, so not past its end.
    Action.objects.filter(pk=actions["3a"].pk).update(ends_on=datetime.date(2026, 6, 30))

    data = build_dashboard(plan, period, scope=Scope.of(secretariat_user))

    def lines(flag):
        return {row["code"] for row in data["actions"] if row[flag]}

    assert lines("changed") == {"TSOC 1 strand 1"}
    assert lines("newly_reported") == {"TSOC 2", "TSOC 5 strand 1"}
    assert lines("not_yet_reported") == {"TSOC 4"}
    assert lines("still_no_return") == {"TSOC 1 strand 2", "TSOC 3b", "TSOC 5 strand 2"}
    assert (data["changed_count"], data["newly_reported_count"]) == (1, 2)
    assert (data["not_yet_reported_count"], data["still_no_return_count"]) == (1, 3)
    # Every line is in exactly one of these, or unchanged (3a): they add up.
    assert data["reportable_count"] == 1 + 2 + 1 + 3 + 1
    assert (data["dated_action_count"], data["undated_action_count"]) == (2, 3)
    assert lines("is_past_end") == {"TSOC 4"}  # past its end, with no return
