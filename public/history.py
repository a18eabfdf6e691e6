"""The public history of a record: its published versions, read from its edit history.

django-simple-history adds a row to a record's historical table on every save. The public
sees only some of those rows and only some of their fields:

- a row counts when the record was published in it; drafts, rows in review and rejected
  rows never show;
- of each row, only the fields in :data:`PUBLIC_FIELDS` are read: never the reviewer's
  note, who reviewed, or anything staff-only;
- a published row whose public fields are the same as the previous public version's (a
  save that changed only staff fields, or a record withdrawn and published again as it was)
  adds no version.

Versions are numbered 1, 2, 3… in the order they were published, counting public versions
only, so a version's number and permalink stay the same when later versions are added.

A site's own coordinates are shown in a version only when neither that version nor the
record as it is now withholds its location: withholding a location hides it in the past
too.
"""

import dataclasses
import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from heritage.base import PublicationStatus
from heritage.models import Organisation, Place, ReportedFigure, Site, SiteName, Source
from heritage.models.names import NameKind
from inspections.models import Visit

#: The fields of each model that the public history shows and compares, in page order.
#: ``location`` is the site's public location (see :func:`site_location`).
PUBLIC_FIELDS = {
    Site: (
        "name",
        "category",
        "place",
        "location_precision",
        "location",
        "year_from",
        "year_to",
        "dating_label",
        "registry_number",
        "importance",
        "wikidata_id",
        "description",
        "names",
    ),
    Visit: (
        "title",
        "kind",
        "status",
        "start_date",
        "end_date",
        "date_precision",
        "organisations",
        "places",
        "summary",
    ),
    Source: (
        "title",
        "author",
        "publisher",
        "kind",
        "published_on",
        "published_precision",
        "language",
        "url",
        "accessed_on",
        "notes",
    ),
    ReportedFigure: (
        "figure_set",
        "subject",
        "metric",
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
    ),
}

#: Many-to-many fields whose history is kept, and the field of the through row that
#: points to the related record.
MANY_TO_MANY = {"organisations": "organisation", "places": "place"}

#: A site's name variants, edited inline on its page, are part of each of its versions:
#: (language, name, kind, source id) of every variant it had when that version was current.
NAMES = "names"


@dataclasses.dataclass
class Change:
    label: str
    old: str
    new: str


@dataclasses.dataclass
class PublicVersion:
    """One published version of a record as the public sees it."""

    number: int
    #: When it was published; None for a record entered before its history was kept.
    date: datetime.datetime | None
    #: [(label, text)] of the public fields, in page order.
    values: list
    #: [Change] from the previous public version (empty for the first).
    changes: list
    #: The editor's summary of the change, or "" (a publication after review has none).
    summary: str
    #: Whether this version was a publication after review rather than an edit.
    published_after_review: bool

    @property
    def date_text(self):
        if self.date is None:
            return ""
        return date_format(localtime(self.date), "DATE_FORMAT")


def field_label(model, name):
    if name == "location":
        return _("Coordinates (latitude, longitude)")
    if name == NAMES:
        return _("Names in other languages and scripts")
    return str(model._meta.get_field(name).verbose_name).capitalize()


def coordinate_text(value):
    return format(value.normalize(), "f")


def site_location(row, current):
    """The location of a site's version ``row`` as the public may see it."""
    withheld = Site.Precision.WITHHELD
    if withheld in (row.location_precision, current.location_precision):
        return _("Withheld from the public")
    if row.latitude is None or row.longitude is None:
        return _("Not recorded")
    return f"{coordinate_text(row.latitude)}, {coordinate_text(row.longitude)}"


def raw_value(row, name, current):
    """A comparable value of the public field ``name`` of ``row``."""
    if name == "location":
        return site_location(row, current)
    if name == NAMES:
        if hasattr(row, "public_names"):
            return row.public_names
        return tuple(sorted(name_key(variant) for variant in current.names.all()))
    if name in MANY_TO_MANY:
        if hasattr(row, "public_m2m"):
            return row.public_m2m[name]
        # The record as it is now: the related records themselves.
        return tuple(sorted(item.pk for item in getattr(row, name).all()))
    field = type(current)._meta.get_field(name)
    if field.is_relation:
        return getattr(row, field.attname)
    return getattr(row, name)


