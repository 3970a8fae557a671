"""The signed-in client, and the error shape every endpoint shares."""

import datetime

from rest_framework import serializers

from agencies.models import Membership


class MembershipSerializer(serializers.ModelSerializer):
    agency_id = serializers.IntegerField(read_only=True)
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["agency_id", "agency", "role"]


class TokenInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The first characters of the key.")
    read_only = serializers.BooleanField()
    created_at = serializers.DateTimeField(default_timezone=datetime.UTC)


class MeSerializer(serializers.Serializer):
    """Who the API takes the client to be, and what that person may do."""

    username = serializers.CharField()
    name = serializers.CharField(help_text="Full name.")
    is_secretariat = serializers.BooleanField()
    is_viewer = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)
    token = TokenInfoSerializer(
        allow_null=True, help_text="The token used, or null when signed in through the browser."
    )


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
