"""Staff data entry for visits, assessments, disturbances and the EAMENA vocabularies.

A visit is entered on one page: its participants, citations and assessments; each
assessment's own page (one click away) holds its citations and disturbances. Photos and
documents have pages of their own (:mod:`inspections.evidence.admin`), listed and linked on
the page of the visit, assessment, site or source they belong to. Importing that module
registers the evidence pages, and the pages of sites and sources with their evidence lists.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heritage.admin.base import (
    CitationInline,
    RegisterAdmin,
    RegisterForm,
    RegisterInlineFormSet,
    StackedInline,
    TabularInline,
)
from heritage.admin.deletion import admin_link
from heritage.admin.imports import ImportExportMixin
from inspections.evidence.admin import EvidenceListMixin  # registers the evidence pages too
from inspections.imports import AssessmentResource
from inspections.models import (
    VOCABULARIES,
    Assessment,
    AssessmentCitation,
    CauseCategory,
    CauseType,
    Disturbance,
    Participation,
    ResponsibilityClaim,
    Statement,
    Visit,
    VisitCitation,
    VisitEvent,
)
from inspections.verification import verification_conflict

#: Rows that go when a term is deleted without anything being lost: the cause-type mapping.
VOCABULARY_CONFIGURATION = {CauseCategory.cause_types.through}


class VocabularyTermAdmin(RegisterAdmin):
    """One admin for every EAMENA list; registered below for each model in ``VOCABULARIES``."""

    list_display = ("label", "label_ar", "label_az", "position", "from_eamena")
    list_display_links = ("label",)
    list_editable = ("position",)
    list_filter = ("from_eamena",)
    search_fields = ("label", "label_ar", "label_az")
    ordering = ("position", "label")
    readonly_fields = ("from_eamena",)

    def cascade_refusal(self, row, chosen):
        """A term that records use cannot be deleted: they would silently lose it."""
        if type(row) in VOCABULARY_CONFIGURATION:
            return None
        relations = [field for field in row._meta.concrete_fields if field.is_relation]
        mine = [getattr(row, f.name) for f in relations if f.related_model is self.model]
        others = [getattr(row, f.name) for f in relations if f.related_model is not self.model]
        term, user = (mine or [row])[0], (others or [row])[0]
        return format_html("{}: {} {}", term, _("in use by"), admin_link(user))


class CauseCategoryAdmin(VocabularyTermAdmin):
    filter_horizontal = ("cause_types",)


for vocabulary in VOCABULARIES:
    admin.site.register(
        vocabulary, CauseCategoryAdmin if vocabulary is CauseCategory else VocabularyTermAdmin
    )


def cause_type_choices():
    """Cause types grouped by the categories the register's mapping gives them, in order.

    A type can appear under several categories; types no category lists come last.
    """
    groups, mapped = [], set()
    for category in CauseCategory.objects.prefetch_related("cause_types"):
        types = list(category.cause_types.all())
        if types:
            groups.append((str(category), [(term.pk, str(term)) for term in types]))
            mapped.update(term.pk for term in types)
    others = [(term.pk, str(term)) for term in CauseType.objects.exclude(pk__in=mapped)]
    if others:
        groups.append((_("Not mapped to a category"), others))
    return [("", "---------"), *groups]


class DisturbanceForm(RegisterForm):
    """Offers cause types grouped by category; a small script shows only the chosen one's.

    A new disturbance's number may be left empty: it is numbered after the assessment's
    others, and several added at once on the assessment's page are numbered in turn.
    """

    #: Which of the new rows of an assessment's page this is (0 for the first); set by
    #: :class:`DisturbanceFormSet`.
    new_row_index = 0

    class Media:
        js = ("inspections/cause-types.js",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("cause_type")
        if field is not None:
            field.choices = cause_type_choices()
            field.help_text = _(
                "The types that make sense for the chosen category, in the register's own "
                "mapping of EAMENA's lists."
            )
        position = self.fields.get("position")
        if position is not None and self.instance.pk is None:
            position.required = False
            position.help_text = _("Leave empty to number it after the assessment's others.")
            self.initial["position"] = None

    def clean_position(self):
        position = self.cleaned_data.get("position")
        if position is not None or self.instance.pk is not None:
            return position
        # On an assessment's page the row knows its assessment (none yet on a new one's);
        # on a disturbance's own page the form's field gives it.
        assessment = self.cleaned_data.get("assessment")
        assessment_id = assessment.pk if assessment else self.instance.assessment_id
        taken = 0
        if assessment_id is not None:
            others = Disturbance.objects.filter(assessment_id=assessment_id)
            taken = others.aggregate(last=Max("position"))["last"] or 0
        return taken + self.new_row_index + 1


class DisturbanceFormSet(RegisterInlineFormSet):
    """Tells each new row its place among the new rows, for its number."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.new_row_index = max(0, i - self.initial_form_count())
        return form


