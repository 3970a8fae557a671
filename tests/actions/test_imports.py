"""Importing a plan from a spreadsheet: what it reads, and every way a file can be refused."""

import csv
import datetime
import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from actions.models import Action, ActionPlan, IndicatorReading, Strategy
from actions.services import PlanImportError, import_plan_file
from actions.services.plan_template import COLUMNS
from tests.reporting.factories import StatusUpdateFactory

from .conftest import TSOC_PLAN

pytestmark = pytest.mark.usefixtures("seeded")


def csv_file(rows: list[dict], *, header=COLUMNS, encoding="utf-8") -> io.BytesIO:
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return io.BytesIO(text.getvalue().encode(encoding))


def xlsx_file(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


def import_csv(rows, *, plan="imported", **options):
    source = rows if isinstance(rows, io.BytesIO) else csv_file(rows)
    return import_plan_file(source, plan_slug=plan, filename="plan.csv", **options)


def problems_of(rows, **options) -> list[str]:
    """The problems reported for a file, which must leave the database as it was."""
    actions_before = Action.objects.count()
    with pytest.raises(PlanImportError) as error:
        import_csv(rows, **options)
    assert Action.objects.count() == actions_before
    assert not ActionPlan.objects.filter(slug=options.get("plan", "imported")).exists() or (
        options.get("plan") == TSOC_PLAN
    )
    return [str(problem) for problem in error.value.problems]


ONE = {"number": "1", "title": "Stand up a fusion centre", "lead_agencies": "Police"}


# Reading spreadsheets as people save them ---------------------------------------------------


def test_a_new_plan_is_created_under_the_most_recent_strategy():
    result = import_csv([ONE])
    assert result.plan_created
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    plan = ActionPlan.objects.get(slug="imported")
    assert plan.strategy.slug == "tsoc"
    assert (plan.code, plan.start_date, plan.end_date) == (
        "IMPORTED",
        datetime.date(2026, 1, 1),
        datetime.date(2030, 12, 31),
    )
    assert plan.source == "Imported from plan.csv"


def test_a_new_plan_can_be_put_under_a_named_strategy():
    row = {**ONE, "priority_areas": "Prevent and Detect"}
    import_csv([row], strategy_slug="tnoc-2020-2025")
    action = Action.objects.get(plan__slug="imported", number="1")
    assert action.plan.strategy.slug == "tnoc-2020-2025"
    assert [area.slug for area in action.priority_areas.all()] == ["prevent-and-detect"]


def test_a_byte_order_mark_quoted_line_breaks_and_blank_trailing_rows_are_read():
    text = (
        "\ufeffnumber,parent,title,description,group,priority_areas,focus_areas,lead_agencies,"
        "supporting_agencies,success_measures,resourcing,timeframe,Notes\r\n"
        '1,,"Stand up a\nfusion centre","Line one\r\nLine two",First › Second,'
        'Unify;Detect,"Border\nNational",Police,"Customs\nthe New Zealand Defence Force",'
        '"Seizures rise.\nArrests rise; convictions follow.",,Q3-Q4 2026,ignored\r\n'
        ",,,,,,,,,,,,\r\n,,,,,,,,,,,,\r\n"
    )
    result = import_csv(io.BytesIO(text.encode("utf-8")))
    assert result.created == 1
    action = Action.objects.get(plan__slug="imported", number="1")
    assert action.title == "Stand up a\nfusion centre"
    assert action.description == "Line one\nLine two"
    assert str(action.group) == "Second" and str(action.group.parent) == "First"
    assert [a.name for a in action.priority_areas.order_by("order")] == ["Unify", "Detect"]
    assert [a.name for a in action.focus_areas.order_by("order")] == ["Border", "National"]
    assert [(c.agency.slug, c.role) for c in action.coordinators.all()] == [
        ("police", "lead"),
        ("customs", "supporting"),
        ("nzdf", "supporting"),
    ]
    assert [m.statement for m in action.success_measures.all()] == [
        "Seizures rise.",
        "Arrests rise; convictions follow.",
    ]
    assert (action.starts_on, action.ends_on) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 12, 31),
    )


