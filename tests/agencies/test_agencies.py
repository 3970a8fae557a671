"""Agencies go by many names; each name leads to one agency."""

import pytest
import yaml
from django.db import IntegrityError, transaction

from agencies.models import Agency, AgencyAlias
from agencies.querysets import normalise_agency_name
from agencies.services import AGENCIES_FILE, load_agencies
from tests.agencies.factories import AgencyAliasFactory, AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Customs", "customs"),
        ("New Zealand Customs Service", "customs"),
        ("NZ Customs", "customs"),
        ("the New Zealand Defence Force", "nzdf"),
        ("Defence Force New Zealand", "nzdf"),
        ("The  new zealand\u00a0defence force", "nzdf"),
        ("Ministry of Foreign Affairs", "mfat"),
        ("Health", "health"),
        ("Immigration", "mbie"),
        ("TSOC Department/Agency", "tsoc-department-agency"),
        ("inland-revenue", "inland-revenue"),
    ],
)
def test_names_and_aliases_resolve_to_their_agency(name, slug):
    load_agencies()
    assert Agency.objects.resolve(name).slug == slug


def test_an_unknown_name_resolves_to_nothing():
    load_agencies()
    assert Agency.objects.resolve("Polise") is None


def test_names_are_compared_without_case_spacing_or_a_leading_the():
    assert normalise_agency_name("  The New\u00a0Zealand   Police ") == "new zealand police"
    assert normalise_agency_name("Theatre New Zealand") == "theatre new zealand"


def test_loading_agencies_again_creates_nothing_and_keeps_the_secretariats_edits():
    assert load_agencies() == 23
    customs = Agency.objects.get(slug="customs")
    customs.email = "tsoc-returns@customs.example.govt.nz"
    customs.save()
    aliases = AgencyAlias.objects.count()

    assert load_agencies() == 0
    assert AgencyAlias.objects.count() == aliases
    customs.refresh_from_db()
    assert customs.email == "tsoc-returns@customs.example.govt.nz"


def test_every_alias_in_the_reference_list_names_one_agency():
    entries = yaml.safe_load(AGENCIES_FILE.read_text(encoding="utf-8"))
    owners: dict[str, str] = {}
    for entry in entries:
        for name in [entry["name"], entry["short_name"], *entry.get("aliases", [])]:
            owner = owners.setdefault(normalise_agency_name(name), entry["slug"])
            assert owner == entry["slug"], f"{name!r} names both {owner} and {entry['slug']}"


def refused_by_database(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_an_alias_names_one_agency_whatever_its_case():
    AgencyAliasFactory(name="NZ Customs")
    refused_by_database(lambda: AgencyAliasFactory(name="nz customs"))


def test_agency_names_and_slugs_are_unique():
    agency = AgencyFactory()
    refused_by_database(lambda: AgencyFactory(name=agency.name, slug="another"))
    refused_by_database(
        lambda: Agency.objects.create(name="Another", short_name="A", slug=agency.slug)
    )


def test_a_person_belongs_to_an_agency_once():
    membership = MembershipFactory()
    refused_by_database(
        lambda: MembershipFactory(
            user=membership.user, agency=membership.agency, role="contributor"
        )
    )
