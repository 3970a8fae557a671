"""Counts of a thousand or more are printed grouped, as New Zealand writes them ("1,234"), on
the pages that count returns and lines."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
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


def test_the_packs_governance_counts_are_grouped():
    governance = {
        "risks": {
            "live_count": 1234,
            "overdue_reviews": 1001,
            "heat_map": [],
            "top": [],
            "changes": [],
            "since": "2026-09-30",
        },
        "dependencies": {"count": 2345, "on_off_track": []},
    }

    risks = render_to_string(
        "reporting/reports/pdf/_governance_risks.html", {"governance": governance}
    )
    dependencies = render_to_string(
        "reporting/reports/pdf/_governance_dependencies.html", {"governance": governance}
    )

    assert "1,234 open or treated risks on the register; 1,001 overdue for review." in risks
    assert "2,345 actions depend on an off-track action." in dependencies


def test_the_people_list_groups_its_count(client_for, secretariat_user):
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"person{n}", email=f"p{n}@example.govt.nz") for n in range(1234)
    )

    page = client_for(secretariat_user).get(reverse("people:list"))

    assert re.search(r"<caption>1,2\d\d people</caption>", page.content.decode())
