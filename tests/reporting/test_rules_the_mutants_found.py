"""Rules `make mutate` found untested (docs/testing.md): each test here but the last failed
against the surviving mutant its comment names."""

import itertools

import pytest
from django.urls import reverse

from actions.models import ActionAgency
from reporting.models import ReportingPeriod, StatusUpdate, Withholding
from tests.reporting.factories import ReportingPeriodFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def as_draft(update: StatusUpdate) -> StatusUpdate:
    StatusUpdate.objects.filter(pk=update.pk).update(state=StatusUpdate.State.DRAFT)
    update.refresh_from_db()
    return update


def test_a_lead_cannot_edit_another_agencys_update_on_an_action_both_lead(setup, lead):
    # _coordinated_as without the agency: Customs co-leads 3a with Police.
    police_draft = as_draft(setup.updates[("3a", "police", "2026-Q3")])

    assert not StatusUpdate.objects.editable_by(lead).filter(pk=police_draft.pk).exists()
    assert not StatusUpdate.objects.submittable_by(lead).filter(pk=police_draft.pk).exists()


def test_an_agency_no_longer_coordinating_an_action_cannot_edit_its_old_draft(setup, lead):
    # _coordinated_as without the action: Customs still coordinates other actions.
    draft = as_draft(setup.updates[("1", "customs", "2026-Q3")])
    ActionAgency.objects.filter(action=draft.action, agency=draft.agency).delete()

    assert not StatusUpdate.objects.editable_by(lead).filter(pk=draft.pk).exists()
    assert not StatusUpdate.objects.submittable_by(lead).filter(pk=draft.pk).exists()


def test_a_submitted_update_in_a_closed_period_is_not_offered_for_review(
    setup, secretariat_user, client_for
):
    # in_reviewable_state without the open period.
    update = setup.updates[("1", "customs", "2026-Q3")]
    ReportingPeriod.objects.filter(pk=setup.period.pk).update(state="closed")

    assert not StatusUpdate.objects.reviewable_by(secretariat_user).filter(pk=update.pk).exists()
    page = client_for(secretariat_user).get(
        reverse("reporting:update_detail", kwargs={"pk": update.pk})
    )
    assert 'value="accept"' not in page.content.decode()


def test_the_current_period_is_the_latest_open_one_across_years(db):
    # current() ordered by quarter alone would pick 2026 Q4 over 2027 Q1.
    ReportingPeriodFactory(year=2026, quarter=4, state=ReportingPeriod.State.OPEN)
    later = ReportingPeriodFactory(year=2027, quarter=1, state=ReportingPeriod.State.OPEN)

    assert ReportingPeriod.objects.current() == later


def test_a_withholding_names_the_update_it_withholds_from(setup):
    # Withholding.__str__ with `action and update`: the admin's audit lists would say "None".
    update = setup.updates[("3a", "customs", "2026-Q3")]
    withholding = Withholding.objects.create(update=update, field="commentary", ground="6(c)")

    assert str(update) in str(withholding)
    assert "None" not in str(withholding)


def test_the_current_period_is_the_latest_open_quarter_of_a_year(db):
    # current() ordered by year alone survives this: the unique (year, quarter) index hands the
    # rows back in quarter order anyway (docs/testing.md). Kept for the rule, in every order.
    for order in itertools.permutations([1, 2, 3]):
        for quarter in order:
            ReportingPeriodFactory(year=2026, quarter=quarter, state=ReportingPeriod.State.OPEN)

        assert ReportingPeriod.objects.current().quarter == 3, order
        ReportingPeriod.objects.all().delete()
