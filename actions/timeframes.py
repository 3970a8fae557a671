"""Turn an action's free-text timeframe into a date range.

Action plans state when each action is due in short phrases such as "Q1-Q2 2020",
"2020/21" or "Ongoing". ``parse_timeframe`` turns that text into a ``Timeframe``:
the original text, exactly as given, plus an inclusive ``start``..``end`` date
range. This module is pure Python (no Django), so it can be used anywhere.

Interpretation
--------------
Quarters are *calendar* quarters of the named year (Q1 = Jan-Mar, Q2 = Apr-Jun,
Q3 = Jul-Sep, Q4 = Oct-Dec), because that is how the 2020/21 New Zealand action
plan uses them ("Q1-Q2 2020" means January to June 2020).

====================================  ===========================  ============
Text                                  start .. end                 ongoing
====================================  ===========================  ============
``Q1 2020``                           2020-01-01 .. 2020-03-31     False
``Q1-Q2 2020``, ``Q2 to Q4 2020``     first day of first quarter   False
                                      .. last day of last quarter
``Q4 2020 - Q2 2021``                 2020-10-01 .. 2021-06-30     False
``2021``                              2021-01-01 .. 2021-12-31     False
``2020-2022``, ``2020 to 2022``       2020-01-01 .. 2022-12-31     False
``2020/21``, ``2020/2021``            financial year starting in   False
                                      2020 (default July:
                                      2020-07-01 .. 2021-06-30)
``Ongoing``                           None .. None                 True
``Ongoing from 2021``, ``From 2021``  2021-01-01 .. None           True
``""`` / ``None`` / only whitespace   None .. None (parsed=True)   False
anything else                         None .. None (parsed=False)  False
====================================  ===========================  ============

Details:

* Matching ignores case, surrounding whitespace, runs of inner whitespace, and
  surrounding punctuation such as full stops, commas and brackets
  (``"(Ongoing.)"`` is ongoing). Dashes and slashes are never stripped.
* A range may be joined by a hyphen, an en or em dash (or other Unicode dash),
  or the word "to", with or without spaces around the dash.
* Years must be four ASCII digits between 1900 and 2100 inclusive.
* Ranges must run forwards: "Q3-Q1 2020" and "2022-2020" are not parsed. A range
  that starts and ends in the same quarter or year is accepted.
* A financial year must name consecutive years: "2020/22" is not parsed. With
  ``financial_year_start_month=7`` "2020/21" is 1 July 2020 to 30 June 2021; the
  year before the slash is always the year the financial year starts in.
* Ambiguous text is never guessed at. "2020-21" (calendar years or a financial
  year?), "Q1" (no year), "mid 2021", "TBC" and "-" are all not parsed.
* Text that is not parsed comes back with ``parsed=False``, ``start`` and ``end``
  set to None and the text kept verbatim, so the caller can flag it for a human.

``parse_timeframe`` never raises for a string or None. It raises ``TypeError``
for any other type of ``text`` and ``ValueError`` for a
``financial_year_start_month`` outside 1-12 (both are programming errors).
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "QuarterNameError",
    "Timeframe",
    "financial_quarter",
    "financial_quarter_label",
    "financial_year_bounds",
    "parse_quarter_name",
    "parse_timeframe",
    "quarter_bounds",
]

MIN_YEAR = 1900
MAX_YEAR = 2100


@dataclass(frozen=True)
class Timeframe:
    """An action's timeframe: the source text and the date range it stands for."""

    text: str  # the original text, always kept exactly as given
    start: date | None
    end: date | None  # None with ongoing=True means open-ended
    ongoing: bool = False
    parsed: bool = True  # False when the text could not be interpreted


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of calendar quarter ``quarter`` (1-4) of ``year``."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {quarter!r}")
    first_month = 3 * quarter - 2
    last_month = 3 * quarter
    last_day = calendar.monthrange(year, last_month)[1]
    return date(year, first_month, 1), date(year, last_month, last_day)


def financial_year_bounds(year: int, start_month: int = 7) -> tuple[date, date]:
    """First and last day of the financial year that starts in ``start_month`` of ``year``."""
    _check_start_month(start_month)
    next_start = date(year + 1, start_month, 1)
    return date(year, start_month, 1), next_start - timedelta(days=1)


