"""A dossier's gallery in a real browser: the photos load under the Content-Security-Policy,
lazily and upright, and the original downloads with its hash as its name."""

import pytest
from playwright.sync_api import expect

from heritage.base import PublicationStatus
from inspections.evidence import storage as services
from inspections.models import Evidence, Licence
from tests.browser.waiting import wait_until
from tests.factories import SiteFactory
from tests.inspections.images import exif_block, image_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def gallery_site(transactional_db):
    site = SiteFactory(published=True, slug="gallery-mosque", name="Gallery Mosque")
    # Taken with the camera turned a quarter: 60 × 40 pixels stored, 40 × 60 upright.
    data = image_bytes(exif=exif_block(orientation=6, taken="2021:01:12 11:00:00"))
    item = services.evidence_create(
        upload=upload(data),
        site=site,
        caption="The prayer hall",
        alt_text="The prayer hall, roofless",
        credit="Field team",
        licence=Licence.CC_BY,
    )
    Evidence.objects.filter(pk=item.pk).update(publication_status=PublicationStatus.PUBLISHED)
    item.refresh_from_db()
    return site, item


def test_gallery_photos_load_upright_under_the_policy(page, gallery_site):
    site, item = gallery_site
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"/sites/{site.slug}/")
    image = page.get_by_role("img", name="The prayer hall, roofless")
    image.scroll_into_view_if_needed()
    expect(image).to_have_attribute("loading", "lazy")
    wait_until(page, "img => img.complete && img.naturalWidth > 0", image.element_handle())

    # srcset scales the reported size to the slot; the proportions are the image's.
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert height / width == pytest.approx(60 / 40)
    expect(page.get_by_text("Photo: Field team")).to_be_visible()
    assert blocked == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Original").click()
    assert download.value.suggested_filename == f"{item.sha256}.jpg"
