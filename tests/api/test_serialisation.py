"""The lean list path and the DRF serializers give exactly the same representation."""

import orjson
import pytest
from rest_framework.test import APIRequestFactory

from actions.api.serializers import ACTION_VALUES
from actions.api.views import with_action_details
from actions.models import Action
from core.api.renderers import ORJSONRenderer
from reporting.api.serializers import (
    STATUS_UPDATE_VALUES,
    ActionProgressSerializer,
    StatusUpdateSerializer,
    action_progress_rows,
    attach_latest_status,
    status_update_rows,
)
from reporting.models import StatusUpdate
from reporting.progress.latest import with_latest_status, with_overdue
from tests.actions.factories import SuccessMeasureFactory

pytestmark = pytest.mark.django_db


def as_json(data):
    return orjson.loads(ORJSONRenderer().render(data))


def test_actions_list_rows_match_the_serializer(world, viewer):
    SuccessMeasureFactory(
        action=world["one"], statement="More audits.", baseline=3, target=10, order=2
    )
    actions = with_overdue(with_latest_status(Action.objects.all(), user=viewer)).order_by("pk")
    lean = action_progress_rows(list(actions.values(*ACTION_VALUES, "latest_status_id", "overdue")))
    objects = list(with_action_details(actions))
    attach_latest_status(objects)
    request = APIRequestFactory().get("/")
    full = ActionProgressSerializer(objects, many=True, context={"request": request}).data
    assert as_json(lean) == as_json(full)
    assert list(lean[0]) == list(full[0])  # and in the same order


def test_status_update_rows_match_the_serializer(world):
    updates = StatusUpdate.objects.select_related("action__plan", "period", "agency").order_by("pk")
    lean = status_update_rows(updates.values(*STATUS_UPDATE_VALUES))
    full = StatusUpdateSerializer(updates, many=True).data
    assert as_json(lean) == as_json(full)
    assert list(lean[0]) == list(full[0])
