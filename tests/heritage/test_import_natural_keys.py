"""What an import reads: related records by their natural keys, vocabulary terms by their
labels, name variants in their own format, several citations of one assessment; and the
sample files of the import guide."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains

from heritage.base import PublicationStatus
from heritage.imports.names import format_name, parse_names, split_unescaped
from heritage.models import Organisation, ReportedFigure, Site, SiteName, Source
from inspections.models import Assessment, AssessmentType, OverallCondition
from operations.demo import FIXTURES_DIR
from tests.factories import PlaceFactory, SiteFactory, SiteNameFactory, SourceFactory
from tests.heritage.imports import (
    ASSESSMENT_HEADER,
    cell_datetime,
    confirm,
    csv_upload,
    import_file,
    preview,
    preview_actions,
    problems,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db


def test_related_records_are_found_by_their_natural_keys(admin_client, demo):
    upload = csv_upload(
        "slug,site,visit,assessed_on,assessed_by,assessment_type,overall_condition,"
        "damage_trend,verification,source,source_locator,source_summary\n"
        "gargabazar-mosque-2021-01-12-extra,gargabazar-mosque,"
        "icesco-delegation-fuzuli-2021-01-12,2021-01-12,icesco,field-based assessment,"
        "VERY BAD,Not Known,Corroborated by independent sources,"
        "azernews-2021-01-15-icesco-partnership,para. 4,Says the mosque is in ruins.\n"
    )

    import_file(admin_client, Assessment, upload)

    assessment = Assessment.objects.get(slug="gargabazar-mosque-2021-01-12-extra")
    assert assessment.site.slug == "gargabazar-mosque"
    assert assessment.visit.slug == "icesco-delegation-fuzuli-2021-01-12"
    assert assessment.assessed_by == Organisation.objects.get(slug="icesco")
    assert assessment.assessment_type == AssessmentType.objects.get(label="Field-based Assessment")
    assert assessment.overall_condition == OverallCondition.objects.get(label="Very Bad")
    assert assessment.damage_trend.label == "Not Known"
    assert assessment.verification == Assessment.Verification.CORROBORATED
    assert assessment.publication_status == PublicationStatus.DRAFT
    citation = assessment.citations.get()
    assert citation.source == Source.objects.get(slug="azernews-2021-01-15-icesco-partnership")
    assert (citation.locator, citation.summary) == ("para. 4", "Says the mosque is in ruins.")


def test_figures_name_their_place_organisation_and_source_by_slug(reviewer_client, demo):
    upload = xlsx_upload(
        [
            [
                "slug",
                "metric",
                "subject",
                "category",
                "value",
                "area",
                "reported_by",
                "source",
                "period_start",
                "period_end",
            ],
            [
                "fuzuli-mosques",
                "destroyed",
                "mosques",
                "Mosque",
                7,
                "fuzuli-district",
                "ministry-of-culture-azerbaijan",
                "azernews-2021-01-15-icesco-partnership",
                cell_datetime(1993, 1, 1),
                "1993-12-31",
            ],
        ]
    )

    import_file(reviewer_client, ReportedFigure, upload)

    figure = ReportedFigure.objects.get(slug="fuzuli-mosques")
    assert figure.area.slug == "fuzuli-district"
    assert figure.reported_by.slug == "ministry-of-culture-azerbaijan"
    assert figure.source.slug == "azernews-2021-01-15-icesco-partnership"
    assert figure.category == Site.Category.MOSQUE
    assert figure.value == Decimal("7")
    assert (figure.period_start, figure.period_end) == (
        datetime.date(1993, 1, 1),
        datetime.date(1993, 12, 31),
    )
    assert figure.publication_status == PublicationStatus.DRAFT


def test_name_variants_are_added_and_updated_and_none_is_removed(admin_client):
    place = PlaceFactory(slug="fuzuli")
    site = SiteFactory(slug="mosque", name="Mosque", place=place)
    SiteNameFactory(site=site, language="az", name="Məscid", script="", kind="official")
    SiteNameFactory(site=site, language="en", name="The mosque", script="Latn")
    upload = csv_upload(
        "slug,name,category,place,names\n"
        "mosque,Mosque,mosque,fuzuli,az/Latn:Məscid|ru/Cyrl/transliteration:Мечеть\n"
    )

    response = preview(admin_client, Site, upload)

    assert preview_actions(response) == [(2, "update")]
    assertContains(response, "<ins>")
    confirm(admin_client, Site, response)
    names = {(n.language, n.name): (n.script, n.kind) for n in site.names.all()}
    assert names == {
        ("az", "Məscid"): ("Latn", "official"),
        ("en", "The mosque"): ("Latn", "official"),
        ("ru", "Мечеть"): ("Cyrl", "transliteration"),
    }


def test_the_names_format_reads_what_it_writes():
    variants, errors = parse_names(
        r"az:Qarğabazar məscidi| ru/Cyrl : Гаргабазар |en//Alternative or popular:A \| B||"
    )

    assert errors == []
    assert [(v.language, v.name, v.script, v.kind) for v in variants] == [
        ("az", "Qarğabazar məscidi", None, None),
        ("ru", "Гаргабазар", "Cyrl", None),
        ("en", "A | B", "", "alternative"),
    ]
    name = SiteName(language="en", name="A | B", script="", kind="alternative")
    assert format_name(name) == r"en//alternative:A \| B"
    assert split_unescaped(r"a\\|b") == ["a\\", "b"]


def test_an_assessment_with_several_citations_takes_a_row_for_each(editor_client):
    site = SiteFactory(slug="mosque")
    SourceFactory(slug="one")
    SourceFactory(slug="two")
    upload = csv_upload(
        f"{ASSESSMENT_HEADER}\n"
        "mosque-2024,mosque,2024-05-01,Poor,one,Says poor.\n"
        "mosque-2024,mosque,2024-05-01,Poor,two,Also says poor.\n"
    )

    response = preview(editor_client, Assessment, upload)

    assert preview_actions(response) == [(2, "new"), (3, "update")]
    confirm(editor_client, Assessment, response)
    assessment = Assessment.objects.get(slug="mosque-2024")
    assert assessment.site == site
    assert sorted(assessment.citations.values_list("source__slug", "summary")) == [
        ("one", "Says poor."),
        ("two", "Also says poor."),
    ]


def test_the_sample_files_import_cleanly_into_the_demo_data(editor_client, demo):
    for model, name in [(Site, "sites"), (Assessment, "assessments")]:
        path = FIXTURES_DIR / f"import-sample-{name}.csv"
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        response = preview(editor_client, model, upload)
        assert problems(response) == []
        assert {action for _row, action in preview_actions(response)} == {"new"}
        assert confirm(editor_client, model, response).context["job"].status == "done"

    site = Site.objects.get(slug="sample-village-mosque")
    assert site.publication_status == PublicationStatus.DRAFT
    assert site.names.count() == 3
    assert Assessment.objects.get(slug="sample-village-mosque-2021-01").site == site
