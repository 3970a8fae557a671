"""Each app declares the admin permissions the secretariat needs of its records; agencies
gathers them without knowing the apps above it."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from agencies.roles import SECRETARIAT
from agencies.services import grant_secretariat_admin, secretariat_permissions

pytestmark = pytest.mark.django_db


def granted() -> set[str]:
    group = Group.objects.get(name=SECRETARIAT)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_every_permission_an_app_declares_exists():
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    labels = {config.label for config in apps.get_app_configs()}
    declared = secretariat_permissions()
    assert declared
    for permission in declared:
        app_label, codename = permission.split(".")
        assert app_label in labels, permission
        assert codename == "*" or permission in existing, permission


def test_each_app_declares_its_own():
    declared_by = {
        config.label: set(getattr(config, "secretariat_permissions", ()))
        for config in apps.get_app_configs()
    }
    assert "agencies.*" in declared_by["agencies"]
    assert "actions.*" in declared_by["actions"]
    assert "reporting.view_statusupdate" in declared_by["reporting"]
    assert "django_celery_beat.change_periodictask" in declared_by["reporting"]
    assert not any(p.startswith("reporting.") for p in declared_by["agencies"])


def test_a_whole_app_grants_each_of_its_permissions():
    assert {
        f"actions.{codename}"
        for codename in Permission.objects.filter(content_type__app_label="actions").values_list(
            "codename", flat=True
        )
    } <= granted()


def test_a_permission_an_app_adds_to_its_declaration_is_granted(monkeypatch):
    assert "reporting.delete_report" not in granted()
    reporting = apps.get_app_config("reporting")
    monkeypatch.setattr(
        reporting,
        "secretariat_permissions",
        (*reporting.secretariat_permissions, "reporting.delete_report"),
        raising=False,
    )
    grant_secretariat_admin()
    assert "reporting.delete_report" in granted()
