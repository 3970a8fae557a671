"""``GET /api/v1/search/``: the search page's results as JSON, by the same rules and filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers

from core.api.exceptions import ServiceUnavailable
from reporting.search import engine
from reporting.search.forms import QUERY_MAX_CHARS, SearchForm
from reporting.search.registry import registered


class MatchSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field that matched, as the page labels it.")
    highlight = serializers.CharField(
        help_text="The matching text, HTML-escaped, with <mark>…</mark> around the matches."
    )
    note = serializers.CharField(help_text="E.g. the marking of text withheld from release.")


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="action, return, measure, …")
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="The page that shows it.")
    details = serializers.ListField(child=serializers.CharField())
    matches = MatchSerializer(many=True)

    def to_representation(self, result: engine.Result):
        request = self.context["request"]
        return {
            "kind": result.kind.key,
            "id": result.obj.pk,
            "title": result.heading,
            "url": request.build_absolute_uri(result.url),
            "details": result.details,
            "matches": [
                {"field": s.label, "highlight": str(s.html), "note": s.note}
                for s in result.snippets
            ],
        }


def _parameter(name: str, description: str, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description, **kwargs
    )


class SearchTookTooLong(ServiceUnavailable):
    default_detail = "The search took too long. Use more specific words or a filter."
    default_code = "search_timed_out"


class SearchView(generics.ListAPIView):
    """Actions, returns and success measures the client may see that match ``q``, best first."""

    serializer_class = SearchResultSerializer
    filter_backends = ()

    @extend_schema(
        operation_id="search",
        summary="Search what you may see",
        parameters=[
            _parameter(
                "q", f"The words to find (up to {QUERY_MAX_CHARS} characters).", required=True
            ),
            _parameter("kind", "Only this kind: " + ", ".join(k.key for k in registered()) + "."),
            _parameter("plan", "A plan's slug."),
            _parameter("agency", "An agency's slug."),
            _parameter("status", "A status, e.g. at_risk."),
            _parameter("period", "A period: “Q1 2026/27”, “2026/27-Q1” or “2026-Q3”."),
        ],
    )
    def get(self, request, *args, **kwargs):
        form = SearchForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {
                    name: [error["message"] for error in errors]
                    for name, errors in form.errors.get_json_data().items()
                }
            )
        text = form.cleaned_data["q"]
        if not text:
            raise exceptions.ValidationError({"q": ["Give the words to search for."]})
        found = engine.find(
            request.user, text, filters=form.chosen_filters(), kinds=form.chosen_kinds()
        )
        if found.timed_out:
            raise SearchTookTooLong()
        hits = self.paginate_queryset(found.hits)
        try:
            rows = engine.results(request.user, text, hits)
        except engine.SearchTimedOut:
            raise SearchTookTooLong() from None
        response = self.get_paginated_response(self.get_serializer(rows, many=True).data)
        response.data["capped"] = found.capped
        return response