class Names:
    """Names of the related records the versions point to, read in one query per model."""

    def __init__(self, model, raw_rows):
        self.names = {}
        wanted = {}
        for name in PUBLIC_FIELDS[model]:
            if name == "location":
                continue
            if name == NAMES:
                ids = {variant[3] for raw in raw_rows for variant in raw[name] if variant[3]}
                wanted.setdefault(Source, set()).update(ids)
                continue
            if name in MANY_TO_MANY:
                related = Place if name == "places" else Organisation
                ids = {pk for raw in raw_rows for pk in raw[name]}
            else:
                field = model._meta.get_field(name)
                if not field.is_relation:
                    continue
                related = field.related_model
                ids = {raw[name] for raw in raw_rows if raw[name] is not None}
            wanted.setdefault(related, set()).update(ids)
        for related, ids in wanted.items():
            if not ids:
                continue
            rows = related.objects.filter(pk__in=ids)
            if related is Source:
                rows = rows.filter(publication_status=PublicationStatus.PUBLISHED)
            self.names[related] = {row.pk: str(row) for row in rows}

    def of(self, related, pk):
        return self.names.get(related, {}).get(pk, _("(not public)"))


def display(model, row, name, raw, names):
    """The text of the public field ``name`` whose comparable value is ``raw``."""
    if name == "location":
        return raw
    if name == NAMES:
        return name_list(raw, names)
    if name in MANY_TO_MANY:
        related = Place if name == "places" else Organisation
        return ", ".join(names.of(related, pk) for pk in raw)
    if raw in (None, ""):
        return ""
    field = model._meta.get_field(name)
    if field.is_relation:
        return names.of(field.related_model, raw)
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(raw, datetime.date):
        return date_format(raw, "DATE_FORMAT")
    if hasattr(raw, "normalize"):
        return format(raw.normalize(), "f")
    return str(raw)


def name_key(variant):
    """A name variant as a version holds it."""
    return (variant.language, variant.name, variant.kind, variant.source_id)


def name_list(variants, names):
    """The text of a version's name variants; a name "as a source reports it" shows only while
    its source is public, with that source."""
    shown = []
    kinds = dict(NameKind.choices)
    for language, name, kind, source_id in variants:
        if kind == NameKind.AS_REPORTED:
            if source_id not in names.names.get(Source, {}):
                continue
            shown.append(f"{name} ({language}; {kinds[kind]}: {names.of(Source, source_id)})")
        else:
            shown.append(f"{name} ({language}; {kinds[kind]})")
    return "; ".join(shown)


def attach_site_names(site, rows):
    """Give each of the site's history ``rows`` (oldest first) the name variants it had in
    ``public_names``: those saved before the site's next history entry (the admin saves a
    site, then the names edited on its page). Two queries, however many versions.

    A variant with no history entry at all (loaded from a fixture) counts from the start.
    """
    entries = list(
        SiteName.history.filter(site_id=site.pk)
        .order_by("history_date", "history_id")
        .values_list("id", "history_type", "history_date", "language", "name", "kind", "source_id")
    )
    first = {}
    for pk, history_type, _date, *values in entries:
        first.setdefault(pk, (history_type, tuple(values)))
    # site.names.all() reads the names a page has already fetched, if it has.
    state = {
        variant.pk: name_key(variant) for variant in site.names.all() if variant.pk not in first
    }
    # A variant whose history starts with a change existed before it, as far as is known
    # with the values of that change.
    state.update({pk: values for pk, (kind, values) in first.items() if kind != "+"})
    position = 0
    for index, row in enumerate(rows):
        boundary = rows[index + 1].history_date if index + 1 < len(rows) else None
        while position < len(entries) and (boundary is None or entries[position][2] < boundary):
            pk, history_type, _date, *values = entries[position]
            if history_type == "-":
                state.pop(pk, None)
            else:
                state[pk] = tuple(values)
            position += 1
        row.public_names = tuple(sorted(tuple(values) for values in state.values()))


