"""Marking text as withheld from proactive release, and releasing it again."""

import pytest
from django.urls import reverse

from reporting.models import Withholding
from tests.actions.factories import SuccessMeasureFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def page_url(setup):
    return reverse("reporting:withholdings", kwargs={"plan": setup.plan.slug})


def test_the_secretariat_withholds_an_agencys_update_commentary(
    setup, secretariat_user, client_for, agency
):
    response = client_for(secretariat_user).post(
        page_url(setup) + "?period=2026-Q3",
        {
            "action": setup.actions["3a"].pk,
            "field": "commentary",
            "agency": agency.pk,
            "ground": "9(2)(b)(ii)",
            "marking": "SENSITIVE",
            "note": "Commercially sensitive supplier detail.",
        },
    )

    assert response.status_code == 302
    withholding = Withholding.objects.get()
    assert withholding.update == setup.updates[("3a", "customs", "2026-Q3")]
    assert withholding.action is None and withholding.created_by == secretariat_user
    assert withholding.placeholder == "[withheld under s 9(2)(b)(ii)]"


def test_an_action_field_is_withheld_without_an_agency(setup, secretariat_user, client_for):
    setup.actions["1"].resourcing = "$4.2m from the Proceeds of Crime Fund"
    setup.actions["1"].save()

    client_for(secretariat_user).post(
        page_url(setup),
        {
            "action": setup.actions["1"].pk,
            "field": "resourcing",
            "ground": "9(2)(f)(iv)",
            "marking": "IN CONFIDENCE",
        },
    )

    assert Withholding.objects.get().action == setup.actions["1"]


def test_errors_are_shown_next_to_the_field_and_in_a_summary(setup, secretariat_user, client_for):
    response = client_for(secretariat_user).post(
        page_url(setup),
        {
            "action": setup.actions["1"].pk,
            "field": "risks",
            "ground": "6(c)",
            "marking": "IN CONFIDENCE",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Choose the agency whose update it is." in page
    assert response.context["form"].errors == {"agency": ["Choose the agency whose update it is."]}
    assert not Withholding.objects.exists()


def test_an_update_that_does_not_exist_cannot_be_withheld(
    setup, secretariat_user, client_for, agency
):
    response = client_for(secretariat_user).post(
        page_url(setup),
        {
            "action": setup.actions["2"].pk,
            "field": "update",
            "agency": agency.pk,
            "ground": "6(c)",
            "marking": "IN CONFIDENCE",
        },
    )

    assert response.status_code == 400
    assert "Customs has no update on 2 for Q1 2026/27." in response.content.decode()


def test_the_same_text_is_withheld_once(setup, secretariat_user, client_for):
    Withholding.objects.create(action=setup.actions["1"], field="description", ground="6(a)")

    response = client_for(secretariat_user).post(
        page_url(setup),
        {
            "action": setup.actions["1"].pk,
            "field": "description",
            "ground": "6(c)",
            "marking": "IN CONFIDENCE",
        },
    )

    assert response.status_code == 400
    assert "This is already withheld." in response.content.decode()
    assert Withholding.objects.count() == 1


def test_releasing_puts_the_text_back(setup, secretariat_user, client_for):
    withholding = Withholding.objects.create(
        action=setup.actions["1"], field="description", ground="6(a)"
    )

    response = client_for(secretariat_user).post(
        reverse("reporting:withholding_release", kwargs={"pk": withholding.pk}),
        {"period": "2026-Q3"},
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(setup) + "?period=2026-Q3"
    assert not Withholding.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "lead", "outsider"])
def test_only_the_secretariat_withholds(who, setup, client_for, request):
    client = client_for(request.getfixturevalue(who))

    assert client.get(page_url(setup)).status_code == 403
    assert (
        client.post(
            page_url(setup),
            {"action": setup.actions["1"].pk, "field": "description", "ground": "6(a)"},
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "number, field",
    [("1", "title"), ("2", "agencies"), ("3", "action"), ("3a", "title"), ("1", "measures")],
)
def test_any_part_of_an_action_sub_action_or_strand_is_withheld(
    number, field, setup, secretariat_user, client_for
):
    SuccessMeasureFactory(action=setup.actions["1"], indicator="Seizures")

    response = client_for(secretariat_user).post(
        page_url(setup),
        {
            "action": setup.actions[number].pk,
            "field": field,
            "ground": "6(a)",
            "marking": "IN CONFIDENCE",
        },
    )

    assert response.status_code == 302
    withholding = Withholding.objects.get()
    assert (withholding.action, withholding.field, withholding.update) == (
        setup.actions[number],
        field,
        None,
    )


@pytest.mark.parametrize(
    "field, error",
    [
        ("agencies", "3 has no coordinating agencies to withhold."),
        ("measures", "3 has no success measures to withhold."),
    ],
)
def test_a_part_the_action_does_not_have_is_not_withheld(
    field, error, setup, secretariat_user, client_for
):
    response = client_for(secretariat_user).post(
        page_url(setup),
        {
            "action": setup.actions["3"].pk,
            "field": field,
            "ground": "6(a)",
            "marking": "IN CONFIDENCE",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"field": [error]}
    assert not Withholding.objects.exists()


def test_the_form_offers_the_actions_parts_and_the_updates_texts_in_two_groups(
    setup, secretariat_user, client_for
):
    form = client_for(secretariat_user).get(page_url(setup)).context["form"]

    groups = {
        label: [value for value, _ in options]
        for label, options in form.fields["field"].choices[1:]
    }
    assert groups == {
        "The action, sub-action or strand": [
            "action",
            "title",
            "description",
            "resourcing",
            "agencies",
            "measures",
        ],
        "An agency's update on it this quarter": ["update", "commentary", "risks", "next_steps"],
    }


def test_a_sub_actions_content_is_marked_as_high_as_its_whole_action_withheld(setup):
    Withholding.objects.create(
        action=setup.actions["3"], field="action", ground="6(a)", marking="SENSITIVE"
    )

    assert Withholding.objects.marking_of(actions=[setup.actions["3a"]]) == "SENSITIVE"
    assert Withholding.objects.marking_of(actions=[setup.actions["1"]]) == "IN CONFIDENCE"
