"""factory_boy factories for the register's models.

Every factory builds a valid row with the fewest related rows it needs. Records that
can be published start as drafts, as they do in the register; ask for a public one with
``SiteFactory(published=True)``.

Vocabulary terms are not made here: the EAMENA terms are loaded by a data migration, so
factories fetch them by their English label (``term(CauseCategory, "Vandalism")``).
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from heritage.base import PublicationStatus
from heritage.models import (
    ImportFilePiece,
    ImportJob,
    NameKind,
    Organisation,
    Person,
    Place,
    PlaceName,
    ReportedFigure,
    Site,
    SiteCitation,
    SiteClaim,
    SiteClaimTranslation,
    SiteIdentifier,
    SiteName,
    SiteTranslation,
    Source,
)
from inspections.models import (
    Assessment,
    AssessmentCitation,
    AssessmentType,
    CauseCategory,
    Disturbance,
    Evidence,
    EvidenceTranslation,
    OverallCondition,
    Participation,
    ResponsibilityClaim,
    Statement,
    Visit,
    VisitCitation,
    VisitEvent,
)


def term(model, label):
    """The EAMENA term ``label`` of the vocabulary ``model``."""
    return model.objects.get(label=label)


def condition(label):
    """The EAMENA overall condition ``label`` ("Destroyed", "Poor", ...)."""
    return term(OverallCondition, label)


def eamena_term(model, label):
    """A declaration that fetches the EAMENA term ``label`` of ``model`` when a row is made."""
    return factory.LazyFunction(lambda: term(model, label))


class PublishableFactory(DjangoModelFactory):
    """Base for records with a publication status: drafts unless ``published=True``."""

    class Meta:
        abstract = True

    publication_status = PublicationStatus.DRAFT

    class Params:
        published = factory.Trait(publication_status=PublicationStatus.PUBLISHED)


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = Place

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    kind = Place.Kind.CITY


class NameFactory(DjangoModelFactory):
    """Base for the name variants of places and sites: official names in Azerbaijani."""

    class Meta:
        abstract = True

    language = "az"
    script = "Latn"
    kind = NameKind.OFFICIAL


class PlaceNameFactory(NameFactory):
    class Meta:
        model = PlaceName

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(lambda n: f"Yer {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.NGO


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)


class SourceFactory(PublishableFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "Example News"
    url = factory.Sequence(lambda n: f"https://news.example.org/reports/{n}")
    published_on = datetime.date(2023, 11, 20)
    language = "en"
    kind = Source.Kind.NEWS_REPORT


class SiteFactory(PublishableFactory):
    class Meta:
        model = Site

    slug = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: f"Site {n}")
    category = Site.Category.MOSQUE
    place = factory.SubFactory(PlaceFactory)


class SiteNameFactory(NameFactory):
    class Meta:
        model = SiteName

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Abidə {n}")


class SiteClaimFactory(PublishableFactory):
    class Meta:
        model = SiteClaim

    slug = factory.Sequence(lambda n: f"claim-{n}")
    site = factory.SubFactory(SiteFactory)
    kind = SiteClaim.Kind.DATING
    statement = "Built in the 17th century."
    year_from = 1601
    year_to = 1700
    dating_label = "17th century"
    source = factory.SubFactory(SourceFactory)


class SiteIdentifierFactory(DjangoModelFactory):
    class Meta:
        model = SiteIdentifier

    site = factory.SubFactory(SiteFactory)
    scheme = SiteIdentifier.Scheme.EAMENA
    value = factory.Sequence(lambda n: f"EAMENA-{n:07d}")


class SiteCitationFactory(DjangoModelFactory):
    class Meta:
        model = SiteCitation

    site = factory.SubFactory(SiteFactory)
    source = factory.SubFactory(SourceFactory)
    summary = "Describes the site."


class ReportedFigureFactory(PublishableFactory):
    class Meta:
        model = ReportedFigure

    slug = factory.Sequence(lambda n: f"figure-{n}")
    metric = "destroyed"
    subject = "libraries"
    category = Site.Category.LIBRARY
    value = Decimal("927")
    source = factory.SubFactory(SourceFactory)


class VisitFactory(PublishableFactory):
    class Meta:
        model = Visit

    slug = factory.Sequence(lambda n: f"visit-{n}")
    title = factory.Sequence(lambda n: f"Visit {n}")
    kind = Visit.Kind.DELEGATION
    status = Visit.Status.COMPLETED
    start_date = datetime.date(2024, 5, 1)


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    visit = factory.SubFactory(VisitFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    role = Participation.Role.MEMBER


class VisitCitationFactory(DjangoModelFactory):
    class Meta:
        model = VisitCitation

    visit = factory.SubFactory(VisitFactory)
    source = factory.SubFactory(SourceFactory)
    summary = "Reports the visit."


class AssessmentFactory(PublishableFactory):
    class Meta:
        model = Assessment

    slug = factory.Sequence(lambda n: f"assessment-{n}")
    site = factory.SubFactory(SiteFactory)
    assessed_on = datetime.date(2024, 5, 1)
    assessment_type = eamena_term(AssessmentType, "Field-based Assessment")
    overall_condition = factory.LazyAttribute(lambda row: term(OverallCondition, row.condition))

    class Params:
        #: The English label of the overall condition.
        condition = "Poor"


def published_assessment(site, assessed_on, condition, **fields):
    """A published assessment of ``site`` on the day ``assessed_on`` that found it in
    ``condition`` (an English label)."""
    return AssessmentFactory(
        site=site, published=True, assessed_on=assessed_on, condition=condition, **fields
    )


class AssessmentCitationFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentCitation

    assessment = factory.SubFactory(AssessmentFactory)
    source = factory.SubFactory(SourceFactory)
    summary = "Describes the damage."


def next_disturbance_position(disturbance):
    """One more than the number of disturbances the assessment already has."""
    assessment = disturbance.assessment
    return assessment.disturbances.count() + 1 if assessment.pk else 1


class DisturbanceFactory(DjangoModelFactory):
    class Meta:
        model = Disturbance

    assessment = factory.SubFactory(AssessmentFactory)
    position = factory.LazyAttribute(next_disturbance_position)
    cause_category = eamena_term(CauseCategory, "Vandalism")


class ResponsibilityClaimFactory(DjangoModelFactory):
    class Meta:
        model = ResponsibilityClaim

    disturbance = factory.SubFactory(DisturbanceFactory)
    attributed_to = "Unidentified persons"
    source = factory.SubFactory(SourceFactory)


class EvidenceFactory(PublishableFactory):
    """An evidence row without a stored file: for database rules only. Tests of files use
    ``inspections.evidence.storage.evidence_create`` with images made in the test."""

    class Meta:
        model = Evidence

    site = factory.SubFactory(SiteFactory)
    kind = Evidence.Kind.PHOTO
    format = Evidence.Format.JPEG
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    size = 1024
    original = factory.LazyAttribute(lambda item: f"evidence/originals/{item.sha256}.jpg")
    alt_text = "A photo"


class EvidenceTranslationFactory(DjangoModelFactory):
    class Meta:
        model = EvidenceTranslation

    evidence = factory.SubFactory(EvidenceFactory)
    language = "az"
    caption = "Şəkil"


class SiteTranslationFactory(DjangoModelFactory):
    class Meta:
        model = SiteTranslation

    site = factory.SubFactory(SiteFactory)
    language = "az"
    description = "Daş məscid."


class SiteClaimTranslationFactory(DjangoModelFactory):
    class Meta:
        model = SiteClaimTranslation

    claim = factory.SubFactory(SiteClaimFactory)
    language = "az"
    statement = "XVII əsrdə tikilib."


class StatementFactory(PublishableFactory):
    class Meta:
        model = Statement

    slug = factory.Sequence(lambda n: f"statement-{n}")
    quote = "a crime against humanity"
    speaker_person = factory.SubFactory(PersonFactory)
    source = factory.SubFactory(SourceFactory, published=True)


class VisitEventFactory(DjangoModelFactory):
    class Meta:
        model = VisitEvent

    visit = factory.SubFactory(VisitFactory)
    happened_on = datetime.date(2021, 1, 13)
    title = factory.Sequence(lambda n: f"Event {n}")
    source = factory.SubFactory(SourceFactory, published=True)


#: The factory of every model of the register, by model.
MODEL_FACTORIES = {
    factory_class._meta.model: factory_class
    for factory_class in [
        PlaceFactory,
        PlaceNameFactory,
        OrganisationFactory,
        PersonFactory,
        SourceFactory,
        SiteFactory,
        SiteNameFactory,
        SiteClaimFactory,
        SiteCitationFactory,
        SiteIdentifierFactory,
        SiteTranslationFactory,
        SiteClaimTranslationFactory,
        ReportedFigureFactory,
        VisitFactory,
        ParticipationFactory,
        VisitCitationFactory,
        AssessmentFactory,
        AssessmentCitationFactory,
        DisturbanceFactory,
        ResponsibilityClaimFactory,
        EvidenceFactory,
        EvidenceTranslationFactory,
        StatementFactory,
        VisitEventFactory,
    ]
}


class UserFactory(DjangoModelFactory):
    """A staff user; ``groups`` names the register's groups (Editor, Reviewer) to join."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    is_staff = True
    password = factory.django.Password("a-test-password-1234")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))


def editor(**fields):
    """A member of the Editor group, as the data migration made it."""
    return UserFactory(groups=["Editor"], **fields)


def reviewer(**fields):
    """A member of the Reviewer group, as the data migration made it."""
    return UserFactory(groups=["Reviewer"], **fields)


class ImportJobFactory(DjangoModelFactory):
    """An import of sites waiting for a worker, with no file stored yet."""

    class Meta:
        model = ImportJob

    model = "heritage.site"
    user = factory.SubFactory(UserFactory)
    file_name = "sites.csv"
    file_format = 0


class ImportFilePieceFactory(DjangoModelFactory):
    class Meta:
        model = ImportFilePiece

    job = factory.SubFactory(ImportJobFactory)
    number = 1
    data = b"slug,name\n"


MODEL_FACTORIES.update({ImportJob: ImportJobFactory, ImportFilePiece: ImportFilePieceFactory})

# Restoration projects, training courses and commitments have their factories in a module
# of their own; they join the registry here, after every name they build on is defined.
from tests.recovery_factories import RECOVERY_FACTORIES  # noqa: E402

MODEL_FACTORIES.update(RECOVERY_FACTORIES)
