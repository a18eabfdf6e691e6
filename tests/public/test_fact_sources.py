"""Every factual field a dossier shows in the register's voice carries its source: a walk
over a dossier's statements finds any that has none."""

import re

import pytest
from django.urls import reverse

from heritage.models import Site
from tests.factories import SiteClaimFactory, SiteFactory, SourceFactory
from tests.public.pages import page

pytestmark = pytest.mark.django_db

#: What the dossier shows in the register's voice when the site has it, by ``data-fact``.
FACTS = {
    "registry": lambda site: site.registry_number or site.importance,
    "description": lambda site: site.description,
    "dating": lambda site: site.dating_label or site.year_from or site.year_to,
}

FACT_RE = re.compile(
    r'<span class="fact-sources[^"]*" data-fact="(\w+)">(.*?)</span>\s*(?=<|$)', re.S
)


def statements_without_source(client, site):
    """Walk the dossier of ``site``: [fact] for every factual statement of the site that is
    not shown with at least one link to a source's page."""
    html = page(client, reverse("site-detail", args=[site.slug]))
    shown = {}
    for fact, content in FACT_RE.findall(html):
        shown[fact] = bool(re.search(r'href="/sources/\d+/"', content))
    missing = []
    for fact, has_value in FACTS.items():
        if has_value(site) and not shown.get(fact):
            missing.append(fact)
    return missing


@pytest.mark.usefixtures("demo")
def test_every_demo_dossier_gives_a_source_for_each_of_its_facts(client):
    for site in Site.objects.public():
        assert statements_without_source(client, site) == [], site.slug


def test_the_walk_finds_a_registry_number_without_a_source(client):
    site = SiteFactory(published=True, registry_number="5166", importance="local")
    assert statements_without_source(client, site) == ["registry"]

    source = SourceFactory(published=True)
    SiteClaimFactory(site=site, source=source, published=True, kind="other", supports="registry")
    assert statements_without_source(client, site) == []


def test_the_walk_finds_a_description_without_a_source(client):
    site = SiteFactory(published=True, description="A two-storey mosque.")
    html = page(client, reverse("site-detail", args=[site.slug]))

    assert statements_without_source(client, site) == ["description"]
    assert "No source recorded." in html


def test_a_claim_of_an_unpublished_source_is_no_source(client):
    site = SiteFactory(published=True, description="A two-storey mosque.")
    SiteClaimFactory(
        site=site,
        source=SourceFactory(),
        published=True,
        kind="description",
        supports="description",
    )
    assert statements_without_source(client, site) == ["description"]
