from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import AgencyViewSet, MeView

router = SimpleRouter()
router.register("agencies", AgencyViewSet, basename="agencies")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    *router.urls,
]
