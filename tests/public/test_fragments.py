"""Rows of the list of commitments, kept in the cache under a digest of the records they are
rendered from (``public.fragments``): reused while those records stay as they are, whatever
else is edited, and rendered again as soon as any of them changes."""

import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from inspections.models import Commitment
from public import fragments
from tests.factories import SiteFactory, VisitFactory
from tests.languages import in_language
from tests.recovery_factories import CommitmentFactory, CommitmentUpdateFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/commitments/"


@pytest.fixture
def renders(monkeypatch):
    """The names of the templates ``public.fragments`` renders, in order."""
    names = []
    original = fragments.get_template

    def counting(name):
        names.append(name)
        return original(name)

    monkeypatch.setattr(fragments, "get_template", counting)
    return names


def listed(*commitments):
    return list(Commitment.objects.filter(pk__in=[c.pk for c in commitments]).for_listing())


def test_an_unchanged_row_is_not_rendered_again_after_another_record_is_edited(client, renders):
    commitment = CommitmentFactory(published=True, title="Rebuild the library")
    CommitmentUpdateFactory(commitment=commitment, source__title="Ministry report")

    first = client.get(LIST_URL)
    site = SiteFactory(published=True)
    site.name = "Another site, edited"
    site.save()
    second = client.get(LIST_URL)

    assert renders == ["includes/commitment_item.html"]
    assertContains(second, "Ministry report")
    assert first.content == second.content


def test_a_row_follows_an_edit_of_a_record_loaded_with_it(client, renders):
    commitment = CommitmentFactory(published=True)
    update = CommitmentUpdateFactory(commitment=commitment, source__title="Ministry report")
    client.get(LIST_URL)

    update.source.title = "Ministry report, second edition"
    update.source.save()
    response = client.get(LIST_URL)

    assertContains(response, "Ministry report, second edition")
    assert len(renders) == 2


def test_a_row_follows_the_withdrawal_of_a_record_its_timeline_links(client):
    visit = VisitFactory(published=True, title="The mission itself")
    commitment = CommitmentFactory(published=True)
    CommitmentUpdateFactory(commitment=commitment, status="fulfilled", visit=visit)
    assertContains(client.get(LIST_URL), "The mission itself")

    visit.publication_status = "draft"
    visit.save()

    assertNotContains(client.get(LIST_URL), "The mission itself")


def test_a_row_follows_a_new_update_and_the_day_its_deadline_passes(client):
    commitment = CommitmentFactory(
        published=True, made_on=datetime.date(2021, 1, 1), deadline=datetime.date(2022, 1, 1)
    )
    assertContains(client.get(LIST_URL), "no source reports it done")

    CommitmentUpdateFactory(commitment=commitment, status="fulfilled", source__title="Done")

    response = client.get(LIST_URL)
    assertNotContains(response, "no source reports it done")
    assertContains(response, "Done")


def test_rows_are_kept_per_language(client):
    commitment = CommitmentFactory(published=True)
    english = client.get(LIST_URL).content.decode()
    azerbaijani = client.get(in_language(LIST_URL, "az")).content.decode()

    link = f'href="{in_language(commitment.get_absolute_url(), "az")}"'
    assert link in azerbaijani
    assert link not in english


def test_the_digest_reaches_every_record_loaded_with_a_row():
    commitment = CommitmentFactory(published=True)
    update = CommitmentUpdateFactory(commitment=commitment)
    before = fragments.digest(listed(commitment)[0])

    assert fragments.digest(listed(commitment)[0]) == before
    update.source.publisher = "Another publisher"
    update.source.save()
    assert fragments.digest(listed(commitment)[0]) != before
    commitment.by_organisation.name = "Renamed"
    commitment.by_organisation.save()
    assert fragments.digest(listed(commitment)[0]) != before


def test_the_digest_of_a_record_loaded_back_onto_its_own_relations_ends():
    commitment = CommitmentFactory(published=True)
    CommitmentUpdateFactory(commitment=commitment)
    row = listed(commitment)[0]
    # The update points back at the commitment it was prefetched onto.
    row.public_updates[0].commitment = row

    assert fragments.digest(row) == fragments.digest(row)
