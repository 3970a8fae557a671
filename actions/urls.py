from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path(
        "<slug:plan>/actions/<str:number>/", views.ActionDetailView.as_view(), name="action_detail"
    ),
]
