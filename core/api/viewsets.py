"""The one base class every API resource derives from."""

from rest_framework import viewsets


class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only resource. Authentication, permissions, throttling, filtering, ordering,
    paging, JSON/CSV rendering and the error shape come from ``REST_FRAMEWORK`` settings.

    Every queryset is restricted here, once, by its model's ``visible_to(user)``: a resource
    can't forget who may see it (the model's queryset must define it).

    Lists go through two hooks, so a large resource can skip per-row serializer overhead:
    ``list_rows(queryset)`` says what to page over (e.g. a ``.values()`` queryset) and
    ``serialize_rows(rows)`` turns one page into the representation ``serializer_class``
    describes (the schema always comes from ``serializer_class``).
    """

    ordering_fields: tuple[str, ...] = ("id",)
    lookup_value_regex = "[0-9]{1,18}"  # ids: anything else is a 404 before the database

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(self.list_rows(queryset))
        return self.get_paginated_response(self.serialize_rows(page))

    def list_rows(self, queryset):
        return queryset

    def serialize_rows(self, rows) -> list:
        return self.get_serializer(rows, many=True).data
