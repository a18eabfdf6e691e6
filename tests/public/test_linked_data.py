"""Linked data: the schema.org JSON-LD block of each dossier, and the Linked Art / CIDOC-CRM
JSON-LD of each published site at ``/sites/<slug>.jsonld``, which expands with pyld against
the register's context without errors and without dropping a key; neither says anything the
dossier does not show, and neither gives a withheld site's own position."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from heritage.models import LocationPrecision, NameKind
from public.linked_data.context import CONTEXT, CRM
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteCitationFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitFactory,
    published_assessment,
)
from tests.public.linked_data import (
    compact_keys,
    expand,
    expanded_keys,
    schema_org_blocks,
    term_iri,
    types_of,
)
from tests.public.restricted import SECRET, WITHHELD

pytestmark = pytest.mark.django_db


@pytest.fixture
def mosque(db):
    """A published mosque with name variants, a Wikidata item, a cited source, and a
    published assessment made on a published visit, beside a draft one."""
    district = PlaceFactory(slug="fuzuli", name="Fuzuli District", kind="district")
    village = PlaceFactory(
        slug="gargabazar",
        name="Qarğabazar",
        kind="village",
        parent=district,
        latitude=Decimal("39.6"),
        longitude=Decimal("47.1"),
    )
    site = SiteFactory(
        published=True,
        slug="gargabazar-mosque",
        name="Gargabazar Mosque",
        place=village,
        latitude=Decimal("39.539700"),
        longitude=Decimal("47.156400"),
        location_precision=LocationPrecision.APPROXIMATE,
        wikidata_id="Q4153856",
        year_from=1683,
        year_to=1684,
        dating_label="AH 1095 / 1683–84",
        registry_number="4567",
    )
    SiteNameFactory(site=site, name="Qarğabazar məscidi", language="az")
    SiteNameFactory(site=site, name="مسجد قارغابازار", language="ar", script="Arab")
    hidden = SourceFactory(title=f"{SECRET} source", publication_status="draft")
    SiteNameFactory(
        site=site, name=f"{SECRET} name", language="ru", kind=NameKind.AS_REPORTED, source=hidden
    )
    source = SourceFactory(
        published=True, title="ICESCO report", url="https://icesco.example/report"
    )
    SiteCitationFactory(site=site, source=source)
    SiteCitationFactory(site=site, source=hidden, summary=f"{SECRET} cites")
    visit = VisitFactory(published=True, slug="icesco-2021", title="ICESCO mission")
    assessment = published_assessment(
        site,
        datetime.date(2021, 1, 12),
        "Destroyed",
        visit=visit,
        assessed_by=OrganisationFactory(slug="icesco", name="ICESCO"),
        verification="verified",
        summary="The mosque was found destroyed.",
    )
    AssessmentCitationFactory(assessment=assessment, source=source)
    AssessmentCitationFactory(assessment=assessment, source=hidden, summary=f"{SECRET} says")
    AssessmentFactory(site=site, summary=f"{SECRET} draft assessment", condition="Good")
    return site


def linked_art(client, slug):
    response = client.get(reverse("site-linked-art", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    return json.loads(response.content)


# --- schema.org in the dossier ---------------------------------------------------------------


def test_the_dossier_describes_its_site_in_schema_org(client, mosque):
    response = client.get(mosque.get_absolute_url())
    [description], _raw = schema_org_blocks(response.content.decode())
    assert description["@context"] == "https://schema.org"
    assert description["@type"] == "WebPage"
    page = "http://testserver/sites/gargabazar-mosque/"
    assert description["url"] == page
    site = description["about"]
    assert site["@type"] == "LandmarksOrHistoricalBuildings"
    assert site["name"] == "Gargabazar Mosque"
    assert site["alternateName"] == ["مسجد قارغابازار", "Qarğabazar məscidi"]
    assert site["geo"] == {"@type": "GeoCoordinates", "latitude": 39.5397, "longitude": 47.1564}
    assert site["sameAs"] == ["https://www.wikidata.org/wiki/Q4153856"]
    assert site["containedInPlace"] == {"@type": "Place", "name": "Qarğabazar"}
    assert description["creditText"] == f"Heritage damage register, “Gargabazar Mosque”, {page}"
    assert description["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "ICESCO report",
            "url": "https://icesco.example/report",
            "publisher": {"@type": "Organization", "name": "Example News"},
            "datePublished": "2023-11-20",
        }
    ]
    assert description["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert SECRET not in response.content.decode()


def test_a_withheld_location_has_no_geo_in_schema_org(client, restricted_register):
    response = client.get(reverse("site-detail", args=["withheld-library"]))
    [description], raw = schema_org_blocks(response.content.decode())
    assert "geo" not in description["about"]
    assert "sameAs" not in description["about"]
    for coordinate in WITHHELD:
        assert coordinate not in raw[0]
        assert coordinate.rstrip("0") not in raw[0]


def test_the_schema_org_block_escapes_what_could_end_it(client):
    name = "</script><script>alert(1)</script> & <!--"
    site = SiteFactory(published=True, slug="hostile", name=name)
    response = client.get(site.get_absolute_url())
    [description], [raw] = schema_org_blocks(response.content.decode())
    assert description["about"]["name"] == name
    assert not {"<", ">", "&"} & set(raw)
    assert "\\u003C/script\\u003E" in raw


def test_the_dossier_links_to_its_linked_data_and_the_download(client, mosque):
    html = client.get(mosque.get_absolute_url()).content.decode()
    assert 'href="/sites/gargabazar-mosque.jsonld"' in html
    assert f'href="{reverse("data")}"' in html


# --- Linked Art ------------------------------------------------------------------------------


def test_the_context_defines_every_term_as_a_cidoc_crm_or_w3c_iri(client):
    response = client.get(reverse("linked-data-context"))
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == CONTEXT
    for term in CONTEXT["@context"]:
        if term.startswith("@") or term in {"crm", "rdfs", "owl"}:
            continue
        assert term_iri(term).startswith(
            (CRM, "@", "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#")
        ), term


def test_a_site_expands_to_cidoc_crm_without_dropping_anything(client, mosque):
    document = linked_art(client, "gargabazar-mosque")
    assert document["@context"] == "http://testserver/ns/register.jsonld"

    expanded = expand(document, client)

    # Every key of the document maps to an IRI that the expansion keeps.
    keys = compact_keys(document)
    assert {term_iri(key) for key in keys} <= expanded_keys(expanded)
    types = types_of(expanded)
    assert {
        f"{CRM}E22_Human-Made_Object",
        f"{CRM}E14_Condition_Assessment",
        f"{CRM}E3_Condition_State",
        f"{CRM}E53_Place",
        f"{CRM}E52_Time-Span",
        f"{CRM}E33_E41_Linguistic_Appellation",
        f"{CRM}E7_Activity",
        f"{CRM}E74_Group",
    } <= types
    [site] = expanded
    assert site["@id"] == "http://testserver/sites/gargabazar-mosque/"
    assert site["@type"] == [f"{CRM}E22_Human-Made_Object"]
    [assessment] = site[f"{CRM}P34i_was_assessed_by"]
    assert assessment["@type"] == [f"{CRM}E14_Condition_Assessment"]
    states = {
        state["http://www.w3.org/2000/01/rdf-schema#label"][0]["@value"]
        for state in assessment[f"{CRM}P35_has_identified"]
    }
    assert "Overall condition: Destroyed" in states
    [span] = assessment[f"{CRM}P4_has_time-span"]
    assert span[f"{CRM}P82a_begin_of_the_begin"] == [
        {"@type": "http://www.w3.org/2001/XMLSchema#dateTime", "@value": "2021-01-12T00:00:00Z"}
    ]
    assert site["http://www.w3.org/2002/07/owl#sameAs"] == [
        {"@id": "http://www.wikidata.org/entity/Q4153856", "@type": [f"{CRM}E22_Human-Made_Object"]}
    ]


def test_a_site_document_holds_its_public_record_only(client, mosque):
    document = linked_art(client, "gargabazar-mosque")
    text = json.dumps(document, ensure_ascii=False)
    assert SECRET not in text
    names = {name["content"] for name in document["identified_by"]}
    assert names == {"Gargabazar Mosque", "Qarğabazar məscidi", "مسجد قارغابازار", "4567"}
    [assessment] = document["assessed_by"]
    assert assessment["carried_out_by"] == [{"type": "Group", "_label": "ICESCO"}]
    assert assessment["forms_part_of"][0]["id"] == "http://testserver/visits/icesco-2021/"
    assert [source["_label"] for source in assessment["documented_in"]] == ["ICESCO report"]
    [location] = document["current_location"]
    assert location["defined_by"] == "POINT(47.1564 39.5397)"
    assert location["part_of"][0]["_label"] == "Qarğabazar"
    assert document["produced_by"][0]["timespan"]["begin_of_the_begin"] == "1683-01-01T00:00:00Z"


def test_a_withheld_site_is_located_by_its_place_only(client, restricted_register):
    document = linked_art(client, "withheld-library")
    text = json.dumps(document)
    for coordinate in WITHHELD:
        assert coordinate not in text
        assert coordinate.rstrip("0") not in text
    [location] = document["current_location"]
    assert location["defined_by"] == "POINT(47.1 39.6)"
    assert SECRET not in text
    expand(document, client)


@pytest.mark.parametrize("status", ["draft", "in_review", "rejected"])
def test_only_published_sites_have_linked_data(client, status):
    SiteFactory(slug="not-yet", publication_status=status)
    response = client.get(reverse("site-linked-art", args=["not-yet"]))
    assert response.status_code == 404


def test_linked_data_reads_a_fixed_number_of_queries(client, mosque, django_assert_max_num_queries):
    for n in range(3):
        published_assessment(mosque, datetime.date(2022, 1, 1 + n), "Poor")
    with django_assert_max_num_queries(5):
        linked_art(client, "gargabazar-mosque")
