"""The status table is the one place a status is defined: every status has an entry, the
stylesheet is written from it, and no template or stylesheet names a status of its own."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from reporting.models import StatusUpdate
from reporting.returns.obligations import STATE_LABELS, TO_START
from reporting.status_stylesheet import STYLESHEET_PATH, status_stylesheet
from reporting.statuses import (
    EXCEPTION_STATUSES,
    FINISHED_STATUSES,
    NO_RETURN,
    PARTLY_REPORTED,
    STATUS_LABELS,
    STATUS_ORDER,
    STATUSES,
    action_percent,
    action_status,
    line_percent,
    line_status,
    status_counts,
    worst_status,
)

ROOT = Path(settings.BASE_DIR)
HEX = re.compile(r"#[0-9a-f]{6}")


def test_every_status_a_return_can_have_has_an_entry_in_the_table():
    assert set(STATUSES) == {*StatusUpdate.Status.values, NO_RETURN, PARTLY_REPORTED}


@pytest.mark.parametrize("value", StatusUpdate.Status.values)
def test_a_status_shows_the_label_people_choose_it_by(value):
    assert STATUSES[value].label == StatusUpdate.Status(value).label
    assert STATUS_LABELS[value] == StatusUpdate.Status(value).label


@pytest.mark.parametrize("entry", STATUSES.values(), ids=list(STATUSES))
def test_each_entry_says_how_its_status_is_drawn_printed_and_shaded(entry):
    assert entry.label
    assert HEX.fullmatch(entry.chart_fill) and HEX.fullmatch(entry.chart_ink)
    assert HEX.fullmatch(entry.chart_pattern_ink) and HEX.fullmatch(entry.text_colour)
    assert entry.chart_pattern in {"", "diagonal", "crosshatch", "dots", "horizontal"}
    assert entry.word_shading == "" or re.fullmatch(r"[0-9A-F]{6}", entry.word_shading)
    assert len(entry.print_mark) == 1


def test_no_two_statuses_share_a_place_in_the_order_or_a_severity():
    assert len({s.order for s in STATUSES.values()}) == len(STATUSES)
    assert len({s.severity for s in STATUSES.values()}) == len(STATUSES)


def test_no_return_is_listed_last_and_loses_to_any_reported_status():
    assert STATUS_ORDER[-1] == NO_RETURN
    assert STATUSES[NO_RETURN].label == "No return yet"
    for value in StatusUpdate.Status.values:
        assert worst_status([value]) == value
    assert worst_status([]) == NO_RETURN


def test_the_worst_status_is_the_one_the_table_ranks_most_severe():
    reported = StatusUpdate.Status.values
    assert worst_status(reported) == min(reported, key=lambda s: STATUSES[s].severity)
    assert worst_status(["on_track", "at_risk", "off_track"]) == "off_track"
    assert worst_status(["complete", "on_track"]) == "on_track"


def test_counts_list_every_status_in_the_tables_order():
    counts = status_counts(["at_risk", "at_risk", "complete"])
    assert [c["status"] for c in counts] == sorted(STATUSES, key=lambda s: STATUSES[s].order)
    assert {c["status"]: c["count"] for c in counts if c["count"]} == {"at_risk": 2, "complete": 1}


def test_exceptions_and_finished_statuses_are_read_from_the_flags():
    assert set(EXCEPTION_STATUSES) == {"at_risk", "off_track"}
    assert set(FINISHED_STATUSES) == {"complete", "discontinued"}


# The status rule -----------------------------------------------------------------------------


def test_a_lines_status_is_the_worst_of_its_responsible_agencies_returns():
    assert line_status(["on_track", "at_risk", "complete"]) == "at_risk"
    assert line_status(["complete"]) == "complete"
    assert line_status([]) == NO_RETURN


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["on_track", "off_track"], "off_track"),
        (["complete", "discontinued"], "complete"),
        (["discontinued", "discontinued"], "discontinued"),
        (["complete", "on_track"], "on_track"),
        (["off_track", NO_RETURN], "off_track"),  # what is known is bad, and it says so
        (["on_track", NO_RETURN], "on_track"),
        (["complete", NO_RETURN], PARTLY_REPORTED),  # never "Complete" while a line is silent
        (["discontinued", NO_RETURN], PARTLY_REPORTED),
        ([NO_RETURN, NO_RETURN], NO_RETURN),
    ],
)
def test_an_action_rolls_up_from_its_lines(lines, expected):
    assert action_status(lines) == expected


def test_per_cent_complete_rolls_up_without_claiming_more_than_the_lines_report():
    assert line_percent([40, 70, None]) == 40
    assert line_percent([None]) is None
    assert action_percent([("complete", 100), (NO_RETURN, None)]) == 50
    assert action_percent([("on_track", 30), ("discontinued", 10), ("at_risk", None)]) == 15
    assert action_percent([("discontinued", 10)]) is None


def test_the_state_of_a_return_not_started_is_not_named_like_a_status():
    assert TO_START not in STATUSES
    assert not set(STATE_LABELS) & set(STATUSES)
    assert STATE_LABELS[TO_START] == "Not started yet"


def test_the_committed_status_stylesheet_is_the_one_the_table_writes():
    assert STYLESHEET_PATH.read_text(encoding="utf-8") == status_stylesheet(), (
        "static/css/statuses.css is out of date: run `python manage.py write_status_css`"
    )


def test_the_status_stylesheet_colours_and_marks_every_status():
    css = status_stylesheet()
    for value, entry in STATUSES.items():
        assert f".status--{value} {{ color: {entry.text_colour}; }}" in css
        assert f'.pdf .status--{value}::before {{ content: "{entry.print_mark}"; }}' in css


def test_pages_and_pdfs_both_link_the_status_stylesheet():
    assert "{% static 'css/statuses.css' %}" in (ROOT / "templates/base.html").read_text()
    pdf_base = (ROOT / "templates/reporting/reports/pdf/base.html").read_text()
    assert '<html lang="en-NZ" class="pdf">' in pdf_base
    assert "{{ status_stylesheet }}" in pdf_base


def _status_spellings(value: str) -> str:
    """``on_track`` as it might be written in a class or a string: on_track, on-track."""
    return "|".join(re.escape(v) for v in {value, value.replace("_", "-")})


def _hard_coded_statuses(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    for value in STATUSES:
        spellings = _status_spellings(value)
        patterns = [
            rf"status--({spellings})\b",  # a status class
            rf"""["']({spellings})["']""",  # a status as a string literal
        ]
        if path.suffix == ".css":
            patterns.append(rf"[.#-]({spellings})(?![\w-])")  # a selector or custom property
        for pattern in patterns:
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    return found


