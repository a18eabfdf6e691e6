"""The FilterSets of the public listings: ``/sites/`` (and its exports) and ``/visits/``."""

from public.filters.recovery import CommitmentFilter, RestorationProjectFilter
from public.filters.sites import SiteFilter
from public.filters.sources import SourceFilter
from public.filters.visits import VisitFilter

__all__ = [
    "CommitmentFilter",
    "RestorationProjectFilter",
    "SiteFilter",
    "SourceFilter",
    "VisitFilter",
]
