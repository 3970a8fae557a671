"""The compose file and the image: valid against the Compose specification, and shaped as the
production stack must be (services, health checks, persistent volumes, non-root, no secrets)."""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.production.processes import REPO

APP_SERVICES = {"web", "worker", "beat", "migrate"}


def _compose_or_skip() -> str:
    compose = shutil.which("docker-compose")
    if compose is None:
        reason = (
            "needs Debian's docker-compose to validate the file: apt-get install docker-compose"
        )
        if os.environ.get("TSOC_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (TSOC_REQUIRE_SERVICES=1 forbids skipping)", pytrace=False)
        pytest.skip(reason)
    return compose


def compose_config(tmp_path, env_text: str) -> subprocess.CompletedProcess:
    """`docker-compose config` on our file, with ``env_text`` as the deployment's ``.env``."""
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text(env_text)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "COMPOSE_"))}
    return subprocess.run(
        [_compose_or_skip(), "config"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def filled_in_env_example() -> str:
    text = (REPO / ".env.example").read_text()
    text = re.sub(r"^SECRET_KEY=$", "SECRET_KEY=a-real-secret-key", text, flags=re.M)
    return re.sub(r"^POSTGRES_PASSWORD=$", "POSTGRES_PASSWORD=a-real-password", text, flags=re.M)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> dict:
    result = compose_config(tmp_path_factory.mktemp("compose"), filled_in_env_example())
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_the_compose_file_validates_with_the_example_settings_filled_in(stack):
    assert set(stack["services"]) == APP_SERVICES | {"db", "redis"}


def test_the_stack_refuses_to_start_without_a_database_password(tmp_path):
    result = compose_config(tmp_path, "SECRET_KEY=a-real-secret-key\n")

    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in result.stderr


def test_web_worker_and_beat_run_the_app_against_the_stacks_database_and_redis(stack):
    services = stack["services"]
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "tsoc_tracker", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "tsoc_tracker", "beat"]
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"] == "postgres://tsoc:a-real-password@db:5432/tsoc"
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["SECRET_KEY"] == "a-real-secret-key"


def test_the_app_waits_for_healthy_servers_and_applied_migrations(stack):
    for name in ("web", "worker", "beat"):
        depends_on = stack["services"][name]["depends_on"]
        assert depends_on["db"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_long_running_services_have_health_checks_and_restart(stack):
    services = stack["services"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat", "db", "redis"):
        assert services[name]["restart"] == "unless-stopped"


def test_the_database_the_queue_and_generated_reports_live_in_named_volumes(stack):
    def mounts(service):  # docker-compose prints the short syntax, source:target:mode
        return {target: source for source, target, _ in (v.split(":") for v in service["volumes"])}

    services = stack["services"]
    assert set(stack["volumes"]) == {"pgdata", "redisdata", "media"}
    assert mounts(services["db"])["/var/lib/postgresql/data"] == "pgdata"
    assert mounts(services["redis"])["/data"] == "redisdata"
    assert "--appendonly" in services["redis"]["command"]
    for name in APP_SERVICES:
        assert mounts(services[name])["/app/var/media"] == "media"


def test_the_web_port_is_published_on_loopback_for_the_proxy_by_default(stack):
    (port,) = stack["services"]["web"]["ports"]
    assert port.removesuffix("/tcp") == "127.0.0.1:8000:8000"


def test_the_image_is_slim_runs_as_a_non_root_user_and_serves_with_gunicorn():
    dockerfile = (REPO / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line[:1].isupper()]

    bases = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert all("-slim" in base for base in bases if not base.startswith("base"))
    users = [rest.strip() for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert "gunicorn" in [rest for keyword, rest in instructions if keyword == "CMD"][-1]
    assert "collectstatic" in dockerfile


def test_the_build_context_leaves_out_secrets_data_and_the_virtualenv():
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*", "the context is an allow-list"
    allowed = {pattern.lstrip("!").rstrip("/") for pattern in patterns if pattern.startswith("!")}
    assert not allowed & {".env", "var", ".venv", ".git", "tests"}
