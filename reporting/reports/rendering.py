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

This module doesn't touch the database, so the child process needs no Django set-up.
"""

import logging
import mimetypes
import multiprocessing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


# A host name that can't exist (RFC 6761), used only as the base URL of report HTML.
STATIC_ORIGIN = "https://static.tsoc-tracker.invalid"


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
    """Render ``html`` in this process, fetching nothing but static files. No time limit."""
    fetcher = StaticFilesOnly(
        static_roots() if roots is None else roots,
        settings.STATIC_URL if static_url is None else static_url,
    )
    document = HTML(string=html, base_url=f"{STATIC_ORIGIN}/", url_fetcher=fetcher).render()
    return RenderedPDF(document.write_pdf(), len(document.pages))


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
