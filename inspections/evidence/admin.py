"""Staff pages for evidence: uploading photos and documents, checking them, reviewing them.

An item is uploaded on its own page, reached from the site, assessment or visit it belongs
to (the link there fills in the subject). The file is checked before anything is stored
(:func:`inspections.evidence.checks.inspect`); a file already in the register is refused with a
link to the item that holds it. After the save the editor sees what the file said about
itself, and a warning when its GPS position lies far from the site. The pages of sites,
sources, visits and assessments list their evidence (:class:`EvidenceListMixin`).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heritage.admin import SiteAdmin, SourceAdmin
from heritage.admin.base import RegisterAdmin, RegisterForm, TabularInline
from heritage.models import Site, Source
from inspections import tasks
from inspections.evidence import checks, storage
from inspections.models import Evidence, EvidenceKind, EvidenceTranslation


def evidence_file_url(item, rendition):
    return reverse("evidence-file", args=[item.pk, rendition])


def admin_thumbnail(item):
    """A small preview of a photo for staff pages (served by the evidence view)."""
    if item is None or item.pk is None or not item.is_photo:
        return ""
    if not item.thumbnail:
        # A large photo's renditions are made by the worker (inspections.tasks).
        return format_html(
            '<span class="evidence-preparing">{}</span>',
            _("The preview is being prepared; reload the page in a moment."),
        )
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" class="evidence-preview" loading="lazy">',
        evidence_file_url(item, "thumbnail"),
        item.thumbnail_width or "",
        item.thumbnail_height or "",
    )


class EvidenceForm(RegisterForm):
    """Adds the file field on a new item; an item's file is never replaced afterwards."""

    upload = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy(
            "A photo (JPEG, PNG, WebP or TIFF) or a document (PDF). It is stored as it is, "
            "never changed; the public sees copies without location data."
        ),
    )

    class Meta:
        model = Evidence
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.facts = None
        if self.instance.pk is not None:
            self.fields.pop("upload", None)
        else:
            self.fields["upload"].required = True
            self.fields["upload"].widget.attrs["accept"] = (
                "image/jpeg,image/png,image/webp,image/tiff,application/pdf"
            )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return upload
        facts = checks.inspect(upload)
        duplicate = storage.existing_evidence(facts.sha256)
        if duplicate is not None:
            url = reverse("admin:inspections_evidence_change", args=[quote(duplicate.pk)])
            raise ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("This file is already in the register:"),
                    url,
                    str(duplicate),
                ),
                code="duplicate",
            )
        self.facts = facts
        return upload

    def _post_clean(self):
        # The model's checks need the file's kind (a photo needs alt text to be published).
        if self.facts is not None:
            self.instance.kind = (
                EvidenceKind.PHOTO if self.facts.is_image else EvidenceKind.DOCUMENT
            )
        super()._post_clean()


class EvidenceTranslationInline(TabularInline):
    model = EvidenceTranslation
    fields = ("language", "caption", "alt_text")


