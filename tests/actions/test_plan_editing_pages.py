"""The plan editing pages: what the secretariat sees and sends, what everyone else is refused,
and that a stale or mistaken form loses nothing."""

import pytest

from actions.models import Action, ActionAgency
from reporting.models import StatusUpdate
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db

EDIT = "/plans/tsoc-test-plan/edit/"


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def action_form(action, **changes) -> dict:
    data = {
        "number": action.number,
        "title": action.title,
        "short_title": action.short_title,
        "description": action.description,
        "resourcing": action.resourcing,
        "timeframe": action.timeframe,
        "group": "",
        "version": str(action.version),
    }
    return data | changes


def test_the_secretariat_changes_an_actions_title_and_reads_how_its_timeframe_reads(
    setup, client_for, secretariat_user
):
    client = client_for(secretariat_user)
    action = setup.actions["1"]

    response = client.post(
        f"{EDIT}actions/1/",
        action_form(action, title="Harden every port", timeframe="Q2-Q4 2020"),
        follow=True,
    )

    assert response.status_code == 200
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.timeframe, stored.version) == (
        "Harden every port",
        "Q2-Q4 2020",
        2,
    )
    assert "Reads as 1 April – 31 December 2020." in response.content.decode()
    assert stored.history.first().history_user == secretariat_user


def test_a_timeframe_the_product_cannot_read_is_kept_as_written_and_said_so(
    setup, client_for, secretariat_user
):
    client = client_for(secretariat_user)

    response = client.post(
        f"{EDIT}actions/1/", action_form(setup.actions["1"], timeframe="mid 2021"), follow=True
    )

    assert Action.objects.get(pk=setup.actions["1"].pk).timeframe == "mid 2021"
    assert "Dates not understood: kept as written." in response.content.decode()


def test_the_timeframe_preview_answers_as_one_types(setup, client_for, secretariat_user):
    response = client_for(secretariat_user).get(f"{EDIT}timeframe/", {"text": "2026/27"})

    assert response.json() == {"reading": "Reads as 1 July 2026 – 30 June 2027."}


def test_a_stale_form_is_a_conflict_naming_who_changed_it_and_keeps_what_was_typed(
    setup, client_for, secretariat_user, django_user_model
):
    colleague = django_user_model.objects.create(
        username="pat.secretariat", first_name="Pat", last_name="Rangi"
    )
    colleague.groups.set(secretariat_user.groups.all())
    action = setup.actions["1"]
    form = action_form(action, title="My title")
    client_for(colleague).post(f"{EDIT}actions/1/", action_form(action, title="Their title"))

    response = client_for(secretariat_user).post(f"{EDIT}actions/1/", form)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Pat Rangi changed it" in page
    assert 'value="My title"' in page
    assert Action.objects.get(pk=action.pk).title == "Their title"


def test_an_empty_title_is_an_error_that_keeps_the_rest_of_the_form(
    setup, client_for, secretariat_user
):
    response = client_for(secretariat_user).post(
        f"{EDIT}actions/1/", action_form(setup.actions["1"], title="", timeframe="2027")
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'value="2027"' in page
    assert Action.objects.get(pk=setup.actions["1"].pk).timeframe == ""


def test_a_form_that_leaves_a_field_out_does_not_empty_it(setup, client_for, secretariat_user):
    action = setup.actions["1"]
    form = action_form(action, title="Shorter")
    del form["description"]

    client_for(secretariat_user).post(f"{EDIT}actions/1/", form)

    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.description) == ("Shorter", "Do the thing.")
    assert list(stored.priority_areas.all()) == list(action.priority_areas.all())


def test_tags_are_set_on_the_action_form_when_its_checkboxes_were_shown(
    setup, client_for, secretariat_user
):
    action = setup.actions["1"]  # Prevent and Border
    form = action_form(action) | {"priority_areas-shown": "1", "focus_areas-shown": "1"}

    client_for(secretariat_user).post(f"{EDIT}actions/1/", form)

    assert not action.priority_areas.exists() and not action.focus_areas.exists()


def test_the_secretariat_designates_a_lead_on_a_jointly_coordinated_line(
    setup, client_for, secretariat_user, agency
):
    client = client_for(secretariat_user)
    page = client.get(f"{EDIT}actions/3a/").content.decode()
    assert "coordinating agencies share this sub-action jointly" in page
    customs = setup.actions["3a"].coordinators.get(agency=agency)

    response = client.post(
        f"{EDIT}actions/3a/agencies/{customs.pk}/lead/", {"version": "1"}, follow=True
    )

    customs.refresh_from_db()
    assert customs.role == ActionAgency.Role.LEAD
    assert "Lead, designated by the secretariat on " in response.content.decode()
    assert "Designate Customs as lead" not in response.content.decode()


def test_removing_an_action_with_returns_is_refused_with_the_reason(
    setup, client_for, secretariat_user
):
    returns = StatusUpdate.objects.count()

    response = client_for(secretariat_user).post(f"{EDIT}actions/3a/remove/", {"version": "1"})

    assert response.status_code == 409
    assert "be removed: it would take 3 status updates" in response.content.decode()
    assert StatusUpdate.objects.count() == returns


def test_a_removed_action_sends_the_secretariat_back_to_its_plan(
    setup, client_for, secretariat_user
):
    extra = Action.objects.create(plan=setup.plan, number="99", title="A mistaken action")

    response = client_for(secretariat_user).post(
        f"{EDIT}actions/99/remove/", {"version": str(extra.version)}
    )

    assert (response.status_code, response.url) == (302, EDIT)
    assert not Action.objects.filter(pk=extra.pk).exists()


