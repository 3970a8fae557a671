"""The shipped strategies and plans, spot-checked against the source documents."""

import datetime

import pytest

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    FocusArea,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)
from agencies.models import Agency

from .conftest import TNOC_PLAN, TSOC_PLAN


def coordinators(plan_slug: str, number: str) -> list[tuple[str, str]]:
    return list(
        ActionAgency.objects.filter(action__plan__slug=plan_slug, action__number=number)
        .order_by("order")
        .values_list("agency__slug", "role")
    )


# What is loaded ------------------------------------------------------------------------------


def test_both_strategies_and_plans_are_loaded_with_every_action(seeded):
    assert set(Strategy.objects.values_list("slug", flat=True)) == {"tnoc-2020-2025", "tsoc"}
    tnoc = ActionPlan.objects.get(slug=TNOC_PLAN)
    tsoc = ActionPlan.objects.get(slug=TSOC_PLAN)
    assert list(tnoc.actions.values_list("number", flat=True)) == [
        "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "5.1", "6.1", "7.1", "8.1"
    ]  # fmt: skip
    assert list(tsoc.actions.top_level().values_list("number", flat=True)) == [
        str(n) for n in range(1, 19)
    ]
    sub_actions = {
        parent: list(tsoc.actions.filter(parent__number=parent).values_list("number", flat=True))
        for parent in ("4", "13", "14")
    }
    assert sub_actions == {
        "4": ["4a", "4b", "4c"],
        "13": ["13a", "13b", "13c"],
        "14": ["14a", "14b", "14c", "14d"],
    }
    assert tsoc.actions.filter(parent__isnull=False, kind="action").count() == 10
    assert list(tsoc.actions.filter(kind="strand").values_list("number", "title")) == [
        ("1 strand 1", "Developing a Department or Agency"),
        ("1 strand 2", "Data and Information Sharing"),
    ]
    assert tsoc.actions.lines().count() == 26


def test_the_strategies_have_their_priority_and_focus_areas(seeded):
    def names(model, strategy):
        return list(model.objects.filter(strategy__slug=strategy).values_list("name", flat=True))

    assert names(PriorityArea, "tsoc") == ["Unify", "Prevent", "Detect", "Dismantle"]
    assert names(FocusArea, "tsoc") == ["International", "Border", "National", "Community"]
    assert names(PriorityArea, "tnoc-2020-2025") == ["Unify", "Prevent and Detect", "Dismantle"]
    assert names(FocusArea, "tnoc-2020-2025") == []


def test_agencies_the_source_names_coordinate_jointly_never_a_guessed_lead(seeded):
    # The 2026–2030 plan names "Coordinating Agency" only: nobody is made lead.
    assert coordinators(TSOC_PLAN, "13a") == [("mbie", "coordinating"), ("justice", "coordinating")]
    assert coordinators(TSOC_PLAN, "13b") == [
        ("inland-revenue", "coordinating"),
        ("mbie", "coordinating"),
    ]
    assert coordinators(TSOC_PLAN, "4a") == [
        ("transport", "coordinating"),
        ("maritime-nz", "coordinating"),
    ]
    assert coordinators(TSOC_PLAN, "4c") == [("justice", "coordinating")]
    assert coordinators(TSOC_PLAN, "4") == []
    assert not ActionAgency.objects.filter(action__plan__slug=TSOC_PLAN, role="lead").exists()


def test_sub_actions_without_agencies_of_their_own_are_coordinated_by_their_parents(seeded):
    for number in ("14a", "14b", "14c", "14d"):
        assert coordinators(TSOC_PLAN, number) == coordinators(TSOC_PLAN, "14")
        for coordinator in ActionAgency.objects.filter(
            action__plan__slug=TSOC_PLAN, action__number=number
        ):
            assert "for TSOC 14 as a whole" in coordinator.assumption_for("").reason
    assert coordinators(TSOC_PLAN, "14") == [
        ("corrections", "coordinating"),
        ("tsoc-department-agency", "coordinating"),
    ]


def test_agencies_named_differently_in_the_source_resolve_to_one_agency(seeded):
    # Action 3 names "the New Zealand Defence Force"; 16 "Ministry of Foreign Affairs".
    assert coordinators(TSOC_PLAN, "3") == [
        ("customs", "coordinating"),
        ("gcsb", "coordinating"),
        ("nzdf", "coordinating"),
    ]
    assert ("mfat", "coordinating") in coordinators(TSOC_PLAN, "16")
    assert Agency.objects.count() == 23


