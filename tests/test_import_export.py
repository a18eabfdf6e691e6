"""Importing and exporting sites, assessments and reported figures through the admin.

Every import goes through the real admin views: the upload shows a preview and writes
nothing; only the confirmation writes, all or nothing. Imported records are drafts, whoever
imports them and whatever the file says about their publication. A bad file writes nothing
and reports every bad row with its row and column. An export of a list, imported again,
changes nothing.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from heritage.admin.imports import CSV, XLSX, tmp_storage_class
from heritage.base import PublicationStatus
from heritage.models import (
    Organisation,
    Place,
    ReportedFigure,
    Site,
    SiteName,
    Source,
)
from heritage.resources import SiteResource, format_name, parse_names, split_unescaped
from inspections.models import (
    Assessment,
    AssessmentCitation,
    AssessmentType,
    OverallCondition,
)
from operations.demo import FIXTURES_DIR
from tests.admin_forms import admin_url
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    ReportedFigureFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    UserFactory,
    editor,
    reviewer,
)

pytestmark = pytest.mark.django_db

FORMAT = {"csv": "0", "xlsx": "1"}
SITE_HEADER = "slug,name,category,place,names"
FIGURE_HEADER = "slug,metric,subject,value,source,period_start"
ASSESSMENT_HEADER = "slug,site,assessed_on,overall_condition,source,source_summary"


# --- Helpers -------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    user = editor(username="erin")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def reviewer_client(client):
    user = reviewer(username="rafael")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def csv_upload(text, name="records.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def cell_datetime(*parts):
    """A spreadsheet's date cell as openpyxl reads it: a datetime without a time zone."""
    return datetime.datetime(*parts)  # noqa: DTZ001


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_upload(rows, name="records.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows))


def preview(client, model, upload, file_format=None):
    """Upload a file to the model's import page: the preview (or the problems)."""
    if file_format is None:
        file_format = "xlsx" if upload.name.endswith(".xlsx") else "csv"
    return client.post(
        admin_url(model, "import"),
        {"resource": "0", "format": FORMAT[file_format], "import_file": upload},
    )


def confirm(client, model, response):
    """Confirm the import previewed in ``response``."""
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(admin_url(model, "process_import"), data)


def import_file(client, model, upload, file_format=None):
    """Preview and confirm; fails the test if the preview shows problems."""
    response = preview(client, model, upload, file_format)
    assert response.status_code == 200
    assert problems(response) == []
    return confirm(client, model, response)


def problems(response):
    """(row, column, message) for every problem the page reports; row None for the file."""
    found = []
    form = response.context.get("form")
    if form is not None and form.errors:
        found += [(None, field, str(e)) for field, errors in form.errors.items() for e in errors]
    found += [(None, "", str(error)) for error in response.context.get("confirm_errors") or []]
    result = response.context.get("result")
    if result is not None:
        found += [(p.row, p.column, str(p.message)) for p in result.problems()]
    return found


def rows_with_problems(response):
    return sorted({(row, column) for row, column, _message in problems(response)}, key=str)


def preview_actions(response):
    return [(row.row, row.action) for row in response.context["result"].preview()]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def export(client, model, file_format, query=""):
    url = admin_url(model, "export") + query
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"resource": "0", "format": FORMAT[file_format]})
    assert response.status_code == 200, response.content[:500]
    return response


def snapshot(*models):
    """Every row of ``models`` with every field, and how many history entries each has."""
    return {
        model._meta.label: (
            [
                model_to_dict(row, fields=[f.name for f in row._meta.fields])
                for row in model._base_manager.order_by("pk")
            ],
            model.history.count(),
        )
        for model in models
    }


# --- Preview, then confirm -----------------------------------------------------------------


def test_the_preview_writes_nothing_until_the_import_is_confirmed(admin_client, demo):
    before = snapshot(Site, SiteName)
    upload = csv_upload(
        f"{SITE_HEADER}\n"
        "kohne-hamam,Old bathhouse,historic_building,qargabazar,az:Köhnə hamam|ru:Старая баня\n"
    )

    response = preview(admin_client, Site, upload)

    assert response.status_code == 200
    assert problems(response) == []
    assert preview_actions(response) == [(2, "new")]
    assertContains(response, "Confirm import")
    assertContains(response, "Nothing has been written yet")
    assert snapshot(Site, SiteName) == before

    response = confirm(admin_client, Site, response)

    assert response.status_code == 302
    site = Site.objects.get(slug="kohne-hamam")
    assert site.place.slug == "qargabazar"
    assert sorted(site.names.values_list("language", "name")) == [
        ("az", "Köhnə hamam"),
        ("ru", "Старая баня"),
    ]
    assert any("1 new, 0 changed, 0 unchanged" in m for m in messages_of(response))


