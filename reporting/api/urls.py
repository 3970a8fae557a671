from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views
from .search import SearchView

router = SimpleRouter()
router.register("actions", views.ActionViewSet, basename="actions")
router.register("status-updates", views.StatusUpdateViewSet, basename="status-updates")
router.register("periods", views.PeriodViewSet, basename="periods")
router.register("evidence", views.EvidenceViewSet, basename="evidence")

urlpatterns = [path("search/", SearchView.as_view(), name="api-search"), *router.urls]
