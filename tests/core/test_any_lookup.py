"""``field__any=[…]`` (``core.lookups.AnyOf``) finds what ``field__in=[…]`` finds: a page's ids
as one array parameter on PostgreSQL, whatever the values are given as."""

import pytest

from actions.models import ActionAgency
from agencies.models import Agency
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.agencies.factories import AgencyFactory


@pytest.fixture
def agencies(db):
    return [AgencyFactory(slug=f"agency-{n}", short_name=f"Agency {n}") for n in range(4)]


def test_a_list_of_ids_finds_the_records_in_it(agencies):
    wanted = [agencies[2].pk, agencies[0].pk]

    found = Agency.objects.filter(pk__any=wanted)

    assert set(found) == {agencies[0], agencies[2]} == set(Agency.objects.filter(pk__in=wanted))


def test_ids_given_otherwise_than_as_integers_are_read_as_the_numbers_they_are(agencies):
    given = [str(agencies[1].pk), float(agencies[2].pk)]

    assert set(Agency.objects.filter(pk__any=given)) == {agencies[1], agencies[2]}


def test_a_text_column_is_matched_on_its_values(agencies):
    assert set(Agency.objects.filter(slug__any={"agency-3", "agency-1"})) == {
        agencies[1],
        agencies[3],
    }


def test_a_foreign_key_is_matched_on_the_ids_it_holds(agencies):
    action = ActionFactory()
    coordination = ActionAgencyFactory(action=action, agency=agencies[1])
    ActionAgencyFactory(action=action, agency=agencies[2])

    found = ActionAgency.objects.filter(agency__any=(agencies[1].pk, agencies[3].pk))

    assert list(found) == [coordination]


def test_an_empty_list_finds_nothing(agencies):
    assert not Agency.objects.filter(pk__any=[]).exists()
