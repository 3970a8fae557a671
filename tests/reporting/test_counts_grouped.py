"""Counts of a thousand or more are printed grouped, as New Zealand writes them ("1,234"), on
the pages that count returns and lines."""

import re
from pathlib import Path

import pytest
from django.conf import settings
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

    assert re.search(r"<caption>Showing 1–50 of 1,2\d\d people</caption>", page.content.decode())


# Counts no programme takes past a few hundred: days before or after a due date, and a person's
# recovery codes (ten at most).
NEVER_A_THOUSAND = {"days_left", "days_late", "codes_left"}
SENTENCE = re.compile(r"\{% blocktranslate (.*?)%\}(.*?)\{% endblocktranslate %\}", re.S)


def ungrouped_counts(template: str) -> list[str]:
    """The counts a template's sentences print without their thousands separator: a plural's
    count printed as it is, or a ``with`` value that is a length without ``intcomma``."""
    found = []
    for arguments, body in SENTENCE.findall(template):
        count = re.search(r"\bcount (\w+)=(\S+)", arguments)
        if (
            count
            and count.group(2) not in NEVER_A_THOUSAND
            and f"{{{{ {count.group(1)} }}}}" in body
        ):
            found.append(count.group(2))
        values = arguments.replace(count.group(0), "") if count else arguments
        found += re.findall(r"\b\w+=(\S+\|length)(?=\s|$)", values)
    return found


def test_every_count_a_sentence_prints_is_grouped():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.*")

    ungrouped = {
        str(path): counts for path in templates if (counts := ungrouped_counts(path.read_text()))
    }

    assert ungrouped == {}
