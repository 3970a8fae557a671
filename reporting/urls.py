from django.urls import path
from django.views.generic import RedirectView

app_name = "reporting"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="actions:plan_list"), name="home"),
]
