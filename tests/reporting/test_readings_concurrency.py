"""Indicator readings belong to the return that recorded them, proved on PostgreSQL: two agencies
on one action never overwrite or delete each other's readings, and two saves at once never give a
500 — the second person gets the same conflict as for the update, and nothing of theirs is kept."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from actions.models import IndicatorReading
from reporting.models import StatusUpdate
from reporting.models.updates import StaleUpdateError
from reporting.progress.snapshot import _one_reading_per_date
from reporting.returns import services
from tests.actions.factories import SuccessMeasureFactory
from tests.reporting.test_update_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

QUARTER_END = datetime.date(2026, 9, 30)


@pytest.fixture
def measure(action):
    return SuccessMeasureFactory(action=action, indicator="Operations", unit="count")


def at_once(*writes):
    """Run each write in its own thread and connection, released together; return what each
    returned or raised."""
    start = threading.Barrier(len(writes))
    outcome = [None] * len(writes)

    def run(index, write):
        try:
            start.wait(timeout=30)
            outcome[index] = write()
        except Exception as error:  # reported by the test's assertions
            outcome[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome


def data(measure, value, note="", **fields):
    return {
        "status": "on_track",
        "percent_complete": 40,
        "commentary": "Work goes on.",
        **fields,
        "readings": {measure.pk: {"value": value, "note": note}},
    }


def test_a_supporting_agency_saving_its_form_leaves_the_leads_reading_alone(
    lead, other_lead, agency, other_agency, action, period, measure
):
    services.start_update(
        action, period, agency, data=data(measure, Decimal(9), "Two seizures"), by=lead
    )
    # GCSB's form as loaded: its own reading field was empty, and it saves it empty.
    services.start_update(action, period, other_agency, data=data(measure, None), by=other_lead)
    # ...and then records its own figure.
    gcsb = StatusUpdate.objects.get(agency=other_agency)
    services.change_update(
        gcsb, data=data(measure, Decimal(5)), by=other_lead, expected_version=gcsb.version
    )

    customs = IndicatorReading.objects.get(measure=measure, agency=agency)
    assert (customs.value, customs.note, customs.recorded_by) == (Decimal(9), "Two seizures", lead)
    assert IndicatorReading.objects.get(measure=measure, agency=other_agency).value == Decimal(5)


def test_removing_a_reading_removes_only_the_agencys_own(
    lead, other_lead, agency, other_agency, action, period, measure
):
    services.start_update(action, period, agency, data=data(measure, Decimal(9)), by=lead)
    gcsb = services.start_update(
        action, period, other_agency, data=data(measure, Decimal(5)), by=other_lead
    )
    services.change_update(
        gcsb,
        data={"readings": {measure.pk: {"value": None, "remove": True}}},
        by=other_lead,
        expected_version=gcsb.version,
    )
    assert list(IndicatorReading.objects.values_list("agency", "value")) == [
        (agency.pk, Decimal("9.00"))
    ]


def test_two_saves_of_one_agencys_readings_at_once_refuse_the_second_as_stale(
    lead, contributor, agency, action, period, measure
):
    update = services.start_update(action, period, agency, data=data(measure, Decimal(7)), by=lead)
    leads_copy = StatusUpdate.objects.get(pk=update.pk)
    contributors_copy = StatusUpdate.objects.get(pk=update.pk)

    saved, refused = race(
        lambda: services.change_update(
            contributors_copy,
            data=data(measure, Decimal(9), "Contributor"),
            by=contributor,
            expected_version=update.version,
        ),
        lambda: services.change_update(
            leads_copy,
            data=data(measure, Decimal(3), "Lead", commentary="Lead's words"),
            by=lead,
            expected_version=update.version,
        ),
    )

    assert isinstance(saved, StatusUpdate)
    assert isinstance(refused, StaleUpdateError)
    stored = IndicatorReading.objects.get(measure=measure)
    assert (stored.value, stored.note) == (Decimal(9), "Contributor")
    assert StatusUpdate.objects.get(pk=update.pk).commentary == "Work goes on."


def test_two_agencies_starting_their_returns_at_once_both_keep_their_readings(
    lead, other_lead, agency, other_agency, action, period, measure
):
    # Each agency's readings are its own rows, so neither waits for the other's lock (with one
    # reading per measure and date the second blocked, then failed with an IntegrityError).
    first, second = at_once(
        lambda: services.start_update(
            action, period, agency, data=data(measure, Decimal(9)), by=lead
        ),
        lambda: services.start_update(
            action, period, other_agency, data=data(measure, Decimal(5)), by=other_lead
        ),
    )
    assert isinstance(first, StatusUpdate) and isinstance(second, StatusUpdate)
    assert dict(IndicatorReading.objects.values_list("agency", "value")) == {
        agency.pk: Decimal(9),
        other_agency.pk: Decimal(5),
    }


def test_two_people_starting_one_return_at_once_never_get_a_500(
    lead, contributor, agency, action, period, measure
):
    started, refused = race(
        lambda: services.start_update(
            action, period, agency, data=data(measure, Decimal(9)), by=contributor
        ),
        lambda: services.start_update(
            action, period, agency, data=data(measure, Decimal(3)), by=lead
        ),
    )
    assert isinstance(started, StatusUpdate)
    assert isinstance(refused, StaleUpdateError)
    assert IndicatorReading.objects.get(measure=measure).value == Decimal(9)


def test_the_dashboard_counts_the_lead_agencys_reading_for_a_date(
    lead, other_lead, agency, other_agency, action, period, measure
):
    IndicatorReading.objects.create(measure=measure, date=QUARTER_END, agency=other_agency, value=5)
    IndicatorReading.objects.create(measure=measure, date=QUARTER_END, value=6)
    assert [row[2] for row in _one_reading_per_date([measure], period)] == [Decimal(6)]
    IndicatorReading.objects.create(measure=measure, date=QUARTER_END, agency=agency, value=9)
    assert [row[2] for row in _one_reading_per_date([measure], period)] == [Decimal(9)]
