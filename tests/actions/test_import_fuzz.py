"""Whatever a file holds, the importer answers with a result or a clear list of problems."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action
from actions.services import PlanImportError, import_plan_file
from actions.services.imports.reading import read_rows
from actions.services.plan_template import COLUMNS

# Text with the characters the template gives meaning to, and some that break naive readers.
cell_text = st.lists(
    st.sampled_from(
        [*"1a.;[]›> \n\r\t\",'=/-", "Police", "Customs", "Unify", "Border", "é", "\ufeff"]
    ),
    max_size=12,
).map("".join)
numbers = st.sampled_from(["", "1", "2", "1a", "13", "13a", "1/2", "x" * 21])


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["plan.csv", "plan.xlsx", "plan", ""]))
def test_reading_any_bytes_gives_rows_or_problems(data, filename):
    try:
        rows = read_rows(data, filename=filename)
    except PlanImportError as error:
        assert error.problems and all(str(problem) for problem in error.problems)
    else:
        assert all(row.row_number >= 2 for row in rows)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"number": numbers, "parent": numbers},
            optional={
                column: cell_text for column in COLUMNS if column not in ("number", "parent")
            },
        ),
        max_size=5,
    )
)
@pytest.mark.usefixtures("seeded")
def test_importing_any_rows_imports_them_or_writes_nothing(rows):
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    actions_before = Action.objects.count()
    try:
        result = import_plan_file(
            io.BytesIO(text.getvalue().encode()), plan_slug="fuzzed", filename="fuzz.csv"
        )
    except PlanImportError as error:
        assert error.problems
        assert Action.objects.count() == actions_before
    else:
        # A row with nothing in it is no action (a spreadsheet's trailing blank rows).
        written = [row for row in rows if any(str(value).strip() for value in row.values())]
        assert result.created + result.updated + result.unchanged == len(written)
