"""The FilterSets of the public listings: ``/sites/`` (and its exports), ``/visits/``,
``/sources/``, ``/restoration/``, ``/commitments/`` and ``/training/``."""

from public.filters.recovery import (
    CommitmentFilter,
    RestorationProjectFilter,
    TrainingCourseFilter,
)
from public.filters.sites import SiteFilter
from public.filters.sources import SourceFilter
from public.filters.visits import VisitFilter

__all__ = [
    "CommitmentFilter",
    "RestorationProjectFilter",
    "SiteFilter",
    "SourceFilter",
    "TrainingCourseFilter",
    "VisitFilter",
]