def test_column_headings_may_be_written_as_words_in_any_order():
    header = ["Title", "Number", "Lead agencies", *COLUMNS[3:8], *COLUMNS[9:], "parent"]
    row = {"Title": "Do it", "Number": "1", "Lead agencies": "Customs"}
    import_csv(csv_file([row], header=header))
    assert Action.objects.get(plan__slug="imported", number="1").title == "Do it"


def test_strands_in_square_brackets_become_strands_with_their_agencies_and_measures():
    row = {
        **ONE,
        "lead_agencies": "",
        "coordinating_agencies": "[Developing a Department or Agency] Customs\n"
        "[Developing a Department or Agency] Police\n[Data sharing] Police",
        "success_measures": "[Data sharing] Agencies share a threat picture.",
    }
    import_csv([row])
    action = Action.objects.get(plan__slug="imported", number="1")
    assert not action.coordinators.exists()
    strands = {s.title: s for s in action.sub_actions.filter(kind="strand")}
    assert [s.number for s in strands.values()] == ["1 strand 1", "1 strand 2"]
    developing, sharing = strands["Developing a Department or Agency"], strands["Data sharing"]
    assert [(c.agency.slug, c.role) for c in developing.coordinators.all()] == [
        ("customs", "coordinating"),
        ("police", "coordinating"),
    ]
    assert [c.agency.slug for c in sharing.coordinators.all()] == ["police"]
    assert [m.statement for m in sharing.success_measures.all()] == [
        "Agencies share a threat picture."
    ]
    assert not developing.success_measures.exists()


def test_a_strand_with_returns_is_not_dropped_by_an_import():
    strand_row = {**ONE, "lead_agencies": "", "coordinating_agencies": "[Data sharing] Police"}
    import_csv([strand_row])
    strand = Action.objects.get(plan__slug="imported", number="1 strand 1")
    StatusUpdateFactory(action=strand, agency=strand.coordinators.get().agency)
    with pytest.raises(PlanImportError) as refused:
        import_csv([{**ONE, "lead_agencies": "Police"}], plan="imported")
    assert [str(p) for p in refused.value.problems] == [
        "Row 2, column coordinating_agencies: strand “Data sharing” of 1 has returns, so it "
        "can't be removed by an import; remove it in the admin if that is really meant"
    ]
    assert Action.objects.filter(pk=strand.pk).exists()


def test_two_leads_for_one_line_are_refused_with_the_way_out():
    with pytest.raises(PlanImportError) as refused:
        import_csv([{**ONE, "lead_agencies": "Police; Customs"}])
    assert [str(p) for p in refused.value.problems] == [
        "Row 2, column lead_agencies: an action or strand has at most one lead: list the others "
        "under coordinating_agencies"
    ]


def test_sub_actions_name_their_parent_which_may_come_later_in_the_file():
    rows = [
        {"number": "13a", "parent": "13", "title": "Cash wages", "lead_agencies": "MBIE"},
        {"number": "13", "title": "Laundering cash", "group": "Second priority actions"},
        {"number": "13b", "parent": "13", "title": "Cash payments", "group": "Elsewhere"},
    ]
    import_csv(rows)
    actions = {a.number: a for a in Action.objects.filter(plan__slug="imported")}
    assert actions["13a"].parent == actions["13"] == actions["13b"].parent
    assert actions["13a"].group == actions["13"].group  # a sub-action without a group: parent's
    assert str(actions["13b"].group) == "Elsewhere"
    assert list(actions) == ["13", "13a", "13b"]


def test_numbered_group_headings_keep_their_number():
    rows = [{**ONE, "group": "Unify › 1. Establish a governance model"}]
    import_csv(rows)
    group = Action.objects.get(plan__slug="imported", number="1").group
    assert (group.number, group.title, group.parent.title) == (
        "1",
        "Establish a governance model",
        "Unify",
    )


