"""Text that cannot hide or reverse: names and titles are stored in NFC without invisible
or bidirectional control characters, by every route (forms, services, plain saves, imports),
so duplicate checks, unique constraints and search compare the text a reader sees."""

import importlib
import unicodedata

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from heritage.base import NaturalKeyModel
from heritage.cleaning import BIDI_CONTROLS, INVISIBLE, clean_stored_text, clean_text
from heritage.models import Organisation, Place, Site, SiteName, Source
from inspections.models import OverallCondition
from tests.admin_forms import admin_url, post_page
from tests.factories import (
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
)
from tests.heritage.imports import SITE_HEADER, csv_upload, preview, problems

pytestmark = pytest.mark.django_db

#: The spellings that were each saved beside "Gargabazar Mosque" in the same place.
HIDING = ["Garga\u200dbazar Mosque", "Garga\u00adbazar Mosque", "Gargabazar Mosque\u200b"]


@pytest.mark.parametrize("char", sorted(INVISIBLE.keys() | BIDI_CONTROLS.keys()))
def test_every_invisible_and_direction_character_is_removed(char):
    assert clean_text(f"Garga{char}bazar{char}") == "Gargabazar"
    assert unicodedata.name(char) in {**INVISIBLE, **BIDI_CONTROLS}.values()


def test_the_required_characters_are_all_covered():
    required = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F}
    required |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
    assert required <= {ord(char) for char in INVISIBLE.keys() | BIDI_CONTROLS.keys()}


def test_text_is_stored_composed_and_trimmed():
    decomposed = "Qarg\u0306abazar"
    assert clean_text(decomposed) == "Qarğabazar"
    # A combining mark that followed a removed character joins the letter before it.
    assert clean_text("Qarg\u200b\u0306abazar") == "Qarğabazar"
    assert clean_text("  ICESCO \u200b") == "ICESCO"
    assert clean_text("قره\u200fباغ") == "قرهباغ"
    assert clean_text(None) is None


@pytest.mark.parametrize("name", HIDING)
def test_a_hidden_duplicate_of_a_site_in_the_same_place_is_refused(name):
    existing = SiteFactory(name="Gargabazar Mosque")
    twin = Site(slug="twin", name=name, category=existing.category, place=existing.place, version=1)
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert "already in the register" in str(refused.value.message_dict["name"])
    assert twin.name == "Gargabazar Mosque"


@pytest.mark.parametrize("name", HIDING)
def test_a_name_variant_with_a_hidden_character_is_the_same_variant(name):
    site = SiteFactory()
    SiteNameFactory(site=site, name="Gargabazar Mosque", language="en")
    with pytest.raises(ValidationError, match="already exists"):
        SiteNameFactory.build(site=site, name=name, language="en").full_clean()


def test_every_model_saves_its_names_and_labels_clean():
    organisation = OrganisationFactory(name="ICE\u200bSCO", acronym="\u202eOCSECI")
    place = PlaceFactory(name="Qarg\u0306abazar\u2060")
    source = SourceFactory(title="abc\u202etxt.exe", author="A\u00aduthor")
    term = OverallCondition.objects.get(label="Destroyed")
    term.label_az = "Dağıdılıb\u200f"
    term.save()

    assert Organisation.objects.values_list("name", "acronym").get(pk=organisation.pk) == (
        "ICESCO",
        "OCSECI",
    )
    assert Place.objects.get(pk=place.pk).name == "Qarğabazar"
    assert Source.objects.values_list("title", "author").get(pk=source.pk) == (
        "abctxt.exe",
        "Author",
    )
    assert OverallCondition.objects.get(pk=term.pk).label_az == "Dağıdılıb"
    assert organisation.history.latest().name == "ICESCO"


def test_the_admin_form_stores_the_clean_name(admin_client):
    organisation = OrganisationFactory(name="ICESCO")
    post_page(
        admin_client,
        admin_url(Organisation, "change", organisation.pk),
        {"name": "ICE\u200dSCO\u202e"},
    )
    assert Organisation.objects.get(pk=organisation.pk).name == "ICESCO"


def test_an_import_compares_and_stores_the_clean_name(admin_client):
    existing = SiteFactory(name="Gargabazar Mosque")
    place = existing.place.slug
    rows = [f"hidden-{n},{name},mosque,{place}," for n, name in enumerate(HIDING)]
    response = preview(admin_client, Site, csv_upload("\n".join([SITE_HEADER, *rows])))

    found = problems(response)
    # Every row is the register's site again; rows after the first repeat it in the file too.
    in_register = {row for row, _column, message in found if "already in the register" in message}
    assert in_register == set(range(2, 2 + len(HIDING)))
    assert all(
        "already in the register" in message or "already gives a site" in message
        for _row, _column, message in found
    )


