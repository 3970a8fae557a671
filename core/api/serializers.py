"""The error shape every endpoint shares (documented in the OpenAPI schema)."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error response has this shape."""

    type = serializers.CharField(
        help_text="A stable code for the kind of error, e.g. validation_error, "
        "not_authenticated, permission_denied, not_found, precondition_failed."
    )
    title = serializers.CharField(help_text="The HTTP status, in words.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field or query parameter (“non_field_errors” for the request "
        "as a whole); empty unless the input was wrong.",
    )
