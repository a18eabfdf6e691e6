"""Exporting from the admin: the import's columns, dates and numbers as such, no formula a
spreadsheet would run, the list's filters; and an export imported again changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage.imports.files import CSV, XLSX
from heritage.imports.resources import SiteResource
from heritage.models import ImportStatus, Place, ReportedFigure, Site, SiteName
from inspections.models import Assessment, AssessmentCitation
from tests.admin_forms import admin_url
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    OrganisationFactory,
    ReportedFigureFactory,
    SiteFactory,
    SiteNameFactory,
)
from tests.heritage.imports import (
    FORMAT,
    cell_datetime,
    confirm,
    export,
    preview,
    preview_actions,
    problems,
    snapshot,
)

pytestmark = pytest.mark.django_db


def awkward_records():
    """Records whose values are easy to mangle: formulas, line breaks, bars, decimals."""
    place = Place.objects.get(slug="fuzuli")
    site = SiteFactory(
        slug="awkward",
        name='=HYPERLINK("http://example.org")',
        place=place,
        latitude=Decimal("39.600000"),
        longitude=Decimal("-47.100500"),
        location_precision=Site.Precision.APPROXIMATE,
        description="First line\r\nsecond line, with “quotes” and a comma",
        registry_number="-12",
    )
    SiteNameFactory(site=site, language="az", name="Ad | ikinci", script="", kind="historical")
    SiteNameFactory(site=site, language="ru", name="Имя: с двоеточием", script="Cyrl")
    assessment = AssessmentFactory(
        slug="awkward-2021",
        site=site,
        assessed_on=datetime.date(2021, 6, 1),
        summary="+ added later",
    )
    AssessmentCitationFactory(
        assessment=assessment, source__slug="a-source", summary="@ mention", locator="p. 3"
    )
    AssessmentCitationFactory(
        assessment=assessment, source__slug="b-source", summary="Second\nline"
    )
    AssessmentFactory(slug="awkward-2020", site=site, assessed_on=datetime.date(2020, 3, 1))
    ReportedFigureFactory(
        slug="awkward-figure",
        value=Decimal("12.50"),
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        area=place,
        reported_by=OrganisationFactory(),
    )


ROUND_TRIP_MODELS = (Site, SiteName, Assessment, AssessmentCitation, ReportedFigure)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("model", [Site, Assessment, ReportedFigure], ids=lambda m: m.__name__)
def test_an_export_imported_again_changes_nothing(admin_client, demo, model, file_format):
    awkward_records()
    before = snapshot(*ROUND_TRIP_MODELS)
    exported = export(admin_client, model, file_format)
    upload = SimpleUploadedFile(f"export.{file_format}", exported.content)

    response = preview(admin_client, model, upload, file_format)

    assert problems(response) == []
    actions = preview_actions(response)
    assert {action for _row, action in actions} == {"skip"}
    expected_rows = model.objects.count()
    if model is Assessment:
        expected_rows += (
            AssessmentCitation.objects.count()
            - Assessment.objects.filter(citations__isnull=False).distinct().count()
        )
    assert len(actions) == expected_rows
    response = confirm(admin_client, model, response)
    assert response.context["job"].status == ImportStatus.DONE, problems(response)
    assert snapshot(*ROUND_TRIP_MODELS) == before


def test_the_csv_export_has_the_import_columns_and_defuses_formulas(admin_client, demo):
    awkward_records()

    response = export(admin_client, Site, "csv", "?q=awkward")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sites-')
    dataset = CSV().create_dataset(response.content)
    assert dataset.headers == SiteResource.column_names()
    row = dataset.dict[0]
    assert row["name"] == '\'=HYPERLINK("http://example.org")'
    assert row["registry_number"] == "'-12"
    assert row["latitude"] == "39.6"
    assert row["names"] == r"az//historical:Ad \| ikinci|ru/Cyrl:Имя: с двоеточием"


def test_the_export_follows_the_filters_of_the_list(admin_client, demo):
    SiteFactory(slug="draft-site", place=Place.objects.get(slug="fuzuli"))

    response = export(admin_client, Site, "csv", "?publication_status__exact=draft")

    dataset = CSV().create_dataset(response.content)
    assert [row["slug"] for row in dataset.dict] == ["draft-site"]


def test_the_xlsx_export_writes_dates_and_numbers_as_such(admin_client, demo):
    awkward_records()

    response = export(admin_client, ReportedFigure, "xlsx", "?q=awkward")

    dataset = XLSX().create_dataset(response.content)
    row = dataset.dict[0]
    assert row["period_start"] == cell_datetime(2020, 1, 1)
    assert row["value"] == 12.5


def test_the_export_of_assessments_has_one_row_per_citation(admin_client, demo):
    awkward_records()

    response = export(admin_client, Assessment, "csv", "?q=awkward")

    rows = CSV().create_dataset(response.content).dict
    assert [(row["slug"], row["source_summary"]) for row in rows] == [
        ("awkward-2021", "'@ mention"),
        ("awkward-2021", "Second\nline"),
        ("awkward-2020", ""),
    ]


def test_the_export_makes_as_many_queries_for_one_record_as_for_many(admin_client, demo):
    url = admin_url(Assessment, "export")
    data = {"resource": "0", "format": FORMAT["csv"]}
    admin_client.post(url, data)  # Warm the session and content types.
    with CaptureQueriesContext(connection) as few:
        admin_client.post(url, data)
    for n in range(5):
        AssessmentCitationFactory(assessment=AssessmentFactory(slug=f"extra-{n}"))

    with CaptureQueriesContext(connection) as many:
        response = admin_client.post(url, data)

    assert len(CSV().create_dataset(response.content)) == Assessment.objects.count() + 1
    assert len(many) == len(few)
