"""``/me/``: who the API takes the client to be, so a new consumer can check its token; the
agencies; and the JSON 404 for any other path under ``/api/``."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from agencies.models import Agency, Membership
from agencies.roles import is_secretariat, is_viewer
from agencies.tokens import ApiToken
from core.api.viewsets import ApiViewSet

from .filtersets import AgencyFilterSet
from .serializers import AgencySerializer, MeSerializer


class MeView(generics.GenericAPIView):
    """Who the API takes you to be: your roles and agencies, and the token you used."""

    serializer_class = MeSerializer
    pagination_class = None
    filter_backends = ()

    @extend_schema(operation_id="me", summary="Who the client is signed in as")
    def get(self, request):
        user = request.user
        token = request.auth if isinstance(request.auth, ApiToken) else None
        memberships = Membership.objects.filter(user=user).select_related("agency")
        me = {
            "username": user.get_username(),
            "name": user.get_full_name(),
            "is_secretariat": is_secretariat(user),
            "is_viewer": is_viewer(user),
            "memberships": memberships,
            "token": token,
        }
        return Response(self.get_serializer(me).data)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([permissions.AllowAny])
def not_found(request, *args, **kwargs):
    """Any other path under ``/api/``: a 404 in the API's error shape, not an HTML page."""
    raise exceptions.NotFound("There is no such API endpoint: see /api/docs/.")


class AgencyViewSet(ApiViewSet):
    """Government agencies that coordinate actions, with the other names they go by."""

    queryset = Agency.objects.prefetch_related("aliases")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet
    ordering_fields = ("id", "slug", "short_name", "name")
