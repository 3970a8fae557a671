"""A page offers only the actions the person can take: "Edit this update" to the agency people
who may change it, the Accept / Return form to the secretariat while it is submitted, "Submit"
to the agency's lead. Written out role by role, not derived from the rules, so a page that
offers more (or less) than the rule allows fails here."""

import pytest
from django.urls import reverse

from reporting.models import StatusUpdate
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db
CAST = ["secretariat_user", "viewer", "lead", "contributor", "other_lead"]
EDIT = "Edit this update"
REVIEW = 'value="accept"'


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


@pytest.fixture
def customs_draft(setup):
    update = setup.updates[("1", "customs", "2026-Q3")]
    StatusUpdate.objects.filter(pk=update.pk).update(state=StatusUpdate.State.DRAFT)
    return update


def page(client, update):
    return client.get(reverse("reporting:update_detail", kwargs={"pk": update.pk}))


# Who is offered what on Customs' draft on TSOC 1 (Police doesn't coordinate TSOC 1).
ON_A_CUSTOMS_DRAFT = {
    "secretariat_user": set(),
    "viewer": set(),
    "lead": {EDIT},
    "contributor": {EDIT},
    "other_lead": None,  # can't see it
}
# And on Customs' submitted return on TSOC 3a.
ON_A_SUBMITTED_RETURN = {
    "secretariat_user": {REVIEW},
    "viewer": set(),
    "lead": set(),
    "contributor": set(),
    "other_lead": set(),  # Police co-leads 3a: it reads Customs' return, and changes nothing
}


def offered(response) -> set[str] | None:
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    text = response.content.decode()
    return {choice for choice in (EDIT, REVIEW) if choice in text}


@pytest.mark.parametrize("role", CAST)
def test_a_draft_offers_edit_only_to_its_agencys_people(client_for, request, customs_draft, role):
    response = page(client_for(request.getfixturevalue(role)), customs_draft)

    assert offered(response) == ON_A_CUSTOMS_DRAFT[role]


@pytest.mark.parametrize("role", CAST)
def test_a_submitted_return_offers_accept_and_return_only_to_the_secretariat(
    client_for, request, setup, role
):
    update = setup.updates[("3a", "customs", "2026-Q3")]

    response = page(client_for(request.getfixturevalue(role)), update)

    assert offered(response) == ON_A_SUBMITTED_RETURN[role]


@pytest.mark.parametrize(("role", "may_submit"), [("lead", True), ("contributor", False)])
def test_the_return_form_offers_submit_only_to_the_agencys_lead(
    client_for, request, setup, customs_draft, role, may_submit
):
    url = reverse(
        "reporting:update_form",
        kwargs={"period": "2026-Q3", "plan": setup.plan.slug, "number": "1", "agency": "customs"},
    )

    text = client_for(request.getfixturevalue(role)).get(url).content.decode()

    assert ('value="submit"' in text) is may_submit
    assert ("A lead of" in text) is not may_submit
