"""Import and export of records from their admin lists, as CSV (UTF-8) or XLSX files.

:class:`ImportExportMixin` adds *Import* and *Export* to a list. Importing is two steps:
the uploaded file is previewed (every row run in a transaction that is rolled back; each row
shown as new, changed or unchanged, and every error with its row and column), and only the
confirmation writes it, all or nothing. The confirmation carries the versions of the records
the preview compared against, so a record someone changed in between stops the import
instead of being overwritten. Exporting writes the list as filtered, in the columns the
import reads.

The files are read by :mod:`heritage.imports.files`, the rows by the resources of
:mod:`heritage.imports.resources`; the preview's result and the signed versions are in
:mod:`heritage.imports.preview`.
"""

import contextlib
import os

from django import forms
from django.contrib import messages
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

from heritage.imports.files import FORMATS, ImportFileError, tmp_storage_class
from heritage.imports.preview import sign_versions, signed_versions

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
        cleaned_data["expected_versions"] = signed_versions(
            cleaned_data.get("versions"), cleaned_data.get("import_file_name")
        )
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
            initial["versions"] = sign_versions(
                os.path.basename(initial["import_file_name"]),
                getattr(request, "_import_seen_versions", {}),
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
