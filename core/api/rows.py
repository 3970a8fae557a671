"""List pages built from ``.values()`` rows, in exactly the shape their serializer declares.

The serializer is a resource's one declaration. ``columns_for(serializer_class)`` reads its
fields: each model-backed field is one ``.values()`` column (``source="plan.slug"`` is
``plan__slug``; a slug-related field adds its slug field). What isn't a column (a method field, a
model property, a nested list or object) is declared beside the fields in the serializer's
``list_parts``, with a part from here that reads it for a whole page in one query
(``Related``), computes it from a few columns (``Computed``), or takes it from the
view, where it depends on the request (``Supplied``). ``rows_for`` then turns
a page of rows into the output dicts, in the serializer's field order, without model instances
or per-row field objects.

Values go out as the database gives them and the JSON renderer writes them (dates and times in
ISO 8601, decimals as strings, as DRF does): a field whose representation differs from its
stored value belongs in ``list_parts``. A test per resource holds both paths to the same output.
"""

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from operator import itemgetter

from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from core import counts
from core.lookups import any_of


class Computed:
    """A value computed from a few columns of the row (a method field, a model property):
    ``function(*values of columns)``. With ``recurring``, the few distinct values a page has (a
    period's label, say) are each computed once per page."""

    def __init__(self, columns: Iterable[str], function: Callable, *, recurring: bool = False):
        self.columns = tuple(columns)
        self.function = function
        self.recurring = recurring

    def bind(self, model, field) -> None:
        pass

    def prepare(self, rows: list[dict], key: str) -> Callable[[dict], object]:
        function = self.function
        read = (
            itemgetter(*self.columns)
            if len(self.columns) > 1
            else lambda row: (row[self.columns[0]],)
        )
        if not self.recurring:
            return lambda row: function(*read(row))
        computed = {values: function(*values) for values in {read(row) for row in rows}}
        return lambda row: computed[read(row)]


class Related:
    """A list through a relation of the serializer's model (a reverse foreign key or a
    many-to-many, named by the field's ``source``), in ``order``: one query for the page. Each
    item is shaped by the nested serializer, or is the slug of a slug-related field."""

    columns = ()

    def __init__(self, order: Iterable[str]):
        self.order = tuple(order)

    def bind(self, model, field) -> None:
        relation = model._meta.get_field(field.source)
        self.objects = relation.related_model._default_manager
        self.owner = relation.field.name if relation.one_to_many else relation.related_query_name()
        child = getattr(field, "child", None) or getattr(field, "child_relation", None)
        if isinstance(child, serializers.Serializer):
            self.item = shape_of(type(child))
        elif isinstance(child, serializers.SlugRelatedField):
            self.item, self.slug = None, child.slug_field
        else:
            raise ImproperlyConfigured(f"Related can't shape the items of {field.field_name}.")

    def prepare(self, rows: list[dict], key: str) -> Callable[[dict], list]:
        related = self.objects.filter(**{f"{self.owner}__any": any_of(row[key] for row in rows)})
        related = related.order_by(*self.order)
        grouped = defaultdict(list)
        if self.item is None:
            for owner, slug in related.values_list(self.owner, self.slug):
                grouped[owner].append(slug)
        else:
            items = list(related.values(self.owner, *self.item.columns))
            for item, shaped in zip(items, self.item.build(items), strict=True):
                grouped[item[self.owner]].append(shaped)
        return lambda row: grouped.get(row[key], [])


class Supplied:
    """A value only the view can give, since it depends on the request (a person's view of
    progress, say): the view passes ``supplied={field name: prepare}`` to ``rows_for``, where
    ``prepare(rows)`` returns a function of a row, as a part's ``prepare`` does."""

    columns = ()

    def bind(self, model, field) -> None:
        self.name = field.field_name

    def prepare(self, rows: list[dict], key: str, supplied: dict | None = None):
        if not supplied or self.name not in supplied:
            raise ImproperlyConfigured(f"the view must supply {self.name} to rows_for")
        return supplied[self.name](rows)


Part = Computed | Related | Supplied