# Building blocks for the patterns below. The text is lower-cased before
# matching, so the patterns only need lower-case letters. [0-9] rather than \d
# so that non-ASCII digits are not accepted.
_YEAR = r"([0-9]{4})"
_QUARTER = r"q\s*([1-4])"
_SEP = r"(?:\s*[-\u2010-\u2015\u2212]\s*|\s+to\s+)"  # hyphen, Unicode dashes, minus, "to"

_SINGLE_QUARTER = re.compile(rf"{_QUARTER}\s+{_YEAR}")
_QUARTER_RANGE = re.compile(rf"{_QUARTER}(?:\s+{_YEAR})?{_SEP}{_QUARTER}\s+{_YEAR}")
_SINGLE_YEAR = re.compile(_YEAR)
_YEAR_RANGE = re.compile(rf"{_YEAR}{_SEP}{_YEAR}")
_FINANCIAL_YEAR = re.compile(rf"{_YEAR}\s*/\s*([0-9]{{2}}|[0-9]{{4}})")
_ONGOING = re.compile(r"ongoing")
_ONGOING_FROM = re.compile(rf"(?:ongoing\s+)?from\s+{_YEAR}")

# Whitespace and punctuation ignored at either end of the text. Dashes and
# slashes are deliberately absent: they carry meaning.
_EDGES = re.compile(r"^[\s.,;:!?()\[\]{}'\"*]+|[\s.,;:!?()\[\]{}'\"*]+$")


def parse_timeframe(text: str | None, *, financial_year_start_month: int = 7) -> Timeframe:
    """Interpret a free-text timeframe; see the module docstring for the rules."""
    _check_start_month(financial_year_start_month)
    if text is None:
        return Timeframe(text="", start=None, end=None)
    if not isinstance(text, str):
        raise TypeError(f"timeframe text must be a str or None, not {type(text).__name__}")
    if not text.strip():
        return Timeframe(text=text, start=None, end=None)

    normalised = _EDGES.sub("", text).lower()
    bounds = _interpret(normalised, financial_year_start_month)
    if bounds is None:
        return Timeframe(text=text, start=None, end=None, parsed=False)
    start, end, ongoing = bounds
    return Timeframe(text=text, start=start, end=end, ongoing=ongoing)


def _interpret(text: str, fy_start_month: int) -> tuple[date | None, date | None, bool] | None:
    """Return (start, end, ongoing) for normalised ``text``, or None if it means nothing to us."""
    if _ONGOING.fullmatch(text):
        return None, None, True

    if match := _ONGOING_FROM.fullmatch(text):
        year = _year(match[1])
        return None if year is None else (date(year, 1, 1), None, True)

    if match := _SINGLE_QUARTER.fullmatch(text):
        year = _year(match[2])
        if year is None:
            return None
        start, end = quarter_bounds(year, int(match[1]))
        return start, end, False

    if match := _QUARTER_RANGE.fullmatch(text):
        first_q, last_q = int(match[1]), int(match[3])
        last_year = _year(match[4])
        first_year = last_year if match[2] is None else _year(match[2])
        if first_year is None or last_year is None:
            return None
        if (first_year, first_q) > (last_year, last_q):
            return None  # backwards range
        return quarter_bounds(first_year, first_q)[0], quarter_bounds(last_year, last_q)[1], False

    if match := _SINGLE_YEAR.fullmatch(text):
        year = _year(match[1])
        return None if year is None else (date(year, 1, 1), date(year, 12, 31), False)

    if match := _YEAR_RANGE.fullmatch(text):
        first_year, last_year = _year(match[1]), _year(match[2])
        if first_year is None or last_year is None or first_year > last_year:
            return None
        return date(first_year, 1, 1), date(last_year, 12, 31), False

    if match := _FINANCIAL_YEAR.fullmatch(text):
        first_year = _year(match[1])
        if first_year is None or not _is_following_year(first_year, match[2]):
            return None
        if _year(str(first_year + 1)) is None:
            return None  # e.g. "2100/01" ends outside the supported years
        start, end = financial_year_bounds(first_year, fy_start_month)
        return start, end, False

    return None