def test_the_importer_and_the_file_are_recorded_in_the_history(editor_client, demo):
    import_file(
        editor_client,
        Site,
        csv_upload(
            f"{SITE_HEADER}\nkohne-hamam,Old bathhouse,other,fuzuli,az:Köhnə hamam\n",
            name="survey.csv",
        ),
    )

    site = Site.objects.get(slug="kohne-hamam")
    entry = site.history.get()
    assert entry.history_user == editor_client.user
    assert entry.history_change_reason == "Imported from survey.csv"
    name = site.names.get()
    assert name.history.get().history_user == editor_client.user


def test_imported_records_are_drafts_even_when_the_file_says_published(admin_client, demo):
    upload = csv_upload(
        f"{SITE_HEADER},publication_status\nkohne-hamam,Old bathhouse,other,fuzuli,,published\n"
    )

    response = preview(admin_client, Site, upload)

    assertContains(response, "The column “publication_status” is ignored")
    confirm(admin_client, Site, response)
    site = Site.objects.get(slug="kohne-hamam")
    assert site.publication_status == PublicationStatus.DRAFT
    assert site.reviewed_by is None


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_editor_cannot_publish_through_an_import(editor_client, file_format):
    source = SourceFactory(slug="report", published=True)
    rows = [
        ["slug", "metric", "subject", "value", "source", "publication_status", "reviewed_by"],
        ["new-figure", "destroyed", "libraries", 12, "report", "published", "rafael"],
    ]
    if file_format == "csv":
        upload = csv_upload("\n".join(",".join(map(str, row)) for row in rows) + "\n")
    else:
        upload = xlsx_upload(rows)

    import_file(editor_client, ReportedFigure, upload, file_format)

    figure = ReportedFigure.objects.get(slug="new-figure")
    assert figure.publication_status == PublicationStatus.DRAFT
    assert figure.source == source
    assert not ReportedFigure.objects.public().exists()


def test_an_editor_cannot_change_a_published_record_through_an_import(editor_client):
    place = PlaceFactory(slug="fuzuli")
    SiteFactory(slug="mosque", name="Mosque", place=place, published=True)
    SiteFactory(slug="school", name="School", place=place, published=True)
    SiteFactory(slug="draft", name="Draft", place=place)
    upload = csv_upload(
        "slug,name,category,place,names\n"
        "mosque,Mosque,mosque,fuzuli,\n"  # unchanged: fine
        "draft,Draft renamed,mosque,fuzuli,\n"
        "school,School renamed,mosque,fuzuli,\n"
        "mosque,Mosque,mosque,fuzuli,az:Məscid\n"  # a new name of a published site
    )

    response = preview(editor_client, Site, upload)

    found = problems(response)
    assert [(row, column) for row, column, _message in found] == [(4, ""), (5, ""), (5, "slug")]
    assert "only reviewers change published records" in found[0][2]
    assert "confirm_form" not in response.context
    assert Site.objects.get(slug="school").name == "School"
    assert Site.objects.get(slug="draft").name == "Draft"
    assert not SiteName.objects.exists()


def test_a_reviewer_changes_a_published_record_and_it_stays_published(reviewer_client):
    place = PlaceFactory(slug="fuzuli")
    SiteFactory(slug="mosque", name="Mosque", place=place, published=True)

    import_file(
        reviewer_client,
        Site,
        csv_upload("slug,name,category,place\nmosque,Old mosque,mosque,fuzuli\n"),
    )

    site = Site.objects.get(slug="mosque")
    assert site.name == "Old mosque"
    assert site.publication_status == PublicationStatus.PUBLISHED
    assert site.version == 2


# --- Export, then import: nothing changes --------------------------------------------------


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
    assert response.status_code == 302
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


# --- Natural keys --------------------------------------------------------------------------


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
        assert confirm(editor_client, model, response).status_code == 302

    site = Site.objects.get(slug="sample-village-mosque")
    assert site.publication_status == PublicationStatus.DRAFT
    assert site.names.count() == 3
    assert Assessment.objects.get(slug="sample-village-mosque-2021-01").site == site


