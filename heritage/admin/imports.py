"""Import and export of records from their admin lists, as CSV (UTF-8) or XLSX files.

:class:`ImportExportMixin` adds *Import* and *Export* to a list. Importing is two steps, each
a background job (:mod:`heritage.imports.jobs`) so that no request waits on a large file:
the upload is written to the database a piece at a time (never whole in memory) and checked
by a worker, and its job page shows the progress, then every problem with its row and
column, or the rows as new, changed or unchanged; only the confirmation writes them, all or
nothing, in one transaction. The page refreshes itself while a worker has the job; the user
may leave it and come back (the admin's list of import jobs links to it). Exporting writes
the list as filtered, in the columns the import reads.

The files are read by :mod:`heritage.imports.files`, the rows by the resources of
:mod:`heritage.imports.resources`, in batches by :mod:`heritage.imports.engine`.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export import admin as import_export_admin
from import_export.formats import base_formats
from import_export.forms import ExportForm, ImportForm

from heritage.imports.files import FORMATS
from heritage.imports.jobs import start_confirm, start_preview
from heritage.models import ImportJob, ImportStatus
from heritage.models.jobs import FINISHED

logger = logging.getLogger(__name__)

#: Seconds between two refreshes of a job page while a worker has the job.
REFRESH_SECONDS = 2

# --- Forms ---------------------------------------------------------------------------------


class RegisterImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].help_text = gettext_lazy(
            "CSV in UTF-8 or an XLSX workbook (its first sheet), with the column headings in "
            "the first row. The columns are listed above and in the README."
        )


# --- The admin -----------------------------------------------------------------------------


class ImportExportMixin(import_export_admin.ImportExportMixin):
    """Import and export from an admin list; set ``resource_classes`` to one resource."""

    import_template_name = "admin/register/import.html"
    job_template_name = "admin/register/import_job.html"
    export_template_name = "admin/register/export.html"
    import_form_class = RegisterImportForm
    export_form_class = ExportForm

    def get_import_formats(self):
        return FORMATS

    def get_export_formats(self):
        return FORMATS

    # Who may

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_context_data(self, **kwargs):
        resource = self.get_import_resource_classes(None)[0]
        return {
            "columns": resource.column_names(),
            "required_columns": resource.REQUIRED_COLUMNS,
        }

    # The pages of an import

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(self.job_view),
                name="{}_{}_import_job".format(*info),
            ),
            path(
                "import/<int:job_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="{}_{}_import_confirm".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_action(self, request, **kwargs):
        """The upload form; a valid upload becomes a job, and the browser goes to its page."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            job = ImportJob(
                model=self.model._meta.label_lower,
                user=request.user,
                file_name=upload.name[:255],
                file_format=int(form.cleaned_data["format"]),
            )
            try:
                start_preview(job, upload.chunks())
            except DatabaseError as error:
                logger.exception("The upload %s could not be stored", upload.name)
                form.add_error(
                    "import_file",
                    _(
                        "The file could not be stored (%(error)s); nothing was kept. Upload "
                        "it again, or ask an administrator if this happens again."
                    )
                    % {"error": str(error).splitlines()[0] if str(error) else type(error).__name__},
                )
            else:
                return HttpResponseRedirect(self.job_url(job))
        return self.import_page(request, form)

    def import_page(self, request, form):
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        context.update(
            {
                "title": _("Import"),
                "form": form,
                "opts": self.model._meta,
                "media": self.media + form.media,
                "jobs": self.jobs_of(request)[:10],
            }
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def job_url(self, job):
        info = self.get_model_info()
        return reverse(
            "admin:{}_{}_import_job".format(*info),
            args=[job.pk],
            current_app=self.admin_site.name,
        )

    def jobs_of(self, request):
        """The import jobs of this list that ``request.user`` may see: their own (a superuser
        sees everyone's)."""
        jobs = ImportJob.objects.filter(model=self.model._meta.label_lower)
        if not request.user.is_superuser:
            jobs = jobs.filter(user=request.user)
        return jobs.select_related("user")

    def get_job(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.jobs_of(request), pk=job_id)

    def job_view(self, request, job_id):
        """Where the job is: progress while a worker has it, then what it found or wrote."""
        job = self.get_job(request, job_id)
        job.mark_stopped()
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        running = job.status not in FINISHED and job.status != ImportStatus.READY
        context.update(
            {
                "title": _("Import of %(file)s") % {"file": job.file_name},
                "opts": self.model._meta,
                "job": job,
                "outcome": job.outcome,
                "preview": [
                    {**row, "cells": [{**c, "html": mark_safe(c["html"])} for c in row["cells"]]}
                    for row in job.outcome.get("preview", [])
                ],
                "refresh": REFRESH_SECONDS if running else None,
                "more_problems": job.outcome.get("problem_count", 0)
                - len(job.outcome.get("problems", [])),
            }
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.job_template_name], context)

    def process_import(self, request, **kwargs):
        """The library's own confirmation is replaced by :meth:`confirm_view`."""
        raise Http404(_("Confirm an import from its job page."))

    @method_decorator(require_POST)
    def confirm_view(self, request, job_id):
        """Queue the writing of a checked file."""
        job = self.get_job(request, job_id)
        if job.status != ImportStatus.READY:
            raise Http404(_("This import is not waiting for confirmation."))
        start_confirm(job)
        return HttpResponseRedirect(self.job_url(job))

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