# The names of one reporting quarter (see ``parse_quarter_name``): its code, “2026-Q3”, and its
# financial-year label, “Q1 2026/27” or “2026/27-Q1” (“Q3 2026” when the year starts in January).
_CODE = re.compile(rf"{_YEAR}\s*[-\u2010-\u2015\u2212]?\s*{_QUARTER}")
_FY = r"([0-9]{4})\s*/\s*([0-9]{2}|[0-9]{4})"
_LABEL = re.compile(rf"{_QUARTER}\s*{_FY}")
_LABEL_YEAR_FIRST = re.compile(rf"{_FY}\s*[-\u2010-\u2015\u2212]?\s*{_QUARTER}")


class QuarterNameError(ValueError):
    """Text that names no quarter; the message says which forms are understood."""


def financial_quarter(year: int, quarter: int, start_month: int = 7) -> tuple[int, int]:
    """(the year its financial year starts in, its quarter of that year) for a calendar quarter.

    >>> financial_quarter(2026, 3)  # July–September 2026
    (2026, 1)
    """
    _check_start_month(start_month)
    first_month = 3 * quarter - 2
    fy_start = year if first_month >= start_month else year - 1
    return fy_start, (first_month - start_month) % 12 // 3 + 1


def financial_quarter_label(year: int, quarter: int, start_month: int = 7) -> str:
    """“Q1 2026/27” for calendar quarter 3 of 2026 (“Q3 2026” when the year starts in January)."""
    fy_start, fy_quarter = financial_quarter(year, quarter, start_month)
    if start_month == 1:
        return f"Q{fy_quarter} {fy_start}"
    return f"Q{fy_quarter} {fy_start}/{(fy_start + 1) % 100:02d}"


def parse_quarter_name(text: str, *, financial_year_start_month: int = 7) -> tuple[int, int]:
    """The calendar (year, quarter) that ``text`` names, in any of the forms people write.

    With the financial year starting in July, July–September 2026 is “Q1 2026/27” (its label),
    “2026/27-Q1” or “2026/2027 Q1” (the label, year first), or “2026-Q3” (its code, the calendar
    quarter, kept for links and API clients that use it). Case and spaces don't matter. When the
    year starts in January the label is the calendar quarter, “Q3 2026”. “Q1 2026” with a July
    year is ambiguous and refused, as is anything else: ``QuarterNameError`` names the forms.
    """
    start_month = financial_year_start_month
    _check_start_month(start_month)
    normalised = " ".join(str(text).split()).lower()
    if match := _CODE.fullmatch(normalised):
        year, quarter = _year(match[1]), int(match[2])
        if year is not None:
            return year, quarter
    elif start_month == 1 and (match := _SINGLE_QUARTER.fullmatch(normalised)):
        year, quarter = _year(match[2]), int(match[1])
        if year is not None:
            return year, quarter
    elif start_month != 1 and (
        match := _LABEL.fullmatch(normalised) or _LABEL_YEAR_FIRST.fullmatch(normalised)
    ):
        if match.re is _LABEL:
            fy_quarter, first, second = int(match[1]), match[2], match[3]
        else:
            first, second, fy_quarter = match[1], match[2], int(match[3])
        fy_start = _year(first)
        if fy_start is not None and _is_following_year(fy_start, second):
            # The calendar quarter labelled so (its first month is in that financial quarter).
            for year, quarter in itertools.product((fy_start, fy_start + 1), (1, 2, 3, 4)):
                if financial_quarter(year, quarter, start_month) == (fy_start, fy_quarter):
                    return year, quarter
    raise QuarterNameError(f"{str(text)!r} is not a quarter. {quarter_name_forms(start_month)}")


def quarter_name_forms(start_month: int = 7) -> str:
    """How to name a quarter, with July–September 2026 as the example."""
    label = financial_quarter_label(2026, 3, start_month)
    if start_month == 1:
        return f"Name a quarter by its label, e.g. “{label}”, or its code, “2026-Q3”."
    fy_quarter, fy = label.split()
    return (
        f"Name a quarter by its label, e.g. “{label}” or “{fy}-{fy_quarter}”, "
        "or its code, “2026-Q3”."
    )


def _year(digits: str) -> int | None:
    """The year for four ASCII digits, or None when outside MIN_YEAR..MAX_YEAR."""
    year = int(digits)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _is_following_year(year: int, second: str) -> bool:
    """Whether ``second`` ("21" or "2021") names the year after ``year``."""
    if len(second) == 2:
        return int(second) == (year + 1) % 100
    return int(second) == year + 1


def _check_start_month(month: int) -> None:
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise ValueError(f"financial_year_start_month must be 1-12, not {month!r}")
