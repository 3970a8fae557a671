"""The one base class every API resource derives from."""

from rest_framework import viewsets

from .rows import CountedRows, columns_for, rows_for


class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only resource. Authentication, permissions, throttling, filtering, ordering,
    paging, JSON/CSV rendering and the error shape come from ``REST_FRAMEWORK`` settings.

    Every queryset is restricted here, once, by its model's ``visible_to(user)``: a resource
    can't forget who may see it (the model's queryset must define it).

    A large resource sets ``lists_from_values``: its list pages are then built from
    ``.values()`` rows in the shape ``serializer_class`` declares (``core.api.rows``), skipping
    model instances and per-row serializer overhead. Lists go through two hooks for that:
    ``list_rows(queryset)`` says what to page over and ``serialize_rows(rows)`` turns one page
    into the representation (the schema always comes from ``serializer_class``).
    """

    ordering_fields: tuple[str, ...] = ("id",)
    lists_from_values = False
    lookup_value_regex = "[0-9]{1,18}"  # ids: anything else is a 404 before the database

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(CountedRows(self.list_rows(queryset), counted=queryset))
        return self.get_paginated_response(self.serialize_rows(page))

    def list_rows(self, queryset):
        if self.lists_from_values:
            return queryset.values(*columns_for(self.get_serializer_class()))
        return queryset

    def serialize_rows(self, rows) -> list:
        if self.lists_from_values:
            return rows_for(self.get_serializer_class(), rows)
        return self.get_serializer(rows, many=True).data
