"""Beat entries (django-celery-beat) that an app creates after migrate: each once, so the
secretariat's later changes in the admin (a new interval, a pause) are kept."""


def ensure_periodic_task(*, name: str, task: str, every: int, period: str, description: str):
    """The entry ``name`` running ``task`` every ``every`` ``period`` ("hours", "minutes"),
    created if there is none by that name."""
    # Imported here: apps import their schedules while Django is still setting up.
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask.objects.filter(name=name).exists():
        return
    interval = IntervalSchedule.objects.filter(every=every, period=period).first()
    interval = interval or IntervalSchedule.objects.create(every=every, period=period)
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "interval": interval, "description": description}
    )
