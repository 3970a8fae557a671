"""Loading the reference list of agencies, and giving the secretariat the admin it needs."""

from pathlib import Path

import yaml
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import Agency, AgencyAlias
from .querysets import normalise_agency_name
from .roles import SECRETARIAT

# libyaml's loader where installed: the pure-Python one is ten times slower.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
AGENCIES_FILE = Path(__file__).resolve().parent / "data" / "agencies.yaml"


@transaction.atomic
def load_agencies(path: Path = AGENCIES_FILE) -> int:
    """Create the agencies and aliases in ``path`` that don't exist yet; return how many
    agencies were created. Existing agencies are left as the secretariat has them, except that
    a Māori name the file has and the agency lacks is filled in."""
    created = 0
    known = {
        normalise_agency_name(name) for name in AgencyAlias.objects.values_list("name", flat=True)
    }
    for entry in yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER):
        agency, was_created = Agency.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "short_name": entry["short_name"],
                "maori_name": entry.get("maori_name", ""),
            },
        )
        created += was_created
        if not was_created and entry.get("maori_name") and not agency.maori_name:
            agency.maori_name = entry["maori_name"]
            agency.save(update_fields=["maori_name"])
        for alias in entry.get("aliases", []):
            if normalise_agency_name(alias) not in known:
                AgencyAlias.objects.create(agency=agency, name=alias)
                known.add(normalise_agency_name(alias))
    return created


def secretariat_permissions() -> list[str]:
    """Every permission the installed apps declare the secretariat needs, as ``app.codename``
    (``app.*``: all of that app's), from each AppConfig's ``secretariat_permissions``."""
    return [
        permission
        for config in apps.get_app_configs()
        for permission in getattr(config, "secretariat_permissions", ())
    ]


def grant_secretariat_admin() -> None:
    """Give the Secretariat group the admin permissions the apps declare it needs
    (``secretariat_permissions``; its members still need “staff status” to sign in there).
    Safe to repeat; it runs after every ``migrate``, and ``load_plans`` runs it."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT)
    wanted = Q(pk__in=[])
    for permission in secretariat_permissions():
        app_label, codename = permission.split(".")
        if codename == "*":
            wanted |= Q(content_type__app_label=app_label)
        else:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(wanted))
