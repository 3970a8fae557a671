"""The plan editing pages: ``/plans/edit/`` and everything under ``/plans/<plan>/edit/``."""

from django.urls import path

from . import views

app_name = "plan_editing"

ACTION = "plans/<slug:plan>/edit/actions/<str:number>/"

urlpatterns = [
    path("plans/edit/", views.index, name="index"),
    path("plans/edit/new/<slug:strategy>/", views.new_plan, name="new_plan"),
    path("plans/<slug:plan>/edit/", views.plan, name="plan"),
    path("plans/<slug:plan>/edit/revision/", views.new_revision, name="new_revision"),
    path("plans/<slug:plan>/edit/tags/", views.tags, name="tags"),
    path("plans/<slug:plan>/edit/timeframe/", views.timeframe_preview, name="timeframe_preview"),
    path("plans/<slug:plan>/edit/groups/new/", views.group_form, name="group_new"),
    path("plans/<slug:plan>/edit/groups/<int:pk>/", views.group_form, name="group"),
    path("plans/<slug:plan>/edit/groups/<int:pk>/move/", views.group_move, name="group_move"),
    path("plans/<slug:plan>/edit/groups/<int:pk>/remove/", views.group_remove, name="group_remove"),
    path("plans/<slug:plan>/edit/actions/new/", views.action_new, name="action_new"),
    path(ACTION, views.action, name="action"),
    path(ACTION + "remove/", views.action_remove, name="action_remove"),
    path(ACTION + "agencies/", views.coordinator_add, name="coordinator_add"),
    path(ACTION + "agencies/<int:pk>/lead/", views.coordinator_lead, name="coordinator_lead"),
    path(ACTION + "agencies/<int:pk>/role/", views.coordinator_role, name="coordinator_role"),
    path(ACTION + "agencies/<int:pk>/remove/", views.coordinator_remove, name="coordinator_remove"),
    path(ACTION + "measures/new/", views.measure_form, name="measure_new"),
    path(ACTION + "measures/<int:pk>/", views.measure_form, name="measure"),
    path(ACTION + "measures/<int:pk>/remove/", views.measure_remove, name="measure_remove"),
    path(ACTION + "links/", views.link_add, name="link_add"),
    path(ACTION + "links/<int:pk>/remove/", views.link_remove, name="link_remove"),
]
