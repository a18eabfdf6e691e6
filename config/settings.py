"""Settings for the heritage register, read from the environment.

Environment variables:

- ``DEBUG``: ``1``, ``true``, ``yes`` or ``on`` turns debug mode on (default: off).
- ``SECRET_KEY``: required when ``DEBUG`` is off; the app refuses to start without it.
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/heritage``
  (default: the SQLite file ``db.sqlite3`` in the project folder).
- ``ALLOWED_HOSTS``: comma-separated host names (default: ``localhost,127.0.0.1,[::1]``).
- ``MEDIA_ROOT``: where uploaded files are stored (default: ``media/`` in the project folder).
- ``STATIC_ROOT``: where ``collectstatic`` gathers static files (default: ``staticfiles/``).
- ``EVIDENCE_MAX_UPLOAD_MB`` (default 50) and ``EVIDENCE_MAX_MEGAPIXELS`` (default 100): the
  largest evidence file and image accepted; larger ones are refused with a message.
- ``EVIDENCE_BACKGROUND_MEGAPIXELS`` (default 12): an uploaded photo of more pixels has its
  renditions made by a background worker rather than in the upload's request; 0: always.
- ``EVIDENCE_GPS_WARNING_KM`` (default 5): a photo whose GPS position lies further than this
  from its site's coordinates gets a warning for the editor (never a refusal).
- ``API_THROTTLE_RATE`` (default ``120/minute``): requests an anonymous client may make to
  the read API, as ``N/second``, ``N/minute``, ``N/hour`` or ``N/day``; counted in the cache,
  which production shares between app servers (``REDIS_URL``). ``API_MAX_PAGE_SIZE``
  (default 100): the largest ``page_size`` the API's lists accept.
- ``MAP_TILE_URL``, ``MAP_TILE_ATTRIBUTION``: the map's tile layer, fetched by the visitor's
  browser (default: OpenStreetMap's standard tiles).
- ``HTTP_CACHE_MAX_AGE`` (default 60): seconds a shared cache may keep an anonymous public
  page or export (``Cache-Control: public, max-age``; see ``public.http_cache``).
- ``PAGE_CACHE_SECONDS`` (default 300; 0 turns it off), ``PAGE_CACHE_MAX_BYTES`` (default
  1 MiB): how long the app keeps a whole anonymous page in its own cache, and the largest.

Production (see the README's "Deploying" section for every variable): ``CSRF_TRUSTED_ORIGINS``,
``REDIS_URL``, ``MEDIA_BUCKET`` and its ``MEDIA_S3_*`` companions, the ``EMAIL_*`` variables,
``SECURE_*`` overrides of the HTTPS settings, ``SECURE_PROXY_SSL_HEADER`` and
``TRUSTED_PROXY_COUNT``.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import api_rate, csp_origin, env_bool, env_int, env_list, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    # Debug mode only: a key that is never valid in production.
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Origins allowed to POST (forms, admin) when they differ from the Host, e.g. behind a proxy:
# "https://register.example.org".
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "simple_history",
    # Importing and exporting records in the admin as CSV and XLSX (heritage/imports/).
    "import_export",
    # The read API under /api/v1/ (public/api/): REST framework, its OpenAPI schema and the
    # schema's browsable docs, whose files come from the sidecar package; CORS headers.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # Background jobs (imports): Django's tasks API with its database backend; workers run
    # `manage.py db_worker` (README, "Background jobs").
    "django_tasks",
    "django_tasks_db",
    "heritage",
    "inspections",
    "public",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may answer: CORS headers on /api/ only (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    # ETag, 304 and Cache-Control of the public pages; before the session middleware, so
    # that it sees the answer after it (see public.http_cache).
    "public.http_cache.PublicHttpCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a page is that of its address (config/locale.py).
    "config.locale.UrlLanguageMiddleware",
    # A parameter that is not UTF-8 or holds a NUL is a 400 before any view reads it.
    "config.security.InvalidParameterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made each change in the edit history (after authentication).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public.context_processors.register",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite keeps 2 MB of pages in memory by default and reads the rest from the file again
    # and again; a larger page cache and memory-mapped reads keep a large register's indexes
    # in memory. Both are per connection and cost nothing until used.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        f"PRAGMA cache_size = -{env_int('SQLITE_CACHE_MB', 64) * 1024}; "
        f"PRAGMA mmap_size = {env_int('SQLITE_MMAP_MB', 256) * 1024 * 1024}"
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code when its plan looks costly; a search of a
    # large register looks so, and compiling took a second of a 3.7 s answer that runs in
    # 0.2 s without it. Pages answer in milliseconds, which compiling never repays.
    # A server-side cursor (``iterator()``: the exports, the data package, the rebuilds) is
    # planned for all its rows, which they all read, rather than for its first tenth: at
    # 500,000 sites the export of a district's destroyed sites walked the whole index of
    # names for its 1,000 rows (329 ms rather than 65), the restoration projects' sites 1.2 s
    # rather than 0.56.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c jit=off -c cursor_tuple_fraction=1".strip()
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff log in on the admin's login page and land on the admin's index when the login did
# not come from another page (Django's default, /accounts/profile/, is no page here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("az", "Azərbaycanca"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Where the register adjusts Django's date and number formats of a language (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")


def package_dir(name):
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(f"The package {name!r} is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


# Leaflet's files come from the django-leaflet package. Only its static folder is used:
# listing it in INSTALLED_APPS would load its admin, which needs the GDAL library.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("leaflet", package_dir("leaflet") / "static" / "leaflet"),
]

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# The whole-register download (manage.py export_datapackage): where packages are written and
# /data/ offers the latest; the address the package's links start with.
DATA_PACKAGE_DIR = Path(os.environ.get("DATA_PACKAGE_DIR") or BASE_DIR / "datapackages")
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/")

# Evidence files (photos, PDFs). Files are served by the register's own views, which apply
# the publication rules; MEDIA_URL is never linked.
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_MB", 50) * 1024 * 1024
EVIDENCE_MAX_PIXELS = env_int("EVIDENCE_MAX_MEGAPIXELS", 100) * 1_000_000
EVIDENCE_GPS_WARNING_KM = env_int("EVIDENCE_GPS_WARNING_KM", 5)
# Photos of more pixels are rendered by the worker (inspections.tasks), not in the request.
EVIDENCE_BACKGROUND_PIXELS = env_int("EVIDENCE_BACKGROUND_MEGAPIXELS", 12) * 1_000_000
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Background jobs are queued in the database, which every app server and worker shares.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Seconds a shared cache (or a browser) may keep an anonymous public page or export before
# asking again; the answer to that question is a cheap 304 while the register is unchanged.
HTTP_CACHE_MAX_AGE = env_int("HTTP_CACHE_MAX_AGE", 60)

# Seconds the app keeps a whole anonymous public page in its own cache, keyed by the
# register's version (so no edit is ever hidden), 0 to keep none; and the largest page kept.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", 1024 * 1024)

MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# --- Production: cache, sessions, storage, e-mail, HTTPS, security headers, login throttling ---

# Cache: Redis (Django's own backend) when REDIS_URL is set, as every production server needs
# so that app servers share one cache; otherwise files in CACHE_DIR when it is set (`make run`
# sets it, so that its development server sees the register version the job worker raises
# after an import); otherwise a cache in this process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
# What each app server keeps in its own memory of what it reads from Redis (see config/cache.py):
# the entries under these prefixes, whose keys carry the versions, or a digest, of what their
# value is made of, so that a value stored under one never changes. CACHE_NEAR_BYTES=0 turns
# it off.
NEAR_CACHE = {
    "PREFIXES": [
        "api:modified:",  # when the register's versions in the key were first answered at
        "page:",  # whole answers, by an ETag made of the versions (public/http_cache.py)
        "places:",  # under the places version (heritage.cache.cached_places)
        "counts:",  # under the counts' versions (heritage.cache.cached_counts)
        "place-counts:",  # under a place's version of a table (heritage.cache.cached_by_place)
        "register:site-count:",  # under the register's version (public/views/sites.py)
        "register:options-html:",  # under the register's version (public/widgets.py)
        "options-html:",  # under the versions of the options' models (public/widgets.py)
        "choices:",  # under the versions of the choices' models (public/selectors.py)
        "filter-field:",  # under the form's versions (public/filters/base.py)
        "fragment:",  # under a digest of the row and its context (public/fragments.py)
        "close-words:",  # under the search words' version (heritage.models.site_search)
        "assessment-terms:",  # under the terms' version (inspections.models.querysets)
    ],
    "MAX_BYTES": env_int("CACHE_NEAR_BYTES", 32 * 1024 * 1024),
    "SECONDS": env_int("CACHE_NEAR_SECONDS", 30),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "heritage"),
            "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
            "NEAR": NEAR_CACHE if NEAR_CACHE["MAX_BYTES"] > 0 else None,
        }
    }
    # Sessions are read from the cache and written through to the database, so that they
    # survive a restart or an eviction of the cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif CACHE_DIR := os.environ.get("CACHE_DIR", "").strip():
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"


STORAGES = {
    "default": media_storage(),
    # Compressed copies and content-hashed names (collectstatic); WhiteNoise serves them with
    # a cache lifetime of ten years. In debug mode they are served unhashed from the finders.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail (password resets for staff, error reports). Debug mode prints messages to the console.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24)

# HTTPS. Off in debug mode (the development server speaks plain HTTP); each can be overridden,
# e.g. SECURE_SSL_REDIRECT=0 for a production-like run on the loopback interface.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Behind a proxy that terminates TLS: the header it sets to "https", e.g. X-Forwarded-Proto.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Cross-origin requests carry the origin only: tile servers such as OpenStreetMap's require
# a Referer from the pages that show their tiles.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _origins(*pairs):
    return [origin for origin in (csp_origin(url, name) for name, url in pairs) if origin]


_static_origins = _origins(("STATIC_URL", STATIC_URL))
_media_origins = _origins(("MEDIA_URL", MEDIA_URL))
if "OPTIONS" in STORAGES["default"]:
    # Files in a bucket are linked at its custom domain, its endpoint, or Amazon S3.
    _bucket = STORAGES["default"]["OPTIONS"]
    if _bucket["custom_domain"]:
        _media_origins.append(f"https://{_bucket['custom_domain']}")
    elif _bucket["endpoint_url"]:
        _media_origins.extend(_origins(("MEDIA_S3_ENDPOINT_URL", _bucket["endpoint_url"])))
    else:
        _media_origins.append("https://*.amazonaws.com")

# Content-Security-Policy (django-csp): scripts and styles from this site's own files only,
# never inline; map tiles from MAP_TILE_URL's origin; data (GeoJSON) from this site only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, *_static_origins],
        "style-src": [SELF, *_static_origins],
        "img-src": [
            SELF,
            *_static_origins,
            *_media_origins,
            *_origins(("MAP_TILE_URL", MAP_TILE_URL)),
        ],
        "font-src": [SELF, *_static_origins],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    }
}
if os.environ.get("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = os.environ["CSP_REPORT_URI"]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name
# from one client address, that name may not log in from that address for an hour (failed
# tries meanwhile extend it). Other names from that address, and that name from other
# addresses, are not locked: someone guessing passwords cannot lock the right people out.
# The same answer is given whether or not the user name exists. Attempts are kept in the
# database, so every app server sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# Lockouts are logged as warnings; no banner at every start of a command.
AXES_VERBOSE = False
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For
# (0: the app sees clients directly). Only the addresses they appended are believed.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- The read API (/api/v1/, public/api/) ------------------------------------------------

API_THROTTLE_RATE = api_rate("API_THROTTLE_RATE", "120/minute")
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100)
if API_MAX_PAGE_SIZE < 1:
    raise ImproperlyConfigured(f"API_MAX_PAGE_SIZE must be 1 or more; got {API_MAX_PAGE_SIZE}.")

REST_FRAMEWORK = {
    # Read-only and public: no logins (staff see through the API what anyone sees), no
    # request bodies.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["public.api.throttling.AnonymousClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_RATE},
    # The client's address behind TRUSTED_PROXY_COUNT proxies, as for login throttling.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "public.api.errors.exception_handler",
    "UNICODE_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Heritage damage register API",
    "DESCRIPTION": (
        "Read-only access to the published records of the register: sites, places, visits, "
        "condition assessments, sources, reported figures, organisations and the EAMENA "
        "vocabularies. Only published records appear, under the same rules as the website."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "public.api.schema.described_parameters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SiteCategory": "heritage.models.SiteCategory",
        "PublicLocationPrecision": "heritage.models.LocationPrecision",
        "DatePrecision": "heritage.base.DatePrecision",
        "PlaceKind": "heritage.models.PlaceKind",
        "OrganisationKind": "heritage.models.OrganisationKind",
        "SourceKind": "heritage.models.SourceKind",
        "NameKind": "heritage.models.NameKind",
        "ClaimKind": "heritage.models.ClaimKind",
        "VisitKind": "inspections.models.VisitKind",
        "EvidenceKind": "inspections.models.EvidenceKind",
        "VisitStatus": "inspections.models.VisitStatus",
        "ProjectKind": "inspections.models.ProjectKind",
        "ProjectStatus": "inspections.models.ProjectStatus",
        "CommitmentKind": "inspections.models.CommitmentKind",
        "CommitmentStatus": "inspections.models.CommitmentStatus",
    },
}

# CORS: any origin may read the API (a notebook in a browser, say), and nothing else.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