def test_an_action_with_two_strands_keeps_each_strands_agencies_and_measures(seeded):
    developing, sharing = "Developing a Department or Agency", "Data and Information Sharing"
    assert coordinators(TSOC_PLAN, "1") == []  # the source gives them per strand
    assert coordinators(TSOC_PLAN, "1 strand 1") == [
        ("customs", "coordinating"),
        ("police", "coordinating"),
    ]
    assert coordinators(TSOC_PLAN, "1 strand 2") == [("tsoc-department-agency", "coordinating")]
    strands = Action.objects.filter(plan__slug=TSOC_PLAN, parent__number="1").order_by("sort_key")
    assert [(s.kind, s.title, s.success_measures.count()) for s in strands] == [
        ("strand", developing, 1),
        ("strand", sharing, 2),
    ]
    assert not SuccessMeasure.objects.filter(action__plan__slug=TSOC_PLAN, action__number="1")


def test_action_text_is_faithful_to_the_source(seeded):
    tnoc_24 = Action.objects.get(plan__slug=TNOC_PLAN, number="2.4")
    assert tnoc_24.description == (
        "Amendments to the Criminal Recovery (Proceeds) Act 2009 to improve recovery of assets, "
        "s.9(2)(b) OIA"
    )
    assert tnoc_24.resourcing == "Justice / Police Policy"
    tsoc_17 = Action.objects.get(plan__slug=TSOC_PLAN, number="17")
    assert tsoc_17.success_measures.first().statement.endswith(
        'by assisting law enforcement agencies to "follow the money" in financial investigations.'
    )
    tsoc_14b = Action.objects.get(plan__slug=TSOC_PLAN, number="14b")
    assert tsoc_14b.title == (
        "A sector resource to deliver training to frontline staff, with a focus on preventing "
        "manipulation and corruption."
    )
    assert tsoc_14b.description == ""  # the plan has one text per action: it is the title


@pytest.mark.parametrize(
    ("number", "text", "starts_on", "ends_on", "ongoing"),
    [
        ("1.1", "Q1-Q2 2020", datetime.date(2020, 1, 1), datetime.date(2020, 6, 30), False),
        ("2.4", "Q2-Q4 2020", datetime.date(2020, 4, 1), datetime.date(2020, 12, 31), False),
        ("3.1", "2021", datetime.date(2021, 1, 1), datetime.date(2021, 12, 31), False),
        ("4.1", "Ongoing", None, None, True),
        ("8.1", "2020/21", datetime.date(2020, 7, 1), datetime.date(2021, 6, 30), False),
    ],
)
def test_tnoc_timeframes_are_kept_as_written_and_dated(
    seeded, number, text, starts_on, ends_on, ongoing
):
    action = Action.objects.get(plan__slug=TNOC_PLAN, number=number)
    assert (action.timeframe, action.starts_on, action.ends_on) == (text, starts_on, ends_on)
    assert action.is_ongoing is ongoing
    assert not action.timeframe_unparsed


def test_tsoc_4c_carries_on_tnoc_2_4(seeded):
    link = ActionLink.objects.get(action__plan__slug=TSOC_PLAN, action__number="4c")
    assert (link.earlier_action.plan.slug, link.earlier_action.number) == (TNOC_PLAN, "2.4")
    assert link.kind == ActionLink.Kind.CARRIES_ON


def test_tsoc_tags_are_set_only_where_the_text_justifies_them(seeded):
    """The source's priority/focus icons were lost; untagged actions stay untagged."""
    untagged = Action.objects.filter(
        plan__slug=TSOC_PLAN, priority_areas__isnull=True, focus_areas__isnull=True
    )
    assert {"7", "8", "9", "10", "12", "13", "14", "17", "18"} <= set(
        untagged.values_list("number", flat=True)
    )
    border = Action.objects.filter(plan__slug=TSOC_PLAN, focus_areas__slug="border")
    assert set(border.values_list("number", flat=True)) == {"4a", "11"}


def test_groups_are_in_source_order_and_tnoc_actions_take_their_areas_priority(seeded):
    tsoc_groups = ActionGroup.objects.filter(plan__slug=TSOC_PLAN).order_by("order")
    assert [str(group) for group in tsoc_groups] == [
        "First priority actions",
        "Dedicated and accountable oversight",
        "Building resilience at the local level",
        "Addressing methamphetimine-related harm",
        "Second priority actions",
    ]
    tnoc_51 = Action.objects.get(plan__slug=TNOC_PLAN, number="5.1")
    assert str(tnoc_51.group) == "5. Create a system view"
    assert list(tnoc_51.priority_areas.values_list("slug", flat=True)) == ["prevent-and-detect"]
