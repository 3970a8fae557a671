"""Fixtures for the production tests: fresh PostgreSQL databases beside the test database, and a
Redis database number of their own so their workers never take another test's tasks."""

import os
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection
from psycopg import sql

# Redis database numbers the production tests use (16 by default; the suite uses 0).
SMOKE_REDIS_DB = 14


def postgres_url(settings_dict: dict, name: str) -> str:
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{credentials}{host}:{port}/{name}"


def _admin_connection() -> psycopg.Connection:
    return psycopg.connect(postgres_url(connection.settings_dict, "postgres"), autocommit=True)


@pytest.fixture
def test_database_url(django_db_setup) -> str:
    """The URL of the test database itself (its name is only final once it has been created)."""
    return postgres_url(connection.settings_dict, connection.settings_dict["NAME"])


@pytest.fixture(scope="module")
def fresh_database():
    """``fresh_database()`` makes a new, empty database on the test server and returns its URL.
    Every database made is dropped after the test."""
    made = []

    def make() -> str:
        name = f"tsoc_production_{uuid.uuid4().hex[:12]}"
        with _admin_connection() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        made.append(name)
        return postgres_url(connection.settings_dict, name)

    yield make
    with _admin_connection() as admin:
        for name in made:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="module")
def smoke_redis_url() -> str:
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(parts._replace(path=f"/{SMOKE_REDIS_DB}"))
