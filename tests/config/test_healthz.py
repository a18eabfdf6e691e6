"""``/healthz``: ok while the database answers, 503 without details when it does not, over
plain HTTP, for reads only."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import override_settings

from tests.config.processes import CLIENT_SETUP, python


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
    probe = CLIENT_SETUP + (
        "response = client.get('/healthz')\n"
        "print('STATUS', response.status_code, response.content)\n"
    )
    output = python(
        probe, DATABASE_URL="postgres://heritage:secret@127.0.0.1:9/register", LOG_LEVEL="CRITICAL"
    )
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