class AssessmentForm(RegisterForm):
    """An assessment's slug may be left empty: it is made from the site and the date."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave empty to make one from the site and the date.")

    def clean(self):
        cleaned_data = super().clean()
        site, date = cleaned_data.get("site"), cleaned_data.get("assessed_on")
        if "slug" in self.fields and not cleaned_data.get("slug") and site and date:
            base = slugify(f"{site.slug}-{date.isoformat()}")[:140]
            slug, n = base, 1
            taken = Assessment.objects.exclude(pk=self.instance.pk)
            while taken.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            cleaned_data["slug"] = slug
        return cleaned_data


class ParticipationInline(TabularInline):
    model = Participation
    autocomplete_fields = ("person", "organisation")


class VisitEventInline(TabularInline):
    model = VisitEvent
    autocomplete_fields = ("source",)


class VisitCitationInline(CitationInline):
    model = VisitCitation


class AssessmentInline(TabularInline):
    """The visit's assessments; each one's citations and disturbances are on its own page."""

    model = Assessment
    form = AssessmentForm
    fields = (
        "site",
        "assessed_on",
        "date_precision",
        "assessed_by",
        "overall_condition",
        "damage_extent",
        "verification",
        "slug",
        "publication_status",
    )
    autocomplete_fields = ("site", "assessed_by")
    show_change_link = True
    verbose_name_plural = gettext_lazy(
        "assessments made on this visit (open one to add its citations and disturbances)"
    )


@admin.register(Visit)
class VisitAdmin(EvidenceListMixin, RegisterAdmin):
    asks_change_summary = True
    evidence_subject = "visit"
    list_display = ("title", "kind", "status", "start_date", "end_date", "publication_status")
    list_filter = ("publication_status", "kind", "status", "organisations")
    search_fields = ("title", "slug", "summary")
    ordering = ("-start_date", "title", "id")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("organisations", "places")
    inlines = (ParticipationInline, VisitCitationInline, VisitEventInline, AssessmentInline)


@admin.register(Participation)
class ParticipationAdmin(RegisterAdmin):
    list_display = ("person", "role", "visit", "organisation")
    list_filter = ("role",)
    list_select_related = ("person", "visit", "organisation")
    search_fields = ("person__name", "visit__title", "organisation__name")
    ordering = ("-visit__start_date", "role", "person__name")
    autocomplete_fields = ("visit", "person", "organisation")


@admin.register(VisitCitation)
class VisitCitationAdmin(RegisterAdmin):
    list_display = ("visit", "source", "locator")
    list_filter = ("source__kind",)
    list_select_related = ("visit", "source")
    search_fields = ("visit__title", "source__title", "summary")
    ordering = ("-visit__start_date", "id")
    autocomplete_fields = ("visit", "source")


class AssessmentCitationFormSet(RegisterInlineFormSet):
    """Refuses citations that contradict the assessment's verification level (see
    ``inspections.verification``: why refuse rather than warn)."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        sources = [
            form.cleaned_data["source"]
            for form in self.forms
            if form.cleaned_data.get("source") and not form.cleaned_data.get("DELETE")
        ]
        conflict = verification_conflict(self.instance.verification, sources)
        if conflict:
            raise ValidationError(conflict)


