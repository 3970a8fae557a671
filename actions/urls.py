from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path(
        "plans/<slug:plan>/actions/<str:number>/",
        views.ActionDetailView.as_view(),
        name="action_detail",
    ),
    path("strategies/", views.StrategyListView.as_view(), name="strategy_list"),
    path("strategies/<slug:slug>/", views.StrategyDetailView.as_view(), name="strategy_detail"),
]
