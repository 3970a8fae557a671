"""The sign-in pages (agencies/signin/), under /accounts/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import oidc, views

app_name = "signin"

urlpatterns = [
    path("login/code/", views.code, name="code"),
    path("two-step/set-up/", views.set_up, name="set_up"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-step/", views.two_factor, name="two_factor"),
    path("two-step/recovery-codes/new/", views.new_recovery_codes, name="new_recovery_codes"),
    path("two-step/turn-off/", views.turn_off, name="turn_off"),
    path("two-step/people/", views.people, name="people"),
    path("two-step/people/<int:pk>/reset/", views.reset, name="reset"),
    path("agency/start/", login_not_required(oidc.StartView.as_view()), name="oidc-start"),
    path("agency/callback/", login_not_required(oidc.CallbackView.as_view()), name="oidc-callback"),
    path("agency/refused/", views.oidc_refused, name="oidc-refused"),
]
