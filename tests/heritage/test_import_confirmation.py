"""Between the preview and the confirmation: a record someone else changed or added, a
tampered or incomplete confirmation, or a file that is gone stops the whole import."""

import pytest
from django.db.models import F
from pytest_django.asserts import assertContains

from heritage.imports.files import CSV, tmp_storage_class
from heritage.imports.resources import SiteResource
from heritage.models import Site
from tests.admin_forms import admin_url
from tests.factories import PlaceFactory, SiteFactory, UserFactory
from tests.heritage.imports import (
    confirm,
    confirmation_data,
    csv_upload,
    preview,
    preview_actions,
    problems,
)

pytestmark = pytest.mark.django_db


def test_a_record_changed_after_the_preview_stops_the_whole_import(admin_client):
    place = PlaceFactory(slug="fuzuli")
    site = SiteFactory(slug="mosque", name="Mosque", place=place)
    upload = csv_upload(
        "slug,name,category,place\n"
        "new-site,New site,mosque,fuzuli\n"
        "mosque,Mosque (renamed),mosque,fuzuli\n"
    )
    response = preview(admin_client, Site, upload)
    assert preview_actions(response) == [(2, "new"), (3, "update")]
    site.description = "Someone else's change"
    site.save()

    response = confirm(admin_client, Site, response)

    assert response.status_code == 200
    assertContains(response, "Nothing was imported.")
    found = problems(response)
    assert [(row, column) for row, column, _m in found] == [(3, "")]
    assert "was changed by someone else after the preview (version 1 then, 2 now)" in found[0][2]
    site.refresh_from_db()
    assert (site.name, site.description) == ("Mosque", "Someone else's change")
    assert not Site.objects.filter(slug="new-site").exists()


def test_a_record_added_after_the_preview_stops_the_import(admin_client):
    place = PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    SiteFactory(slug="new-site", name="Someone else's", place=place)

    response = confirm(admin_client, Site, response)

    assert "was added by someone else after the preview" in problems(response)[0][2]
    assert Site.objects.get(slug="new-site").name == "Someone else's"


def test_a_tampered_confirmation_is_refused(admin_client):
    PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    data = confirmation_data(response)
    data["versions"] = data["versions"][:-2] + "xx"

    response = admin_client.post(admin_url(Site, "process_import"), data)

    assert problems(response) == [
        (None, "", "This confirmation cannot be checked. Upload the file again.")
    ]
    assert not Site.objects.exists()


@pytest.mark.parametrize("field", ["versions", "format", "import_file_name"])
def test_a_confirmation_with_a_missing_or_unknown_value_writes_nothing(admin_client, field):
    PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    data = confirmation_data(response)

    for value in ["", "7"]:
        response = admin_client.post(admin_url(Site, "process_import"), {**data, field: value})
        assert response.status_code == 200
        assertContains(response, "Nothing was imported.")
    assert not Site.objects.exists()


def test_a_confirmation_whose_file_is_gone_asks_for_the_file_again(admin_client):
    PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    storage = tmp_storage_class()(name=response.context["confirm_form"].initial["import_file_name"])
    storage.remove()

    response = confirm(admin_client, Site, response)

    assert "The uploaded file is no longer here" in problems(response)[0][2]
    assert not Site.objects.exists()


def test_the_file_waits_in_the_shared_cache_when_there_is_one(settings):
    assert tmp_storage_class().__name__ == "TempFolderStorage"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379",
        }
    }
    assert tmp_storage_class().__name__ == "CacheStorage"


def test_a_save_that_finds_the_record_changed_meanwhile_stops_the_import(monkeypatch):
    """Between reading a record and saving it, someone else saves it: the import's save is
    refused by the record's version (StaleRecordError), reported on its row, and the
    transaction is rolled back."""
    place = PlaceFactory(slug="fuzuli")
    SiteFactory(slug="mosque", name="Mosque", place=place)
    original = SiteResource.before_save_instance

    def someone_else_saves_first(self, instance, row, **kwargs):
        if instance.pk is not None:
            Site.objects.filter(pk=instance.pk).update(version=F("version") + 1, name="Theirs")
        original(self, instance, row, **kwargs)

    monkeypatch.setattr(SiteResource, "before_save_instance", someone_else_saves_first)
    dataset = CSV().create_dataset(
        b"slug,name,category,place\nnew-site,New,mosque,fuzuli\nmosque,Mine,mosque,fuzuli\n"
    )

    result = SiteResource(user=UserFactory(is_superuser=True)).import_data(dataset)

    [problem] = result.problems()
    assert problem.row == 3
    assert "was changed by someone else after this copy was read" in str(problem.message)
    assert not Site.objects.filter(slug="new-site").exists()
