"""Rendering HTML to PDF with WeasyPrint, safely.

- **Nothing is fetched but the project's own static files.** ``StaticFilesOnly`` serves
  ``<STATIC_ORIGIN><STATIC_URL><path>`` from the static directories and refuses every other URL
  (``file://``, ``http(s)://``, ``data:``, paths outside the static directories) before any I/O.
  Report HTML is rendered with ``STATIC_ORIGIN`` as its base URL, so ``{% static %}`` links
  resolve to it. Text people typed is escaped by the template engine before it gets here.
- **A render has a time limit.** On a Celery worker the report task's soft and hard time
  limits stop it (a prefork worker's process may not start children of its own). Everywhere
  else — a web request thread when tasks run in-process on the embedded default, the
  ``build_report`` command — ``render_pdf_with_time_limit`` renders in a child process (forked
  from a clean, single-threaded fork server that has WeasyPrint loaded) and kills it when the
  time is up. Signals can't do that job: ``signal.alarm`` works only on the main thread.

- **Memory stays bounded on long packs.** WeasyPrint keeps every laid-out page until it writes
  the PDF (about 1.4 MiB a page), so a document whose template marks section breaks
  (``SECTION_BREAK``, between whole elements of ``<body>``) more than once is rendered one section
  at a time and the sections' PDFs joined (a short one, whole: joining costs a light extra
  render of every page). What a page shows of the whole document is put right after: the
  margin boxes (marking, running title, "Page n of N") of every page come from one light
  document of as many pages, laid over the sections' pages; the contents page (``nav.contents``,
  whose links show their target's page) is rendered last, given the pages its targets landed
  on, and its links point at them. Each section starts on a new page.

This module doesn't touch the database, so the child process needs no Django set-up.
"""

import contextlib
import io
import logging
import mimetypes
import multiprocessing
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


# A host name that can't exist (RFC 6761), used only as the base URL of report HTML.
STATIC_ORIGIN = "https://static.tsoc-tracker.invalid"

# Where a long document may be cut into separately rendered sections (see the module docstring).
SECTION_BREAK = "<!-- pdf-section-break -->"
MARGIN_BOXES = [
    f"@{side}-{place}"
    for side in ("top", "bottom")
    for place in ("left-corner", "left", "center", "right", "right-corner")
] + [f"@{side}-{place}" for side in ("left", "right") for place in ("top", "middle", "bottom")]
# The sections' own pages carry no margin boxes: the overlay draws them for the whole document.
_NONE = " ".join(f"{box} {{ content: none !important; }}" for box in MARGIN_BOXES)
NO_MARGIN_BOXES = f"@page {{ {_NONE} }}"
PX_TO_PT = 0.75


class RefusedURL(ValueError):
    """The fetcher refused a URL: reports load nothing but the project's static files."""


class RenderError(RuntimeError):
    """WeasyPrint failed to render the document."""


class RenderTimeLimitExceeded(RenderError):
    """The render took longer than its time limit and was stopped."""


@dataclass(frozen=True)
class RenderedPDF:
    content: bytes
    page_count: int


