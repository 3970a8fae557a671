"""The public progress pages: anonymous, read-only, built only from released reports. A crawler
follows every link from them as an anonymous visitor and finds nothing unreleased."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reporting.models import ReportingPeriod, Withholding
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory
from tests.reporting.releases_setup import approved_release, public_report, released_release
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db

WITHHELD_DESCRIPTION = "Covert border operation with named informants"
WITHHELD_COMMENTARY = "Surveillance of the Tauranga warehouse continues"
UNRELEASED_COMMENTARY = "Figures for the next quarter, not yet released"


@pytest.fixture
def world(agency, other_agency, secretariat_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    setup = small_plan(agency, other_agency)
    action = setup.actions["1"]
    action.description = WITHHELD_DESCRIPTION
    action.save()
    update = setup.updates[("1", "customs", "2026-Q3")]
    update.commentary = WITHHELD_COMMENTARY
    update.save()
    Withholding.objects.create(action=action, field="description", ground="6(c)")
    Withholding.objects.create(update=update, field="commentary", ground="9(2)(a)")
    released = released_release(setup, secretariat_user)
    # Not released: a public version only approved, one not approved, and a later quarter's.
    approved_release(setup, secretariat_user, audience="sib")
    later = ReportingPeriodFactory(year=2026, quarter=4, state=ReportingPeriod.State.OPEN)
    StatusUpdateFactory(
        action=setup.actions["2"],
        agency=other_agency,
        period=later,
        commentary=UNRELEASED_COMMENTARY,
    )
    public_report(setup, period=later)
    return setup, released


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [v for k, v in attrs if k in ("href", "src", "action") and v]


def crawl(client: Client, start: str) -> dict[str, object]:
    seen, queue = {}, [start]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        if path.startswith("/static/"):  # the stylesheets and icon: files, not content
            seen[path] = None
            continue
        response = client.get(path)
        seen[path] = response
        if response.get("Content-Type", "").startswith("text/html"):
            parser = Links()
            parser.feed(response.content.decode())
            for link in parser.found:
                parts = urlsplit(link)
                assert not parts.netloc, f"{path} links off the site: {link}"
                if parts.path:  # not "#main", a place on the same page
                    queue.append(parts.path)
    return seen


def text_of(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


def test_every_link_from_the_public_page_reaches_only_released_content(world):
    _setup, released = world
    pages = crawl(Client(), "/public/")

    assert {p for p in pages if not p.startswith("/static/")} == {
        "/public/",
        "/public/tsoc-test-plan/",
        f"/public/releases/{released.pk}/pack.pdf",
        "/public/language/en-nz/",  # the language switch: back to a public page
        "/public/language/mi/",
    }
    for path, response in pages.items():
        if response is None:
            continue
        if path.startswith("/public/language/"):
            assert response.status_code == 302 and response["Location"].startswith("/public/")
            continue
        assert response.status_code == 200, path
        if path.endswith(".pdf"):
            continue
        body = text_of(response)
        for secret in (WITHHELD_DESCRIPTION, WITHHELD_COMMENTARY, UNRELEASED_COMMENTARY):
            assert secret not in body, f"{path} shows {secret!r}"
        assert not re.search(r'href="/(?!public/|static/)', body), path


def test_the_plan_page_shows_the_released_progress_with_the_grounds_key(world):
    body = Client().get("/public/tsoc-test-plan/").content.decode()
    assert "TSOC 1: Harden the border against cash smuggling" in body
    assert "[withheld under s 9(2)(a)]" in body
    assert "Proactively released by the TSOC Secretariat on 20 November 2026" in body
    assert "privacy of natural persons" in body  # the key of s 9(2)(a)
    assert "Q1 2026/27" in body and "Q2 2026/27" not in body  # only the released quarter


def test_parameters_change_nothing_and_unreleased_ids_are_not_found(world):
    setup, _released = world
    client = Client()
    plain = client.get("/public/tsoc-test-plan/").content
    assert client.get("/public/tsoc-test-plan/?period=2026-Q4&variant=full").content == plain
    unreleased = setup.plan.reports.exclude(release__state="released")
    for report in unreleased:
        pk = getattr(getattr(report, "release", None), "pk", None) or report.pk
        assert client.get(f"/public/releases/{pk}/pack.pdf").status_code == 404
    assert client.post("/public/").status_code == 405


def test_the_page_is_cached_until_the_next_release(world, secretariat_user):
    setup, _ = world
    client = Client()
    first = client.get("/public/tsoc-test-plan/")
    assert first["Cache-Control"].startswith("public, max-age=")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/public/tsoc-test-plan/").content == first.content
    # Only "which releases are there?" (the request's transaction aside): nothing is rebuilt.
    assert [q for q in queries if "SAVEPOINT" not in q["sql"]] == [queries[1]]
    released_release(setup, secretariat_user, audience="cabinet")
    assert client.get("/public/tsoc-test-plan/").content != first.content


def test_with_nothing_released_the_page_says_so(agency, other_agency):
    cache.clear()
    small_plan(agency, other_agency)
    body = Client().get("/public/").content.decode()
    assert "No progress report has been proactively released yet" in body
    assert Client().get("/public/tsoc-test-plan/").status_code == 404


def test_the_public_pages_answer_in_the_readers_language_each_cached_apart(world):
    client = Client()

    maori = client.get("/public/tsoc-test-plan/", HTTP_ACCEPT_LANGUAGE="mi")
    english = client.get("/public/tsoc-test-plan/", HTTP_ACCEPT_LANGUAGE="en-nz")

    assert '<html lang="mi">' in maori.content.decode()
    assert '<html lang="en-nz">' in english.content.decode()
    assert "Whiringa-ā-rangi" in maori.content.decode()  # 20 November, in the release line
    assert "Whiringa-ā-rangi" not in english.content.decode()
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in maori["Vary"].split(",")}


def test_the_public_language_switch_keeps_the_choice_and_returns_to_the_page(world):
    client = Client()

    switched = client.get("/public/language/mi/?next=/public/tsoc-test-plan/")

    assert switched.status_code == 302 and switched["Location"] == "/public/tsoc-test-plan/"
    assert client.cookies["django_language"].value == "mi"
    assert '<html lang="mi">' in client.get("/public/tsoc-test-plan/").content.decode()
    page = client.get("/public/").content.decode()
    assert 'href="/public/language/en-nz/?next=/public/"' in page


def test_the_public_language_switch_goes_back_only_to_a_public_page(world):
    client = Client()

    for elsewhere in ("/dashboard/", "https://elsewhere.example/public/", "//elsewhere/", ""):
        answer = client.get("/public/language/mi/", {"next": elsewhere})
        assert answer["Location"] == "/public/", elsewhere
    assert client.get("/public/language/fr/?next=/public/").status_code == 404
