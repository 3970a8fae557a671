"""Counts of a thousand or more are printed grouped, as New Zealand writes them ("1,234"), on
the pages that count returns and lines."""

import pytest
from django.urls import reverse

from tests.reporting.scenes import led_in_bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(agency, action, period):
    """1,234 more actions ``agency`` (Customs) leads, in ``action``'s plan."""
    action.number = "0"
    action.save()
    led_in_bulk(action.plan, agency, 1234)
    return action.plan


def test_the_period_page_groups_its_counts(client_for, secretariat_user, period, many):
    page = client_for(secretariat_user).get(
        reverse("reporting:period_detail", kwargs={"code": period.code})
    )

    html = page.content.decode()
    assert '<a href="?">All returns</a>: 1,236</li>' in html
    assert '>1,236<span class="visually-hidden"> not started yet: show them' in html
    assert "Showing 1–100 of 1,236 returns" in html


def test_the_dashboard_groups_its_counts(client_for, secretariat_user, period, many):
    page = client_for(secretariat_user).get(reverse("reporting:dashboard", args=[many.slug]))

    html = page.content.decode()
    assert "1,235 reportable lines" in html
    assert '<span class="figure__value">1,235</span>' in html
