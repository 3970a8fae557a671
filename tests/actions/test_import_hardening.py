"""What an import refuses because the database can't store it or a spreadsheet would run it, and
what a failure halfway through writing leaves (nothing)."""

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from actions.models import Action, ActionAgency, ActionPlan, SuccessMeasure
from actions.services import export_plan, import_plan_file
from actions.services.plan_template import COLUMNS
from actions.services.writer import PlanWriter

from .conftest import TSOC_PLAN

pytestmark = pytest.mark.usefixtures("seeded")

ROWS = [
    [
        "1",
        "",
        "Stand up a fusion centre",
        "",
        "",
        "",
        "",
        "Police",
        "",
        "",
        "Fusion centre open",
        "",
        "",
    ],
    ["2", "", "Share border data", "", "", "", "", "Customs", "", "", "Data shared", "", ""],
    ["3", "", "Train investigators", "", "", "", "", "Police", "", "", "Staff trained", "", ""],
]


def what_is_stored() -> tuple:
    return (
        ActionPlan.objects.count(),
        Action.objects.count(),
        SuccessMeasure.objects.count(),
        ActionAgency.objects.count(),
    )


def xlsx_bytes(rows: list[list], *, patch=lambda xml: xml) -> bytes:
    """A workbook of ``rows`` (the header first), its sheet's XML passed through ``patch``, as
    a spreadsheet program may write what openpyxl won't."""
    workbook = Workbook()
    for row in [list(COLUMNS), *rows]:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    patched = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(output.getvalue())) as original,
        zipfile.ZipFile(patched, "w") as copy,
    ):
        for member in original.infolist():
            data = original.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = patch(data.decode()).encode()
            copy.writestr(member, data)
    return patched.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    lines = [",".join(COLUMNS), *(",".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def refusal(tmp_path, name: str, data: bytes) -> list[str]:
    """What ``import_plan`` prints for a refused file; it must exit with status 1 and write
    nothing."""
    path = tmp_path / name
    path.write_bytes(data)
    before = what_is_stored()
    problems = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed") as error:
        call_command("import_plan", str(path), "--plan", "new", stderr=problems)
    assert error.value.returncode == 1
    assert what_is_stored() == before
    return problems.getvalue().splitlines()


# Characters the database can't store ---------------------------------------------------------


@pytest.mark.postgres
def test_a_nul_in_a_csv_cell_is_refused_with_its_row_and_column(tmp_path):
    rows = [ROWS[0], [*ROWS[1][:3], "Shared\x00 weekly", *ROWS[1][4:]]]
    assert refusal(tmp_path, "plan.csv", csv_bytes(rows)) == [
        "Row 3, column description: contains a NUL character (U+0000), which can't be stored; "
        "delete it (it may be invisible)"
    ]


@pytest.mark.postgres
def test_a_nul_in_an_xlsx_cell_is_refused_with_its_row_and_column(tmp_path):
    # Excel writes a control character in a cell as _xHHHH_.
    data = xlsx_bytes(ROWS, patch=lambda xml: xml.replace("Share border", "Share_x0000_ border"))
    assert refusal(tmp_path, "plan.xlsx", data) == [
        "Row 3, column title: contains a NUL character (U+0000), which can't be stored; "
        "delete it (it may be invisible)"
    ]


def test_other_control_characters_are_refused_but_tabs_and_line_breaks_are_kept(tmp_path):
    rows = [[*ROWS[0][:3], "Line one\tand\r\nline two\x07", *ROWS[0][4:]]]
    assert refusal(tmp_path, "plan.csv", csv_bytes([[f'"{c}"' for c in rows[0]]])) == [
        "Row 2, column description: contains the control character U+0007, which can't be "
        "stored; delete it (it may be invisible)"
    ]
    rows[0][3] = "Line one\tand\r\nline two"
    import_plan_file(
        io.BytesIO(csv_bytes([[f'"{c}"' for c in rows[0]]])), plan_slug="new", filename="a.csv"
    )
    assert Action.objects.get(plan__slug="new").description == "Line one\tand\nline two"


# Formulas ------------------------------------------------------------------------------------


def with_formula(row: int, column: str, formula: str, saved: str | None = None):
    """Put ``formula`` in the cell, with ``saved`` as the value a spreadsheet last calculated."""

    def patch(xml: str) -> str:
        cell = f'<c r="{column}{row}" t="inlineStr"><is><t>[^<]*</t></is></c>'
        value = f"<v>{saved}</v>" if saved is not None else "<v></v>"
        kind = ' t="str"' if saved is not None else ""
        replacement = f'<c r="{column}{row}"{kind}><f>{formula}</f>{value}</c>'
        patched, count = re.subn(cell, replacement, xml)
        assert count == 1
        return patched

    return patch


def test_a_formula_with_a_saved_value_imports_the_value():
    data = xlsx_bytes(
        ROWS, patch=with_formula(3, "C", 'CONCAT("Share ","border data")', "Share border data")
    )
    import_plan_file(io.BytesIO(data), plan_slug="new", filename="plan.xlsx")
    assert Action.objects.get(plan__slug="new", number="2").title == "Share border data"


def test_a_formula_without_a_saved_value_is_refused_by_name(tmp_path):
    data = xlsx_bytes(ROWS, patch=with_formula(4, "C", "SUM(A1:A3)"))
    assert refusal(tmp_path, "plan.xlsx", data) == [
        "Row 4, column title: a formula (=SUM(A1:A3)) with no saved value; type the value instead"
    ]


def test_a_formula_in_a_csv_cell_is_refused_but_a_quoted_one_is_text(tmp_path):
    rows = [[*ROWS[0][:3], "=SUM(A1:A3)", *ROWS[0][4:]]]
    assert refusal(tmp_path, "plan.csv", csv_bytes(rows)) == [
        "Row 2, column description: a formula (=SUM(A1:A3)) with no saved value; type the value "
        "instead; to keep it as text, start the cell with '"
    ]
    rows[0][3] = "'=SUM(A1:A3)"
    import_plan_file(io.BytesIO(csv_bytes(rows)), plan_slug="new", filename="plan.csv")
    assert Action.objects.get(plan__slug="new").description == "=SUM(A1:A3)"


# All or nothing ------------------------------------------------------------------------------


def test_a_failure_while_writing_the_third_action_leaves_nothing_of_the_file(monkeypatch):
    written = []
    write_action = PlanWriter.action

    def fail_on_the_third(writer, spec):
        if len(written) == 2:
            raise RuntimeError("the database went away")
        written.append(spec.number)
        return write_action(writer, spec)

    monkeypatch.setattr(PlanWriter, "action", fail_on_the_third)
    before = what_is_stored()
    with pytest.raises(RuntimeError, match="went away"):
        import_plan_file(io.BytesIO(csv_bytes(ROWS)), plan_slug="new", filename="plan.csv")
    assert written == ["1", "2"]
    assert what_is_stored() == before
    assert not ActionPlan.objects.filter(slug="new").exists()


def test_a_failure_while_updating_an_existing_plan_leaves_it_as_it_was(monkeypatch):
    plan = ActionPlan.objects.get(slug=TSOC_PLAN)
    titles = dict(plan.actions.values_list("number", "title"))
    rows = [[row[0], "", f"New title {row[0]}", *row[3:]] for row in ROWS]
    calls = []
    write_action = PlanWriter.action

    def fail_on_the_third(writer, spec):
        calls.append(spec.number)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return write_action(writer, spec)

    monkeypatch.setattr(PlanWriter, "action", fail_on_the_third)
    with pytest.raises(RuntimeError):
        import_plan_file(io.BytesIO(csv_bytes(rows)), plan_slug=TSOC_PLAN, filename="plan.csv")
    assert dict(plan.actions.values_list("number", "title")) == titles


# Lengths -------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_120_character_timeframe_is_stored_and_exported_verbatim(file_format):
    timeframe = ("Years 1–2, then reviewed each financial year with the board; " * 2)[:120]
    assert len(timeframe) == 120
    rows = [[*ROWS[0][:12], timeframe]]
    data = csv_bytes([[f'"{c}"' for c in rows[0]]])
    import_plan_file(io.BytesIO(data), plan_slug="new", filename="plan.csv")
    action = Action.objects.get(plan__slug="new")
    assert action.timeframe == timeframe
    exported = io.BytesIO()
    export_plan(action.plan, exported, format=file_format)
    exported.seek(0)
    import_plan_file(exported, plan_slug="copy", filename=f"copy.{file_format}")
    assert Action.objects.get(plan__slug="copy").timeframe == timeframe


def test_a_121_character_timeframe_is_refused(tmp_path):
    rows = [[*ROWS[0][:12], "x" * 121]]
    assert refusal(tmp_path, "plan.csv", csv_bytes(rows)) == [
        "Row 2, column timeframe: is 121 characters long; the limit is 120"
    ]
