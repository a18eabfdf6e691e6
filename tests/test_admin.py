"""The admin: every model of the register can be listed, added and edited by staff."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

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
    Participation,
    ResponsibilityClaim,
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
    return records


@pytest.fixture
def records():
    return build_records(1)


def test_every_model_of_both_apps_is_registered():
    models = {model for label in APPS for model in apps.get_app_config(label).get_models()}

    assert models == set(REGISTERED)


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


def test_changelist_queries_do_not_grow_with_the_number_of_rows(admin_client):
    build_records(1)
    admin_client.get(admin_url(Site, "changelist"))  # Warm the session and content types.
    one_row = changelist_query_counts(admin_client)
    for n in range(2, 5):
        build_records(n)

    four_rows = changelist_query_counts(admin_client)

    assert four_rows == one_row


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

    assert {type(model_admin) for model_admin in admins} == {type(admins[0])}
    assert admins[0].list_display == ("label", "label_ar", "label_az", "position", "from_eamena")


def test_admin_shows_the_register_name(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assertContains(response, "Heritage damage register")


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    url = admin_url(Site, "changelist")

    response = client.get(url, follow=True)

    assertRedirects(response, f"{reverse('admin:login')}?next={url}")
    assertContains(response, 'id="login-form"')
    assertNotContains(response, "Select site to change")
