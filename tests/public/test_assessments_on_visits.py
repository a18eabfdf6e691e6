"""An assessment made on a visit is public only when the visit is: published inside a draft
visit, it appears on no public page (dossier, listing, filters, exports, home page counts);
publishing the visit shows it, withdrawing the visit hides it again."""

import pytest
from django.urls import reverse

from heritage import services
from inspections.models import Assessment, ConditionStatus, Evidence, SiteStatus
from tests import factories
from tests.factories import AssessmentFactory, OrganisationFactory, SiteFactory, VisitFactory
from tests.public.pages import body, csv_rows

pytestmark = pytest.mark.django_db

SUMMARY = "Found by the draft visit only"


@pytest.fixture
def on_draft_visit():
    """A published site whose only assessment is published but made on a draft visit."""
    watch = OrganisationFactory(slug="watch", name="Heritage Watch")
    visit = VisitFactory(publication_status="draft")
    visit.organisations.add(watch)
    site = SiteFactory(published=True, slug="seen-on-a-draft-visit", name="Seen Mosque")
    assessment = AssessmentFactory(
        site=site,
        visit=visit,
        published=True,
        assessed_by=watch,
        assessed_on=visit.start_date,
        condition="Destroyed",
        summary=SUMMARY,
    )
    return site, visit, assessment


def public_traces(client, site):
    """Where the assessment shows on public pages: names of the pages that show it."""
    traces = set()
    if SUMMARY in client.get(site.get_absolute_url()).content.decode():
        traces.add("dossier")
    listing = client.get(reverse("site-list"), {"condition": "Destroyed"}).content.decode()
    if site.name in listing:
        traces.add("listing")
    by_watch = client.get(reverse("site-list"), {"organisation": "watch"}).content.decode()
    if site.name in by_watch:
        traces.add("organisation filter")
    rows = csv_rows(client.get(reverse("site-export-csv"), {"site": site.slug}))
    if any(row["latest_condition"] for row in rows):
        traces.add("csv export")
    if "Destroyed" in body(client.get(reverse("site-export-geojson"), {"site": site.slug})):
        traces.add("geojson export")
    if Assessment.objects.public().exists():
        traces.add("public queryset")
    if SiteStatus.objects.filter(site=site).exists():
        traces.add("site status")
    return traces


def test_an_assessment_published_inside_a_draft_visit_is_not_public(client, on_draft_visit):
    site, _visit, _assessment = on_draft_visit
    assert public_traces(client, site) == set()


def test_publishing_the_visit_shows_its_assessments_and_withdrawing_hides_them(
    client, on_draft_visit
):
    site, visit, _assessment = on_draft_visit
    reviewer = factories.reviewer()

    services.record_publish(record=visit, user=reviewer)
    assert public_traces(client, site) == {
        "dossier",
        "listing",
        "organisation filter",
        "csv export",
        "geojson export",
        "public queryset",
        "site status",
    }

    services.record_reject(record=visit, user=reviewer, reason="Dates to check.")
    assert public_traces(client, site) == set()


def test_the_home_page_counts_only_public_assessments(client, on_draft_visit):
    _site, visit, _assessment = on_draft_visit
    response = client.get("/")
    # The site counts as not assessed: its only assessment is on a visit still in draft.
    assert response.context["sites_by_condition"] == [(ConditionStatus.NOT_ASSESSED, 1)]

    services.record_publish(record=visit, user=factories.reviewer())
    response = client.get("/")
    conditions = {str(term): count for term, count in response.context["sites_by_condition"]}
    assert conditions == {"Destroyed": 1}


def test_photos_of_an_assessment_on_a_draft_visit_are_not_public(on_draft_visit):
    _site, visit, assessment = on_draft_visit
    photo = factories.EvidenceFactory(published=True, site=None, assessment=assessment)
    assert not Evidence.objects.public().filter(pk=photo.pk).exists()

    services.record_publish(record=visit, user=factories.reviewer())
    assert Evidence.objects.public().filter(pk=photo.pk).exists()
