"""Import and export of records from their admin lists, as CSV (UTF-8) or XLSX files.

:class:`ImportExportMixin` adds *Import* and *Export* to a list. Importing is two steps:
the uploaded file is previewed (every row run in a transaction that is rolled back; each row
shown as new, changed or unchanged, and every error with its row and column), and only the
confirmation writes it, all or nothing. The confirmation carries the versions of the records
the preview compared against, so a record someone changed in between stops the import
instead of being overwritten. Exporting writes the list as filtered, in the columns the
import reads.

The files are read here (:class:`CSV`, :class:`XLSX`), strictly: a file that is not UTF-8
text, not a workbook, empty, or whose rows do not fit its headings is refused with a message
that says what to do.
"""

import contextlib
import csv
import io
import os
import zipfile

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from import_export import admin as import_export_admin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import RowResult
from import_export.signals import post_import
from import_export.tmp_storages import CacheStorage, TempFolderStorage

from heritage.imports.resources import ImportFileError, column_letter, is_blank, sheet_row

#: What the confirmation's signed data is signed for.
CONFIRM_SALT = "heritage.admin.imports.confirm"
#: Byte signatures of files that are not CSV text.
ZIP_START = b"PK\x03\x04"
OLE_START = b"\xd0\xcf\x11\xe0"


# --- Reading files -------------------------------------------------------------------------


def table(headers, rows):
    """A dataset from a file's first row (headings) and the rows below it.

    Trailing empty rows and empty columns without a heading are dropped; a short row is
    padded. A row with values beyond the last heading, a heading missing above values, or a
    file without rows is refused.
    """
    headers = ["" if header is None else str(header).strip() for header in headers]
    while rows and all(is_blank(value) for value in rows[-1]):
        rows.pop()
    if not any(headers):
        raise ImportFileError(_("The first row must hold the column headings; it is empty."))
    if not rows:
        raise ImportFileError(_("The file has column headings but no rows to import."))
    width = len(headers)
    problems = []
    for number, row in enumerate(rows, 1):
        extra = [value for value in row[width:] if not is_blank(value)]
        if extra:
            problems.append(
                ngettext(
                    "Row %(row)d has %(count)d value past the last column heading (%(last)s).",
                    "Row %(row)d has %(count)d values past the last column heading (%(last)s).",
                    len(extra),
                )
                % {"row": sheet_row(number), "count": len(extra), "last": column_letter(width)}
            )
    unnamed = [position for position, header in enumerate(headers) if not header]
    for position in unnamed:
        if any(position < len(row) and not is_blank(row[position]) for row in rows):
            problems.append(
                _("Column %(column)s has values but no heading.")
                % {"column": column_letter(position + 1)}
            )
    if problems:
        raise ImportFileError(" ".join(problems))
    keep = [position for position in range(width) if headers[position]]
    dataset = tablib.Dataset(headers=[headers[position] for position in keep])
    for row in rows:
        row = list(row[:width]) + [""] * (width - len(row))
        dataset.append([row[position] for position in keep])
    return dataset


