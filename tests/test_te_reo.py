"""The interface in te reo Māori: every page answers in English (en-nz) or te reo Māori (mi),
chosen by the browser's Accept-Language or the header's switch; ``<html lang>`` follows it; the
mi catalogue translates only what a government source gives (each entry names its source, and
docs/te-reo.md lists them); everything else stays in English; the compiled .mo is the .po."""

import datetime
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from reporting.models import ReportingPeriod

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "mi" / "LC_MESSAGES"
DOC = Path(settings.BASE_DIR) / "docs" / "te-reo.md"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_a_page_asked_for_in_maori_is_marked_mi_and_shows_the_sourced_translation(lead, client_for):
    page = client_for(lead).get(reverse("actions:strategy_list"), HTTP_ACCEPT_LANGUAGE="mi")

    assert html_lang(page) == "mi"
    assert "Te reo ka pīrangitia" in page.content.decode()
    assert "Language preference" not in page.content.decode()


def test_strings_without_a_sourced_translation_stay_in_english_on_a_maori_page(lead, client_for):
    page = client_for(lead).get(reverse("actions:strategy_list"), HTTP_ACCEPT_LANGUAGE="mi")

    text = page.content.decode()
    for english in ("My actions", "Dashboard", "Strategies", "Sign out", "Search"):
        assert english in text


def test_english_is_the_default_language(lead, client_for):
    page = client_for(lead).get(reverse("actions:strategy_list"))

    assert html_lang(page) == "en-nz"
    assert "Language preference" in page.content.decode()


def test_the_header_switch_names_each_language_in_itself_and_says_which_is_chosen(lead, client_for):
    text = (
        client_for(lead)
        .get(reverse("actions:strategy_list"), HTTP_ACCEPT_LANGUAGE="mi")
        .content.decode()
    )

    english = re.search(r'<button[^>]*value="en-nz"[^>]*>English</button>', text).group(0)
    maori = re.search(r'<button[^>]*value="mi"[^>]*>Te reo Māori</button>', text).group(0)
    assert 'lang="en-nz"' in english and 'aria-pressed="false"' in english
    assert 'lang="mi"' in maori and 'aria-pressed="true"' in maori


def test_the_switch_keeps_the_chosen_language_for_later_pages(lead, client_for):
    client = client_for(lead)
    strategies = reverse("actions:strategy_list")

    switched = client.post(reverse("set_language"), {"language": "mi", "next": strategies})

    assert switched.status_code == 302 and switched["Location"] == strategies
    assert html_lang(client.get(reverse("actions:plan_list"))) == "mi"
    client.post(reverse("set_language"), {"language": "en-nz", "next": strategies})
    assert html_lang(client.get(reverse("actions:plan_list"))) == "en-nz"


def test_anyone_may_switch_language_before_signing_in(client):
    login = reverse("login")

    switched = client.post(reverse("set_language"), {"language": "mi", "next": login})

    assert switched["Location"] == login
    page = client.get(login)
    assert html_lang(page) == "mi" and "Te reo ka pīrangitia" in page.content.decode()


def test_the_switch_sends_nobody_to_another_site(client):
    switched = client.post(
        reverse("set_language"), {"language": "mi", "next": "https://elsewhere.example/"}
    )

    assert switched["Location"] == "/"


def test_a_language_the_tracker_does_not_offer_is_not_taken(lead, client_for):
    client = client_for(lead)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    assert html_lang(client.get(reverse("actions:plan_list"))) == "en-nz"


