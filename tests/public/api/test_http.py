"""What clients rely on besides the records: conditional requests, throttling, CORS on the
API only, and the docs under the site's Content-Security-Policy."""

import pytest

from heritage.models import Site
from inspections.models import Evidence
from tests import factories

pytestmark = pytest.mark.django_db

SITES = "/api/v1/sites/"


@pytest.fixture
def site(db):
    return factories.SiteFactory(published=True, slug="one")


@pytest.mark.usefixtures("site")
def test_a_matching_if_none_match_is_answered_304_without_reading_records(
    client, django_assert_num_queries
):
    first = client.get(SITES)
    etag = first["ETag"]
    assert etag
    assert first["Last-Modified"]
    with django_assert_num_queries(0):
        again = client.get(SITES, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    modified = client.get(SITES, headers={"If-Modified-Since": first["Last-Modified"]})
    assert modified.status_code == 304


def test_an_edit_changes_the_etag(client, site):
    etag = client.get(SITES)["ETag"]
    Site.objects.get(pk=site.pk).save()
    answer = client.get(SITES, headers={"If-None-Match": etag})
    assert answer.status_code == 200
    assert answer["ETag"] != etag


def test_an_evidence_file_changes_the_etag_of_sources(client, db):
    source = factories.SourceFactory(published=True)
    url = f"/api/v1/sources/{source.slug}/"
    etag = client.get(url)["ETag"]
    factories.EvidenceFactory(site=None, source=source, published=True)
    answer = client.get(url, headers={"If-None-Match": etag})
    assert answer.status_code == 200
    assert len(answer.json()["archived_files"]) == 1
    assert Evidence.objects.count() == 1


@pytest.mark.usefixtures("site")
def test_the_etag_differs_by_address_and_format(client):
    etags = {
        client.get(url)["ETag"]
        for url in [SITES, f"{SITES}?page_size=1", f"{SITES}?format=geojson"]
    }
    assert len(etags) == 3


@pytest.mark.usefixtures("site")
def test_an_anonymous_client_over_the_rate_gets_429_with_retry_after(client, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    for _ in range(3):
        assert client.get(SITES).status_code == 200
    answer = client.get(SITES)
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0
    assert "throttled" in answer.json()["detail"]
    # Another client is not held back.
    assert client.get(SITES, REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.usefixtures("site")
def test_the_throttle_counts_the_client_behind_trusted_proxies(client, settings):
    settings.API_THROTTLE_RATE = "1/minute"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client.get(SITES, **first).status_code == 200
    assert client.get(SITES, **first).status_code == 429
    assert client.get(SITES, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


@pytest.mark.usefixtures("site")
def test_cors_allows_any_origin_on_the_api_only(client):
    origin = {"HTTP_ORIGIN": "https://notebook.example.org"}
    api = client.get(SITES, **origin)
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in api["Access-Control-Expose-Headers"]
    preflight = client.options(SITES, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin)
    assert preflight["Access-Control-Allow-Origin"] == "*"
    for url in ["/sites/", "/sites/export.geojson", "/sites/one/", "/admin/login/"]:
        assert "Access-Control-Allow-Origin" not in client.get(url, **origin), url


def test_the_api_refuses_writes(client, site):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(f"{SITES}{site.slug}/").status_code == 405
    assert Site.objects.filter(pk=site.pk).exists()


def test_the_schema_documents_every_resource(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for resource in [
        "sites",
        "places",
        "visits",
        "assessments",
        "sources",
        "figures",
        "organisations",
    ]:
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{slug}}/" in paths
    assert "/api/v1/vocabularies/{name}/" in paths
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/sites/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert {"q", "category", "condition", "area", "organisation", "verification"} <= set(parameters)


def test_the_docs_are_served_from_this_site_under_its_policy(client, db):
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<style" not in html
    assert "<script>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    policy = docs["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "data:" in directives["img-src"].split()
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in policy
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    # The rest of the site keeps its policy.
    assert "data:" not in client.get("/sites/")["Content-Security-Policy"]


def test_the_schema_is_made_once_per_language_and_kept(client, db, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from public.api.views.docs import SchemaView

    monkeypatch.setattr(SchemaView, "made", {})
    made = []
    original = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        made.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)

    first = client.get("/api/v1/schema/?format=json")
    again = client.get("/api/v1/schema/?format=json")
    yaml = client.get("/api/v1/schema/")

    assert len(made) == 1
    assert again.json() == first.json()
    assert yaml["Content-Disposition"].endswith('.yaml"')
    assert first["Content-Disposition"].endswith('.json"')
    assert "openapi:" in yaml.content.decode()
    # Another language's schema is made for it (its descriptions may be translated).
    client.get("/api/v1/schema/?format=json&lang=az")
    assert len(made) == 2
