from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_ensure_admin_creates_a_superuser_with_a_random_password_printed_once(client):
    first = run("ensure_admin")
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.is_staff
    password = next(
        line.split(":", 1)[1].strip() for line in first.splitlines() if "password:" in line
    )
    assert len(password) >= 16
    assert user.check_password(password)
    assert client.login(username="admin", password=password)

    second = run("ensure_admin")
    assert password not in second
    assert "already exists" in second
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_ensure_admin_passwords_differ_between_fresh_databases():
    password_line = [line for line in run("ensure_admin").splitlines() if "password:" in line]
    get_user_model().objects.all().delete()
    other_line = [line for line in run("ensure_admin").splitlines() if "password:" in line]
    assert password_line != other_line


def test_ensure_admin_refuses_to_promote_an_ordinary_user():
    get_user_model().objects.create_user(username="admin", password="x-long-password-1")
    with pytest.raises(CommandError, match="not an administrator"):
        run("ensure_admin")
    assert not get_user_model().objects.get(username="admin").is_superuser


def test_ensure_admin_rejects_an_empty_user_name():
    with pytest.raises(CommandError, match="must not be empty"):
        run("ensure_admin", "--username", "  ")
    assert not get_user_model().objects.exists()
