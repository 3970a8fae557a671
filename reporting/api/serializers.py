"""How actions with their progress, status updates and periods look in the API.

As for actions, each serializer is the one declaration of its resource: lists are built from
``.values()`` rows in the shape it declares (``core.api.rows``), its ``list_parts`` saying how
they read what isn't a column; a test holds both paths to identical output. Times are in UTC.
"""

import datetime

from django.urls import reverse
from rest_framework import serializers

from actions.api.serializers import ActionSerializer, reference_of
from actions.models import Action, ActionAgency
from agencies.models import Agency
from core.api.rows import Computed, Supplied
from reporting.models import Evidence, ReportingPeriod, StatusUpdate
from reporting.models.periods import quarter_label
from reporting.returns.services import UPDATE_FIELDS
from reporting.statuses import PROGRESS_STATUS_CHOICES


def utc_datetime(**kwargs):
    return serializers.DateTimeField(read_only=True, default_timezone=datetime.UTC, **kwargs)


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(
        read_only=True, help_text="The financial-year quarter, e.g. “Q1 2026/27”."
    )

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "code",
            "label",
            "year",
            "quarter",
            "starts_on",
            "ends_on",
            "opens_on",
            "due_on",
            "closes_on",
            "state",
        ]


class ProgressReturnSerializer(serializers.Serializer):
    update_id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    agency = serializers.CharField(help_text="The agency's slug.")
    role = serializers.ChoiceField(choices=ActionAgency.Role.choices)
    counts = serializers.BooleanField(
        help_text="A responsible agency's return, which the status comes from (the designated "
        "lead's, else each coordinating agency's); false for a supporting agency's input."
    )
    status = serializers.ChoiceField(choices=StatusUpdate.Status.choices)
    state = serializers.ChoiceField(choices=StatusUpdate.State.choices)
    percent_complete = serializers.IntegerField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="The period's code, e.g. “2026-Q3”.")
    period_label = serializers.CharField(help_text="E.g. “Q1 2026/27”.")
    status = serializers.ChoiceField(
        choices=PROGRESS_STATUS_CHOICES,
        help_text="By the status rule (docs/status-rule.md): a line's is the worst of its "
        "responsible agencies' submitted or accepted returns, or “none”; an action with "
        "sub-actions or strands rolls up from its lines.",
    )
    status_label = serializers.CharField()
    percent_complete = serializers.IntegerField(allow_null=True)
    is_line = serializers.BooleanField(
        help_text="A reportable line (no sub-actions or strands of its own)."
    )
    lines = serializers.IntegerField(help_text="How many lines it rolls up from (1 for a line).")
    lines_reported = serializers.IntegerField(
        help_text="How many of them have a responsible agency's return."
    )
    returns = ProgressReturnSerializer(
        many=True, help_text="A line's submitted and accepted returns you may see."
    )


class ActionProgressSerializer(ActionSerializer):
    progress = ProgressSerializer(
        read_only=True,
        allow_null=True,
        help_text="The action's status in a period, computed as the dashboard and reports "
        "compute it: with ?period=, that period's; otherwise the quarter the dashboard shows "
        "for its plan. Null where you may not read its progress.",
    )
    overdue = serializers.BooleanField(
        read_only=True,
        help_text="An open period covering the plan is past its due date and an agency "
        "responsible for one of its lines has not submitted its return.",
    )

    class Meta(ActionSerializer.Meta):
        fields = [*ActionSerializer.Meta.fields, "progress", "overdue"]

    list_parts = {**ActionSerializer.list_parts, "progress": Supplied()}


class StatusUpdateSerializer(serializers.ModelSerializer):
    action_id = serializers.IntegerField(read_only=True)
    action_reference = serializers.SerializerMethodField(help_text="E.g. “TSOC 13a”.")
    plan = serializers.CharField(source="action.plan.slug", read_only=True)
    period_id = serializers.IntegerField(read_only=True)
    period = serializers.CharField(source="period.code", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    agency_id = serializers.IntegerField(read_only=True)
    agency = serializers.CharField(source="agency.slug", read_only=True)
    created_at = utc_datetime()
    updated_at = utc_datetime()
    submitted_at = utc_datetime(allow_null=True)
    reviewed_at = utc_datetime(allow_null=True)

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "action_id",
            "action_reference",
            "plan",
            "period_id",
            "period",
            "period_label",
            "agency_id",
            "agency",
            "status",
            "percent_complete",
            "commentary",
            "risks",
            "next_steps",
            "state",
            "is_late",
            "is_demo",
            "review_comment",
            "created_at",
            "updated_at",
            "submitted_at",
            "reviewed_at",
            "version",
        ]
        read_only_fields = fields

    list_parts = {
        "action_reference": Computed(("action__plan__code", "action__number"), reference_of),
        "period_label": Computed(
            ("period__year", "period__quarter"), quarter_label, recurring=True
        ),
    }

    def get_action_reference(self, update) -> str:
        return reference_of(update.action.plan.code, update.action.number)


