"""Django settings of the Regional Tourism Atlas.

Everything that differs between a laptop, CI and a server comes from the
environment: ``DATABASE_URL`` and ``ATLAS_MIGRATE_DATABASE_URL`` (else the project-local
PostGIS cluster), ``ATLAS_SECRET_KEY`` (else the checkout's own key in ``var/secret-key``,
which ``make setup`` writes), ``ATLAS_DEBUG`` (off unless ``1``), ``ATLAS_ALLOWED_HOSTS``,
``ATLAS_HTTPS``. docs/deployment.md lists them all.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from geo import pgcluster

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("ATLAS_DEBUG", "0") == "1"
# Keys that have been public (in this repository or its history) sign nothing.
KNOWN_KEYS = {"dev-only-insecure-key", "change-me-in-production", "collectstatic-only"}
KEY_FILE = BASE_DIR / "var" / "secret-key"
SECRET_KEY = os.environ.get("ATLAS_SECRET_KEY") or (
    KEY_FILE.read_text().strip() if KEY_FILE.is_file() else "")
if DEBUG and not SECRET_KEY:
    # A development process of a checkout without `make setup`: a key of its own,
    # which signs nothing beyond the process (sessions end when it stops).
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY or SECRET_KEY in KNOWN_KEYS or len(SECRET_KEY) < 32:
    raise RuntimeError(
        "No usable secret key: set ATLAS_SECRET_KEY to a random string of 32 characters or "
        "more (python -c 'import secrets; print(secrets.token_urlsafe(50))'); a checkout's "
        "`make setup` writes one to var/secret-key.")
ALLOWED_HOSTS = os.environ.get("ATLAS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    # Before the admin, whose base_site.html it extends with the sandbox's banner.
    "training",  # who was trained: guides read, tours completed, the report
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.sitemaps",  # sitemap.xml (maps/sitemaps.py)
    "rest_framework",
    "knox",
    "axes",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "accounts",
    "media",  # photos (and later documents) of any object: checks, renditions, serving
    "layers",
    "importers",
    "routes",
    "planner",  # label "coverage": the planners' coverage analysis
    "exchange",  # good practices and their review (docs/users/practices.md)
    "notices",  # what is new for a user: in the app and by e-mail
    "transit",  # public transport: GTFS feeds, departures, how to get there
    "actors",  # tourism actors' listings: the feature kind "service"
    "offline",  # a route kept for the road: saved on a device, the route pack (decision 0012)
    "campaigns",  # partners' announcements, featured routes (docs/users/campaigns.md)
    "maps",
    "fixtures",
    "operations",  # manage.py backup and restore (docs/backup.md)
    "pgtrigger",
    "pghistory",
    "audit",  # who changed what, history and restore, refused attempts (docs/architecture.md)
    "procrastinate.contrib.django",  # background jobs: imports (importers/jobs.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer by itself, so that every answer of the API, the OGC
    # API and the tiles (an error, a 429, a preflight) carries its CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # django-csp's, its policy built once and sent with documents only (geo/csp.py).
    "geo.csp.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Bounds on the request's statements and lock waits: after the static files, which
    # read no database, before everything that does.
    "geo.middleware.DatabaseTimeouts",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "geo.middleware.RefuseNulInQuery",
    "geo.middleware.LanguageFromQuery",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.ThrottleRequests",
    "audit.middleware.AuditContext",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a sign-in that django-axes has locked out (accounts.lockout).
    "axes.middleware.AxesMiddleware",
    # Last, so that it is the first to see an error a view lets escape.
    "geo.middleware.AtlasErrors",
]

# CORS (Interfaces D3): maps on the partners' own sites (MapLibre, OpenLayers, Leaflet)
# read the API, the OGC API and the tiles from any origin. Reading only: a preflight for
# a write is answered without POST, PUT, PATCH or DELETE, so the API's writes stay
# same-origin (or a token's, from a server); and no credentials, so no visitor's session
# cookie is ever sent along from another site.
CORS_URLS_REGEX = r"^/(api|ogc|tiles)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("Content-Crs", "Content-Disposition", "ETag", "Retry-After",
                       "X-Tile-Capped")
CORS_PREFLIGHT_MAX_AGE = 24 * 3600

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Which role a process connects as (docs/deployment.md). The site: the application's
# role, which reads and writes rows and nothing else (DATABASE_URL, else the local
# cluster's atlas_app). `manage.py migrate`, and the test suite, which makes its own
# database: the role that owns the tables (ATLAS_MIGRATE_DATABASE_URL, else the local
# cluster's atlas_owner; with DATABASE_URL alone, the one role does both); so do `backup`
# and `restore`, which makes the tables again as their owner (docs/backup.md).
# ATLAS_DB_ROLE=owner|app says it for any other command.
OWNER_COMMANDS = ("migrate", "backup", "restore")
COMMAND = sys.argv[1] if len(sys.argv) > 1 else ""
ATLAS_DB_ROLE = os.environ.get("ATLAS_DB_ROLE") or (
    "owner" if COMMAND in OWNER_COMMANDS or "PYTEST_VERSION" in os.environ else "app")
if ATLAS_DB_ROLE not in ("app", "owner"):
    raise RuntimeError(f"ATLAS_DB_ROLE is {ATLAS_DB_ROLE!r}: 'app' or 'owner'")
ATLAS_DATABASE_URLS = {
    "app": os.environ.get("DATABASE_URL") or pgcluster.database_url(),
    "owner": os.environ.get("ATLAS_MIGRATE_DATABASE_URL") or os.environ.get("DATABASE_URL")
    or pgcluster.database_url(owner=True),
}
DATABASES = {
    "default": dj_database_url.parse(ATLAS_DATABASE_URLS[ATLAS_DB_ROLE],
                                     conn_health_checks=True)
}
# Each process keeps its database connections in a pool of ATLAS_DB_POOL_SIZE at most, and
# a request that finds them all busy waits for one (ATLAS_DB_POOL_TIMEOUT seconds, then a
# 503; as long when the database is down). runserver (make demo) gives every browser
# connection a thread of its own, and 64 at once took more connections than the server
# allows ("too many clients", 500s). Kept open, a connection pays once for what a new one
# costs: PROJ loads its definitions on a connection's first transform (50-100 ms).
# A pooled connection keeps its session's settings from one request to the next: a
# request changes them with SET LOCAL, inside its transaction, never with SET.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django must not as well
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
    "min_size": 1,
    "max_size": int(os.environ.get("ATLAS_DB_POOL_SIZE", 4)),
    "timeout": float(os.environ.get("ATLAS_DB_POOL_TIMEOUT", 5)),
    # Idle connections beyond min_size close after five minutes.
    "max_idle": 300,
}
# Each connection is checked as a request takes it from the pool (an empty query, a round
# trip of well under a millisecond here): after a database restart, the connections it
# broke are replaced at once rather than each answering one request with a 503 first.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# GeoDjango needs the PostGIS backend whatever scheme DATABASE_URL used.
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# PostgreSQL's JIT compiles any query the planner prices high, and spatial functions
# are priced very high: a 1 ms routing query spent 700 ms compiling. Our queries are
# short and interactive, so the JIT never pays for itself.
DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"

# What one web request may ask of the database (geo.middleware.DatabaseTimeouts), in
# seconds; 0 turns one off. Below gunicorn's own timeout (config/gunicorn.conf.py), so
# that the database stops a statement before the worker is killed with it running on.
# Long work (imports) runs in the background worker, which has neither bound.
ATLAS_WEB_STATEMENT_TIMEOUT = float(os.environ.get("ATLAS_WEB_STATEMENT_TIMEOUT", 30))
ATLAS_WEB_LOCK_TIMEOUT = float(os.environ.get("ATLAS_WEB_LOCK_TIMEOUT", 10))

# Background jobs run by `manage.py procrastinate worker` (docs/deployment.md), queued in
# the same PostgreSQL (Procrastinate's tables, by its migrations). Its admin pages stay
# read-only.
PROCRASTINATE_READONLY_MODELS = True

# Refused attempts (audit.Denial) are kept this many days, then a nightly job deletes
# them: enough to look back on an incident, bounded however many a scanner makes.
ATLAS_DENIAL_RETENTION_DAYS = int(os.environ.get("ATLAS_DENIAL_RETENTION_DAYS", 365))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Partners' and the site's names with digits around them (sliven2024).
    {"NAME": "layers.passwords.GuessableNameValidator"},
]

# Content and interface languages: all four are equal, English is the
# default only because it is the partners' common working language.
LANGUAGE_CODE = "en"
# Formats Django lacks for our languages (geo/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["geo.formats"]
LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("el", _("Greek")),
    ("fr", _("French")),
    ("en", _("English")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("bg", "el", "fr", "en")
# No language is required; a missing translation falls back to English, then
# to the partners' own languages. geo.i18n holds the same chain for SQL.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "bg", "el", "fr")}
MODELTRANSLATION_AUTO_POPULATE = False
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# A year: the language someone chose (?lang= or the switcher) outlives the session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE: Literal["Lax"] = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# WhiteNoise warns about a missing root before the first collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Third-party front-end assets come from npm (package.json) and are served by
# the platform itself: pages never load code from a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/ol", NODE_MODULES / "ol"),
    # Map icons (CC0) drawn for web cartography: one per attraction category.
    ("vendor/maki", NODE_MODULES / "@mapbox" / "maki" / "icons"),
    # The pages' first-visit tours (MIT).
    ("vendor/driver.js", NODE_MODULES / "driver.js" / "dist"),
    # Drawing and editing lines and areas on the practice form (MIT).
    ("vendor/leaflet-geoman", NODE_MODULES / "@geoman-io" / "leaflet-geoman-free" / "dist"),
]
# The development server (`make demo`) serves the files where they lie; a deployment
# serves those that collectstatic gathered (the Docker image's build).
WHITENOISE_USE_FINDERS = sys.argv[1:2] == ["runserver"]
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

# The guides, built from docs/ by `make help` (mkdocs.yml) and served at /help/.
ATLAS_HELP_ROOT = os.environ.get("ATLAS_HELP_ROOT", str(BASE_DIR / "var" / "help"))

# Imports: files over these limits are refused before any work starts.
ATLAS_IMPORT_MAX_FILE_BYTES = int(os.environ.get("ATLAS_IMPORT_MAX_FILE_BYTES", 512 * 2**20))
ATLAS_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("ATLAS_IMPORT_MAX_UNPACKED_BYTES", 2 * 2**30))
ATLAS_IMPORT_MAX_COMPRESSION_RATIO = 200.0
# A shapefile of more features is read, normalised and staged this many at a time, so
# that an import's memory does not grow with the file (docs/decisions/0019).
ATLAS_IMPORT_BATCH_ROWS = int(os.environ.get("ATLAS_IMPORT_BATCH_ROWS", 50_000))
ATLAS_UPLOAD_DIR = os.environ.get("ATLAS_UPLOAD_DIR", str(BASE_DIR / "var" / "uploads"))
# An upload waits this long for its confirmation; then the next upload (or
# `manage.py purge_uploads`, from cron) deletes it.
ATLAS_UPLOAD_TTL_HOURS = float(os.environ.get("ATLAS_UPLOAD_TTL_HOURS", 24))
# Uploads stream to temporary files, never held in memory whole; a full disk there is
# the upload views' 507, not a 500 while the request is read (importers/uploads.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler",
                        "importers.uploads.RoomCheckingFileUploadHandler"]
ATLAS_IMPORT_MAX_ARCHIVE_ENTRIES = 2000

# Photos (media/): kept under MEDIA_ROOT and served by the platform at /media/<uid>/<size>.
MEDIA_ROOT = os.environ.get("ATLAS_MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# An image over these is refused before it is decoded: bytes of the upload, and pixels
# once opened (Pillow's decompression-bomb cap).
ATLAS_MEDIA_MAX_IMAGE_BYTES = int(os.environ.get("ATLAS_MEDIA_MAX_IMAGE_BYTES", 15 * 2**20))
ATLAS_MEDIA_MAX_PIXELS = int(os.environ.get("ATLAS_MEDIA_MAX_PIXELS", 40_000_000))
# Documents attached to practices and study visits (PDF, ODT, DOCX): the upload's size,
# and what an ODT/DOCX archive may unpack to (a zip bomb is refused before inflating).
ATLAS_MEDIA_MAX_DOCUMENT_BYTES = int(os.environ.get("ATLAS_MEDIA_MAX_DOCUMENT_BYTES",
                                                    20 * 2**20))
ATLAS_MEDIA_MAX_UNPACKED_BYTES = int(os.environ.get("ATLAS_MEDIA_MAX_UNPACKED_BYTES",
                                                    100 * 2**20))

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # ?format= names an export format (geojson, gpx, shp …), not a DRF renderer.
    "URL_FORMAT_OVERRIDE": None,
    "EXCEPTION_HANDLER": "geo.errors.drf_exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.auth.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.throttles.AnonThrottle",
        "accounts.throttles.UserThrottle",
        "accounts.throttles.ScopeThrottle",
    ],
}
# The site's own sign-in (maps/pages/actor_accounts.py): the admin's lets only staff in, and
# partners' members and moderators are not staff.
LOGIN_URL = "/sign-in/"

# Partners' data reaches every page (names, descriptions): were a text ever taken for
# markup, no script in it may run. Scripts come from the platform's own files, and the
# pages' inline starts carry the request's nonce. Styles stay inline-able: Leaflet and
# folium write style attributes and blocks, and a style cannot run a script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        # The basemap's tiles are the only outside resource (DESIGN.md).
        "img-src": [SELF, "data:", "blob:", "https://tile.openstreetmap.org"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# The CSRF token reaches scripts through the page's form field, never the cookie.
CSRF_COOKIE_HTTPONLY = True
SPECTACULAR_SETTINGS = {
    "TITLE": "Regional Tourism Atlas API",
    "DESCRIPTION": "Attractions, trails and layers of Stara Zagora, Sliven, Larissa and the "
                   "Drôme as GeoJSON (RFC 7946, WGS 84 lon/lat), and imports.",
    "VERSION": "1",
    # Swagger UI and ReDoc from the drf-spectacular-sidecar package: served locally.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # `check --deploy` is the operator's list, and a clean one (tests/config): the API
    # schema's warnings are the developers', read with `manage.py spectacular --validate`.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Every operation's errors, in the error family's one shape (Interfaces D11).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "geo.openapi.add_error_responses"],
}

# Debian 12's GDAL 3.6 cannot forbid file and network access while parsing
# spatial-reference strings (gis.W001). Partner files are read with pyogrio and
# their CRSs identified with pyproj, never through the system GDAL, so the
# warning does not apply to untrusted input here.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- Production safety -----------------------------------------------------------------
# A deployment is reached by a name of its own (ATLAS_ALLOWED_HOSTS), and then over HTTPS
# only: HTTP is redirected, HSTS tells browsers never to try HTTP again, and cookies go
# over HTTPS only. Off where the site is served to this machine alone (127.0.0.1,
# localhost: make demo, the tests, docker compose as shipped), which has no certificate.
# ATLAS_HTTPS=1 or 0 says it outright. docs/deployment.md.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
ATLAS_HTTPS = os.environ.get("ATLAS_HTTPS", "0" if set(ALLOWED_HOSTS) <= LOCAL_HOSTS else "1")
if ATLAS_HTTPS not in ("0", "1"):
    raise RuntimeError(f"ATLAS_HTTPS is {ATLAS_HTTPS!r}: '1' (behind HTTPS) or '0'")
HTTPS = ATLAS_HTTPS == "1"
# TLS ends at the reverse proxy, which tells the scheme in X-Forwarded-Proto: it must set
# that header itself, replacing any the client sent.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
# A year, the name's subdomains too, and the preload list may take it (it never does
# unless the operator submits the name). ATLAS_HSTS_SECONDS=300 while trying it out.
SECURE_HSTS_SECONDS = int(os.environ.get("ATLAS_HSTS_SECONDS", 365 * 24 * 3600)) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The pool logs every failed attempt to reconnect, several a second while the database
    # is down: geo.errors logs the refusal once per request, and a command says it in one line.
    "loggers": {"psycopg.pool": {"level": "ERROR"}},
}

# --- Bounded cost (Trust D8): what one anonymous request may make the site do ---------
# A feature is drawn (pages, the API's lists, tiles) with at most this many vertices;
# beyond it a thinned copy is kept beside the whole line (layers/display.py).
# Notifications' e-mail (notices/services.py), through Django's mail framework: an SMTP
# server when ATLAS_EMAIL_HOST is set, else written to the console.
ATLAS_SITE_URL = os.environ.get("ATLAS_SITE_URL", "http://127.0.0.1:8000")
if os.environ.get("ATLAS_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["ATLAS_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("ATLAS_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("ATLAS_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("ATLAS_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("ATLAS_EMAIL_TLS", "0") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("ATLAS_EMAIL_FROM", "atlas@localhost")
EMAIL_TIMEOUT = 10

# The group whose members (with superusers) feature published good practices on the home
# page: curation is the platform's, not one partner's (docs/users/practices.md).
ATLAS_CURATORS_GROUP = os.environ.get("ATLAS_CURATORS_GROUP", "curators")

ATLAS_DISPLAY_MAX_VERTICES = int(os.environ.get("ATLAS_DISPLAY_MAX_VERTICES", "20000"))
# Pages of attractions read from the GeoJSON text each row keeps (decision 0023); "0"
# builds every Feature instead, as before it (what the benchmarks compare it with).
ATLAS_STORED_PAGES = os.environ.get("ATLAS_STORED_PAGES", "1") != "0"
# A vector tile holds at most this many features of each layer, and at most this many
# bytes in all; past either, features are left out in a set order and the response
# says so in its X-Tile-Capped header (layers/tiles.py).
ATLAS_TILE_MAX_FEATURES = int(os.environ.get("ATLAS_TILE_MAX_FEATURES", "4000"))
ATLAS_TILE_MAX_BYTES = int(os.environ.get("ATLAS_TILE_MAX_BYTES", str(1024 * 1024)))
# Exports are made once per version of the data and kept here; the least recently made
# beyond ATLAS_EXPORT_KEEP files are deleted. At most ATLAS_EXPORT_CONCURRENCY exports
# are made at once across the workers; another waits its turn a moment, then gets a 503.
ATLAS_EXPORT_DIR = os.environ.get("ATLAS_EXPORT_DIR", str(BASE_DIR / "var" / "exports"))
ATLAS_EXPORT_KEEP = int(os.environ.get("ATLAS_EXPORT_KEEP", "200"))
ATLAS_EXPORT_CONCURRENCY = int(os.environ.get("ATLAS_EXPORT_CONCURRENCY", "2"))
# Offline (decision 0012). A saved route or a pack holds the platform's tiles of the
# route's corridor, zoom 10 to 16, at most this many (the highest zooms go first).
ATLAS_OFFLINE_MAX_TILES = int(os.environ.get("ATLAS_OFFLINE_MAX_TILES", "3000"))
# A pack of at most this many tiles is made in the request; a bigger one by the worker.
ATLAS_OFFLINE_PACK_INLINE_TILES = int(os.environ.get("ATLAS_OFFLINE_PACK_INLINE_TILES", "400"))
ATLAS_OFFLINE_PACK_DIR = os.environ.get("ATLAS_OFFLINE_PACK_DIR", str(BASE_DIR / "var" / "packs"))
ATLAS_OFFLINE_PACK_KEEP = int(os.environ.get("ATLAS_OFFLINE_PACK_KEEP", "100"))
# A basemap a device may keep with a saved route: a URL template ({z}/{x}/{y}) of a tile
# server whose terms allow it (the operator's own). Empty by default: OpenStreetMap's
# tile policy forbids bulk downloads, so a saved route holds the platform's layers only.
ATLAS_OFFLINE_BASEMAP_URL = os.environ.get("ATLAS_OFFLINE_BASEMAP_URL", "")

# ---- Throttling and accounts (Trust D7, D16) ----
# Rate limits per client (a signed-in user, else an address), counted in PostgreSQL by
# one atomic statement, so that they hold across gunicorn's workers (accounts/throttles.py).
# "anon"/"user": every request of the API, the OGC API and pages; "tiles": vector tiles, a
# budget of their own (a map asks for dozens at each move); "exports", "imports": the
# costly API views (their throttle_scope), on top; "token_failures": wrong API tokens from
# one address. ATLAS_THROTTLE_<SCOPE> (e.g. ATLAS_THROTTLE_ANON=900/min) changes one.
ATLAS_THROTTLE_RATES = {
    scope: os.environ.get(f"ATLAS_THROTTLE_{scope.upper()}", rate)
    for scope, rate in {
        "anon": "600/min", "user": "1200/min", "tiles": "1200/min",
        "exports": "30/hour", "imports": "60/hour", "token_failures": "10/min",
    }.items()
}
# Behind a reverse proxy, the client's address is in X-Forwarded-For: how many proxies
# to trust (0: none, the connection's address is the client's).
REST_FRAMEWORK["NUM_PROXIES"] = int(os.environ.get("ATLAS_NUM_PROXIES", "0")) or None

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one username
# from one address, that pair is locked out for the cool-off; the site's 429 page says so.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ATLAS_SIGNIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ATLAS_SIGNIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.throttles.client_ip"
AXES_VERBOSE = False

# API tokens (django-rest-knox): hashed, expiring, with a scope (accounts/models.py).
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations would make a table for its model even though ours replaces it
# (they are not written for a swapped model), and that table, unknown to Django, would
# keep `flush` from emptying the users' table.
MIGRATION_MODULES = {"knox": None}
ATLAS_API_TOKEN_DAYS = int(os.environ.get("ATLAS_API_TOKEN_DAYS", "90"))
ATLAS_API_TOKEN_MAX_DAYS = 365
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=ATLAS_API_TOKEN_DAYS),
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "AUTH_HEADER_PREFIX": "Token",
}
