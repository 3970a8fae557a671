from django.urls import path
from rest_framework.routers import SimpleRouter

from . import governance, views
from .search import SearchView

router = SimpleRouter()
router.register("actions", views.ActionViewSet, basename="actions")
router.register("status-updates", views.StatusUpdateViewSet, basename="status-updates")
router.register("periods", views.PeriodViewSet, basename="periods")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("risks", governance.RiskViewSet, basename="risks")
router.register("meetings", governance.MeetingViewSet, basename="meetings")
router.register("follow-ups", governance.FollowUpViewSet, basename="follow-ups")
router.register(
    "action-dependencies", governance.ActionDependencyViewSet, basename="action-dependencies"
)

urlpatterns = [path("search/", SearchView.as_view(), name="api-search"), *router.urls]
