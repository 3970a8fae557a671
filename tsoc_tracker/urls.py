"""Root URLs: each app brings its own pages and API routes."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("reporting.urls")),
    path("plans/", include("actions.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

# A lost database or broker gets the "temporarily unavailable" page (503), anything else the 500.
handler500 = "tsoc_tracker.errors.server_error"
