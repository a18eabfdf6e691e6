"""What the dossier says of a site's history: competing datings and other claims, each with
its source; the timeline of assessments with their disturbances; the sources cited."""

import datetime

import pytest
from django.utils.formats import date_format

from heritage.models import Site, Source
from inspections.models import (
    CauseType,
    Certainty,
    DamageExtent,
    DamageTrend,
    EffectType,
    OverallCondition,
)
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    OrganisationFactory,
    ResponsibilityClaimFactory,
    SiteCitationFactory,
    SiteClaimFactory,
    SiteFactory,
    SourceFactory,
    term,
)
from tests.public.pages import (
    assert_shows,
    dossier,
    item_with,
    row_with,
    section,
    text_of,
    without_isolation,
)

pytestmark = pytest.mark.django_db


def sourced_claim(site, statement, source, **fields):
    """A published claim about ``site``, resting on a published source with the fields
    ``source``."""
    return SiteClaimFactory(
        site=site,
        published=True,
        statement=statement,
        source=SourceFactory(published=True, **source),
        **fields,
    )


def test_competing_datings_are_shown_side_by_side_each_with_its_source(client):
    site = SiteFactory(
        published=True, year_from=1682, year_to=1684, dating_label="1682, or 1683–84"
    )
    sourced_claim(
        site,
        "Built in 1682.",
        {"title": "District page", "publisher": "Supreme Court"},
        year_from=1682,
        year_to=1682,
        dating_label="1682",
    )
    sourced_claim(
        site,
        "Inscription dated AH 1095.",
        {"title": "The mosque", "publisher": "religions.az"},
        year_from=1683,
        year_to=1684,
        dating_label="AH 1095 (1683–84)",
    )

    dating = section(dossier(client, site), "dating")

    assert "1682, or 1683–84" in dating
    assert "1682–1684" in dating
    first = row_with(dating, "Built in 1682.")
    assert_shows(
        first,
        shown=["According to Supreme Court", "District page"],
        hidden=["religions.az"],
    )
    second = row_with(dating, "Inscription dated AH 1095.")
    assert_shows(
        second,
        shown=["According to religions.az", "1683–1684"],
        hidden=["Supreme Court"],
    )


def test_identity_use_and_other_claims_are_shown_apart_from_datings(client):
    site = SiteFactory(published=True)
    sourced_claim(site, "Used as a cattle barn.", {"publisher": "kulis.az"}, kind="use")
    sourced_claim(
        site,
        "Probably the Juma Mosque.",
        {"publisher": "AzerNews"},
        kind="identity",
        is_inference=True,
    )

    html = dossier(client, site)

    assert "Used as a cattle barn." not in section(html, "dating")
    claims = section(html, "claims")
    use = item_with(claims, "Used as a cattle barn.")
    assert "According to kulis.az" in without_isolation(use)
    assert "inference" not in use
    identity = item_with(claims, "Probably the Juma Mosque.")
    assert_shows(
        identity,
        shown=["The register's inference, not stated by any source.", "AzerNews"],
        hidden=["According to"],
    )


def test_assessments_are_a_timeline_of_sourced_claims_newest_first(client):
    site = SiteFactory(published=True)
    icesco = OrganisationFactory(name="Islamic World Organization", acronym="ICESCO")
    older = AssessmentFactory(
        site=site,
        published=True,
        assessed_on=datetime.date(2020, 11, 19),
        overall_condition=None,
        summary="Most tombstones removed.",
    )
    AssessmentCitationFactory(
        assessment=older,
        source=SourceFactory(published=True, publisher="sonxeberler.com", title="The cemetery"),
        summary="Tombstones removed, fences taken.",
    )
    newer = AssessmentFactory(
        site=site,
        published=True,
        assessed_by=icesco,
        assessed_on=datetime.date(2021, 1, 12),
        overall_condition=term(OverallCondition, "Destroyed"),
        damage_extent=term(DamageExtent, "91-100%"),
        damage_trend=term(DamageTrend, "Increasing (Disturbance)"),
        verification="corroborated",
        summary="Seen by the delegation.",
    )
    AssessmentCitationFactory(
        assessment=newer,
        source=SourceFactory(
            published=True, publisher="AzerNews", title="New partnership prospects"
        ),
        summary="The destroyed Juma Mosque.",
    )

    timeline = section(dossier(client, site), "assessments")
    text = text_of(timeline)

    # No source of ICESCO is cited: the heading names who reports the assessment.
    published = date_format(datetime.date(2023, 11, 20))
    newest = (
        f"Reported by AzerNews ({published}): on {date_format(datetime.date(2021, 1, 12))}, "
        "Destroyed."
    )
    oldest = (
        f"Reported by sonxeberler.com ({published}): on "
        f"{date_format(datetime.date(2020, 11, 19))}, Condition not stated."
    )
    assert text.index(newest) < text.index(oldest)
    assert '<time datetime="2021-01-12">' in timeline
    newer_text = text[text.index(newest) : text.index(oldest)]
    for shown in [
        "Assessed by ICESCO, as the reports say",
        "Seen by the delegation.",
        "91-100%",
        "Increasing (Disturbance)",
        "Corroborated by independent sources",
        "AzerNews, New partnership prospects",
        "The destroyed Juma Mosque.",
    ]:
        assert shown in newer_text
    older_text = text[text.index(oldest) :]
    assert "Reported by one source" in older_text
    assert "Tombstones removed, fences taken." in older_text


