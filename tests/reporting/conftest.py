import pytest

from tests.reporting.scenes import open_period, shared_action


@pytest.fixture
def period(db):
    """Q3 2026, open, and due ten days from today."""
    return open_period()


@pytest.fixture
def action(agency, other_agency):
    """Led by ``agency`` (Customs), supported by ``other_agency`` (Police)."""
    return shared_action(agency, other_agency, title="Disrupt cash smuggling at the border")
