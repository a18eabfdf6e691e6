"""The resources: how a file's rows become records, and records rows (django-import-export).

One row of a file is one record, found by its slug: an existing record is changed, a missing
one is created, always as a draft. Other records are named by their natural keys (a place,
site, organisation or source by its slug, an EAMENA term by its English label); a name that
matches nothing is an error of that row and column, never a silent blank. Every rule of the
models applies (``full_clean``), and so do the rules of review: an import never publishes,
and only reviewers change published records. An import never deletes anything: name
variants and citations that a file does not list are kept.

An import is all or nothing: the preview runs the whole file in a transaction that is rolled
back, and the confirmed import runs it again in one transaction that is rolled back if any
row fails, so either every row is written or none is. The columns of each file are listed
in the README ("Importing and exporting"); an export writes the same columns, so exporting
and importing the file again changes nothing.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from heritage import services
from heritage.base import PublicationStatus, Publishable, StaleRecordError
from heritage.imports.cells import (
    DateWidget,
    DecimalWidget,
    TextWidget,
    WholeNumberWidget,
    cell_text,
    sheet_row,
)
from heritage.imports.columns import RelatedColumn, choice, column, record, text
from heritage.imports.files import ImportFileError
from heritage.imports.names import parse_names, read_names, site_names
from heritage.imports.preview import (
    Diff,
    ImportResult,
    add_error,
    check_headers,
    stale_message,
)
from heritage.models import Organisation, Place, ReportedFigure, Site, Source

#: The longest "Imported from <file>" that the history keeps (its reason field's length).
CHANGE_REASON_LENGTH = 100


class RegisterResource(resources.ModelResource):
    """What every import and export of the register shares.

    Subclasses declare their columns and list them in ``Meta.fields`` (in file order);
    ``REQUIRED_COLUMNS`` are those a file must have. A file may leave out the other columns:
    their fields are then left as they are (a new record gets the defaults).
    """

    REQUIRED_COLUMNS = ("slug",)
    #: The columns that together say which row a line of the file is (duplicates are errors).
    KEY_COLUMNS = ("slug",)

    class Meta:
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, user=None, expected_versions=None, seen_versions=None, **kwargs):
        """``user`` imports; ``seen_versions`` collects {slug: version, None if new} of the
        records the file touches, and ``expected_versions`` (what the preview collected)
        makes any record changed since then an error of its row."""
        super().__init__()
        self.user = user
        self.expected_versions = expected_versions
        self.seen_versions = {} if seen_versions is None else seen_versions
        self.file_name = ""
        self.row_errors = {}

    @classmethod
    def get_result_class(cls):
        return ImportResult

    @classmethod
    def get_diff_class(cls):
        return Diff

    @classmethod
    def column_names(cls):
        return list(cls._meta.fields)

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural)

    def get_queryset(self):
        return self._meta.model._default_manager.all()

    # The whole file

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Check the columns, then import every row, all or nothing."""
        if self.user is None:
            self.user = kwargs.get("user")
        self.file_name = str(kwargs.get("file_name") or "")
        errors, warnings = self.check_columns(dataset)
        if errors:
            result = self.get_result_class()()
            result.headers = list(dataset.headers or [])
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            for message in errors:
                result.append_base_error(self.get_error_result_class()(ImportFileError(message)))
            return result
        self.row_errors = self.check_rows(dataset)
        kwargs["rollback_on_validation_errors"] = True
        kwargs["use_transactions"] = True
        result = super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)
        result.warnings = warnings
        result.headers = list(dataset.headers)
        return result

    def check_columns(self, dataset):
        """Errors and warnings about the file's column headings; the headings are normalised
        (trimmed, lower case) in place."""
        model = self._meta.model._meta.verbose_name_plural
        return check_headers(dataset, self.column_names(), self.REQUIRED_COLUMNS, model)

    def check_rows(self, dataset):
        """Errors found by comparing rows: {row number: {column: [messages]}}."""
        errors = {}
        first = {}
        for number, row in enumerate(dataset.dict, 1):
            key = tuple(cell_text(row.get(name)) for name in self.KEY_COLUMNS)
            if not key[0]:
                continue
            if key in first:
                add_error(
                    errors,
                    number,
                    self.KEY_COLUMNS[-1],
                    _("Row %(row)d already gives this %(model)s: each is given once.")
                    % {
                        "row": sheet_row(first[key]),
                        "model": self.duplicate_name(),
                    },
                )
            else:
                first[key] = number
        return errors

    def duplicate_name(self):
        return self._meta.model._meta.verbose_name

    # One row

    def after_init_instance(self, instance, new, row, **kwargs):
        """Note the version of each record the file touches; with the versions the preview
        saw, a record changed since then is an error of its row."""
        slug = cell_text(row.get("slug"))
        if not slug or slug in self.seen_versions:
            return
        version = None if new else getattr(instance, "version", None)
        self.seen_versions[slug] = version
        if self.expected_versions is None or slug not in self.expected_versions:
            return
        message = stale_message(slug, self.expected_versions[slug], version)
        if message:
            add_error(self.row_errors, kwargs["row_number"], NON_FIELD_ERRORS, message)

    def import_instance(self, instance, row, **kwargs):
        """Read every column, then the related rows; report every error of the row at once."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.import_related(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, messages in self.row_errors.get(kwargs.get("row_number"), {}).items():
            errors.setdefault(name, []).extend(ValidationError(m) for m in messages)
        if errors:
            raise ValidationError(errors)

    def import_related(self, instance, row):
        """Read and check the row's related rows (names, citations); subclasses do."""

    def related_changed(self, instance):
        """Whether the related rows read from this row change anything."""
        return False

    def save_related(self, instance):
        """Write the related rows read from this row."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        return not self.related_changed(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk is not None and not services.can_edit(self.user, instance):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(
                    _(
                        "“%(record)s” is published: only reviewers change published records "
                        "and their parts. Leave this row as it is, or ask a reviewer."
                    )
                    % {"record": services.publishable_owner(instance)}
                )
            )
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        if instance._state.adding and isinstance(instance, Publishable):
            instance.publication_status = PublicationStatus.DRAFT
        self.mark_history(instance)

    def do_instance_save(self, instance, is_create):
        try:
            super().do_instance_save(instance, is_create)
        except StaleRecordError as error:
            raise ValidationError(str(error)) from error

    def after_save_instance(self, instance, row, **kwargs):
        if self._is_using_transactions(kwargs) or not self._is_dry_run(kwargs):
            self.save_related(instance)

    def mark_history(self, record):
        """Record who imported and from which file in ``record``'s history."""
        reason = _("Imported from %(file)s") % {"file": self.file_name or _("a file")}
        record._history_user = self.user
        record._change_reason = reason[:CHANGE_REASON_LENGTH]

    # Export

    def export(self, queryset=None, **kwargs):
        kwargs.setdefault("escape_formulae", True)
        return super().export(queryset, **kwargs)


