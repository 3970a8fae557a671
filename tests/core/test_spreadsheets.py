"""Formula quoting (core.spreadsheets), for every character OWASP says starts a formula: each is
quoted, the quote is undone exactly, and text starting with anything else is left alone."""

import pytest

from core.spreadsheets import guard_formula, unguard_formula

# Written out here, not imported: a character dropped from the module must fail a test.
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_a_formula_is_quoted(start):
    assert guard_formula(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_already_quoted_before_a_formula_gets_one_more_quote(start):
    assert guard_formula(f"''{start}1") == f"'''{start}1"


@pytest.mark.parametrize("start", FORMULA_STARTS)
@pytest.mark.parametrize("quotes", ["", "'", "''"])
def test_unquoting_gives_back_exactly_the_text_quoted(start, quotes):
    text = f'{quotes}{start}HYPERLINK("http://evil.example")'

    assert unguard_formula(guard_formula(text)) == text


@pytest.mark.parametrize(
    "text", ["plain", "X=1 with a letter first", "'plain after a quote", "", "1+1", " =spaced", "'"]
)
def test_text_a_spreadsheet_wouldnt_run_is_unchanged_both_ways(text):
    assert guard_formula(text) == text
    assert unguard_formula(text) == text
