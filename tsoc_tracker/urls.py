"""Root URLs: each app brings its own pages and API routes."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils import timezone
from django.utils.functional import lazy
from django.views.decorators.http import last_modified
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies.api.views import not_found as api_not_found
from agencies.signin.views import SignInView
from core.sessions import session_status
from reporting.demo import demo_sign_in

# The scripts' words in the page's language change only with a deploy: browsers may keep them.
STARTED = timezone.now()

admin.site.site_header = "TSOC Tracker administration"
admin.site.site_title = "TSOC Tracker administration"
admin.site.index_title = "Records the secretariat keeps"

urlpatterns = [
    # For pages without a <link rel="icon"> (the admin, the API's JSON) browsers ask here.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=lazy(static, str)("favicon.svg"))),
    ),
    # The header's language switch (English, te reo Māori): anyone may choose, signed in or not.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The words the scripts show (static/js), in the page's language: gettext() and interpolate().
    path(
        "i18n/scripts/",
        login_not_required(last_modified(lambda request: STARTED)(JavaScriptCatalog.as_view())),
        name="javascript_catalog",
    ),
    path("public/", include("reporting.public.urls")),
    path("", include("reporting.urls")),
    path("", include("actions.editing.urls")),
    path("", include("actions.urls")),
    path("plan-uploads/", include("actions.uploads.urls")),
    # In development with the demo loaded, the sign-in page lists the demo accounts.
    path(
        "accounts/login/",
        SignInView.as_view(extra_context={"demo_sign_in": demo_sign_in}),
        name="login",
    ),
    path("accounts/", include("agencies.signin.urls")),
    path("people/", include("agencies.people.urls")),
    path("accounts/session/", session_status, name="session_status"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The admin signs in through the same page, so its sign-in asks for the second factor too.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
    ),
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
