"""/healthz: the database and the broker, for load balancers and the compose health check."""

import pytest

from tests.production.processes import free_port

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_the_database_answers_and_no_broker_is_configured(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured"}
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_healthz_is_503_and_names_the_broker_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down: ConnectionError"}


@pytest.mark.redis
def test_healthz_is_200_when_the_database_and_redis_answer(client, settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_answers_a_probe_by_ip_over_plain_http_without_signing_in(client, settings):
    settings.REDIS_URL = ""
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