def test_an_xlsx_workbook_is_read_with_numbers_as_the_text_people_see():
    workbook = xlsx_file(
        [
            list(COLUMNS),
            [2, None, "Second", None, None, None, None, "Police", None, None, None, None, 2027],
            [
                "10",
                None,
                "Tenth",
                None,
                None,
                None,
                None,
                "Customs",
                None,
                None,
                None,
                None,
                "2028",
            ],
            [None] * 13,
        ]
    )
    result = import_plan_file(workbook, plan_slug="imported", filename="upload.xlsx")
    assert result.created == 2
    action = Action.objects.get(plan__slug="imported", number="2")
    assert (action.timeframe, action.ends_on) == ("2027", datetime.date(2027, 12, 31))


def test_an_xlsx_workbook_is_recognised_without_a_file_name():
    workbook = xlsx_file([list(COLUMNS), ["1", None, "First"]])
    assert import_plan_file(workbook, plan_slug="imported").created == 1


def test_a_file_on_disk_is_read_from_its_path(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_file([ONE]).getvalue())
    assert import_plan_file(path, plan_slug="imported").created == 1


def test_a_timeframe_the_tracker_cannot_date_is_kept_with_a_warning():
    result = import_csv([{**ONE, "timeframe": "mid 2027"}])
    assert [str(w) for w in result.warnings] == [
        "Row 2, column timeframe: “mid 2027” is not a timeframe the tracker can date; it is "
        "kept as written and flagged “dates not understood”"
    ]
    assert Action.objects.get(plan__slug="imported", number="1").timeframe_unparsed


# Importing into an existing plan -------------------------------------------------------------


def test_importing_into_an_existing_plan_updates_by_number_and_adds_the_rest():
    rows = [
        {"number": "8", "title": "Nationwide meth harm campaign", "lead_agencies": "Health"},
        {"number": "19", "title": "A new action", "coordinating_agencies": "Police; Customs"},
    ]
    result = import_csv(rows, plan=TSOC_PLAN)
    assert (result.plan_created, result.created, result.updated) == (False, 1, 1)
    plan = ActionPlan.objects.get(slug=TSOC_PLAN)
    assert plan.actions.get(number="8").title == "Nationwide meth harm campaign"
    assert not plan.actions.get(number="8").success_measures.exists()
    assert plan.actions.get(number="9").title.startswith("Increasing social support and addiction")
    assert list(plan.actions.top_level().values_list("number", flat=True))[-2:] == ["18", "19"]


def test_an_import_that_changes_an_action_moves_its_version_on_so_an_open_edit_page_conflicts():
    plan = ActionPlan.objects.get(slug=TSOC_PLAN)
    before = {a.number: a.version for a in plan.actions.filter(number__in=["8", "9"])}
    import_csv(
        [{"number": "8", "title": "A changed title", "lead_agencies": "Health"}], plan=TSOC_PLAN
    )
    after = {a.number: a.version for a in plan.actions.filter(number__in=["8", "9"])}
    assert after == {"8": before["8"] + 1, "9": before["9"]}


