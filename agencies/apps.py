from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _grant_secretariat_admin(sender, **kwargs):
    # After the last app's migrate, when every app's permissions exist.
    if sender is [config for config in apps.get_app_configs() if config.models_module][-1]:
        from agencies.services import grant_secretariat_admin

        grant_secretariat_admin()


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Agencies and people"
    # The secretariat maintains agencies and their people in the admin; it reads sign-in
    # attempts, and unlocks a locked-out person by deleting their failed attempts (django-axes).
    # Each app declares what the secretariat needs of its own records (and of the third-party
    # apps it brings in); ``grant_secretariat_admin`` gathers them.
    secretariat_permissions = (
        "agencies.*",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    )

    def ready(self):
        # After every migrate (and every test-database flush) the Secretariat group has its
        # admin permissions, so an upgrade that adds a model grants them too.
        post_migrate.connect(_grant_secretariat_admin)
