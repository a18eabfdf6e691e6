"""Production configuration: Django's deployment checks, HTTPS, settings read from the
environment, the cache and sessions, e-mail, media storage, and static files served by
WhiteNoise."""

import functools
from unittest.mock import patch

import pytest
import redis

from heritage import cache as heritage_cache
from tests.config.processes import CLIENT_SETUP, production_env, python, run, settings_value
from tests.config.redis_caches import local_redis_cache


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
        "CACHE_NEAR_BYTES",
        "CACHE_NEAR_SECONDS",
    ],
)
def test_a_number_setting_that_is_not_a_number_is_a_clear_error(name):
    code, output = run([], production_env(**{name: "a year"}), code="import config.settings")
    assert code != 0
    assert f"{name} must be a whole number; got 'a year'" in output


def test_redis_url_selects_the_redis_cache_and_cached_sessions():
    assert settings_value(
        "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.SESSION_ENGINE"
    ) == (
        "config.cache.RedisCache redis://127.0.0.1:6379/0 "
        "django.contrib.sessions.backends.cached_db"
    )


def test_without_redis_sessions_live_in_the_database():
    assert settings_value("s.CACHES['default']['BACKEND'], s.SESSION_ENGINE", REDIS_URL="") == (
        "django.core.cache.backends.locmem.LocMemCache django.contrib.sessions.backends.db"
    )


def test_cache_dir_gives_one_cache_to_the_processes_of_a_machine(tmp_path):
    """``make run``'s server and job worker are two processes: the register version that the
    worker raises after an import must be the one the server reads."""
    env = {"REDIS_URL": "", "CACHE_DIR": str(tmp_path)}
    assert settings_value("s.CACHES['default']['BACKEND']", **env) == (
        "django.core.cache.backends.filebased.FileBasedCache"
    )
    version = "from heritage import cache; "
    before = python(version + "print(cache.current_version())", **env).split()[-1]
    python(version + "cache.bump_version()", **env)
    after = python(version + "print(cache.current_version())", **env).split()[-1]
    assert int(after) == int(before) + 1


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
        FAKE_S3_PACKAGES + "from config import settings as s\n"
        "options = s.STORAGES['default']['OPTIONS']\n"
        "print(s.STORAGES['default']['BACKEND'], options['bucket_name'], "
        "options['endpoint_url'], options['querystring_auth'], options['file_overwrite'])\n"
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])\n"
    )
    output = python(
        code, MEDIA_BUCKET="register-media", MEDIA_S3_ENDPOINT_URL="https://s3.example.net:9000"
    )
    first, second = output.strip().splitlines()[-2:]
    assert first == (
        "storages.backends.s3.S3Storage register-media https://s3.example.net:9000 True False"
    )
    assert "'https://s3.example.net:9000'" in second


def test_a_bucket_without_django_storages_installed_is_a_clear_error():
    code = "import sys\nsys.modules['storages'] = None\nimport config.settings\n"
    status, output = run([], production_env(MEDIA_BUCKET="register-media"), code=code)
    assert status != 0
    assert "MEDIA_BUCKET is set, but storages" in output
    assert "heritage-register[s3]" in output


@pytest.fixture
def redis_cache():
    """The Redis cache on the local Redis, under a key prefix of this test's own."""
    with local_redis_cache(SESSION_ENGINE="django.contrib.sessions.backends.cached_db") as cache:
        yield cache


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


def test_static_files_are_served_compressed_with_hashed_names_and_long_lifetimes(tmp_path):
    env = production_env(STATIC_ROOT=str(tmp_path / "static"), SECURE_SSL_REDIRECT="0")
    code, output = run(["collectstatic", "--noinput", "--verbosity", "0"], env)
    assert code == 0, output
    check = CLIENT_SETUP + (
        "import re\n"
        "page = client.get('/admin/login/').content.decode()\n"
        "url = re.search(r'/static/admin/css/base\\.[0-9a-f]{12}\\.css', page).group(0)\n"
        "response = client.get(url, HTTP_ACCEPT_ENCODING='gzip')\n"
        "print(response.status_code, response['Cache-Control'], "
        "response.get('Content-Encoding'))\n"
        "plain = client.get('/static/admin/css/base.css')\n"
        "print(plain.status_code, plain['Cache-Control'])\n"
    )
    output = python(check, STATIC_ROOT=str(tmp_path / "static"), SECURE_SSL_REDIRECT="0")
    hashed, plain = output.strip().splitlines()[-2:]
    assert hashed == "200 max-age=315360000, public, immutable gzip"
    assert plain.startswith("200 max-age=60")


