"""The indexes behind the text search: FTS5 trigram tables on SQLite, trigram GIN indexes on
PostgreSQL. Whatever the database, the search must follow every insert, edit and delete."""

import pytest
from django.db import connection
from django.urls import reverse

from heritage.models import SiteName
from tests.factories import SiteFactory, SiteNameFactory

pytestmark = pytest.mark.django_db


def found(client, text):
    html = client.get(reverse("site-list"), {"q": text}).content.decode()
    return {name for name in ("Gargabazar Mosque", "Other Mosque") if name in html}


def test_search_follows_names_as_they_are_added_changed_and_removed(client):
    site = SiteFactory(published=True, name="Gargabazar Mosque")
    SiteFactory(published=True, name="Other Mosque")
    variant = SiteNameFactory(site=site, name="Qiyasəddin məscidi", language="az")

    assert found(client, "yasəd") == {"Gargabazar Mosque"}
    assert found(client, "qiyaseddin mes") == {"Gargabazar Mosque"}

    variant.name = "Şah Abbas məscidi"
    variant.save()
    assert found(client, "qiyaseddin") == set()
    assert found(client, "sah abbas") == {"Gargabazar Mosque"}

    site.name = "Renamed Mosque"
    site.save()
    assert found(client, "gargabazar") == set()

    SiteName.objects.filter(pk=variant.pk).delete()
    assert found(client, "abbas") == set()


@pytest.mark.parametrize("text", ['ab"c', '"', "mos*", "a OR b", "NEAR(a b)", "%_%", "mo"])
def test_search_text_is_never_read_as_query_syntax(client, text):
    SiteFactory(published=True, name="Gargabazar Mosque")
    response = client.get(reverse("site-list"), {"q": text})
    assert response.status_code == 200
    expected = {"Gargabazar Mosque"} if text == "mo" else set()
    assert found(client, text) == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 mirrors")
def test_sqlite_mirrors_and_their_triggers_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        names = {row[0] for row in cursor.fetchall()}
    for table in ("heritage_sitename_fts", "heritage_site_fts"):
        assert table in names
        for event in ("insert", "delete", "update"):
            assert f"{table}_{event}" in names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes")
def test_postgresql_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%trgm"]
        )
        indexes = dict(cursor.fetchall())
    assert "gin_trgm_ops" in indexes["heritage_sitename_folded_trgm"]
    assert "gin_trgm_ops" in indexes["heritage_site_folded_name_trgm"]
