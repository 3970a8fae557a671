"""The period's returns counted by state (the period review's summary, My actions' tally) are
asked of the database once while nothing changes, and change at once with any write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.returns.obligations import count_by_state
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def test_the_states_are_counted_once_while_nothing_changes(setup):
    first = count_by_state(setup.period)
    with CaptureQueriesContext(connection) as again:
        assert count_by_state(setup.period) == first
    assert len(again) == 0
    assert (first["submitted"], first["accepted"], first["draft"], first["to_start"]) == (
        3,
        1,
        1,
        1,
    )


def test_a_draft_submitted_moves_from_one_state_to_the_other_at_once(setup, secretariat_user):
    count_by_state(setup.period)
    draft = setup.updates[("3b", "police", setup.period.code)]
    draft.state = draft.State.SUBMITTED
    draft.save_if_unchanged(draft.version, by=secretariat_user, reason="Submitted")
    counts = count_by_state(setup.period)
    assert (counts["draft"], counts["submitted"]) == (0, 4)


def test_a_new_line_is_counted_to_start_at_once(setup, agency):
    count_by_state(setup.period)
    new = ActionFactory(plan=setup.plan, number="4", title="A new line")
    ActionAgencyFactory(action=new, agency=agency, role="coordinating")
    assert count_by_state(setup.period)["to_start"] == 2


def test_each_agency_has_its_own_count(setup, agency, other_agency):
    assert count_by_state(setup.period, agencies=[agency])["submitted"] == 2
    assert count_by_state(setup.period, agencies=[other_agency])["submitted"] == 1