def test_gunicorn_started_in_the_project_opens_no_control_socket(tmp_path):
    """gunicorn reads ``gunicorn.conf.py`` from the folder it starts in; without it, it would
    create a control socket under the user's home folder."""
    code = (
        "import sys\n"
        "sys.argv = ['gunicorn', 'config.wsgi']\n"
        "from gunicorn.app.wsgiapp import WSGIApplication\n"
        "app = WSGIApplication('%(prog)s [OPTIONS] [APP_MODULE]')\n"
        "print(app.cfg.control_socket_disable, app.cfg.control_socket)\n"
    )
    env = production_env(HOME=str(tmp_path), XDG_RUNTIME_DIR="")
    status, output = run([], env, code=code)
    assert status == 0, output
    assert output.split()[0] == "True"


def test_the_redis_cache_keeps_one_client_per_pool(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    redis_cache.set("kept", {"a": 1}, 5)
    assert redis_cache.get("kept") == {"a": 1}
    assert redis_cache.get_many(["kept", "missing"]) == {"kept": {"a": 1}}
    assert redis_cache.add("kept-counter", 1)
    assert redis_cache.incr("kept-counter") == 2
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client() is client  # one server: reads use its pool too


def test_add_many_stores_only_what_is_missing_in_one_round_trip(redis_cache):
    redis_cache.set("held", 7, 5)
    with patch.object(
        redis.client.Pipeline, "execute", autospec=True, side_effect=redis.client.Pipeline.execute
    ) as executed:
        held = redis_cache.add_many({"held": 1, "fresh": 1, "other": {"a": 2}}, timeout=None)
    assert executed.call_count == 1
    assert held == ["held"]
    assert redis_cache.get_many(["held", "fresh", "other"]) == {
        "held": 7,
        "fresh": 1,
        "other": {"a": 2},
    }
    assert redis_cache.incr("fresh") == 2  # stored as a number Redis can raise
    raw = redis_cache._cache.get_client()
    assert raw.ttl(redis_cache.make_and_validate_key("fresh")) == -1  # kept without end
    assert redis_cache.add_many({"gone": 1}, timeout=0) == []
    assert redis_cache.get("gone") is None


def test_versions_a_cleared_cache_lost_start_in_a_few_round_trips(redis_cache):
    keys = [f"register:counts-version:test:{place}" for place in range(40)]
    redis_cache.set(keys[3], 9, None)
    calls = []
    for name in ("get", "get_many", "add", "add_many", "set"):
        original = getattr(redis_cache, name)
        patched = functools.partial(record_call, calls, name, original)
        setattr(redis_cache, name, patched)
    try:
        versions = heritage_cache.read_versions(keys)
    finally:
        for name in ("get", "get_many", "add", "add_many", "set"):
            delattr(redis_cache, name)
    started = versions[0]
    assert versions == [9 if index == 3 else started for index in range(40)]
    assert started > 9  # above any version the cache held before (``first_version``)
    assert calls == ["get_many", "add_many", "get_many"]
    assert redis_cache.incr(keys[0]) == started + 1  # stored, and can rise


def record_call(calls, name, original, *args, **kwargs):
    calls.append(name)
    return original(*args, **kwargs)


def test_the_wsgi_application_builds_every_language_url_table_before_its_first_request():
    code = (
        "import config.wsgi\n"
        "from django.urls import get_resolver\n"
        "print('built:', ' '.join(sorted(get_resolver()._reverse_dict)))\n"
    )
    output = python(code, SECURE_SSL_REDIRECT="0")
    assert "built: ar az en" in output.splitlines()


def test_the_wsgi_application_compiles_the_templates_and_freezes_its_start_up():
    code = (
        "import gc\n"
        "import config.wsgi\n"
        "from django.template import engines\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "print('compiled:', len(loader.get_template_cache))\n"
        "print('has home:', any(key.startswith('public/home.html') for key in "
        "loader.get_template_cache))\n"
        "print('frozen:', gc.get_freeze_count())\n"
    )
    output = python(code, SECURE_SSL_REDIRECT="0")
    lines = dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)
    assert int(lines["compiled"]) >= 80
    assert lines["has home"] == "True"
    assert int(lines["frozen"]) > 100_000