class AssessmentCitationInline(CitationInline):
    model = AssessmentCitation
    formset = AssessmentCitationFormSet


class DisturbanceInline(StackedInline):
    model = Disturbance
    form = DisturbanceForm
    formset = DisturbanceFormSet
    filter_horizontal = ("effect_types",)
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(EvidenceListMixin, ImportExportMixin, RegisterAdmin):
    evidence_subject = "assessment"
    form = AssessmentForm
    resource_classes = [AssessmentResource]
    list_display = (
        "site",
        "assessed_on",
        "assessed_by",
        "overall_condition",
        "verification",
        "publication_status",
    )
    list_filter = ("publication_status", "verification", "overall_condition", "assessed_by")
    list_select_related = ("site", "assessed_by", "overall_condition")
    search_fields = ("slug", "site__name", "site__names__name", "visit__title", "summary")
    folded_site_path = "site"
    ordering = ("-assessed_on", "id")
    date_hierarchy = "assessed_on"
    autocomplete_fields = ("site", "visit", "assessed_by", "identification")
    inlines = (AssessmentCitationInline, DisturbanceInline)


@admin.register(AssessmentCitation)
class AssessmentCitationAdmin(RegisterAdmin):
    list_display = ("assessment", "source", "locator")
    list_filter = ("source__kind",)
    list_select_related = ("assessment__site", "source")
    search_fields = ("assessment__site__name", "source__title", "summary")
    folded_site_path = "assessment__site"
    ordering = ("-assessment__assessed_on", "id")
    autocomplete_fields = ("assessment", "source")


class ResponsibilityClaimInline(StackedInline):
    model = ResponsibilityClaim
    autocomplete_fields = ("source",)


@admin.register(Disturbance)
class DisturbanceAdmin(RegisterAdmin):
    form = DisturbanceForm
    list_display = ("__str__", "position", "cause_category", "cause_type", "date_from", "date_to")
    list_filter = ("cause_category", "cause_type")
    list_select_related = ("assessment__site", "cause_category", "cause_type")
    search_fields = ("assessment__site__name", "assessment__slug", "description")
    folded_site_path = "assessment__site"
    ordering = ("-assessment__assessed_on", "assessment", "position")
    date_hierarchy = "date_from"
    autocomplete_fields = ("assessment",)
    filter_horizontal = ("effect_types",)
    inlines = (ResponsibilityClaimInline,)


@admin.register(ResponsibilityClaim)
class ResponsibilityClaimAdmin(RegisterAdmin):
    list_display = ("attributed_to", "disturbance", "source", "locator")
    list_filter = ("source__kind",)
    list_select_related = (
        "disturbance__assessment__site",
        "disturbance__cause_category",
        "disturbance__cause_type",
        "source",
    )
    search_fields = (
        "attributed_to",
        "summary",
        "source__title",
        "disturbance__assessment__site__name",
    )
    folded_site_path = "disturbance__assessment__site"
    ordering = ("disturbance", "id")
    autocomplete_fields = ("disturbance", "source")


@admin.register(Statement)
class StatementAdmin(RegisterAdmin):
    list_display = ("__str__", "said_on", "source", "publication_status")
    list_filter = ("publication_status", "speaker_organisation")
    list_select_related = ("speaker_person", "speaker_organisation", "source")
    search_fields = (
        "slug",
        "quote",
        "occasion",
        "speaker_person__name",
        "speaker_organisation__name",
    )
    ordering = ("-said_on", "id")
    autocomplete_fields = ("speaker_person", "speaker_organisation", "visit", "source")


@admin.register(VisitEvent)
class VisitEventAdmin(RegisterAdmin):
    list_display = ("visit", "happened_on", "title", "source")
    list_filter = ("source__kind",)
    list_select_related = ("visit", "source")
    search_fields = ("title", "visit__title")
    ordering = ("-happened_on", "id")
    autocomplete_fields = ("visit", "source")


# The pages of restoration projects, training courses and commitments.
from inspections import recovery_admin  # noqa: E402, F401
