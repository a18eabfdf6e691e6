"""Import and export of assessments as spreadsheet rows, one citation a row.

An assessment with several citations takes one row for each, repeating the assessment's
columns; an assessment without a citation takes one row with the citation columns empty.
The rules every import follows are in :mod:`heritage.imports.resources`.
"""

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from heritage.imports.cells import (
    DateWidget,
    RecordWidget,
    TextWidget,
    cell_text,
    same_text,
    sheet_row,
)
from heritage.imports.columns import RelatedColumn, choice, column, record, term, text
from heritage.imports.preview import add_error
from heritage.imports.resources import RegisterResource
from heritage.models import Organisation, Site, Source
from inspections.models import (
    Assessment,
    AssessmentCitation,
    AssessmentType,
    DamageExtent,
    DamageTrend,
    OverallCondition,
    Priority,
    Visit,
)

#: The columns of one citation; the other columns are the assessment's own.
CITATION_COLUMNS = ("source", "source_locator", "source_summary")
#: The columns that name EAMENA terms (each a relation of the assessment).
TERM_COLUMNS = (
    "assessment_type",
    "overall_condition",
    "damage_extent",
    "damage_trend",
    "priority",
)
#: Where a citation's errors are shown: its field -> the file's column.
CITATION_FIELD_COLUMNS = {
    "source": "source",
    "locator": "source_locator",
    "summary": "source_summary",
    "__all__": "source",
}


def row_citation(assessment):
    """The citation a row is about: the one exported, the one being imported, or the stored
    citation of the row's source; None if there is none."""
    if "_export_citation" in assessment.__dict__:
        return assessment._export_citation
    pending = assessment.__dict__.get("_import_citation")
    if pending is not None:
        return pending
    slug = assessment.__dict__.get("_import_source_slug")
    if not slug or assessment.pk is None:
        return None
    return next((c for c in assessment.citations.all() if c.source.slug == slug), None)


def citation_source(assessment):
    citation = row_citation(assessment)
    if citation is not None:
        return citation.source.slug
    return assessment.__dict__.get("_import_source_slug", "")


def citation_locator(assessment):
    citation = row_citation(assessment)
    return citation.locator if citation is not None else ""


def citation_summary(assessment):
    citation = row_citation(assessment)
    return citation.summary if citation is not None else ""