def test_importing_the_same_file_again_changes_nothing():
    rows = [ONE, {"number": "1a", "parent": "1", "title": "Part", "success_measures": "It works."}]
    import_csv(rows)
    history = Action.history.count()
    result = import_csv(rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Action.history.count() == history


def test_a_success_measure_with_readings_is_not_dropped_by_an_import():
    measure = Action.objects.get(plan__slug=TSOC_PLAN, number="8").success_measures.get()
    IndicatorReading.objects.create(measure=measure, date=datetime.date(2026, 9, 30), value=12)
    row = {"number": "8", "title": "Campaign", "success_measures": "Something else."}
    assert problems_of([row], plan=TSOC_PLAN) == [
        "Row 2, column success_measures: success measure 'Increased awareness about the harms of "
        "methamphetamine.' has indicator readings, so it can't be removed by an import; remove "
        "it in the admin if that is really meant"
    ]
    kept = {**row, "success_measures": f"Something else.\n{measure.statement}"}
    import_csv([kept], plan=TSOC_PLAN)
    assert measure.readings.count() == 1


# Every way a file is refused -----------------------------------------------------------------


def test_a_missing_column_is_named():
    header = [column for column in COLUMNS if column != "lead_agencies"]
    assert problems_of(csv_file([ONE], header=header)) == [
        "Row 1, column lead_agencies: the header has no such column"
    ]


def test_a_column_given_twice_is_named():
    header = [*COLUMNS, "Title"]
    assert problems_of(csv_file([ONE], header=header)) == [
        "Row 1, column title: the header has this column twice"
    ]


def test_columns_separated_by_semicolons_get_a_hint():
    data = io.BytesIO(";".join(COLUMNS).encode() + b"\n1;;Title\n")
    problems = problems_of(data)
    assert "Row 1, column number: the header has no such column" in problems
    assert problems[-1].startswith("the columns seem to be separated by “;”")


def test_a_duplicate_number_names_both_rows():
    rows = [ONE, {**ONE, "title": "Other"}, {**ONE, "number": "2"}, {**ONE, "number": "2"}]
    assert problems_of(rows) == [
        "Row 3, column number: “1” is already on row 2",
        "Row 5, column number: “2” is already on row 4",
    ]


def test_an_unknown_parent_is_named():
    assert problems_of([ONE, {**ONE, "number": "1a", "parent": "99"}]) == [
        "Row 3, column parent: unknown parent “99”: no action has that number in the file"
    ]


def test_a_parent_may_be_an_action_already_in_the_plan_but_not_an_unknown_one():
    import_csv([{"number": "14e", "parent": "14", "title": "Another"}], plan=TSOC_PLAN)
    assert Action.objects.get(plan__slug=TSOC_PLAN, number="14e").parent.number == "14"
    assert problems_of([{"number": "x1", "parent": "99", "title": "X"}], plan=TSOC_PLAN) == [
        "Row 2, column parent: unknown parent “99”: no action has that number in the file or "
        "the plan"
    ]


def test_an_action_cannot_be_its_own_parent_or_its_ancestors():
    rows = [
        {"number": "1", "parent": "1", "title": "Self"},
        {"number": "2", "parent": "3", "title": "Two"},
        {"number": "3", "parent": "2", "title": "Three"},
    ]
    assert problems_of(rows) == [
        "Row 2, column parent: an action can't be its own parent",
        "Row 3, column parent: “3” makes a loop: 2 → 3 → 2",
        "Row 4, column parent: “2” makes a loop: 3 → 2 → 3",
    ]


def test_an_unknown_agency_is_named_with_a_suggestion():
    rows = [ONE, {**ONE, "number": "2", "supporting_agencies": "Customs; Polise; Nobody At All"}]
    assert problems_of(rows) == [
        "Row 3, column supporting_agencies: unknown agency “Polise” (did you mean “New Zealand "
        "Police”?)",
        "Row 3, column supporting_agencies: unknown agency “Nobody At All”",
    ]


def test_an_agency_listed_twice_in_one_strand_is_refused():
    row = {**ONE, "supporting_agencies": "New Zealand Police"}
    assert problems_of([row]) == [
        "Row 2, column supporting_agencies: “New Zealand Police” is listed more than once"
    ]


def test_unknown_priority_and_focus_areas_are_named_with_the_strategys_areas():
    row = {**ONE, "priority_areas": "Unify; Prevent and Detect", "focus_areas": "Sea"}
    assert problems_of([row]) == [
        "Row 2, column priority_areas: unknown priority area “Prevent and Detect” (the TSOC "
        "Strategy has: Unify, Prevent, Detect, Dismantle)",
        "Row 2, column focus_areas: unknown focus area “Sea” (the TSOC Strategy has: "
        "International, Border, National, Community)",
    ]


def test_a_csv_file_that_is_not_utf8_is_refused_with_its_row_and_how_to_fix_it():
    rows = [ONE, ONE | {"number": "2", "description": "Line one\nthe café"}]
    data = csv_file(rows, encoding="cp1252")
    (problem,) = problems_of(data)
    assert problem.startswith("Row 3: the file is not UTF-8 text (byte 0xe9 at position ")
    assert problem.endswith("Save As › “CSV UTF-8 (Comma delimited)” and import that file.")


def test_a_utf16_file_is_refused_as_not_utf8():
    data = io.BytesIO(",".join(COLUMNS).encode("utf-16"))
    (problem,) = problems_of(data)
    assert problem.startswith("Row 1: the file is not UTF-8 text (byte 0xff at position 0")


def test_every_action_needs_a_number_and_title():
    assert problems_of([{"title": "No number"}, {"number": "2"}]) == [
        "Row 2, column number: every action needs a number",
        "Row 3, column title: every action needs a title",
    ]


def test_text_longer_than_the_database_holds_is_refused():
    row = {**ONE, "number": "1" * 41, "title": "t" * 501, "timeframe": "2026 " * 30}
    assert problems_of([row]) == [
        "Row 2, column number: is 41 characters long; the limit is 40",
        "Row 2, column title: is 501 characters long; the limit is 500",
        "Row 2, column timeframe: is 149 characters long; the limit is 120",
    ]


def test_an_action_number_cannot_contain_a_slash():
    assert problems_of([{**ONE, "number": "1/2"}]) == [
        "Row 2, column number: “1/2”: an action number can't contain “/”"
    ]


def test_a_group_path_with_an_empty_heading_is_refused():
    assert problems_of([{**ONE, "group": "First ›› Second"}]) == [
        "Row 2, column group: “First ›› Second” has an empty heading between “›” marks"
    ]


def test_a_strand_without_a_statement_is_refused():
    assert problems_of([{**ONE, "success_measures": "[Data sharing]"}]) == [
        "Row 2, column success_measures: “[Data sharing]” has no statement after its “[…]”"
    ]


def test_every_problem_in_a_file_is_reported_at_once_in_row_order():
    rows = [
        {**ONE, "lead_agencies": "Polise"},
        {"number": "1", "title": "Again", "parent": "7"},
        {"number": "3", "title": "Three", "focus_areas": "Sea"},
    ]
    problems = problems_of(rows)
    assert [problem.split(":")[0] for problem in problems] == [
        "Row 2, column lead_agencies",
        "Row 3, column number",
        "Row 3, column parent",
        "Row 4, column focus_areas",
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "plan.csv", "Row 1: the first row must name the columns: number, parent, title"),
        (",".join(COLUMNS).encode(), "plan.csv", "the file has a header but no actions"),
        (b"\xd0\xcf\x11\xe0", "plan.xls", "old-style .xls workbooks can't be read"),
        (b"PK\x03\x04 not really a zip", "plan.xlsx", "can't be read as an Excel workbook"),
        (b'"unclosed,\x00', "plan.csv", "Row 1, column"),
    ],
)
def test_files_that_are_not_plan_spreadsheets_are_refused(content, filename, message):
    with pytest.raises(PlanImportError) as error:
        import_plan_file(io.BytesIO(content), plan_slug="imported", filename=filename)
    assert message in str(error.value)
    assert not ActionPlan.objects.filter(slug="imported").exists()


