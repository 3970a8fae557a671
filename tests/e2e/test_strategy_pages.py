"""In Chromium: a viewer reaches a strategy from the menu and reads it (checked with axe), the
overview's marking at its top and bottom."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def test_a_viewer_reads_the_tnoc_strategy_from_the_menu(page, live_server, check_a11y, viewer):
    call_command("load_plans", stdout=io.StringIO())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(viewer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Strategies").click()
    page.get_by_role("link", name="Transnational Organised Crime in New Zealand").click()

    assert page.get_by_role("heading", name="Our strategic focus areas").is_visible()
    assert page.get_by_role("heading", name="Enhance international support").is_visible()
    assert page.locator(".overview .marking").all_inner_texts() == ["IN CONFIDENCE"] * 2
    check_a11y(page, "strategy-tnoc")
    page.goto(f"{live_server.url}/strategies/tsoc/")
    assert page.get_by_role("heading", name="Te Ao Māori principles").is_visible()
    assert page.get_by_text("Assumption:").first.is_visible()
    check_a11y(page, "strategy-tsoc")
