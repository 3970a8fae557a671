"""The plan editing services: the secretariat's changes are version-checked and recorded with
who made them; removals that would take returns or readings with them are refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.editing import services
from actions.editing.services import RemovalRefused, StaleEditError
from actions.models import Action, ActionAgency, ActionGroup, ActionLink, ActionPlan
from reporting.models import StatusUpdate
from tests.actions.factories import (
    ActionFactory,
    ActionGroupFactory,
    IndicatorReadingFactory,
    SuccessMeasureFactory,
)
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def test_a_change_is_saved_as_the_next_version_with_who_made_it(setup, secretariat_user):
    action = setup.actions["1"]

    changed = services.change_action(
        action, {"title": "Harden every port"}, by=secretariat_user, expected_version=1
    )

    stored = Action.objects.get(pk=action.pk)
    assert changed == ["title"]
    assert (stored.title, stored.version) == ("Harden every port", 2)
    latest = stored.history.first()
    assert latest.history_user == secretariat_user
    assert latest.history_change_reason == "changed title"


def test_a_stale_change_is_refused_naming_who_changed_it_and_keeps_theirs(
    setup, secretariat_user, django_user_model
):
    colleague = django_user_model.objects.create(username="pat.secretariat")
    colleague.groups.set(secretariat_user.groups.all())
    action = setup.actions["1"]
    services.change_action(action, {"title": "Theirs"}, by=colleague, expected_version=1)

    with pytest.raises(StaleEditError) as stale:
        services.change_action(
            Action.objects.get(pk=action.pk),
            {"title": "Mine"},
            by=secretariat_user,
            expected_version=1,
        )

    assert stale.value.changed_by == colleague
    assert Action.objects.get(pk=action.pk).title == "Theirs"


def test_a_field_the_form_did_not_send_keeps_its_stored_text(setup, secretariat_user):
    action = setup.actions["1"]

    services.change_action(action, {"title": "New title"}, by=secretariat_user, expected_version=1)

    assert Action.objects.get(pk=action.pk).description == "Do the thing."


def test_only_the_secretariat_changes_plans(setup, lead, viewer):
    for person in (lead, viewer):
        with pytest.raises(PermissionDenied):
            services.change_action(
                setup.actions["1"], {"title": "No"}, by=person, expected_version=1
            )
    assert Action.objects.get(pk=setup.actions["1"].pk).title.startswith("Harden")


def test_editable_by_is_every_plan_for_the_secretariat_and_none_for_others(
    setup, secretariat_user, lead, viewer, outsider
):
    assert list(ActionPlan.objects.editable_by(secretariat_user)) == [setup.plan]
    for person in (lead, viewer, outsider):
        assert not ActionPlan.objects.editable_by(person).exists()


def test_designating_a_lead_on_a_jointly_coordinated_line_is_recorded(
    setup, secretariat_user, agency
):
    line = setup.actions["3a"]  # Customs and Police coordinate it jointly
    customs = line.coordinators.get(agency=agency)

    services.designate_lead(customs, by=secretariat_user, expected_version=line.version)

    customs.refresh_from_db()
    assert customs.role == ActionAgency.Role.LEAD
    assert customs.designated_by == secretariat_user
    assert customs.role_label.startswith("Lead, designated by the secretariat on ")
    assert list(ActionAgency.objects.filter(action=line).responsible()) == [customs]
    assert customs.history.first().history_user == secretariat_user
    assert Action.objects.get(pk=line.pk).history.first().history_change_reason == (
        "Customs designated lead"
    )


def test_a_lead_shows_as_lead_in_its_role_choice_and_keeping_it_changes_nothing(
    client, setup, secretariat_user, agency
):
    line = setup.actions["3a"]
    customs = line.coordinators.get(agency=agency)
    services.designate_lead(customs, by=secretariat_user, expected_version=line.version)
    line.refresh_from_db()
    client.force_login(secretariat_user)
    page = client.get(f"/plans/{line.plan.slug}/edit/actions/{line.number}/").content.decode()
    assert '<option value="lead" selected>Lead (designated)</option>' in page

    services.change_role(customs, "lead", by=secretariat_user, expected_version=line.version)

    customs.refresh_from_db()
    assert (customs.role, customs.designated_by) == ("lead", secretariat_user)


def test_designating_a_lead_from_a_stale_page_changes_nothing(setup, secretariat_user, agency):
    line = setup.actions["3a"]
    services.change_action(line, {"title": "Maritime law reform"}, by=secretariat_user,
                           expected_version=1)  # fmt: skip

    with pytest.raises(StaleEditError):
        services.designate_lead(
            line.coordinators.get(agency=agency), by=secretariat_user, expected_version=1
        )

    assert not line.coordinators.filter(role=ActionAgency.Role.LEAD).exists()


def test_an_action_with_returns_is_not_removed(setup, secretariat_user):
    parent = setup.actions["3"]  # its sub-actions have returns
    returns = StatusUpdate.objects.count()

    with pytest.raises(
        RemovalRefused, match=r"TSOC 3 can't be removed: it would take 4 status updates"
    ):
        services.remove_action(parent, by=secretariat_user, expected_version=1)

    assert Action.objects.filter(pk=parent.pk).exists()
    assert StatusUpdate.objects.count() == returns


def test_an_action_nothing_refers_to_is_removed_with_its_own_parts(setup, secretariat_user):
    action = ActionFactory(plan=setup.plan, number="9")
    SuccessMeasureFactory(action=action)
    strand = ActionFactory(plan=setup.plan, parent=action, kind="strand", number="9 strand 1")
    removed = [action.pk, strand.pk]

    services.remove_action(action, by=secretariat_user, expected_version=1)

    assert not Action.objects.filter(pk__in=removed).exists()
    for pk in removed:
        assert Action.history.get(id=pk, history_type="-").history_user == secretariat_user


def test_an_agency_with_returns_on_a_line_is_not_removed_from_it(setup, secretariat_user, agency):
    line = setup.actions["3a"]

    with pytest.raises(RemovalRefused, match="2 returns on it"):
        services.remove_coordinator(
            line.coordinators.get(agency=agency), by=secretariat_user, expected_version=1
        )

    assert line.coordinators.filter(agency=agency).exists()


def test_a_heading_with_actions_under_it_is_not_removed(setup, secretariat_user):
    group = ActionGroupFactory(plan=setup.plan, title="Border")
    Action.objects.filter(pk=setup.actions["1"].pk).update(group=group)

    with pytest.raises(RemovalRefused, match="1 action sit"):
        services.remove_group(group, by=secretariat_user, expected_version=1)

    assert Action.objects.get(pk=setup.actions["1"].pk).group == group


def test_headings_move_up_and_down_among_their_neighbours(setup, secretariat_user):
    first, second, third = (ActionGroupFactory(plan=setup.plan, order=i) for i in range(3))

    services.move_group(third, -1, by=secretariat_user, expected_version=1)

    assert list(setup.plan.groups.order_by("order")) == [first, third, second]


def test_bulk_tagging_saves_every_changed_action_or_none(setup, secretariat_user):
    prevent = setup.plan.strategy.priority_areas.get(slug="prevent")
    border = setup.plan.strategy.focus_areas.get(slug="border")
    one, two, three = setup.actions["1"], setup.actions["2"], setup.actions["3b"]
    wanted = {one.pk: {prevent, border}, two.pk: {prevent}, three.pk: {border}}

    services.change_action(three, {"title": "Changed meanwhile"}, by=secretariat_user,
                           expected_version=1)  # fmt: skip
    with pytest.raises(StaleEditError):
        services.tag_in_bulk(setup.plan, wanted, {one.pk: 1, two.pk: 1, three.pk: 1},
                             by=secretariat_user)  # fmt: skip
    assert list(two.priority_areas.all()) == [setup.plan.strategy.priority_areas.get(slug="detect")]

    changed = services.tag_in_bulk(
        setup.plan, wanted, {one.pk: 1, two.pk: 1, three.pk: 2}, by=secretariat_user
    )

    assert changed == [two, three]  # 1 already carried both
    assert set(two.priority_areas.all()) == {prevent}
    assert set(three.focus_areas.all()) == {border}
    assert Action.objects.get(pk=two.pk).version == 2


def test_tags_come_from_the_plans_own_strategy(setup, secretariat_user):
    from tests.actions.factories import PriorityAreaFactory

    elsewhere = PriorityAreaFactory()

    with pytest.raises(ValidationError):
        services.change_action(
            setup.actions["1"], {"priority_areas": [elsewhere]}, by=secretariat_user,
            expected_version=1,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("Q2-Q4 2020", "Reads as 1 April – 31 December 2020."),
        ("2026/27", "Reads as 1 July 2026 – 30 June 2027."),
        ("Ongoing from 2021", "Reads as ongoing from 1 January 2021."),
        ("Ongoing", "Reads as ongoing, with no dates."),
        ("", "No timeframe given."),
        ("mid 2021", "Dates not understood: kept as written."),
    ],
)
def test_a_timeframe_reads_as_the_product_understands_it(text, reading):
    assert services.timeframe_reading(text) == reading


def test_an_indicator_needs_what_is_counted_and_dates_in_order(setup, secretariat_user):
    action = setup.actions["1"]
    with pytest.raises(ValidationError) as unnamed:
        services.add_measure(action, {"statement": "More seizures", "baseline": Decimal(3)},
                             by=secretariat_user)  # fmt: skip
    assert "indicator" in unnamed.value.error_dict
    with pytest.raises(ValidationError) as backwards:
        services.add_measure(
            action,
            {
                "statement": "More seizures",
                "indicator": "Seizures",
                "baseline": Decimal(3),
                "baseline_date": datetime.date(2026, 6, 30),
                "target": Decimal(10),
                "target_date": datetime.date(2025, 6, 30),
            },
            by=secretariat_user,
        )
    assert "target_date" in backwards.value.error_dict

    measure = services.add_measure(
        action,
        {
            "statement": "More seizures",
            "indicator": "Seizures",
            "unit": "seizures",
            "baseline": Decimal(3),
            "baseline_date": datetime.date(2026, 6, 30),
            "target": Decimal(10),
            "target_date": datetime.date(2030, 6, 30),
            "direction": "increase",
        },
        by=secretariat_user,
    )
    assert measure.get_direction_display() == "Higher is better"
    assert measure.history.first().history_user == secretariat_user


def test_a_measure_with_readings_is_not_removed(setup, secretariat_user):
    reading = IndicatorReadingFactory(measure__action=setup.actions["1"])

    with pytest.raises(RemovalRefused, match="it would take 1 indicator reading with it"):
        services.remove_measure(reading.measure, by=secretariat_user, expected_version=1)

    assert type(reading.measure).objects.filter(pk=reading.measure.pk).exists()


def test_the_next_revision_copies_the_plan_and_links_each_action_to_its_original(
    setup, secretariat_user, agency
):
    services.designate_lead(
        setup.actions["3a"].coordinators.get(agency=agency), by=secretariat_user,
        expected_version=1,
    )  # fmt: skip
    data = services.default_revision(setup.plan) | {"slug": "tsoc-next", "code": "TSOC2"}

    revision = services.create_revision(setup.plan, data, by=secretariat_user)

    assert revision.strategy == setup.plan.strategy
    assert revision.start_date == setup.plan.end_date + datetime.timedelta(days=1)
    copied = {a.number: a for a in revision.actions.all()}
    assert sorted(copied) == ["1", "2", "3", "3a", "3b"]
    assert copied["3a"].parent == copied["3"]
    assert copied["3a"].coordinators.get(agency=agency).role == ActionAgency.Role.LEAD
    assert set(copied["1"].priority_areas.all()) == set(setup.actions["1"].priority_areas.all())
    link = ActionLink.objects.get(action=copied["1"])
    assert (link.earlier_action, link.kind) == (setup.actions["1"], ActionLink.Kind.CARRIES_ON)
    assert StatusUpdate.objects.filter(action__plan=revision).count() == 0
    assert revision.history.first().history_user == secretariat_user


def test_a_link_goes_to_an_earlier_plan_not_the_same_one(setup, secretariat_user):
    with pytest.raises(ValidationError):
        services.link_to_earlier(
            setup.actions["1"], setup.actions["2"], "carries_on", "", by=secretariat_user,
            expected_version=1,
        )  # fmt: skip
    earlier_plan = ActionPlan.objects.create(
        strategy=setup.plan.strategy,
        slug="earlier",
        code="OLD",
        title="Earlier",
        short_title="Earlier",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 12, 31),
    )
    earlier = ActionFactory(plan=earlier_plan, number="4")

    link = services.link_to_earlier(
        setup.actions["1"], earlier, "merges", "Folded in", by=secretariat_user,
        expected_version=1,
    )  # fmt: skip

    assert str(link) == "1 merges OLD 4: Action " + earlier.title.removeprefix("Action ")
    assert Action.objects.get(pk=setup.actions["1"].pk).version == 2


def test_a_new_group_heading_goes_last(setup, secretariat_user):
    ActionGroupFactory(plan=setup.plan, order=4)

    group = services.add_group(setup.plan, {"title": "Prevent", "number": "2"}, by=secretariat_user)

    assert group.order == 5
    assert ActionGroup.history.get(id=group.pk).history_user == secretariat_user