def column_of(field) -> str | None:
    """The ``.values()`` column a model-backed field reads, or None if it isn't one."""
    if isinstance(field, serializers.SlugRelatedField):
        return "__".join([*field.source_attrs, field.slug_field])
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        return "__".join(field.source_attrs)
    not_a_column = (
        serializers.BaseSerializer,
        serializers.RelatedField,
        serializers.ManyRelatedField,
        serializers.SerializerMethodField,
        serializers.HiddenField,
    )
    if isinstance(field, not_a_column) or field.source == "*":
        return None
    return "__".join(field.source_attrs)


class Shape:
    """How one serializer's output is read from ``.values()`` rows."""

    def __init__(self, serializer_class):
        model = serializer_class.Meta.model
        parts: dict[str, Part] = getattr(serializer_class, "list_parts", {})
        self.key = model._meta.pk.attname
        self.names: list[str] = []
        self.parts: list[tuple[str, Part]] = []  # (the slot its value is put in, the part)
        slots, columns = [], [self.key]
        for name, field in serializer_class().fields.items():
            if field.write_only:
                continue
            self.names.append(name)
            if name in parts:
                part = copy.copy(parts[name])  # bound to this serializer's model and field
                part.bind(model, field)
                slots.append(f"{name}\0")  # no column is called that
                self.parts.append((slots[-1], part))
                columns += part.columns
                continue
            column = column_of(field)
            if column is None:
                raise ImproperlyConfigured(
                    f"{serializer_class.__name__}.{name} is not a column: say how lists read "
                    f"it in {serializer_class.__name__}.list_parts."
                )
            slots.append(column)
            columns.append(column)
        self.columns = tuple(dict.fromkeys(columns))
        if unknown := sorted(set(parts) - set(self.names)):
            raise ImproperlyConfigured(
                f"{serializer_class.__name__}.list_parts names no field: {', '.join(unknown)}."
            )
        # One C-level call reads every value of a row in the serializer's order.
        self.read = itemgetter(*slots) if len(slots) > 1 else lambda row: (row[slots[0]],)

    def build(self, rows: list[dict], supplied: dict | None = None) -> list[dict]:
        """The output dicts (each part's value is first put in its slot of the row)."""
        prepared = [
            (slot, part.prepare(rows, self.key, supplied))
            if isinstance(part, Supplied)
            else (slot, part.prepare(rows, self.key))
            for slot, part in self.parts
        ]
        for slot, get in prepared:
            for row in rows:
                row[slot] = get(row)
        names, read = self.names, self.read
        return [dict(zip(names, read(row), strict=False)) for row in rows]  # equal by construction


class CountedRows:
    """What a list pages over: ``rows`` (a queryset, sliced for each page) counted by
    ``counted``, the same records without the rows' columns. The joins that fetch a related
    column (``plan__slug``) stay in a ``.values()`` queryset's count, made for every record
    counted; and the count is kept until a row it could count changes (``core.counts``).
    A page is chosen by sorting ids alone, then its rows are read whole."""

    def __init__(self, rows, *, counted):
        self.rows, self.counted = rows, counted
        self.ordered = rows.ordered  # the paginator warns of an unordered list

    def count(self) -> int:
        return counts.count(self.counted)

    def __getitem__(self, page: slice) -> list:
        ids = list(self.rows.values_list("pk", flat=True)[page])
        return list(self.rows.filter(pk__any=any_of(ids)))


@cache
def shape_of(serializer_class) -> Shape:
    return Shape(serializer_class)


def columns_for(serializer_class) -> tuple[str, ...]:
    """The ``.values()`` columns a list of ``serializer_class`` reads."""
    return shape_of(serializer_class).columns


def rows_for(serializer_class, rows: Iterable[dict], *, supplied: dict | None = None) -> list[dict]:
    """A page of ``.values(*columns_for(serializer_class))`` rows as the serializer renders
    them: one query more for each related part, whatever the page's size (``supplied``: the
    view's ``Supplied`` parts)."""
    return shape_of(serializer_class).build(list(rows), supplied)
