"""The admin: every model listed, searched and edited; sub-actions, agencies and measures inline;
history readable but never reverted."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    Assumption,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
    StrategyItem,
    StrategyPriorityAction,
    StrategySection,
    SuccessMeasure,
    WorkProgrammeOverview,
)
from agencies.models import Agency, AgencyAlias, Membership
from agencies.services import grant_secretariat_admin
from tests.actions.factories import (
    ActionAgencyFactory,
    ActionFactory,
    ActionGroupFactory,
    ActionPlanFactory,
    FocusAreaFactory,
    IndicatorReadingFactory,
    PriorityAreaFactory,
    StrategyFactory,
)
from tests.agencies.factories import AgencyAliasFactory, AgencyFactory, MembershipFactory

PLAN_MODELS = [
    Strategy,
    StrategySection,
    StrategyItem,
    StrategyPriorityAction,
    WorkProgrammeOverview,
    Assumption,
    PriorityArea,
    FocusArea,
    ActionPlan,
    ActionGroup,
    Action,
    ActionAgency,
    ActionLink,
    SuccessMeasure,
    IndicatorReading,
    Agency,
    AgencyAlias,
    Membership,
]


@pytest.fixture
def plan_world(db):
    """One of everything the admin manages."""
    plan = ActionPlanFactory()
    group = ActionGroupFactory(plan=plan, title="First priority actions")
    action = ActionFactory(plan=plan, number="13", group=group, title="Laundering cash")
    ActionFactory(plan=plan, number="13a", parent=action, group=group)
    PriorityAreaFactory(strategy=plan.strategy, name="Unify")
    FocusAreaFactory(strategy=plan.strategy, name="Border")
    customs = AgencyFactory(name="New Zealand Customs Service", short_name="Customs")
    AgencyAliasFactory(agency=customs, name="NZCS")
    MembershipFactory(agency=customs)
    ActionAgencyFactory(action=action, agency=customs)
    IndicatorReadingFactory(measure__action=action)
    ActionLink.objects.create(action=action, earlier_action=ActionFactory(), kind="carries_on")
    section = StrategySection.objects.create(
        strategy=plan.strategy, kind="principles", heading="Our principles"
    )
    StrategyItem.objects.create(section=section, title="Prevention first", body="Prevent.")
    unify = PriorityArea.objects.get(strategy=plan.strategy, name="Unify")
    StrategyPriorityAction.objects.create(priority_area=unify, title="Establish a model")
    WorkProgrammeOverview.objects.create(
        strategy=plan.strategy, slug="overview", title="Overview", marking="IN CONFIDENCE"
    )
    Assumption.objects.create(record=plan, field="start_date", reason="dates not given")
    return action


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_actions_and_agencies_model_is_in_the_admin():
    actions_models = set(apps.get_app_config("actions").get_models())
    assert {m for m in actions_models if not m.__name__.startswith("Historical")} <= set(
        PLAN_MODELS
    )
    assert all(admin.site.is_registered(model) for model in PLAN_MODELS)


@pytest.mark.parametrize("model", PLAN_MODELS, ids=lambda model: model._meta.label)
def test_each_model_can_be_listed_searched_filtered_added_and_changed(
    admin_client, plan_world, model
):
    listing = admin_client.get(url(model, "changelist"), {"q": "a"})
    assert listing.status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 200
    if hasattr(model, "history"):
        assert admin_client.get(url(model, "history", obj.pk)).status_code == 200


def test_actions_are_filtered_by_plan_area_agency_and_kind(admin_client, plan_world):
    response = admin_client.get(
        url(Action, "changelist"),
        {"plan__id__exact": plan_world.plan_id, "kind": "sub_action"},
    )
    assert [a.number for a in response.context["cl"].result_list] == ["13a"]
    response = admin_client.get(url(Action, "changelist"), {"q": "Customs"})
    assert [a.number for a in response.context["cl"].result_list] == ["13"]


def test_an_agency_is_found_by_its_alias(admin_client, plan_world):
    response = admin_client.get(url(Agency, "changelist"), {"q": "NZCS"})
    assert [a.short_name for a in response.context["cl"].result_list] == ["Customs"]


def test_an_actions_page_has_its_agencies_measures_and_sub_actions_inline(admin_client, plan_world):
    page = admin_client.get(url(Action, "change", plan_world.pk)).content.decode()
    for heading in ("Coordinating agencies", "Success measures", "Sub-actions"):
        assert heading in page
    assert 'value="13a"' in page


def inline_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def change_form(action: Action, **fields) -> dict:
    """The change form of an action with no inline rows yet, plus ``fields``."""
    data = {
        "plan": action.plan_id,
        "kind": action.kind,
        "number": action.number,
        "parent": action.parent_id or "",
        "group": action.group_id or "",
        "title": action.title,
        "description": action.description,
        "resourcing": "",
        "timeframe": "Q1-Q2 2027",
        **inline_management("coordinators"),
        **inline_management("success_measures"),
        **inline_management("sub_actions"),
        **inline_management("links_to_earlier"),
    }
    data.update(fields)
    return data


def test_the_secretariat_sets_an_actions_priority_and_focus_areas(admin_client, db):
    plan = ActionPlanFactory()
    unify = PriorityAreaFactory(strategy=plan.strategy, name="Unify")
    border = FocusAreaFactory(strategy=plan.strategy, name="Border")
    action = ActionFactory(plan=plan, number="11")
    response = admin_client.post(
        url(Action, "change", action.pk),
        change_form(action, priority_areas=[unify.pk], focus_areas=[border.pk]),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert list(action.priority_areas.all()) == [unify]
    assert list(action.focus_areas.all()) == [border]
    assert action.ends_on == datetime.date(2027, 6, 30)


def test_areas_of_another_strategy_are_refused(admin_client, db):
    action = ActionFactory()
    elsewhere = PriorityAreaFactory(strategy=StrategyFactory())
    response = admin_client.post(
        url(Action, "add"), change_form(action, number="99", priority_areas=[elsewhere.pk])
    )
    assert response.status_code == 200
    assert f"Choose areas of the {action.plan.strategy}." in str(
        response.context["adminform"].form.errors
    )


def test_a_sub_action_added_inline_joins_its_parents_plan_and_group(admin_client, db):
    plan = ActionPlanFactory()
    parent = ActionFactory(plan=plan, number="14", group=ActionGroupFactory(plan=plan))
    data = change_form(
        parent,
        **inline_management("sub_actions", total=1),
        **{
            "sub_actions-0-kind": "action",
            "sub_actions-0-number": "14a",
            "sub_actions-0-title": "Placements",
        },
    )
    response = admin_client.post(url(Action, "change", parent.pk), data)
    assert response.status_code == 302
    sub_action = Action.objects.get(parent=parent)
    assert (sub_action.plan, sub_action.group, sub_action.number) == (
        parent.plan,
        parent.group,
        "14a",
    )


def test_a_sub_action_number_already_in_the_plan_is_an_error_not_a_crash(admin_client, db):
    parent = ActionFactory(number="14")
    ActionFactory(plan=parent.plan, number="15")
    data = change_form(
        parent,
        **inline_management("sub_actions", total=1),
        **{"sub_actions-0-number": "15", "sub_actions-0-title": "Clash"},
    )
    response = admin_client.post(url(Action, "change", parent.pk), data)
    assert response.status_code == 200
    assert "The plan already has an action with this number." in response.content.decode()


def test_history_can_be_viewed_but_not_reverted(admin_client, db):
    action = ActionFactory(title="Original")
    action.title = "Edited"
    action.save()
    original = action.history.earliest()
    history_url = reverse("admin:actions_action_simple_history", args=[action.pk, original.pk])
    page = admin_client.get(history_url)
    assert page.status_code == 200
    assert "Revert" not in page.content.decode()
    response = admin_client.post(history_url, change_form(action, title="Original"))
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Edited"


def test_the_secretariat_maintains_plans_in_the_admin_and_others_cannot(
    client_for, secretariat_user, lead, db
):
    grant_secretariat_admin()
    plan = ActionPlanFactory()
    unify = PriorityAreaFactory(strategy=plan.strategy, name="Unify")
    action = ActionFactory(plan=plan, number="1")
    for user in (secretariat_user, lead):
        user.is_staff = True
        user.save()

    client = client_for(secretariat_user)
    response = client.post(
        url(Action, "change", action.pk), change_form(action, priority_areas=[unify.pk])
    )
    assert response.status_code == 302
    assert list(action.priority_areas.all()) == [unify]
    assert client.get(url(Agency, "changelist")).status_code == 200

    assert client_for(lead).get(url(Action, "change", action.pk)).status_code == 403


def test_the_secretariat_confirms_an_assumption_and_the_history_keeps_who(
    admin_client, admin_user, plan_world
):
    assumption = Assumption.objects.get()
    response = admin_client.post(
        url(Assumption, "changelist"),
        {"action": "confirm", "_selected_action": [assumption.pk]},
    )
    assert response.status_code == 302
    assumption.refresh_from_db()
    assert assumption.status == "confirmed"
    assert assumption.resolved_by == admin_user
    assert assumption.resolved_at is not None
    assert [h.status for h in assumption.history.order_by("history_date")] == ["open", "confirmed"]
    assert assumption.record.open_assumptions() == []
