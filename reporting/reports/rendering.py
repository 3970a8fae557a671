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
  the PDF (about 1.4 MiB a page), and a process seldom gives memory back once it has grown, so a
  long document (``SECTIONED_FROM``) whose template marks section breaks (``SECTION_BREAK``,
  between whole elements of ``<body>``) is rendered one section at a time, each in a forked
  child that writes its PDF to a temporary file and exits, and the sections' PDFs joined (in a
  child too, with pikepdf, keeping each section's bookmarks and links and the document's
  language). The build's own process never lays out a page,
  so the most a build holds is that process and one section's child; before the first child
  the process hands the heap it has freed back to Linux, which is about 20 MiB of the
  10,000-action pack's peak. What a page shows of the whole document is put right after: the
  margin boxes (marking, running title, "Page n of N") of each section's pages come from a
  light document of blank pages with the page counter set to where the section starts and
  ``counter(pages)`` read as the whole length, laid over them (pikepdf's ``add_overlay``, which
  shares the overlay's fonts between pages);
  the contents page (``nav.contents``, whose links show their target's page) is rendered last,
  given the pages its targets landed on, and its links point at them. Each section starts on a
  new page. A short document is rendered whole.

This module doesn't touch the database, so the child processes need no Django set-up (and a
forked one never uses the connection it inherits).
"""

import contextlib
import ctypes
import io
import logging
import mimetypes
import multiprocessing
import os
import pickle
import re
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


# A host name that can't exist (RFC 6761), used only as the base URL of report HTML.
STATIC_ORIGIN = "https://static.tsoc-tracker.invalid"

# Where a long document may be cut into separately rendered sections (see the module docstring),
# and how long (in characters of HTML, about 60 pages) a document is before it is.
SECTION_BREAK = "<!-- pdf-section-break -->"
SECTIONED_FROM = 400_000
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
    if html.count(SECTION_BREAK) > 1 and len(html) >= SECTIONED_FROM:
        with _quiet_about_other_sections():
            return SectionedRender(html, fetcher).render()
    html = html.replace(SECTION_BREAK, "")  # a short document: render it whole
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
    path: Path  # its PDF, in the render's temporary directory
    pages: int
    anchors: dict[str, int]  # anchor → page index within the section
    links: list[
        tuple[int, str, tuple[float, float, float, float], float]
    ]  # page, anchor, rect, height


def _in_fork(work, *args):
    """``work(*args)`` run in a forked child, which exits when it is done, and its (picklable)
    result. All that a render allocates (WeasyPrint's laid-out pages, its caches, what Python's
    allocator keeps) goes when the child exits, so each section costs the worker no more memory
    than the largest section. ``os.fork`` rather than ``multiprocessing`` because a Celery prefork
    worker's process may not start multiprocessing children; a child dies with its parent."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 0
        try:
            os.close(reader)
            _die_with_parent()
            outcome = ("ok", work(*args))
        except BaseException as error:  # report every failure to the parent, then exit
            outcome, status = ("error", f"{type(error).__name__}: {error}"), 1
        try:
            with os.fdopen(writer, "wb") as pipe:
                pickle.dump(outcome, pipe)
        finally:
            os._exit(status)
    os.close(writer)
    try:
        with os.fdopen(reader, "rb") as pipe:
            received = pipe.read()
    except BaseException:  # a time limit, say: the child goes too
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, _, usage = os.wait4(pid, 0)
        logger.debug("%s in a child: peak RSS %d KiB", work.__name__, usage.ru_maxrss)
    if not received:
        raise RenderError("A section's rendering process ended without a result.")
    outcome, payload = pickle.loads(received)
    if outcome != "ok":
        raise RenderError(payload)
    return payload


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (a worker stopped at its hard time
    limit, a render child killed at its time limit), so no section render outlives its build."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


PR_SET_PDEATHSIG = 1


def _give_back_free_memory() -> None:
    """Hand the C heap's free pages back to Linux (glibc's ``malloc_trim``). What the build
    freed before rendering (the rows its snapshot was built from, say) otherwise stays resident
    in its process, and so in the memory the whole build holds while its children render."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


# How many pages' margin boxes one overlay render lays out (a few sections' worth; each render
# repeats the front matter, hidden, for its running strings).
FURNISHED_AT_ONCE = 250


def _runs(sections: list[tuple[int, _Section]], pages: int) -> list[list[tuple[int, _Section]]]:
    """Consecutive sections in runs of about ``pages`` pages (a longer section on its own)."""
    runs: list[list[tuple[int, _Section]]] = [[]]
    for start, section in sections:
        if runs[-1] and sum(s.pages for _, s in runs[-1]) + section.pages > pages:
            runs.append([])
        runs[-1].append((start, section))
    return runs


class _TotalPages(URLFetcher):
    """The fetcher of an overlay that covers part of a document: stylesheets' ``counter(pages)``
    reads as the whole document's page count."""

    def __init__(self, fetcher: URLFetcher, total: int):
        super().__init__()
        self.fetcher, self.total = fetcher, total

    def fetch(self, url, headers=None):
        response = self.fetcher.fetch(url, headers)
        if not url.endswith(".css"):
            return response
        css = response.read().replace(b"counter(pages)", f'"{self.total}"'.encode())
        return URLFetcherResponse(url, css, {"Content-Type": "text/css"})


class SectionedRender:
    """One long document rendered a section at a time (see the module docstring). Every render
    runs in a forked child (``_in_fork``) that writes its PDF to a temporary file; the parent
    keeps only page counts, anchors and links."""

    def __init__(self, html: str, fetcher: StaticFilesOnly):
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

    def section(self, path: Path, body: str, css: str = NO_MARGIN_BOXES) -> _Section:
        """Render ``body`` (in this process) to ``path``."""
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
        document.write_pdf(path)
        return _Section(path, len(document.pages), anchors, links)

    def render(self) -> RenderedPDF:
        with tempfile.TemporaryDirectory(prefix="tsoc-report-") as directory:
            return self._render(Path(directory))

    def _render(self, directory: Path) -> RenderedPDF:
        _give_back_free_memory()  # before the first child, which would share every freed page
        # The front matter's length first (its page numbers blank), then the sections in turn.
        front_pages = _in_fork(self.section, directory / "front.pdf", self.front).pages
        sections, page = [], front_pages
        anchors: dict[str, int] = {}
        for n, body in enumerate(self.rest):
            section = _in_fork(self.section, directory / f"section-{n}.pdf", body)
            anchors.update({a: page + i for a, i in section.anchors.items() if a not in anchors})
            sections.append((page, section))
            page += section.pages
        self.rest = []  # the sections' HTML is no longer needed
        total = page
        numbers = " ".join(
            f'.contents a[href="#{anchor}"]::after {{ content: leader(".") " {number + 1}"; }}'
            for anchor, number in anchors.items()
            if '"' not in anchor and "\\" not in anchor
        )
        front = _in_fork(
            self.section, directory / "front.pdf", self.front, f"{NO_MARGIN_BOXES} {numbers}"
        )
        if front.pages != front_pages:
            raise RenderError("The contents page changed length once its page numbers were set.")
        anchors.update({a: i for a, i in front.anchors.items() if a not in anchors})
        sections = [(0, front), *sections]
        for group in _runs(sections, FURNISHED_AT_ONCE):
            _in_fork(self.furnish, group, front_pages, total)
        joined = directory / "joined.pdf"
        _in_fork(self.join, sections, anchors, joined)
        return RenderedPDF(joined.read_bytes(), total)

    def furnish(self, group: list[tuple[int, _Section]], front_pages: int, total: int) -> None:
        """Lay the margin boxes (marking, running title, "Page n of N") of a run of sections'
        pages over them. They come from a light document: the front matter, invisible (it sets
        the running strings, such as the marking), then blank pages; unless the run starts the
        document, the front matter's pages are dropped and the page counter set so that the
        first blank reads the run's first page number."""
        start, pages = group[0][0], sum(section.pages for _, section in group)
        blanks = pages - front_pages if start == 0 else pages
        css = f"@page :first {{ counter-reset: page {start + 1 - front_pages} }}" if start else ""
        body = f'<div style="visibility: hidden">{self.front}</div>' + "".join(
            '<div style="break-before: page"></div>' if n or not front_pages else "<div></div>"
            for n in range(blanks)
        )
        overlay = _layout(self.document(body, css), _TotalPages(self.fetcher, total))
        if len(overlay.pages) != front_pages + blanks:
            raise RenderError("The page furniture did not come out at the sections' length.")
        with pikepdf.open(io.BytesIO(overlay.write_pdf())) as furniture_pdf:
            furniture = list(furniture_pdf.pages)[-pages:]
            for _, section in group:
                margins, furniture = furniture[: section.pages], furniture[section.pages :]
                with pikepdf.open(section.path, allow_overwriting_input=True) as pdf:
                    for page, margin in zip(pdf.pages, margins, strict=True):
                        page.add_overlay(margin)  # drawn over the page, at its own size
                    pdf.save(section.path)

    @staticmethod
    def join(sections, anchors: dict[str, int], path: Path) -> None:
        """The sections' PDFs as one: their pages with their bookmarks and the links within
        each (``add_pages_from``), the links between sections that WeasyPrint could not
        resolve, and the first section's document information and language."""
        with contextlib.ExitStack() as opened:
            joined = opened.enter_context(pikepdf.new())
            for number, (_, section) in enumerate(sections):
                # Open until the joined file is saved, which copies the pages' contents.
                pdf = opened.enter_context(pikepdf.open(section.path))
                joined.add_pages_from(pdf)
                if number == 0:
                    _copy_document_details(pdf, joined)
            for start, section in sections:
                for index, anchor, (x, y, width, height), page_height in section.links:
                    if anchor in anchors and anchor not in section.anchors:
                        top = (page_height - y) * PX_TO_PT
                        rect = [x * PX_TO_PT, top - height * PX_TO_PT, (x + width) * PX_TO_PT, top]
                        _add_link(joined, start + index, rect, anchors[anchor])
            joined.save(path)


def _copy_document_details(source: pikepdf.Pdf, joined: pikepdf.Pdf) -> None:
    """The title, author and producer, and the language (read aloud by screen readers)."""
    for key, value in source.docinfo.items():
        joined.docinfo[key] = value
    if "/Lang" in source.Root:
        joined.Root.Lang = source.Root.Lang


def _add_link(joined: pikepdf.Pdf, page_index: int, rect: list[float], target: int) -> None:
    """A link (no border) over ``rect`` on a page, to the top of page ``target``."""
    page = joined.pages[page_index]
    link = joined.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=rect,
            Border=[0, 0, 0],
            Dest=[joined.pages[target].obj, pikepdf.Name.Fit],
            P=page.obj,
        )
    )
    if "/Annots" not in page.obj:
        page.obj.Annots = pikepdf.Array()
    page.obj.Annots.append(link)


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