class StaticFilesOnly(URLFetcher):
    """A WeasyPrint (≥ 70) URL fetcher that serves only files under ``roots`` by their static
    URL and raises ``RefusedURL`` for everything else, without opening anything."""

    def __init__(self, roots: list[str], static_url: str):
        super().__init__()
        self.roots = [Path(root).resolve() for root in roots]
        self.prefix = f"{STATIC_ORIGIN}/{static_url.strip('/')}/"
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        path = self.static_file(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Report rendering refused to fetch %.200s", url)
            raise RefusedURL(f"Reports load only the project's static files, not {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def static_file(self, url: str) -> Path | None:
        """The static file ``url`` names, if it names one inside a static directory."""
        if not url.startswith(self.prefix):
            return None
        parts = urlsplit(url)
        relative = unquote(parts.path)[len(urlsplit(self.prefix).path) :]
        if not relative or "\x00" in relative or parts.query or parts.fragment:
            return None
        for root in self.roots:
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
        return None


def static_url(path: str) -> str:
    """The URL report HTML links a static file by, e.g. ``static_url("css/report.css")``. It
    names the file itself (no hashed name), so rendering works with or without collectstatic."""
    return f"{STATIC_ORIGIN}/{settings.STATIC_URL.strip('/')}/{path}"


def static_roots() -> list[str]:
    """The project's static directories (``STATICFILES_DIRS``) and ``STATIC_ROOT``."""
    roots = [
        entry[1] if isinstance(entry, tuple | list) else entry
        for entry in settings.STATICFILES_DIRS
    ]
    return [str(root) for root in [*roots, settings.STATIC_ROOT] if root]


def render_pdf(
    html: str, *, roots: list[str] | None = None, static_url: str | None = None
) -> RenderedPDF:
    """Render ``html`` in this process, fetching nothing but static files. No time limit. A
    document with section breaks (``SECTION_BREAK``) is rendered a section at a time."""
    fetcher = StaticFilesOnly(
        static_roots() if roots is None else roots,
        settings.STATIC_URL if static_url is None else static_url,
    )
    if html.count(SECTION_BREAK) > 1:
        with _quiet_about_other_sections():
            return SectionedRender(html, fetcher).render()
    html = html.replace(SECTION_BREAK, "")  # front matter and one section: render it whole
    document = _layout(html, fetcher)
    return RenderedPDF(document.write_pdf(), len(document.pages))


class _OtherSectionsAnchors(logging.Filter):
    """WeasyPrint logs an error for each link or page reference to an anchor outside the
    document; rendered in sections, those are expected and put right when the PDFs are joined."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "undefined anchor" not in message and "No anchor" not in message


@contextlib.contextmanager
def _quiet_about_other_sections():
    weasyprint_logger, quiet = logging.getLogger("weasyprint"), _OtherSectionsAnchors()
    weasyprint_logger.addFilter(quiet)
    try:
        yield
    finally:
        weasyprint_logger.removeFilter(quiet)


def _layout(html: str, fetcher: URLFetcher):
    return HTML(string=html, base_url=f"{STATIC_ORIGIN}/", url_fetcher=fetcher).render()


@dataclass
class _Section:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # anchor → page index within the section
    links: list[
        tuple[int, str, tuple[float, float, float, float], float]
    ]  # page, anchor, rect, height


class SectionedRender:
    """One long document rendered a section at a time (see the module docstring)."""

    def __init__(self, html: str, fetcher: URLFetcher):
        body = re.search(r"<body[^>]*>", html)
        end = html.rindex("</body>")
        if body is None:
            raise RenderError("A sectioned document needs a <body>.")
        self.head, self.tail = html[: body.end()], html[end:]
        self.front, *self.rest = html[body.end() : end].split(SECTION_BREAK)
        self.fetcher = fetcher

    def document(self, body: str, css: str = NO_MARGIN_BOXES) -> str:
        head = self.head.replace("</head>", f"<style>{css}</style></head>", 1) if css else self.head
        return f"{head}{body}{self.tail}"

    def section(self, body: str, css: str = NO_MARGIN_BOXES) -> _Section:
        document = _layout(self.document(body, css), self.fetcher)
        anchors, links = {}, []
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, index)
            links += [
                (index, target, rectangle, page.height)
                for kind, target, rectangle, _ in page.links
                if kind == "internal"
            ]
        return _Section(document.write_pdf(), len(document.pages), anchors, links)

    def render(self) -> RenderedPDF:
        # The front matter's length first (its page numbers blank), then the sections in turn.
        front_pages = self.section(self.front).pages
        sections, page = [], front_pages
        anchors: dict[str, int] = {}
        for body in self.rest:
            section = self.section(body)
            anchors.update({a: page + i for a, i in section.anchors.items() if a not in anchors})
            sections.append((page, section))
            page += section.pages
        total = page
        numbers = " ".join(
            f'.contents a[href="#{anchor}"]::after {{ content: leader(".") " {number + 1}"; }}'
            for anchor, number in anchors.items()
            if '"' not in anchor and "\\" not in anchor
        )
        front = self.section(self.front, f"{NO_MARGIN_BOXES} {numbers}")
        if front.pages != front_pages:
            raise RenderError("The contents page changed length once its page numbers were set.")
        anchors.update({a: i for a, i in front.anchors.items() if a not in anchors})
        return RenderedPDF(
            self.join([(0, front), *sections], self.overlay(total, front_pages), anchors), total
        )

    def overlay(self, total: int, front_pages: int) -> PdfReader:
        """Every page's margin boxes: the front matter, invisible (it sets the running strings,
        such as the marking), then blank pages to the document's length."""
        hidden = f'<div style="visibility: hidden">{self.front}</div>'
        blanks = "<div></div>" + '<div style="break-before: page"></div>' * (
            total - front_pages - 1
        )
        overlay = _layout(self.document(hidden + blanks, css=""), self.fetcher)
        if len(overlay.pages) != total:
            raise RenderError("The page furniture did not come out at the document's length.")
        return PdfReader(io.BytesIO(overlay.write_pdf()))

    @staticmethod
    def join(sections, overlay: PdfReader, anchors: dict[str, int]) -> bytes:
        writer = PdfWriter()
        for _, section in sections:
            writer.append(PdfReader(io.BytesIO(section.pdf)))
        for page, furniture in zip(writer.pages, overlay.pages, strict=True):
            page.merge_page(furniture)
        # Links to other sections (the contents page's): WeasyPrint could not resolve them.
        for start, section in sections:
            for index, anchor, (x, y, width, height), page_height in section.links:
                if anchor in anchors and anchor not in section.anchors:
                    top = (page_height - y) * PX_TO_PT
                    rect = (x * PX_TO_PT, top - height * PX_TO_PT, (x + width) * PX_TO_PT, top)
                    writer.add_annotation(
                        start + index, Link(rect=rect, target_page_index=anchors[anchor])
                    )
        metadata = PdfReader(io.BytesIO(sections[0][1].pdf)).metadata
        if metadata:
            writer.add_metadata(dict(metadata))
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def _render_in_child(connection, html: str, roots: list[str], static_url: str) -> None:
    try:
        connection.send(("ok", render_pdf(html, roots=roots, static_url=static_url)))
    except BaseException as error:  # report every failure to the parent, then exit
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def _fork_context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", __name__])
    return context


def render_pdf_with_time_limit(html: str, *, seconds: float | None = None) -> RenderedPDF:
    """Render ``html`` in a child process, stopping it after ``seconds`` (default
    ``REPORT_RENDER_TIME_LIMIT``). Raises ``RenderTimeLimitExceeded`` or ``RenderError``."""
    seconds = settings.REPORT_RENDER_TIME_LIMIT if seconds is None else seconds
    context = _fork_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_render_in_child,
        args=(sender, html, static_roots(), settings.STATIC_URL),
        name="weasyprint-render",
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise RenderTimeLimitExceeded(f"Rendering took longer than {seconds:g} seconds.")
        outcome, payload = receiver.recv()
    except EOFError:
        raise RenderError("The rendering process ended without a result.") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome != "ok":
        raise RenderError(payload)
    return payload
