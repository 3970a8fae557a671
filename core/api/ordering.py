"""Ordering that refuses fields it doesn't know (rather than silently ignoring them) and always
ends on the primary key, so pages never overlap or skip rows."""

from rest_framework import exceptions
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=field,-other`` over the view's ``ordering_fields``; a view's
    ``ordering_map`` names the database fields behind a public name where they differ."""

    def get_ordering(self, request, queryset, view) -> list[str]:
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            ordering = getattr(view, "ordering", None) or queryset.query.order_by
            return [*(ordering or queryset.model._meta.ordering), "pk"]
        allowed = set(view.ordering_fields)
        terms = raw.split(",")
        if not all(term.removeprefix("-") in allowed for term in terms):
            raise exceptions.ValidationError(
                {self.ordering_param: ["Order by one or more of: " + ", ".join(sorted(allowed))]}
            )
        return [*(field for term in terms for field in self._fields_for(view, term)), "pk"]

    @staticmethod
    def _fields_for(view, term: str) -> list[str]:
        name = term.removeprefix("-")
        fields = getattr(view, "ordering_map", {}).get(name, [name])
        return [f"-{field}" if term.startswith("-") else field for field in fields]

    def filter_queryset(self, request, queryset, view):
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_schema_operation_parameters(self, view):
        names = sorted(view.ordering_fields)
        choice = "|".join(names)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by these fields, comma-separated; “-” before a field sorts "
                f"it in descending order. Fields: {', '.join(names)}.",
                "schema": {"type": "string", "pattern": f"^-?({choice})(,-?({choice}))*$"},
            }
        ]
