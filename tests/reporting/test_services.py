"""The return workflow: who may do what, when, and what it leaves in the history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import ActionAgency, IndicatorReading
from reporting.models import ReportingPeriod, StatusUpdate
from reporting.models.updates import StaleUpdateError
from reporting.periods import services as periods_services
from reporting.returns import services as returns_services
from tests.actions.factories import ActionAgencyFactory, SuccessMeasureFactory
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def start(user, action, period, agency, **data):
    data.setdefault("status", StatusUpdate.Status.ON_TRACK)
    data.setdefault("percent_complete", 30)
    data.setdefault("commentary", "Two operations this quarter.")
    return returns_services.start_update(action, period, agency, data=data, by=user)


def test_a_new_update_is_prefilled_from_the_agencys_last_update(action, agency, period):
    earlier = ReportingPeriodFactory(year=2026, quarter=2, state=ReportingPeriod.State.CLOSED)
    StatusUpdateFactory(
        action=action,
        agency=agency,
        period=earlier,
        status=StatusUpdate.Status.AT_RISK,
        percent_complete=40,
        commentary="Funding delayed.",
        risks="Budget.",
        next_steps="Ask.",
    )
    update = returns_services.prefill_update(action, period, agency)
    assert update.pk is None
    assert (update.status, update.percent_complete, update.commentary) == (
        "at_risk",
        40,
        "Funding delayed.",
    )
    assert (update.risks, update.next_steps, update.state) == ("Budget.", "Ask.", "draft")


def test_the_first_update_ever_is_prefilled_as_not_started(action, agency, period):
    assert returns_services.prefill_update(action, period, agency).status == "not_started"


def test_a_contributor_saves_a_draft_and_history_records_who(action, agency, period, contributor):
    update = start(contributor, action, period, agency, commentary="Drafted.")
    assert (update.state, update.version, update.commentary) == ("draft", 1, "Drafted.")
    row = update.history.get()
    assert (row.history_user, row.history_type, row.history_change_reason) == (
        contributor,
        "+",
        "Started",
    )


def test_a_contributor_cannot_submit(action, agency, period, contributor):
    update = start(contributor, action, period, agency)
    with pytest.raises(PermissionDenied):
        returns_services.submit_update(update, by=contributor, expected_version=update.version)
    update.refresh_from_db()
    assert update.state == "draft"


def test_a_lead_submits_and_it_is_on_time_before_the_due_date(action, agency, period, lead):
    update = start(lead, action, period, agency)
    returns_services.submit_update(update, by=lead, expected_version=1)
    update.refresh_from_db()
    assert (update.state, update.is_late, update.submitted_by, update.version) == (
        "submitted",
        False,
        lead,
        2,
    )
    assert [h.history_change_reason for h in update.history.order_by("history_date")] == [
        "Started",
        "Submitted",
    ]


def test_a_return_submitted_after_the_due_date_goes_in_marked_late(action, agency, lead):
    period = ReportingPeriodFactory(
        year=2026, quarter=2, state="open", due_on=datetime.date(2026, 7, 14)
    )
    update = start(lead, action, period, agency)
    returns_services.submit_update(update, by=lead, expected_version=1)
    assert (update.state, update.is_late) == ("submitted", True)


def test_a_lead_cannot_report_for_another_agency(action, agency, period, other_lead):
    with pytest.raises(PermissionDenied):
        start(other_lead, action, period, agency)


def test_a_supporting_agency_writes_its_own_input(action, other_agency, period, other_lead):
    update = start(other_lead, action, period, other_agency, commentary="Police support.")
    returns_services.submit_update(update, by=other_lead, expected_version=1)
    assert update.state == "submitted"


def test_an_agency_that_does_not_coordinate_the_action_cannot_report(period, lead, agency):
    unrelated = ActionAgencyFactory(role=ActionAgency.Role.COORDINATING).action
    with pytest.raises(PermissionDenied):
        start(lead, unrelated, period, agency)


def test_the_secretariat_and_viewers_cannot_write_updates(
    action, agency, period, secretariat_user, viewer
):
    for user in (secretariat_user, viewer):
        with pytest.raises(PermissionDenied):
            start(user, action, period, agency)


def test_nothing_is_written_to_a_closed_period(action, agency, lead, period):
    update = start(lead, action, period, agency)
    periods_services.close_period(period, by=_secretariat())
    update.period.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        returns_services.change_update(
            update, data={"commentary": "Late edit"}, by=lead, expected_version=1
        )
    with pytest.raises(ValidationError):
        returns_services.submit_update(update, by=lead, expected_version=1)


def test_no_update_starts_before_the_period_opens(action, agency, lead):
    upcoming = ReportingPeriodFactory(year=2027, quarter=1, state="upcoming")
    with pytest.raises(ValidationError, match="not open"):
        start(lead, action, upcoming, agency)


def test_a_submitted_update_cannot_be_edited(action, agency, period, lead):
    update = start(lead, action, period, agency)
    returns_services.submit_update(update, by=lead, expected_version=1)
    with pytest.raises(ValidationError, match="submitted"):
        returns_services.change_update(
            update, data={"commentary": "x"}, by=lead, expected_version=2
        )


def test_invalid_data_is_refused_with_the_field_named(action, agency, period, lead):
    with pytest.raises(ValidationError) as refused:
        start(lead, action, period, agency, percent_complete=140)
    assert "percent_complete" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        start(lead, action, period, agency, status="splendid")
    assert "status" in refused.value.message_dict
    assert not StatusUpdate.objects.exists()


def test_the_second_of_two_editors_is_refused_and_sees_the_first_ones_version(
    action, agency, period, lead, contributor
):
    update = start(lead, action, period, agency)
    mine = StatusUpdate.objects.get(pk=update.pk)
    theirs = StatusUpdate.objects.get(pk=update.pk)
    returns_services.change_update(
        theirs, data={"commentary": "Theirs"}, by=contributor, expected_version=1
    )
    with pytest.raises(StaleUpdateError) as refused:
        returns_services.change_update(
            mine, data={"commentary": "Mine"}, by=lead, expected_version=1
        )
    assert refused.value.current.commentary == "Theirs"
    assert refused.value.current.version == 2
    update.refresh_from_db()
    assert update.commentary == "Theirs"
    assert update.history.count() == 2


def test_a_second_person_starting_the_same_update_is_refused(
    action, agency, period, lead, contributor
):
    start(contributor, action, period, agency, commentary="First")
    with pytest.raises(StaleUpdateError) as refused:
        start(lead, action, period, agency, commentary="Second")
    assert refused.value.current.commentary == "First"


def test_the_secretariat_returns_with_a_comment_and_the_lead_resubmits(
    action, agency, period, lead, secretariat_user
):
    update = start(lead, action, period, agency)
    returns_services.submit_update(update, by=lead, expected_version=1)
    with pytest.raises(ValidationError):
        returns_services.return_update(
            update, by=secretariat_user, comment="  ", expected_version=update.version
        )
    returns_services.return_update(
        update, by=secretariat_user, comment="Add the Q3 numbers.", expected_version=update.version
    )
    assert (update.state, update.review_comment) == ("returned", "Add the Q3 numbers.")
    returns_services.change_update(
        update, data={"commentary": "Numbers added."}, by=lead, expected_version=3
    )
    returns_services.submit_update(update, by=lead, expected_version=4)
    returns_services.accept_update(update, by=secretariat_user, expected_version=update.version)
    update.refresh_from_db()
    assert (update.state, update.reviewed_by, update.version) == ("accepted", secretariat_user, 6)


def test_only_the_secretariat_reviews(action, agency, period, lead, viewer):
    update = start(lead, action, period, agency)
    returns_services.submit_update(update, by=lead, expected_version=1)
    for user in (lead, viewer):
        with pytest.raises(PermissionDenied):
            returns_services.accept_update(update, by=user, expected_version=update.version)
        with pytest.raises(PermissionDenied):
            returns_services.return_update(
                update, by=user, comment="No.", expected_version=update.version
            )


def test_only_a_submitted_update_is_accepted(action, agency, period, lead, secretariat_user):
    update = start(lead, action, period, agency)
    with pytest.raises(ValidationError):
        returns_services.accept_update(update, by=secretariat_user, expected_version=update.version)


def test_the_secretariat_opens_and_closes_periods(secretariat_user, lead):
    period = ReportingPeriodFactory(year=2027, quarter=1, state="upcoming")
    with pytest.raises(PermissionDenied):
        periods_services.open_period(period, by=lead)
    periods_services.open_period(period, by=secretariat_user, confirm_early=True)
    assert ReportingPeriod.objects.get(pk=period.pk).is_open
    with pytest.raises(ValidationError):
        periods_services.open_period(period, by=secretariat_user, confirm_early=True)
    periods_services.close_period(period, by=secretariat_user)
    assert ReportingPeriod.objects.get(pk=period.pk).is_closed


def test_indicator_readings_are_recorded_as_at_the_end_of_the_quarter(action, agency, period, lead):
    measure = SuccessMeasureFactory(action=action, indicator="Seizures", unit="kg")
    untracked = SuccessMeasureFactory(action=action)
    update = start(
        lead,
        action,
        period,
        agency,
        readings={measure.pk: {"value": Decimal("12.5"), "note": "Q3"}},
    )
    reading = IndicatorReading.objects.get(measure=measure)
    assert (reading.date, reading.value, reading.note, reading.recorded_by) == (
        datetime.date(2026, 9, 30),
        Decimal("12.5"),
        "Q3",
        lead,
    )
    assert reading.history.get().history_user == lead
    returns_services.change_update(
        update, data={"readings": {measure.pk: {"value": None}}}, by=lead, expected_version=1
    )
    assert IndicatorReading.objects.exists(), "an empty value never deletes a reading"
    returns_services.change_update(
        update,
        data={"readings": {measure.pk: {"value": None, "remove": True}}},
        by=lead,
        expected_version=2,
    )
    assert not IndicatorReading.objects.exists()
    with pytest.raises(ValidationError):
        returns_services.change_update(
            update, data={"readings": {untracked.pk: {"value": 1}}}, by=lead, expected_version=3
        )


def _secretariat():
    from django.contrib.auth.models import Group

    from agencies.roles import SECRETARIAT
    from tests.agencies.factories import UserFactory

    user = UserFactory(username="another.secretariat")
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    return user
