"""The people pages (agencies/people/), under /people/."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("invite/", views.invite, name="invite"),
    path("<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/memberships/", views.membership_add, name="membership_add"),
    path("<int:pk>/groups/", views.groups_change, name="groups"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:pk>/invite-again/", views.resend, name="resend"),
    path("memberships/<int:pk>/role/", views.membership_change, name="membership_change"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_add, name="agency_add"),
    path("agencies/<slug:slug>/", views.agency_edit, name="agency_edit"),
    path("welcome/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
