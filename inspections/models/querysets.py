"""Reads of visits and assessments, chainable from their managers.

``Assessment.objects.public()`` means "published, made on a published visit if on any, of a
published site", and the
``for_*`` methods load what a public page shows of each record in a fixed number of
queries, every citation and attribution only with a published source. The models are looked
up through the app registry because this module is imported by the package ``inspections.models``.
"""

from django.apps import apps
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.db.models.query import ModelIterable

from heritage.base import PublicationStatus, PublishableQuerySet
from heritage.cache import kept_for_request, versions_of
from heritage.models import with_public_source

PUBLISHED = PublicationStatus.PUBLISHED


def model(name):
    return apps.get_model("inspections", name)


#: An assessment made on a visit is public only once the visit is: a reviewer publishing a
#: visit publishes what was found on it, and withdrawing it withdraws its findings.
VISIT_PUBLIC = Q(visit__isnull=True) | Q(visit__publication_status=PUBLISHED)


#: The vocabulary terms a dossier shows of each assessment, by field and model: a handful of
#: rows each, which ``WithTerms`` attaches from the cache rather than joining them.
ASSESSMENT_TERMS = {
    "assessment_type": "AssessmentType",
    "overall_condition": "OverallCondition",
    "damage_extent": "DamageExtent",
    "damage_trend": "DamageTrend",
    "priority": "Priority",
}


def assessment_terms():
    """{field: {id: term}} of ``ASSESSMENT_TERMS``, cached until a term changes (the "terms"
    group's version): read in one query a vocabulary, and from the cache once a request."""

    def read():
        return {
            field: {term.pk: term for term in model(name).objects.all()}
            for field, name in ASSESSMENT_TERMS.items()
        }

    return kept_for_request(f"assessment-terms:{versions_of('terms')}", read)


class WithTerms(ModelIterable):
    """Assessments with their ``ASSESSMENT_TERMS`` attached from :func:`assessment_terms`, as
    ``select_related`` would give them. Joined, those five tables made PostgreSQL plan a
    dossier's assessments for about 4 ms at 500,000 sites, to read them in 0.1-0.2; a term
    missing from the cache (added since it was read) is left to be read when asked for."""

    def __iter__(self):
        fields = None
        for assessment in super().__iter__():
            if fields is None:
                # Read at the first row: no assessment, no terms.
                fields = [
                    (self.queryset.model._meta.get_field(field), by_id)
                    for field, by_id in assessment_terms().items()
                ]
            for field, by_id in fields:
                term = by_id.get(getattr(assessment, field.attname))
                if term is not None:
                    field.set_cached_value(assessment, term)
            yield assessment


class AssessmentQuerySet(PublishableQuerySet):
    def published(self):
        """Published assessments whose visit, if any, is published too, whatever their site's
        state (see ``public()``)."""
        return super().published().filter(VISIT_PUBLIC)

    def public(self):
        """Published assessments of published sites, on a published visit if on any."""
        return self.published().filter(site__publication_status=PUBLISHED)

    def for_dossier(self):
        """Newest first, with their terms, their citations of published sources
        (``public_citations``) and their disturbances (``public_disturbances``), each with
        its attributions of responsibility to a published source
        (``public_responsibility_claims``)."""
        claims = with_public_source(model("ResponsibilityClaim").objects.order_by("id"))
        disturbances = (
            model("Disturbance")
            .objects.select_related(
                "cause_category", "cause_type", "cause_certainty", "effect_certainty"
            )
            .prefetch_related(
                "effect_types",
                Prefetch(
                    "responsibility_claims",
                    queryset=claims,
                    to_attr="public_responsibility_claims",
                ),
            )
            .order_by("position", "id")
        )
        citations = with_public_source(model("AssessmentCitation").objects.order_by("id"))
        return (
            self.select_related("assessed_by", "identification")
            .with_terms()
            .prefetch_related(
                Prefetch("citations", queryset=citations, to_attr="public_citations"),
                Prefetch("disturbances", queryset=disturbances, to_attr="public_disturbances"),
            )
            .order_by("-assessed_on", "-id")
        )

    def with_terms(self):
        """With the vocabulary terms of ``ASSESSMENT_TERMS`` attached (``WithTerms``)."""
        clone = self._chain()
        clone._iterable_class = WithTerms
        return clone

    def for_visit_page(self):
        """By site, with the site's names, disturbances and citations of published sources
        (``public_citations``), as a visit's page lists its findings."""
        disturbances = model("Disturbance").objects.select_related("cause_category", "cause_type")
        citations = with_public_source(model("AssessmentCitation").objects.all())
        return (
            self.select_related(
                "site", "overall_condition", "assessment_type", "assessed_by", "identification"
            )
            .prefetch_related(
                "site__names",
                Prefetch("disturbances", queryset=disturbances),
                Prefetch("citations", queryset=citations, to_attr="public_citations"),
            )
            .order_by("site__name", "-assessed_on", "id")
        )


class VisitQuerySet(PublishableQuerySet):
    def for_listing(self):
        """With organisations and places."""
        return self.prefetch_related("organisations", "places")

    def for_page(self):
        """With everything a visit's page shows: organisations, places, participants (the
        leader first), citations of published sources (``public_citations``) and public
        assessments (``public_assessments``, see ``AssessmentQuerySet.for_visit_page``)."""
        participation = model("Participation")
        leader_first = Case(
            When(role=participation.Role.LEADER, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        participations = (
            participation.objects.select_related("person", "organisation")
            .annotate(leader_first=leader_first)
            .order_by("leader_first", "person__name", "id")
        )
        citations = with_public_source(model("VisitCitation").objects.all())
        assessments = model("Assessment").objects.public().for_visit_page()
        return self.prefetch_related(
            "organisations",
            "places",
            Prefetch("participations", queryset=participations),
            Prefetch("citations", queryset=citations, to_attr="public_citations"),
            Prefetch("assessments", queryset=assessments, to_attr="public_assessments"),
        )
