"""The dashboard page and its charts, as each role sees them."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from reporting.models import StatusUpdate
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.reports.charts import dashboard_charts, stacked_bars, status_bars
from reporting.statuses import STATUSES, status_counts
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def dashboard_url(setup, **params):
    url = reverse("reporting:dashboard", kwargs={"plan": setup.plan.slug})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def test_every_chart_is_accessible_svg_with_its_numbers_as_text(setup, secretariat_user):
    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))
    charts = dashboard_charts(data)

    for name in ("counts", "matrix", "agencies", "trend", "returns"):
        svg = ET.fromstring(str(charts[name]))
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id
        assert svg.find(f"{SVG}desc").get("id") == desc_id
    counts_desc = ET.fromstring(str(charts["counts"])).find(f"{SVG}desc").text
    assert "Off track: 1" in counts_desc and "No return yet: 1" in counts_desc


def test_statuses_are_told_apart_by_pattern_not_colour_alone():
    svg = str(status_bars("c", status_counts(["at_risk", "off_track"]), title="t"))

    assert 'fill="url(#c-at_risk)"' in svg and 'fill="url(#c-off_track)"' in svg
    assert '<pattern id="c-at_risk"' in svg


def test_each_status_is_drawn_in_the_fill_and_pattern_its_table_entry_names():
    svg = ET.fromstring(str(status_bars("c", status_counts(list(STATUSES)), title="t")))
    patterns = {p.get("id"): p for p in svg.iter(f"{SVG}pattern")}
    bar_fills = [r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("height") == "22"]
    for status, fill in zip(status_counts(list(STATUSES)), bar_fills, strict=True):
        entry = STATUSES[status["status"]]
        if entry.chart_pattern:
            assert fill == f"url(#c-{entry.value})"
            assert patterns[f"c-{entry.value}"].find(f"{SVG}rect").get("fill") == entry.chart_fill
        else:
            assert fill == entry.chart_fill


def test_chart_text_is_escaped():
    svg = str(
        stacked_bars(
            "c",
            [{"label": '<script>alert("x")</script>', "counts": status_counts(["on_track"])}],
            title="A & B",
            statuses=[{"status": "on_track", "label": "On track"}],
        )
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "A &amp; B" in svg
    ET.fromstring(svg)  # still well-formed


def test_the_secretariat_sees_every_chart_with_a_table_alternative(
    setup, secretariat_user, client_for
):
    response = client_for(secretariat_user).get(dashboard_url(setup))

    page = response.content.decode()
    assert response.status_code == 200
    # lines by status, actions by status, matrix, agency, trend, returns
    assert page.count('role="img"') == 6
    for heading in (
        "Reportable lines by status",
        "Actions by status",
        "Priority area by focus area",
        "Status by coordinating agency",
        "Status over the last quarters",
        "Returns outstanding",
        "At risk, off track or past their timeframe",
        "Success-measure indicators against their targets",
    ):
        assert heading in page
    assert page.count("<details>") >= 4
    assert "Build a PDF report" in page
    assert "Demonstration data" not in page


def test_a_viewer_sees_the_dashboard_but_not_the_report_builder(setup, viewer, client_for):
    response = client_for(viewer).get(dashboard_url(setup))

    assert response.status_code == 200
    assert "Build a PDF report" not in response.content.decode()


def test_an_agency_lead_sees_only_their_agencys_actions(setup, lead, client_for):
    page = client_for(lead).get(dashboard_url(setup)).content.decode()

    assert "TSOC 3a" in page  # Customs coordinates 3a, which is off track
    assert "Search law" in page  # 3b, Police's alone, is the rest of action 3
    other = ActionFactory(plan=setup.plan, number="9", title="Police only")
    ActionAgencyFactory(action=other, agency=setup.updates[("2", "police", "2026-Q3")].agency)
    assert "Police only" not in client_for(lead).get(dashboard_url(setup)).content.decode()


def test_someone_without_a_role_gets_no_dashboard(setup, outsider, client_for):
    assert client_for(outsider).get(dashboard_url(setup)).status_code == 404


def test_filters_come_from_the_query_string(setup, secretariat_user, client_for):
    response = client_for(secretariat_user).get(
        dashboard_url(setup, period="2026-Q2", agency="police", priority="detect")
    )

    data = response.context["data"]
    assert data["period"]["code"] == "2026-Q2"
    assert data["action_count"] == 1
    assert "coordinated by Police" in response.content.decode()


def test_an_unknown_filter_value_is_reported_and_ignored(setup, secretariat_user, client_for):
    response = client_for(secretariat_user).get(dashboard_url(setup, agency="nobody"))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["data"]["action_count"] == 3


def test_the_open_period_is_shown_by_default(setup, secretariat_user, client_for):
    response = client_for(secretariat_user).get(dashboard_url(setup))

    assert response.context["period"] == setup.period


def test_demonstration_data_is_labelled(setup, secretariat_user, client_for):
    StatusUpdate.objects.filter(period=setup.period).update(is_demo=True)

    page = client_for(secretariat_user).get(dashboard_url(setup)).content.decode()

    assert "Demonstration data." in page


def test_the_dashboard_index_opens_the_newest_plan(setup, viewer, client_for):
    response = client_for(viewer).get(reverse("reporting:dashboard_index"))

    assert response.status_code == 302
    assert response["Location"] == dashboard_url(setup)
