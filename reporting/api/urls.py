from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views
from .search import SearchView

router = SimpleRouter()
router.register("actions", views.ActionViewSet, basename="actions")
router.register("status-updates", views.StatusUpdateViewSet, basename="status-updates")
router.register("periods", views.PeriodViewSet, basename="periods")

urlpatterns = [path("search/", SearchView.as_view(), name="api-search"), *router.urls]
