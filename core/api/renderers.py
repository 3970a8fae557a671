"""JSON through orjson (fast, and UTC times end in “Z”), and CSV for spreadsheet users."""

import csv
import datetime
import decimal
import io

import orjson
from django.utils.encoding import force_str
from rest_framework import renderers, serializers

from core.spreadsheets import guard_formula

LIST_SEPARATOR = "; "


def _orjson_default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)  # as DRF's DecimalField gives it: exact, as a string
    return force_str(value)  # lazy translations and the like


class ORJSONRenderer(renderers.BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_orjson_default, option=orjson.OPT_UTC_Z)


def csv_columns(serializer, prefix: str = "") -> list[str]:
    """The CSV header for a serializer: nested objects and lists of objects become dotted
    columns (``latest_status.status``, ``agencies.agency``)."""
    columns = []
    for name, field in serializer.fields.items():
        column = f"{prefix}{name}"
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            columns += csv_columns(field, f"{column}.")
        else:
            columns.append(column)
    return columns


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        cells = [_cell(item) for item in value]
        return LIST_SEPARATOR.join(cells) if any(cells) else ""
    if isinstance(value, datetime.date):  # as in the JSON: ISO 8601, UTC times ending in Z
        return value.isoformat().replace("+00:00", "Z")
    return guard_formula(value) if isinstance(value, str) else str(value)


def _lookup(row, path: list[str]):
    """The value at a dotted path; through a list of objects, the list of each one's value."""
    value = row
    for index, key in enumerate(path):
        if value is None:
            return None
        if isinstance(value, list):
            return [_lookup(item, path[index:]) for item in value]
        value = value.get(key)
    return value


class CSVRenderer(renderers.BaseRenderer):
    """``?format=csv``: one row per result, a header row, a byte-order mark so Excel reads the
    UTF-8 correctly, and cells a spreadsheet would take for a formula neutralised."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        else:
            rows = data if isinstance(data, list) else [data]
        columns = csv_columns(view.get_serializer()) if view else sorted(rows[0]) if rows else []
        response = renderer_context.get("response")
        if response is not None:
            name = getattr(view, "basename", None) or "data"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        paths = [column.split(".") for column in columns]
        for row in rows:
            writer.writerow([_cell(_lookup(row, path)) for path in paths])
        return out.getvalue().encode("utf-8")