# --- Bad files: nothing written, every bad row reported ------------------------------------

BAD_MODELS = (Site, SiteName, Assessment, AssessmentCitation, ReportedFigure)


def assert_refused(response, expected):
    """The page shows exactly ``expected`` problems {(row, column): message part}, offers no
    confirmation, and the database is as it was."""
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    found = problems(response)
    assert sorted({(row, column) for row, column, _m in found}, key=str) == sorted(
        expected, key=str
    )
    for (row, column), part in expected.items():
        messages = [m for r, c, m in found if (r, c) == (row, column)]
        assert any(part in message for message in messages), (row, column, messages)


def test_unknown_terms_are_reported_on_every_row_and_column(admin_client, demo):
    before = snapshot(*BAD_MODELS)
    upload = csv_upload(
        "slug,site,assessed_on,overall_condition,damage_extent,assessment_type\n"
        "a-2021,gargabazar-mosque,2021-01-12,Destroyd,,\n"
        "b-2021,gargabazar-mosque,2021-01-12,Poor,1-10%,Field-based Assessment\n"
        "c-2021,gargabazar-mosque,2021-01-12,Poor,half,Satellite\n"
    )

    response = preview(admin_client, Assessment, upload)

    assert_refused(
        response,
        {
            (2, "overall_condition"): "“Destroyd” is not in the list of overall conditions",
            (4, "damage_extent"): "Use one of: No Visible/Known, 1-10%",
            (4, "assessment_type"): "“Satellite” is not in the list of assessment types",
        },
    )
    assertContains(response, "3 problems: nothing can be imported")
    assert snapshot(*BAD_MODELS) == before


def test_bad_dates_and_numbers_are_reported_with_their_row_and_column(admin_client, demo):
    before = snapshot(*BAD_MODELS)
    upload = csv_upload(
        f"{FIGURE_HEADER}\n"
        "f-1,destroyed,libraries,12,azernews-2021-01-15-icesco-partnership,12/01/2021\n"
        "f-2,destroyed,libraries,1 200,azernews-2021-01-15-icesco-partnership,2021-02-30\n"
        "f-3,destroyed,libraries,-4,azernews-2021-01-15-icesco-partnership,2021-02-03\n"
    )

    response = preview(admin_client, ReportedFigure, upload)

    assert_refused(
        response,
        {
            (2, "period_start"): "write dates as YYYY-MM-DD",
            (3, "period_start"): "not a date that exists",
            (3, "value"): "no thousands separators",
            (4, "value"): "cannot be negative",
        },
    )
    assert snapshot(*BAD_MODELS) == before


def test_a_missing_or_unknown_source_is_an_error_not_a_blank(admin_client, demo):
    before = snapshot(*BAD_MODELS)
    upload = csv_upload(
        f"{FIGURE_HEADER}\n"
        "f-1,destroyed,libraries,12,,\n"
        "f-2,destroyed,libraries,12,no-such-source,\n"
        "f-3,destroyed,libraries,12,azernews-2021-01-15-icesco-partnership,\n"
    )

    response = preview(admin_client, ReportedFigure, upload)

    assert_refused(
        response,
        {
            (2, "source"): "Give the slug of the source",
            (3, "source"): "No source has the slug “no-such-source”",
        },
    )
    assert snapshot(*BAD_MODELS) == before


def test_every_error_of_a_row_is_reported_at_once(admin_client, demo):
    upload = csv_upload(
        "slug,name,category,place,latitude,longitude,year_from,year_to,names\n"
        "bad,Bad,church-ish,nowhere,91,,1900,1800.5,Qarğabazar|xx:\n"
    )

    response = preview(admin_client, Site, upload)

    assert_refused(
        response,
        {
            (2, "category"): "“church-ish” is not one of: mosque, caravanserai",
            (2, "place"): "No place has the slug “nowhere”",
            (2, "latitude"): "Latitude must be between -90 and 90",
            (2, "longitude"): "Give the longitude too",
            (2, "year_to"): "not a whole number",
            (2, "names"): "“Qarğabazar” has no language",
        },
    )
    assert not Site.objects.filter(slug="bad").exists()


def test_a_duplicate_row_is_reported(admin_client, demo):
    before = snapshot(*BAD_MODELS)
    upload = csv_upload(
        "slug,name,category,place\n"
        "new-site,New site,mosque,fuzuli\n"
        "other-site,Other site,mosque,fuzuli\n"
        "new-site,New site,mosque,fuzuli\n"
    )

    response = preview(admin_client, Site, upload)

    assert_refused(response, {(4, "slug"): "Row 2 already gives this site"})
    assert snapshot(*BAD_MODELS) == before


