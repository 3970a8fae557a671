"""import_plan and export_plan as the secretariat runs them."""

import io

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, ActionPlan
from actions.services.plan_template import COLUMNS

from .conftest import TSOC_PLAN

pytestmark = pytest.mark.usefixtures("seeded")


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_export_then_import_into_a_new_plan(tmp_path):
    path = tmp_path / "tsoc.xlsx"
    shape = "18 actions in 26 reportable lines (10 sub-actions, 2 strands)"
    assert f"Wrote {shape} of {TSOC_PLAN} to {path}" in run(
        "export_plan", "--plan", TSOC_PLAN, "--output", str(path)
    )
    output = run("import_plan", str(path), "--plan", "tsoc-copy", "--strategy", "tsoc")
    assert "Created tsoc-copy: 28 actions created, 0 updated, 0 unchanged." in output
    assert "complete them in the admin" in output
    assert ActionPlan.objects.get(slug="tsoc-copy").shape_summary() == shape


def test_import_reports_each_problem_and_changes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n1,,Title,,,,,,Polise,,,,\n1,,Again,,,,,,,,,,\n", encoding="utf-8"
    )
    problems = io.StringIO()
    with pytest.raises(CommandError, match=r"bad\.csv was not imported \(2 problems\)"):
        call_command(
            "import_plan", str(path), "--plan", "new", stdout=io.StringIO(), stderr=problems
        )
    assert problems.getvalue().splitlines() == [
        "Row 2, column lead_agencies: unknown agency “Polise” (did you mean “New Zealand Police”?)",
        "Row 3, column number: “1” is already on row 2",
    ]
    assert not Action.objects.filter(plan__slug="new").exists()


def test_import_refuses_a_file_over_the_size_limit_and_names_it(tmp_path, settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1024
    path = tmp_path / "huge.csv"
    path.write_text(",".join(COLUMNS) + "\n" + "1,,Title,,,,,,,,,,\n" * 100, encoding="utf-8")
    problems = io.StringIO()
    with pytest.raises(CommandError, match=r"huge\.csv was not imported \(1 problem\)"):
        call_command("import_plan", str(path), "--plan", "new", stderr=problems)
    assert problems.getvalue() == (
        "the file is larger than 1 KB, the most a plan import reads "
        "(PLAN_IMPORT_MAX_BYTES = 1024): is it the right file?\n"
    )
    assert not ActionPlan.objects.filter(slug="new").exists()


def test_import_prints_warnings(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(",".join(COLUMNS) + "\n1,,Title,,,,,,,,,,TBC\n", encoding="utf-8")
    assert "Warning: Row 2, column timeframe: “TBC” is not a timeframe" in run(
        "import_plan", str(path), "--plan", "new"
    )


def test_export_needs_a_known_plan_and_a_csv_or_xlsx_name(tmp_path):
    with pytest.raises(CommandError, match="No plan “nope” \\(known: "):
        run("export_plan", "--plan", "nope", "--output", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match=r"--output must end in \.csv or \.xlsx"):
        run("export_plan", "--plan", TSOC_PLAN, "--output", str(tmp_path / "x.pdf"))


def test_import_plan_exits_non_zero_on_a_bad_file(tmp_path):
    """A script or CI job sees exit status 1: ``manage.py`` exits with the error's return code."""
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    problems = io.StringIO()
    with pytest.raises(CommandError, match=r"empty\.csv was not imported \(1 problem\)") as error:
        call_command("import_plan", str(path), "--plan", "x", stdout=io.StringIO(), stderr=problems)
    assert error.value.returncode == 1
    assert problems.getvalue().startswith("Row 1: the first row must name the columns")
