"""Safe rendering: report PDFs fetch nothing but the project's static files, text people typed
can't pull anything in, and a render that runs too long is stopped."""

import http.server
import io
import multiprocessing
import threading

import pytest
from django.conf import settings
from pypdf import PdfReader

from reporting.models import Report, StatusUpdate
from reporting.reports import building, documents
from reporting.reports.rendering import (
    STATIC_ORIGIN,
    RefusedURL,
    RenderTimeLimitExceeded,
    StaticFilesOnly,
    render_pdf,
    render_pdf_with_time_limit,
    static_roots,
)
from tests.reporting.reports_setup import small_plan


@pytest.fixture
def listener():
    """A local web server that counts every request made to it."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def images_in(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        objects = page.get("/Resources", {}).get("/XObject", {}) or {}
        count += sum(
            1 for item in objects.values() if item.get_object().get("/Subtype") == "/Image"
        )
    return count


@pytest.mark.django_db
def test_a_commentary_with_html_in_it_is_printed_as_text_and_fetches_nothing(
    agency, other_agency, listener, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    base, requests = listener
    setup = small_plan(agency, other_agency)
    hostile = (
        '<img src="file:///etc/passwd"> '
        f'<img src="{base}/tracker.png"> '
        f'<link rel="stylesheet" href="{base}/steal.css">'
    )
    StatusUpdate.objects.filter(commentary="The bill is delayed.").update(commentary=hostile)
    report = Report.objects.create(plan=setup.plan, period=setup.period, audience="cabinet")

    built = building.build_report(report.pk)

    assert built.state == Report.State.READY
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in documents.report_html(built)
    with built.file.open("rb") as stored:
        pdf = stored.read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")
    assert "root:" not in text
    assert requests == []
    assert images_in(pdf) == 0


def test_the_fetcher_refuses_files_remote_urls_and_data_before_any_io(listener):
    base, requests = listener
    fetcher = StaticFilesOnly(static_roots(), settings.STATIC_URL)

    for url in [
        "file:///etc/passwd",
        f"{base}/tracker.png",
        "https://example.org/logo.png",
        "data:text/plain,hello",
        f"{STATIC_ORIGIN}/static/../../../../etc/passwd",
        f"{STATIC_ORIGIN}/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{STATIC_ORIGIN}/static//etc/passwd",
        f"{STATIC_ORIGIN}/media/reports/secret.pdf",
        "https://static.tsoc-tracker.invalid.attacker.example/static/css/report.css",
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert requests == []
    assert len(fetcher.refused) == 9


def test_the_fetcher_serves_the_projects_static_files():
    fetcher = StaticFilesOnly(static_roots(), settings.STATIC_URL)

    response = fetcher.fetch(f"{STATIC_ORIGIN}/static/css/report.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_hostile_html_renders_without_fetching_anything(listener, tmp_path):
    base, requests = listener
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for reports")
    html = (
        f'<link rel="stylesheet" href="{base}/x.css">'
        f"<style>@import url({base}/y.css); body {{ background: url({base}/z.png) }}</style>"
        f'<p>Report</p><img src="file://{secret}"><img src="{base}/a.png">'
        f'<object data="{base}/b.svg"></object><iframe src="file:///etc/passwd"></iframe>'
    )

    rendered = render_pdf(html)

    assert rendered.page_count == 1
    assert requests == []
    assert images_in(rendered.content) == 0


def test_a_render_that_runs_too_long_is_stopped():
    endless = "<table>" + "<tr><td>cell</td><td>cell</td></tr>" * 200_000 + "</table>"

    with pytest.raises(RenderTimeLimitExceeded):
        render_pdf_with_time_limit(endless, seconds=0.5)

    assert not [p for p in multiprocessing.active_children() if p.name == "weasyprint-render"]


def test_a_render_within_its_time_limit_returns_the_pdf():
    rendered = render_pdf_with_time_limit("<h1>Quarterly report</h1>", seconds=60)

    assert rendered.content.startswith(b"%PDF") and rendered.page_count == 1