def test_disturbances_show_cause_certainty_effects_dates_and_attributions(client):
    site = SiteFactory(published=True)
    assessment = AssessmentFactory(site=site, published=True)
    disturbance = DisturbanceFactory(
        assessment=assessment,
        cause_type=term(CauseType, "Theft/Unauthorised Removal of Objects"),
        cause_certainty=term(Certainty, "High"),
        occurred_before=datetime.date(2020, 11, 19),
        description="Most tombstones removed; the iron fences taken.",
    )
    disturbance.effect_types.add(term(EffectType, "Cracked/Broken/Missing Parts"))
    source = SourceFactory(published=True, publisher="AzerNews", title="New partnership prospects")
    ResponsibilityClaimFactory(disturbance=disturbance, source=source, attributed_to="Armenians")
    DisturbanceFactory(
        assessment=assessment,
        date_from=datetime.date(1993, 8, 23),
        date_to=datetime.date(2020, 11, 20),
    )

    timeline = section(dossier(client, site), "assessments")

    assert_shows(
        timeline,
        shown=[
            "Vandalism",
            "Theft/Unauthorised Removal of Objects",
            "High",
            "Cracked/Broken/Missing Parts",
            f"before {date_format(datetime.date(2020, 11, 19))}",
            "Most tombstones removed; the iron fences taken.",
        ],
    )
    start, end = date_format(datetime.date(1993, 8, 23)), date_format(datetime.date(2020, 11, 20))
    assert f"from {start} to {end}" in timeline
    attribution = item_with(timeline, "attributes this to")
    assert_shows(
        attribution,
        shown=[
            "AzerNews",
            f'href="{source.get_absolute_url()}"',
            "attributes this to “Armenians”.",
        ],
    )


def test_dossier_lists_every_public_citation_with_what_the_source_says(client):
    site = SiteFactory(published=True)
    source = SourceFactory(
        published=True,
        title="The Garghabazar Haji Giyaseddin mosque",
        publisher="religions.az",
        url="https://religions.az/the-garghabazar-haji-giyaseddin-mosque/",
    )
    SiteCitationFactory(site=site, source=source, summary="Reads the inscription as AH 1095.")

    sources = section(dossier(client, site), "sources")

    assert f'<a href="{source.get_absolute_url()}">' in sources
    assert "Reads the inscription as AH 1095." in sources
    assert 'href="https://religions.az/the-garghabazar-haji-giyaseddin-mosque/" rel="noopener"' in (
        sources
    )


@pytest.mark.usefixtures("demo")
def test_gargabazar_mosque_shows_both_construction_dates_each_with_its_own_source(client):
    dating = section(dossier(client, Site.objects.get(slug="gargabazar-mosque")), "dating")

    supreme_court = Source.objects.get(slug="supremecourt-gov-az-fuzuli-district")
    ministry = Source.objects.get(slug="kulis-az-ministry-of-culture-gargabazar")
    built_1682 = row_with(dating, "The mosque was built in 1682.")
    assert f'href="{supreme_court.get_absolute_url()}"' in built_1682
    assert ministry.get_absolute_url() not in built_1682
    built_1683 = row_with(dating, "According to the Ministry of Culture")
    assert_shows(
        built_1683,
        shown=["AH 1095 (1683–84)", f'href="{ministry.get_absolute_url()}"'],
        hidden=[supreme_court.get_absolute_url()],
    )


@pytest.mark.usefixtures("demo")
def test_haji_alakbar_dossier_marks_the_juma_mosque_identity_as_an_inference(client):
    html = dossier(client, Site.objects.get(slug="haji-alakbar-mosque"))

    identity = item_with(section(html, "claims"), "Juma Mosque")
    assert "The register's inference, not stated by any source." in identity
    assert "Azerbaijan and ICESCO. New partnership prospects" in without_isolation(identity)
    timeline = section(html, "assessments")
    assert_shows(
        timeline,
        shown=[
            "Reported by AzerNews (15 January 2021)",
            "Assessed by ICESCO, as the reports say; no document of ICESCO is cited.",
            "Destroyed",
            "Tied to this site by the register's own identification",
            "attributes this to “Armenians”.",
        ],
        hidden=["According to ICESCO"],
    )
    assert "ICESCO delegation visit to Fuzuli" in section(html, "visits")
