from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.timeframes import (
    Timeframe,
    financial_year_bounds,
    parse_timeframe,
    quarter_bounds,
)

# Every timeframe string used in the 2020/21 New Zealand action plan.
PLAN_2020_21 = {
    "Q1-Q2 2020": (date(2020, 1, 1), date(2020, 6, 30), False),
    "Q1 2020": (date(2020, 1, 1), date(2020, 3, 31), False),
    "Q2 2020": (date(2020, 4, 1), date(2020, 6, 30), False),
    "Q2-Q4 2020": (date(2020, 4, 1), date(2020, 12, 31), False),
    "2021": (date(2021, 1, 1), date(2021, 12, 31), False),
    "Ongoing": (None, None, True),
    "Q3-Q4 2020": (date(2020, 7, 1), date(2020, 12, 31), False),
    "2020/21": (date(2020, 7, 1), date(2021, 6, 30), False),
}


@pytest.mark.parametrize(("text", "expected"), PLAN_2020_21.items())
def test_every_timeframe_in_the_2020_21_plan_is_understood(text, expected):
    start, end, ongoing = expected
    assert parse_timeframe(text) == Timeframe(text=text, start=start, end=end, ongoing=ongoing)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Q1 2020", date(2020, 1, 1), date(2020, 3, 31)),
        ("Q2 2020", date(2020, 4, 1), date(2020, 6, 30)),
        ("Q3 2020", date(2020, 7, 1), date(2020, 9, 30)),
        ("Q4 2020", date(2020, 10, 1), date(2020, 12, 31)),
        ("q1 2024", date(2024, 1, 1), date(2024, 3, 31)),
        ("  Q2   2021 ", date(2021, 4, 1), date(2021, 6, 30)),
    ],
)
def test_single_quarter_is_that_calendar_quarter(text, start, end):
    result = parse_timeframe(text)
    assert (result.start, result.end, result.ongoing, result.parsed) == (start, end, False, True)


@pytest.mark.parametrize(
    "text",
    [
        "Q1-Q2 2020",
        "Q1\u2013Q2 2020",  # en dash
        "Q1\u2014Q2 2020",  # em dash
        "Q1 - Q2 2020",
        "Q1 \u2013 Q2 2020",
        "Q1 to Q2 2020",
        "q1-q2 2020",
        "Q1 TO Q2 2020",
        "  Q1-Q2   2020  ",
        "Q1-Q2\u00a02020",  # non-breaking space, common in Word documents
        "Q1 2020 - Q2 2020",
    ],
)
def test_quarter_range_spans_first_to_last_day(text):
    result = parse_timeframe(text)
    assert (result.start, result.end) == (date(2020, 1, 1), date(2020, 6, 30))
    assert result.parsed
    assert not result.ongoing
    assert result.text == text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Q2-Q4 2020", date(2020, 4, 1), date(2020, 12, 31)),
        ("Q3\u2013Q4 2020", date(2020, 7, 1), date(2020, 12, 31)),
        ("Q2-Q2 2020", date(2020, 4, 1), date(2020, 6, 30)),
    ],
)
def test_quarter_range_within_a_year(text, start, end):
    result = parse_timeframe(text)
    assert (result.start, result.end, result.parsed) == (start, end, True)


@pytest.mark.parametrize(
    "text",
    ["Q4 2020 - Q2 2021", "Q4 2020\u2013Q2 2021", "Q4 2020 to Q2 2021", "q4 2020-q2 2021"],
)
def test_quarter_range_can_cross_years(text):
    result = parse_timeframe(text)
    assert (result.start, result.end, result.parsed) == (date(2020, 10, 1), date(2021, 6, 30), True)


@pytest.mark.parametrize(
    "text", ["Q3-Q1 2020", "Q4-Q2 2021", "Q2 2021 - Q1 2020", "Q1 2021 - Q4 2020"]
)
def test_backwards_quarter_range_is_not_parsed(text):
    assert parse_timeframe(text) == Timeframe(text=text, start=None, end=None, parsed=False)


