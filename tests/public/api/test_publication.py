"""The API shows exactly what the pages show: published records only, a citation or claim
only with a published source, a withheld site at its place's position, and no staff
identities or notes."""

import pytest

from heritage.base import PublicationStatus
from heritage.models import ReportedFigure, Site, Source
from inspections.models import Assessment, Evidence, Visit
from tests import factories
from tests.public.api.reading import RESOURCES, all_pages, crawl, get_json
from tests.public.restricted import SECRET, UNPUBLISHED, WITHHELD

pytestmark = pytest.mark.django_db

#: The publishable resources, by their model.
PUBLISHABLE = {
    Site: "/api/v1/sites/",
    Visit: "/api/v1/visits/",
    Assessment: "/api/v1/assessments/",
    Source: "/api/v1/sources/",
    ReportedFigure: "/api/v1/figures/",
}


@pytest.mark.usefixtures("restricted")
def test_nothing_restricted_is_reachable_through_the_api(client):
    answers = crawl(client)
    assert len(answers) > len(RESOURCES)
    for path, body in answers.items():
        assert SECRET not in body, path
        for number in WITHHELD:
            assert number[:8] not in body, path
        for field in ("publication_status", "review_note", "reviewed_by", "submitted_by"):
            assert field not in body, path


@pytest.mark.usefixtures("restricted")
@pytest.mark.parametrize(("model", "url"), PUBLISHABLE.items())
@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_records_are_in_no_list_and_have_no_detail(client, model, url, status):
    records = model.objects.filter(publication_status=status)
    assert records.exists()
    listed = {item["slug"] for item in all_pages(client, f"{url}?page_size=100")}
    for record in records:
        assert record.slug not in listed
        assert client.get(f"{url}{record.slug}/").status_code == 404


@pytest.mark.usefixtures("restricted")
def test_a_published_assessment_of_an_unpublished_site_is_absent(client):
    hidden = Assessment.objects.published().exclude(
        site__publication_status=PublicationStatus.PUBLISHED
    )
    assert hidden.exists()
    listed = {item["slug"] for item in all_pages(client, "/api/v1/assessments/?page_size=100")}
    assert listed.isdisjoint(hidden.values_list("slug", flat=True))


def test_a_withheld_site_is_given_at_its_place(client, restricted):
    site = Site.objects.get(pk=restricted["site"].pk)
    place = site.place
    detail = get_json(client, f"/api/v1/sites/{site.slug}/")
    assert detail["location_precision"] == "withheld"
    assert (detail["latitude"], detail["longitude"]) == (
        float(place.latitude),
        float(place.longitude),
    )
    feature = get_json(client, f"/api/v1/sites/?format=geojson&site={site.slug}")["features"][0]
    assert feature["geometry"]["coordinates"] == [float(place.longitude), float(place.latitude)]


def test_an_assessment_made_on_a_visit_is_public_only_with_its_visit(client, full_register):
    assessment = Assessment.objects.get(site=full_register["site"])
    body = get_json(client, f"/api/v1/assessments/{assessment.slug}/")
    assert body["visit"].endswith(f"/api/v1/visits/{full_register['visit'].slug}/")
    Visit.objects.filter(pk=full_register["visit"].pk).update(
        publication_status=PublicationStatus.IN_REVIEW
    )
    assert client.get(f"/api/v1/assessments/{assessment.slug}/").status_code == 404
    listed = get_json(client, "/api/v1/assessments/")["results"]
    assert assessment.slug not in {item["slug"] for item in listed}


def test_sources_show_their_published_files_only(client, full_register):
    source = full_register["source"]
    factories.EvidenceFactory(
        site=None,
        source=source,
        published=True,
        kind=Evidence.Kind.DOCUMENT,
        format=Evidence.Format.PDF,
        sha256="a" * 64,
        licence=Evidence.Licence.CC_BY,
        caption="Archived copy",
    )
    for status in UNPUBLISHED:
        factories.EvidenceFactory(
            site=None, source=source, publication_status=status, caption=f"{SECRET} {status}"
        )
    body = get_json(client, f"/api/v1/sources/{source.slug}/")
    [archived] = body["archived_files"]
    assert archived["sha256"] == "a" * 64
    assert archived["media_type"] == "application/pdf"
    assert archived["original"].endswith(
        f"/evidence/{Evidence.objects.get(sha256='a' * 64).pk}/original"
    )
    assert SECRET not in str(get_json(client, "/api/v1/sources/"))
