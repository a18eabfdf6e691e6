"""``/organisations/<slug>/``: an organisation, what kind of body it is, and what the
register holds from it: the published sources it publishes, the statements it (or someone
speaking for it) made, and the published assessments said to be its own.

It shows whether two sources are independent (the same publisher or not) and keeps an
organisation's own words apart from what others report of it."""

from django.db.models import Q
from django.shortcuts import render
from django.views.generic import DetailView

from heritage.models import Organisation, Source
from inspections.models import Assessment, Statement
from public import comparison


class OrganisationDetailView(DetailView):
    template_name = "public/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        context.update(
            {
                "sources": list(
                    Source.objects.public()
                    .filter(publisher_organisation=organisation)
                    .order_by("-published_on", "title", "id")
                ),
                "statements": list(
                    Statement.objects.public()
                    .filter(
                        Q(speaker_organisation=organisation)
                        | Q(speaker_person__organisation=organisation)
                    )
                    .for_display()
                ),
                "assessments": list(
                    Assessment.objects.public()
                    .filter(assessed_by=organisation)
                    .select_related("site", "overall_condition", "identification")
                    .order_by("-assessed_on", "site__name", "id")
                ),
            }
        )
        return context


def disagreements(request):
    """``/disagreements/``: the published sites whose assessors' latest verdicts disagree
    (see ``public.comparison``)."""
    return render(
        request, "public/disagreement_list.html", {"sites": comparison.disagreeing_sites()}
    )