@pytest.mark.parametrize(
    ("text", "year"), [("2021", 2021), (" 2020 ", 2020), ("1900", 1900), ("2100", 2100)]
)
def test_bare_year_is_the_whole_calendar_year(text, year):
    result = parse_timeframe(text)
    assert (result.start, result.end, result.parsed) == (date(year, 1, 1), date(year, 12, 31), True)


@pytest.mark.parametrize("text", ["2020-2022", "2020\u20132022", "2020 - 2022", "2020 to 2022"])
def test_year_range_spans_whole_calendar_years(text):
    result = parse_timeframe(text)
    assert (result.start, result.end, result.parsed) == (date(2020, 1, 1), date(2022, 12, 31), True)


@pytest.mark.parametrize("text", ["2020/21", "2020/2021", "2020 / 21", " 2020/2021 "])
def test_financial_year_defaults_to_july_to_june(text):
    result = parse_timeframe(text)
    assert (result.start, result.end, result.parsed) == (date(2020, 7, 1), date(2021, 6, 30), True)


@pytest.mark.parametrize(
    ("start_month", "start", "end"),
    [
        (7, date(2020, 7, 1), date(2021, 6, 30)),
        (4, date(2020, 4, 1), date(2021, 3, 31)),
        (10, date(2020, 10, 1), date(2021, 9, 30)),
        (1, date(2020, 1, 1), date(2020, 12, 31)),
        (3, date(2020, 3, 1), date(2021, 2, 28)),
        (12, date(2020, 12, 1), date(2021, 11, 30)),
    ],
)
def test_financial_year_follows_configured_start_month(start_month, start, end):
    result = parse_timeframe("2020/21", financial_year_start_month=start_month)
    assert (result.start, result.end, result.parsed) == (start, end, True)


def test_financial_year_across_a_century_uses_two_digit_rollover():
    result = parse_timeframe("1999/00")
    assert (result.start, result.end) == (date(1999, 7, 1), date(2000, 6, 30))


@pytest.mark.parametrize("text", ["2020/22", "2020/20", "2020/19", "2020/2022", "2021/2020"])
def test_financial_year_of_non_consecutive_years_is_not_parsed(text):
    assert parse_timeframe(text) == Timeframe(text=text, start=None, end=None, parsed=False)


@pytest.mark.parametrize(
    "text", ["Ongoing", "ongoing", "ONGOING", "  Ongoing  ", "Ongoing.", "(Ongoing)", "Ongoing;"]
)
def test_ongoing_is_open_ended_with_no_dates(text):
    assert parse_timeframe(text) == Timeframe(text=text, start=None, end=None, ongoing=True)


@pytest.mark.parametrize(
    "text",
    ["Ongoing from 2021", "From 2021", "from 2021", "ONGOING FROM 2021", " Ongoing  from 2021. "],
)
def test_ongoing_from_a_year_starts_that_year_and_never_ends(text):
    assert parse_timeframe(text) == Timeframe(
        text=text, start=date(2021, 1, 1), end=None, ongoing=True
    )


@pytest.mark.parametrize("text", [None, ""])
def test_missing_timeframe_is_empty_but_not_an_error(text):
    assert parse_timeframe(text) == Timeframe(text="", start=None, end=None, parsed=True)


@pytest.mark.parametrize("text", ["   ", "\t\n"])
def test_blank_timeframe_is_empty_but_keeps_its_text(text):
    assert parse_timeframe(text) == Timeframe(text=text, start=None, end=None, parsed=True)


@pytest.mark.parametrize(
    "text",
    [
        "TBC",
        "Mid 2021",
        "Q1",
        "2020-21",  # calendar years or a financial year? Not guessed.
        "Q5 2020",
        "Q0 2020",
        "Q12020",
        "Q1-Q2",
        "Q1 2020 2021",
        "2022-2020",
        "From Q3 2021",
        "Ongoing until 2021",
        "-",
        "...",
        "20201",
        "\uff12\uff10\uff12\uff11",  # full-width digits
        "Ongoing\nQ1 2020",
    ],
)
def test_unparseable_text_is_kept_and_flagged(text):
    assert parse_timeframe(text) == Timeframe(text=text, start=None, end=None, parsed=False)


