"""The public history of sites, visits, sources and reported figures, and the permalinks of
their versions."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from heritage.base import PublicationStatus
from heritage.models import Site
from public import history
from tests import factories
from tests.admin_forms import admin_url, post_page

pytestmark = pytest.mark.django_db


def edit(record, summary="", **fields):
    """Save ``record`` with ``fields`` changed, as an edit summed up by ``summary``."""
    for name, value in fields.items():
        setattr(record, name, value)
    record._change_reason = summary
    record.save()
    del record._change_reason
    return record


def history_url(record, kind="site", key=None):
    return reverse(f"{kind}-history", args=[key if key is not None else record.slug])


def version_url(record, number, kind="site", key=None):
    return reverse(f"{kind}-version", args=[key if key is not None else record.slug, number])


def test_edit_of_a_published_site_adds_a_public_version_with_changes_and_summary(client):
    site = factories.SiteFactory(published=True, name="Old mosque", registry_number="5166")
    edit(site, "The name as the inventory writes it.", name="Haji Alakbar Mosque")

    response = client.get(history_url(site))

    assert response.status_code == 200
    versions = response.context["versions"]
    assert [version.number for version, _url in versions] == [2, 1]
    latest = versions[0][0]
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("Name", "Old mosque", "Haji Alakbar Mosque")
    ]
    assert latest.summary == "The name as the inventory writes it."
    page = response.content.decode()
    assert "The name as the inventory writes it." in page
    assert "Old mosque" in page
    assert version_url(site, 1) in page
    assert version_url(site, 2) in page


def test_draft_edits_add_no_public_version(client):
    site = factories.SiteFactory(published=True, name="Mosque")
    site.publication_status = PublicationStatus.REJECTED
    site.review_note = "Check the name."
    site.save()
    edit(site, "Draft work", name="Draft name that never went public")
    edit(site, "More draft work", dating_label="17th century")

    response = client.get(history_url(site))

    # Withdrawn from the public: no page at all.
    assert response.status_code == 404
    site.publication_status = PublicationStatus.PUBLISHED
    edit(site, "", name="Mosque of the village")
    versions = [version for version, _url in client.get(history_url(site)).context["versions"]]
    assert [version.number for version in versions] == [2, 1]
    page = client.get(history_url(site)).content.decode()
    assert "Draft name that never went public" not in page
    assert "Draft work" not in page
    assert "Check the name." not in page
    # The published version after review shows what changed since the last public version.
    assert {(c.label, c.old, c.new) for c in versions[0].changes} == {
        ("Name", "Mosque", "Mosque of the village"),
        ("Dating", "", "17th century"),
    }
    assert versions[0].published_after_review


def test_a_save_that_changes_no_public_field_adds_no_version(client):
    site = factories.SiteFactory(published=True)
    site.review_note = "A note for staff."
    site.save()

    versions = client.get(history_url(site)).context["versions"]

    assert len(versions) == 1
    assert "A note for staff." not in client.get(history_url(site)).content.decode()


def test_a_version_permalink_shows_the_values_published_then(client):
    site = factories.SiteFactory(published=True, name="First name", dating_label="1682")
    edit(site, "Dated from the inscription.", name="Second name", dating_label="1683–84")

    old = client.get(version_url(site, 1))
    current = client.get(version_url(site, 2))

    assert old.status_code == 200
    page = old.content.decode()
    assert "First name" in page
    assert "1682" in page
    assert "1683–84" not in page
    assert "an old version of this record" in page
    assert site.get_absolute_url() in page
    assert "the current version of this record" in current.content.decode()
    assert client.get(version_url(site, 3)).status_code == 404


def test_withheld_coordinates_never_appear_in_any_version(client):
    site = factories.SiteFactory(
        published=True,
        latitude=Decimal("39.539143"),
        longitude=Decimal("47.156952"),
        location_precision=Site.Precision.EXACT,
    )
    edit(
        site,
        "Location withheld: the site is at risk of looting.",
        location_precision=Site.Precision.WITHHELD,
    )

    pages = [
        client.get(url).content.decode()
        for url in (history_url(site), version_url(site, 1), version_url(site, 2))
    ]

    for page in pages:
        assert "39.539143" not in page
        assert "47.156952" not in page
    assert "Withheld from the public" in pages[1]


def test_coordinates_of_a_public_location_are_shown_and_compared(client):
    site = factories.SiteFactory(
        published=True,
        latitude=Decimal("39.5"),
        longitude=Decimal("47.1"),
        location_precision=Site.Precision.APPROXIMATE,
    )
    edit(
        site,
        "Surveyed.",
        latitude=Decimal("39.539143"),
        longitude=Decimal("47.156952"),
        location_precision=Site.Precision.EXACT,
    )

    versions = client.get(history_url(site)).context["versions"]

    labels = {change.label: (change.old, change.new) for change in versions[0][0].changes}
    assert labels["Coordinates (latitude, longitude)"] == ("39.5, 47.1", "39.539143, 47.156952")


def test_unpublished_records_have_no_history_pages(client):
    site = factories.SiteFactory()
    visit = factories.VisitFactory(publication_status=PublicationStatus.IN_REVIEW)
    source = factories.SourceFactory(publication_status=PublicationStatus.REJECTED)
    for url in (
        history_url(site),
        version_url(site, 1),
        history_url(visit, "visit"),
        version_url(visit, 1, "visit"),
        history_url(source, "source", source.pk),
        version_url(source, 1, "source", source.pk),
        version_url(factories.SiteFactory(published=True), 0),
    ):
        assert client.get(url).status_code == 404, url


def test_history_page_queries_do_not_grow_with_versions(client, django_assert_max_num_queries):
    site = factories.SiteFactory(published=True)
    for n in range(3):
        edit(site, f"Edit {n}", name=f"Name {n}")
    with django_assert_max_num_queries(8) as few:
        client.get(history_url(site))
    for n in range(20):
        edit(site, f"Later edit {n}", name=f"Later name {n}", place=factories.PlaceFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(history_url(site))
    # 24 versions: the newest 25 would all be on the first page.
    assert len(response.context["versions"]) == 24


def test_history_pages_hold_25_versions_newest_first(client, django_assert_max_num_queries):
    site = factories.SiteFactory(published=True)
    for n in range(29):
        edit(site, f"Edit {n}", name=f"Name {n}")

    first = client.get(history_url(site))
    numbers = [version.number for version, _url in first.context["versions"]]
    assert numbers == list(range(30, 5, -1))
    assert '<ol class="versions" reversed start="30">' in first.text
    assert 'href="?page=2"' in first.text
    with django_assert_max_num_queries(8):
        second = client.get(history_url(site), {"page": 2})
    assert [version.number for version, _url in second.context["versions"]] == [5, 4, 3, 2, 1]
    assert '<ol class="versions" reversed start="5">' in second.text
    assert "The first published version." in second.text


def test_a_history_page_makes_only_its_own_versions(client, monkeypatch):
    site = factories.SiteFactory(published=True)
    for n in range(29):
        edit(site, f"Edit {n}", name=f"Name {n}")
    made = []

    class Counted(history.PublicVersion):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self.number)

    monkeypatch.setattr(history, "PublicVersion", Counted)
    response = client.get(history_url(site), {"page": 2})

    assert [version.number for version, _url in response.context["versions"]] == [5, 4, 3, 2, 1]
    # Of 30 versions, the 5 shown: the other 25 are neither described nor compared.
    assert made == [5, 4, 3, 2, 1]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("3", "There is no page 3: pages run from 1 to 2."),
        ("0", "There is no page 0: pages run from 1 to 2."),
        ("two", "A page number is a whole number, such as 2."),
        ("1.5", "A page number is a whole number, such as 2."),
        ("-1", "There is no page -1: pages run from 1 to 2."),
    ],
)
def test_a_history_page_out_of_range_is_a_400_naming_it(client, page, message):
    site = factories.SiteFactory(published=True)
    for n in range(29):
        edit(site, f"Edit {n}", name=f"Name {n}")

    response = client.get(history_url(site), {"page": page})

    assert response.status_code == 400
    assert message in response.text
    assert 'href="/sites/' in response.text  # back to the newest versions
    assert "Version 1<" not in response.text


def test_version_page_queries_are_bounded(client, django_assert_max_num_queries):
    site = factories.SiteFactory(published=True)
    for n in range(10):
        edit(site, f"Edit {n}", name=f"Name {n}")
    with django_assert_max_num_queries(8):
        assert client.get(version_url(site, 4)).status_code == 200


def test_visit_history_shows_changes_of_organisations_and_dates(client):
    visit = factories.VisitFactory(published=True, title="Visit to Fuzuli")
    icesco = factories.OrganisationFactory(name="ICESCO")
    visit.organisations.add(icesco)
    edit(visit, "The visit took place a day later.", start_date=datetime.date(2024, 5, 2))

    response = client.get(history_url(visit, "visit"))

    assert response.status_code == 200
    versions = [version for version, _url in response.context["versions"]]
    changes = {change.label: (change.old, change.new) for change in versions[0].changes}
    assert "Start date" in changes
    assert any(change.new == "ICESCO" for version in versions for change in version.changes)
    assert "The visit took place a day later." in response.content.decode()


def test_source_and_figure_histories(client):
    source = factories.SourceFactory(published=True, title="Report")
    edit(source, "Headline corrected.", title="Report on Fuzuli")
    figure = factories.ReportedFigureFactory(published=True, source=source, value=Decimal("900"))
    edit(figure, "The source says 927.", value=Decimal("927"))

    source_page = client.get(history_url(source, "source", source.pk))
    figure_page = client.get(history_url(figure, "figure", figure.pk))

    assert source_page.status_code == 200
    assert "Headline corrected." in source_page.content.decode()
    assert figure_page.status_code == 200
    changes = figure_page.context["versions"][0][0].changes
    assert [(c.label, c.old, c.new) for c in changes] == [("Value", "900", "927")]
    assert client.get(version_url(figure, 1, "figure", figure.pk)).status_code == 200


def test_figure_of_an_unpublished_source_has_no_history(client):
    figure = factories.ReportedFigureFactory(published=True)
    assert client.get(history_url(figure, "figure", figure.pk)).status_code == 404


def test_record_pages_link_to_their_history(client):
    site = factories.SiteFactory(published=True)
    visit = factories.VisitFactory(published=True)
    source = factories.SourceFactory(published=True)
    figure = factories.ReportedFigureFactory(published=True, source=source)

    pages = {
        history_url(site): client.get(site.get_absolute_url()),
        history_url(visit, "visit"): client.get(visit.get_absolute_url()),
        history_url(source, "source", source.pk): client.get(source.get_absolute_url()),
        history_url(figure, "figure", figure.pk): client.get(reverse("figure-list")),
    }

    for url, response in pages.items():
        assert f'href="{url}"' in response.content.decode()


def test_summaries_and_values_are_escaped(client):
    site = factories.SiteFactory(published=True, name="Mosque")
    edit(site, "<script>alert(1)</script>", name="<b>Mosque</b>")

    page = client.get(history_url(site)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "<b>Mosque</b>" not in page
    assert "&lt;b&gt;Mosque&lt;/b&gt;" in page


def test_an_admin_save_of_a_visit_and_its_organisations_is_one_version(reviewer_client, client):
    visit = factories.VisitFactory(published=True, title="Visit")
    icesco = factories.OrganisationFactory(name="ICESCO")

    response = post_page(
        reviewer_client,
        admin_url(type(visit), "change", visit.pk),
        {
            "title": "Visit to Fuzuli",
            "organisations": [str(icesco.pk)],
            "change_summary": "ICESCO led the visit.",
        },
    )

    assert response.status_code == 302
    versions = [v for v, _url in client.get(history_url(visit, "visit")).context["versions"]]
    assert [v.number for v in versions] == [2, 1]
    assert {(c.label, c.old, c.new) for c in versions[0].changes} == {
        ("Title", "Visit", "Visit to Fuzuli"),
        ("Organisations", "", "ICESCO"),
    }
    assert versions[0].summary == "ICESCO led the visit."


def test_a_name_added_on_the_sites_page_is_part_of_a_new_version(reviewer_client, client):
    site = factories.SiteFactory(published=True, name="Gargabazar Mosque")
    factories.SiteNameFactory(site=site, language="az", name="Qarğabazar məscidi")
    url = admin_url(Site, "change", site.pk)
    page = reviewer_client.get(url)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model.__name__ == "SiteName"
    )
    data = {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-1-name": "Гаргабазарская мечеть",
        f"{prefix}-1-language": "ru",
        f"{prefix}-1-script": "Cyrl",
        f"{prefix}-1-kind": "transliteration",
        "change_summary": "The Russian name, as the 1983 inventory writes it.",
    }

    response = post_page(reviewer_client, url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    versions = [v for v, _url in client.get(history_url(site)).context["versions"]]
    assert [v.number for v in versions] == [2, 1]
    [change] = versions[0].changes
    assert change.label == "Names in other languages and scripts"
    assert change.old == "Qarğabazar məscidi (az; Official)"
    assert change.new == (
        "Qarğabazar məscidi (az; Official); Гаргабазарская мечеть (ru; Transliteration)"
    )
    assert versions[0].summary == "The Russian name, as the 1983 inventory writes it."
    old_page = client.get(version_url(site, 1)).content.decode()
    assert "Qarğabazar məscidi" in old_page
    assert "Гаргабазарская мечеть" not in old_page


def test_a_name_removed_and_one_changed_show_in_the_next_version(client):
    site = factories.SiteFactory(published=True, name="Mosque")
    kept = factories.SiteNameFactory(site=site, language="az", name="Məscid")
    dropped = factories.SiteNameFactory(site=site, language="ru", name="Мечеть")
    edit(site, "Names checked against the inventory.")
    kept.name = "Cümə məscidi"
    kept.save()
    dropped.delete()

    versions = [v for v, _url in client.get(history_url(site)).context["versions"]]

    # The edit came first, the names after it: one version with both changes.
    assert [v.number for v in versions] == [2, 1]
    [change] = versions[0].changes
    assert change.old == "Məscid (az; Official); Мечеть (ru; Official)"
    assert change.new == "Cümə məscidi (az; Official)"


def test_a_name_as_reported_shows_only_with_its_published_source(client):
    site = factories.SiteFactory(published=True, name="Haji Alakbar Mosque")
    public = factories.SourceFactory(published=True, title="AzerNews report")
    draft = factories.SourceFactory(title="Unchecked blog post")
    factories.SiteNameFactory(
        site=site, language="en", name="Juma Mosque", kind="as_reported", source=public
    )
    factories.SiteNameFactory(
        site=site, language="en", name="Secret Mosque", kind="as_reported", source=draft
    )

    page = client.get(version_url(site, 1)).content.decode()

    assert "Juma Mosque" in page
    assert "AzerNews report" in page
    assert "Secret Mosque" not in page
    assert "Unchecked blog post" not in page


def test_history_page_queries_do_not_grow_with_name_edits(client, django_assert_max_num_queries):
    site = factories.SiteFactory(published=True)
    factories.SiteNameFactory(site=site, language="az")
    edit(site, "First")
    with django_assert_max_num_queries(10) as few:
        client.get(history_url(site))
    for n in range(10):
        edit(site, f"Name {n}")
        factories.SiteNameFactory(site=site, language="ru", name=f"Имя {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(history_url(site))
    assert len(response.context["versions"]) == 11
