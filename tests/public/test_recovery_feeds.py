"""The Atom feeds of restoration projects and commitments: published records only, valid
Atom (feedparser), each entry with its kind and current status, in a fixed number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage.base import PublicationStatus
from tests.public.pages import parse_feed as parse
from tests.recovery_factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    ProjectStatusUpdateFactory,
    RestorationProjectFactory,
)

pytestmark = pytest.mark.django_db


def terms(entry):
    return {tag.term for tag in entry.tags}


def test_the_restoration_feed_holds_published_projects_with_their_status(client):
    project = RestorationProjectFactory(published=True, title="Roof of the caravanserai")
    ProjectStatusUpdateFactory(project=project, status="funded")
    RestorationProjectFactory(title="A draft project")
    RestorationProjectFactory(published=True, site__publication_status=PublicationStatus.DRAFT)

    feed = parse(client, "/feeds/restoration.atom")

    assert [entry.title for entry in feed.entries] == ["Roof of the caravanserai"]
    entry = feed.entries[0]
    assert entry.link.endswith(project.get_absolute_url())
    assert entry.id == f"http://testserver{project.get_absolute_url()}"
    assert terms(entry) == {"restoration", "funded"}


def test_the_commitment_feed_holds_published_commitments_with_their_status(client):
    kept = CommitmentFactory(published=True, title="Training courses <b>soon</b>")
    CommitmentUpdateFactory(commitment=kept, status="fulfilled", date=datetime.date(2022, 1, 1))
    silent = CommitmentFactory(published=True, title="A regional centre")
    CommitmentFactory(title="Not yet reviewed")

    feed = parse(client, "/feeds/commitments.atom")

    by_title = {entry.title: entry for entry in feed.entries}
    assert set(by_title) == {"Training courses <b>soon</b>", "A regional centre"}
    assert terms(by_title["Training courses <b>soon</b>"]) == {"training", "fulfilled"}
    assert terms(by_title["A regional centre"]) == {"training", "unknown"}
    assert by_title["A regional centre"].link.endswith(silent.get_absolute_url())
    assert "<b>" not in client.get("/feeds/commitments.atom").content.decode()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/feeds/restoration.atom", "/az/feeds/commitments.atom"])
def test_the_feeds_are_read_in_a_fixed_number_of_queries(client, url):
    def add(n):
        for _ in range(n):
            ProjectStatusUpdateFactory(project=RestorationProjectFactory(published=True))
            CommitmentUpdateFactory(commitment=CommitmentFactory(published=True))

    add(2)
    few = queries(client, url)
    add(6)
    assert queries(client, url) == few
    assert few <= 3
