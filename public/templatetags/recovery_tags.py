"""Restoration projects and commitments on other records' pages: a site's dossier, a visit's
page, an organisation's page and the home page, each through its own include template.

Each tag reads public records only, in a fixed number of queries.
"""

from django import template
from django.db.models import Count, Q

from heritage.cache import cached
from inspections.models import (
    FULFILLED_STATUSES,
    Commitment,
    CommitmentUpdate,
    RestorationProject,
    TrainingCourse,
    budget_totals,
)
from public import selectors
from public.selectors import first_and_count
from public.views import organisations as organisation_pages
from public.views.recovery import mark_deadlines, project_status_label

register = template.Library()


def with_labels(projects):
    for project in projects:
        project.status_label = project_status_label(project.current_status)
        project.totals = budget_totals(project.public_budgets)
    return projects


@register.simple_tag
def site_restoration_projects(site):
    """``{% site_restoration_projects site as projects %}``: the site's public projects."""
    return with_labels(
        list(RestorationProject.objects.public().filter(site=site).for_listing().order_by("title"))
    )


@register.simple_tag
def visit_commitments(visit):
    """Public commitments made on ``visit`` or whose timeline links to it, with timelines."""
    linked = CommitmentUpdate.objects.filter(visit=visit).values("commitment_id")
    commitments = Commitment.objects.public().filter(Q(occasion_visit=visit) | Q(pk__in=linked))
    return mark_deadlines(list(commitments.for_listing()))


@register.simple_tag
def organisation_recovery(organisation):
    """{"commitments": …, "projects": …, "courses": …}: what ``organisation`` committed to
    (itself or a person on its behalf), the public projects it has a role in and the public
    training courses it organised, the first ``LIST_LENGTH`` of each, with how many there
    are (``commitment_count``, ``project_count``, ``course_count``)."""
    length = organisation_pages.LIST_LENGTH
    commitments, commitment_count = first_and_count(
        Commitment.objects.public().by_organisation(organisation).for_listing(), length
    )
    projects = RestorationProject.objects.public().filter(
        pk__in=organisation.project_roles.values("project_id")
    )
    projects, project_count = first_and_count(
        projects.for_listing().order_by("title", "id"), length
    )
    courses, course_count = first_and_count(
        TrainingCourse.objects.public().filter(organisers=organisation).for_listing(), length
    )
    return {
        "commitments": mark_deadlines(commitments),
        "commitment_count": commitment_count,
        "projects": with_labels(projects),
        "project_count": project_count,
        "courses": courses,
        "course_count": course_count,
        "list_length": length,
        "count_limit": selectors.COUNT_LIMIT,
    }


@register.simple_tag
def commitment_counts():
    """{"total": …, "fulfilled": …}: public commitments, and those whose latest update with
    a published source reports them fulfilled or partly fulfilled: one query, cached until
    the register changes."""
    return cached(
        "commitment-counts",
        lambda: (
            Commitment.objects.public()
            .with_current_status()
            .aggregate(
                total=Count("pk"),
                fulfilled=Count("pk", filter=Q(current_status__in=FULFILLED_STATUSES)),
            )
        ),
    )
