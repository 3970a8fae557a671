"""PDF progress reports: built in the background from a frozen snapshot, downloaded by the
secretariat and viewers, marked on every page, and the same from the shell."""

import io
import re

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from actions.models import ActionPlan
from reporting.demo import DEMO_PLAN, create_demo_accounts, create_demo_returns
from reporting.models import ProtectiveMarking, Report, StatusUpdate, Withholding
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.reports import building, documents
from reporting.reports import services as reports_services
from reporting.reports.rendering import RenderError
from reporting.reports.views import NOT_QUEUED
from reporting.statuses import STATUSES
from tests.reporting.reports_setup import small_plan
from tsoc_tracker.celery import app as celery_app

pytestmark = pytest.mark.django_db
ACTION_NUMBERS = ["TSOC 1", "TSOC 2", "TSOC 3", "TSOC 3a", "TSOC 3b"]
# The small plan's lines at risk (2), off track (3a) and with no return (3b): the Cabinet report's
# exceptions.
EXCEPTION_NUMBERS = ["TSOC 2", "TSOC 3a", "TSOC 3b"]
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def cell_shading(cell) -> str:
    """The fill of a Word table cell's shading, or "" when it has none."""
    shades = cell._tc.xpath("./w:tcPr/w:shd")
    return shades[0].get(qn("w:fill")) if shades else ""


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def ask_for(django_capture_on_commit_callbacks):
    """``ask_for(client, setup, audience)`` posts the form; the build runs when it commits."""

    def post(client, setup, audience, variant="full", marking="IN CONFIDENCE"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("reporting:report_create"),
                {
                    "plan": setup.plan.pk,
                    "period": setup.period.pk,
                    "audience": audience,
                    "variant": variant,
                    "chosen_marking": marking,
                },
            )

    return post


def ready_report(setup, audience="cabinet", **fields) -> Report:
    """A finished report with a real snapshot and a stand-in PDF, for tests about access."""
    report = Report.objects.create(
        plan=setup.plan, period=setup.period, audience=audience, **fields
    )
    report.snapshot = build_dashboard(setup.plan, setup.period, scope=Scope.for_report())
    report.marking = building.report_marking(report, report.snapshot)
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7 stand-in"), save=False)
    report.state = Report.State.READY
    report.save()
    return report