class CSV(base_formats.CSV):
    """CSV in UTF-8 (a byte-order mark is allowed), separated by commas or semicolons.

    The bytes are decoded here rather than by the library, so that a file in another
    encoding is refused with a message naming the line, never read as garbled text.
    """

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode() if isinstance(in_stream, str) else bytes(in_stream or b"")
        if not data.strip():
            raise ImportFileError(_("The file is empty."))
        if data.startswith(ZIP_START):
            raise ImportFileError(
                _(
                    "This is a zip archive (perhaps an XLSX workbook), not CSV text: choose "
                    "the format XLSX, or save the sheet as CSV UTF-8."
                )
            )
        if b"\x00" in data:
            raise ImportFileError(
                _(
                    "This is a binary file (or UTF-16 text), not CSV text in UTF-8. In a "
                    "spreadsheet, save it as CSV UTF-8 and upload that file."
                )
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise ImportFileError(
                _(
                    "The file is not UTF-8 text: line %(line)d holds a byte (0x%(byte)02X) "
                    "that UTF-8 cannot read, as in a file saved as Latin-1 or Windows-1252. "
                    "In a spreadsheet, save it as CSV UTF-8 and upload that file."
                )
                % {"line": line, "byte": data[error.start]}
            ) from None
        if not text.strip():
            raise ImportFileError(_("The file is empty."))
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error:
            raise ImportFileError(
                _("The file cannot be read as CSV: %(error)s.") % {"error": error}
            ) from None
        if not rows:
            raise ImportFileError(_("The file is empty."))
        return table(rows[0], rows[1:])

    def export_data(self, dataset, **kwargs):
        # With a byte-order mark, spreadsheets open the file as UTF-8.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSX(base_formats.XLSX):
    """An Excel workbook (.xlsx); the first sheet is read, formulas as their values."""

    def create_dataset(self, in_stream):
        import openpyxl

        data = bytes(in_stream or b"")
        if not data.strip():
            raise ImportFileError(_("The file is empty."))
        if data.startswith(OLE_START):
            raise ImportFileError(
                _("This is an old Excel workbook (.xls): save it as .xlsx or as CSV UTF-8.")
            )
        if not data.startswith(ZIP_START):
            raise ImportFileError(
                _("This is not an XLSX workbook; for a CSV file, choose the format CSV.")
            )
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
            finally:
                book.close()
        except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError):
            raise ImportFileError(
                _("The workbook cannot be read: it is damaged, or not an XLSX workbook.")
            ) from None
        if not rows:
            raise ImportFileError(_("The first sheet of the workbook is empty."))
        return table(rows[0], rows[1:])


FORMATS = [CSV, XLSX]


