"""The whole register as one download: ``manage.py export_datapackage`` writes a Frictionless
Data Package that validates, holds published records only and no withheld position, reads
the database in a fixed number of queries however many sites; ``/data/`` offers the newest
package with its date, size, SHA-256 and the data's licence."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

import frictionless
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from heritage.models import Site
from public.data_package.writer import latest_package, write_package
from public.tasks import export_register_package
from tests.factories import SiteFactory, SiteNameFactory, published_assessment
from tests.public.restricted import SECRET, WITHHELD

pytestmark = pytest.mark.django_db

TABLES = [
    "places",
    "place_names",
    "organisations",
    "sources",
    "sites",
    "site_names",
    "site_claims",
    "visits",
    "assessments",
    "citations",
    "figures",
]


def export(directory, *options):
    out = io.StringIO()
    call_command(
        "export_datapackage",
        "--output",
        str(directory),
        "--base-url",
        "https://register.example.org/",
        *options,
        stdout=out,
    )
    return out.getvalue()


def unpack(directory, into):
    [package] = directory.glob("*.zip")
    with zipfile.ZipFile(package) as archive:
        archive.extractall(into)
    return into


def rows(folder, table):
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as data:
        return list(csv.DictReader(data))


@pytest.fixture
def package(restricted_register, tmp_path):
    """The restricted register's package, unzipped."""
    export(tmp_path / "out")
    return unpack(tmp_path / "out", tmp_path / "unzipped"), restricted_register


def test_the_package_validates_with_frictionless(package):
    folder, _register = package
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.flatten(["type", "note"]) == []
    assert report.valid
    descriptor = json.loads((folder / "datapackage.json").read_text())
    names = [resource["name"] for resource in descriptor["resources"]]
    assert names == [*TABLES, "sites-geojson", "register-jsonld"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    sites = next(r for r in descriptor["resources"] if r["name"] == "sites")
    assert sites["schema"]["primaryKey"] == ["slug"]
    assert {"fields": ["place"], "reference": {"resource": "places", "fields": ["slug"]}} in (
        sites["schema"]["foreignKeys"]
    )


def test_the_package_holds_published_records_only(package):
    folder, register = package
    assert {row["slug"] for row in rows(folder, "sites")} == register["public_slugs"]
    for path in folder.iterdir():
        assert SECRET not in path.read_text(encoding="utf-8"), path.name
    assert {row["site"] for row in rows(folder, "assessments")} <= register["public_slugs"]
    assert [row["source"] for row in rows(folder, "citations")] == [
        row["slug"] for row in rows(folder, "sources")
    ]
    geojson = json.loads((folder / "sites.geojson").read_text())
    slugs = {feature["properties"]["slug"] for feature in geojson["features"]}
    assert slugs == register["public_slugs"]
    linked = json.loads((folder / "register.jsonld").read_text())
    assert linked["@context"] == "https://register.example.org/ns/register.jsonld"
    assert {site["id"].rsplit("/", 2)[-2] for site in linked["@graph"]} == slugs


def test_the_package_gives_no_withheld_position(package):
    folder, _register = package
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        for coordinate in WITHHELD:
            assert coordinate not in text, path.name
    [library] = [row for row in rows(folder, "sites") if row["slug"] == "withheld-library"]
    assert (library["latitude"], library["longitude"]) == ("39.6", "47.1")
    assert library["location_precision"] == "withheld"
    assert library["url"] == "https://register.example.org/sites/withheld-library/"


def test_the_package_reads_a_fixed_number_of_queries(restricted_register, tmp_path):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            write_package(tmp_path / f"run-{Site.objects.count()}", "https://example.org")
        return len(captured)

    before = queries()
    for n in range(5):
        site = SiteFactory(published=True, slug=f"more-{n}")
        SiteNameFactory(site=site, language="az")
        published_assessment(site, datetime.date(2021, 1, n + 1), "Poor")
    assert queries() == before


def test_the_command_reports_and_keeps_the_newest_packages(restricted_register, tmp_path):
    output = export(tmp_path, "--keep", "1")
    written = latest_package(tmp_path)
    assert f"SHA-256 {written['sha256']}" in output
    path = tmp_path / written["file"]
    assert written["size"] == path.stat().st_size
    assert written["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert written["rows"]["sites"] == len(restricted_register["public_slugs"])


def test_the_command_refuses_a_base_url_without_a_scheme(tmp_path):
    with pytest.raises(CommandError, match="http"):
        call_command("export_datapackage", "--output", str(tmp_path), "--base-url", "example.org")


def test_the_command_refuses_a_file_for_its_folder_and_writes_nothing(tmp_path):
    target = tmp_path / "not-a-folder"
    target.write_text("kept")

    with pytest.raises(CommandError, match="not a folder"):
        call_command("export_datapackage", "--output", str(target))
    assert target.read_text() == "kept"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["not-a-folder"]


@pytest.mark.parametrize("keep", ["0", "-2", "three"])
def test_the_command_refuses_to_keep_fewer_than_one_package(tmp_path, keep):
    with pytest.raises(CommandError, match="keep"):
        call_command("export_datapackage", "--output", str(tmp_path), "--keep", keep)
    assert list(tmp_path.iterdir()) == []


def test_a_background_export_is_queued_and_written_by_a_worker(restricted_register, tmp_path):
    output = export(tmp_path, "--background")
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "public.tasks.export_register_package"
    assert "Queued the data package" in output
    assert latest_package(tmp_path) is None
    result = export_register_package.call(*queued.args_kwargs["args"])
    assert result["sha256"] == latest_package(tmp_path)["sha256"]


def test_a_background_export_needs_an_absolute_folder(db):
    with pytest.raises(CommandError, match="absolute"):
        call_command("export_datapackage", "--output", "relative", "--background")
    assert not DBTaskResult.objects.exists()


# --- /data/ ----------------------------------------------------------------------------------


def test_the_data_page_offers_the_newest_package(
    client, restricted_register, tmp_path, settings, django_assert_max_num_queries
):
    settings.DATA_PACKAGE_DIR = tmp_path
    export(tmp_path)
    written = latest_package(tmp_path)
    with django_assert_max_num_queries(0):
        response = client.get(reverse("data"))
    html = response.content.decode()
    assert response.status_code == 200
    url = reverse("data-package-file", args=[written["file"]])
    assert f'href="{url}"' in html
    assert written["sha256"] in html
    assert written["created"].strftime("%Y-%m-%dT%H:%M:%S") in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    download = client.get(url)
    assert download["Content-Type"] == "application/zip"
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == written["sha256"]


def test_the_data_page_says_when_no_package_is_written(client, tmp_path, settings):
    settings.DATA_PACKAGE_DIR = tmp_path / "none"
    response = client.get(reverse("data"))
    assert "No data package has been written yet." in response.content.decode()


@pytest.mark.parametrize(
    "name", ["datapackage.json", "heritage-register-20260101-000000.zip", "..%2Fsecret.zip"]
)
def test_only_written_packages_can_be_downloaded(client, tmp_path, settings, name):
    settings.DATA_PACKAGE_DIR = tmp_path
    (tmp_path / "datapackage.json").write_text("{}")
    response = client.get(f"/data/{name}")
    assert response.status_code == 404
