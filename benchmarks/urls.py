"""The product's URLs plus one minimal view, so the load test can measure what a signed-in request
costs before any page's own work: the ceiling the dashboard and the API are compared with."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from tsoc_tracker.urls import urlpatterns as product_urlpatterns


@login_required
def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench-minimal"), *product_urlpatterns]