def tmp_storage_class():
    """Where an uploaded file waits between the preview and the confirmation.

    In the cache when it is shared by every app server (Redis in production), otherwise in
    this machine's temporary folder, which all its worker processes see.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(LocMemCache.__name__) or "dummy" in backend.lower():
        return TempFolderStorage
    return CacheStorage


# --- Forms ---------------------------------------------------------------------------------


class RegisterImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].help_text = gettext_lazy(
            "CSV in UTF-8 or an XLSX workbook (its first sheet), with the column headings in "
            "the first row. The columns are listed above and in the README."
        )


class RegisterConfirmForm(ConfirmImportForm):
    """The confirmation, with the record versions the preview saw, signed."""

    versions = forms.CharField(widget=forms.HiddenInput())

    def clean_format(self):
        value = self.cleaned_data["format"]
        if value not in {str(position) for position in range(len(FORMATS))}:
            raise forms.ValidationError(_("Unknown file format. Upload the file again."))
        return value

    def clean(self):
        cleaned_data = super().clean()
        try:
            payload = signing.loads(cleaned_data.get("versions") or "", salt=CONFIRM_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This confirmation cannot be checked. Upload the file again.")
            ) from None
        if payload.get("file") != cleaned_data.get("import_file_name"):
            raise forms.ValidationError(
                _("This confirmation is for another file. Upload the file again.")
            )
        cleaned_data["expected_versions"] = payload.get("versions") or {}
        return cleaned_data


# --- The admin -----------------------------------------------------------------------------


class ImportExportMixin(import_export_admin.ImportExportMixin):
    """Import and export from an admin list; set ``resource_classes`` to one resource."""

    import_template_name = "admin/register/import.html"
    export_template_name = "admin/register/export.html"
    import_form_class = RegisterImportForm
    confirm_form_class = RegisterConfirmForm
    export_form_class = ExportForm

    def get_import_formats(self):
        return FORMATS

    def get_export_formats(self):
        return FORMATS

    def get_tmp_storage_class(self):
        return tmp_storage_class()

    # Who may

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    # The resource knows who imports and which versions the preview saw

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        expected = None
        if isinstance(form, RegisterConfirmForm) and form.is_valid():
            expected = form.cleaned_data["expected_versions"]
        request._import_seen_versions = {}
        return {
            "user": request.user,
            "expected_versions": expected,
            "seen_versions": request._import_seen_versions,
        }

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["versions"] = signing.dumps(
                {
                    "file": os.path.basename(initial["import_file_name"]),
                    "versions": getattr(request, "_import_seen_versions", {}),
                },
                salt=CONFIRM_SALT,
            )
        return initial

    def get_import_context_data(self, **kwargs):
        resource = self.get_import_resource_classes(None)[0]
        return {
            "columns": resource.column_names(),
            "required_columns": resource.REQUIRED_COLUMNS,
        }

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    # The confirmation

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Import the previewed file for good, or show why nothing was imported."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return self.import_failed(request, errors=self.form_errors(confirm_form))
        input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
        tmp_storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            encoding=None,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            data = tmp_storage.read()
        except OSError:
            data = None
        if data is None:
            return self.import_failed(
                request,
                errors=[
                    _(
                        "The uploaded file is no longer here (a preview is kept for a day at "
                        "most). Upload it again."
                    )
                ],
            )
        try:
            dataset = input_format.create_dataset(data)
            result = self.process_dataset(dataset, confirm_form, request, **kwargs)
        except ImportFileError as error:
            return self.import_failed(request, errors=[str(error)])
        finally:
            with contextlib.suppress(OSError):
                tmp_storage.remove()
        if result.has_errors() or result.has_validation_errors():
            return self.import_failed(request, result=result)
        return self.process_result(result, request)

    def form_errors(self, form):
        return [message for errors in form.errors.values() for message in errors]

    def import_failed(self, request, *, errors=(), result=None):
        """The import page, with why nothing was imported and a form to upload again."""
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        form = self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )
        context.update(
            {
                "title": _("Import"),
                "form": form,
                "opts": self.model._meta,
                "media": self.media + form.media,
                "result": result,
                "failed": True,
                "confirm_errors": list(errors),
            }
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def process_result(self, result, request):
        self.generate_log_entries(result, request)
        self.add_success_message(result, request)
        post_import.send(sender=None, model=self.model)
        return HttpResponseRedirect(
            reverse(
                "admin:{}_{}_changelist".format(*self.get_model_info()),
                current_app=self.admin_site.name,
            )
        )

    def add_success_message(self, result, request):
        opts = self.model._meta
        totals = result.totals
        new, changed = totals[RowResult.IMPORT_TYPE_NEW], totals[RowResult.IMPORT_TYPE_UPDATE]
        unchanged = totals[RowResult.IMPORT_TYPE_SKIP]
        summary = _(
            "Imported %(model)s: %(new)d new, %(changed)d changed, %(unchanged)d unchanged."
        ) % {
            "model": opts.verbose_name_plural,
            "new": new,
            "changed": changed,
            "unchanged": unchanged,
        }
        if new:
            summary += " " + ngettext(
                "The new record is a draft: submit it for review when it is ready.",
                "The new records are drafts: submit them for review when they are ready.",
                new,
            )
        messages.success(request, summary)

    # Export

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """The file: dates and numbers as such in a workbook, as text in CSV."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request,
            queryset,
            force_native_type=isinstance(file_format, base_formats.XLSX),
            **kwargs,
        )
        return file_format.export_data(data)

    def init_request_context_data(self, request, form):
        context = super().init_request_context_data(request, form)
        context["export_count"] = self.get_export_queryset(request).count()
        context["filtered"] = any(key not in {"o", "p"} for key in request.GET)
        return context

    def get_export_filename(self, request, queryset, file_format):
        name = str(self.model._meta.verbose_name_plural).replace(" ", "-")
        return f"{name}-{now():%Y-%m-%d}.{file_format.get_extension()}"
