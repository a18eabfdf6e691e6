"""Importing and exporting through the real admin views, as a browser would: upload a file
for a preview, confirm it, export a list; and what the tests read back from the pages."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from heritage.models import ReportedFigure, Site, SiteName
from inspections.models import Assessment, AssessmentCitation
from tests.admin_forms import admin_url

FORMAT = {"csv": "0", "xlsx": "1"}
SITE_HEADER = "slug,name,category,place,names"
FIGURE_HEADER = "slug,metric,subject,value,source,period_start"
ASSESSMENT_HEADER = "slug,site,assessed_on,overall_condition,source,source_summary"


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


def confirmation_data(response):
    """The data the confirmation form of the preview in ``response`` posts."""
    form = response.context["confirm_form"]
    return {name: form.initial.get(name, "") for name in form.fields}


def confirm(client, model, response):
    """Confirm the import previewed in ``response``."""
    return client.post(admin_url(model, "process_import"), confirmation_data(response))


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


def preview_actions(response):
    return [(row.row, row.action) for row in response.context["result"].preview()]


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


#: The models an import writes to: a refused file leaves every row of them as it was.
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
