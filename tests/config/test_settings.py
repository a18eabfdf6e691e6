"""The settings module read in fresh interpreters, with controlled environments."""

import os

import pytest

from tests.config.processes import run

_SETTING_VARS = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "MEDIA_ROOT"}


def load_settings(**env):
    """Import config.settings in a clean process; return (exit code, output)."""
    clean = {key: value for key, value in os.environ.items() if key not in _SETTING_VARS}
    clean.update(env)
    code = (
        "from config import settings as s;"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS, s.MEDIA_ROOT)"
    )
    return run([], clean, code=code)


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    code, output = load_settings()
    assert code != 0
    assert "SECRET_KEY is not set" in output


def test_debug_mode_starts_without_secret_key_on_sqlite():
    code, output = load_settings(DEBUG="1")
    assert code == 0, output
    assert output.startswith("True django.db.backends.sqlite3")


def test_environment_sets_database_hosts_and_media_root():
    code, output = load_settings(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://someone@db.example:5432/register",
        ALLOWED_HOSTS="register.example, www.register.example",
        MEDIA_ROOT="/srv/media",
    )
    assert code == 0, output
    assert "False django.db.backends.postgresql" in output
    assert "['register.example', 'www.register.example']" in output
    assert "/srv/media" in output


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_unrecognised_debug_value_is_a_clear_error(value):
    code, output = load_settings(DEBUG=value, SECRET_KEY="x" * 50)
    assert code != 0
    assert "DEBUG must be one of" in output
