from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Strategies and action plans"
    # The secretariat maintains strategies, plans and actions in the admin (including the TSOC
    # plan's priority and focus tags).
    secretariat_permissions = ("actions.*",)