def _hard_coded_colours(path: Path) -> list[str]:
    """A stylesheet rule that colours a ``.status--`` class of a status."""
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", path.read_text(encoding="utf-8")):
        statuses = set(re.findall(r"\.status--([\w-]+)", selector)) & set(STATUSES)
        if statuses and re.search(r"color|background|content", body):
            found.append(f"{path.relative_to(ROOT)}: {selector.strip()}")
    return found


def _scanned_files():
    templates = sorted((ROOT / "templates").rglob("*.html")) + sorted(
        (ROOT / "templates").rglob("*.txt")
    )
    static = [p for p in sorted((ROOT / "static").rglob("*")) if p.suffix in {".css", ".js"}]
    return [p for p in templates + static if p != STYLESHEET_PATH]


def test_no_template_or_stylesheet_hard_codes_a_status():
    found = [hit for path in _scanned_files() for hit in _hard_coded_statuses(path)]
    assert found == [], "read the status table (reporting/statuses.py) instead"


def test_no_stylesheet_but_the_written_one_colours_a_status():
    found = [
        hit
        for path in _scanned_files()
        if path.suffix == ".css"
        for hit in _hard_coded_colours(path)
    ]
    assert found == []


def test_the_scan_would_catch_a_status_written_into_a_template(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    page = tmp_path / "page.html"
    page.write_text('{% if c.status == "at_risk" %}<span class="status--off-track">')
    sheet = tmp_path / "page.css"
    sheet.write_text(".status--on_hold { color: #8a4b00; }\n.flag--on-track { color: red; }")
    assert len(_hard_coded_statuses(page)) == 2
    assert len(_hard_coded_statuses(sheet)) == 3
    assert _hard_coded_colours(sheet) == ["page.css: .status--on_hold"]
