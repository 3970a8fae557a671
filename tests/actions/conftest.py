"""Fixtures for the actions tests: the shipped plans, loaded as ``load_plans`` loads them."""

import pytest
from django.db import transaction

from actions.models import ActionPlan
from actions.services import load_plan_file, seed_plan_files
from agencies.services import load_agencies

TSOC_PLAN = "tsoc-action-plan-2026-2030"
TNOC_PLAN = "tnoc-action-plan-2020-21"


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    """Loads the seeds once per test module, in a transaction rolled back after the module's
    last test; each test runs in a savepoint inside it, so tests still can't see each other's
    changes. Other database tests in the same module see the seeds too, so a test that needs
    an empty database belongs in a module that doesn't use ``seeded``."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_agencies()
        for path in seed_plan_files():
            load_plan_file(path)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_module, db):
    """Both shipped strategies and plans with their agencies."""


@pytest.fixture
def tsoc_plan(seeded):
    return ActionPlan.objects.get(slug=TSOC_PLAN)


@pytest.fixture
def tnoc_plan(seeded):
    return ActionPlan.objects.get(slug=TNOC_PLAN)
