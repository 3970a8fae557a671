"""The database refuses inconsistent periods and updates, whatever path the data takes in."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from reporting.models import ReportingPeriod, StatusUpdate
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def refused_by_database(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_an_agency_has_one_update_per_action_and_period():
    update = StatusUpdateFactory()
    refused_by_database(
        lambda: StatusUpdateFactory(
            action=update.action, period=update.period, agency=update.agency
        )
    )
    StatusUpdateFactory(action=update.action, period=update.period)  # another agency may


@pytest.mark.parametrize("percent", [0, 100, None])
def test_percent_complete_may_be_0_to_100_or_blank(percent):
    assert StatusUpdateFactory(percent_complete=percent).percent_complete == percent


@pytest.mark.parametrize("percent", [101, 250])
def test_percent_complete_above_100_is_refused(percent):
    refused_by_database(lambda: StatusUpdateFactory(percent_complete=percent))


def test_percent_complete_below_0_is_refused():
    update = StatusUpdateFactory()
    refused_by_database(
        lambda: StatusUpdate.objects.filter(pk=update.pk).update(percent_complete=-1)
    )


def test_a_quarter_has_one_period():
    period = ReportingPeriodFactory(year=2026, quarter=3)
    refused_by_database(
        lambda: ReportingPeriod.objects.create(
            year=2026,
            quarter=3,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            opens_on=period.opens_on,
            due_on=period.due_on,
            closes_on=period.closes_on,
        )
    )


def test_a_quarter_is_numbered_1_to_4():
    period = ReportingPeriodFactory(year=2026, quarter=3)
    refused_by_database(lambda: ReportingPeriod.objects.filter(pk=period.pk).update(quarter=5))


def test_returns_open_before_they_are_due_and_are_due_before_they_close():
    period = ReportingPeriodFactory(year=2026, quarter=3)
    later = period.closes_on + datetime.timedelta(days=1)
    refused_by_database(lambda: ReportingPeriod.objects.filter(pk=period.pk).update(due_on=later))
