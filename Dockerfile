# Two images from one build:
#   app   - gunicorn serving Factdesk (also the worker, the scheduler and one-off commands)
#   proxy - Caddy: HTTPS, static files from disk, load-balancing across the app replicas
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# postgresql-client: pg_dump and pg_restore for `manage.py db_backup` / `db_restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 factdesk

WORKDIR /app
COPY pyproject.toml ./
RUN pip install .

COPY . .
# collectstatic needs settings to import; the key is a build-time placeholder, never used to sign.
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# Where `manage.py db_backup` writes, and the local vector index's snapshots (when the database
# has no pgvector); a volume mounted here inherits this owner.
RUN mkdir -p /app/backups /app/var/vector-index && chown -R factdesk /app/backups /app/var
USER factdesk
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
# The app logs one line per request itself (with its request id), so no gunicorn access log.
# Recycling workers now and then bounds slow memory growth.
CMD ["gunicorn", "factdesk.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--max-requests", "2000", "--max-requests-jitter", "200", "--timeout", "30"]

FROM caddy:2.8-alpine AS proxy
COPY deploy/Caddyfile /etc/caddy/Caddyfile
# Hashed, pre-compressed (gzip and brotli) files from collectstatic, served from disk.
COPY --from=app /app/staticfiles /srv/static
