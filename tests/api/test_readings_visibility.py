"""The indicator-readings API follows the reference-data rule with readings actually there:
readings on actions of two agencies, each led by one, are read by everyone with a role and by
nobody without one (the outside run found a fixture with no readings let the rule go)."""

import pytest

from tests.actions.factories import IndicatorReadingFactory, SuccessMeasureFactory
from tests.api.helpers import assert_error, results

pytestmark = pytest.mark.django_db
READINGS = "/api/v1/indicator-readings/"
ROLES_WITH_ACCESS = ["secretariat_user", "viewer", "lead", "contributor", "other_lead"]


@pytest.fixture
def readings(world):
    """One reading on Customs' TSOC 1, one on Police's TSOC 2."""
    customs = IndicatorReadingFactory(measure=world["one"].success_measures.get(), value=4)
    police = IndicatorReadingFactory(
        measure=SuccessMeasureFactory(action=world["two"], indicator="Seizures"), value=9
    )
    return {"customs": customs, "police": police}


@pytest.mark.parametrize("role", ROLES_WITH_ACCESS)
def test_everyone_with_a_role_reads_both_agencies_readings(api_as, readings, request, role):
    client = api_as(request.getfixturevalue(role))

    ids = {row["id"] for row in results(client.get(READINGS))}

    assert ids == {readings["customs"].pk, readings["police"].pk}
    for reading in readings.values():
        assert client.get(f"{READINGS}{reading.pk}/").status_code == 200


def test_someone_without_a_role_reads_no_reading(api_as, readings, outsider):
    client = api_as(outsider)

    assert results(client.get(READINGS)) == []
    for reading in readings.values():
        assert_error(client.get(f"{READINGS}{reading.pk}/"), 404, "not_found")


def test_the_csv_of_readings_follows_the_same_rule(api_as, readings, outsider, viewer):
    assert str(readings["police"].value) in api_as(viewer).get(f"{READINGS}?format=csv").text
    assert api_as(outsider).get(f"{READINGS}?format=csv").text.count("\n") <= 1