# Limits: a file can't exhaust memory ------------------------------------------------------


def test_a_file_larger_than_the_limit_is_refused_naming_the_limit(settings, tmp_path):
    settings.PLAN_IMPORT_MAX_BYTES = 2048
    rows = [{**ONE, "number": str(n), "description": "x" * 100} for n in range(1, 30)]
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_file(rows).getvalue())
    expected = (
        "the file is larger than 2 KB, the most a plan import reads "
        "(PLAN_IMPORT_MAX_BYTES = 2048): is it the right file?"
    )
    assert problems_of(rows) == [expected]
    with pytest.raises(PlanImportError, match=r"^the file is larger than 2 KB"):
        import_plan_file(path, plan_slug="imported")
    assert not ActionPlan.objects.filter(slug="imported").exists()
    settings.PLAN_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    assert import_csv(rows).created == 29


def test_a_zip_bomb_workbook_is_refused_without_being_unpacked():
    """A 30 MB worksheet packed into a small file: refused from the zip's directory alone."""
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(xlsx_file([list(COLUMNS), ["1", None, "First"]])) as workbook,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as packed,
    ):
        for member in workbook.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                packed.writestr(member, workbook.read(member))
                continue
            sheet = workbook.read(member)
            end = sheet.index(b"</sheetData>")
            with packed.open(member.filename, "w") as out:
                out.write(sheet[:end])
                for _ in range(30):
                    out.write(b" " * 1024 * 1024)  # whitespace: valid XML, unpacked for nothing
                out.write(sheet[end:])
    assert len(bomb.getvalue()) < 100_000
    bomb.seek(0)

    tracemalloc.start()
    try:
        with pytest.raises(PlanImportError) as error:
            import_plan_file(bomb, plan_slug="imported", filename="bomb.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert str(error.value) == (
        "the workbook unpacks to 30 MB, more than the 20 MB a plan import reads "
        "(4 × PLAN_IMPORT_MAX_BYTES): save it as CSV UTF-8, or remove what isn't the plan"
    )
    assert peak < 5 * 1024 * 1024
    assert not ActionPlan.objects.filter(slug="imported").exists()


