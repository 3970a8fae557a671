"""Each filter, on its own: ``FilterSet(params, queryset).qs.count()``."""

import datetime
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from actions.filtersets import (
    ActionFilterSet,
    FocusAreaFilterSet,
    IndicatorReadingFilterSet,
    PlanFilterSet,
    PriorityAreaFilterSet,
    StrategyFilterSet,
)
from actions.models import Action, ActionPlan, FocusArea, IndicatorReading, PriorityArea, Strategy
from agencies.api.filtersets import AgencyFilterSet
from agencies.models import Agency
from reporting.filtersets import ActionProgressFilterSet, PeriodFilterSet, StatusUpdateFilterSet
from reporting.models import ReportingPeriod, StatusUpdate
from reporting.progress.latest import with_overdue
from tests.actions.factories import IndicatorReadingFactory
from tests.agencies.factories import AgencyAliasFactory

pytestmark = pytest.mark.django_db


def query(params: dict) -> QueryDict:
    """The parameters as a query string gives them (a list: the parameter repeated)."""
    return QueryDict(urlencode(params, doseq=True))


def count(filterset_class, params: dict, queryset, user=None) -> int:
    request = RequestFactory().get("/")
    request.user = user
    filterset = filterset_class(query(params), queryset, request=request)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def errors(filterset_class, params: dict, queryset) -> dict:
    filterset = filterset_class(query(params), queryset)
    assert not filterset.is_valid()
    return filterset.errors


@pytest.fixture
def progress(world, viewer):
    def count_actions(params: dict) -> int:
        actions = with_overdue(Action.objects.all())
        return count(ActionProgressFilterSet, params, actions, viewer)

    return count_actions


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 3),
        ({"plan": "tsoc-plan"}, 3),
        ({"plan": "no-such-plan"}, 0),
        ({"number": "2A"}, 1),
        ({"agency": "police"}, 3),  # coordinates 2 and 2a, supports 1
        ({"responsible_agency": "police"}, 2),
        ({"agency": "customs"}, 2),
        ({"responsible_agency": "customs"}, 2),
        ({"priority_area": "prevent"}, 1),
        ({"focus_area": "border"}, 1),
        ({"search": "cash wages"}, 1),
        ({"search": "2a"}, 1),
        ({"search": "TSOC 2"}, 1),
        ({"search": "nothing like this"}, 0),
    ],
)
def test_action_filters(world, params, expected):
    assert count(ActionFilterSet, params, Action.objects.all()) == expected


def test_action_filters_by_id(world, agency, other_agency):
    actions = Action.objects.all()
    assert count(ActionFilterSet, {"plan_id": world["plan"].pk}, actions) == 3
    assert count(ActionFilterSet, {"agency_id": other_agency.pk}, actions) == 3
    assert count(ActionFilterSet, {"responsible_agency_id": other_agency.pk}, actions) == 2
    assert count(ActionFilterSet, {"priority_area_id": world["prevent"].pk}, actions) == 1
    assert count(ActionFilterSet, {"focus_area_id": world["border"].pk}, actions) == 1


def test_an_id_that_matches_nothing_gives_nothing(world):
    assert count(ActionFilterSet, {"agency_id": 999999}, Action.objects.all()) == 0


@pytest.mark.parametrize(
    "params",
    [
        {"plan_id": "abc"},
        {"plan_id": "1.5"},
        {"plan_id": "0"},
        {"plan_id": str(2**63)},
        {"plan_id": ""},
    ],
)
def test_an_id_that_cant_be_one_is_refused(world, params):
    assert "plan_id" in errors(ActionFilterSet, params, Action.objects.all())


def test_nul_characters_in_text_are_dropped(world):
    assert count(ActionFilterSet, {"search": "cash\x00 wages"}, Action.objects.all()) == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # In the quarter the dashboard shows (the open one): TSOC 1's responsible agency has
        # only a draft, and the supporting agency's "complete" is input, which never changes a
        # status; 2a is at risk on Police's return, and TSOC 2 rolls up from it.
        ({"status": "none"}, 1),
        ({"status": "at_risk"}, 2),
        ({"status": "complete"}, 0),
        ({"period": "2026-Q2", "status": "on_track"}, 1),  # TSOC 1's accepted return then
        ({"period": "2026-Q2", "status": ["on_track", "none"]}, 3),
        ({"period": "2026-Q3"}, 3),  # a period chooses the quarter; it filters nothing out
        ({"period": "2019-Q1"}, 0),  # a quarter with no period matches nothing
        ({"overdue": "false"}, 3),
        ({"overdue": "true"}, 0),
    ],
)
def test_action_progress_filters(progress, params, expected):
    assert progress(params) == expected


def test_action_progress_filter_by_period_id(progress, world):
    assert progress({"period_id": world["current"].pk}) == 3


def test_overdue_filter(progress, world):
    period = world["current"]
    period.opens_on = period.due_on = timezone.localdate() - datetime.timedelta(days=1)
    period.save()
    # TSOC 1's lead has only a draft; TSOC 2 rolls up from 2a, which has no return (the
    # update on TSOC 2 itself is on no line, so it counts for nothing).
    assert progress({"overdue": "true"}) == 3
    assert progress({"overdue": "false"}) == 0


def test_overdue_must_be_true_or_false(world):
    assert "overdue" in errors(ActionProgressFilterSet, {"overdue": "maybe"}, Action.objects.all())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 4),
        ({"period": "2026-Q3"}, 3),
        ({"agency": "police"}, 2),
        ({"plan": "tsoc-plan"}, 4),
        ({"status": "at_risk"}, 1),
        ({"status": ["at_risk", "complete"]}, 2),
        ({"state": "submitted"}, 2),
        ({"state": ["draft", "accepted"]}, 2),
        ({"is_demo": "false"}, 4),
        ({"is_demo": "true"}, 0),
        ({"search": "progressing"}, 4),
        ({"search": "nothing like this"}, 0),
    ],
)
def test_status_update_filters(world, params, expected):
    assert count(StatusUpdateFilterSet, params, StatusUpdate.objects.all()) == expected


