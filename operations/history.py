"""The first history entry of records loaded without one.

Fixtures are loaded with raw saves, which add no history entry (``heritage.base``). The
public history of a site, visit, source or reported figure starts from its first entry, so
a record loaded from a fixture gets one entry holding its state as loaded; without it, its
first later change would be its earliest known state and what it replaced would be lost.
"""

from django.db import transaction

from heritage.models import ReportedFigure, Site, SiteName, Source
from inspections.models import Visit

#: The models whose history the public sees (a site's names are part of its versions).
PUBLIC_HISTORY_MODELS = (Site, SiteName, Visit, Source, ReportedFigure)


def history_start(*, models=PUBLIC_HISTORY_MODELS, reason):
    """Add a first history entry, with ``reason``, to every record of ``models`` that has
    none; with the many-to-many values it holds. Returns how many entries were added."""
    added = 0
    with transaction.atomic():
        for model in models:
            records = list(model._base_manager.exclude(pk__in=model.history.values("id")))
            if not records:
                continue
            rows = model.history.bulk_history_create(records, default_change_reason=reason)
            added += len(rows)
            for name in getattr(model, "_history_m2m_fields", []):
                _add_many_to_many(model, name, rows)
    return added


def _add_many_to_many(model, name, rows):
    """The many-to-many values of field ``name`` for the history ``rows`` just added."""
    field = model._meta.get_field(name)
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    history_m2m = getattr(model.history.model, name).model
    rows_by_record = {row.id: row for row in rows}
    links = field.remote_field.through.objects.filter(**{f"{own}_id__in": rows_by_record})
    history_m2m.objects.bulk_create(
        history_m2m(
            history=rows_by_record[getattr(link, f"{own}_id")],
            id=link.pk,
            **{
                f"{own}_id": getattr(link, f"{own}_id"),
                f"{other}_id": getattr(link, f"{other}_id"),
            },
        )
        for link in links
    )
