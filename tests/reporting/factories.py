import factory

from reporting.models import ReminderLog, ReportingPeriod, StatusUpdate
from tests.actions.factories import ActionFactory
from tests.agencies.factories import AgencyFactory


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    """A period for a quarter, built with the same default dates the product gives new periods."""

    class Meta:
        model = ReportingPeriod

    year = 2026
    quarter = 3
    state = ReportingPeriod.State.OPEN

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        state = kwargs.pop("state")
        overrides = {k: kwargs.pop(k) for k in list(kwargs) if k not in ("year", "quarter")}
        period = model_class.objects.for_quarter(kwargs["year"], kwargs["quarter"])
        for field, value in {"state": state, **overrides}.items():
            setattr(period, field, value)
        period.save()
        return period


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    action = factory.SubFactory(ActionFactory)
    period = factory.SubFactory(ReportingPeriodFactory)
    agency = factory.SubFactory(AgencyFactory)
    status = StatusUpdate.Status.ON_TRACK
    percent_complete = 25
    commentary = "Work is progressing."


class ReminderLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderLog

    period = factory.SubFactory(ReportingPeriodFactory)
    kind = ReminderLog.Kind.OPENED
    email = factory.Sequence(lambda n: f"lead{n}@example.govt.nz")
    subject = "TSOC Tracker: Q1 2026/27 returns are open: due 14 October 2026"
    text_body = "Kia ora,"
    html_body = "<p>Kia ora,</p>"
    action_count = 1