def history_rows(record):
    """The record's history rows, oldest first, each with the ids its many-to-many fields
    held then in ``public_m2m`` (one query per field for all rows)."""
    model = type(record)
    rows = list(record.history.order_by("history_date", "history_id"))
    many = [name for name in PUBLIC_FIELDS[model] if name in MANY_TO_MANY]
    held = {row.history_id: {name: [] for name in many} for row in rows}
    for name in many:
        m2m_model = getattr(model.history.model, name).model
        pairs = m2m_model.objects.filter(history_id__in=list(held)).values_list(
            "history_id", f"{MANY_TO_MANY[name]}_id"
        )
        for history_id, pk in pairs:
            held[history_id][name].append(pk)
    for row in rows:
        row.public_m2m = {name: tuple(sorted(ids)) for name, ids in held[row.history_id].items()}
    if NAMES in PUBLIC_FIELDS[model]:
        attach_site_names(record, rows)
    return rows


#: Entries of one save are written within this time of each other.
SAME_SAVE = datetime.timedelta(seconds=30)


def same_save(earlier, later):
    """Whether two history entries come from one save: the admin saves a record, then its
    many-to-many fields, each change adding an entry with the same summary and user."""
    return (
        earlier is not None
        and bool(later.history_change_reason)
        and later.history_change_reason == earlier.history_change_reason
        and later.history_user_id == earlier.history_user_id
        and later.history_date - earlier.history_date < SAME_SAVE
    )


def published_rows(record):
    """[(history row, public values, previous version's values, published after review)]
    of the rows of ``record``'s history that are public versions, oldest first."""
    fields = PUBLIC_FIELDS[type(record)]
    kept = []
    previous = None
    previous_published = False
    for row in history_rows(record):
        if row.publication_status != PublicationStatus.PUBLISHED:
            previous_published = False
            continue
        raw = {name: raw_value(row, name, record) for name in fields}
        published_after_review = not previous_published
        previous_published = True
        if raw == previous:
            continue
        if kept and same_save(kept[-1][0], row) and not published_after_review:
            # One save written as several entries (a record, then its many-to-many
            # fields): one version, compared with the version before that save.
            _first, _raw, before, after_review = kept.pop()
            kept.append((row, raw, before, after_review))
        else:
            kept.append((row, raw, previous, published_after_review))
        previous = raw
    if not kept:
        # Entered before its history was kept (loaded from a fixture): one undated version.
        raw = {name: raw_value(record, name, record) for name in fields}
        kept.append((None, raw, None, True))
    return kept


def latest_version(record):
    """(number, date) of the latest public version of ``record``; the date may be None."""
    kept = published_rows(record)
    row = kept[-1][0]
    return len(kept), (row.history_date if row is not None else None)


def public_versions(record):
    """The published versions of ``record`` (a public record), oldest first.

    Reads the history in one query (plus one per many-to-many field), and the names of
    related records in one query per related model, however many versions there are.
    """
    kept = published_rows(record)
    return versions_of_rows(record, kept, range(1, len(kept) + 1))


def versions_of_rows(record, kept, numbers):
    """The versions ``numbers`` (1 the oldest, in the order given) of ``kept``, which is
    ``published_rows(record)``: only they are made, and only the names they show are read
    (a page of a record's history shows 25 of what may be hundreds)."""
    model = type(record)
    fields = PUBLIC_FIELDS[model]
    chosen = [(number, *kept[number - 1]) for number in numbers]
    names = Names(
        model,
        [raw for _number, _row, raw, _before, _after in chosen]
        + [before for _number, _row, _raw, before, _after in chosen if before is not None],
    )
    versions = []
    for number, row, raw, before, published_after_review in chosen:
        source = row if row is not None else record
        values = [
            (field_label(model, name), display(model, source, name, raw[name], names))
            for name in fields
        ]
        changes = []
        if before is not None:
            changes = [
                Change(
                    field_label(model, name),
                    display(model, source, name, before[name], names),
                    display(model, source, name, raw[name], names),
                )
                for name in fields
                if raw[name] != before[name]
            ]
        summary = ""
        if row is not None and not published_after_review:
            summary = row.history_change_reason or ""
        versions.append(
            PublicVersion(
                number=number,
                date=row.history_date if row is not None else None,
                values=values,
                changes=changes,
                summary=summary,
                published_after_review=published_after_review,
            )
        )
    return versions
