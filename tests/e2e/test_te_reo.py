"""In Chromium: an agency lead switches the interface to te reo Māori with the header's switch
and back; the page says which language it is in, shows the sourced Māori, keeps the rest in
English, shows agencies bilingually, and stays accessible (axe) in both languages."""

import pytest

from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.agencies.factories import AgencyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def test_a_lead_switches_to_te_reo_maori_and_back(page, live_server, check_a11y, lead):
    police = AgencyFactory(name="New Zealand Police", maori_name="Ngā Pirihimana o Aotearoa")
    action = ActionFactory(title="Cash wages in high-risk sectors")
    ActionAgencyFactory(action=action, agency=police)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(lead.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    switch = page.get_by_role("form", name="Language preference")
    assert page.locator("html").get_attribute("lang") == "en-nz"
    check_a11y(page, "te-reo-action-page-english")

    switch.get_by_role("button", name="Te reo Māori").click()

    page.wait_for_selector('html[lang="mi"]')
    switch = page.get_by_role("form", name="Te reo ka pīrangitia")
    assert switch.get_by_role("button", name="Te reo Māori").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("heading", name="Cash wages in high-risk sectors").is_visible()
    assert page.get_by_role("heading", name="Coordinating agencies").is_visible()  # no source
    maori_name = page.locator('.agency-name__mi[lang="mi"]', has_text="Ngā Pirihimana o Aotearoa")
    assert maori_name.is_visible()
    check_a11y(page, "te-reo-action-page-maori")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plans").click()
    assert page.locator("html").get_attribute("lang") == "mi"  # the choice is kept
    switch.get_by_role("button", name="English").click()
    page.wait_for_selector('html[lang="en-nz"]')
    assert page.get_by_role("form", name="Language preference").is_visible()


def test_a_reader_of_the_public_pages_switches_them_to_te_reo_maori(page, live_server, check_a11y):
    page.goto(f"{live_server.url}/public/")
    assert page.locator("html").get_attribute("lang") == "en-nz"
    switch = page.get_by_role("navigation", name="Language preference")
    check_a11y(page, "te-reo-public-english")

    switch.get_by_role("link", name="Te reo Māori").click()

    page.wait_for_selector('html[lang="mi"]')
    assert page.url == f"{live_server.url}/public/"
    switch = page.get_by_role("navigation", name="Te reo ka pīrangitia")
    assert switch.get_by_role("link", name="Te reo Māori").get_attribute("aria-current") == "true"
    check_a11y(page, "te-reo-public-maori")
    switch.get_by_role("link", name="English").click()
    page.wait_for_selector('html[lang="en-nz"]')
