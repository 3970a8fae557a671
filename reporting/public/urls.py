from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("releases/<int:pk>/pack.pdf", views.pack, name="pack"),
    path("<slug:plan>/", views.plan_progress, name="plan"),
]
