"""Pages addressed by a slug that has since changed: a permanent redirect (301) to the
record's current address, in the same language and with the same query string."""

from django.http import Http404, HttpResponsePermanentRedirect

from heritage.slugs import resolve_old_slug


class FollowsOldSlugs:
    """For a ``DetailView`` by slug: when no public record has the slug, look for a public
    record that had it (``heritage.slugs``) and redirect to it; else the 404 stands."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            model = self.get_queryset().model
            moved = resolve_old_slug(model.objects.public(), kwargs.get(self.slug_url_kwarg))
            if moved is None:
                raise
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                moved.get_absolute_url() + (f"?{query}" if query else "")
            )
