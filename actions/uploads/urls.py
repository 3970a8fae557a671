from django.urls import path

from . import views

app_name = "plan_uploads"

urlpatterns = [
    path("", views.upload_list, name="list"),
    path("new/", views.upload_create, name="create"),
    path("<int:pk>/", views.upload_detail, name="detail"),
    path("<int:pk>/confirm/", views.upload_confirm, name="confirm"),
    path("<int:pk>/discard/", views.upload_discard, name="discard"),
    path("plans/<slug:plan>.<str:format>", views.plan_file, name="plan_file"),
]
