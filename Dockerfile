# TSOC Tracker: one image for the web app (gunicorn), the Celery worker and Celery beat.
#   docker compose up -d --build     (see docker-compose.yml and docs/operations.md)
# Debian 12 ("bookworm") throughout, so pg_dump here matches the PostgreSQL 15 server in compose.

FROM python:3.11-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint's libraries and fonts for PDF reports; the PostgreSQL client for scripts/backup.sh.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

FROM base AS build
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml /tmp/pyproject.toml
# Install the project's runtime dependencies only; the code itself runs from /app.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

FROM base
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=tsoc_tracker.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin tsoc
WORKDIR /app
COPY . /app
# Static files are collected at build time, hashed and compressed for WhiteNoise.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/mail \
    && chown -R tsoc:tsoc /app/var
USER tsoc
EXPOSE 8000
CMD ["gunicorn", "-c", "python:tsoc_tracker.gunicorn_conf", "tsoc_tracker.wsgi"]
