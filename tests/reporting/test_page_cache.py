"""The dashboard's data and the plan page's body come from the cache, and every kind of change
they show retires them: the next view shows the change (``core.page_cache``,
``reporting.page_cache_signals``)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionGroup, IndicatorReading, SuccessMeasure
from actions.views import PLAN_BODY_SLOT
from agencies.models import Agency
from reporting.models import Withholding
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.reporting.reports_setup import small_plan
from tsoc_tracker.settings import cache_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def dashboard(client, setup):
    response = client.get(reverse("reporting:dashboard", kwargs={"plan": setup.plan.slug}))
    assert response.status_code == 200
    return response


def plan_page(client, setup):
    response = client.get(reverse("actions:plan_detail", kwargs={"slug": setup.plan.slug}))
    assert response.status_code == 200
    return response.content.decode()


def counts(response):
    return {c["status"]: c["count"] for c in response.context["data"]["counts"]}


def test_a_second_view_reads_the_dashboard_from_the_cache(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    with CaptureQueriesContext(connection) as first:
        dashboard(client, setup)
    with CaptureQueriesContext(connection) as second:
        dashboard(client, setup)
    assert len(second) < len(first) - 5


def test_a_second_view_reads_the_plan_page_from_the_cache(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    with CaptureQueriesContext(connection) as first:
        plan_page(client, setup)
    with CaptureQueriesContext(connection) as second:
        plan_page(client, setup)
    assert len(second) < len(first) - 3


def test_the_plan_page_from_the_cache_is_the_page_built_afresh(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    built, kept = plan_page(client, setup), plan_page(client, setup)

    def main(page):  # outside it, each page has a form token of its own
        return page[page.index("<main") : page.index("</main>")]

    assert main(kept) == main(built)
    assert PLAN_BODY_SLOT not in kept
    assert main(kept).count(setup.actions["1"].title) == 1


def test_a_return_written_shows_on_the_next_dashboard(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    before = counts(dashboard(client, setup))
    update = setup.updates[("1", "customs", setup.period.code)]
    update.status = "off_track"
    update.save_if_unchanged(update.version, by=secretariat_user, reason="Saved")
    after = counts(dashboard(client, setup))
    assert after["off_track"] == before["off_track"] + 1


def test_a_return_deleted_shows_on_the_next_dashboard(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    before = dashboard(client, setup).context["data"]["returns"]["received"]
    setup.updates[("1", "customs", setup.period.code)].delete()
    assert dashboard(client, setup).context["data"]["returns"]["received"] == before - 1


def test_an_action_added_or_renamed_shows_on_both_pages(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    dashboard(client, setup), plan_page(client, setup)
    ActionFactory(plan=setup.plan, number="9", title="Follow the money offshore")
    one = setup.actions["1"]
    one.title = "Harden every port against cash smuggling"
    one.save()
    assert dashboard(client, setup).context["data"]["action_count"] == 4
    page = plan_page(client, setup)
    assert "Follow the money offshore" in page and "Harden every port" in page


def test_a_coordinating_agency_added_shows_on_both_pages(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    expected = dashboard(client, setup).context["data"]["returns"]["expected"]
    plan_page(client, setup)
    health = Agency.objects.create(name="Ministry of Health", short_name="Health", slug="health")
    ActionAgencyFactory(action=setup.actions["1"], agency=health, role="coordinating")
    assert dashboard(client, setup).context["data"]["returns"]["expected"] == expected + 1
    assert "Health" in plan_page(client, setup)


def test_an_area_tagged_shows_on_both_pages(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    before = dashboard(client, setup).context["data"]["matrix"]
    plan_page(client, setup)
    setup.actions["2"].focus_areas.add(setup.actions["1"].focus_areas.get())
    assert dashboard(client, setup).context["data"]["matrix"] != before
    setup.actions["2"].priority_areas.clear()
    assert dashboard(client, setup).context["data"]["matrix"] != before
    assert "Detect" not in plan_page(client, setup).split("Detect laundering")[1][:400]


def test_a_success_measure_and_its_readings_show_on_the_next_dashboard(
    setup, secretariat_user, client
):
    client.force_login(secretariat_user)
    before = len(dashboard(client, setup).context["data"]["indicators"])
    plan_page(client, setup)
    measure = SuccessMeasure.objects.create(
        action=setup.actions["2"], statement="Fewer laundered houses", indicator="Houses"
    )
    assert len(dashboard(client, setup).context["data"]["indicators"]) == before + 1
    assert "Fewer laundered houses" in plan_page(client, setup)
    IndicatorReading.objects.create(measure=measure, date=setup.period.starts_on, value=7)
    shown = dashboard(client, setup).context["data"]["indicators"]
    assert [i["latest"] for i in shown if i["indicator"] == "Houses"] == [7]


def test_a_group_renamed_shows_on_the_next_plan_page(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    group = ActionGroup.objects.create(plan=setup.plan, title="Money", order=1)
    setup.actions["2"].group = group
    setup.actions["2"].save()
    assert "Money" in plan_page(client, setup)
    group.title = "Illicit finance"
    group.save()
    assert "Illicit finance" in plan_page(client, setup)


def test_a_withholding_shows_on_the_next_dashboard(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    before = dashboard(client, setup).context["data"]["contents_marking"]
    Withholding.objects.create(
        update=setup.updates[("2", "police", setup.period.code)],
        field="risks",
        ground="6(c)",
        marking="SENSITIVE",
        created_by=secretariat_user,
    )
    assert dashboard(client, setup).context["data"]["contents_marking"] != before


def test_a_period_changed_shows_on_the_next_dashboard(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    assert dashboard(client, setup).context["period"] == setup.period
    setup.period.due_on += datetime.timedelta(days=1)
    setup.period.save()
    shown = dashboard(client, setup).context["data"]["period"]
    assert shown["due_on"] == setup.period.due_on.isoformat()


def test_each_reader_sees_their_own_agencies_dashboard_from_the_cache(
    setup, secretariat_user, lead, other_lead, client
):
    client.force_login(secretariat_user)
    everything = dashboard(client, setup).context["data"]["action_count"]
    client.force_login(lead)  # Customs: actions 1, 2 (supporting) and 3
    customs = dashboard(client, setup).context["data"]["action_count"]
    client.force_login(other_lead)  # Police: actions 2 and 3
    police = dashboard(client, setup).context["data"]["action_count"]
    assert (everything, customs, police) == (3, 3, 2)


def test_the_dashboard_reads_no_return_text_it_does_not_show(setup, secretariat_user, client):
    client.force_login(secretariat_user)
    with CaptureQueriesContext(connection) as captured:
        page = dashboard(client, setup).content.decode()
    read = " ".join(query["sql"] for query in captured)
    texts = {"reporting_statusupdate": ("commentary", "risks", "next_steps")}
    for table, columns in texts.items():
        for column in columns:
            # Only whether there is any (``NOT (… = '')``), never the text itself.
            assert not re.search(rf'"{table}"\."{column}"(?! = )', read), column
    assert "Scanners installed." not in page  # a return's commentary


def test_long_dashboard_tables_stop_and_link_to_the_period_review(
    setup, secretariat_user, client, monkeypatch
):
    from reporting.dashboard import views

    monkeypatch.setattr(views, "TABLE_ROWS", 1)
    ActionAgencyFactory(
        action=setup.actions["3b"], agency=setup.actions["1"].coordinators.get().agency
    )
    client.force_login(secretariat_user)
    response = dashboard(client, setup)
    data, page = response.context["data"], response.content.decode()
    assert len(data["returns"]["outstanding"]) == 1 < data["returns"]["outstanding_count"]
    assert len(data["exceptions"]) <= 1
    review = reverse("reporting:period_detail", kwargs={"code": setup.period.code})
    assert f'href="{review}"' in page
    assert f"See all {data['returns']['outstanding_count']} returns not yet submitted" in page


def test_a_page_kept_in_one_language_is_not_served_in_another():
    from django.utils import translation

    from core import page_cache

    built = []
    for language in ["en-nz", "mi", "en-nz", "mi"]:
        with translation.override(language):
            page_cache.cached(
                1, ("plan page",), lambda shown=language: built.append(shown) or shown
            )
    assert built == ["en-nz", "mi"]


def test_with_the_cache_away_the_pages_are_built_and_returns_still_save(
    setup, secretariat_user, client, settings
):
    client.force_login(secretariat_user)
    settings.CACHES = cache_settings("redis://127.0.0.1:1/0", key_prefix="down")  # no one there
    before = counts(dashboard(client, setup))
    update = setup.updates[("1", "customs", setup.period.code)]
    update.status = "off_track"
    update.save_if_unchanged(update.version, by=secretariat_user, reason="Saved")
    assert counts(dashboard(client, setup))["off_track"] == before["off_track"] + 1
    assert setup.plan.code in plan_page(client, setup)
