"""load_plans: loading the shipped plans again changes nothing; broken seed files load nothing."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from actions.models import Action, ActionAgency, Strategy
from actions.services import SeedError, load_plan_file, seed_plan_files
from agencies.services import load_agencies
from reporting.models import ReportingPeriod

from .conftest import TSOC_PLAN


def load_plans(*args) -> str:
    out = io.StringIO()
    call_command("load_plans", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows in every table, historical tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def coordinators(plan_slug: str, number: str) -> list[tuple[str, str, str]]:
    return list(
        ActionAgency.objects.filter(action__plan__slug=plan_slug, action__number=number)
        .order_by("order")
        .values_list("agency__slug", "role")
    )


def test_load_plans_creates_the_reporting_periods_each_plan_spans(db):
    output = load_plans()
    assert (
        "TNOC Action Plan 2020/21: 13 actions in 13 reportable lines, 6 reporting periods" in output
    )
    assert (
        "TSOC Action Plan 2026–2030: 18 actions in 26 reportable lines (10 sub-actions, "
        "2 strands), 20 reporting periods"
    ) in output
    codes = set(ReportingPeriod.objects.values_list("code", flat=True))
    assert {"2020-Q1", "2021-Q2", "2026-Q1", "2030-Q4"} <= codes
    assert len(codes) == 26


def test_load_plans_twice_changes_nothing_not_even_history(db):
    load_plans()
    after_first = row_counts()
    output = load_plans()
    assert row_counts() == after_first
    assert "0 agencies and 0 plan records created, 0 updated" in output
    assert after_first["actions.HistoricalAction"] == 43  # 41 actions and 2 strands


def test_load_plans_update_with_nothing_changed_writes_no_history(db):
    load_plans()
    before = row_counts()
    load_plans("--update")
    assert row_counts() == before


def test_load_plans_leaves_the_secretariats_edits_unless_told_to_update(db):
    load_plans()
    action = Action.objects.get(plan__slug=TSOC_PLAN, number="8")
    action.title = "Nationwide methamphetamine harm campaign"
    action.save()
    ActionAgency.objects.filter(action=action).delete()

    load_plans()
    action.refresh_from_db()
    assert action.title == "Nationwide methamphetamine harm campaign"
    assert not action.coordinators.exists()

    history_before = action.history.count()
    load_plans("--update")
    action.refresh_from_db()
    assert action.title == (
        "Hard-hitting nationwide media campaign to deliver a consistent message and raise "
        "awareness about the harms of methamphetamine."
    )
    assert action.short_title == "Hard-hitting nationwide media campaign"
    assert coordinators(TSOC_PLAN, "8") == [("health", "coordinating")]
    assert action.history.count() == history_before + 1


def test_seed_files_are_loaded_earliest_strategy_first():
    assert [path.name for path in seed_plan_files()] == ["tnoc-2020-2025.yaml", "tsoc.yaml"]


# Broken seed files ---------------------------------------------------------------------------

SEED = """
strategy:
  slug: test-strategy
  title: Test strategy
  short_title: Test
  start_year: 2030
  priority_areas: [{slug: unify, name: Unify}]
plans:
  - slug: test-plan
    code: T
    title: Test plan
    short_title: Test plan
    start_date: 2030-01-01
    end_date: 2030-12-31
    groups:
      - title: Only group
        actions:
          - number: "1"
            title: First
            agencies: [{agency: Customs, role: lead}]
          - number: "2"
            title: Second
            {extra}
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("agencies: [{agency: Polise, role: lead}]", "unknown agency 'Polise'"),
        ("priority_areas: [unifi]", "unknown priority area 'unifi'"),
        ("focus_areas: [border]", "unknown focus area 'border'"),
        ("carries_on: [{plan: nope, number: '1', kind: carries_on}]", "no earlier action"),
        ("agencies: [{role: lead}]", "an entry has no 'agency'"),
    ],
)
def test_a_broken_seed_file_names_the_problem_and_loads_nothing(tmp_path, db, extra, message):
    load_agencies()
    path = tmp_path / "broken.yaml"
    path.write_text(SEED.replace("{extra}", extra), encoding="utf-8")
    with pytest.raises(SeedError, match=message):
        load_plan_file(path)
    assert not Strategy.objects.exists()
    assert not Action.objects.exists()


def test_load_plans_reports_a_broken_seed_file_as_a_command_error(tmp_path, db):
    path: Path = tmp_path / "broken.yaml"
    path.write_text("strategy: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.yaml is not valid YAML"):
        load_plans(str(path))
