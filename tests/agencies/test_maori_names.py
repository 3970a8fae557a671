"""Agencies' official Māori names: loaded only where docs/te-reo.md gives a source, shown beside
the English name (English first, the Māori marked ``lang="mi"``) on the action page, the
strategy page and report covers."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency
from agencies.services import AGENCIES_FILE, load_agencies
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.agencies.factories import AgencyFactory

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "te-reo.md"


def bilingual(agency) -> str:
    return Template("{% load agency_names %}{{ agency|bilingual_name }}").render(
        Context({"agency": agency})
    )


def test_the_seed_agencies_carry_their_official_maori_names_and_only_those():
    load_agencies()

    names = dict(Agency.objects.values_list("slug", "maori_name"))
    assert names["police"] == "Ngā Pirihimana o Aotearoa"
    assert names["customs"] == "Te Mana Ārai o Aotearoa"
    assert names["mbie"] == "Hīkina Whakatutuki"
    assert names["justice"] == "Te Tāhū o te Ture"
    assert names["health"] == "Manatū Hauora"
    # No source found: no Māori name made up.
    for slug in ("maritime-nz", "nmcc", "tsoc-department-agency", "tnoc-secretariat"):
        assert names[slug] == ""


def test_every_maori_name_in_the_seed_file_has_its_source_listed_for_review():
    rows = {
        line.split("|")[1].strip(): line
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    }
    entries = yaml.safe_load(AGENCIES_FILE.read_text(encoding="utf-8"))

    for entry in (e for e in entries if e.get("maori_name")):
        row = rows.get(entry["name"], "")
        assert entry["maori_name"] in row, f"{entry['name']}: not in docs/te-reo.md"
        assert re.search(r"https?://", row), f"{entry['name']}: no source address"


def test_loading_again_fills_a_missing_maori_name_and_keeps_one_already_set():
    AgencyFactory(name="New Zealand Police", short_name="Police", slug="police", maori_name="")
    AgencyFactory(
        name="Ministry of Health", short_name="Health", slug="health", maori_name="Edited"
    )

    load_agencies()

    assert Agency.objects.get(slug="police").maori_name == "Ngā Pirihimana o Aotearoa"
    assert Agency.objects.get(slug="health").maori_name == "Edited"


def test_an_agency_reads_english_first_with_its_maori_name_marked_as_maori():
    police = AgencyFactory(name="New Zealand Police", maori_name="Ngā Pirihimana o Aotearoa")

    assert bilingual(police) == (
        'New Zealand Police – <span class="agency-name__mi" lang="mi">'
        "Ngā Pirihimana o Aotearoa</span>"
    )


def test_an_agency_without_a_maori_name_reads_in_english_alone():
    assert bilingual(AgencyFactory(name="Maritime New Zealand", maori_name="")) == (
        "Maritime New Zealand"
    )


def test_on_a_maori_page_the_english_name_is_marked_english():
    police = AgencyFactory(name="New Zealand Police", maori_name="Ngā Pirihimana o Aotearoa")

    with translation.override("mi"):
        assert bilingual(police).startswith('<span lang="en-NZ">New Zealand Police</span> – ')


def test_the_action_page_names_its_coordinating_agencies_in_both_languages(lead, client_for):
    police = AgencyFactory(name="New Zealand Police", maori_name="Ngā Pirihimana o Aotearoa")
    action = ActionFactory()
    ActionAgencyFactory(action=action, agency=police)

    page = client_for(lead).get(action.get_absolute_url())

    assert (
        'New Zealand Police – <span class="agency-name__mi" lang="mi">'
        "Ngā Pirihimana o Aotearoa</span>"
    ) in page.content.decode()


def test_an_action_page_in_maori_keeps_its_content_and_marks_the_page_mi(lead, client_for):
    police = AgencyFactory(name="New Zealand Police", maori_name="Ngā Pirihimana o Aotearoa")
    action = ActionFactory(title="Cash wages in high-risk sectors")
    ActionAgencyFactory(action=action, agency=police)

    page = client_for(lead).get(action.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="mi")

    text = page.content.decode()
    assert '<html lang="mi">' in text
    assert "Cash wages in high-risk sectors" in text
    assert '<span class="agency-name__mi" lang="mi">Ngā Pirihimana o Aotearoa</span>' in text
    assert reverse("set_language") in text