class SiteResource(RegisterResource):
    """Sites, one a row, with their name variants in the ``names`` column."""

    REQUIRED_COLUMNS = ("slug", "name", "category", "place")

    slug = text("slug")
    name = text("name")
    category = choice(Site, "category")
    place = record("place", Place, required=True)
    latitude = column("latitude", DecimalWidget())
    longitude = column("longitude", DecimalWidget())
    location_precision = choice(Site, "location_precision")
    year_from = column("year_from", WholeNumberWidget())
    year_to = column("year_to", WholeNumberWidget())
    dating_label = text("dating_label")
    registry_number = text("registry_number")
    importance = choice(Site, "importance")
    wikidata_id = text("wikidata_id")
    description = text("description")
    names = RelatedColumn("names", site_names)

    class Meta:
        model = Site
        fields = (
            "slug",
            "name",
            "category",
            "place",
            "latitude",
            "longitude",
            "location_precision",
            "year_from",
            "year_to",
            "dating_label",
            "registry_number",
            "importance",
            "wikidata_id",
            "description",
            "names",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("place").prefetch_related("names")

    def import_related(self, site, row):
        """Read the ``names`` cell into new and changed :class:`SiteName` rows (not saved)."""
        site._import_names = []
        site._import_names_change = False
        if "names" not in row:
            return
        variants, messages = parse_names(TextWidget().clean(row["names"]))
        site._import_names, site._import_names_change = read_names(site, variants, messages)
        if messages:
            raise ValidationError({"names": messages})

    def related_changed(self, site):
        return site.__dict__.get("_import_names_change", False)

    def save_related(self, site):
        for name in site.__dict__.get("_import_names", []):
            name.site = site
            self.mark_history(name)
            name.save()


# --- Reported figures ----------------------------------------------------------------------


class ReportedFigureResource(RegisterResource):
    """Reported figures, one a row, each with the slug of its source."""

    REQUIRED_COLUMNS = ("slug", "metric", "subject", "value", "source")

    slug = text("slug")
    figure_set = text("figure_set")
    metric = text("metric")
    subject = text("subject")
    category = choice(ReportedFigure, "category")
    value = column("value", DecimalWidget())
    unit = text("unit")
    area = record("area", Place)
    area_label = text("area_label")
    period_start = column("period_start", DateWidget())
    period_end = column("period_end", DateWidget())
    period_label = text("period_label")
    reported_by = record("reported_by", Organisation)
    source = record("source", Source, required=True)
    locator = text("locator")
    summary = text("summary")

    class Meta:
        model = ReportedFigure
        fields = (
            "slug",
            "figure_set",
            "metric",
            "subject",
            "category",
            "value",
            "unit",
            "area",
            "area_label",
            "period_start",
            "period_end",
            "period_label",
            "reported_by",
            "source",
            "locator",
            "summary",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("area", "reported_by", "source")
