"""A large photo uploaded through the admin is rendered by a real worker process: the upload's
request stores the original and queues the job, ``manage.py db_worker`` (a process of its
own, as in production, started once the upload's page has been seen) makes the
renditions, and the photo's page shows "being prepared" until they exist. The views and the
worker share a new database and a media folder."""

import subprocess
import sys
import tempfile
import textwrap

import pytest

from tests.config.processes import PROJECT, worker_env
from tests.heritage.test_import_worker import worker_database  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

DRIVER = textwrap.dedent(
    """
    import time
    import django
    django.setup()
    from django.test.utils import setup_test_environment
    setup_test_environment()
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.test import Client
    from heritage.models import Place, Site
    from inspections.models import Evidence
    from tests.admin_forms import admin_url, page_data
    from tests.inspections.images import image_bytes, upload

    place = Place.objects.create(slug="fuzuli", name="Füzuli", kind="district")
    site = Site.objects.create(slug="mosque", name="Mosque", category="mosque", place=place)
    user = get_user_model().objects.create_superuser("worker-test", "w@example.org", "x")
    client = Client(HTTP_HOST="register.example.org")
    client.force_login(user)
    add = admin_url(Evidence, "add")
    form = page_data(client.get(add, {"site": site.pk}))
    form.update({"upload": upload(image_bytes(size=(600, 400))), "credit": "A. Photographer"})
    response = client.post(add, form)
    assert response.status_code == 302, response.status_code
    item = Evidence.objects.get()
    page = client.get(admin_url(Evidence, "change", item.pk)).content.decode()
    print("AFTER-UPLOAD", bool(Evidence.objects.get().thumbnail),
          "being prepared" in page)
    # Only now the worker starts, so that it cannot have rendered the photo already.
    import subprocess, sys
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(600):
        item = Evidence.objects.get()
        if item.thumbnail and item.web:
            break
        time.sleep(0.2)
    page = client.get(admin_url(Evidence, "change", item.pk)).content.decode()
    print("RENDERED", bool(item.thumbnail), default_storage.exists(item.web.name),
          item.web_width, "being prepared" in page,
          client.get(f"/evidence/{item.pk}/thumbnail").status_code)
    worker.terminate()
    worker.wait(timeout=60)
    """
)


def test_a_large_uploaded_photo_is_rendered_by_a_real_worker(worker_database):  # noqa: F811
    url, _folder = worker_database
    with tempfile.TemporaryDirectory() as media:
        env = worker_env(url, MEDIA_ROOT=media, EVIDENCE_BACKGROUND_MEGAPIXELS="0")
        # The driver starts the worker itself once it has seen the upload's page.
        result = subprocess.run(
            [sys.executable, "-c", DRIVER],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    lines = {line.split(" ", 1)[0]: line for line in output.splitlines() if " " in line}
    # Not rendered in the request; the page said so; the worker then made the renditions.
    assert lines["AFTER-UPLOAD"] == "AFTER-UPLOAD False True"
    assert lines["RENDERED"] == "RENDERED True True 600 False 200"
