"""What the page header offers about signing in: a password to change only where passwords are
used."""

from django.conf import settings


def sign_in(request) -> dict:
    return {"local_passwords": settings.LOCAL_PASSWORDS_ENABLED}
