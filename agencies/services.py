"""Loading the reference list of agencies, and giving the secretariat the admin it needs."""

from pathlib import Path

import yaml
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import Agency, AgencyAlias
from .querysets import normalise_agency_name
from .roles import SECRETARIAT

# libyaml's loader where installed: the pure-Python one is ten times slower.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
AGENCIES_FILE = Path(__file__).resolve().parent / "data" / "agencies.yaml"
# The apps whose records the secretariat maintains in the admin: agencies and their people,
# strategies, plans and actions (including the TSOC plan's priority and focus tags).
SECRETARIAT_ADMIN_APPS = ("agencies", "actions")
# Elsewhere, what the secretariat's admin pages offer: periods kept; returns, reminders sent and
# reports built read; withheld text changed or released; the reminder schedule changed or paused;
# sign-in attempts read, and a locked-out person unlocked by deleting their failed attempts.
SECRETARIAT_PERMISSIONS = {
    "reporting": (
        "add_reportingperiod",
        "change_reportingperiod",
        "view_reportingperiod",
        "view_statusupdate",
        "view_reminderlog",
        "view_report",
        "change_withholding",
        "delete_withholding",
        "view_withholding",
    ),
    "django_celery_beat": ("change_periodictask", "view_periodictask"),
    "axes": (
        "view_accessattempt",
        "delete_accessattempt",
        "view_accesslog",
        "view_accessfailurelog",
    ),
}


@transaction.atomic
def load_agencies(path: Path = AGENCIES_FILE) -> int:
    """Create the agencies and aliases in ``path`` that don't exist yet; return how many
    agencies were created. Existing agencies are left as the secretariat has them."""
    created = 0
    known = {
        normalise_agency_name(name) for name in AgencyAlias.objects.values_list("name", flat=True)
    }
    for entry in yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER):
        agency, was_created = Agency.objects.get_or_create(
            slug=entry["slug"],
            defaults={"name": entry["name"], "short_name": entry["short_name"]},
        )
        created += was_created
        for alias in entry.get("aliases", []):
            if normalise_agency_name(alias) not in known:
                AgencyAlias.objects.create(agency=agency, name=alias)
                known.add(normalise_agency_name(alias))
    return created


def grant_secretariat_admin() -> None:
    """Give the Secretariat group its admin permissions: every agencies and actions record, and
    ``SECRETARIAT_PERMISSIONS`` (its members still need “staff status” to sign in there). Safe
    to repeat; ``load_plans`` runs it."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT)
    wanted = Q(content_type__app_label__in=SECRETARIAT_ADMIN_APPS)
    for app_label, codenames in SECRETARIAT_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(*Permission.objects.filter(wanted))
