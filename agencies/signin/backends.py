"""Local passwords, which a deployment that signs everyone in through its identity provider
turns off (``LOCAL_PASSWORDS_ENABLED``). Permissions still come from Django's model backend."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_PASSWORDS_ENABLED:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