def download(client, report) -> bytes:
    response = client.get(reverse("reporting:report_download", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.fixture
def tsoc_plan_with_demo_quarter():
    """The seed TSOC plan with the demo's two quarters of returns, and three known updates."""
    call_command("load_plans", stdout=io.StringIO())
    create_demo_accounts()
    period, _ = create_demo_returns()
    plan = ActionPlan.objects.get(slug=DEMO_PLAN)
    updates = StatusUpdate.objects.filter(period=period, state="submitted").order_by("pk")
    risky, on_track, with_risks = updates[0], updates[1], updates[2]
    risky.status, risky.commentary = "at_risk", "Recovery plan agreed."
    on_track.status, on_track.commentary = "on_track", "Scanners installed."
    with_risks.risks = "Funding is not confirmed."
    for update in (risky, on_track, with_risks):
        update.save()
    numbers = [f"TSOC {n}" for n in plan.actions.values_list("number", flat=True)]
    return plan, period, numbers


# What each audience's report has that the others don't.
SECTIONS = {
    "cabinet": ["Exceptions: at risk, off track or overdue", "Recovery plan agreed."],
    "sib": [
        "Priority areas",
        "Unify",
        "Prevent",
        "Detect",
        "Dismantle",
        "Funding is not confirmed.",
    ],
    "steering": [
        "What changed since last quarter",
        "Outstanding returns",
        "Scanners installed.",  # every action's latest update, on track or not
        "Funding is not confirmed.",
    ],
}


@pytest.mark.parametrize("audience", ["cabinet", "sib", "steering"])
def test_every_report_on_the_tsoc_plan_lists_every_action_and_is_marked_on_every_page(
    audience, tsoc_plan_with_demo_quarter
):
    plan, period, numbers = tsoc_plan_with_demo_quarter
    report = Report.objects.create(
        plan=plan, period=period, audience=audience, chosen_marking="SENSITIVE"
    )

    pages = pages_of(building.build_report(report.pk).file.read())

    text = "\n".join(pages)
    assert len(numbers) == 30  # 28 actions and sub-actions, and action 1's 2 strands
    if audience == "cabinet":  # every line counted, the exceptions listed, the rest elsewhere
        assert "is in the status table that comes with this report" in " ".join(text.split())
    else:
        for number in numbers:
            assert re.search(rf"{number}\b", text), number
    for n, page in enumerate(pages, start=1):
        assert page.count("SENSITIVE") >= 2, f"page {n}: marking in header and footer"
        assert f"Page {n} of {len(pages)}" in page
        assert "DEMONSTRATION DATA" in page
    assert "Contents" in pages[1]
    assert "Transnational, Serious and Organised Crime (TSOC) Action Plan" in pages[0]
    assert period.label in pages[0] and "As at" in pages[0]
    for section in SECTIONS[audience]:
        assert section in text
    if audience == "cabinet":
        assert "Scanners installed." not in text  # on track: not an exception
    else:  # the SIB and steering packs open with one page framing the period by the strategy
        opening = " ".join(pages[2].split())
        assert "The period against the strategy" in opening
        assert "make New Zealand the hardest place in the world" in opening
        for area in ("Unify", "Prevent", "Detect", "Dismantle", "International", "Community"):
            assert area in opening
        assert "Executive summary" not in opening


def test_the_secretariat_builds_a_report_in_the_browser_and_downloads_it(
    setup, secretariat_user, client_for, ask_for
):
    client = client_for(secretariat_user)

    response = ask_for(client, setup, "cabinet")

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.state == Report.State.READY  # tasks run in-process here
    assert report.requested_by == secretariat_user
    pages = pages_of(download(client, report))
    text = "\n".join(pages)
    for number in EXCEPTION_NUMBERS:
        assert f"{number}:" in text
    assert "TSOC 1:" not in text  # on track: counted, not listed
    assert all(page.count("IN CONFIDENCE") >= 2 for page in pages)
    assert "The bill is delayed." in text  # an exception's commentary


def test_the_report_downloads_unchanged_after_the_data_moves_on(
    setup, secretariat_user, client_for, ask_for
):
    client = client_for(secretariat_user)
    ask_for(client, setup, "steering")
    report = Report.objects.get()
    first = download(client, report)

    StatusUpdate.objects.filter(commentary="Scanners installed.").update(
        commentary="Rewritten later."
    )

    assert download(client, report) == first
    report.refresh_from_db()
    assert "Scanners installed." in documents.report_html(report)  # rendered from the snapshot
    assert "Rewritten later." not in documents.report_html(report)


def test_the_marking_never_drops_below_what_the_report_contains(setup):
    update = setup.updates[("3a", "customs", "2026-Q3")]
    Withholding.objects.create(
        update=update, field="commentary", ground="6(c)", marking=ProtectiveMarking.SENSITIVE
    )
    report = Report.objects.create(
        plan=setup.plan, period=setup.period, audience="cabinet", chosen_marking="UNCLASSIFIED"
    )

    built = building.build_report(report.pk)

    assert built.marking == "SENSITIVE"
    pages = pages_of(built.file.read())
    assert all("SENSITIVE" in page for page in pages)
    assert "The bill is delayed." in "\n".join(pages)


def test_the_public_version_omits_withheld_text_and_carries_no_marking(setup):
    update = setup.updates[("3a", "customs", "2026-Q3")]
    Withholding.objects.create(update=update, field="commentary", ground="9(2)(b)(ii)")
    report = Report.objects.create(
        plan=setup.plan, period=setup.period, audience="steering", variant="public"
    )

    built = building.build_report(report.pk)

    text = "\n".join(pages_of(built.file.read()))
    assert built.marking == ""
    assert "[withheld under s 9(2)(b)(ii)]" in text
    assert "The bill is delayed." not in text
    assert "The bill is delayed." not in str(built.snapshot)
    for marking in ProtectiveMarking.values:
        assert marking not in text


def test_a_viewer_downloads_but_cannot_build(setup, viewer, client_for, ask_for):
    report = ready_report(setup, "sib")
    client = client_for(viewer)

    assert ask_for(client, setup, "cabinet").status_code == 403
    assert "Build a report" not in client.get(reverse("reporting:report_list")).content.decode()
    assert download(client, report).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["lead", "contributor", "outsider"])
def test_agency_people_and_others_get_no_reports(who, setup, client_for, request, ask_for):
    report = Report.objects.create(plan=setup.plan, period=setup.period, audience="sib")
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("reporting:report_list")).status_code == 403
    assert client.get(report.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("reporting:report_download", kwargs={"pk": report.pk})).status_code
        == 404
    )
    assert ask_for(client, setup, "cabinet").status_code == 403


def test_a_report_being_built_refreshes_until_it_is_ready(setup, secretariat_user, client_for):
    report = Report.objects.create(plan=setup.plan, period=setup.period, audience="cabinet")

    response = client_for(secretariat_user).get(report.get_absolute_url())

    assert response["Refresh"] == "3"
    assert "being built" in response.content.decode()


def test_a_failed_report_shows_why_and_can_be_retried(
    setup, secretariat_user, client_for, monkeypatch, ask_for, django_capture_on_commit_callbacks
):
    def fail(html):
        raise RenderError("Rendering took longer than 300 seconds.")

    monkeypatch.setattr(building, "render_pdf_with_time_limit", fail)
    client = client_for(secretariat_user)
    ask_for(client, setup, "cabinet")
    report = Report.objects.get()

    page = client.get(report.get_absolute_url()).content.decode()
    assert report.state == Report.State.FAILED
    assert "Rendering took longer than 300 seconds." in page and "Try again" in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:report_retry", kwargs={"pk": report.pk}))
    report.refresh_from_db()
    assert report.state == Report.State.READY and report.error == ""