def text_field():
    """Free text; NUL characters are refused (and the schema says so)."""
    return serializers.RegexField(
        r"^[^\x00]*$",
        allow_blank=True,
        required=False,
        trim_whitespace=False,
        error_messages={"invalid": "Text can't contain NUL characters."},
    )


class StatusUpdateChangeSerializer(serializers.Serializer):
    """The fields a client may write; what it leaves out keeps its value (on a new update,
    last quarter's, as in the browser)."""

    status = serializers.ChoiceField(choices=StatusUpdate.Status.choices, required=False)
    percent_complete = serializers.IntegerField(
        min_value=0, max_value=100, allow_null=True, required=False
    )
    commentary = text_field()
    risks = text_field()
    next_steps = text_field()

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, dict):
            unknown = {
                name: ["Not a field you can write."] for name in data if name not in self.fields
            }
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return values

    def changes(self) -> dict:
        return {
            name: self.validated_data[name] for name in UPDATE_FIELDS if name in self.validated_data
        }


class PeriodNameField(serializers.SlugRelatedField):
    """A period by any name people write (``ReportingPeriod.objects.by_name``)."""

    def to_internal_value(self, data):
        try:
            return self.get_queryset().by_name(str(data)).get()
        except ValueError as error:
            raise serializers.ValidationError(str(error), code="invalid") from None
        except ReportingPeriod.DoesNotExist:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)


class StatusUpdateCreateSerializer(StatusUpdateChangeSerializer):
    """A new update: which action, period and agency it is for, and its fields."""

    action_id = serializers.PrimaryKeyRelatedField(
        queryset=Action.objects.all(), help_text="The action's id."
    )
    period = PeriodNameField(
        slug_field="code",
        queryset=ReportingPeriod.objects.all(),
        help_text="The period: “Q1 2026/27”, “2026/27-Q1” or its code, “2026-Q3”.",
    )
    agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), help_text="Your agency's slug."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["action_id"].queryset = Action.objects.visible_to(self.context["request"].user)
        return fields


class EvidenceSerializer(serializers.ModelSerializer):
    """A file or link behind a return or an indicator reading. A file is fetched from
    ``download_url`` (as an attachment); it is never embedded."""

    update_id = serializers.IntegerField(read_only=True, allow_null=True)
    reading_id = serializers.IntegerField(read_only=True, allow_null=True)
    kind = serializers.SerializerMethodField(help_text="“file” or “link”.")
    download_url = serializers.SerializerMethodField(
        help_text="For a file, where to download it; null for a link."
    )
    added_by = serializers.CharField(source="added_by.username", read_only=True, allow_null=True)
    added_at = utc_datetime()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "update_id",
            "reading_id",
            "kind",
            "name",
            "url",
            "content_type",
            "size",
            "download_url",
            "added_by",
            "added_at",
        ]

    def get_kind(self, evidence: Evidence) -> str:
        return "file" if evidence.is_file else "link"

    def get_download_url(self, evidence: Evidence) -> str | None:
        if not evidence.is_file:
            return None
        path = reverse("evidence-download", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EvidenceAttachSerializer(serializers.Serializer):
    """Attach a file (multipart/form-data) or a link (JSON or a form) to a return, or to one of
    the indicator readings the return recorded."""

    update_id = serializers.IntegerField(help_text="The return the evidence is for.")
    reading_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="One of the readings the return recorded."
    )
    file = serializers.FileField(required=False, help_text="A PDF, Word, Excel or image file.")
    url = serializers.CharField(required=False, max_length=2000, help_text="Or an https link.")
    name = serializers.CharField(
        required=False, max_length=200, allow_blank=True, help_text="The link's title."
    )

    def validate(self, data):
        if bool(data.get("file")) == bool((data.get("url") or "").strip()):
            raise serializers.ValidationError("Send a file or a url, one of them.")
        return data
