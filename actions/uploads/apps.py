from django.apps import AppConfig


class PlanUploadsConfig(AppConfig):
    name = "actions.uploads"
    label = "plan_uploads"
    verbose_name = "Plan uploads"
