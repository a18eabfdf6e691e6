"""A reader opens a dossier, its history and one of its versions, in a real browser."""

import pytest
from playwright.sync_api import expect

from heritage.models import Site

# The live server needs committed data; serialized_rollback restores the vocabulary rows
# that the data migration loaded, which a transactional test's flush would remove.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reader_opens_the_history_of_a_dossier_and_an_old_version(page, demo):
    site = Site.objects.get(slug="gargabazar-mosque")
    old_name = site.name
    site.name = "Gargabazar Mosque (Giyas ad-Din)"
    site._change_reason = "The name the inscription gives."
    site.save()

    page.goto(site.get_absolute_url())
    page.get_by_role("link", name="History of this record").click()
    page.wait_for_url("**/sites/gargabazar-mosque/history/")
    expect(page.locator("h1")).to_contain_text("History of this record")
    expect(page.locator("main")).to_contain_text("The name the inscription gives.")

    page.get_by_role("link", name="Version 1", exact=True).click()
    page.wait_for_url("**/sites/gargabazar-mosque/history/1/")
    notice = page.locator(".old-version")
    expect(notice).to_contain_text("an old version of this record")
    expect(page.locator("dl.facts")).to_contain_text(old_name)
    expect(page.locator("section.cite-record")).to_contain_text("version 1")

    page.get_by_role("link", name="See the current record").click()
    page.wait_for_url("**/sites/gargabazar-mosque/")
    expect(page.locator("h1")).to_have_text("Gargabazar Mosque (Giyas ad-Din)")
