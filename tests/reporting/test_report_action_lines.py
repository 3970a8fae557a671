"""Each action's line in a report reads as a sentence: its agencies, timeframe and status in
turn, with no separator left dangling where a part is missing."""

import re

import pytest
from django.template.loader import render_to_string


def meta_of(action: dict) -> str:
    html = render_to_string("reporting/reports/pdf/_action.html", {"a": action, "data": {}})
    meta = re.search(r'<p class="action__meta">(.*?)</p>', html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", meta).strip()


PARENT = {
    "code": "TSOC 14",
    "title": "Address the drivers",
    "coordinators": [],
    "is_line": False,
    "has_parts": True,
    "status": "on_track",
    "status_label": "On track",
    "reported_summary": "4 of 4 lines reported",
    "updates": [],
}


@pytest.mark.parametrize(
    "changes, reads",
    [
        ({}, "status: On track (4 of 4 lines reported)"),
        ({"timeframe": "2027"}, "timeframe: 2027; status: On track (4 of 4 lines reported)"),
        (
            {"coordinators": [{"agency": "Corrections", "role_label": ""}]},
            "Corrections; status: On track (4 of 4 lines reported)",
        ),
    ],
)
def test_a_part_left_out_leaves_no_separator_behind(changes, reads):
    assert meta_of({**PARENT, **changes}) == reads