@pytest.mark.parametrize(
    "text",
    [
        "1899",
        "2101",
        "Q1 1899",
        "Q4 2100 - Q1 2101",
        "1899-1900",
        "1899/00",
        "2100/01",
        "From 2101",
    ],
)
def test_years_outside_1900_to_2100_are_not_parsed(text):
    assert parse_timeframe(text).parsed is False


def test_text_is_kept_exactly_as_given():
    text = "  q1 \u2013 Q2\t2020 "
    assert parse_timeframe(text).text == text


@pytest.mark.parametrize("value", [2021, 2020.5, b"Q1 2020", ["Q1 2020"]])
def test_non_string_input_is_a_type_error(value):
    with pytest.raises(TypeError):
        parse_timeframe(value)


@pytest.mark.parametrize("month", [0, 13, -1])
def test_financial_year_start_month_must_be_a_month(month):
    with pytest.raises(ValueError):
        parse_timeframe("2020/21", financial_year_start_month=month)


def test_timeframe_is_immutable():
    result = parse_timeframe("Q1 2020")
    with pytest.raises(AttributeError):
        result.start = date(2000, 1, 1)


@pytest.mark.parametrize(
    ("year", "quarter", "start", "end"),
    [
        (2020, 1, date(2020, 1, 1), date(2020, 3, 31)),
        (2020, 2, date(2020, 4, 1), date(2020, 6, 30)),
        (2020, 3, date(2020, 7, 1), date(2020, 9, 30)),
        (2020, 4, date(2020, 10, 1), date(2020, 12, 31)),
    ],
)
def test_quarter_bounds_are_calendar_quarters(year, quarter, start, end):
    assert quarter_bounds(year, quarter) == (start, end)


def test_financial_year_bounds_last_one_year_less_a_day():
    start, end = financial_year_bounds(2023, 7)
    assert (start, end) == (date(2023, 7, 1), date(2024, 6, 30))


# --- properties -------------------------------------------------------------

# Characters that timeframes are made of, so generated text often gets close to
# a valid timeframe and exercises the patterns, not just the fallback.
_TIMEFRAME_ALPHABET = "Qq0123456789 -\u2013\u2014/toTOngiNGfrmFRM.()\t\u00a0"


@given(st.one_of(st.none(), st.text(), st.text(alphabet=_TIMEFRAME_ALPHABET)))
def test_any_text_parses_without_error_and_keeps_its_text(text):
    result = parse_timeframe(text)
    assert isinstance(result, Timeframe)
    assert result.text == ("" if text is None else text)
    if result.start is not None and result.end is not None:
        assert result.start <= result.end
    if not result.parsed:
        assert (result.start, result.end, result.ongoing) == (None, None, False)
    if result.end is None and result.start is not None:
        assert result.ongoing


@given(
    st.integers(min_value=1900, max_value=2100),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=4),
    st.sampled_from(["-", "\u2013", " - ", " to "]),
)
def test_any_forward_quarter_range_parses_to_quarter_boundaries(year, q1, q2, separator):
    q1, q2 = min(q1, q2), max(q1, q2)
    result = parse_timeframe(f"Q{q1}{separator}Q{q2} {year}")
    assert result.parsed
    assert result.start == date(year, 3 * q1 - 2, 1)
    assert result.start.day == 1
    assert result.end == quarter_bounds(year, q2)[1]
    assert (result.end + timedelta(days=1)).month in (1, 4, 7, 10)


@given(st.integers(min_value=1900, max_value=2099), st.integers(min_value=1, max_value=12))
def test_any_financial_year_lasts_exactly_one_year(year, start_month):
    result = parse_timeframe(
        f"{year}/{(year + 1) % 100:02d}", financial_year_start_month=start_month
    )
    assert result.parsed
    assert result.start == date(year, start_month, 1)
    next_start = result.end + timedelta(days=1)
    assert (next_start.year, next_start.month, next_start.day) == (year + 1, start_month, 1)
