"""The admin: every model of the register can be listed, added and edited by staff.

Review, history and concurrent edits are tested in test_review.py and test_history.py;
validation messages in test_validation.py.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from simple_history.models import HistoricalChanges

from heritage.admin import RegisterAdmin
from heritage.models import (
    Organisation,
    Person,
    Place,
    PlaceName,
    ReportedFigure,
    Site,
    SiteCitation,
    SiteClaim,
    SiteName,
    Source,
)
from inspections.models import (
    Assessment,
    AssessmentCitation,
    Disturbance,
    Evidence,
    EvidenceTranslation,
    Participation,
    ResponsibilityClaim,
    SiteStatus,
    Visit,
    VisitCitation,
)
from inspections.vocabularies import (
    VOCABULARIES,
    CauseCategory,
    CauseType,
    Certainty,
    EffectType,
    OverallCondition,
)
from tests.admin_forms import page_data, post_page
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    DisturbanceFactory,
    EvidenceFactory,
    OrganisationFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

APPS = ("heritage", "inspections")

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label_lower,
)


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def make_place(slug, name, **fields):
    return Place.objects.create(slug=slug, name=name, kind=Place.Kind.VILLAGE, **fields)


def make_site(slug, name, place, **fields):
    return Site.objects.create(
        slug=slug, name=name, category=Site.Category.MOSQUE, place=place, **fields
    )


def build_records(n):
    """One row of every model of both apps, all of them told apart by ``n``."""
    records = {
        vocabulary: vocabulary.objects.create(
            label=f"Test {vocabulary._meta.verbose_name} {n}", position=0
        )
        for vocabulary in VOCABULARIES
    }
    country = Place.objects.create(
        slug=f"country-{n}", name=f"Country {n}", kind=Place.Kind.COUNTRY
    )
    place = make_place(f"village-{n}", f"Village {n}", parent=country)
    organisation = Organisation.objects.create(
        slug=f"organisation-{n}",
        name=f"Organisation {n}",
        acronym=f"ORG{n}",
        kind=Organisation.Kind.NGO,
    )
    person = Person.objects.create(
        slug=f"person-{n}", name=f"Person {n}", organisation=organisation
    )
    source = Source.objects.create(
        slug=f"source-{n}",
        title=f"Report {n}",
        publisher=f"Publisher {n}",
        kind=Source.Kind.NGO_REPORT,
        published_on=datetime.date(2024, 3, 1),
    )
    site = make_site(f"site-{n}", f"Site {n}", place)
    visit = Visit.objects.create(
        slug=f"visit-{n}",
        title=f"Visit {n}",
        kind=Visit.Kind.DELEGATION,
        status=Visit.Status.COMPLETED,
        start_date=datetime.date(2024, 4, 1),
    )
    assessment = Assessment.objects.create(
        slug=f"assessment-{n}",
        site=site,
        visit=visit,
        assessed_on=datetime.date(2024, 4, 2),
        assessed_by=organisation,
        overall_condition=records[OverallCondition],
    )
    disturbance = Disturbance.objects.create(
        assessment=assessment,
        cause_category=records[CauseCategory],
        cause_type=records[CauseType],
        cause_certainty=records[Certainty],
    )
    disturbance.effect_types.add(records[EffectType])
    records.update(
        {
            Place: place,
            PlaceName: PlaceName.objects.create(place=place, name=f"Kənd {n}", language="az"),
            Organisation: organisation,
            Person: person,
            Source: source,
            Site: site,
            SiteName: SiteName.objects.create(site=site, name=f"Abidə {n}", language="az"),
            SiteClaim: SiteClaim.objects.create(
                slug=f"claim-{n}",
                site=site,
                kind=SiteClaim.Kind.DATING,
                statement="Built in the 17th century.",
                source=source,
            ),
            SiteCitation: SiteCitation.objects.create(site=site, source=source, summary="Seen."),
            ReportedFigure: ReportedFigure.objects.create(
                slug=f"figure-{n}",
                metric="destroyed",
                subject="libraries",
                value=Decimal(927),
                area=place,
                reported_by=organisation,
                source=source,
            ),
            Visit: visit,
            Participation: Participation.objects.create(
                visit=visit,
                person=person,
                organisation=organisation,
                role=Participation.Role.LEADER,
            ),
            VisitCitation: VisitCitation.objects.create(
                visit=visit, source=source, summary="The visit took place."
            ),
            Assessment: assessment,
            AssessmentCitation: AssessmentCitation.objects.create(
                assessment=assessment, source=source, summary="Roof collapsed."
            ),
            Disturbance: disturbance,
            ResponsibilityClaim: ResponsibilityClaim.objects.create(
                disturbance=disturbance, attributed_to=f"Party {n}", source=source
            ),
        }
    )
    evidence = EvidenceFactory(site=site, caption=f"Photo {n}", sha256=f"{n:064x}")
    records[Evidence] = evidence
    records[EvidenceTranslation] = EvidenceTranslation.objects.create(
        evidence=evidence, language="az", caption=f"Şəkil {n}"
    )
    return records


@pytest.fixture
def records():
    return build_records(1)


def register_models():
    """The register's models, without the history tables (shown from each record's page) and
    without SiteStatus, which is derived from the assessments and never edited by hand."""
    return {
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges) and model is not SiteStatus
    }


def test_every_model_of_both_apps_is_registered():
    assert register_models() == set(REGISTERED)


def test_every_model_has_the_history_and_review_admin():
    assert all(isinstance(admin.site._registry[model], RegisterAdmin) for model in REGISTERED)
    assert all(hasattr(model, "history") for model in REGISTERED)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_every_changelist_has_columns_filters_and_search(model):
    model_admin = admin.site._registry[model]

    assert model_admin.list_display != ("__str__",)
    assert model_admin.list_filter
    assert model_admin.search_fields


#: Tables too large for a plain drop-down: foreign keys to them use autocomplete.
LARGE_TABLES = {Place, Organisation, Person, Source, Site, Visit, Assessment, Disturbance}


def admin_pages():
    for model_admin in admin.site._registry.values():
        if model_admin.model in REGISTERED:
            yield model_admin.model, model_admin, None
            for inline in model_admin.inlines:
                yield inline.model, inline, model_admin.model


def test_every_foreign_key_to_a_large_table_uses_autocomplete():
    missing = []
    for model, page, parent in admin_pages():
        for field in model._meta.get_fields():
            if not (field.many_to_one or field.many_to_many) or not field.concrete:
                continue
            if field.related_model not in LARGE_TABLES or not field.editable:
                continue
            if field.many_to_many and not field.remote_field.through._meta.auto_created:
                continue  # Edited as the inline of its own model.
            if field.related_model is parent or field.name in page.autocomplete_fields:
                continue
            if page.fields is None or field.name in flatten(page.fields):
                missing.append(f"{type(page).__name__}.{field.name}")
    assert missing == []


def test_models_with_dates_have_a_date_hierarchy():
    for model, name in [
        (Source, "published_on"),
        (ReportedFigure, "period_start"),
        (Visit, "start_date"),
        (Assessment, "assessed_on"),
        (Disturbance, "date_from"),
    ]:
        assert admin.site._registry[model].date_hierarchy == name


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_changelist_lists_a_record(admin_client, records, model):
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assertContains(response, f"Select {model._meta.verbose_name} to change")
    assertContains(response, admin_url(model, "change", records[model].pk))


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_add_page_shows_an_empty_form(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assertContains(response, f"Add {model._meta.verbose_name}")
    assertContains(response, f'id="{model._meta.model_name}_form"')


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_change_page_shows_the_record(admin_client, records, model):
    record = records[model]

    response = admin_client.get(admin_url(model, "change", record.pk))

    assert response.status_code == 200
    assertContains(response, f"Change {model._meta.verbose_name}")
    assertContains(response, escape(str(record)))


def changelist_query_counts(client):
    counts = {}
    for model in REGISTERED:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        counts[model._meta.label_lower] = len(queries)
    return counts


#: Queries of each changelist: the session and the user, the counts, the page of rows and
#: the choices of the filters that list other rows (organisations, terms, sources).
CHANGELIST_QUERIES = {
    "heritage.organisation": 6,
    "heritage.person": 6,
    "heritage.place": 5,
    "heritage.placename": 6,
    "heritage.reportedfigure": 8,
    "heritage.site": 5,
    "heritage.sitecitation": 5,
    "heritage.siteclaim": 5,
    "heritage.sitename": 6,
    "heritage.source": 8,
    "inspections.assessment": 9,
    "inspections.assessmentcitation": 5,
    "inspections.assessmenttype": 5,
    "inspections.causecategory": 5,
    "inspections.causetype": 5,
    "inspections.certainty": 5,
    "inspections.damageextent": 5,
    "inspections.damagetrend": 5,
    "inspections.disturbance": 9,
    "inspections.effecttype": 5,
    "inspections.evidence": 7,
    "inspections.evidencetranslation": 6,
    "inspections.overallcondition": 5,
    "inspections.participation": 5,
    "inspections.priority": 5,
    "inspections.responsibilityclaim": 5,
    "inspections.visit": 8,
    "inspections.visitcitation": 5,
}


def test_changelist_queries_are_pinned_and_do_not_grow_with_the_number_of_rows(admin_client):
    build_records(1)
    admin_client.get(admin_url(Site, "changelist"))  # Warm the session and content types.
    one_row = changelist_query_counts(admin_client)
    for n in range(2, 5):
        build_records(n)

    four_rows = changelist_query_counts(admin_client)

    assert one_row == CHANGELIST_QUERIES
    assert four_rows == one_row


@pytest.mark.parametrize(
    "query", ["Qarğabazar", "qargabazar", "QARGABAZAR MASCIDI", "mosque qarğabazar"]
)
def test_site_search_ignores_case_and_diacritics_in_every_name_variant(admin_client, query):
    place = make_place("fuzuli", "Fuzuli")
    mosque = make_site("gargabazar-mosque", "Gargabazar Mosque", place)
    SiteName.objects.create(site=mosque, name="Qarğabazar məscidi", language="az")
    make_site("juma-mosque", "Juma Mosque", place)

    response = admin_client.get(admin_url(Site, "changelist"), {"q": query})

    assertContains(response, "Gargabazar Mosque")
    assertNotContains(response, "Juma Mosque")


def test_search_of_records_about_a_site_matches_its_name_variants(admin_client):
    mosque = SiteFactory(name="Gargabazar Mosque")
    SiteNameFactory(site=mosque, name="Qarğabazar məscidi")
    found = AssessmentFactory(site=mosque)
    other = AssessmentFactory()

    response = admin_client.get(admin_url(Assessment, "changelist"), {"q": "qargabazar"})

    assertContains(response, admin_url(Assessment, "change", found.pk))
    assertNotContains(response, admin_url(Assessment, "change", other.pk))


def test_site_autocomplete_matches_name_variants_without_diacritics(admin_client):
    mosque = SiteFactory(name="Gochahmadli Mosque")
    SiteNameFactory(site=mosque, name="Qoçəhmədli məscidi")
    SiteFactory(name="Juma Mosque")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "qocahmadli",
            "app_label": "inspections",
            "model_name": "assessment",
            "field_name": "site",
        },
    )

    assert [row["text"] for row in response.json()["results"]] == ["Gochahmadli Mosque"]


def test_site_search_matches_a_name_variant(admin_client):
    place = make_place("fuzuli", "Fuzuli")
    mosque = make_site("qarghabazar-mosque", "Qarghabazar Mosque", place)
    SiteName.objects.create(site=mosque, name="Qarğabazar məscidi", language="az")
    SiteName.objects.create(site=mosque, name="Qarğabazar", language="az")
    make_site("juma-mosque", "Juma Mosque", place)

    response = admin_client.get(admin_url(Site, "changelist"), {"q": "Qarğabazar"})

    assertContains(response, "Qarghabazar Mosque")
    assertNotContains(response, "Juma Mosque")
    # Two matching name variants still list the site once.
    assertContains(response, "1 result")


def test_site_change_page_shows_name_variants_inline(admin_client):
    site = make_site("qarghabazar-mosque", "Qarghabazar Mosque", make_place("fuzuli", "Fuzuli"))
    SiteName.objects.create(site=site, name="Qarğabazar məscidi", language="az")
    SiteName.objects.create(site=site, name="Гаргабазар", language="ru", script="Cyrl")

    response = admin_client.get(admin_url(Site, "change", site.pk))

    assertContains(
        response,
        '<input type="hidden" name="names-TOTAL_FORMS" value="2" id="id_names-TOTAL_FORMS">',
        html=True,
    )
    assertContains(response, 'value="Qarğabazar məscidi"')
    assertContains(response, 'value="Гаргабазар"')
    for prefix in ("claims", "citations"):
        assertContains(response, f'name="{prefix}-TOTAL_FORMS"')


def test_site_can_be_added_with_a_name_variant(admin_client):
    place = make_place("fuzuli", "Fuzuli")
    empty_inline = {"INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    data = {
        "slug": "qarghabazar-mosque",
        "name": "Qarghabazar Mosque",
        "category": Site.Category.MOSQUE,
        "place": place.pk,
        "location_precision": Site.Precision.SETTLEMENT,
        "publication_status": "draft",
        "names-TOTAL_FORMS": "1",
        "names-0-name": "Qarğabazar məscidi",
        "names-0-language": "az",
        "names-0-script": "Latn",
        "names-0-kind": "official",
        "claims-TOTAL_FORMS": "0",
        "citations-TOTAL_FORMS": "0",
    }
    for prefix in ("names", "claims", "citations"):
        data.update({f"{prefix}-{key}": value for key, value in empty_inline.items()})

    response = admin_client.post(admin_url(Site, "add"), data)

    assertRedirects(response, admin_url(Site, "changelist"))
    site = Site.objects.get(slug="qarghabazar-mosque")
    assert list(site.names.values_list("name", "language")) == [("Qarğabazar məscidi", "az")]


def test_visit_page_holds_participants_and_assessments_with_links(admin_client, records):
    response = admin_client.get(admin_url(Visit, "change", records[Visit].pk))

    for prefix in ("participations", "citations", "assessments"):
        assertContains(response, f'name="{prefix}-TOTAL_FORMS"')
    assertContains(response, admin_url(Assessment, "change", records[Assessment].pk))


def test_assessment_page_links_each_disturbance_to_its_own_page(admin_client, records):
    response = admin_client.get(admin_url(Assessment, "change", records[Assessment].pk))

    assertContains(response, admin_url(Disturbance, "change", records[Disturbance].pk))
    assertContains(response, 'name="citations-TOTAL_FORMS"')


def test_disturbance_page_shows_responsibility_claims_inline(admin_client, records):
    response = admin_client.get(admin_url(Disturbance, "change", records[Disturbance].pk))

    assertContains(response, 'name="responsibility_claims-TOTAL_FORMS"')
    assertContains(response, 'value="Party 1"')


def test_vocabulary_terms_share_one_admin():
    admins = [admin.site._registry[vocabulary] for vocabulary in VOCABULARIES]
    shared = type(admin.site._registry[OverallCondition])

    assert all(isinstance(model_admin, shared) for model_admin in admins)
    assert shared.list_display == ("label", "label_ar", "label_az", "position", "from_eamena")
    # Cause categories also edit the register's mapping to cause types.
    assert admin.site._registry[CauseCategory].filter_horizontal == ("cause_types",)


def test_vocabulary_choices_show_eamena_labels_in_scale_order(admin_client):
    response = admin_client.get(admin_url(Assessment, "add"))

    field = response.context["adminform"].form.fields["overall_condition"]
    labels = [str(label) for value, label in field.choices if value]
    assert labels == ["Good", "Fair", "Poor", "Very Bad", "Destroyed", "Unknown"]


def test_admin_shows_the_register_name(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assertContains(response, "Heritage damage register")


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    url = admin_url(Site, "changelist")

    response = client.get(url, follow=True)

    assertRedirects(response, f"{reverse('admin:login')}?next={url}")
    assertContains(response, 'id="login-form"')
    assertNotContains(response, "Select site to change")


# Deleting what others depend on


def test_deleting_a_cited_source_is_refused_with_an_explanation(admin_client):
    source = SourceFactory(title="Trend report")
    AssessmentCitationFactory(
        source=source, assessment=AssessmentFactory(publication_status="published")
    )

    response = admin_client.post(admin_url(Source, "delete", source.pk), {"post": "yes"})

    assertContains(response, "cannot be deleted")
    assertContains(response, "leave a claim without its source")
    assert Source.objects.filter(pk=source.pk).exists()


def test_deleting_a_term_that_records_use_is_refused(admin_client):
    term = EffectType.objects.get(label="Cracked/Broken/Missing Parts")
    disturbance = DisturbanceFactory()
    disturbance.effect_types.add(term)

    response = admin_client.post(admin_url(EffectType, "delete", term.pk), {"post": "yes"})

    assertContains(response, "in use by")
    assertContains(response, admin_url(Disturbance, "change", disturbance.pk))
    assert disturbance.effect_types.filter(pk=term.pk).exists()


def test_deleting_an_organisation_of_a_published_visit_is_refused(admin_client):
    organisation = OrganisationFactory()
    visit = VisitFactory(published=True)
    visit.organisations.add(organisation)

    response = admin_client.post(
        admin_url(Organisation, "delete", organisation.pk), {"post": "yes"}
    )

    assertContains(response, "published; deleting would also remove")
    assert visit.organisations.filter(pk=organisation.pk).exists()


def test_deleting_a_term_or_source_nothing_uses_goes_through(admin_client):
    term = EffectType.objects.create(label="Local term")
    source = SourceFactory()

    admin_client.post(admin_url(EffectType, "delete", term.pk), {"post": "yes"})
    admin_client.post(admin_url(Source, "delete", source.pk), {"post": "yes"})

    assert not EffectType.objects.filter(pk=term.pk).exists()
    assert not Source.objects.filter(pk=source.pk).exists()


def disturbance_rows(prefix, *indexes, category):
    rows = {f"{prefix}-TOTAL_FORMS": str(max(indexes) + 1)}
    for index in indexes:
        rows[f"{prefix}-{index}-cause_category"] = str(category.pk)
        rows[f"{prefix}-{index}-position"] = ""
    return rows


def test_disturbances_added_together_are_numbered_after_the_others(admin_client, records):
    assessment = AssessmentFactory()
    DisturbanceFactory(assessment=assessment, cause_category=records[CauseCategory])
    url = admin_url(Assessment, "change", assessment.pk)
    response = admin_client.get(url)
    prefix = next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Disturbance
    )
    existing = int(page_data(response)[f"{prefix}-INITIAL_FORMS"])

    response = post_page(
        admin_client,
        url,
        disturbance_rows(prefix, existing, existing + 1, category=records[CauseCategory]),
    )

    assert response.status_code == 302, response.context["errors"]
    assert list(assessment.disturbances.values_list("position", flat=True)) == [1, 2, 3]


def add_disturbance(client, **changes):
    """Post the add page of a disturbance as a browser would, with ``changes``."""
    url = admin_url(Disturbance, "add")
    data = {key: value for key, value in page_data(client.get(url)).items() if value != ""}
    return client.post(url, {**data, **changes})


def test_a_disturbance_number_given_by_hand_is_kept(admin_client, records):
    assessment = records[Assessment]

    response = add_disturbance(
        admin_client,
        assessment=assessment.pk,
        position="7",
        cause_category=records[CauseCategory].pk,
    )

    assert response.status_code == 302, response.context["errors"]
    assert list(assessment.disturbances.values_list("position", flat=True)) == [1, 7]


def test_a_new_disturbance_on_its_own_page_is_numbered_after_the_others(admin_client, records):
    assessment = records[Assessment]

    response = add_disturbance(
        admin_client, assessment=assessment.pk, cause_category=records[CauseCategory].pk
    )

    assert response.status_code == 302, response.context["errors"]
    assert list(assessment.disturbances.values_list("position", flat=True)) == [1, 2]
