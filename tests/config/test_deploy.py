"""Production configuration: Django's deployment checks, HTTPS and security headers, the
Content-Security-Policy, the cache and sessions, media storage, static files served by
WhiteNoise, and the health check."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connections
from django.test import override_settings

from heritage.settings import csp_origin

PROJECT = Path(__file__).resolve().parents[2]
#: Variables of the settings that the tests below set themselves, and Django's own (the browser
#: tests set DJANGO_ALLOW_ASYNC_UNSAFE, which a production server must not have).
SETTINGS_VARIABLES = re.compile(
    r"^(DEBUG|SECRET_KEY|DATABASE_URL|ALLOWED_HOSTS|CSRF_TRUSTED_ORIGINS|REDIS_URL|MEDIA_.*|"
    r"STATIC_.*|SECURE_.*|SESSION_.*|CSRF_.*|EMAIL_.*|MAP_TILE_.*|CSP_.*|DJANGO_.*|"
    r"TRUSTED_PROXY_COUNT|AXES_.*|CACHE_.*|EVIDENCE_.*|SQLITE_.*)$"
)


def production_env(**overrides):
    """The environment of a production server: debug off, a strong key, real host names."""
    env = {key: value for key, value in os.environ.items() if not SETTINGS_VARIABLES.match(key)}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="register.example.org",
        CSRF_TRUSTED_ORIGINS="https://register.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_SETTINGS_MODULE="heritage.settings",
    )
    env.update(overrides)
    return env


def run(args, env, code=None):
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    result = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    return result.returncode, result.stdout + result.stderr


def settings_value(expression, **env):
    """``expression`` evaluated on heritage.settings imported in a fresh interpreter."""
    code, output = run(
        [], production_env(**env), code=f"from heritage import settings as s; print({expression})"
    )
    assert code == 0, output
    return output.strip().splitlines()[-1]


# --- manage.py check --deploy ------------------------------------------------------------


def test_deployment_checks_pass_without_a_warning_under_production_settings():
    code, output = run(["check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert code == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output.upper().replace("--FAIL-LEVEL WARNING", "")


def test_deployment_checks_catch_a_weakened_configuration():
    env = production_env(SECURE_HSTS_SECONDS="0", SESSION_COOKIE_SECURE="0")
    code, output = run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert code != 0
    assert "security.W004" in output  # no HSTS
    assert "security.W012" in output  # session cookie not secure


def test_debug_mode_serves_plain_http_without_https_settings():
    values = settings_value(
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.CONTENT_SECURITY_POLICY['DIRECTIVES']"
        "['upgrade-insecure-requests']",
        DEBUG="1",
    )
    assert values == "False False False 0 False"


def test_production_turns_on_https_settings_that_the_environment_can_override():
    assert settings_value(
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS"
    ) == ("True True 31536000")
    assert settings_value(
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="600",
    ) == ("False True 600")


def test_evidence_limits_and_sqlite_memory_come_from_the_environment():
    expression = (
        "s.EVIDENCE_MAX_UPLOAD_BYTES, s.EVIDENCE_MAX_PIXELS, s.EVIDENCE_GPS_WARNING_KM, "
        "s.DATABASES['default']['OPTIONS']['init_command']"
    )
    value = settings_value(
        expression,
        EVIDENCE_MAX_UPLOAD_MB="2",
        EVIDENCE_MAX_MEGAPIXELS="30",
        EVIDENCE_GPS_WARNING_KM="12",
        SQLITE_CACHE_MB="8",
        SQLITE_MMAP_MB="0",
    )
    assert value == "2097152 30000000 12 PRAGMA cache_size = -8192; PRAGMA mmap_size = 0"


def test_proxy_header_is_trusted_only_when_named():
    assert settings_value("getattr(s, 'SECURE_PROXY_SSL_HEADER', None)") == "None"
    assert (
        settings_value("s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


@pytest.mark.parametrize(
    "name",
    [
        "SECURE_HSTS_SECONDS",
        "EMAIL_PORT",
        "TRUSTED_PROXY_COUNT",
        "EVIDENCE_MAX_UPLOAD_MB",
        "EVIDENCE_MAX_MEGAPIXELS",
        "EVIDENCE_GPS_WARNING_KM",
        "SQLITE_CACHE_MB",
        "SQLITE_MMAP_MB",
    ],
)
def test_a_number_setting_that_is_not_a_number_is_a_clear_error(name):
    code, output = run([], production_env(**{name: "a year"}), code="import heritage.settings")
    assert code != 0
    assert f"{name} must be a whole number; got 'a year'" in output


# --- Cache, sessions, e-mail, media storage -----------------------------------------------


def test_redis_url_selects_djangos_redis_cache_and_cached_sessions():
    assert settings_value(
        "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.SESSION_ENGINE"
    ) == (
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/0 "
        "django.contrib.sessions.backends.cached_db"
    )


def test_without_redis_sessions_live_in_the_database():
    assert settings_value("s.CACHES['default']['BACKEND'], s.SESSION_ENGINE", REDIS_URL="") == (
        "django.core.cache.backends.locmem.LocMemCache django.contrib.sessions.backends.db"
    )


def test_mail_settings_come_from_the_environment():
    values = settings_value(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="register@example.org",
    )
    assert values == (
        "django.core.mail.backends.smtp.EmailBackend smtp.example.org 587 True register@example.org"
    )


def test_media_stay_in_media_root_unless_a_bucket_is_named():
    assert settings_value("s.STORAGES['default']") == (
        "{'BACKEND': 'django.core.files.storage.FileSystemStorage'}"
    )


# Stand-ins for django-storages and boto3, which only deployments on a bucket install.
FAKE_S3_PACKAGES = (
    "import sys, types, importlib.machinery\n"
    "for name in ('storages', 'boto3'):\n"
    "    module = types.ModuleType(name)\n"
    "    module.__spec__ = importlib.machinery.ModuleSpec(name, None)\n"
    "    sys.modules[name] = module\n"
)


def test_a_bucket_stores_media_through_django_storages_with_signed_links():
    code = (
        FAKE_S3_PACKAGES + "from heritage import settings as s\n"
        "options = s.STORAGES['default']['OPTIONS']\n"
        "print(s.STORAGES['default']['BACKEND'], options['bucket_name'], "
        "options['endpoint_url'], options['querystring_auth'], options['file_overwrite'])\n"
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])\n"
    )
    env = production_env(
        MEDIA_BUCKET="register-media", MEDIA_S3_ENDPOINT_URL="https://s3.example.net:9000"
    )
    status, output = run([], env, code=code)
    assert status == 0, output
    first, second = output.strip().splitlines()[-2:]
    assert first == (
        "storages.backends.s3.S3Storage register-media https://s3.example.net:9000 True False"
    )
    assert "'https://s3.example.net:9000'" in second


def test_a_bucket_without_django_storages_installed_is_a_clear_error():
    code = "import sys\nsys.modules['storages'] = None\nimport heritage.settings\n"
    status, output = run([], production_env(MEDIA_BUCKET="register-media"), code=code)
    assert status != 0
    assert "MEDIA_BUCKET is set, but storages" in output
    assert "heritage-register[s3]" in output


@pytest.fixture
def redis_cache():
    """Django's Redis cache on the local Redis, under a key prefix of this test's own."""
    prefix = f"heritage-test-{secrets.token_hex(4)}"
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(
        CACHES=config, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        cache = caches["default"]
        try:
            cache.set("probe", 1, 5)
        except Exception as error:
            pytest.skip(f"no Redis answers at {config['default']['LOCATION']}: {error}")
        yield cache
        cache.clear()


@pytest.mark.django_db
def test_sessions_are_shared_through_redis_and_kept_in_the_database(
    client, admin_user, redis_cache
):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.contrib.sessions.models import Session

    client.force_login(admin_user)
    key = client.cookies["sessionid"].value
    # Another app server finds the session in the shared cache, and in the database if the
    # cache loses it.
    assert redis_cache.get(KEY_PREFIX + key)["_auth_user_id"] == str(admin_user.pk)
    assert Session.objects.filter(session_key=key).exists()
    redis_cache.clear()
    assert client.get("/admin/").status_code == 200


# --- Security headers and the Content-Security-Policy --------------------------------------


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"


@pytest.mark.django_db
def test_content_security_policy_allows_no_inline_code_and_no_other_site(client):
    directives = policy(client.get("/"))
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]  # the map's GeoJSON
    assert directives["img-src"] == ["'self'", "https://tile.openstreetmap.org"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    header = client.get("/").headers["Content-Security-Policy"]
    assert "unsafe" not in header
    assert "*" not in header


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/sites/", "/admin/login/", "/sites/export.geojson", "/nowhere/"])
def test_every_response_carries_the_policy(client, path):
    assert "script-src 'self'" in client.get(path)["Content-Security-Policy"]


def test_production_upgrades_insecure_requests():
    assert settings_value(
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests']"
    ) == ("True")


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.example.net:8080/{z}/{x}/{y}.png", "http://tiles.example.net:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("static/", None),
    ],
)
def test_tile_and_media_origins_become_policy_sources(url, origin):
    assert csp_origin(url, "MAP_TILE_URL") == origin


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)//{z}", "https://tiles.{s}.example.org/{z}.png", "ftp://x.org/"]
)
def test_a_tile_url_the_policy_cannot_express_is_a_clear_error(url):
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL"):
        csp_origin(url, "MAP_TILE_URL")


def test_tile_server_of_the_environment_is_allowed_for_images():
    assert settings_value(
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
        MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    ) == ("[\"'self'\", 'https://*.tiles.example.org']")


# --- Static files -------------------------------------------------------------------------


def test_static_files_are_served_compressed_with_hashed_names_and_long_lifetimes(tmp_path):
    env = production_env(STATIC_ROOT=str(tmp_path / "static"), SECURE_SSL_REDIRECT="0")
    code, output = run(["collectstatic", "--noinput", "--verbosity", "0"], env)
    assert code == 0, output
    check = (
        "import django, re\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='register.example.org')\n"
        "page = client.get('/admin/login/').content.decode()\n"
        "url = re.search(r'/static/admin/css/base\\.[0-9a-f]{12}\\.css', page).group(0)\n"
        "response = client.get(url, HTTP_ACCEPT_ENCODING='gzip')\n"
        "print(response.status_code, response['Cache-Control'], "
        "response.get('Content-Encoding'))\n"
        "plain = client.get('/static/admin/css/base.css')\n"
        "print(plain.status_code, plain['Cache-Control'])\n"
    )
    code, output = run([], env, code=check)
    assert code == 0, output
    hashed, plain = output.strip().splitlines()[-2:]
    assert hashed == "200 max-age=315360000, public, immutable gzip"
    assert plain.startswith("200 max-age=60")


# --- Health check -------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_check_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_answers_503_without_details_when_the_database_fails(client, caplog):
    secret = "password authentication failed for user heritage at db.internal:5432"
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError(secret)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "db.internal" not in str(response.headers)
    # The reason is in the server's log.
    assert secret in caplog.text


def test_health_check_answers_503_when_no_database_server_listens():
    probe = (
        "import django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "response = Client(HTTP_HOST='register.example.org').get('/healthz')\n"
        "print('STATUS', response.status_code, response.content)\n"
    )
    env = production_env(
        DATABASE_URL="postgres://heritage:secret@127.0.0.1:9/register", LOG_LEVEL="CRITICAL"
    )
    code, output = run([], env, code=probe)
    assert code == 0, output
    assert "STATUS 503 b'unavailable\\n'" in output


@pytest.mark.django_db
def test_health_check_is_not_redirected_to_https(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/").status_code == 301
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_health_check_answers_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
