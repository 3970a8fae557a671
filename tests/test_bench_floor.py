"""The bench's PDF floors hold the text a report prints, and nothing it doesn't print
(``benchmarks.measure.PrintedText``): the floor a pack is measured against is only honest if it
carries the same content."""

from benchmarks.measure import floor_cells

REPORT = """<!doctype html><html><head><title>Steering group pack</title>
<style>p { color: red }</style></head><body>
<h1>Steering group pack</h1>
<p>Police: <span class="status">On track</span>, 40% complete</p>
<div>Lead <strong>Customs</strong><p>Progress</p>tail</div>
<table><tr><th>Priority</th><th>Actions</th></tr><tr><td>Unify</td><td>23</td></tr></table>
<svg><title>Actions by status</title><desc>A bar chart</desc>
<text>At risk</text><text>3</text></svg>
End of pack.</body></html>"""


def test_each_block_is_a_row_and_inline_text_stays_in_its_block():
    rows = floor_cells(REPORT)

    assert ["Police: On track, 40% complete"] in rows
    assert rows[:1] == [["Steering group pack"]]
    assert ["Lead Customs"] in rows and ["Progress"] in rows and ["tail"] in rows
    assert rows[-1:] == [["End of pack."]]  # text after the last block


def test_a_table_row_is_one_row_of_its_cells():
    rows = floor_cells(REPORT)

    assert ["Priority", "Actions"] in rows
    assert ["Unify", "23"] in rows


def test_chart_labels_are_printed_and_what_is_never_printed_is_left_out():
    rows = floor_cells(REPORT)
    text = [cell for row in rows for cell in row]

    assert "At risk" in text and "3" in text
    assert "Actions by status" not in text
    assert "A bar chart" not in text
    assert not any("color" in cell for cell in text)
    assert text.count("Steering group pack") == 1  # the heading, not the head's title
