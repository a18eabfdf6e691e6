"""Galleries and file downloads on public pages: published evidence of public records only."""

import io
import itertools
from decimal import Decimal

import pytest
from django.test import override_settings
from PIL import Image

from heritage.base import PublicationStatus
from inspections.evidence import storage as services
from inspections.models import Evidence, EvidenceTranslation, Licence
from tests.factories import (
    AssessmentFactory,
    SiteFactory,
    SourceFactory,
    UserFactory,
    VisitFactory,
    editor,
)
from tests.inspections.images import NEAR, exif_block, image_bytes, pdf_bytes, upload
from tests.languages import in_language
from tests.public.pages import assert_shows

pytestmark = pytest.mark.django_db

_sizes = itertools.count(20)


def make_item(*, published=True, data=None, name="photo.jpg", **fields):
    """An evidence item from a unique image made here; published unless told otherwise."""
    data = data or image_bytes(size=(next(_sizes), 30))
    fields.setdefault("alt_text", "Alt text")
    item = services.evidence_create(upload=upload(data, name), **fields)
    if published:
        Evidence.objects.filter(pk=item.pk).update(publication_status=PublicationStatus.PUBLISHED)
        item.refresh_from_db()
    return item


def file_url(item, rendition):
    return f"/evidence/{item.pk}/{rendition}"


def published_site(**fields):
    return SiteFactory(published=True, **fields)


def test_dossier_shows_published_photos_with_caption_credit_and_licence(client):
    site = published_site()
    photo = make_item(
        site=site,
        caption="West façade <b>after</b> the fire",
        alt_text="A stone wall with a collapsed roof",
        credit="ICESCO delegation",
        licence=Licence.CC_BY,
    )

    html = client.get(site.get_absolute_url()).content.decode()

    assert_shows(
        html,
        shown=[
            "West façade &lt;b&gt;after&lt;/b&gt; the fire",
            'alt="A stone wall with a collapsed roof"',
            "ICESCO delegation",
            "https://creativecommons.org/licenses/by/4.0/",
            f'src="{file_url(photo, "web")}"',
            f"{file_url(photo, 'thumbnail')} {photo.thumbnail_width}w",
            'loading="lazy"',
            f'href="{file_url(photo, "original")}"',
        ],
    )


@pytest.mark.parametrize(
    "status",
    [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.REJECTED],
)
def test_unpublished_items_are_not_shown_or_served(client, status):
    site = published_site()
    item = make_item(site=site, published=False, caption="Not yet reviewed")
    Evidence.objects.filter(pk=item.pk).update(publication_status=status)

    html = client.get(site.get_absolute_url()).content.decode()

    assert "Not yet reviewed" not in html
    assert f"/evidence/{item.pk}/" not in html
    for rendition in ("thumbnail", "web", "original"):
        assert client.get(file_url(item, rendition)).status_code == 404


def test_published_item_of_an_unpublished_site_is_not_served(client):
    item = make_item(site=SiteFactory(), licence=Licence.CC0)

    for rendition in ("thumbnail", "web", "original"):
        assert client.get(file_url(item, rendition)).status_code == 404


def test_published_item_of_an_unpublished_assessment_is_not_served(client):
    site = published_site()
    item = make_item(assessment=AssessmentFactory(site=site), licence=Licence.CC0)

    assert client.get(file_url(item, "web")).status_code == 404
    assert f"/evidence/{item.pk}/" not in client.get(site.get_absolute_url()).content.decode()


def test_published_assessment_of_an_unpublished_site_hides_its_items(client):
    item = make_item(assessment=AssessmentFactory(site=SiteFactory(), published=True))

    assert client.get(file_url(item, "thumbnail")).status_code == 404


def test_assessment_photos_appear_under_their_assessment(client):
    site = published_site()
    assessment = AssessmentFactory(site=site, published=True)
    make_item(assessment=assessment, caption="Cattle pen inside the prayer hall")

    html = client.get(site.get_absolute_url()).content.decode()

    section = html.split(f'id="assessment-{assessment.pk}"')[1]
    assert "Cattle pen inside the prayer hall" in section
    assert f'id="evidence-{assessment.slug}"' in html


