"""The kinds of record that have a public history and can be cited: sites, visits, sources
and reported figures, with how each is found, titled and addressed.

Each kind's URLs are named ``<kind>-history``, ``<kind>-version``, ``<kind>-cite`` and
``<kind>-version-cite``, and take the record's key (``slug`` or ``pk``).
"""

import dataclasses

from django.urls import reverse
from django.utils import timezone

from heritage.models import ReportedFigure, Site, Source
from inspections.models import Visit
from public import selectors
from public.citations import DOWNLOADS, RecordCitation
from public.history import latest_version


@dataclasses.dataclass(frozen=True)
class RecordKind:
    name: str
    model: type
    #: The field the URLs identify a record by: "slug" or "pk".
    key: str
    #: The records the public may see, as a function returning a queryset.
    public: object

    def lookup(self, record):
        """The URL keyword arguments that identify ``record``."""
        return {"key": getattr(record, self.key)}

    def title(self, record):
        if self.model is Site:
            return record.display_name()
        if self.model is ReportedFigure:
            return f"{record.subject}: {record.metric}"
        return record.title

    def current_url(self, record):
        """The record's current public page."""
        if self.model is ReportedFigure:
            return reverse("figure-list")
        return record.get_absolute_url()

    def history_url(self, record):
        return reverse(f"{self.name}-history", kwargs=self.lookup(record))

    def version_url(self, record, number):
        return reverse(f"{self.name}-version", kwargs={**self.lookup(record), "version": number})

    def download_url(self, record, extension, number=None):
        if number is None:
            name, kwargs = f"{self.name}-cite", self.lookup(record)
        else:
            name = f"{self.name}-version-cite"
            kwargs = {**self.lookup(record), "version": number}
        return reverse(name, kwargs={**kwargs, "extension": extension})

    def citation(self, request, record, number, date):
        """The citation of version ``number`` (published on ``date``) of ``record``."""
        return RecordCitation(
            key=f"{self.name}-{getattr(record, self.key)}-v{number}",
            title=self.title(record),
            version=number,
            issued=timezone.localdate(date) if date is not None else None,
            url=request.build_absolute_uri(self.version_url(record, number)),
            accessed=timezone.localdate(),
        )


def _public_figures():
    return selectors.public_figures()


KINDS = {
    "site": RecordKind("site", Site, "slug", lambda: Site.objects.public().select_related("place")),
    "visit": RecordKind("visit", Visit, "slug", lambda: Visit.objects.public()),
    "source": RecordKind("source", Source, "pk", lambda: Source.objects.public()),
    "figure": RecordKind("figure", ReportedFigure, "pk", _public_figures),
}

BY_MODEL = {kind.model: kind for kind in KINDS.values()}


@dataclasses.dataclass
class CitationBlock:
    """What the "Cite this record" section shows: the formatted styles and the downloads."""

    citation: RecordCitation
    styles: list
    downloads: list


def citation_block(request, record, version=None):
    """The "Cite this record" section of ``record``: of its ``version`` (a
    :class:`~public.history.PublicVersion`) or, if None, of its latest version."""
    kind = BY_MODEL[type(record)]
    if version is None:
        number, date = latest_version(record)
        pinned = None
    else:
        number, date = version.number, version.date
        pinned = number
    citation = kind.citation(request, record, number, date)
    downloads = [
        (label, kind.download_url(record, extension, pinned))
        for extension, (_content_type, label) in DOWNLOADS.items()
    ]
    return CitationBlock(citation=citation, styles=citation.styles(), downloads=downloads)