class AssessmentResource(RegisterResource):
    """Assessments, with one citation (``source``, ``source_locator``, ``source_summary``)
    on each row."""

    REQUIRED_COLUMNS = ("slug", "site", "assessed_on")
    REPEATED_ROWS = True

    slug = text("slug")
    site = record("site", Site, required=True)
    visit = record("visit", Visit)
    assessed_on = column("assessed_on", DateWidget())
    date_precision = choice(Assessment, "date_precision")
    assessed_by = record("assessed_by", Organisation)
    assessment_type = term("assessment_type", AssessmentType)
    overall_condition = term("overall_condition", OverallCondition)
    damage_extent = term("damage_extent", DamageExtent)
    damage_trend = term("damage_trend", DamageTrend)
    priority = term("priority", Priority)
    verification = choice(Assessment, "verification")
    summary = text("summary")
    source = RelatedColumn("source", citation_source)
    source_locator = RelatedColumn("source_locator", citation_locator)
    source_summary = RelatedColumn("source_summary", citation_summary)

    class Meta:
        model = Assessment
        fields = (
            "slug",
            "site",
            "visit",
            "assessed_on",
            "date_precision",
            "assessed_by",
            *TERM_COLUMNS,
            "verification",
            "summary",
            "source",
            "source_locator",
            "source_summary",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sources = RecordWidget(Source)

    # The whole file

    def check_columns(self, dataset):
        errors, warnings = super().check_columns(dataset)
        headers = dataset.headers or []
        orphans = [name for name in CITATION_COLUMNS[1:] if name in headers]
        if orphans and "source" not in headers:
            errors.append(
                _("The columns %(columns)s need the column “source”, the cited source's slug.")
                % {"columns": ", ".join(orphans)}
            )
        return errors, warnings

    def check_rows(self, dataset):
        """Rows of one assessment repeat its columns alike; a citation is given once."""
        errors = {}
        first = {}
        cited = {}
        headers = dataset.headers
        own = [name for name in headers if name not in CITATION_COLUMNS]
        for number, values in enumerate(dataset, 1):
            row = dict(zip(headers, values, strict=False))
            slug = cell_text(row.get("slug"))
            if not slug:
                continue
            if slug in first:
                first_number, first_row = first[slug]
                first_row = dict(zip(headers, first_row, strict=False))
                for name in own:
                    if cell_text(row[name]) != cell_text(first_row[name]):
                        add_error(
                            errors,
                            number,
                            name,
                            _(
                                "Row %(row)d gives the same assessment with “%(value)s” here. "
                                "The rows of one assessment repeat its columns alike; only "
                                "the citation columns differ."
                            )
                            % {"row": sheet_row(first_number), "value": cell_text(first_row[name])},
                        )
            else:
                first[slug] = (number, values)
            source = cell_text(row.get("source"))
            if (slug, source) in cited:
                add_error(
                    errors,
                    number,
                    "source" if source else "slug",
                    (
                        _("Row %(row)d already gives this citation of this assessment.")
                        if source
                        else _("Row %(row)d already gives this assessment without a citation.")
                    )
                    % {"row": sheet_row(cited[(slug, source)])},
                )
            else:
                cited[(slug, source)] = number
        return errors

    # A batch of rows

    def load_records(self, slugs):
        citations = AssessmentCitation.objects.select_related("source")
        return (
            super()
            .load_records(slugs)
            .select_related("visit")
            .prefetch_related(Prefetch("citations", queryset=citations))
        )

    def preload_related(self, rows):
        self.sources.preload({cell_text(row.get("source")) for _number, row in rows})

    def related_rows(self, assessment):
        citation = assessment.__dict__.get("_import_citation")
        if citation is None or not assessment.__dict__.get("_import_citation_change"):
            return []
        return [(AssessmentCitation, citation, "assessment", assessment)]

    # One row

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if "source" in row:
            instance._import_source_slug = cell_text(row["source"])

    def import_related(self, assessment, row):
        """Read the row's citation (not saved): added, or its locator and summary changed."""
        assessment._import_citation = None
        assessment._import_citation_change = False
        if "source" not in row:
            return
        cells = TextWidget()
        slug = cells.clean(row["source"])
        locator = cells.clean(row.get("source_locator"))
        summary = cells.clean(row.get("source_summary"))
        if not slug:
            if locator or summary:
                raise ValidationError(
                    {
                        "source": _(
                            "Give the slug of the source these citation columns are about, "
                            "or leave them empty."
                        )
                    }
                )
            return
        try:
            source = self.sources.clean(slug)
        except ValueError as error:
            raise ValidationError({"source": str(error)}) from None
        citation = None
        if assessment.pk is not None:
            citation = next(
                (c for c in assessment.citations.all() if c.source_id == source.pk), None
            )
        before = None if citation is None else (citation.locator, citation.summary)
        citation = citation or AssessmentCitation(source=source)
        if "source_locator" in row and not same_text(locator, citation.locator):
            citation.locator = locator
        if "source_summary" in row and not same_text(summary, citation.summary):
            citation.summary = summary
        try:
            citation.full_clean(
                exclude=["assessment", "source"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    CITATION_FIELD_COLUMNS.get(field, "source"): problems
                    for field, problems in error.message_dict.items()
                }
            ) from None
        assessment._import_citation = citation
        assessment._import_citation_change = before != (citation.locator, citation.summary)

    def related_changed(self, assessment):
        return assessment.__dict__.get("_import_citation_change", False)

    # Export: one row per citation

    def filter_export(self, queryset, **kwargs):
        citations = AssessmentCitation.objects.select_related("source").order_by("source__slug")
        return queryset.select_related(
            "site",
            "visit",
            "assessed_by",
            *TERM_COLUMNS,
        ).prefetch_related(Prefetch("citations", queryset=citations))

    def export(self, queryset=None, **kwargs):
        kwargs.setdefault("escape_formulae", True)
        self.before_export(queryset, **kwargs)
        if queryset is None:
            queryset = self.get_queryset()
        queryset = self.filter_export(queryset, **kwargs)
        selected = kwargs.get("export_fields")
        dataset = tablib.Dataset(headers=self.get_export_headers(selected_fields=selected))
        for assessment in self.iter_queryset(queryset):
            for citation in list(assessment.citations.all()) or [None]:
                assessment._export_citation = citation
                dataset.append(self.export_resource(assessment, selected_fields=selected, **kwargs))
        self.after_export(queryset, dataset, **kwargs)
        return dataset
