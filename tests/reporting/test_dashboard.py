"""The dashboard's data set: what it counts, who sees what, and how many queries it takes."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import ActionAgency, ActionPlan, SuccessMeasure
from reporting.demo import DEMO_PLAN, create_demo_accounts, create_demo_returns
from reporting.models import ProtectiveMarking, StatusUpdate, Withholding
from reporting.progress.snapshot import DashboardFilters, Scope, build_dashboard
from tests.actions.factories import (
    ActionAgencyFactory,
    ActionFactory,
    IndicatorReadingFactory,
    SuccessMeasureFactory,
)
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def counts(data, key="counts"):
    return {c["status"]: c["count"] for c in data[key] if c["count"]}


def action(data, number):
    return next(a for a in data["actions"] if a["number"] == number)


def test_each_action_counts_once_at_the_worst_status_its_agencies_reported(setup, secretariat_user):
    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))

    assert counts(data) == {"on_track": 1, "at_risk": 1, "off_track": 1, "none": 1}
    assert data["reportable_count"] == 4
    assert action(data, "3a")["status"] == "off_track"
    assert action(data, "3b")["status"] == "none"  # a draft is not a report


def test_a_parent_reported_through_its_sub_actions_is_listed_but_not_counted(
    setup, secretariat_user
):
    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))

    parent = action(data, "3")
    assert parent["has_parts"] and not parent["is_reportable"]
    # 3a is off track on Customs' return (Police's on track is the other joint return), and
    # 3b has only a draft: the action is the worst of its lines, with how many reported.
    assert (parent["status"], parent["reported_summary"]) == ("off_track", "1 of 2 lines reported")
    assert data["action_count"] == 3 and data["reportable_count"] == 4
    assert [a["number"] for a in data["actions"]] == ["1", "2", "3", "3a", "3b"]


def test_outstanding_returns_are_the_lead_returns_not_yet_submitted(setup, secretariat_user):
    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))

    assert data["returns"]["expected"] == 5
    assert data["returns"]["received"] == 4
    assert data["returns"]["outstanding"] == [
        {
            "number": "3b",
            "code": "TSOC 3b",
            "title": "Search law",
            "agency": "Police",
            "state": "draft",
            "state_label": "Draft",
        }
    ]


def test_changes_since_last_quarter_and_actions_past_their_timeframe(setup, secretariat_user):
    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))

    assert data["previous_period"]["code"] == "2026-Q2"
    assert {a["number"] for a in data["actions"] if a["changed"]} == {"1", "3a"}
    assert action(data, "1")["previous_status"] == "at_risk"
    assert {a["number"] for a in data["actions"] if a["is_past_end"]} == {"3a"}
    assert {a["number"] for a in data["actions"] if a["is_exception"]} == {"2", "3a"}


def test_a_completed_action_is_not_past_its_timeframe(setup, secretariat_user):
    for update in setup.actions["3a"].status_updates.filter(period=setup.period):
        update.status = StatusUpdate.Status.COMPLETE
        update.save()

    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))

    assert not action(data, "3a")["is_past_end"]


def test_matrix_puts_each_action_under_its_priority_and_focus_areas(setup, secretariat_user):
    matrix = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))["matrix"]

    rows = [r["name"] for r in matrix["rows"]]
    columns = [c["name"] for c in matrix["columns"]]
    assert rows == ["Prevent", "Detect", "Not tagged"]
    assert columns == ["Border", "Community", "Not tagged"]

    def cell(row, column):
        found = matrix["cells"][rows.index(row)][columns.index(column)]
        return found["overall"], {c["status"]: c["count"] for c in found["counts"]}

    assert cell("Prevent", "Border") == ("on_track", {"on_track": 1})
    assert cell("Detect", "Not tagged") == ("at_risk", {"at_risk": 1})
    assert cell("Not tagged", "Community") == ("off_track", {"off_track": 1})
    assert cell("Not tagged", "Not tagged") == ("none", {"none": 1})
    assert cell("Prevent", "Community") == ("", {})


def test_status_by_agency_counts_each_agencys_returns(setup, secretariat_user):
    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))

    by_agency = {a["agency"]: counts(a) for a in data["agencies"]}
    assert by_agency == {
        "Customs": {"on_track": 1, "off_track": 1},
        "Police": {"at_risk": 1, "on_track": 1, "none": 1},
    }


def test_trend_shows_each_quarter_of_the_plan_up_to_the_period(setup, secretariat_user):
    trend = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))["trend"]

    assert [p["code"] for p in trend] == ["2026-Q2", "2026-Q3"]
    assert {c["status"]: c["count"] for c in trend[0]["counts"] if c["count"]} == {
        "at_risk": 2,
        "on_track": 1,
        "none": 1,
    }


def test_filters_narrow_to_an_agencys_actions_or_an_area(setup, secretariat_user, other_agency):
    plan, period = setup.plan, setup.period
    police = build_dashboard(
        plan,
        period,
        scope=Scope.of(secretariat_user),
        filters=DashboardFilters(agency=other_agency),
    )
    prevent = build_dashboard(
        plan,
        period,
        scope=Scope.of(secretariat_user),
        filters=DashboardFilters(priority_area=plan.strategy.priority_areas.get(slug="prevent")),
    )
    community = build_dashboard(
        plan,
        period,
        scope=Scope.of(secretariat_user),
        filters=DashboardFilters(focus_area=plan.strategy.focus_areas.get(slug="community")),
    )

    assert [a["number"] for a in police["actions"]] == ["2", "3a", "3b"]
    assert police["filters"]["agency"] == "Police"
    assert [a["number"] for a in prevent["actions"]] == ["1"]
    assert [a["number"] for a in community["actions"]] == ["3a"]


def test_agency_people_see_only_the_actions_their_agency_coordinates(setup, lead, viewer):
    mine = build_dashboard(setup.plan, setup.period, scope=Scope.of(lead))  # a Customs lead
    everything = build_dashboard(setup.plan, setup.period, scope=Scope.of(viewer))

    # Customs coordinates 1 and 3a and supports 2; it reads the whole of action 3 (its other
    # line, 3b, included), so what it reads of 3's status is whole.
    assert [a["number"] for a in mine["actions"]] == ["1", "2", "3", "3a", "3b"]
    assert len(everything["actions"]) == 5


def test_someone_without_a_role_sees_nothing(setup, outsider):
    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(outsider))

    assert data["actions"] == [] and data["returns"]["expected"] == 0


def test_indicators_report_the_latest_reading_against_the_target(setup, secretariat_user):
    measure = SuccessMeasureFactory(
        action=setup.actions["1"], indicator="Seizures", unit="seizures", baseline=10, target=30
    )
    IndicatorReadingFactory(measure=measure, date=setup.previous.ends_on, value=15)
    IndicatorReadingFactory(measure=measure, date=setup.period.ends_on, value=20)
    IndicatorReadingFactory(measure=measure, date=setup.period.ends_on.replace(year=2027), value=99)

    [indicator] = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))[
        "indicators"
    ]

    assert indicator["latest"] == 20.0  # the reading after the period is not counted yet
    assert indicator["progress_percent"] == 50
    assert [r["value"] for r in indicator["readings"]] == [15.0, 20.0]


def test_a_reading_is_demonstration_data_by_its_field_not_its_note(setup, secretariat_user):
    measure = SuccessMeasureFactory(
        action=setup.actions["1"], indicator="Seizures", unit="seizures", baseline=0, target=10
    )
    IndicatorReadingFactory(measure=measure, date=setup.previous.ends_on, value=1, is_demo=True)
    IndicatorReadingFactory(
        measure=measure, date=setup.period.ends_on, value=2, note="Demonstration data"
    )

    data = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))

    [indicator] = data["indicators"]
    assert [(r["value"], r["is_demo"]) for r in indicator["readings"]] == [
        (1.0, True),
        (2.0, False),
    ]
    assert data["has_demo"]


def test_demo_updates_are_flagged(setup, secretariat_user):
    assert not build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))[
        "has_demo"
    ]
    StatusUpdate.objects.filter(pk=setup.updates[("1", "customs", "2026-Q3")].pk).update(
        is_demo=True
    )

    assert build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))["has_demo"]


def test_the_public_version_holds_the_placeholder_not_the_withheld_text(setup, secretariat_user):
    update = setup.updates[("3a", "customs", "2026-Q3")]
    Withholding.objects.create(
        update=update, field="commentary", ground="6(c)", marking=ProtectiveMarking.SENSITIVE
    )

    full = build_dashboard(setup.plan, setup.period, scope=Scope.of(secretariat_user))
    public = build_dashboard(
        setup.plan, setup.period, scope=Scope.of(secretariat_user), public=True
    )

    def commentary(data):
        return next(u for u in action(data, "3a")["updates"] if u["agency"] == "Customs")

    assert commentary(full)["commentary"] == "The bill is delayed."
    assert commentary(full)["commentary_withheld"] == "6(c)"
    assert full["contents_marking"] == "SENSITIVE"
    assert commentary(public)["commentary"] == "[withheld under s 6(c)]"
    assert public["contents_marking"] == ""
    assert "The bill is delayed." not in str(public)


def test_withholding_an_action_field_replaces_it_in_the_public_version(setup, secretariat_user):
    setup.actions["1"].description = "Covert scanner placements at Auckland port."
    setup.actions["1"].save()
    Withholding.objects.create(action=setup.actions["1"], field="description", ground="6(a)")

    public = build_dashboard(
        setup.plan, setup.period, scope=Scope.of(secretariat_user), public=True
    )

    assert action(public, "1")["description"] == "[withheld under s 6(a)]"
    assert "Covert scanner" not in str(public)


def _plan_with(size, agency):
    plan_action = ActionFactory(number="1")
    plan = plan_action.plan
    period = ReportingPeriodFactory(year=2026, quarter=3)
    for number in range(size):
        item = plan_action if number == 0 else ActionFactory(plan=plan, number=f"{number + 1}")
        ActionAgencyFactory(action=item, agency=agency, role=ActionAgency.Role.COORDINATING)
        StatusUpdateFactory(action=item, agency=agency, period=period, state="submitted")
        SuccessMeasureFactory(action=item, indicator="Count", target=5)
    return plan, period


def queries_to_build(plan, period, user) -> int:
    user = type(user).objects.get(pk=user.pk)  # a fresh user: no cached roles
    with CaptureQueriesContext(connection) as captured:
        build_dashboard(plan, period, scope=Scope.of(user))
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_actions(
    agency, secretariat_user, lead
):
    small = _plan_with(10, agency)
    large = _plan_with(100, agency)

    for user in (secretariat_user, lead):
        assert queries_to_build(*small, user) == queries_to_build(*large, user)
    assert queries_to_build(*large, secretariat_user) <= 12


def test_the_demo_data_makes_a_living_dashboard_labelled_as_demonstration(secretariat_user):
    call_command("load_plans", stdout=io.StringIO())
    seed_measures = set(SuccessMeasure.objects.values_list("pk", "statement", "indicator"))
    create_demo_accounts()
    period, _ = create_demo_returns()

    data = build_dashboard(
        ActionPlan.objects.get(slug=DEMO_PLAN), period, scope=Scope.of(secretariat_user)
    )

    assert data["has_demo"]
    assert data["returns"]["received"] > 0 and data["previous_period"] is not None
    [indicator] = data["indicators"]
    assert "(demonstration)" in indicator["indicator"]
    assert all(reading["is_demo"] for reading in indicator["readings"])
    assert seed_measures <= set(SuccessMeasure.objects.values_list("pk", "statement", "indicator"))


def test_the_demo_data_obeys_the_status_and_per_cent_rule_and_moves_on_plausibly(db):
    call_command("load_plans", stdout=io.StringIO())
    create_demo_accounts()
    create_demo_returns()
    updates = StatusUpdate.objects.filter(is_demo=True)
    assert updates.exists()
    for update in updates:
        update.clean_for_submit()  # complete and consistent, or this raises
    for update in updates.filter(period__state="open"):
        earlier = updates.get(action=update.action, agency=update.agency, period__state="closed")
        assert update.percent_complete >= earlier.percent_complete
        if update.status == StatusUpdate.Status.COMPLETE:
            assert earlier.percent_complete >= 80
