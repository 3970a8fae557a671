"""A return takes only sound data: numbers typed as text and read on the server, the submit rule,
the status–per cent rule, the limits on text, and plain messages. Nothing stored changes when a
save is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from actions.models import IndicatorReading
from reporting.models import StatusUpdate
from reporting.returns import services
from tests.actions.factories import SuccessMeasureFactory
from tests.reporting.test_return_pages import filled, form_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(action):
    return SuccessMeasureFactory(action=action, indicator="Operations", unit="count")


def reading(measure, agency, value, note=""):
    return IndicatorReading.objects.create(
        measure=measure, date=datetime.date(2026, 9, 30), agency=agency, value=value, note=note
    )


def started(lead, action, period, agency, **data):
    data = {"status": "on_track", "percent_complete": 30, "commentary": "Done.", **data}
    return services.start_update(action, period, agency, data=data, by=lead)


def errors_of(response):
    return {name: list(errs) for name, errs in response.context["form"].errors.items()}


# Numbers that never blank ---------------------------------------------------------------------


def test_an_unreadable_reading_comes_back_with_a_message_and_the_stored_one_stays(
    client_for, lead, agency, action, period, measure
):
    update = started(lead, action, period, agency)
    reading(measure, agency, Decimal("7.00"))
    response = client_for(lead).post(
        form_url(action, agency, period),
        filled(version=update.version, **{f"reading_{measure.pk}_value": "lots"}),
    )
    assert response.status_code == 200
    assert errors_of(response)[f"reading_{measure.pk}_value"] == [
        "Enter Operations as a number, like 12 or 12.5. “lots” is not a number."
    ]
    assert 'value="lots"' in response.content.decode()
    assert IndicatorReading.objects.get(measure=measure).value == Decimal("7.00")
    assert StatusUpdate.objects.get(pk=update.pk).version == update.version


def test_an_empty_reading_field_keeps_the_stored_reading(
    client_for, lead, agency, action, period, measure
):
    update = started(lead, action, period, agency)
    reading(measure, agency, Decimal("7.00"), note="Counted by hand")
    client_for(lead).post(
        form_url(action, agency, period),
        filled(version=update.version, **{f"reading_{measure.pk}_value": ""}),
    )
    kept = IndicatorReading.objects.get(measure=measure)
    assert (kept.value, kept.note) == (Decimal("7.00"), "Counted by hand")


def test_a_reading_is_removed_only_by_its_remove_choice(
    client_for, lead, agency, action, period, measure
):
    update = started(lead, action, period, agency)
    reading(measure, agency, Decimal("7.00"))
    page = client_for(lead).get(form_url(action, agency, period)).content.decode()
    assert "Remove this reading" in page
    client_for(lead).post(
        form_url(action, agency, period),
        filled(
            version=update.version,
            **{f"reading_{measure.pk}_value": "7", f"reading_{measure.pk}_remove": "on"},
        ),
    )
    assert not IndicatorReading.objects.filter(measure=measure).exists()


def test_per_cent_that_is_not_a_whole_number_comes_back_with_a_message(
    client_for, lead, agency, action, period
):
    for typed in ("abc", "40.5", "101", "-3"):
        response = client_for(lead).post(
            form_url(action, agency, period), filled(percent_complete=typed)
        )
        assert errors_of(response)["percent_complete"] == [
            "Enter per cent complete as a whole number from 0 to 100, like 40."
        ], typed
        assert f'value="{typed}"' in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_numbers_are_text_fields_the_phone_shows_a_number_pad_for(
    client_for, lead, agency, action, period, measure
):
    page = client_for(lead).get(form_url(action, agency, period)).content.decode()
    assert 'name="percent_complete"' in page and 'inputmode="numeric"' in page
    assert 'inputmode="decimal"' in page
    assert 'type="number"' not in page


def test_a_reading_typed_with_a_thousands_separator_is_read(
    client_for, lead, agency, action, period, measure
):
    client_for(lead).post(
        form_url(action, agency, period), filled(**{f"reading_{measure.pk}_value": "1,234.5"})
    )
    assert IndicatorReading.objects.get(measure=measure, agency=agency).value == Decimal("1234.5")


# Complete and consistent --------------------------------------------------------------------


def test_a_return_with_nothing_in_it_is_not_submitted(client_for, lead, agency, action, period):
    response = client_for(lead).post(
        form_url(action, agency, period),
        filled(percent_complete="", commentary="   \n  ", next_steps="", intent="submit"),
    )
    assert errors_of(response) == {
        "percent_complete": [
            "Enter per cent complete as a whole number from 0 to 100 before submitting."
        ],
        "commentary": [
            "Write the progress commentary before submitting: what was done this quarter and "
            "what it achieved."
        ],
    }
    assert not StatusUpdate.objects.exists()


def test_a_draft_may_be_partial(client_for, lead, agency, action, period):
    client_for(lead).post(
        form_url(action, agency, period), filled(percent_complete="", commentary="")
    )
    assert StatusUpdate.objects.get().state == "draft"


def test_the_service_refuses_to_submit_an_incomplete_return(lead, agency, action, period):
    update = started(lead, action, period, agency, percent_complete=None, commentary=" ")
    with pytest.raises(ValidationError) as refused:
        services.submit_update(update, by=lead, expected_version=update.version)
    assert set(refused.value.message_dict) == {"percent_complete", "commentary"}
    assert StatusUpdate.objects.get(pk=update.pk).state == "draft"


@pytest.mark.parametrize(
    ("status", "percent", "field", "message"),
    [
        (
            "complete",
            "20",
            "percent_complete",
            "A complete action is 100 per cent done, not 20. Enter 100, or choose the status "
            "that fits.",
        ),
        (
            "not_started",
            "80",
            "percent_complete",
            "An action that has not started is 0 per cent done, not 80. Enter 0, or choose the "
            "status that fits.",
        ),
        (
            "on_track",
            "100",
            "status",
            "The action is 100 per cent done, so its status is “Complete”. Choose “Complete”, or "
            "enter the per cent that is done.",
        ),
    ],
)
def test_status_and_per_cent_must_agree(
    client_for, lead, agency, action, period, status, percent, field, message
):
    response = client_for(lead).post(
        form_url(action, agency, period), filled(status=status, percent_complete=percent)
    )
    assert errors_of(response) == {field: [message]}
    assert not StatusUpdate.objects.exists()


def test_status_and_per_cent_that_agree_are_saved(client_for, lead, agency, action, period):
    for status, percent in (("complete", "100"), ("not_started", "0"), ("at_risk", "0")):
        StatusUpdate.objects.all().delete()
        client_for(lead).post(
            form_url(action, agency, period), filled(status=status, percent_complete=percent)
        )
        assert StatusUpdate.objects.get().status == status


def test_the_api_path_gets_the_same_rule(lead, agency, action, period):
    with pytest.raises(ValidationError) as refused:
        started(lead, action, period, agency, status="complete", percent_complete=20)
    assert list(refused.value.message_dict) == ["percent_complete"]


# Limits ---------------------------------------------------------------------------------------


@override_settings(RETURN_COMMENTARY_MAX_CHARS=50)
def test_commentary_over_its_limit_is_refused_with_the_count(
    client_for, lead, agency, action, period
):
    response = client_for(lead).post(form_url(action, agency, period), filled(commentary="x" * 62))
    assert errors_of(response)["commentary"] == [
        "Progress commentary is 62 characters long; it can be at most 50. Shorten it by 12 "
        "characters."
    ]
    assert not StatusUpdate.objects.exists()


def test_the_limit_is_shown_before_it_bites(client_for, lead, agency, action, period):
    page = client_for(lead).get(form_url(action, agency, period)).content.decode()
    assert "You can enter up to 4,000 characters." in page
    assert 'data-maxlength="4000"' in page


def test_line_breaks_count_once_as_the_browser_counts_them(
    client_for, lead, agency, action, period
):
    with override_settings(RETURN_COMMENTARY_MAX_CHARS=3):
        client_for(lead).post(form_url(action, agency, period), filled(commentary="a\r\nb"))
    assert StatusUpdate.objects.get().commentary == "a\nb"


def test_a_hundred_thousand_characters_never_reach_the_api_path(lead, agency, action, period):
    with pytest.raises(ValidationError) as refused:
        started(lead, action, period, agency, commentary="x" * 100_000)
    assert refused.value.message_dict["commentary"] == [
        "Progress commentary is 100,000 characters long; it can be at most 4,000. Shorten it by "
        "96,000 characters."
    ]


# Plain messages -------------------------------------------------------------------------------


def test_an_unknown_status_says_what_to_do(client_for, lead, agency, action, period):
    response = client_for(lead).post(form_url(action, agency, period), filled(status="great"))
    assert errors_of(response)["status"] == ["Choose one of the statuses listed."]


def test_no_default_django_wording_on_the_return_form(client_for, lead, agency, action, period):
    response = client_for(lead).post(
        form_url(action, agency, period),
        filled(status="", percent_complete="1000", commentary="x" * 5000),
    )
    page = response.content.decode()
    for default in ("Ensure this value", "Select a valid choice", "This field is required"):
        assert default not in page
    assert set(errors_of(response)) == {"status", "percent_complete", "commentary"}


def test_a_supporting_agencys_form_loads_only_its_own_reading(
    client_for, lead, other_lead, agency, other_agency, action, period, measure
):
    reading(measure, agency, Decimal("9.00"), note="Customs' count")
    form = client_for(other_lead).get(form_url(action, other_agency, period)).context["form"]
    assert form[f"reading_{measure.pk}_value"].value() in (None, "")
    assert f"reading_{measure.pk}_remove" not in form.fields


def test_the_measures_history_names_each_readings_agency_person_and_return(
    client_for, lead, agency, action, period, measure
):
    started(lead, action, period, agency, readings={measure.pk: {"value": Decimal(9)}})
    page = client_for(lead).get(action.get_absolute_url()).content.decode()
    who = lead.get_full_name() or lead.username
    assert f"Customs, {who}, in its return for the quarter to 30 Sep 2026" in page
    trail = client_for(lead).get(action.get_absolute_url() + "?history=all").content.decode()
    assert "Customs&#x27;s indicator reading as at 30 Sep 2026" in trail
