"""Lists built from ``.values()`` rows and the DRF serializers give exactly the same
representation, and the serializer is the one place a field is declared."""

import orjson
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from actions.api.views import with_action_details
from actions.models import Action
from core.api.renderers import ORJSONRenderer
from core.api.rows import Computed, Shape, columns_for, rows_for
from reporting.api.serializers import ActionProgressSerializer, StatusUpdateSerializer
from reporting.api.views import ActionViewSet, StatusUpdateViewSet
from reporting.models import StatusUpdate
from reporting.progress.by_action import progress_by_action
from reporting.progress.latest import with_overdue
from tests.actions.factories import SuccessMeasureFactory

pytestmark = pytest.mark.django_db


def as_json(data):
    return orjson.loads(ORJSONRenderer().render(data))


def test_actions_list_rows_match_the_serializer(world, viewer):
    SuccessMeasureFactory(
        action=world["one"], statement="More audits.", baseline=3, target=10, order=2
    )
    actions = with_overdue(Action.objects.all()).order_by("pk")
    progress = progress_by_action(list(actions.values_list("pk", flat=True)), user=viewer)
    lean = rows_for(
        ActionProgressSerializer,
        actions.values(*columns_for(ActionProgressSerializer)),
        supplied={"progress": lambda rows: lambda row: progress[row["id"]]},
    )
    objects = list(with_action_details(actions))
    for action in objects:
        action.progress = progress[action.pk]
    request = APIRequestFactory().get("/")
    full = ActionProgressSerializer(objects, many=True, context={"request": request}).data
    assert all(action["progress"] for action in lean)
    assert any(action["success_measures"] for action in lean)
    assert as_json(lean) == as_json(full)
    assert list(lean[0]) == list(full[0])  # and in the same order


def test_status_update_rows_match_the_serializer(world):
    updates = StatusUpdate.objects.select_related("action__plan", "period", "agency").order_by("pk")
    lean = rows_for(StatusUpdateSerializer, updates.values(*columns_for(StatusUpdateSerializer)))
    full = StatusUpdateSerializer(updates, many=True).data
    assert as_json(lean) == as_json(full)
    assert list(lean[0]) == list(full[0])


class ActionWithSortKey(ActionProgressSerializer):
    class Meta(ActionProgressSerializer.Meta):
        fields = [*ActionProgressSerializer.Meta.fields, "sort_key"]


class UpdateWithReviewer(StatusUpdateSerializer):
    reviewer = serializers.CharField(
        source="reviewed_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta(StatusUpdateSerializer.Meta):
        fields = [*StatusUpdateSerializer.Meta.fields, "reviewer"]


def test_a_field_added_to_the_serializer_is_in_the_list_json_and_csv(
    api_as, world, viewer, monkeypatch
):
    monkeypatch.setattr(ActionViewSet, "serializer_class", ActionWithSortKey)
    client = api_as(viewer)
    actions = client.get(reverse("actions-list"), {"ordering": "id"}).json()["results"]
    assert [a["sort_key"] for a in actions] == list(
        Action.objects.order_by("id").values_list("sort_key", flat=True)
    )
    csv = client.get(reverse("actions-list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "sort_key" in csv.splitlines()[0].split(",")


def test_a_supplied_field_the_view_does_not_give_is_a_mistake_said_plainly(world):
    rows = with_overdue(Action.objects.all()).values(*columns_for(ActionProgressSerializer))
    with pytest.raises(ImproperlyConfigured, match="must supply progress"):
        rows_for(ActionProgressSerializer, rows)


def test_a_related_field_added_to_the_update_serializer_is_in_the_list(
    api_as, world, secretariat_user, monkeypatch
):
    reviewed = StatusUpdate.objects.filter(state=StatusUpdate.State.ACCEPTED).first()
    StatusUpdate.objects.filter(pk=reviewed.pk).update(reviewed_by=secretariat_user)
    monkeypatch.setattr(StatusUpdateViewSet, "serializer_class", UpdateWithReviewer)
    updates = api_as(secretariat_user).get(reverse("status-updates-list")).json()["results"]
    by_id = {update["id"]: update for update in updates}
    assert by_id[reviewed.pk]["reviewer"] == secretariat_user.username
    assert {update["reviewer"] for update in updates} == {secretariat_user.username, None}


def test_a_field_lists_cannot_read_must_say_how(db):
    class WithMethod(StatusUpdateSerializer):
        shout = serializers.SerializerMethodField()

        class Meta(StatusUpdateSerializer.Meta):
            fields = [*StatusUpdateSerializer.Meta.fields, "shout"]

        def get_shout(self, update) -> str:
            return update.commentary.upper()

    with pytest.raises(ImproperlyConfigured, match=r"WithMethod\.shout .*list_parts"):
        Shape(WithMethod)


class UpdateWithShout(StatusUpdateSerializer):
    shout = serializers.SerializerMethodField()

    class Meta(StatusUpdateSerializer.Meta):
        fields = [*StatusUpdateSerializer.Meta.fields, "shout"]

    list_parts = {
        **StatusUpdateSerializer.list_parts,
        "shout": Computed(("commentary",), str.upper, recurring=True),
    }

    def get_shout(self, update) -> str:
        return update.commentary.upper()


def test_a_method_field_lists_compute_from_its_columns_matches_the_serializer(world):
    updates = StatusUpdate.objects.order_by("pk")
    lean = rows_for(UpdateWithShout, updates.values(*columns_for(UpdateWithShout)))
    assert [u["shout"] for u in lean] == [u.commentary.upper() for u in updates]
    assert as_json(lean) == as_json(UpdateWithShout(updates, many=True).data)


def test_a_part_for_no_field_is_an_error(db):
    class Stale(StatusUpdateSerializer):
        list_parts = {**StatusUpdateSerializer.list_parts, "gone": Computed(("risks",), str)}

    with pytest.raises(ImproperlyConfigured, match=r"Stale\.list_parts names no field: gone"):
        Shape(Stale)
