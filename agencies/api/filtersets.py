"""Filters for the agency list."""

import django_filters
from django.db.models import Q

from agencies.models import Agency
from core.filters import TextFilter


class AgencyFilterSet(django_filters.FilterSet):
    slug = TextFilter(label="Agency slug.")
    search = TextFilter(
        method="filter_search", label="Name, short name, slug or another name contains this."
    )

    class Meta:
        model = Agency
        fields = ["slug", "search"]

    def filter_search(self, queryset, name, value):
        text = Q(name__icontains=value) | Q(short_name__icontains=value)
        text |= Q(slug__icontains=value) | Q(aliases__name__icontains=value)
        return queryset.filter(pk__in=Agency.objects.filter(text).values("pk"))
