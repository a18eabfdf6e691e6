"""A changed slug keeps the old address working: old slugs are kept on save, in the same
transaction, and lead to the record that held them last."""

import pytest
from django.db import transaction

from heritage.base import StaleRecordError
from heritage.models import OldSlug, Organisation, Place, Site
from heritage.slugs import resolve_old_slug
from tests.factories import OrganisationFactory, PlaceFactory, SiteFactory, VisitFactory

pytestmark = pytest.mark.django_db


def rename(record, slug):
    record.slug = slug
    record.save()
    return record


def test_a_changed_site_slug_is_kept_and_leads_to_the_site():
    site = rename(SiteFactory(published=True, slug="old-name"), "new-name")
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["old-name"]
    assert resolve_old_slug(Site, "old-name") == site
    assert resolve_old_slug(Site.objects.public(), "old-name") == site


def test_a_save_that_keeps_the_slug_records_nothing():
    site = SiteFactory(slug="same")
    site.name = "Another name"
    site.save()
    site.save(update_fields=["name"])
    assert not OldSlug.objects.exists()


def test_every_old_slug_of_a_chain_leads_to_the_current_record():
    site = SiteFactory(slug="first")
    rename(site, "second")
    rename(site, "third")
    assert resolve_old_slug(Site, "first") == site
    assert resolve_old_slug(Site, "second") == site


def test_taking_back_an_old_slug_removes_it_from_the_history():
    site = SiteFactory(slug="first")
    rename(site, "second")
    rename(site, "first")
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["second"]


def test_a_slug_given_up_twice_leads_to_its_last_holder():
    one = rename(SiteFactory(slug="shared"), "one")
    two = rename(SiteFactory(slug="shared"), "two")
    assert OldSlug.objects.get(slug="shared").object_id == two.pk
    assert resolve_old_slug(Site, "shared") == two
    assert one.pk != two.pk


def test_an_old_slug_of_an_unpublished_or_deleted_record_leads_nowhere_public():
    draft = rename(SiteFactory(slug="draft-old"), "draft-new")
    assert resolve_old_slug(Site.objects.public(), "draft-old") is None
    assert resolve_old_slug(Site, "draft-old") == draft
    draft.delete()
    assert resolve_old_slug(Site, "draft-old") is None
    assert resolve_old_slug(Site, "never-was") is None


def test_kinds_of_record_keep_their_slugs_apart():
    place = rename(PlaceFactory(slug="fuzuli"), "fuzuli-district")
    organisation = rename(OrganisationFactory(slug="fuzuli"), "fuzuli-office")
    visit = rename(VisitFactory(slug="fuzuli"), "fuzuli-2021")
    assert resolve_old_slug(Place, "fuzuli") == place
    assert resolve_old_slug(Organisation, "fuzuli") == organisation
    assert resolve_old_slug(type(visit), "fuzuli") == visit
    assert resolve_old_slug(Site, "fuzuli") is None


def test_a_refused_save_keeps_no_old_slug():
    site = SiteFactory(slug="before")
    stale = Site.objects.get(pk=site.pk)
    site.name = "Saved by someone else"
    site.save()
    stale.slug = "after"
    with pytest.raises(StaleRecordError):
        stale.save()
    assert not OldSlug.objects.exists()
    assert Site.objects.get(pk=site.pk).slug == "before"


def test_the_old_slug_is_written_in_the_saves_transaction():
    site = SiteFactory(slug="before")

    def rename_then_fail():
        with transaction.atomic():
            rename(site, "after")
            assert OldSlug.objects.filter(slug="before").exists()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rename_then_fail()
    assert not OldSlug.objects.exists()
