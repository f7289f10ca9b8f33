# The web app on Debian 12, as on a developer's machine; PostGIS runs in its own container.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 npm gettext \
    libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-dejavu-core \
    postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md package.json package-lock.json ./
COPY config config
COPY geo geo
COPY accounts accounts
COPY media media
COPY layers layers
COPY importers importers
COPY routes routes
COPY maps maps
COPY planner planner
COPY exchange exchange
COPY notices notices
COPY transit transit
COPY actors actors
COPY offline offline
COPY training training
COPY campaigns campaigns
COPY fixtures fixtures
COPY operations operations
COPY audit audit
COPY locale locale
COPY manage.py mkdocs.yml ./
COPY docs docs
RUN pip install --no-cache-dir . && npm ci --no-audit --no-fund --loglevel=error \
 && for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check-format -o "${po%.po}.mo" "$po"; done \
 && NO_MKDOCS_2_WARNING=1 mkdocs build --quiet

ENV ATLAS_DEBUG=0 \
    ATLAS_ALLOWED_HOSTS=localhost,127.0.0.1 \
    ATLAS_BIND=0.0.0.0:8000
RUN ATLAS_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput -v0

EXPOSE 8000
# The demo data is a one-off (`docker compose run web python manage.py load_demo`): loaded
# at every start, it would overwrite the partners' edits. migrate connects as the owner
# (ATLAS_MIGRATE_DATABASE_URL), gunicorn's workers as the application (DATABASE_URL);
# gunicorn's settings (workers recycled, timeouts) are config/gunicorn.conf.py.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn -c config/gunicorn.conf.py config.wsgi"]
