"""The database itself keeps plans consistent, whatever path the data takes in."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Action, ActionLink, ActionPlan
from tests.actions.factories import (
    ActionAgencyFactory,
    ActionFactory,
    ActionPlanFactory,
    FocusAreaFactory,
    IndicatorReadingFactory,
    PriorityAreaFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_an_action_number_is_unique_within_its_plan():
    first = ActionFactory(number="13a")
    refused_by_database(lambda: ActionFactory(plan=first.plan, number="13a"))
    ActionFactory(number="13a")  # another plan may use it


def test_an_action_needs_a_number():
    refused_by_database(lambda: ActionFactory(number=""))


def test_model_validation_gives_the_constraints_message():
    first = ActionFactory(number="7")
    duplicate = Action(plan=first.plan, number="7", title="Again")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "The plan already has an action with this number." in str(error.value)


def test_a_strategy_cannot_end_before_it_starts():
    refused_by_database(lambda: StrategyFactory(start_year=2026, end_year=2025))
    StrategyFactory(start_year=2026, end_year=None)


def test_a_plan_cannot_end_before_it_starts():
    refused_by_database(
        lambda: ActionPlanFactory(
            start_date=datetime.date(2026, 7, 1), end_date=datetime.date(2026, 6, 30)
        )
    )


def test_a_plan_slug_is_unique():
    plan = ActionPlanFactory()
    refused_by_database(
        lambda: ActionPlan.objects.create(
            strategy=plan.strategy,
            slug=plan.slug,
            code="X",
            title="Copy",
            short_title="Copy",
            start_date=plan.start_date,
            end_date=plan.end_date,
        )
    )


@pytest.mark.parametrize("factory", [PriorityAreaFactory, FocusAreaFactory])
def test_an_area_slug_is_unique_within_its_strategy(factory):
    area = factory(slug="unify")
    refused_by_database(lambda: factory(strategy=area.strategy, slug="unify"))
    factory(slug="unify")  # another strategy may use it


def test_an_agency_coordinates_an_action_or_strand_once():
    coordinator = ActionAgencyFactory()
    refused_by_database(
        lambda: ActionAgencyFactory(action=coordinator.action, agency=coordinator.agency)
    )
    strand = ActionFactory(
        plan=coordinator.action.plan, parent=coordinator.action, kind="strand", number="1 strand 1"
    )
    ActionAgencyFactory(action=strand, agency=coordinator.agency)  # a strand is its own line


def test_a_line_has_one_lead_at_most():
    lead = ActionAgencyFactory(role="lead")
    refused_by_database(lambda: ActionAgencyFactory(action=lead.action, role="lead"))
    ActionAgencyFactory(action=lead.action, role="coordinating")


def test_a_strand_belongs_to_an_action():
    refused_by_database(lambda: ActionFactory(kind="strand", number="9 strand 1"))


def test_an_action_cannot_carry_on_itself_or_be_linked_twice():
    action, earlier = ActionFactory(), ActionFactory()
    refused_by_database(
        lambda: ActionLink.objects.create(action=action, earlier_action=action, kind="carries_on")
    )
    ActionLink.objects.create(action=action, earlier_action=earlier, kind="carries_on")
    refused_by_database(
        lambda: ActionLink.objects.create(action=action, earlier_action=earlier, kind="merges")
    )


def test_a_measure_has_one_reading_per_date():
    reading = IndicatorReadingFactory()
    refused_by_database(
        lambda: IndicatorReadingFactory(measure=reading.measure, date=reading.date, value=9)
    )