@pytest.mark.parametrize("filename", ["plan.csv", "plan.xlsx"])
def test_more_rows_of_actions_than_the_limit_are_refused(settings, filename):
    settings.PLAN_IMPORT_MAX_ROWS = 3
    rows = [[str(n), "", f"Action {n}", "", "", "", "", "Police"] for n in range(1, 5)]
    table = [list(COLUMNS), rows[0], [], [], *rows[1:3]]
    if filename.endswith(".csv"):
        text = io.StringIO(newline="")
        csv.writer(text).writerows(table)
        three = io.BytesIO(text.getvalue().encode())
        csv.writer(text).writerow(rows[3])
        four = io.BytesIO(text.getvalue().encode())
    else:
        three, four = xlsx_file(table), xlsx_file([*table, rows[3]])

    assert import_plan_file(three, plan_slug="imported", filename=filename).created == 3
    with pytest.raises(PlanImportError) as error:
        import_plan_file(four, plan_slug="four", filename=filename)
    assert str(error.value) == (
        "Row 7: the file has more than 3 rows of actions, the most a plan import reads "
        "(PLAN_IMPORT_MAX_ROWS)"
    )
    assert not ActionPlan.objects.filter(slug="four").exists()


def test_a_workbook_claiming_a_million_empty_rows_is_read_without_them():
    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.active.append(["1", None, "First"])
    workbook.active.cell(row=1_048_576, column=16_384, value=" ")  # Excel's last cell
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    assert import_plan_file(output, plan_slug="imported", filename="plan.xlsx").created == 1


@pytest.mark.parametrize("filename", ["plan.pdf", "plan.docx", "plan.txt"])
def test_only_csv_and_xlsx_files_are_imported(filename):
    with pytest.raises(PlanImportError) as error:
        import_plan_file(csv_file([ONE]), plan_slug="imported", filename=filename)
    suffix = filename.removeprefix("plan")
    assert str(error.value) == f"a plan is imported from a .csv or .xlsx file, not “{suffix}”"


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(PlanImportError, match=r"can't open .*nowhere\.csv: No such file"):
        import_plan_file(tmp_path / "nowhere.csv", plan_slug="imported")


def test_an_unknown_strategy_is_named_with_the_known_ones():
    assert problems_of([ONE], strategy_slug="nope") == [
        "no strategy “nope” (known: tnoc-2020-2025, tsoc)"
    ]


def test_an_existing_plan_cannot_be_moved_to_another_strategy():
    assert problems_of([ONE], plan=TSOC_PLAN, strategy_slug="tnoc-2020-2025") == [
        f"the plan “{TSOC_PLAN}” belongs to the TSOC Strategy, not TNOC Strategy 2020–2025"
    ]


def test_a_plan_slug_must_be_a_slug():
    assert problems_of([ONE], plan="TSOC plan!") == [
        "“TSOC plan!” is not a plan slug: use letters, numbers and hyphens"
    ]


def test_a_new_plan_needs_a_strategy_to_belong_to():
    ActionPlan.objects.all().delete()
    Strategy.objects.all().delete()
    assert problems_of([ONE]) == [
        "there is no strategy to put a new plan under: run load_plans first"
    ]
