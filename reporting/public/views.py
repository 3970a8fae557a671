"""The public progress pages: anyone may read them, without signing in.

They are built ONLY from the release register's released entries: each plan's progress is the
stored public snapshot of its latest released report (withheld text already replaced by
"[withheld under s …]"), beside the plan's strategy, which is a published document. No page here
reads a return, a report that isn't released, or a query parameter, and every link goes to
another public page or a released pack (tests/reporting/test_public_progress.py crawls them).
Pages are cached until the next release (and at most ``PUBLIC_PROGRESS_CACHE_SECONDS``).
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from actions.models import Strategy
from reporting.models import ProactiveRelease
from reporting.progress.assembly import read_snapshot
from reporting.releases.grounds import grounds_key
from reporting.releases.views import pack_response


def _released():
    return ProactiveRelease.objects.released().select_related("report__plan", "report__period")


def _cached_page(key: str, build) -> HttpResponse:
    """The page's HTML from the cache, built once per ``key`` (which names the latest release,
    so a new release shows at once) and language (the reader's, from their browser or the
    pages' switch)."""
    key = f"{key}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, settings.PUBLIC_PROGRESS_CACHE_SECONDS)
    response = HttpResponse(html)
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_PROGRESS_CACHE_SECONDS}"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))  # the language chosen
    return response


def _latest_by_plan(entries) -> dict[str, ProactiveRelease]:
    latest: dict[str, ProactiveRelease] = {}
    for entry in entries:
        slug = entry.report.snapshot["plan"]["slug"]
        current = latest.get(slug)
        if current is None or _order(entry) > _order(current):
            latest[slug] = entry
    return latest


def _order(entry: ProactiveRelease) -> tuple:
    return (entry.report.period.starts_on, entry.released_at)


def _register_rows(entries) -> list[dict]:
    return [
        {
            "pk": e.pk,
            "title": e.report.title,
            "plan": e.report.snapshot["plan"]["title"],
            "period": e.report.snapshot["period"]["label"],
            "release_date": e.release_date,
            "publisher": e.publisher,
            "pages": e.pack_pages,
        }
        for e in sorted(entries, key=_order, reverse=True)
    ]


@login_not_required
@require_safe
def index(request):
    entries = list(_released())
    key = "public-progress:index:" + ",".join(f"{e.pk}.{e.version}" for e in entries)

    def build() -> str:
        latest = _latest_by_plan(entries)
        plans = [
            {
                "slug": slug,
                "title": e.report.snapshot["plan"]["title"],
                "period": e.report.snapshot["period"]["label"],
            }
            for slug, e in sorted(latest.items())
        ]
        return render_to_string(
            "reporting/public/index.html",
            {
                "plans": plans,
                "register": _register_rows(entries),
                "page_path": reverse("public:index"),
            },
        )

    return _cached_page(key, build)


@login_not_required
@require_safe
def plan_progress(request, plan: str):
    entries = [e for e in _released() if e.report.snapshot["plan"]["slug"] == plan]
    if not entries:
        raise Http404("No progress report on this plan has been released.")
    latest = max(entries, key=_order)
    key = f"public-progress:plan:{plan}:" + ",".join(f"{e.pk}.{e.version}" for e in entries)

    def build() -> str:
        data = read_snapshot(latest.report.snapshot)
        strategy = (
            Strategy.objects.filter(plans__slug=plan).prefetch_related("priority_areas").first()
        )
        return render_to_string(
            "reporting/public/plan.html",
            {
                "data": data,
                "release": latest,
                "as_at": datetime.datetime.fromisoformat(data["as_at"]),
                "strategy": strategy,
                "grounds": grounds_key(latest.grounds),
                "register": _register_rows(entries),
                "page_path": reverse("public:plan", args=[plan]),
            },
        )

    return _cached_page(key, build)


@login_not_required
@require_safe
def pack(request, pk: int):
    return pack_response(get_object_or_404(_released(), pk=pk))
