import datetime

import factory

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionPlan,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)
from tests.agencies.factories import AgencyFactory


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"strategy-{n}")
    title = factory.Sequence(lambda n: f"Strategy {n}")
    short_title = factory.LazyAttribute(lambda s: s.title)
    start_year = 2026
    end_year = 2030


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea

    strategy = factory.SubFactory(StrategyFactory)
    slug = factory.Sequence(lambda n: f"priority-{n}")
    name = factory.Sequence(lambda n: f"Priority {n}")


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    strategy = factory.SubFactory(StrategyFactory)
    slug = factory.Sequence(lambda n: f"focus-{n}")
    name = factory.Sequence(lambda n: f"Focus {n}")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan
        django_get_or_create = ("slug",)

    strategy = factory.SubFactory(StrategyFactory)
    slug = factory.Sequence(lambda n: f"plan-{n}")
    code = "TSOC"
    title = factory.Sequence(lambda n: f"Action Plan {n}")
    short_title = factory.LazyAttribute(lambda p: p.title)
    start_date = datetime.date(2026, 7, 1)
    end_date = datetime.date(2030, 6, 30)


class ActionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionGroup

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Group {n}")
    order = factory.Sequence(int)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Action {n}")
    description = "Do the thing."


class ActionAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionAgency

    action = factory.SubFactory(ActionFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = ActionAgency.Role.COORDINATING


class SuccessMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessMeasure

    action = factory.SubFactory(ActionFactory)
    statement = factory.Sequence(lambda n: f"Success statement {n}.")


class IndicatorReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorReading

    measure = factory.SubFactory(SuccessMeasureFactory, indicator="Operations", unit="count")
    date = datetime.date(2026, 9, 30)
    value = 3