def test_search_finds_a_name_typed_with_a_hidden_character(client):
    SiteFactory(published=True, name="Gargabazar Mosque", slug="gargabazar-mosque")
    for typed in HIDING:
        page = client.get(reverse("site-list"), {"q": typed}).content.decode()
        assert "gargabazar-mosque" in page, typed


def test_a_source_title_cannot_reverse_its_page(client):
    source = SourceFactory(published=True, title="abc\u202etxt.exe")
    page = client.get(source.get_absolute_url()).content.decode()
    assert "\u202e" not in page
    # The title is set apart from the page's own text, in whatever direction it is written.
    assert '<h1><bdi lang="en">abctxt.exe</bdi></h1>' in page


# Records stored before the rule: the migrations clean them once.


def stored_as(record, **fields):
    """Store ``fields`` on ``record`` as an old version of the code did: uncleaned."""
    type(record).objects.filter(pk=record.pk).update(**fields)


def migration_step(app, name):
    return importlib.import_module(f"{app}.migrations.{name}")


def test_the_migrations_clean_every_model_that_cleans_on_save():
    heritage = migration_step("heritage", "0017_site_folded_name_index_and_clean_stored_text")
    inspections = migration_step("inspections", "0022_clean_stored_text")
    cleaned = {
        *(("heritage", name) for name in heritage.CLEANED_MODELS),
        *(("inspections", name) for name in inspections.CLEANED_MODELS),
    }
    expected = {
        (model._meta.app_label, model.__name__)
        for model in django_apps.get_models()
        if issubclass(model, NaturalKeyModel)
    }
    assert cleaned == expected


def test_the_migration_cleans_stored_names_and_titles_without_history():
    site = SiteFactory(name="Gargabazar Mosque")
    variant = SiteNameFactory(site=site, name="Qarğabazar məscidi")
    source = SourceFactory(title="Report")
    organisation = OrganisationFactory(name="ICESCO")
    term = OverallCondition.objects.first()
    stored_as(site, name="Garga\u200dbazar Mosque", description="Built\u00ad in 1700 ")
    stored_as(variant, name="Qarg\u0306abazar\u200b məscidi")
    stored_as(source, title="abc\u202etxt.exe")
    stored_as(organisation, name="\u200fICESCO")
    stored_as(term, label_az="Yaxşı\u200e")
    versions = {record: type(record).objects.get(pk=record.pk).version for record in [site]}
    history = sum(model.history.count() for model in (Site, Source, Organisation, SiteName))

    migration_step("heritage", "0017_site_folded_name_index_and_clean_stored_text").clean_text(
        django_apps, None
    )
    migration_step("inspections", "0022_clean_stored_text").clean_text(django_apps, None)

    site.refresh_from_db()
    variant.refresh_from_db()
    source.refresh_from_db()
    organisation.refresh_from_db()
    term.refresh_from_db()
    assert (site.name, site.description) == ("Gargabazar Mosque", "Built in 1700")
    assert variant.name == "Qarğabazar məscidi"
    assert source.title == "abctxt.exe"
    assert organisation.name == "ICESCO"
    assert term.label_az == "Yaxşı"
    # Nothing a reader sees changed: no history row, no new version.
    assert sum(model.history.count() for model in (Site, Source, Organisation, SiteName)) == (
        history
    )
    assert site.version == versions[site]
    # The cleaned name is found as the one a reader sees.
    assert Site.objects.filter(name="Gargabazar Mosque").get() == site


def test_the_migration_leaves_a_record_whose_cleaned_text_another_already_has():
    site = SiteFactory()
    kept = SiteNameFactory(site=site, language="az", name="Qarğabazar")
    twin = SiteNameFactory(site=site, language="az", name="Other")
    stored_as(twin, name="Qarğa\u200bbazar")
    other = SiteFactory()
    stored_as(other, name=f"{other.name}\u200b")

    assert clean_stored_text(SiteName, batch_size=1) == 0
    assert clean_stored_text(Site, batch_size=1) == 1

    twin.refresh_from_db()
    kept.refresh_from_db()
    assert twin.name == "Qarğa\u200bbazar"
    assert kept.name == "Qarğabazar"
    assert not Site.objects.filter(name__contains="\u200b").exists()