def test_rows_of_one_assessment_must_agree_and_cite_a_source_once(admin_client, demo):
    upload = csv_upload(
        f"{ASSESSMENT_HEADER}\n"
        "x-2021,gargabazar-mosque,2021-01-12,Poor,azernews-2021-01-15-icesco-partnership,A.\n"
        "x-2021,gargabazar-mosque,2021-01-12,Destroyed,trend-2021-01-icesco-fuzuli-visit,B.\n"
        "x-2021,gargabazar-mosque,2021-01-12,Poor,azernews-2021-01-15-icesco-partnership,C.\n"
        "y-2021,gargabazar-mosque,2021-01-12,Poor,,Summary without a source.\n"
    )

    response = preview(admin_client, Assessment, upload)

    assert_refused(
        response,
        {
            (3, "overall_condition"): "Row 2 gives the same assessment with “Poor” here",
            (4, "source"): "Row 2 already gives this citation",
            (5, "source"): "Give the slug of the source these citation columns are about",
        },
    )
    assert not Assessment.objects.filter(slug__in=["x-2021", "y-2021"]).exists()


def test_a_latin_1_file_is_refused_with_the_line_it_fails_on(admin_client, demo):
    before = snapshot(*BAD_MODELS)
    upload = csv_upload("slug,name,category,place\nnew,Mosquée,mosque,fuzuli\n", encoding="latin-1")

    response = preview(admin_client, Site, upload)

    assert_refused(response, {(None, "import_file"): "line 2 holds a byte (0xE9)"})
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

    assert_refused(response, {(None, "import_file"): message})
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


def test_a_workbook_with_bad_rows_is_reported_like_a_csv_file(admin_client, demo):
    upload = xlsx_upload(
        [
            ["slug", "site", "assessed_on", "overall_condition"],
            ["a-2021", "gargabazar-mosque", cell_datetime(2021, 1, 12, 15, 30), "Poor"],
            ["b-2021", "no-such-site", cell_datetime(2021, 1, 12), "Poor"],
            ["c-2021", "gargabazar-mosque", 44208, "Poor"],
        ]
    )

    response = preview(admin_client, Assessment, upload)

    assert_refused(
        response,
        {
            (2, "assessed_on"): "has a time of day",
            (3, "site"): "No site has the slug “no-such-site”",
            (4, "assessed_on"): "“44208” is not a date",
        },
    )


def test_a_semicolon_separated_file_is_read(admin_client, demo):
    upload = csv_upload("slug;name;category;place\nnew-site;New; site;mosque;fuzuli\n")

    response = preview(admin_client, Site, upload)

    assert_refused(response, {(None, "import_file"): "Row 2 has 1 value past"})
    upload = csv_upload("slug;name;category;place\nnew-site;New, site;mosque;fuzuli\n")
    import_file(admin_client, Site, upload)
    assert Site.objects.get(slug="new-site").name == "New, site"


# --- Between the preview and the confirmation ----------------------------------------------


def test_a_record_changed_after_the_preview_stops_the_whole_import(admin_client):
    place = PlaceFactory(slug="fuzuli")
    site = SiteFactory(slug="mosque", name="Mosque", place=place)
    upload = csv_upload(
        "slug,name,category,place\n"
        "new-site,New site,mosque,fuzuli\n"
        "mosque,Mosque (renamed),mosque,fuzuli\n"
    )
    response = preview(admin_client, Site, upload)
    assert preview_actions(response) == [(2, "new"), (3, "update")]
    site.description = "Someone else's change"
    site.save()

    response = confirm(admin_client, Site, response)

    assert response.status_code == 200
    assertContains(response, "Nothing was imported.")
    found = problems(response)
    assert [(row, column) for row, column, _m in found] == [(3, "")]
    assert "was changed by someone else after the preview (version 1 then, 2 now)" in found[0][2]
    site.refresh_from_db()
    assert (site.name, site.description) == ("Mosque", "Someone else's change")
    assert not Site.objects.filter(slug="new-site").exists()


def test_a_record_added_after_the_preview_stops_the_import(admin_client):
    place = PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    SiteFactory(slug="new-site", name="Someone else's", place=place)

    response = confirm(admin_client, Site, response)

    assert "was added by someone else after the preview" in problems(response)[0][2]
    assert Site.objects.get(slug="new-site").name == "Someone else's"


