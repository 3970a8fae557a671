"""Agencies, and the signed-in client with the agencies it reports for."""

import datetime

from rest_framework import serializers

from agencies.models import Agency, Membership


class AgencySerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Other names it goes by."
    )

    class Meta:
        model = Agency
        fields = ["id", "slug", "name", "short_name", "aliases"]


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
