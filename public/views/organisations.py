"""``/organisations/<slug>/``: an organisation, what kind of body it is, and what the
register holds from it: the published sources it publishes, the statements it (or someone
speaking for it) made, and the published assessments said to be its own.

It shows whether two sources are independent (the same publisher or not) and keeps an
organisation's own words apart from what others report of it."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.generic import DetailView

from heritage.cache import cached_under, versions_of
from heritage.models import Organisation, Source
from inspections.models import Assessment, Statement
from public import comparison, selectors
from public.selectors import first_and_count
from public.views.listing import InvalidParameter, page_of

#: Records of each kind an organisation's page lists; the rest are a link away, in the
#: listing filtered by the organisation.
LIST_LENGTH = 20


class OrganisationDetailView(DetailView):
    """The organisation, and the newest ``LIST_LENGTH`` of its sources, statements and
    assessments, each with how many there are and a link to all of them where a listing
    filters by the organisation."""

    template_name = "public/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        sources, source_count = first_and_count(
            Source.objects.public()
            .filter(publisher_organisation=organisation)
            .order_by("-published_on", "title", "id"),
            LIST_LENGTH,
        )
        statements, statement_count = first_and_count(
            Statement.objects.public()
            .filter(
                Q(speaker_organisation=organisation) | Q(speaker_person__organisation=organisation)
            )
            .for_display()
            .order_by("-said_on", "-id"),
            LIST_LENGTH,
        )
        assessments, assessment_count = first_and_count(
            Assessment.objects.public()
            .filter(assessed_by=organisation)
            .select_related("site", "overall_condition", "identification")
            .order_by("-assessed_on", "-id"),
            LIST_LENGTH,
        )
        context.update(
            {
                "sources": sources,
                "source_count": source_count,
                "statements": statements,
                "statement_count": statement_count,
                "assessments": assessments,
                "assessment_count": assessment_count,
                "list_length": LIST_LENGTH,
                "count_limit": selectors.COUNT_LIMIT,
            }
        )
        return context


#: Sites on a page of ``/disagreements/``.
DISAGREEMENTS_PER_PAGE = 50
#: Sites of ``/disagreements/`` counted and listed at most, as a broad search's are: the
#: page then says that more disagree. Counting the 249,494 disputed sites of the synthetic
#: register of 500,000 took 110-150 ms, and its 2,000th page skipped 100,000 (0.5 s).
DISAGREEMENTS_LIMIT = 10_000


class CountedPaginator(Paginator):
    """A paginator told its count rather than counting."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


def disagreements(request):
    """``/disagreements/``: the published sites whose assessors' latest verdicts disagree
    (see ``public.comparison``), 50 a page, by name, the first ``DISAGREEMENTS_LIMIT`` at
    most; their number is cached until an assessment, a visit or a site's publication
    changes. At 500,000 synthetic sites
    237,007 disagree: listed all at once, the page took 117 s and weighed 94 MB."""
    sites = comparison.disputed_sites()
    limit = DISAGREEMENTS_LIMIT
    # The marks change with assessments, visits and sites' publication, as the assessors'
    # group does: an edit of anything else leaves the count cached.
    count = cached_under(
        f"disputed-sites:{limit}:{versions_of('assessors')}",
        lambda: sites.order_by().values("pk")[: limit + 1].count(),
    )
    more = count > limit
    count = min(count, limit)
    paginator = CountedPaginator(sites, DISAGREEMENTS_PER_PAGE, count)
    number = request.GET.get("page") or 1
    if number == "last":
        number = paginator.num_pages
    try:
        page = page_of(paginator, number)
    except InvalidParameter as invalid:
        context = {"errors": [invalid.error], "count": count}
        return render(request, "public/disagreement_list.html", context, status=400)
    context = {
        "sites": comparison.verdicts_of(page.object_list),
        "page_obj": page,
        "count": count,
        "more": more,
        "errors": [],
    }
    return render(request, "public/disagreement_list.html", context)
