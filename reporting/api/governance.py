"""The governance resources: the risk register, steering-group meetings (with decisions),
follow-up actions and dependencies between actions, read-only, each under its model's
``visible_to``. A risk withheld from proactive release says so (``withheld_under``); its text
reaches only the people who may see the risk, as a return's does."""

from django.db.models import Prefetch
from rest_framework import serializers

from core.api.viewsets import ApiViewSet
from reporting.governance.filtersets import (
    ActionDependencyFilterSet,
    FollowUpFilterSet,
    RiskFilterSet,
)
from reporting.models import ActionDependency, Decision, FollowUp, Meeting, Risk


class RiskSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    likelihood_word = serializers.CharField(read_only=True)
    consequence_word = serializers.CharField(read_only=True)
    rating = serializers.IntegerField(read_only=True)
    level = serializers.SerializerMethodField()
    residual_rating = serializers.IntegerField(read_only=True)
    residual_level = serializers.SerializerMethodField()
    action_ids = serializers.PrimaryKeyRelatedField(source="actions", many=True, read_only=True)
    source_update_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Risk
        fields = [
            "id", "reference", "plan", "title", "description", "cause", "consequence",
            "owner_agency", "likelihood", "likelihood_word", "consequence_rating",
            "consequence_word", "rating", "level", "treatment", "residual_likelihood",
            "residual_consequence", "residual_rating", "residual_level", "review_on", "status",
            "action_ids", "source_update_id", "withheld_under", "marking", "version",
            "created_at", "updated_at",
        ]  # fmt: skip

    def get_level(self, risk) -> str:
        return risk.band.level.value

    def get_residual_level(self, risk) -> str:
        return risk.residual_band.level.value


class RiskViewSet(ApiViewSet):
    """The steering group's risk register, highest rating first."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    ordering_fields = ("id", "review_on")
    queryset = Risk.objects.select_related("plan", "owner_agency").prefetch_related("actions")

    def get_queryset(self):
        return super().get_queryset().highest_first()


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "text", "decided_on"]


class MeetingSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    attendees = serializers.ListField(source="attendee_list", child=serializers.CharField())
    decisions = DecisionSerializer(many=True, read_only=True)
    report_ids = serializers.PrimaryKeyRelatedField(
        source="reports_tabled", many=True, read_only=True
    )

    class Meta:
        model = Meeting
        fields = ["id", "plan", "title", "held_on", "attendees", "report_ids", "decisions"]


class MeetingViewSet(ApiViewSet):
    """Steering-group meetings with their decisions (the secretariat and viewers)."""

    serializer_class = MeetingSerializer
    ordering_fields = ("id", "held_on")
    queryset = Meeting.objects.select_related("plan").prefetch_related(
        Prefetch("decisions", Decision.objects.order_by("decided_on", "pk")), "reports_tabled"
    )


class FollowUpSerializer(serializers.ModelSerializer):
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner = serializers.CharField(source="owner_label", read_only=True)
    meeting_id = serializers.IntegerField(read_only=True)
    decision_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "meeting_id", "decision_id", "what", "owner_agency", "owner", "due_on",
            "status", "notes", "version",
        ]  # fmt: skip


class FollowUpViewSet(ApiViewSet):
    """Follow-up actions of steering-group meetings: every one for the secretariat and viewers,
    an agency's own for its people."""

    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    ordering_fields = ("id", "due_on")
    queryset = FollowUp.objects.select_related("owner_agency", "owner_user")


class ActionDependencySerializer(serializers.ModelSerializer):
    action_id = serializers.IntegerField(read_only=True)
    depends_on_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = ActionDependency
        fields = ["id", "action_id", "depends_on_id", "note", "is_assumption", "created_at"]


class ActionDependencyViewSet(ApiViewSet):
    """ "Depends on" links between actions, within and across plans."""

    serializer_class = ActionDependencySerializer
    filterset_class = ActionDependencyFilterSet
    queryset = ActionDependency.objects.all()
