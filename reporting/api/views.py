"""Actions with their progress, status updates (read, and written through the same service as
the browser's return form), and reporting periods.

Writes are conditional: reading an update gives its ``ETag``; changing or submitting it needs
``If-Match`` with that ETag (428 without it, 412 when someone has changed it since).
"""

import re
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action as detail_action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from actions.api.views import with_action_details
from actions.models import Action, IndicatorReading
from core.api.exceptions import Conflict, PreconditionFailed, PreconditionRequired
from core.api.parsers import BoundedJSONParser
from core.api.rows import rows_for
from core.api.viewsets import ApiViewSet
from reporting.evidence import services as evidence_services
from reporting.evidence.downloads import attachment_response
from reporting.filtersets import (
    ActionProgressFilterSet,
    EvidenceFilterSet,
    PeriodFilterSet,
    StatusUpdateFilterSet,
)
from reporting.models import Evidence, ReportingPeriod, StatusUpdate
from reporting.models.updates import StaleUpdateError
from reporting.progress.by_action import progress_by_action
from reporting.progress.latest import with_overdue
from reporting.returns import services as returns_services

from .serializers import (
    ActionProgressSerializer,
    EvidenceAttachSerializer,
    EvidenceSerializer,
    PeriodSerializer,
    StatusUpdateChangeSerializer,
    StatusUpdateCreateSerializer,
    StatusUpdateSerializer,
)

ETAG_PATTERN = r'^(W/)?"[0-9]{1,9}"$'

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description="The update's version; send it back as If-Match to change or submit it.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": ETAG_PATTERN},
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag from your last read of this update, e.g. "3".',
)


def etag(update: StatusUpdate) -> str:
    return f'"{update.version}"'


def expected_version(request) -> int:
    """The version the client last read, from If-Match."""
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    if re.fullmatch(ETAG_PATTERN, header.strip()) is None:
        raise ValidationError({"If-Match": ['Give one ETag as you read it, e.g. "3".']})
    return int(header.strip().removeprefix("W/").strip('"'))


@contextmanager
def conditional_write():
    """The service's refusals as HTTP: a stale version is 412 (with the current ETag), a state
    that doesn't allow the change (submitted, period closed) is 409; other invalid data 400."""
    try:
        yield
    except StaleUpdateError as error:
        failure = PreconditionFailed(
            f"Someone else has changed this update since you read it (it is now version "
            f"{error.current.version}). Read it again, and make your change to that."
        )
        failure.headers = {"ETag": etag(error.current)}
        raise failure from None
    except ValidationError as error:
        raise as_conflict(error) from None


def as_conflict(error: ValidationError) -> Exception:
    """A state that doesn't allow the change is a conflict (409); other invalid data stays 400."""
    if getattr(error, "code", None) == "invalid_state":
        return Conflict(" ".join(error.messages))
    return error


@extend_schema_view(
    list=extend_schema(
        summary="Actions, with their agencies, success measures and latest status",
        description="Each action, sub-action and strand with its coordinating agencies and "
        "roles, its success measures, its `progress` in a period by the status rule (the "
        "quarter the dashboard shows, or `period`'s) and whether a return is overdue.",
    ),
    retrieve=extend_schema(summary="One action, with its agencies, measures and latest status"),
)
class ActionViewSet(ApiViewSet):
    """The plans' actions, sub-actions and strands, each with its coordinating agencies and
    their roles, success measures, progress by the status rule and whether a return is
    overdue."""

    serializer_class = ActionProgressSerializer
    lists_from_values = True
    filterset_class = ActionProgressFilterSet
    ordering_fields = ("id", "number", "title", "plan")
    ordering_map = {"number": ["sort_key"], "plan": ["plan__slug"]}

    queryset = Action.objects.all()

    def get_queryset(self):
        actions = with_overdue(super().get_queryset())
        return with_action_details(actions) if self.action == "retrieve" else actions

    def progress_period(self) -> ReportingPeriod | None:
        filterset = self.filterset_class(
            self.request.query_params, queryset=Action.objects.none(), request=self.request
        )
        return filterset.chosen_period() if filterset.is_valid() else None

    def serialize_rows(self, rows) -> list:
        rows = list(rows)
        progress = progress_by_action(
            [row["id"] for row in rows], user=self.request.user, period=self.progress_period()
        )
        return rows_for(
            self.get_serializer_class(),
            rows,
            supplied={"progress": lambda page: lambda row: progress[row["id"]]},
        )

    def retrieve(self, request, *args, **kwargs):
        action = self.get_object()
        action.progress = progress_by_action(
            [action.pk], user=request.user, period=self.progress_period()
        )[action.pk]
        return Response(self.get_serializer(action).data)