def test_a_tampered_confirmation_is_refused(admin_client):
    PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["versions"] = data["versions"][:-2] + "xx"

    response = admin_client.post(admin_url(Site, "process_import"), data)

    assert problems(response) == [
        (None, "", "This confirmation cannot be checked. Upload the file again.")
    ]
    assert not Site.objects.exists()


@pytest.mark.parametrize("field", ["versions", "format", "import_file_name"])
def test_a_confirmation_with_a_missing_or_unknown_value_writes_nothing(admin_client, field):
    PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}

    for value in ["", "7"]:
        response = admin_client.post(admin_url(Site, "process_import"), {**data, field: value})
        assert response.status_code == 200
        assertContains(response, "Nothing was imported.")
    assert not Site.objects.exists()


def test_a_confirmation_whose_file_is_gone_asks_for_the_file_again(admin_client):
    PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    storage = tmp_storage_class()(name=response.context["confirm_form"].initial["import_file_name"])
    storage.remove()

    response = confirm(admin_client, Site, response)

    assert "The uploaded file is no longer here" in problems(response)[0][2]
    assert not Site.objects.exists()


def test_the_file_waits_in_the_shared_cache_when_there_is_one(settings):
    assert tmp_storage_class().__name__ == "TempFolderStorage"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379",
        }
    }
    assert tmp_storage_class().__name__ == "CacheStorage"


# --- Who may -------------------------------------------------------------------------------


def test_importing_needs_the_add_and_change_permissions_and_exporting_the_view_one(client):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_site"))
    client.force_login(user)

    assert client.get(admin_url(Site, "import")).status_code == 403
    assert client.get(admin_url(Site, "export")).status_code == 200
    assert client.get(admin_url(ReportedFigure, "export")).status_code == 403
    changelist = client.get(admin_url(Site, "changelist"))
    assertContains(changelist, admin_url(Site, "export"))
    assertNotContains(changelist, admin_url(Site, "import"))


def test_the_lists_of_sites_assessments_and_figures_offer_import_and_export(editor_client):
    for model in (Site, Assessment, ReportedFigure):
        response = editor_client.get(admin_url(model, "changelist") + "?q=x")
        assertContains(response, admin_url(model, "import"))
        assertContains(response, admin_url(model, "export") + "?q=x")


def test_a_save_that_finds_the_record_changed_meanwhile_stops_the_import(monkeypatch):
    """Between reading a record and saving it, someone else saves it: the import's save is
    refused by the record's version (StaleRecordError), reported on its row, and the
    transaction is rolled back."""
    place = PlaceFactory(slug="fuzuli")
    SiteFactory(slug="mosque", name="Mosque", place=place)
    original = SiteResource.before_save_instance

    def someone_else_saves_first(self, instance, row, **kwargs):
        if instance.pk is not None:
            Site.objects.filter(pk=instance.pk).update(version=F("version") + 1, name="Theirs")
        original(self, instance, row, **kwargs)

    monkeypatch.setattr(SiteResource, "before_save_instance", someone_else_saves_first)
    dataset = CSV().create_dataset(
        b"slug,name,category,place\nnew-site,New,mosque,fuzuli\nmosque,Mine,mosque,fuzuli\n"
    )

    result = SiteResource(user=UserFactory(is_superuser=True)).import_data(dataset)

    [problem] = result.problems()
    assert problem.row == 3
    assert "was changed by someone else after this copy was read" in str(problem.message)
    assert not Site.objects.filter(slug="new-site").exists()


def test_an_editor_cannot_cite_a_source_in_a_published_assessment(editor_client):
    assessment = AssessmentFactory(slug="mosque-2024", published=True)
    AssessmentCitationFactory(
        assessment=assessment, source__slug="one", source__published=True, summary="Poor."
    )
    SourceFactory(slug="two", published=True)
    site, date = assessment.site.slug, assessment.assessed_on.isoformat()
    upload = csv_upload(
        f"slug,site,assessed_on,overall_condition,source,source_summary\n"
        f"mosque-2024,{site},{date},Poor,one,Poor.\n"
        f"mosque-2024,{site},{date},Poor,two,Also poor.\n"
    )

    response = preview(editor_client, Assessment, upload)

    assert_refused(response, {(3, ""): "only reviewers change published records"})
    assert assessment.citations.count() == 1
