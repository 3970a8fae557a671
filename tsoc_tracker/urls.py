"""Root URLs: each app brings its own pages and API routes."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies.api.views import not_found as api_not_found

urlpatterns = [
    path("", include("reporting.urls")),
    path("", include("actions.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("agencies.api.urls")),
    path("api/v1/", include("actions.api.urls")),
    path("api/v1/", include("reporting.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
]

# A lost database or broker gets the "temporarily unavailable" page (503), anything else the 500.
handler500 = "tsoc_tracker.errors.server_error"
