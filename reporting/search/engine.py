"""Running a search: which rows match, best first, and a page of them with the words highlighted.

On PostgreSQL it is full-text search in the ``english`` configuration (stems, so "laundering"
finds "launder"; ``websearch`` syntax, so "quoted phrases" and -excluded words work), ranked by
``SearchRank`` and highlighted by ``SearchHeadline``. On SQLite (the development default) every
word must appear, anywhere in the kind's fields, as a substring, and highlighting is done here.

Bounded: each kind yields at most ``SEARCH_RESULT_CAP`` matches, and on PostgreSQL the queries run
under a ``statement_timeout`` of ``SEARCH_TIME_LIMIT_MS``; a search that runs out of time says so
rather than failing the page. Every row comes through its kind's ``visible`` rule, twice: when
matching and again when a page of results is fetched.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .registry import SearchKind, registered

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout
# Marks SearchHeadline puts around matches; the text is escaped first, then these become <mark>.
START, STOP = "\ue000", "\ue001"
SNIPPET_CHARS = 240


class SearchTimedOut(Exception):
    """The search ran past ``SEARCH_TIME_LIMIT_MS`` and was stopped."""


@dataclass(frozen=True)
class Hit:
    kind: SearchKind
    pk: int
    rank: float


@dataclass
class Found:
    """What matched, best first, at most ``SEARCH_RESULT_CAP`` of it."""

    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # kind key → matches (capped)
    capped: bool = False  # more matched than are listed
    # kinds left out, with the chosen filters they have no answer for (an action has no period)
    left_out: list[tuple[SearchKind, list[str]]] = field(default_factory=list)
    timed_out: bool = False


@dataclass
class Snippet:
    label: str
    html: SafeString
    note: str = ""  # e.g. the marking of text withheld from release


@dataclass
class Result:
    kind: SearchKind
    obj: object
    heading: str
    url: str
    details: list[str]
    snippets: list[Snippet]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def find(user, text: str, *, filters: dict, kinds: list[SearchKind] | None = None) -> Found:
    """Everything ``user`` may see that matches ``text``, narrowed by ``filters`` (``{"plan":
    ActionPlan, "agency": Agency, "status": str, "period": ReportingPeriod}``, unset ones
    absent)."""
    found = Found()
    cap = settings.SEARCH_RESULT_CAP
    wanted = [kind for kind in registered() if kinds is None or kind in kinds]
    matching = []
    for kind in wanted:
        missing = [name for name in filters if name not in kind.filters]
        if missing:
            found.left_out.append((kind, missing))
            continue
        matching.append((kind, _matches(kind, user, text, filters)))
    try:
        with _time_limit():
            for kind, queryset in matching:
                rows = list(queryset[: cap + 1])
                found.counts[kind.key] = min(len(rows), cap)
                found.capped |= len(rows) > cap
                found.hits += [Hit(kind, pk, rank) for pk, rank in rows[:cap]]
    except SearchTimedOut:
        return Found(left_out=found.left_out, timed_out=True)
    order = {kind.key: index for index, kind in enumerate(wanted)}
    found.hits.sort(key=lambda hit: (-hit.rank, order[hit.kind.key], -hit.pk))
    found.capped |= len(found.hits) > cap
    found.hits = found.hits[:cap]
    return found


def results(user, text: str, hits: list[Hit]) -> list[Result]:
    """The rows of one page of ``hits``, in the same order, each with its matching text
    highlighted (escaped; only the ``<mark>`` around matches is markup). ``SearchTimedOut`` if
    it runs out of time."""
    by_kind: dict[str, list[int]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind.key, []).append(hit.pk)
    rows = {}
    with _time_limit():
        for kind in {hit.kind.key: hit.kind for hit in hits}.values():
            shown = [f for f in kind.fields if f.shown]
            queryset = kind.visible(user).filter(pk__in=by_kind[kind.key])
            queryset = queryset.select_related(*kind.related)
            if uses_full_text():
                query = _query(text)
                queryset = queryset.annotate(
                    **{
                        f"headline_{index}": _headline(f.name, query, whole=f.whole)
                        for index, f in enumerate(shown)
                    }
                )
            objects = list(queryset)
            notes = kind.notes(user, objects)
            for obj in objects:
                rows[(kind.key, obj.pk)] = _result(kind, obj, shown, text, notes)
    return [rows[(hit.kind.key, hit.pk)] for hit in hits if (hit.kind.key, hit.pk) in rows]


# Internals ----------------------------------------------------------------------------------


def _matches(kind: SearchKind, user, text: str, filters: dict):
    """(pk, rank) of the rows of ``kind`` that match, best first (not yet evaluated)."""
    queryset = kind.visible(user)
    for name, value in filters.items():
        queryset = kind.filters[name](queryset, value, user)
    names = [f.name for f in kind.fields]
    if uses_full_text():
        query = _query(text)
        vector = SearchVector(*names, config="english")
        queryset = queryset.annotate(search=vector).filter(search=query)
        queryset = queryset.annotate(rank=SearchRank(vector, query))
        return queryset.order_by("-rank", "-pk").values_list("pk", "rank").distinct()
    condition = Q()
    for term in _terms(text):
        condition &= _any_field_contains(names, term)
    queryset = queryset.filter(condition).annotate(rank=Value(0.0))
    return queryset.order_by("-pk").values_list("pk", "rank").distinct()


def _any_field_contains(names: list[str], term: str) -> Q:
    condition = Q()
    for name in names:
        condition |= Q(**{f"{name}__icontains": term})
    return condition


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, config="english", search_type="websearch")


def _headline(name: str, query: SearchQuery, *, whole: bool) -> SearchHeadline:
    return SearchHeadline(
        F(name),
        query,
        config="english",
        start_sel=START,
        stop_sel=STOP,
        highlight_all=whole,
        **({} if whole else {"max_fragments": 2, "min_words": 12, "max_words": 30}),
        fragment_delimiter=" … ",
    )


def _terms(text: str) -> list[str]:
    """The words of a substring search (quotes and a leading minus are PostgreSQL syntax)."""
    return [word.strip('"') for word in text.split() if word.strip('"-')] or [text]


def _result(kind: SearchKind, obj, shown, text: str, notes: dict) -> Result:
    snippets = []
    for index, search_field in enumerate(shown):
        value = getattr(obj, f"headline_{index}", None)
        html = (
            _marked(value)
            if value
            else _highlight(_value(obj, search_field.name), text, search_field.whole)
        )
        if html is not None:
            snippets.append(
                Snippet(search_field.label, html, notes.get((obj.pk, search_field.name), ""))
            )
    return Result(
        kind=kind,
        obj=obj,
        heading=kind.heading(obj),
        url=kind.url(obj),
        details=[detail for detail in kind.details(obj) if detail],
        snippets=snippets,
    )


def _value(obj, path: str) -> str:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj or ""


def _marked(headline: str) -> SafeString | None:
    """A PostgreSQL headline, escaped, its marks made <mark>; None when nothing in it matched."""
    if START not in headline:
        return None
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))


def _highlight(text: str, query: str, whole: bool) -> SafeString | None:
    """The substring search's highlighting: every occurrence of a word marked, escaped; a long
    text cut to the stretch around the first; None when no word occurs."""
    pattern = re.compile("|".join(re.escape(term) for term in _terms(query)), re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        return None
    start, end = 0, len(text)
    if not whole and len(text) > SNIPPET_CHARS:
        start = max(0, first.start() - SNIPPET_CHARS // 3)
        end = min(len(text), start + SNIPPET_CHARS)
    piece, html, at = text[start:end], [], 0
    for match in pattern.finditer(piece):
        html += [escape(piece[at : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        at = match.end()
    html.append(escape(piece[at:]))
    prefix, suffix = ("… " if start else ""), (" …" if end < len(text) else "")
    return mark_safe(prefix + "".join(html) + suffix)


@contextmanager
def _time_limit():
    """On PostgreSQL, the statements inside run under ``SEARCH_TIME_LIMIT_MS``, in a savepoint
    (a cancelled statement rolls back only this, and the limit with it)."""
    if not uses_full_text():
        yield
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            (before,) = cursor.fetchone()
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)",
                [f"{settings.SEARCH_TIME_LIMIT_MS}ms"],
            )
            yield
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
            raise SearchTimedOut from error
        raise
