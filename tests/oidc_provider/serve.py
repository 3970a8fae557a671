"""Run the test provider: ``python -m tests.oidc_provider.serve`` with, in the environment,
``OIDC_PROVIDER_PORT``, ``OIDC_PROVIDER_DATABASE`` (a new SQLite file), ``OIDC_PROVIDER_PEOPLE``
(JSON), ``OIDC_PROVIDER_RSA_KEY`` (PEM), ``OIDC_PROVIDER_CLIENT`` (JSON: client_id,
client_secret, redirect_uri). It makes its database, people and client, then serves until
stopped."""

import json
import os

import django
from django.core.management import call_command


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in settings.PEOPLE:
        User.objects.create_user(person["username"], person["email"], person["password"])
    client = json.loads(os.environ["OIDC_PROVIDER_CLIENT"])
    Application.objects.create(
        name="TSOC Tracker",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    port = os.environ["OIDC_PROVIDER_PORT"]
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main()
