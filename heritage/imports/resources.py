"""The resources: how a file's rows become records, and records rows (django-import-export).

One row of a file is one record, found by its slug: an existing record is changed, a missing
one is created, always as a draft. Other records are named by their natural keys (a place,
site, organisation or source by its slug, an EAMENA term by its English label); a name that
matches nothing is an error of that row and column, never a silent blank. Every rule of the
models applies (``full_clean``), and so do the rules of review: an import never publishes,
and only reviewers change published records. An import never deletes anything: name
variants and citations that a file does not list are kept.

An import is all or nothing: the preview checks the whole file and writes nothing, and the
confirmed import checks it again and writes it in one transaction that is rolled back if any
row fails, so either every row is written or none is (:mod:`heritage.imports.engine` runs
the rows in batches, :mod:`heritage.imports.jobs` in the background). The columns of each
file are listed in the README ("Importing and exporting"); an export writes the same
columns, so exporting and importing the file again changes nothing.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from heritage import services
from heritage.imports.cells import (
    DateWidget,
    DecimalWidget,
    TextWidget,
    WholeNumberWidget,
    cell_text,
    sheet_row,
)
from heritage.imports.columns import RelatedColumn, choice, column, record, text
from heritage.imports.names import parse_names, read_names, site_names
from heritage.imports.preview import Diff, add_error, check_headers
from heritage.models import Organisation, Place, ReportedFigure, Site, SiteName, Source
from heritage.text import fold

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

    #: Whether a record may take several rows of a file (an assessment, one a citation).
    REPEATED_ROWS = False

    def __init__(self, *, user=None, file_name="", **kwargs):
        """``user`` imports the file called ``file_name``."""
        super().__init__()
        self.user = user
        self.file_name = file_name
        self.row_errors = {}

    @classmethod
    def get_diff_class(cls):
        return Diff

    def get_import_fields(self):
        """The columns, in order (asked for every row: computed once)."""
        if "_import_fields" not in self.__dict__:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    @classmethod
    def column_names(cls):
        return list(cls._meta.fields)

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural)

    def get_queryset(self):
        return self._meta.model._default_manager.all()

    # The whole file

    def check_columns(self, dataset):
        """Errors and warnings about the file's column headings; the headings are normalised
        (trimmed, lower case) in place."""
        model = self._meta.model._meta.verbose_name_plural
        return check_headers(dataset, self.column_names(), self.REQUIRED_COLUMNS, model)

    def check_rows(self, dataset):
        """Errors found by comparing rows: {row number: {column: [messages]}}."""
        errors = {}
        positions = [dataset.headers.index(name) for name in self.KEY_COLUMNS]

        def keys():
            for number, values in enumerate(dataset, 1):
                key = tuple(cell_text(values[position]) for position in positions)
                yield number, key if key[0] else None

        for number, first in repeated_rows(keys).items():
            add_error(
                errors,
                number,
                self.KEY_COLUMNS[-1],
                _("Row %(row)d already gives this %(model)s: each is given once.")
                % {"row": sheet_row(first), "model": self.duplicate_name()},
            )
        return errors

    def duplicate_name(self):
        return self._meta.model._meta.verbose_name

    # A batch of rows (heritage.imports.engine)

    def load_records(self, slugs):
        """The records of ``slugs``, with what checking their rows reads."""
        return self.get_queryset().filter(slug__in=slugs)

    def preload_related(self, rows):
        """Read what the related columns of ``rows`` name; subclasses do."""

    def prepare_batch(self, instances):
        """Read, for the whole batch, what the model's checks would read row by row."""

    def related_rows(self, record):
        """The related rows read from the row of ``record`` that must be written, as
        [(model, row, field, record)]: ``row.field`` is set to ``record`` once it is saved."""
        return []

    # One row

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

    def published_message(self, instance):
        return _(
            "“%(record)s” is published: only reviewers change published records "
            "and their parts. Leave this row as it is, or ask a reviewer."
        ) % {"record": services.publishable_owner(instance)}

    def change_reason(self):
        """What the history and the admin's log say about each write."""
        reason = _("Imported from %(file)s") % {"file": self.file_name or _("a file")}
        return reason[:CHANGE_REASON_LENGTH]

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

    def load_records(self, slugs):
        return super().load_records(slugs).prefetch_related("names")

    def check_rows(self, dataset):
        """Also: two rows of sites with the same name in the same place (a row that gives
        again the slug of an earlier row, already an error, is not compared)."""
        errors = super().check_rows(dataset)
        if "name" not in dataset.headers or "place" not in dataset.headers:
            return errors
        name, place = dataset.headers.index("name"), dataset.headers.index("place")
        slug = dataset.headers.index("slug")
        given_again = set(errors)  # the rows whose slug an earlier row gives

        def keys():
            blank_slug = False
            for number, values in enumerate(dataset, 1):
                key = (cell_text(values[place]), fold(cell_text(values[name])))
                if number in given_again or (blank_slug and not cell_text(values[slug])):
                    key = None
                blank_slug = blank_slug or not cell_text(values[slug])
                yield number, key if key and all(key) else None

        for number, first in repeated_rows(keys).items():
            add_error(
                errors,
                number,
                "name",
                _("Row %(row)d already gives a site with this name in this place.")
                % {"row": sheet_row(first)},
            )
        return errors

    def prepare_batch(self, sites):
        """Find the sites already in the register whose names the batch repeats, in one
        query; each site's duplicate check then reads them instead of the database."""
        names = {fold(cell) for cell in self.batch_names}
        names |= {fold(site.name) for site in sites if site.pk is not None}
        names.discard("")
        found = {}
        if names:
            # Two lookups by index rather than one with OR, which the databases answer by
            # reading every site.
            # Unordered: the models' orderings would join and sort the sites.
            by_variant = SiteName.objects.filter(folded__in=names).order_by()
            ids = set(by_variant.values_list("site_id", flat=True))
            by_name = Site.objects.filter(folded_name__in=names).order_by()
            ids.update(by_name.values_list("pk", flat=True))
            candidates = (
                Site.objects.filter(pk__in=ids)
                .select_related("place")
                .prefetch_related("names")
                .order_by("pk")
            )
            for candidate in candidates:
                folded = {candidate.folded_name} | {n.folded for n in candidate.names.all()}
                for value in folded & names:
                    found.setdefault((candidate.place_id, value), []).append(candidate)
        for site in sites:
            site.find_duplicate = partial(known_duplicate, site, found)

    def preload_related(self, rows):
        self.batch_names = [TextWidget().clean(row.get("name")) for _number, row in rows]

    def related_rows(self, site):
        return [
            (SiteName, name, "site", site)
            for name in site.__dict__.get("_import_names", [])
            if name.__dict__.get("_import_changed")
        ]


def known_duplicate(site, found):
    """The first other site in ``site``'s place named as ``site`` among ``found``."""
    for candidate in found.get((site.place_id, fold(site.name)), []):
        if candidate.pk != site.pk:
            return candidate
    return None


def repeated_rows(keyed_rows):
    """{row: the first row with the same key} for each row whose key an earlier row gives.

    ``keyed_rows()`` gives the file's (row number, key) in order, a new iterator each time;
    a key of None is compared with nothing. Memory does not follow the file's size as a
    set of every key would (a few hundred bytes a row, tens of megabytes for a large file):
    a first reading keeps one hash (an integer) of each key, and only when hashes repeat
    does a second reading compare the keys themselves, for those rows alone.
    """
    seen, repeated = set(), set()
    for _number, key in keyed_rows():
        if key is not None:
            digest = hash(key)
            if digest in seen:
                repeated.add(digest)
            else:
                seen.add(digest)
    del seen
    found, first = {}, {}
    if repeated:
        for number, key in keyed_rows():
            if key is None or hash(key) not in repeated:
                continue
            if key in first:
                found[number] = first[key]
            else:
                first[key] = number
    return found


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
