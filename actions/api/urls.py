from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("strategies", views.StrategyViewSet, basename="strategies")
router.register("priority-areas", views.PriorityAreaViewSet, basename="priority-areas")
router.register("focus-areas", views.FocusAreaViewSet, basename="focus-areas")
router.register("plans", views.PlanViewSet, basename="plans")
router.register("indicator-readings", views.IndicatorReadingViewSet, basename="indicator-readings")

urlpatterns = router.urls
