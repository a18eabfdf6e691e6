"""The FilterSets of the public listings: ``/sites/`` (and its exports) and ``/visits/``."""

from public.filters.sites import SiteFilter
from public.filters.sources import SourceFilter
from public.filters.visits import VisitFilter

__all__ = ["SiteFilter", "SourceFilter", "VisitFilter"]