def test_status_update_filters_by_id(world, other_agency):
    updates = StatusUpdate.objects.all()
    assert count(StatusUpdateFilterSet, {"period_id": world["current"].pk}, updates) == 3
    assert count(StatusUpdateFilterSet, {"agency_id": other_agency.pk}, updates) == 2
    assert count(StatusUpdateFilterSet, {"action_id": world["one"].pk}, updates) == 3
    assert count(StatusUpdateFilterSet, {"plan_id": world["plan"].pk}, updates) == 4


def test_changed_since_gives_what_changed_at_or_after(world):
    later = timezone.now() + datetime.timedelta(minutes=5)
    StatusUpdate.objects.filter(pk=world["draft"].pk).update(updated_at=later)
    updates = StatusUpdate.objects.all()
    assert count(StatusUpdateFilterSet, {"changed_since": later.isoformat()}, updates) == 1
    since = (later + datetime.timedelta(seconds=1)).isoformat()
    assert count(StatusUpdateFilterSet, {"changed_since": since}, updates) == 0


def test_changed_since_must_be_a_time(world):
    assert "changed_since" in errors(
        StatusUpdateFilterSet, {"changed_since": "yesterday"}, StatusUpdate.objects.all()
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [({}, 2), ({"code": "2026-Q3"}, 1), ({"year": "2026"}, 2), ({"quarter": "2"}, 1)],
)
def test_period_filters(world, params, expected):
    assert count(PeriodFilterSet, params, ReportingPeriod.objects.all()) == expected


@pytest.mark.parametrize(("state", "expected"), [("open", 1), ("closed", 1), ("upcoming", 0)])
def test_period_state_filter(world, state, expected):
    assert count(PeriodFilterSet, {"state": state}, ReportingPeriod.objects.all()) == expected


def test_year_must_be_a_whole_number(world):
    assert "year" in errors(PeriodFilterSet, {"year": "0.5"}, ReportingPeriod.objects.all())


def test_reference_data_filters(world):
    strategy = world["plan"].strategy
    assert count(StrategyFilterSet, {"slug": "tsoc"}, Strategy.objects.all()) == 1
    assert count(PlanFilterSet, {"strategy": "tsoc"}, ActionPlan.objects.all()) == 1
    assert count(PlanFilterSet, {"strategy_id": strategy.pk}, ActionPlan.objects.all()) == 1
    assert count(PlanFilterSet, {"code": "tsoc"}, ActionPlan.objects.all()) == 1
    assert count(PlanFilterSet, {"slug": "tsoc-plan"}, ActionPlan.objects.all()) == 1
    areas = PriorityArea.objects.all()
    assert count(PriorityAreaFilterSet, {"strategy": "tsoc"}, areas) == 1
    assert count(PriorityAreaFilterSet, {"strategy_id": strategy.pk}, areas) == 1
    assert count(PriorityAreaFilterSet, {"slug": "prevent"}, areas) == 1
    assert count(FocusAreaFilterSet, {"slug": "border"}, FocusArea.objects.all()) == 1


def test_agency_filters(world, agency):
    AgencyAliasFactory(agency=agency, name="NZ Customs Service")
    agencies = Agency.objects.all()
    assert count(AgencyFilterSet, {"slug": "customs"}, agencies) == 1
    assert count(AgencyFilterSet, {"search": "nz customs"}, agencies) == 1  # an alias
    assert count(AgencyFilterSet, {"search": "police"}, agencies) == 1


def test_indicator_reading_filters(world):
    reading = IndicatorReadingFactory(date=datetime.date(2026, 9, 30))
    IndicatorReadingFactory(measure=reading.measure, date=datetime.date(2026, 6, 30))
    readings = IndicatorReading.objects.all()
    measure = reading.measure
    assert count(IndicatorReadingFilterSet, {"measure_id": measure.pk}, readings) == 2
    assert count(IndicatorReadingFilterSet, {"action_id": measure.action_id}, readings) == 2
    assert count(IndicatorReadingFilterSet, {"plan_id": measure.action.plan_id}, readings) == 2
    assert count(IndicatorReadingFilterSet, {"plan": measure.action.plan.slug}, readings) == 2
    assert count(IndicatorReadingFilterSet, {"date_from": "2026-07-01"}, readings) == 1
    assert count(IndicatorReadingFilterSet, {"date_to": "2026-07-01"}, readings) == 1
    assert "date_to" in errors(IndicatorReadingFilterSet, {"date_to": ""}, readings)


def test_evidence_filters(world):
    from actions.models import IndicatorReading
    from reporting.filtersets import EvidenceFilterSet
    from reporting.models import Evidence

    reading = IndicatorReading.objects.create(
        measure=world["one"].success_measures.get(), date=world["current"].ends_on, value=3
    )
    Evidence.objects.create(update=world["draft"], name="a", url="https://x.govt.nz/a")
    Evidence.objects.create(update=world["submitted"], name="b", url="https://x.govt.nz/b")
    Evidence.objects.create(reading=reading, name="c", url="https://x.govt.nz/c")
    every = Evidence.objects.all()

    assert count(EvidenceFilterSet, {"update_id": world["draft"].pk}, every) == 1
    assert count(EvidenceFilterSet, {"reading_id": reading.pk}, every) == 1
    assert count(EvidenceFilterSet, {}, every) == 3
