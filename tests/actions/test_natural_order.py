"""Actions sort as people number them: 2 before 10, 13 before 13a before 14."""

import random

from hypothesis import given
from hypothesis import strategies as st

from actions.models import Action, natural_sort_key
from tests.actions.factories import ActionFactory, ActionPlanFactory


def test_numbers_sort_by_their_value_not_their_text():
    numbers = ["10", "2", "13a", "1", "14", "13", "13c", "13b", "4a"]
    assert sorted(numbers, key=natural_sort_key) == [
        "1", "2", "4a", "10", "13", "13a", "13b", "13c", "14"
    ]  # fmt: skip


def test_dotted_numbers_sort_part_by_part():
    numbers = ["1.10", "2.1", "1.2", "1.1", "10.1"]
    assert sorted(numbers, key=natural_sort_key) == ["1.1", "1.2", "1.10", "2.1", "10.1"]


def test_sort_key_ignores_case_and_surrounding_space():
    assert natural_sort_key(" 13A ") == natural_sort_key("13a")


@given(st.integers(0, 999_999), st.integers(0, 999_999))
def test_whole_numbers_sort_like_integers(a, b):
    assert (natural_sort_key(str(a)) < natural_sort_key(str(b))) == (a < b)


@given(st.integers(1, 9999), st.text(alphabet="abcdefgh", min_size=1, max_size=2))
def test_a_lettered_sub_action_sorts_after_its_action_and_before_the_next(number, letters):
    key = natural_sort_key(f"{number}{letters}")
    assert natural_sort_key(str(number)) < key < natural_sort_key(str(number + 1))


def test_actions_come_out_of_the_database_in_natural_order(db):
    plan = ActionPlanFactory()
    numbers = ["1", "2", "3", "4", "4a", "4b", "9", "10", "11", "13", "13a", "13c", "14", "100"]
    for number in random.Random(7).sample(numbers, len(numbers)):
        ActionFactory(plan=plan, number=number)
    assert list(Action.objects.filter(plan=plan).values_list("number", flat=True)) == numbers


def test_renumbering_an_action_moves_it(db):
    plan = ActionPlanFactory()
    ActionFactory(plan=plan, number="2")
    moved = ActionFactory(plan=plan, number="3")
    moved.number = "10"
    moved.save()
    assert list(plan.actions.values_list("number", flat=True)) == ["2", "10"]
