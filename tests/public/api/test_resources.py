"""Each resource shows what its public page shows, links to the records it refers to and to
its public page."""

import pytest

from inspections.models import OverallCondition
from tests.public.api.reading import RESOURCES, get_json, path_of

pytestmark = pytest.mark.django_db


def test_the_root_links_every_resource(client):
    root = get_json(client, "/api/v1/")
    assert {path_of(url) for url in root.values()} >= set(RESOURCES)


def test_a_site_and_what_it_links_to(client, full_register):
    site = full_register["site"]
    body = get_json(client, f"/api/v1/sites/{site.slug}/")
    assert body["name"] == site.name
    assert (body["latitude"], body["longitude"]) == (39.512345, 47.054321)
    assert body["dating_label"] == "17th century"
    assert {claim["kind"] for claim in body["claims"]} == {"dating", "identity"}
    assert body["citations"][0]["locator"] == "p. 3"
    assert body["citations"][0]["source_title"] == full_register["source"].title
    assert client.get(body["page_url"]).status_code == 200
    assert path_of(body["page_url"]) == site.get_absolute_url()
    [assessment] = body["assessments"]
    assert get_json(client, path_of(assessment["url"]))["site"] == body["url"]
    assert get_json(client, path_of(body["place"]["url"]))["slug"] == site.place.slug
    feature = get_json(client, path_of(body["geojson_url"]))["features"]
    assert [item["id"] for item in feature] == [site.slug]


def test_an_assessment_with_disturbances_claims_citations_and_verification(client, full_register):
    [listed] = get_json(client, "/api/v1/assessments/")["results"]
    body = get_json(client, path_of(listed["url"]))
    assert body == listed
    assert body["verification"] in {"reported", "corroborated", "verified", "disputed"}
    [disturbance] = body["disturbances"]
    assert disturbance["description"] == "Fire."
    [claim] = disturbance["responsibility_claims"]
    assert claim["summary"] == "Said."
    assert claim["source"].endswith(f"/api/v1/sources/{full_register['source'].slug}/")
    assert body["citations"][0]["locator"] == "p. 4"
    assert path_of(body["page_url"]).startswith(full_register["site"].get_absolute_url())


def test_a_visit_with_participants_and_citations(client, full_register):
    visit = full_register["visit"]
    body = get_json(client, f"/api/v1/visits/{visit.slug}/")
    [participant] = body["participants"]
    assert (participant["role"], participant["position"]) == ("leader", "Head of mission")
    assert body["citations"][0]["locator"] == "para. 2"
    assert len(body["organisations"]) == 1
    assert path_of(body["page_url"]) == visit.get_absolute_url()


def test_sources_figures_places_and_organisations(client, full_register):
    source = get_json(client, f"/api/v1/sources/{full_register['source'].slug}/")
    assert source["author"] == "A. Author"
    assert source["notes"] == "Public notes."
    [figure] = get_json(client, "/api/v1/figures/")["results"]
    assert (figure["area_label"], figure["period_label"]) == ("Fuzuli", "1993-2020")
    assert figure["source"] == source["url"]
    district = get_json(client, path_of(figure["area"]))
    assert district["slug"] == full_register["district"].slug
    assert path_of(district["sites"]) == f"/api/v1/sites/?area={district['slug']}"
    organisation = get_json(client, path_of(figure["reported_by"]))
    assert organisation["acronym"] == "ORG"
    sites = get_json(client, path_of(organisation["sites"]))["results"]
    assert [site["slug"] for site in sites] == [full_register["site"].slug]


def test_vocabularies_in_scale_order_with_arabic_labels(client, db):
    body = get_json(client, "/api/v1/vocabularies/overall_condition/")
    terms = OverallCondition.objects.order_by("position", "label")
    assert [term["label"] for term in body["terms"]] == [term.label for term in terms]
    assert body["terms"][0]["label"] == "Good"
    assert all(term["label_ar"] for term in body["terms"])
    names = [item["name"] for item in get_json(client, "/api/v1/vocabularies/")]
    assert names[0] == "overall_condition"
    assert len(names) == 9
    assert client.get("/api/v1/vocabularies/nothing/").status_code == 404


@pytest.mark.parametrize("language", ["ar", "az"])
def test_page_urls_are_the_same_whatever_language_the_client_asks_for(
    client, full_register, language
):
    site, visit = full_register["site"], full_register["visit"]
    paths = {}
    for accept in ("en", language):
        body = get_json(client, f"/api/v1/sites/{site.slug}/", HTTP_ACCEPT_LANGUAGE=accept)
        visit_body = get_json(client, f"/api/v1/visits/{visit.slug}/", HTTP_ACCEPT_LANGUAGE=accept)
        place_body = get_json(client, path_of(body["place"]["url"]), HTTP_ACCEPT_LANGUAGE=accept)
        paths[accept] = [
            path_of(body["page_url"]),
            path_of(visit_body["page_url"]),
            path_of(place_body["page_url"]),
        ]

    assert paths[language] == paths["en"]
    assert paths["en"][0] == f"/sites/{site.slug}/"
    assert not any(path.startswith(f"/{language}/") for path in paths[language])
