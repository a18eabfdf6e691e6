"""An import from end to end through a real worker process: the admin's views queue the
jobs in the database, ``manage.py db_worker`` (a separate process, as in production) runs
them, and the job's page follows them to the end.

The views and the worker run in processes of their own against a database of their own (a
new SQLite file, or a new PostgreSQL database beside the test database, each a copy of the
migrated test database), since a worker cannot see the rows of a test's uncommitted
transaction.
"""

import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from tests.config.processes import PROJECT, worker_env

pytestmark = pytest.mark.django_db

DRIVER = textwrap.dedent(
    """
    import time
    import django
    django.setup()
    from django.test.utils import setup_test_environment
    setup_test_environment()  # responses carry their template context
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse
    from heritage.models import ImportJob, Place, Site

    Place.objects.create(slug="fuzuli", name="Füzuli", kind="district")
    user = get_user_model().objects.create_superuser("worker-test", "w@example.org", "x")
    client = Client(HTTP_HOST="register.example.org")
    client.force_login(user)
    rows = "".join(f"site-{n},Site {n},mosque,fuzuli\\n" for n in range(1200))
    upload = SimpleUploadedFile("sites.csv", ("slug,name,category,place\\n" + rows).encode())
    response = client.post(
        reverse("admin:heritage_site_import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )
    assert response.status_code == 302, response.status_code
    job = ImportJob.objects.get()
    page = reverse("admin:heritage_site_import_job", args=[job.pk])
    assert response["Location"] == page

    def wait_for(*states):
        seen = set()
        for _ in range(600):
            response = client.get(page)
            job = response.context["job"]
            seen.add((job.status, job.rows_read))
            if job.status in states:
                return response, seen
            time.sleep(0.2)
        raise SystemExit(f"still {job.status} after two minutes")

    response, seen = wait_for("ready", "refused", "failed")
    assert response.context["job"].status == "ready", response.context["outcome"]
    assert b'http-equiv="refresh"' not in response.content
    print("PREVIEW", response.context["outcome"]["counts"], Site.objects.count())
    print("SEEN", sorted(seen))
    response = client.post(reverse("admin:heritage_site_import_confirm", args=[job.pk]))
    assert response.status_code == 302
    response, seen = wait_for("done", "refused", "failed")
    job = response.context["job"]
    print("CONFIRM", job.status, job.rows_written, Site.objects.count(), job.message)
    """
)


@pytest.fixture
def worker_database():
    """(URL, folder or None) of a new database for the worker and the views: a copy of the
    test database, which the test runner has migrated (the copy is ``pg_dump``'s on
    PostgreSQL, SQLite's backup of its in-memory database), so that it need not be migrated
    again (with that migration, each worker test took 37-47 s; without, 4-5 s)."""
    connection.ensure_connection()
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        name = f"{settings['NAME']}_worker"
        server = (
            f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}"
        )
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        copy_postgresql_database(f"{server}/{settings['NAME']}", f"{server}/{name}")
        yield f"{server}/{name}", None
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "worker.sqlite3"
            with closing(sqlite3.connect(path)) as copy:
                connection.connection.backup(copy)
            yield f"sqlite:///{path}", folder


def copy_postgresql_database(source, target):
    """Copy the PostgreSQL database ``source`` (a URL) into the empty ``target``: its
    committed rows, which a test's open transaction does not hold back from ``pg_dump``."""
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "--dbname", source],
        capture_output=True,
        check=True,
        timeout=120,
    )
    subprocess.run(
        ["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--dbname", target],
        input=dump.stdout,
        capture_output=True,
        check=True,
        timeout=120,
    )


def test_an_import_runs_through_a_real_worker_process(worker_database):
    url, _folder = worker_database
    env = worker_env(url)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", DRIVER],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output + (worker.stderr.read() if worker.stderr else "")
    lines = {line.split(" ", 1)[0]: line for line in output.splitlines() if " " in line}
    # The preview wrote nothing; the worker then wrote every row in one go.
    assert lines["PREVIEW"] == "PREVIEW {'new': 1200, 'changed': 0, 'unchanged': 0} 0"
    assert lines["CONFIRM"].startswith("CONFIRM done 1200 1200")
    assert os.environ.get("DATABASE_URL", "") != url