def test_visit_page_shows_the_visits_and_its_assessments_items(client):
    visit = VisitFactory(published=True)
    site = published_site()
    assessment = AssessmentFactory(site=site, visit=visit, published=True)
    make_item(visit=visit, caption="The delegation at the cemetery")
    make_item(assessment=assessment, caption="Broken gravestones")
    make_item(visit=visit, caption="Draft photo", published=False)

    html = client.get(visit.get_absolute_url()).content.decode()

    assert_shows(
        html,
        shown=["The delegation at the cemetery", "Broken gravestones"],
        hidden=["Draft photo"],
    )


def test_public_renditions_have_their_content_type_and_nosniff(client):
    item = make_item(site=published_site())

    response = client.get(file_url(item, "web"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("public")
    assert b"".join(response.streaming_content).startswith(b"RIFF")


def test_public_rendition_carries_no_gps(client):
    item = make_item(site=published_site(), data=image_bytes(exif=exif_block(gps=NEAR)))

    data = b"".join(client.get(file_url(item, "web")).streaming_content)

    assert not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    ("licence", "downloadable"),
    [
        (Licence.CC_BY, True),
        (Licence.CC0, True),
        (Licence.CC_BY_NC_ND, True),
        (Licence.ALL_RIGHTS_RESERVED, False),
        (Licence.PERMISSION, False),
    ],
)
def test_original_is_downloadable_only_when_the_licence_allows(client, licence, downloadable):
    site = published_site()
    data = image_bytes(size=(next(_sizes), 31))
    item = make_item(site=site, licence=licence, data=data)

    response = client.get(file_url(item, "original"))
    html = client.get(site.get_absolute_url()).content.decode()

    assert (response.status_code == 200) is downloadable
    assert (file_url(item, "original") in html) is downloadable
    if downloadable:
        assert response["Content-Type"] == "image/jpeg"
        assert f'filename="{item.sha256}.jpg"' in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == data


def test_original_with_gps_of_a_site_with_a_withheld_location_is_not_offered(client):
    site = published_site(
        latitude=Decimal("39.6"), longitude=Decimal("47.15"), location_precision="withheld"
    )
    with_gps = make_item(
        site=site, licence=Licence.CC_BY, data=image_bytes(exif=exif_block(gps=NEAR))
    )
    without_gps = make_item(site=site, licence=Licence.CC_BY)

    assert client.get(file_url(with_gps, "original")).status_code == 404
    assert client.get(file_url(with_gps, "web")).status_code == 200
    assert client.get(file_url(without_gps, "original")).status_code == 200


def test_original_with_gps_of_a_visit_is_not_offered(client):
    item = make_item(
        visit=VisitFactory(published=True),
        licence=Licence.CC_BY,
        data=image_bytes(exif=exif_block(gps=NEAR)),
    )

    assert client.get(file_url(item, "original")).status_code == 404


@pytest.mark.parametrize(
    "subject",
    [published_site, lambda: SourceFactory(published=True)],
    ids=["site", "source"],
)
def test_documents_are_listed_with_their_hash_and_kept_when_the_licence_says_so(client, subject):
    record = subject()
    document = make_item(
        **{record._meta.model_name: record},
        data=pdf_bytes(f"archived {record.pk}"),
        name="archived.pdf",
        caption="Archived copy of the news report",
        licence=Licence.ALL_RIGHTS_RESERVED,
    )

    html = client.get(record.get_absolute_url()).content.decode()

    assert_shows(
        html,
        shown=["Archived copy of the news report", document.sha256],
        hidden=[file_url(document, "original")],
    )
    assert client.get(file_url(document, "original")).status_code == 404
    assert client.get(file_url(document, "thumbnail")).status_code == 404


def test_downloadable_pdf_is_served_as_an_attachment(client):
    document = make_item(site=published_site(), data=pdf_bytes(), licence=Licence.CC_BY)

    response = client.get(file_url(document, "original"))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_caption_is_shown_in_the_visitors_language(client):
    site = published_site()
    item = make_item(site=site, caption="West wall", alt_text="The west wall")
    EvidenceTranslation.objects.create(
        evidence=item, language="az", caption="Qərb divarı", alt_text="Məscidin qərb divarı"
    )

    azerbaijani = client.get(in_language(site.get_absolute_url(), "az")).content
    english = client.get(in_language(site.get_absolute_url(), "en")).content

    assert "Qərb divarı" in azerbaijani.decode()
    assert 'alt="Məscidin qərb divarı"' in azerbaijani.decode()
    assert "West wall" in english.decode()


@pytest.mark.parametrize("url", ["/evidence/1/exif", "/evidence/999999/web", "/evidence/x/web"])
def test_unknown_files_are_not_found(client, url):
    make_item(site=published_site())

    assert client.get(url).status_code == 404


def test_files_refuse_writes(client):
    item = make_item(site=published_site())

    assert client.post(file_url(item, "web")).status_code == 405


def test_staff_without_evidence_permission_get_only_public_files(client):
    item = make_item(site=published_site(), published=False)
    client.force_login(UserFactory())  # staff, but in no group

    assert client.get(file_url(item, "web")).status_code == 404
    client.force_login(editor())
    assert client.get(file_url(item, "web")).status_code == 200


@override_settings(LANGUAGE_CODE="en")
@pytest.mark.parametrize("size", [1, 4])
def test_dossier_query_count_does_not_grow_with_evidence(client, django_assert_num_queries, size):
    site = published_site()
    # Photos with GPS under an open licence: whether their original may be downloaded
    # depends on their site's location, which must not cost a query per photo.
    located = {"licence": Licence.CC_BY}
    for _ in range(size):
        gps = exif_block(gps=NEAR)
        make_item(site=site, data=image_bytes(exif=gps, size=(next(_sizes), 30)), **located)
        make_item(site=site, data=pdf_bytes(f"copy {next(_sizes)}"), licence=Licence.CC_BY)
        assessment = AssessmentFactory(site=site, published=True)
        make_item(
            assessment=assessment, data=image_bytes(exif=gps, size=(next(_sizes), 30)), **located
        )
        make_item(site=site, published=False)

    # site with its place, names, claims, citations, assessments, their citations and
    # disturbances; evidence of the site and its assessments, and their translations (no
    # visit to load, no coordinates to map); the site's history and its names' history, for
    # the version "Cite this record" names; its restoration projects; its identifiers
    # elsewhere
    # With the translations of the description, and the five vocabularies of the
    # assessments' terms (the cache is empty).
    with django_assert_num_queries(19):
        html = client.get(site.get_absolute_url()).content.decode()

    assert html.count("<figure>") == 2 * size
    assert html.count('class="hash"') == size


@pytest.mark.parametrize("size", [1, 4])
def test_visit_page_query_count_does_not_grow_with_evidence(
    client, django_assert_num_queries, size
):
    visit = VisitFactory(published=True)
    for _ in range(size):
        make_item(visit=visit)
        assessment = AssessmentFactory(site=published_site(), visit=visit, published=True)
        make_item(assessment=assessment)

    # visit, organisations, places, participations, citations, assessments, site names,
    # disturbances, assessment citations, evidence and its translations, dated events and
    # statements; the visit's history with the organisations and places each entry held, for
    # the version "Cite this record" names
    with django_assert_num_queries(17):
        html = client.get(visit.get_absolute_url()).content.decode()

    assert html.count("<figure>") == 2 * size


def test_archived_copy_of_an_unpublished_source_is_hidden(client):
    copy = make_item(source=SourceFactory(), data=pdf_bytes("draft"), licence=Licence.CC_BY)

    assert client.get(file_url(copy, "original")).status_code == 404
