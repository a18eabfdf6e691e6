import pytest
from django.urls import reverse

from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def count_line(client, query=""):
    html = client.get(reverse("site-list") + query).content.decode()
    start = html.index('id="result-count">') + len('id="result-count">')
    return " ".join(html[start : html.index("</p>", start)].split())


def test_cached_count_follows_publishing_and_deleting(client):
    SiteFactory(published=True, category="mosque")
    draft = SiteFactory(category="mosque")
    assert count_line(client) == "1 site matches."
    assert count_line(client, "?category=mosque") == "1 site matches."

    draft.publication_status = "published"
    draft.save()
    assert count_line(client) == "2 sites match."
    assert count_line(client, "?category=mosque") == "2 sites match."

    draft.delete()
    assert count_line(client) == "1 site matches."


def test_count_is_read_once_per_set_of_filters(client, django_assert_num_queries):
    SiteFactory.create_batch(3, published=True)
    client.get(reverse("site-list"))
    # The second request skips the count; the other queries remain.
    with django_assert_num_queries(7):
        client.get(reverse("site-list"))
