"""The project's settings and commands run in fresh interpreters, with the environment of a
production server or one controlled by the test."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

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
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(overrides)
    return env


def worker_env(database_url, **overrides):
    """The environment of a job worker on the test suite's settings (debug off, static files
    without collectstatic) and ``database_url`` (a migrated database), without Redis."""
    env = production_env(
        DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tests.settings", **overrides
    )
    env.pop("REDIS_URL")
    return env


#: Python that sets Django up and makes ``client``, a test client of the production host.
CLIENT_SETUP = (
    "import django\n"
    "django.setup()\n"
    "from django.test import Client\n"
    "client = Client(HTTP_HOST='register.example.org')\n"
)


def run(args, env, code=None):
    """Run ``manage.py`` with ``args``, or the Python ``code``, in the project folder under
    ``env``; returns the exit code and the output."""
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    result = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    return result.returncode, result.stdout + result.stderr


def python(code, **env):
    """The output of the Python ``code`` run under ``production_env(**env)``, which must
    succeed."""
    status, output = run([], production_env(**env), code=code)
    assert status == 0, output
    return output


def settings_value(expression, **env):
    """``expression`` evaluated on config.settings imported in a fresh interpreter."""
    output = python(f"from config import settings as s; print({expression})", **env)
    return output.strip().splitlines()[-1]
