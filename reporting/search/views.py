"""The search page: one box over everything a person may see, with filters."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from . import engine
from .forms import SearchForm
from .registry import FILTER_WORDS, registered

RESULTS_PER_PAGE = 20


def search(request):
    form = SearchForm(request.GET or None, user=request.user)
    context = {"form": form, "kinds": registered(), "full_text": engine.uses_full_text()}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        text = form.cleaned_data["q"]
        found = engine.find(
            request.user, text, filters=form.chosen_filters(), kinds=form.chosen_kinds()
        )
        page = Paginator(found.hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        try:
            rows = engine.results(request.user, text, list(page.object_list))
        except engine.SearchTimedOut:
            found, rows = engine.Found(left_out=found.left_out, timed_out=True), []
        context |= {
            "query": text,
            "found": found,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "results": rows,
            "counts": [
                (kind, found.counts[kind.key]) for kind in registered() if kind.key in found.counts
            ],
            "cap": settings.SEARCH_RESULT_CAP,
            "filtered": bool(form.chosen_filters() or form.chosen_kinds()),
            "left_out": [
                (kind, [FILTER_WORDS.get(name, name) for name in missing])
                for kind, missing in found.left_out
            ],
        }
    return render(request, "reporting/search.html", context)