@extend_schema_view(
    list=extend_schema(
        summary="Status updates (quarterly returns and supporting input)",
        description="For incremental sync, pass `changed_since` (the largest `updated_at` you "
        "hold) with `ordering=updated_at`, and upsert what comes back by `id`.",
    ),
    retrieve=extend_schema(summary="One status update", parameters=[ETAG_HEADER]),
    create=extend_schema(
        summary="Start your agency's update on an action for a period",
        description="Fields left out are carried over from your agency's previous update on "
        "the action, as in the browser. The same rules apply as in the browser: you must "
        "belong to the agency, it must coordinate the action, and the period must be open.",
        request=StatusUpdateCreateSerializer,
        responses={201: StatusUpdateSerializer},
        parameters=[ETAG_HEADER],
    ),
    partial_update=extend_schema(
        summary="Change a draft or returned update",
        request=StatusUpdateChangeSerializer,
        responses={200: StatusUpdateSerializer},
        parameters=[IF_MATCH, ETAG_HEADER],
    ),
)
class StatusUpdateViewSet(ApiViewSet):
    """Each agency's quarterly update on each action it coordinates: the lead agency's is the
    return the secretariat reviews, a supporting agency's is input to it."""

    serializer_class = StatusUpdateSerializer
    lists_from_values = True
    filterset_class = StatusUpdateFilterSet
    ordering_fields = ("id", "updated_at", "period", "action", "agency")
    ordering_map = {
        "period": ["period__year", "period__quarter"],
        "action": ["action__plan__slug", "action__sort_key"],
        "agency": ["agency__slug"],
    }
    # In the order they were first recorded: a new update joins the last page, so paging
    # through while agencies write never skips or repeats one, and the page is read off the
    # primary key's index, whatever the size of the programme.
    ordering = ("id",)
    conditional_actions = ("partial_update", "submit")
    http_method_names = ["get", "post", "patch", "head", "options"]

    queryset = StatusUpdate.objects.select_related("action__plan", "period", "agency")

    def respond(self, update: StatusUpdate, status_code: int = status.HTTP_200_OK) -> Response:
        headers = {"ETag": etag(update)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = self.reverse_action("detail", args=[update.pk])
        return Response(StatusUpdateSerializer(update).data, status=status_code, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    def create(self, request, *args, **kwargs):
        payload = StatusUpdateCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        which = payload.validated_data
        try:
            update = returns_services.start_update(
                which["action_id"],
                which["period"],
                which["agency"],
                data=payload.changes(),
                by=request.user,
            )
        except StaleUpdateError as error:
            raise Conflict(
                f"{which['agency']} already has an update on this action for "
                f"{which['period'].code} (id {error.current.pk}): change that one with PATCH."
            ) from None
        except ValidationError as error:
            raise as_conflict(error) from None
        return self.respond(update, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        update = self.get_object()
        version = expected_version(request)
        payload = StatusUpdateChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with conditional_write():
            update = returns_services.change_update(
                update, data=payload.changes(), by=request.user, expected_version=version
            )
        return self.respond(update)

    @extend_schema(
        summary="Submit an update to the secretariat (agency leads)",
        description="After the due date it is still accepted, and marked late.",
        request=None,
        responses={200: StatusUpdateSerializer},
        parameters=[IF_MATCH, ETAG_HEADER],
    )
    @detail_action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        update = self.get_object()
        version = expected_version(request)
        with conditional_write():
            update = returns_services.submit_update(
                update, by=request.user, expected_version=version
            )
        return self.respond(update)


class PeriodViewSet(ApiViewSet):
    """Reporting periods: the calendar quarters agencies report on, with their return dates."""

    serializer_class = PeriodSerializer
    filterset_class = PeriodFilterSet
    ordering_fields = ("id", "code", "due_on")
    ordering_map = {"code": ["year", "quarter"]}

    queryset = ReportingPeriod.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="Evidence behind the returns and readings you may see",
        description="Files and links attached to status updates, or to the indicator readings "
        "a return recorded. Filter by `update_id` or `reading_id`.",
    ),
    retrieve=extend_schema(summary="One piece of evidence"),
    create=extend_schema(
        summary="Attach a file or a link to your agency's return",
        description="As in the browser: only while you may still edit the return (a draft or "
        "returned update in an open period). A file goes as multipart/form-data (`file`), up to "
        "the size limit, and its content must be a PDF, Word or Excel file or a PNG, JPEG, GIF or "
        "WebP image agreeing with its name; a link as JSON (`url`, `name`).",
        request={
            "multipart/form-data": EvidenceAttachSerializer,
            "application/json": EvidenceAttachSerializer,
        },
        responses={201: EvidenceSerializer},
    ),
)
class EvidenceViewSet(ApiViewSet):
    """Evidence on returns and indicator readings: who sees a return sees its evidence."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilterSet
    ordering_fields = ("id", "added_at")
    ordering = ("id",)
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [BoundedJSONParser, MultiPartParser]

    queryset = Evidence.objects.select_related("added_by")

    def create(self, request, *args, **kwargs):
        payload = EvidenceAttachSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        given = payload.validated_data
        update = StatusUpdate.objects.visible_to(request.user).filter(pk=given["update_id"]).first()
        if update is None:
            raise ValidationError(
                {"update_id": ["No status update with this id that you can see."]}
            )
        reading = None
        if given.get("reading_id") is not None:
            reading = IndicatorReading.objects.filter(pk=given["reading_id"]).first()
            if reading is None:
                raise ValidationError({"reading_id": ["No indicator reading with this id."]})
        try:
            if given.get("file"):
                evidence = evidence_services.attach_file(
                    update, upload=given["file"], reading=reading, by=request.user
                )
            else:
                evidence = evidence_services.attach_link(
                    update,
                    url=given["url"],
                    name=given.get("name", ""),
                    reading=reading,
                    by=request.user,
                )
        except ValidationError as error:
            raise as_conflict(error) from None
        data = EvidenceSerializer(evidence, context={"request": request}).data
        location = self.reverse_action("detail", args=[evidence.pk])
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary="Download an evidence file",
        description="The file as an attachment (`Content-Disposition: attachment`), typed from "
        "its content, with `X-Content-Type-Options: nosniff`. 404 for a link.",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @detail_action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        if not evidence.is_file:
            raise Http404("A link has nothing to download; follow its url.")
        return attachment_response(evidence)
