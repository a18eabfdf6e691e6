"""``/sites/``: the filtered listing of published sites (parameters: :class:`SiteFilter`)."""

import hashlib

from django.utils.functional import cached_property

from heritage.cache import cached
from heritage.models import Site
from public.filters import SiteFilter
from public.views.listing import FilteredListView, Paginator


class CachedCountPaginator(Paginator):
    """Counts the matching sites once per set of filters until the register changes.

    Counting half a million sites takes tens of milliseconds on every page of every
    visitor; the count is cached under the query's SQL and the register version (see
    ``heritage.cache``), so any edit makes it stale at once.
    """

    @cached_property
    def count(self):
        sql, params = self.object_list.query.sql_with_params()
        key = "site-count:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        return cached(key, self.object_list.count)


class SiteListView(FilteredListView):
    """``/sites/``: published sites, filtered, sorted and paginated."""

    template_name = "public/site_list.html"
    context_object_name = "sites"
    filterset_class = SiteFilter
    paginator_class = CachedCountPaginator

    def get_queryset(self):
        return Site.objects.public().for_listing().prefetch_related("names")