@pytest.fixture
def broker_down():
    """Tasks go to a real broker (not run in-process), at an address where nothing listens;
    ``broker_down.restore()`` brings the usual set-up back."""
    patch = pytest.MonkeyPatch()
    patch.setitem(celery_app.conf, "task_always_eager", False)
    patch.setitem(celery_app.conf, "broker_url", UNREACHABLE_BROKER)
    # No pooled connection to the usual broker: Celery keeps its producers' pool (bound to the
    # broker first used) even when it has no connection pool for close() to drop.
    celery_app.close()
    patch.setattr(celery_app.amqp, "_producer_pool", None)

    def restore():
        patch.undo()
        celery_app.close()

    patch.restore = restore
    yield patch
    restore()


# Committed as in production, so the view hears at once whether the build could be queued.
@pytest.mark.django_db(transaction=True)
def test_a_report_asked_for_while_the_broker_is_down_fails_saying_why_and_can_be_retried(
    setup, secretariat_user, client_for, broker_down, caplog
):
    client = client_for(secretariat_user)
    form = {
        "plan": setup.plan.pk,
        "period": setup.period.pk,
        "audience": "cabinet",
        "variant": "full",
        "chosen_marking": "IN CONFIDENCE",
    }

    page = client.post(reverse("reporting:report_create"), form, follow=True)

    report = Report.objects.get()
    assert (report.state, report.error) == (Report.State.FAILED, reports_services.QUEUE_UNREACHABLE)
    assert page.redirect_chain == [(report.get_absolute_url(), 302)]
    assert "Refresh" not in page
    text = page.content.decode()
    assert NOT_QUEUED in text and reports_services.QUEUE_UNREACHABLE in text and "Try again" in text
    assert f"Report {report.pk} could not be queued for building: " in caplog.text
    assert "Connection refused" in caplog.text

    retry = reverse("reporting:report_retry", kwargs={"pk": report.pk})
    assert NOT_QUEUED in client.post(retry, follow=True).content.decode()  # still down
    report.refresh_from_db()
    assert report.state == Report.State.FAILED

    broker_down.restore()
    page = client.post(retry, follow=True)
    report.refresh_from_db()
    assert (report.state, report.error) == (Report.State.READY, "")
    assert "The report is being built again." in page.content.decode()
    assert "Download the PDF" in page.content.decode()


def test_the_status_table_of_a_cabinet_report_downloads_as_word(setup, viewer, client_for):
    report = ready_report(setup, "cabinet", chosen_marking="SENSITIVE")

    response = client_for(viewer).get(
        reverse("reporting:report_status_table", kwargs={"pk": report.pk})
    )

    document = Document(io.BytesIO(response.content))
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][:4] == ["Action or line", "Title", "Responsible", "Status"]
    assert [row[0] for row in rows[1:]] == ACTION_NUMBERS
    assert rows[4][3] == "Off track (past end)"  # 3a
    shading = [cell_shading(row.cells[3]) for row in table.rows[1:]]
    expected = [
        STATUSES[a["status"]].word_shading if a["is_reportable"] or a["has_parts"] else ""
        for a in report.snapshot["actions"]
    ]
    assert shading == expected and "F6D5D6" in shading  # off track's shading on 3a
    assert document.sections[0].header.paragraphs[0].text == "SENSITIVE"
    assert document.sections[0].footer.paragraphs[0].text == "SENSITIVE"


def test_build_report_writes_the_same_pdf_from_the_shell(setup, tmp_path):
    output = tmp_path / "report.pdf"

    call_command(
        "build_report",
        "--plan",
        setup.plan.slug,
        "--period",
        "2026-Q3",
        "--audience",
        "cabinet",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )

    report = Report.objects.get()
    assert report.requested_by is None and report.state == Report.State.READY
    assert output.read_bytes() == report.file.read()
    pages = pages_of(output.read_bytes())
    assert all("IN CONFIDENCE" in page for page in pages)
    assert all(f"{number}:" in "\n".join(pages) for number in EXCEPTION_NUMBERS)


def test_build_report_names_a_plan_it_cannot_find(setup, tmp_path):
    with pytest.raises(CommandError, match="tsoc-test-plan"):
        call_command(
            "build_report",
            "--plan=nope",
            "--period=2026-Q3",
            "--audience=cabinet",
            f"--output={tmp_path / 'x.pdf'}",
        )


def test_a_worker_render_cut_short_by_the_soft_time_limit_marks_the_report_failed(
    setup, monkeypatch, settings
):
    settings.REPORT_RENDER_TIME_LIMIT = 300

    def too_slow(html):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(building, "render_pdf", too_slow)
    report = Report.objects.create(plan=setup.plan, period=setup.period, audience="cabinet")

    built = building.build_report(report.pk, in_worker=True)

    assert built.state == Report.State.FAILED
    assert built.error == "Rendering took longer than 300 seconds."
    assert built.snapshot  # kept, so a retry prints the same data
