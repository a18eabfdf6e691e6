"""Importing and exporting through the real admin views, as a browser would: upload a file
for a preview, confirm it, export a list; and what the tests read back from the pages."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from heritage.imports.jobs import confirm_import, preview_import
from heritage.models import ImportJob, ImportStatus, ReportedFigure, Site, SiteName
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


def job_page(client, model, job):
    return client.get(admin_url(model, "import_job", job.pk))


def run_task(task, job_id):
    """Run a queued step of an import job as a worker would (in this process)."""
    task.call(job_id)


def preview(client, model, upload, file_format=None):
    """Upload a file to the model's import page, let a worker check it, and open the job's
    page: the preview (or the problems). A refused upload form is returned as it is."""
    if file_format is None:
        file_format = "xlsx" if upload.name.endswith(".xlsx") else "csv"
    response = client.post(
        admin_url(model, "import"),
        {"resource": "0", "format": FORMAT[file_format], "import_file": upload},
    )
    if response.status_code != 302:
        return response
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == admin_url(model, "import_job", job.pk)
    run_task(preview_import, job.pk)
    return job_page(client, model, job)


def confirm(client, model, response):
    """Confirm the import previewed in ``response``, let a worker write it; the job's page."""
    job = response.context["job"]
    posted = client.post(admin_url(model, "import_confirm", job.pk))
    if posted.status_code != 302:
        return posted
    run_task(confirm_import, job.pk)
    return job_page(client, model, job)


def import_file(client, model, upload, file_format=None):
    """Preview and confirm; fails the test if the preview or the confirmation shows
    problems."""
    response = preview(client, model, upload, file_format)
    assert response.status_code == 200
    assert problems(response) == []
    response = confirm(client, model, response)
    assert response.context["job"].status == ImportStatus.DONE, problems(response)
    return response


def problems(response):
    """(row, column, message) for every problem the page reports; row None for the file."""
    found = []
    form = response.context.get("form")
    if form is not None and form.errors:
        found += [(None, field, str(e)) for field, errors in form.errors.items() for e in errors]
    outcome = response.context.get("outcome") or {}
    found += [(p["row"], p["column"], p["message"]) for p in outcome.get("problems", [])]
    job = response.context.get("job")
    if job is not None and job.message:
        found.append((None, "", job.message))
    return found


def preview_actions(response):
    return [(row["row"], ACTION_NAMES[row["action"]]) for row in response.context["preview"]]


ACTION_NAMES = {"new": "new", "update": "update", "skip": "skip"}


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
    job = response.context.get("job")
    assert job is None or job.status != ImportStatus.READY
    found = problems(response)
    assert sorted({(row, column) for row, column, _m in found}, key=str) == sorted(
        expected, key=str
    )
    for (row, column), part in expected.items():
        messages = [m for r, c, m in found if (r, c) == (row, column)]
        assert any(part in message for message in messages), (row, column, messages)
