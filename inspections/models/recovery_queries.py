"""Reads of restoration projects, training courses and commitments, chainable from their
managers.

A project is public when it is published and so is its site. Status updates, budgets and
roles are not reviewed on their own: they are shown only with a published source, like
citations. The current status of a project or commitment is its latest update with a
published source (``with_current_status``); a commitment with none is of unknown status.
Models are looked up through the app registry, as this module is imported by their own.
"""

from django.apps import apps
from django.db.models import OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from heritage.base import PublicationStatus, PublishableQuerySet

PUBLISHED = PublicationStatus.PUBLISHED


def model(name):
    return apps.get_model("inspections", name)


def latest_public_status(update_model, parent_field):
    """The status of a record's latest update whose source is published, as a subquery."""
    updates = update_model.objects.filter(
        **{parent_field: OuterRef("pk")}, source__publication_status=PUBLISHED
    ).order_by("-date", "-id")
    return Subquery(updates.values("status")[:1])


def public_source_rows(model_name, *related):
    """Rows of ``model_name`` with a published source, source (and ``related``) loaded."""
    return (
        model(model_name)
        .objects.filter(source__publication_status=PUBLISHED)
        .select_related("source", *related)
    )


class RestorationProjectQuerySet(PublishableQuerySet):
    def public(self):
        """Published projects of published sites (``site_published``, kept equal to the
        site's publication by ``inspections.project_sites``, so that no site is read)."""
        return self.published().filter(site_published=True)

    def with_current_status(self):
        return self.annotate(
            current_status=latest_public_status(model("ProjectStatusUpdate"), "project")
        )

    def for_listing(self):
        """With the site and its place, the organisations' roles and the budgets with a
        published source (``public_budgets``), and the current status."""
        roles = (
            model("ProjectRole")
            .objects.select_related("organisation", "source")
            .order_by("role", "id")
        )
        budgets = public_source_rows("ProjectBudget").order_by("currency", "id")
        return (
            self.with_current_status()
            .select_related("site", "site__place")
            .prefetch_related(
                Prefetch("roles", queryset=roles),
                Prefetch("budgets", queryset=budgets, to_attr="public_budgets"),
            )
        )

    def for_page(self):
        """What a project's page shows besides the listing's: its source, the status updates
        with a published source (``public_updates``) and before/after evidence that is public
        (``public_evidence_links``)."""
        updates = public_source_rows("ProjectStatusUpdate").order_by("date", "id")
        evidence = (
            model("ProjectEvidence")
            .objects.filter(evidence__in=model("Evidence").objects.public())
            .select_related("evidence")
            .order_by("phase", "id")
        )
        return (
            self.for_listing()
            .select_related("source", "fabric_source")
            .prefetch_related(
                Prefetch("status_updates", queryset=updates, to_attr="public_updates"),
                Prefetch("evidence_links", queryset=evidence, to_attr="public_evidence_links"),
                Prefetch(
                    "training_courses",
                    queryset=model("TrainingCourse").objects.public(),
                    to_attr="public_courses",
                ),
            )
        )


class TrainingCourseQuerySet(PublishableQuerySet):
    def public(self):
        """Published courses whose source is published too: a course is reported, never the
        register's own knowledge."""
        return self.published().filter(source__publication_status=PUBLISHED)

    def for_listing(self):
        """With the place, the source and the organisers, newest first."""
        return (
            self.select_related("place", "source")
            .prefetch_related("organisers")
            .order_by("-start_date", "title", "id")
        )

    def for_page(self):
        """Besides the listing's: the public projects it serves (``public_projects``) and the
        public commitments it serves (``public_commitments``)."""
        return self.for_listing().prefetch_related(
            Prefetch(
                "projects",
                queryset=model("RestorationProject")
                .objects.public()
                .select_related("site")
                .order_by("title", "id"),
                to_attr="public_projects",
            ),
            Prefetch(
                "commitments",
                queryset=model("Commitment").objects.public().order_by("-made_on", "title", "id"),
                to_attr="public_commitments",
            ),
        )


class CommitmentQuerySet(PublishableQuerySet):
    def with_current_status(self):
        unknown = model("Commitment").Status.UNKNOWN
        return self.annotate(
            current_status=Coalesce(
                latest_public_status(model("CommitmentUpdate"), "commitment"), Value(unknown)
            )
        )

    def by_organisation(self, organisation):
        """Commitments made by ``organisation`` or by a person on its behalf."""
        return self.filter(
            Q(by_organisation=organisation) | Q(by_person__organisation=organisation)
        )

    def for_listing(self):
        """With who committed, to whom, the occasion, the source and the timeline: updates
        with a published source (``public_updates``), each with the records it links to."""
        updates = public_source_rows(
            "CommitmentUpdate", "visit", "project", "project__site", "course"
        ).order_by("date", "id")
        return (
            self.with_current_status()
            .select_related(
                "by_organisation",
                "by_person",
                "by_person__organisation",
                "to_organisation",
                "occasion_visit",
                "source",
            )
            .prefetch_related(Prefetch("updates", queryset=updates, to_attr="public_updates"))
        )

    def for_page(self):
        return self.for_listing().prefetch_related(
            Prefetch(
                "courses",
                queryset=model("TrainingCourse").objects.public().select_related("place", "source"),
                to_attr="public_courses",
            )
        )
