# Production image: gunicorn serving Factdesk, static files served by WhiteNoise.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

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

USER factdesk
EXPOSE 8000
CMD ["gunicorn", "factdesk.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
