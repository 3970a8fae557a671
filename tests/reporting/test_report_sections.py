"""Long packs are rendered a section at a time and joined: the joined PDF still numbers every
page "n of N", carries the marking and running title on every page, and its contents page gives
(and links to) the page each part starts on."""

import io
import re

import pytest
from pypdf import PdfReader

from reporting.models import Report
from reporting.reports import building, documents, rendering
from reporting.reports.rendering import SECTION_BREAK, render_pdf, static_url
from tests.reporting.test_reports import tsoc_plan_with_demo_quarter  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sectioned_at_any_length(monkeypatch):
    """Short documents render in sections too, and the page furniture of a few pages at a time
    (so runs of sections start part-way through the document)."""
    monkeypatch.setattr(rendering, "SECTIONED_FROM", 0)
    monkeypatch.setattr(rendering, "FURNISHED_AT_ONCE", 5)
    forks = []
    in_fork = rendering._in_fork
    monkeypatch.setattr(
        rendering, "_in_fork", lambda work, *a: forks.append(work) or in_fork(work, *a)
    )
    return forks


def contents_entries(page_text: str) -> list[tuple[str, int]]:
    """(title, page number) of each line of a contents page."""
    return [
        (title.strip(), int(number))
        for title, number in re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", page_text, re.MULTILINE)
    ]


def link_targets(reader: PdfReader, page_index: int) -> set[int]:
    """The pages the links on a page point at."""
    annotations = [a.get_object() for a in reader.pages[page_index].get("/Annots") or []]
    return {reader.get_page_number(a["/Dest"][0].get_object()) for a in annotations if "/Dest" in a}


def flattened(outline: list) -> list:
    """A PDF's bookmarks, their children after them (pypdf nests them in lists)."""
    return [
        leaf for item in outline for leaf in (flattened(item) if isinstance(item, list) else [item])
    ]


def page_of(reader: PdfReader, destination) -> int:
    """The page (from 1) a bookmark or link leads to, by name or directly."""
    if isinstance(destination, str):
        destination = reader.named_destinations[destination]
    return reader.get_destination_page_number(destination) + 1


def test_a_document_rendered_in_sections_reads_as_one(sectioned_at_any_length):
    sections = [
        f'<section id="part-{n}"><h2>Part {n} heading</h2>'
        f'<p><a href="#part-{n}-end">To the end of part {n}</a></p>'
        + "".join(f"<p>Paragraph {n}.{j} " + "text " * 80 + "</p>" for j in range(30))
        + f'<p id="part-{n}-end">End of part {n}</p></section>'
        for n in range(4)
    ]
    front = (
        '<section class="cover"><p class="cover__marking marking-source">IN CONFIDENCE</p>'
        '<h1 class="title-source">Steering pack</h1></section>'
        '<nav class="contents"><h2>Contents</h2><ol>'
        + "".join(f'<li><a href="#part-{n}">Part {n}</a></li>' for n in range(4))
        + "</ol></nav>"
    )
    head = (
        '<!doctype html><html lang="en-NZ"><head>'
        f'<link rel="stylesheet" href="{static_url("css/report.css")}">'
    )
    html = f"{head}</head><body>{front}{SECTION_BREAK}{SECTION_BREAK.join(sections)}</body></html>"

    rendered = render_pdf(html)

    # The front matter twice, each section, the furniture in runs, and the join: each in a child.
    rendered_in_children = [work.__name__ for work in sectioned_at_any_length]
    assert rendered_in_children.count("section") == 2 + 4
    assert rendered_in_children.count("furnish") >= 2
    assert rendered_in_children[-1] == "join"
    reader = PdfReader(io.BytesIO(rendered.content))
    pages = [page.extract_text() for page in reader.pages]
    assert rendered.page_count == len(pages) > 8
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
        assert text.count("IN CONFIDENCE") >= 2, f"page {n}: marking in header and footer"
        assert "Steering pack" in text  # the running title (and the cover's heading)
    entries = contents_entries(pages[1])
    assert [title for title, _ in entries] == [f"Part {n}" for n in range(4)]
    for title, number in entries:
        assert f"{title} heading" in pages[number - 1]
        assert f"{title} heading" not in pages[number - 2]
    assert {number - 1 for _, number in entries} <= link_targets(reader, 1)
    # What a reader navigates by comes through the join: the language a screen reader reads
    # it in, a bookmark for each heading, and the links within a section.
    assert reader.trailer["/Root"]["/Lang"] == "en-NZ"
    bookmarks = {item.title: page_of(reader, item) for item in flattened(reader.outline)}
    for title, number in entries:
        assert bookmarks[f"{title} heading"] == number
    for n in range(4):
        start = next(i for i, text in enumerate(pages, 1) if f"To the end of part {n}" in text)
        (link,) = [a.get_object()["/Dest"] for a in reader.pages[start - 1].get("/Annots") or []]
        assert f"End of part {n}" in pages[page_of(reader, link) - 1]


@pytest.mark.parametrize("audience", ["steering", "sib"])
def test_a_pack_cut_into_sections_lists_every_action_with_every_page_right(
    audience,
    tsoc_plan_with_demo_quarter,  # noqa: F811
    monkeypatch,
):
    plan, period, numbers = tsoc_plan_with_demo_quarter
    monkeypatch.setattr(documents, "ACTIONS_PER_SECTION", 4)
    report = Report.objects.create(
        plan=plan, period=period, audience=audience, chosen_marking="SENSITIVE"
    )

    built = building.build_report(report.pk)

    assert documents.report_html(built).count(SECTION_BREAK) >= 28 // 4
    with built.file.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    pages = [page.extract_text() for page in reader.pages]
    assert built.page_count == len(pages)
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
        assert text.count("SENSITIVE") >= 2, f"page {n}: marking in header and footer"
        assert "DEMONSTRATION DATA" in text
    text = "\n".join(pages)
    for number in numbers:
        assert re.search(rf"{number}\b", text), number
    for title, number in contents_entries(pages[1]):
        heading = title.split(":")[0]
        assert heading in " ".join(pages[number - 1].split()), (title, number)