@admin.register(Evidence)
class EvidenceAdmin(RegisterAdmin):
    form = EvidenceForm

    class Media:
        css = {"all": ("inspections/evidence-admin.css",)}

    list_display = (
        "preview",
        "__str__",
        "kind",
        "licence",
        "captured_on",
        "uploaded_by",
        "publication_status",
    )
    list_display_links = ("__str__",)
    list_filter = ("publication_status", "kind", "licence", "format")
    list_select_related = ("site", "assessment__site", "visit", "source", "uploaded_by")
    search_fields = ("caption", "alt_text", "credit", "sha256", "original_name", "site__name")
    ordering = ("-uploaded_at", "-id")
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ("site", "assessment", "visit", "source")
    inlines = (EvidenceTranslationInline,)
    readonly_fields = (
        "preview",
        "file_details",
        "camera_details",
        "location_check",
        "uploaded_by",
        "uploaded_at",
    )

    #: The form's groups, in order; the review fields come after them.
    GROUPS = (
        (
            gettext_lazy("Attached to"),
            ("site", "assessment", "visit", "source"),
            gettext_lazy(
                "One of the four: the site, the assessment, the visit, or the source (for an "
                "archived copy of it)."
            ),
        ),
        (gettext_lazy("File"), ("upload", "preview", "file_details"), None),
        (
            gettext_lazy("Description"),
            ("language", "caption", "alt_text", "credit", "licence", "captured_on", "position"),
            None,
        ),
        (
            gettext_lazy("What the file says about itself"),
            ("camera_details", "location_check", "uploaded_by", "uploaded_at"),
            gettext_lazy(
                "Read from the file's EXIF data when it was uploaded. Staff only: the GPS "
                "position is never shown to the public."
            ),
        ),
    )

    #: Read-only details that exist only once the file has been stored.
    SAVED_ONLY = {"preview", "file_details", "camera_details", "location_check", "uploaded_by"}

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "upload"]
        if obj is None:
            return ["upload", *(name for name in fields if name not in self.SAVED_ONLY)]
        return fields

    def get_fieldsets(self, request, obj=None):
        """The form in groups (see ``GROUPS``), then the review fields."""
        fieldsets = super().get_fieldsets(request, obj)
        shown = set(fieldsets[0][1]["fields"])
        groups = []
        for title, names, description in self.GROUPS:
            present = [name for name in names if name in shown]
            if present:
                options = {"fields": present}
                if description:
                    options["description"] = description
                groups.append((title, options))
        return [*groups, *fieldsets[1:]]

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, obj):
        return admin_thumbnail(obj)

    @admin.display(description=gettext_lazy("file"))
    def file_details(self, obj):
        if obj is None or obj.pk is None:
            return ""
        rows = [
            (_("SHA-256"), obj.sha256),
            (_("Format"), obj.get_format_display()),
            (_("Size"), f"{filesizeformat(obj.size)} ({obj.size} B)"),
        ]
        if obj.width:
            rows.append((_("Pixels"), f"{obj.width} × {obj.height}"))
        if obj.original_name:
            rows.append((_("Uploaded as"), obj.original_name))
        details = format_html_join("", "<div><strong>{}</strong>: {}</div>", rows)
        link = format_html(
            '<div><a href="{}">{}</a></div>',
            evidence_file_url(obj, "original"),
            _("Download the original"),
        )
        return details + link

    @admin.display(description=gettext_lazy("camera"))
    def camera_details(self, obj):
        if obj is None or obj.pk is None:
            return ""
        rows = [
            (_("Capture time (camera clock)"), obj.camera_time or _("not recorded")),
            (_("Camera"), obj.camera or _("not recorded")),
            (_("EXIF orientation"), obj.orientation or _("not recorded")),
        ]
        if obj.gps_latitude is not None:
            rows.append((_("GPS position"), f"{obj.gps_latitude}, {obj.gps_longitude}"))
        else:
            rows.append((_("GPS position"), _("not recorded")))
        return format_html_join("", "<div><strong>{}</strong>: {}</div>", rows)

    @admin.display(description=gettext_lazy("location check"))
    def location_check(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return location_warning(obj) or _("No conflict between the GPS position and the site.")

    def save_model(self, request, obj, form, change):
        if not change and form.facts is not None:
            storage.evidence_store_original(
                evidence=obj,
                upload=form.cleaned_data["upload"],
                facts=form.facts,
                user=request.user,
            )
        super().save_model(request, obj, form, change)
        if not change and tasks.renders_in_background(obj):
            tasks.queue_renditions(obj)
            self.message_user(
                request,
                _(
                    "The photo is large: its preview and public copies are being made in "
                    "the background and appear on its page when they are ready."
                ),
                messages.INFO,
            )
        elif not change:
            storage.evidence_render(evidence=obj)
        warning = location_warning(obj)
        if warning:
            self.message_user(request, warning, messages.WARNING)


def location_warning(item):
    """A warning when the photo's GPS position is far from its site's coordinates, or ""."""
    distance = item.gps_distance_km()
    if distance is None or distance <= settings.EVIDENCE_GPS_WARNING_KM:
        return ""
    return _(
        "The photo's GPS position is %(distance)s km from the site's coordinates (more than "
        "%(limit)s km). Check that it shows this site, or that the site's location is right."
    ) % {"distance": f"{distance:.1f}", "limit": settings.EVIDENCE_GPS_WARNING_KM}


class EvidenceListMixin:
    """Lists a record's evidence on its admin page, with a link to add more.

    ``evidence_subject`` names the field of :class:`Evidence` that points at the record.
    """

    evidence_subject = None

    class Media:
        css = {"all": ("inspections/evidence-admin.css",)}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and "evidence_items" not in fields:
            fields.append("evidence_items")
        return fields

    @admin.display(description=gettext_lazy("evidence"))
    def evidence_items(self, obj):
        if obj is None or obj.pk is None:
            return ""
        items = Evidence.objects.filter(**{self.evidence_subject: obj}).order_by("position", "id")
        rows = format_html_join(
            "",
            '<li>{} <a href="{}">{}</a> ({}, {})</li>',
            (
                (
                    admin_thumbnail(item),
                    reverse("admin:inspections_evidence_change", args=[quote(item.pk)]),
                    str(item),
                    item.get_kind_display(),
                    item.get_publication_status_display(),
                )
                for item in items
            ),
        )
        add = format_html(
            '<a class="addlink" href="{}?{}={}">{}</a>',
            reverse("admin:inspections_evidence_add"),
            self.evidence_subject,
            obj.pk,
            _("Add a photo or document"),
        )
        if not rows:
            return format_html("<p>{}</p><p>{}</p>", _("No evidence attached yet."), add)
        return format_html('<ul class="evidence-list">{}</ul><p>{}</p>', rows, add)


@admin.register(EvidenceTranslation)
class EvidenceTranslationAdmin(RegisterAdmin):
    list_display = ("evidence", "language", "caption")
    list_filter = ("language",)
    list_select_related = (
        "evidence__site",
        "evidence__assessment__site",
        "evidence__visit",
        "evidence__source",
    )
    search_fields = ("caption", "alt_text", "evidence__caption", "evidence__sha256")
    ordering = ("evidence", "language")
    autocomplete_fields = ("evidence",)


# The evidence lists on the pages of sites and sources. heritage's admin cannot add them
# itself: imports go from inspections to heritage and never back (heritage's admin importing
# this module made an import cycle, which failed whenever this module was imported first).
# So heritage's Site and Source pages are registered again here, as subclasses that add the
# list; the pages are otherwise the same.
admin.site.unregister(Site)
admin.site.unregister(Source)


@admin.register(Site)
class SiteWithEvidenceAdmin(EvidenceListMixin, SiteAdmin):
    evidence_subject = "site"


@admin.register(Source)
class SourceWithEvidenceAdmin(EvidenceListMixin, SourceAdmin):
    evidence_subject = "source"