def test_the_bulk_grid_tags_several_actions_in_one_save(setup, client_for, secretariat_user):
    client = client_for(secretariat_user)
    strategy = setup.plan.strategy
    prevent = strategy.priority_areas.get(slug="prevent")
    community = strategy.focus_areas.get(slug="community")
    page = client.get(f"{EDIT}tags/").content.decode()
    assert "Tag TSOC 3b with Prevent" in page
    data = {f"version-{a.pk}": "1" for a in setup.actions.values()}
    for number in ("2", "3", "3b"):
        data[f"tags-{setup.actions[number].pk}"] = [f"p{prevent.pk}", f"f{community.pk}"]

    response = client.post(f"{EDIT}tags/", data, follow=True)

    assert "Tags saved: TSOC 1, TSOC 2, TSOC 3, TSOC 3a, TSOC 3b changed." in (
        response.content.decode()
    )  # 1 and 3a lost their ticks: the grid sent none for them
    for number in ("2", "3", "3b"):
        action = setup.actions[number]
        assert list(action.priority_areas.all()) == [prevent]
        assert list(action.focus_areas.all()) == [community]


def test_a_new_action_and_a_strand_of_it(setup, client_for, secretariat_user, other_agency):
    client = client_for(secretariat_user)

    client.post(f"{EDIT}actions/new/", {"number": "4", "title": "Disrupt supply chains"})
    client.post(
        f"{EDIT}actions/new/?parent=4&kind=strand",
        {"number": "4 strand 1", "title": "Chemical precursors"},
    )
    client.post(
        f"{EDIT}actions/4 strand 1/agencies/",
        {"agency-agency": other_agency.pk, "agency-role": "coordinating", "agency-version": "1"},
    )

    strand = Action.objects.get(plan=setup.plan, number="4 strand 1")
    assert strand.kind == "strand" and strand.parent.number == "4"
    assert list(strand.agencies.all()) == [other_agency]


def test_a_success_measure_with_a_numeric_indicator(setup, client_for, secretariat_user):
    client = client_for(secretariat_user)

    client.post(
        f"{EDIT}actions/1/measures/new/",
        {
            "statement": "More cash seized at the border",
            "indicator": "Cash seized",
            "unit": "$m",
            "baseline": "1.5",
            "baseline_date": "2026-06-30",
            "target": "3",
            "target_date": "2030-06-30",
            "direction": "increase",
        },
    )
    page = client.get(f"{EDIT}actions/1/").content.decode()

    assert "Cash seized ($m)" in page
    assert "1.50 at 30 June 2026" in page
    assert "3 by 30 June 2030" in page
    assert "Higher is better" in page


@pytest.mark.parametrize(("person", "status"), [("lead", 403), ("viewer", 403), ("outsider", 404)])
def test_everyone_but_the_secretariat_is_refused_and_nothing_changes(
    request, setup, client_for, person, status
):
    client = client_for(request.getfixturevalue(person))
    assert client.get(f"{EDIT}actions/1/").status_code == status

    response = client.post(f"{EDIT}actions/1/", action_form(setup.actions["1"], title="No"))

    assert response.status_code == status
    assert Action.objects.get(pk=setup.actions["1"].pk).title.startswith("Harden")


def test_the_menu_offers_edit_plans_to_the_secretariat_only(
    setup, client_for, secretariat_user, lead
):
    assert "Edit plans" in client_for(secretariat_user).get("/plans/").content.decode()
    assert "Edit plans" not in client_for(lead).get("/plans/").content.decode()


def test_designating_a_lead_from_a_stale_page_is_a_conflict_naming_who_changed_it(
    setup, client_for, secretariat_user, django_user_model, agency
):
    colleague = django_user_model.objects.create(
        username="pat.secretariat", first_name="Pat", last_name="Rangi"
    )
    colleague.groups.set(secretariat_user.groups.all())
    line = setup.actions["3a"]
    client_for(colleague).post(f"{EDIT}actions/3a/", action_form(line, title="Maritime reform"))
    customs = line.coordinators.get(agency=agency)

    response = client_for(secretariat_user).post(
        f"{EDIT}actions/3a/agencies/{customs.pk}/lead/", {"version": "1"}
    )

    assert response.status_code == 409
    assert "Pat Rangi changed it" in response.content.decode()
    customs.refresh_from_db()
    assert customs.role == ActionAgency.Role.COORDINATING


def test_a_supporting_agency_is_not_designated_lead_and_the_page_says_why(
    setup, client_for, secretariat_user, agency
):
    supporting = setup.actions["2"].coordinators.get(agency=agency)

    response = client_for(secretariat_user).post(
        f"{EDIT}actions/2/agencies/{supporting.pk}/lead/", {"version": "1"}
    )

    assert response.status_code == 409
    assert "Customs can&#x27;t be designated lead" in response.content.decode()
    supporting.refresh_from_db()
    assert supporting.role == ActionAgency.Role.SUPPORTING


def test_adding_an_agency_from_a_stale_page_is_a_conflict_and_adds_nothing(
    setup, client_for, secretariat_user, django_user_model, other_agency
):
    colleague = django_user_model.objects.create(
        username="pat.secretariat", first_name="Pat", last_name="Rangi"
    )
    colleague.groups.set(secretariat_user.groups.all())
    action = setup.actions["1"]
    shown_at = action.version
    client_for(colleague).post(f"{EDIT}actions/1/", action_form(action, title="Every port"))

    response = client_for(secretariat_user).post(
        f"{EDIT}actions/1/agencies/",
        {
            "agency-agency": other_agency.pk,
            "agency-role": "supporting",
            "agency-version": str(shown_at),
        },
    )

    assert response.status_code == 409
    assert "Pat Rangi changed it" in response.content.decode()
    assert not action.coordinators.filter(agency=other_agency).exists()