def catalogue_entries() -> list[dict]:
    """Each entry of the mi .po: its comment lines, msgid and msgstr (continuations joined)."""
    entries = []
    for block in CATALOGUE.joinpath("django.po").read_text(encoding="utf-8").split("\n\n"):
        entry = {"comments": [], "msgid": "", "msgstr": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                entry["comments"].append(line)
            elif line.startswith(("msgid ", "msgstr ")):
                key, _, value = line.partition(" ")
                entry[key] = value.strip('"')
            elif line.startswith('"') and key:
                entry[key] += line.strip('"')
        entries.append(entry)
    return entries


def test_every_maori_translation_names_a_government_source_listed_for_review():
    listed = DOC.read_text(encoding="utf-8")
    translated = [e for e in catalogue_entries() if e["msgid"] and e["msgstr"]]

    assert translated, "the mi catalogue translates nothing"
    for entry in translated:
        sources = re.findall(
            r"https?://\S+?(?=[\s)\"]|$)", " ".join(c for c in entry["comments"] if c[:2] == "# ")
        )
        assert any("Source:" in c for c in entry["comments"]), entry["msgid"]
        assert sources, f"{entry['msgid']!r}: no source address"
        assert all(source in listed for source in sources), entry["msgid"]
        assert entry["msgstr"] in listed, f"{entry['msgstr']!r} is not in docs/te-reo.md"


def test_a_source_is_named_only_beside_the_translation_it_is_for():
    # gettext keeps comments when it empties a guessed translation: a source left beside an
    # English-only string would tell a translator it had been checked.
    sourced = [e for e in catalogue_entries() if any("Source:" in c for c in e["comments"])]

    assert sourced and all(e["msgstr"] for e in sourced), [
        e["msgid"] for e in sourced if not e["msgstr"]
    ]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_compiled_catalogue_is_the_committed_source(tmp_path, domain):
    assert shutil.which("msgfmt"), "msgfmt is GNU gettext's: apt-get install gettext"
    fresh = tmp_path / f"{domain}.mo"
    source = CATALOGUE / f"{domain}.po"
    subprocess.run(["msgfmt", "--check-format", "-o", fresh, source], check=True)

    with open(fresh, "rb") as new, open(CATALOGUE / f"{domain}.mo", "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(new)._catalog
        ), "run `make messages` and commit locale/mi/LC_MESSAGES/django.mo"


def test_every_kia_ora_in_an_html_email_is_marked_as_maori():
    emails = Path(settings.BASE_DIR) / "templates" / "reporting" / "email"
    for template in emails.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert text.count("Kia ora") == text.count('<span lang="mi">Kia ora</span>'), template


def test_a_maori_page_names_the_month_in_maori_and_spells_it_out_in_short_dates():
    day = datetime.date(2026, 12, 1)

    with translation.override("mi"):
        assert date_format(day) == "1 Hakihea 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "1 Hakihea 2026"
        assert date_format(datetime.date(2027, 1, 4)) == "4 Kohi-tātea 2027"
    with translation.override("en-nz"):
        assert date_format(day) == "1 December 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "1 Dec 2026"


def test_every_month_has_its_maori_name():
    with translation.override("mi"):
        names = [date_format(datetime.date(2026, month, 1), "F") for month in range(1, 13)]

    assert names == [
        "Kohi-tātea", "Hui-tanguru", "Poutū-te-rangi", "Paenga-whāwhā", "Haratua", "Pipiri",
        "Hōngongoi", "Here-turi-kōkā", "Mahuru", "Whiringa-ā-nuku", "Whiringa-ā-rangi", "Hakihea",
    ]  # fmt: skip


def test_the_navigation_shows_its_sourced_maori_words_on_a_maori_page(secretariat_user, client_for):
    text = (
        client_for(secretariat_user)
        .get(reverse("actions:strategy_list"), HTTP_ACCEPT_LANGUAGE="mi")
        .content.decode()
    )

    assert f'<a href="{reverse("reporting:meeting_list")}">Hui</a>' in text


def test_the_scripts_words_come_from_the_catalogue_of_the_pages_language(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="mi").content.decode()
    catalogue = re.search(r'<script src="([^"]+)" defer></script>', page).group(1)

    assert catalogue == reverse("javascript_catalog") + "?language=mi"
    words = client.get(catalogue, HTTP_ACCEPT_LANGUAGE="mi")
    assert words.status_code == 200 and "django.gettext" in words.content.decode()
    assert words.has_header("Last-Modified")


def test_a_quarters_months_are_named_in_the_pages_language():
    period = ReportingPeriod(year=2026, quarter=3)

    assert period.months == "July–September 2026"
    with translation.override("mi"):
        assert period.months == "Hōngongoi–Mahuru 2026"
