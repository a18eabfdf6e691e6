"""What the public must never see: records short of published, staff identities and notes,
and a withheld site's own position; and the text fields staff type, which the public pages
must escape."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from heritage.base import PublicationStatus
from tests import factories

#: In the name or text of every restricted record: never in a public answer.
SECRET = "restricted-7f3a"
UNPUBLISHED = [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.REJECTED]

#: A withheld site's own position: only its place's may be shown.
WITHHELD = ("39.512345", "47.054321")

#: Raw, this would open an element; escaped, it is text.
HOSTILE = "'\"<x-hostile>"
ESCAPED = "&#x27;&quot;&lt;x-hostile&gt;"


def register_models():
    """The models of both apps, without their history tables."""
    return [
        model
        for app in ("heritage", "inspections")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def typed_text_fields(model):
    """Text fields staff fill in, in the admin or in an import, long enough for ``HOSTILE``
    and a row's id."""
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, models.SlugField | models.URLField | models.EmailField):
            continue
        if field.choices or not field.editable or field.primary_key:
            continue
        if field.max_length and field.max_length < len(HOSTILE) + 8:
            continue
        yield field


def add_unpublished_records(site, visit):
    """For each status short of published: a site in ``site``'s place assessed on ``visit``,
    and an assessment, claim and cited source of ``site``, a visit and a figure, all named
    with ``SECRET``. Returns the unpublished sources."""
    sources = []
    for status in UNPUBLISHED:
        slug = status.replace("_", "-")
        draft_site = factories.SiteFactory(
            slug=f"draft-{slug}",
            name=f"{SECRET} zebrastripe {status}",
            place=site.place,
            publication_status=status,
        )
        factories.AssessmentFactory(site=draft_site, visit=visit, published=True)
        factories.AssessmentFactory(
            site=site, summary=f"{SECRET} assessment {status}", publication_status=status
        )
        factories.SiteClaimFactory(
            site=site, statement=f"{SECRET} claim {status}", publication_status=status
        )
        source = factories.SourceFactory(
            title=f"{SECRET} source {status}", publication_status=status
        )
        factories.SiteCitationFactory(site=site, source=source, summary=f"{SECRET} cites")
        factories.VisitFactory(
            slug=f"visit-{slug}", title=f"{SECRET} visit {status}", publication_status=status
        )
        factories.ReportedFigureFactory(
            subject=f"{SECRET} figure {status}", publication_status=status
        )
        sources.append(source)
    return sources


def add_staff_identities():
    """Makes a staff member whose names hold ``SECRET`` the one who entered, submitted and
    reviewed every record, and fills every staff-only note with ``SECRET``."""
    uploader = get_user_model().objects.create_user(
        f"{SECRET}-uploader",
        f"{SECRET}@staff.register.example",
        "correct horse battery staple",
        first_name=f"{SECRET}-first",
        last_name=f"{SECRET}-last",
        is_staff=True,
    )
    for model in register_models():
        user_fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.ForeignKey) and field.related_model is get_user_model()
        ]
        staff_notes = [
            field.name
            for field in typed_text_fields(model)
            if "review" in field.name or "internal" in field.name
        ]
        values = dict.fromkeys(user_fields, uploader)
        values.update(dict.fromkeys(staff_notes, f"{SECRET} staff note"))
        if values:
            model._base_manager.update(**values)
