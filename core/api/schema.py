"""The OpenAPI schema: every operation documents the errors it can answer with (all in the one
error shape), and CSV is described as CSV."""

from drf_spectacular.openapi import AutoSchema

from .serializers import ErrorSerializer

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ERROR_DESCRIPTIONS = {
    400: "The input (body, path or query parameters) is not valid, e.g. a control character in "
    "the path or a parameter, or a body nested too deep; “errors” says which and why.",
    401: "No credentials, or a token that is not valid or has been revoked.",
    403: "Signed in, but not allowed to do this (a read-only token writing, or a rule of the "
    "quarterly return).",
    404: "No such object among those you may see, no such page, or an unknown format.",
    406: "The Accept header asks for a format the API doesn't give.",
    409: "It conflicts with data that exists, e.g. the update for that action, period and "
    "agency exists already.",
    412: "The If-Match ETag is not the current one: someone else changed it since you read it. "
    "Read it again (the response's ETag header is the current one) and retry.",
    415: "The request body is not JSON.",
    428: "If-Match is missing: send the ETag you read.",
    429: "Too many requests for this token; Retry-After says how many seconds to wait.",
    503: "The database or the broker is unreachable for the moment; Retry-After says when to "
    "try again.",
}
LINK_HEADER = {
    "schema": {"type": "string"},
    "description": 'The next and previous pages, e.g. <https://…?page=2>; rel="next" '
    "(absent when there is only one page).",
}
CSV_SCHEMA = {
    "type": "string",
    "description": "CSV (UTF-8 with a byte-order mark): a header row, then one row per result; "
    "nested fields are dotted columns and lists are joined with “; ”.",
}


class ApiSchema(AutoSchema):
    def error_statuses(self) -> set[int]:
        # 400: any request may hold a control character (core/middleware.py).
        statuses = {400, 401, 403, 404, 406, 429, 503}
        if self.method in WRITE_METHODS:
            statuses |= {409, 415}
        if getattr(self.view, "action", None) in getattr(self.view, "conditional_actions", ()):
            statuses |= {412, 428}
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, response in responses.items():
            if "text/csv" in response.get("content", {}):
                response["content"]["text/csv"] = {"schema": CSV_SCHEMA}
            if status == "200" and self._is_list_view() and self._get_paginator():
                response.setdefault("headers", {})["Link"] = LINK_HEADER
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for status in sorted(self.error_statuses()):
            responses.setdefault(
                str(status),
                {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": error}},
                },
            )
        return responses

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request":
            schema["additionalProperties"] = False  # writes refuse fields they don't know
        return schema


# The characters core/middleware.py refuses, in a pattern both ECMAScript and Python read.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1F\x7F-\x9F]*$"


def refuse_control_characters(result, generator, request, public):
    """``POSTPROCESSING_HOOKS``: every free-text path and query parameter says it takes no
    control character, as the API answers one with a 400."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("pattern", NO_CONTROL_CHARACTERS)
    return result
