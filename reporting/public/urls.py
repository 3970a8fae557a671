from django.urls import path

from . import language, views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("language/<str:language>/", language.choose_language, name="language"),
    path("releases/<int:pk>/pack.pdf", views.pack, name="pack"),
    path("<slug:plan>/", views.plan_progress, name="plan"),
]
