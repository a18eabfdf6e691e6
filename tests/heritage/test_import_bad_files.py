"""Bad files: nothing is written, and every bad row is reported with its row and column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains

from heritage.models import ReportedFigure, Site
from inspections.models import Assessment
from tests.heritage.imports import (
    ASSESSMENT_HEADER,
    BAD_MODELS,
    FIGURE_HEADER,
    assert_refused,
    cell_datetime,
    csv_upload,
    import_file,
    preview,
    problems,
    snapshot,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def csv_case(case_id, model, text, expected, count):
    return pytest.param(model, "records.csv", text.encode(), expected, count, id=case_id)


#: Files with bad rows: (model, file name, content, {(row, column): part of the message},
#: the number of problems).
BAD_ROWS = [
    csv_case(
        "unknown-terms",
        Assessment,
        "slug,site,assessed_on,overall_condition,damage_extent,assessment_type\n"
        "a-2021,gargabazar-mosque,2021-01-12,Destroyd,,\n"
        "b-2021,gargabazar-mosque,2021-01-12,Poor,1-10%,Field-based Assessment\n"
        "c-2021,gargabazar-mosque,2021-01-12,Poor,half,Satellite\n",
        {
            (2, "overall_condition"): "“Destroyd” is not in the list of overall conditions",
            (4, "damage_extent"): "Use one of: No Visible/Known, 1-10%",
            (4, "assessment_type"): "“Satellite” is not in the list of assessment types",
        },
        3,
    ),
    csv_case(
        "bad-dates-and-numbers",
        ReportedFigure,
        f"{FIGURE_HEADER}\n"
        "f-1,destroyed,libraries,12,azernews-2021-01-15-icesco-partnership,12/01/2021\n"
        "f-2,destroyed,libraries,1 200,azernews-2021-01-15-icesco-partnership,2021-02-30\n"
        "f-3,destroyed,libraries,-4,azernews-2021-01-15-icesco-partnership,2021-02-03\n",
        {
            (2, "period_start"): "write dates as YYYY-MM-DD",
            (3, "period_start"): "not a date that exists",
            (3, "value"): "no thousands separators",
            (4, "value"): "cannot be negative",
        },
        4,
    ),
    csv_case(
        "missing-or-unknown-source",
        ReportedFigure,
        f"{FIGURE_HEADER}\n"
        "f-1,destroyed,libraries,12,,\n"
        "f-2,destroyed,libraries,12,no-such-source,\n"
        "f-3,destroyed,libraries,12,azernews-2021-01-15-icesco-partnership,\n",
        {
            (2, "source"): "Give the slug of the source",
            (3, "source"): "No source has the slug “no-such-source”",
        },
        2,
    ),
    csv_case(
        "every-error-of-a-row",
        Site,
        "slug,name,category,place,latitude,longitude,year_from,year_to,names\n"
        "bad,Bad,church-ish,nowhere,91,,1900,1800.5,Qarğabazar|xx:\n",
        {
            (2, "category"): "“church-ish” is not one of: mosque, caravanserai",
            (2, "place"): "No place has the slug “nowhere”",
            (2, "latitude"): "Latitude must be between -90 and 90",
            (2, "longitude"): "Give the longitude too",
            (2, "year_to"): "not a whole number",
            (2, "names"): "“Qarğabazar” has no language",
        },
        7,
    ),
    csv_case(
        "duplicate-row",
        Site,
        "slug,name,category,place\n"
        "new-site,New site,mosque,fuzuli\n"
        "other-site,Other site,mosque,fuzuli\n"
        "new-site,New site,mosque,fuzuli\n",
        {(4, "slug"): "Row 2 already gives this site"},
        1,
    ),
    csv_case(
        "rows-of-one-assessment-disagree",
        Assessment,
        f"{ASSESSMENT_HEADER}\n"
        "x-2021,gargabazar-mosque,2021-01-12,Poor,azernews-2021-01-15-icesco-partnership,A.\n"
        "x-2021,gargabazar-mosque,2021-01-12,Destroyed,trend-2021-01-icesco-fuzuli-visit,B.\n"
        "x-2021,gargabazar-mosque,2021-01-12,Poor,azernews-2021-01-15-icesco-partnership,C.\n"
        "y-2021,gargabazar-mosque,2021-01-12,Poor,,Summary without a source.\n",
        {
            (3, "overall_condition"): "Row 2 gives the same assessment with “Poor” here",
            (4, "source"): "Row 2 already gives this citation",
            (5, "source"): "Give the slug of the source these citation columns are about",
        },
        3,
    ),
    pytest.param(
        Assessment,
        "records.xlsx",
        xlsx_bytes(
            [
                ["slug", "site", "assessed_on", "overall_condition"],
                ["a-2021", "gargabazar-mosque", cell_datetime(2021, 1, 12, 15, 30), "Poor"],
                ["b-2021", "no-such-site", cell_datetime(2021, 1, 12), "Poor"],
                ["c-2021", "gargabazar-mosque", 44208, "Poor"],
            ]
        ),
        {
            (2, "assessed_on"): "has a time of day",
            (3, "site"): "No site has the slug “no-such-site”",
            (4, "assessed_on"): "“44208” is not a date",
        },
        3,
        id="workbook-like-a-csv-file",
    ),
]


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(("model", "name", "content", "expected", "count"), BAD_ROWS)
def test_every_bad_row_is_reported_with_its_column_and_nothing_is_written(
    admin_client, model, name, content, expected, count
):
    before = snapshot(*BAD_MODELS)

    response = preview(admin_client, model, SimpleUploadedFile(name, content))

    assert_refused(response, expected)
    assertContains(response, f'<h2 id="import-problems">{count} problem')
    assert snapshot(*BAD_MODELS) == before


def test_a_latin_1_file_is_refused_with_the_line_it_fails_on(admin_client, demo):
    before = snapshot(*BAD_MODELS)
    upload = csv_upload("slug,name,category,place\nnew,Mosquée,mosque,fuzuli\n", encoding="latin-1")

    response = preview(admin_client, Site, upload)

    assert_refused(response, {(None, ""): "line 2 holds a byte (0xE9)"})
    assertContains(response, "save it as CSV UTF-8")
    assert snapshot(*BAD_MODELS) == before


@pytest.mark.parametrize(
    ("content", "file_format", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "csv", "This is a binary file"),
        (xlsx_bytes([["slug"], ["x"]]), "csv", "choose the format XLSX"),
        (b"", "csv", "The submitted file is empty."),
        (b"\xef\xbb\xbf  \r\n", "csv", "The file is empty."),
        (b"slug,name,category,place\n\n", "csv", "column headings but no rows"),
        (b"slug,name\n", "xlsx", "This is not an XLSX workbook"),
        (b"PK\x03\x04 broken", "xlsx", "it is damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xlsx", "old Excel workbook"),
    ],
    ids=[
        "binary",
        "xlsx-as-csv",
        "empty",
        "blank",
        "headings-only",
        "csv-as-xlsx",
        "broken-zip",
        "xls",
    ],
)
def test_a_file_that_is_not_a_table_is_refused(admin_client, content, file_format, message):
    upload = SimpleUploadedFile(f"records.{file_format}", content)

    response = preview(admin_client, Site, upload, file_format)

    # An empty upload is refused by the form; the rest by the job that reads the file.
    column = "import_file" if not content else ""
    assert_refused(response, {(None, column): message})
    assert not Site.objects.exists()


def test_missing_unknown_and_repeated_columns_are_reported(admin_client, demo):
    before = snapshot(*BAD_MODELS)
    upload = csv_upload("slug,Name,category,lattitude,name\nnew,New,mosque,39.1,New\n")

    response = preview(admin_client, Site, upload)

    found = problems(response)
    assert all(row is None for row, _column, _message in found)
    text = " ".join(message for _row, _column, message in found)
    assert "The column “name” appears more than once (columns B, E)" in text
    assert "Unknown column “lattitude”" in text
    assert "Missing column: place. A file of sites needs slug, name, category, place." in text
    assert "confirm_form" not in response.context
    assert snapshot(*BAD_MODELS) == before


def test_values_past_the_last_heading_are_refused_row_by_row(admin_client):
    upload = csv_upload("slug,name,category,place\na,A,mosque,x,extra\nb,B,mosque,x\nc,C,,,,,7\n")

    response = preview(admin_client, Site, upload)

    [(_row, _column, message)] = problems(response)
    assert "Row 2 has 1 value past the last column heading (D)" in message
    assert "Row 4 has 1 value past" in message
    assert "Row 3" not in message


def test_a_semicolon_separated_file_is_read(admin_client, demo):
    upload = csv_upload("slug;name;category;place\nnew-site;New; site;mosque;fuzuli\n")

    response = preview(admin_client, Site, upload)

    assert_refused(response, {(None, ""): "Row 2 has 1 value past"})
    upload = csv_upload("slug;name;category;place\nnew-site;New, site;mosque;fuzuli\n")
    import_file(admin_client, Site, upload)
    assert Site.objects.get(slug="new-site").name == "New, site"
