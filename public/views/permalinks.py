"""Short permanent addresses by id: ``/s/<id>`` (site), ``/v/<id>`` (visit), ``/a/<id>``
(assessment), ``/src/<id>`` (source) and ``/f/<id>`` (reported figure).

An id never changes, whatever happens to a record's slug, so these addresses are the ones
to cite. Each answers a permanent redirect (301) to the record's current page in the
language of the address; a record the public may not see is a 404, as its page would be.
An assessment and a figure have no page of their own: they lead to their place on the
site's dossier and on ``/figures/``.
"""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from heritage.models import Site, Source
from inspections.models import Assessment, Visit
from public import selectors


def site(request, pk):
    return HttpResponsePermanentRedirect(
        get_object_or_404(Site.objects.public(), pk=pk).get_absolute_url()
    )


def visit(request, pk):
    return HttpResponsePermanentRedirect(
        get_object_or_404(Visit.objects.public(), pk=pk).get_absolute_url()
    )


def assessment(request, pk):
    found = get_object_or_404(Assessment.objects.public().select_related("site"), pk=pk)
    return HttpResponsePermanentRedirect(f"{found.site.get_absolute_url()}#assessment-{found.pk}")


def source(request, pk):
    return HttpResponsePermanentRedirect(
        get_object_or_404(Source.objects.public(), pk=pk).get_absolute_url()
    )


def figure(request, pk):
    found = get_object_or_404(selectors.public_figures(), pk=pk)
    return HttpResponsePermanentRedirect(f"{reverse('figure-list')}#figure-{found.pk}")


#: The permanent address's URL name for each kind of record that has one.
PERMALINK_NAMES = {
    Site: "site-permalink",
    Visit: "visit-permalink",
    Assessment: "assessment-permalink",
    Source: "source-permalink",
}


def permalink(record):
    """The permanent address (a path) of ``record``."""
    return reverse(PERMALINK_NAMES[type(record)], args=[record.pk])
