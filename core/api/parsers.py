"""The API's JSON parser, bounded: a body nested deeper than ``MAX_JSON_DEPTH`` is a 400 naming
the field, not a ``RecursionError`` (a 500). The size is bounded by Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a 413, core/api/exceptions.py)."""

from rest_framework import exceptions, parsers

MAX_JSON_DEPTH = 32  # the deepest real body (an update with its readings) is 3


def _too_deep(value, depth: int = 1) -> bool:
    """True when ``value`` nests lists and objects more than ``MAX_JSON_DEPTH`` deep."""
    pending = [(value, depth)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return False


def _deep_field(data) -> str:
    """The top-level field that holds too deep a value (the whole body when it isn't an object)."""
    if isinstance(data, dict):
        for name, value in data.items():
            if isinstance(value, dict | list) and _too_deep(value, 2):
                return str(name)
    return "non_field_errors"


class BoundedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        message = f"JSON may nest lists and objects at most {MAX_JSON_DEPTH} levels deep."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # deeper than Python's own limit: json gave up
            raise exceptions.ValidationError({"non_field_errors": [message]}) from None
        if isinstance(data, dict | list) and _too_deep(data):
            raise exceptions.ValidationError({_deep_field(data): [message]})
        return data
