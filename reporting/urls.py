from django.urls import path

from .views import returns

app_name = "reporting"

urlpatterns = [
    path("", returns.home, name="home"),
    path("my-actions/", returns.my_actions, name="my_actions"),
    path(
        "returns/<str:period>/<slug:plan>/<str:number>/<slug:agency>/",
        returns.UpdateFormView.as_view(),
        name="update_form",
    ),
    path("updates/<int:pk>/", returns.update_detail, name="update_detail"),
    path("updates/<int:pk>/review/", returns.update_review, name="update_review"),
    path("periods/", returns.period_list, name="period_list"),
    path("periods/next/", returns.period_add_next, name="period_add_next"),
    path("periods/<str:code>/", returns.period_detail, name="period_detail"),
    path("periods/<str:code>/open/", returns.period_change, {"change": "open"}, name="period_open"),
    path(
        "periods/<str:code>/close/",
        returns.period_change,
        {"change": "close"},
        name="period_close",
    ),
]
