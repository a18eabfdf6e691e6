"""Keep :class:`inspections.models.SiteCount` in step with the public sites, and with it
:class:`~inspections.models.AssessmentMonthCount`,
:class:`~inspections.models.AssessedYearCount` and
:class:`~inspections.models.DamageYearCount` (the sites assessed by month, the sites
assessed by year, category and latest condition, the sites damaged by year).

Each count keeps a place's own sites (rows with ``below`` false) and, summed, the sites of
every place below it (``below`` true), so that a district's page, or the whole register's
(the places at the top), reads a few rows. A change recounts the own rows of the places it
touches, whole: the sites of one place are few (a village's, a town's), so a recount costs
little and cannot drift. The difference between the rows before and after the recount is
then added to the ``below`` rows of every place above, in the same transaction: a
district's or the country's rows are never recounted, only moved by exact differences.
``refresh_site_counts`` recounts some places, ``rebuild_site_counts`` every place; a place
moved under another parent carries its counts from its old ancestors to its new ones.

The receivers recount a site's place, and the place it left, whenever a site is saved or
deleted; ``inspections.status`` recounts after it refreshes the latest assessments, and an
import's bulk writes (``heritage.imports.writing``) announce their records with
``pre_bulk_save`` and ``post_bulk_save``, since bulk queries send no ``post_save``.
"""

from collections import Counter

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from heritage.base import PublicationStatus
from heritage.cache import (
    MODEL_GROUPS,
    SITE_PUBLICATION_GROUPS,
    bump_counts_version,
    bump_version,
    raise_groups,
)
from heritage.imports.writing import post_bulk_save, pre_bulk_save, stored_values
from heritage.models import Place, Site, SiteCitation
from heritage.upkeep import not_while_loading
from inspections.models import (
    AssessedYearCount,
    Assessment,
    AssessmentMonthCount,
    CitedSourceCount,
    DamageDating,
    DamageYearCount,
    Disturbance,
    SiteCount,
)

#: The fields of a site that decide where it is counted.
COUNTED_FIELDS = ("place_id", "category", "publication_status")

#: What each count counts by, besides the place.
KEY_FIELDS = {
    SiteCount: ("category", "condition_id", "verification", "assessed", "inferred"),
    AssessmentMonthCount: ("year", "month"),
    AssessedYearCount: ("year", "category", "condition_id"),
    DamageYearCount: ("year", "dating"),
    CitedSourceCount: ("source_id",),
}


def count_rows(sites):
    """SiteCount rows (unsaved) counting the public sites among ``sites`` by their own place."""
    rows = (
        sites.public()
        .order_by()
        .annotate(
            has_assessment=ExpressionWrapper(
                Q(status__assessment__isnull=False), output_field=BooleanField()
            ),
            is_inferred=Coalesce("status__inferred", Value(False)),
        )
        .values(
            "place_id",
            "category",
            "status__condition_id",
            "status__verification",
            "has_assessment",
            "is_inferred",
        )
        .annotate(sites=Count("id"))
    )
    return [
        SiteCount(
            place_id=row["place_id"],
            category=row["category"],
            condition_id=row["status__condition_id"],
            verification=row["status__verification"] or "",
            assessed=bool(row["has_assessment"]),
            inferred=bool(row["is_inferred"]),
            sites=row["sites"],
        )
        for row in rows
    ]


def month_rows(assessments):
    """AssessmentMonthCount rows (unsaved) of the public ``assessments``, by site's place."""
    rows = (
        assessments.annotate(year=ExtractYear("assessed_on"), month=ExtractMonth("assessed_on"))
        .values("site__place_id", "year", "month")
        .order_by()
        .annotate(sites=Count("site_id", distinct=True))
    )
    return [
        AssessmentMonthCount(
            place_id=row["site__place_id"],
            year=row["year"],
            month=row["month"],
            sites=row["sites"],
        )
        for row in rows
    ]


def year_rows(assessments, chunk_size=None, model=AssessedYearCount):
    """AssessedYearCount rows (unsaved, of ``model``: the app's, or a migration's) of the
    public ``assessments``: their sites by place, year, category and latest condition, one
    at a time; with a ``chunk_size``, read from the database that many at a time (a whole
    register's are about two a site: 1.2 million at 500,000 sites, a gigabyte as a list)."""
    rows = (
        assessments.annotate(year=ExtractYear("assessed_on"))
        .values("site__place_id", "year", "site__category", "site__status__condition_id")
        .order_by()
        .annotate(sites=Count("site_id", distinct=True))
    )
    for row in rows.iterator(chunk_size=chunk_size) if chunk_size else rows:
        yield model(
            place_id=row["site__place_id"],
            year=row["year"],
            category=row["site__category"],
            condition_id=row["site__status__condition_id"],
            sites=row["sites"],
        )


def write_in_batches(model, rows, size=5000):
    """Insert ``rows`` (any iterable of unsaved ``model`` instances) ``size`` at a time,
    never holding more of them."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def damage_rows(assessments):
    """DamageYearCount rows (unsaved) of the disturbances of the public ``assessments``."""
    disturbances = Disturbance.objects.filter(assessment__in=assessments)
    kinds = [
        (DamageDating.BEGAN, disturbances.exclude(date_from=None), "date_from"),
        (
            DamageDating.BEFORE,
            disturbances.filter(date_from=None).exclude(occurred_before=None),
            "occurred_before",
        ),
        (DamageDating.UNDATED, disturbances.filter(date_from=None, occurred_before=None), None),
    ]
    result = []
    for dating, queryset, date_field in kinds:
        if date_field:
            queryset = queryset.annotate(year=ExtractYear(date_field))
        fields = ["assessment__site__place_id", *(["year"] if date_field else [])]
        rows = (
            queryset.values(*fields)
            .order_by()
            .annotate(sites=Count("assessment__site_id", distinct=True))
        )
        result += [
            DamageYearCount(
                place_id=row["assessment__site__place_id"],
                year=row.get("year"),
                dating=dating,
                sites=row["sites"],
            )
            for row in rows
        ]
    return result


def source_rows(sites):
    """CitedSourceCount rows (unsaved) of the sources the public sites among ``sites`` cite."""
    rows = (
        SiteCitation.objects.filter(site__in=sites.public())
        .values("site__place_id", "source_id")
        .order_by()
        .annotate(sites=Count("site_id", distinct=True))
    )
    return [
        CitedSourceCount(
            place_id=row["site__place_id"], source_id=row["source_id"], sites=row["sites"]
        )
        for row in rows
    ]


COUNT_MODELS = (
    SiteCount,
    AssessmentMonthCount,
    AssessedYearCount,
    DamageYearCount,
    CitedSourceCount,
)


def key_of(model, row):
    return tuple(getattr(row, field) for field in KEY_FIELDS[model])


def totals_of(model, rows):
    """{(place id, key): sites} of ``rows``, instances of ``model``."""
    totals = Counter()
    for row in rows:
        totals[(row.place_id, key_of(model, row))] += row.sites
    return totals


def stored_totals(model, places, below=None):
    """{(place id, key): sites} of the stored rows of these places (of one kind, if
    ``below`` is given): one query."""
    rows = model.objects.filter(place_id__in=places)
    if below is not None:
        rows = rows.filter(below=below)
    totals = Counter()
    for place_id, *key, sites in rows.values_list("place_id", *KEY_FIELDS[model], "sites"):
        totals[(place_id, tuple(key))] += sites
    return totals


def parents_of(place_ids):
    """{place id: parent id} of these places and every place above them: one query a level."""
    parents, level = {}, set(place_ids)
    while level:
        rows = Place.objects.filter(pk__in=level).values_list("pk", "parent_id")
        level = set()
        for pk, parent in rows:
            parents[pk] = parent
            if parent is not None:
                level.add(parent)
        level -= parents.keys()
    return parents


def ancestors(place_id, parents):
    """The ids of the places above ``place_id``, nearest first."""
    chain, seen = [], {place_id}
    node = parents.get(place_id)
    while node is not None and node not in seen:
        chain.append(node)
        seen.add(node)
        node = parents.get(node)
    return chain


def rolled_up(differences, parents):
    """{(place id, key): change} of the ``below`` rows, from changes of places' own sites."""
    changes = Counter()
    for (place_id, key), change in differences.items():
        for ancestor in ancestors(place_id, parents):
            changes[(ancestor, key)] += change
    return {place_key: change for place_key, change in changes.items() if change}


#: Changes up to this many read their rows by their keys; more, every row of their places.
KEYED_READ = 200


def apply_changes(model, changes):
    """Add ``changes`` ({(place id, key): change}) to the ``below`` rows of ``model``: rows
    reaching nothing are deleted, missing ones created. The rows are locked first, so two
    edits of one district add up rather than overwrite each other."""
    if not changes:
        return
    bump_counts_version(model, {place_id for place_id, _key in changes})
    fields = KEY_FIELDS[model]
    stored = (
        model.objects.select_for_update()
        .filter(place_id__in={place_id for place_id, _key in changes}, below=True)
        .order_by("pk")
    )
    if len(changes) <= KEYED_READ:
        # The changed rows only: a country's rows by year, category and condition are
        # thousands (5,000 at 500,000 sites), which were read and made into objects for each
        # change of one site's condition (about 80 ms).
        wanted = Q()
        for place_id, key in changes:
            wanted |= Q(place_id=place_id, **dict(zip(fields, key, strict=True)))
        stored = stored.filter(wanted)
    existing = {}
    for row in stored:
        existing.setdefault((row.place_id, key_of(model, row)), row)
    updated, deleted, created = [], [], []
    for (place_id, key), change in changes.items():
        row = existing.get((place_id, key))
        sites = (row.sites if row else 0) + change
        if sites < 0:
            raise ValueError(f"{model.__name__} of place {place_id} {key} would be negative")
        if row is None:
            if sites:
                created.append(
                    model(
                        place_id=place_id,
                        below=True,
                        sites=sites,
                        **dict(zip(fields, key, strict=True)),
                    )
                )
        elif sites:
            row.sites = sites
            updated.append(row)
        else:
            deleted.append(row.pk)
    if deleted:
        model.objects.filter(pk__in=deleted).delete()
    if updated:
        model.objects.bulk_update(updated, ["sites"])
    if created:
        model.objects.bulk_create(created)


def difference(after, before):
    changes = Counter(after)
    changes.subtract(before)
    return {key: change for key, change in changes.items() if change}


def refresh_site_counts(place_ids, models=None):
    """Recount the public sites of the places with these ids, and carry the difference to
    the places above them; only the counts of ``models`` (of the ``COUNT_MODELS``) if
    given, those that the change can touch."""
    place_ids = {place_id for place_id in place_ids if place_id is not None}
    if not place_ids:
        return
    assessments = Assessment.objects.public().filter(site__place_id__in=place_ids)
    with transaction.atomic():
        parents = parents_of(place_ids)
        recounts = (
            (SiteCount, lambda: count_rows(Site.objects.filter(place_id__in=place_ids))),
            (AssessmentMonthCount, lambda: month_rows(assessments)),
            (AssessedYearCount, lambda: year_rows(assessments)),
            (DamageYearCount, lambda: damage_rows(assessments)),
            (CitedSourceCount, lambda: source_rows(Site.objects.filter(place_id__in=place_ids))),
        )
        for model, recount in recounts:
            if models is not None and model not in models:
                continue
            before = stored_totals(model, place_ids, below=False)
            rows = list(recount())
            after = totals_of(model, rows)
            if after == before:
                continue
            bump_counts_version(model, place_ids)
            model.objects.filter(place_id__in=place_ids, below=False).delete()
            model.objects.bulk_create(rows)
            apply_changes(model, rolled_up(difference(after, before), parents))


def refresh_counts_of_sites(site_ids, models=None):
    """Recount the places of the sites with these ids (the counts of ``models`` only, if
    given)."""
    site_ids = {site_id for site_id in site_ids if site_id is not None}
    if site_ids:
        refresh_site_counts(
            Site.objects.filter(pk__in=site_ids).values_list("place_id", flat=True).distinct(),
            models,
        )


def below_rows(model, parents, fields=None):
    """The ``below`` rows (unsaved) of ``model``, summed from its stored own rows; ``fields``:
    its key fields, those of ``KEY_FIELDS`` if not given (a migration's model)."""
    fields = KEY_FIELDS[model] if fields is None else fields
    totals = Counter()
    own = model.objects.filter(below=False).values_list("place_id", *fields, "sites")
    for place_id, *key, sites in own.iterator(chunk_size=10_000):
        for ancestor in ancestors(place_id, parents):
            totals[(ancestor, tuple(key))] += sites
    return (
        model(place_id=place_id, below=True, sites=sites, **dict(zip(fields, key, strict=True)))
        for (place_id, key), sites in totals.items()
    )


def rebuild_site_counts():
    """Recount every place; return the number of public sites counted."""
    assessments = Assessment.objects.public()
    with transaction.atomic():
        for model in COUNT_MODELS:
            model.objects.all().delete()
        rows = count_rows(Site.objects.all())
        SiteCount.objects.bulk_create(rows, batch_size=5000)
        AssessmentMonthCount.objects.bulk_create(month_rows(assessments), batch_size=5000)
        write_in_batches(AssessedYearCount, year_rows(assessments, chunk_size=10_000))
        DamageYearCount.objects.bulk_create(damage_rows(assessments), batch_size=5000)
        CitedSourceCount.objects.bulk_create(source_rows(Site.objects.all()), batch_size=5000)
        parents = dict(Place.objects.values_list("pk", "parent_id"))
        for model in COUNT_MODELS:
            write_in_batches(model, below_rows(model, parents))
    # Nothing else may have changed: say so to the caches (see ``heritage.cache``). A bulk
    # load rebuilds the counts after writing records without signals: every group of
    # records may have changed too.
    bump_version()
    raise_groups(*MODEL_GROUPS)
    for model in COUNT_MODELS:
        bump_counts_version(model)
    return sum(row.sites for row in rows)


def move_counts_of_place(place_id, parent_before, parent_after):
    """Carry the counts of a place and of the places below it from the places above its
    former parent to those above its new one (a place moved in the hierarchy)."""
    parents = parents_of({place_id, parent_before, parent_after} - {None})
    left = [parent_before, *ancestors(parent_before, parents)] if parent_before else []
    joined = [parent_after, *ancestors(parent_after, parents)] if parent_after else []
    left, joined = (
        [pk for pk in left if pk not in joined and pk != place_id],
        [pk for pk in joined if pk not in left and pk != place_id],
    )
    with transaction.atomic():
        for model in COUNT_MODELS:
            totals = Counter()
            for (_place, key), sites in stored_totals(model, [place_id]).items():
                totals[key] += sites
            changes = Counter()
            for ancestor in left:
                for key, sites in totals.items():
                    changes[(ancestor, key)] -= sites
            for ancestor in joined:
                for key, sites in totals.items():
                    changes[(ancestor, key)] += sites
            apply_changes(model, {key: change for key, change in changes.items() if change})


def counted_state(site):
    return tuple(getattr(site, field) for field in COUNTED_FIELDS)


@receiver(pre_save, sender=Site)
@not_while_loading
def remember_counted_state(sender, instance, **kwargs):
    """Where the site was counted before this save (None for a new site). A bulk write
    reads the places of its whole batch at once (below)."""
    previous = None
    if instance.pk is not None and not kwargs.get("bulk"):
        previous = Site.objects.filter(pk=instance.pk).values_list(*COUNTED_FIELDS).first()
    instance._counted_before = previous


@receiver(post_save, sender=Site)
@not_while_loading
def recount_after_save(sender, instance, created, **kwargs):
    previous = getattr(instance, "_counted_before", None)
    if previous is not None and previous == counted_state(instance):
        return
    if previous is None or previous[2] != instance.publication_status:
        # Whose assessments and which sources are public change with the site's publication.
        raise_groups(*SITE_PUBLICATION_GROUPS)
    models = None
    if previous is not None and previous[0::2] == counted_state(instance)[0::2]:
        # Only the category changed: no month, damage or source is counted by category.
        models = (SiteCount, AssessedYearCount)
    refresh_site_counts({instance.place_id, previous[0] if previous else None}, models)


@receiver(post_delete, sender=Site)
@not_while_loading
def recount_after_delete(sender, instance, **kwargs):
    raise_groups(*SITE_PUBLICATION_GROUPS)
    refresh_site_counts({instance.place_id})


@receiver(pre_bulk_save, sender=Site)
@not_while_loading
def remember_places_before_import(sender, instances, state, **kwargs):
    """The places the imported sites that are published are in before the write: a site
    may move. Only published sites are counted, so only their places may change."""
    published = [site for site in instances if site.pk is not None]
    state["site_places"] = set(
        Site.objects.filter(pk__in=[site.pk for site in published])
        .filter(publication_status=PublicationStatus.PUBLISHED)
        .values_list("place_id", flat=True)
        .distinct()
        if published
        else ()
    )


@receiver(post_bulk_save, sender=Site)
@not_while_loading
def recount_after_import(sender, instances, state, **kwargs):
    """Recount the places of the published sites written, and of those they left. An
    import's new sites are drafts: a batch of them recounts nothing (recounting their places
    batch after batch would read every site of those places again each time)."""
    places = {
        site.place_id
        for site in instances
        if site.publication_status == PublicationStatus.PUBLISHED
    }
    if places or state.get("site_places"):
        raise_groups(*SITE_PUBLICATION_GROUPS)
    refresh_site_counts(places | state.get("site_places", set()))


@receiver(post_save, sender=Disturbance)
@receiver(post_delete, sender=Disturbance)
@not_while_loading
def recount_after_disturbance(sender, instance, **kwargs):
    """A disturbance's dates decide the year its site's damage is counted in."""
    refresh_counts_of_sites(
        Assessment.objects.filter(pk=instance.assessment_id).values_list("site_id", flat=True),
        (DamageYearCount,),
    )


@receiver(post_bulk_save, sender=Disturbance)
@not_while_loading
def recount_after_disturbance_import(sender, instances, **kwargs):
    refresh_counts_of_sites(
        Assessment.objects.filter(
            pk__in={disturbance.assessment_id for disturbance in instances}
        ).values_list("site_id", flat=True),
        (DamageYearCount,),
    )


@receiver(pre_save, sender=SiteCitation)
@not_while_loading
def remember_cited_site(sender, instance, **kwargs):
    """A citation moved to another site must recount the place of the site it left."""
    instance._site_before = None
    if instance.pk is not None and not kwargs.get("bulk"):
        instance._site_before = (
            SiteCitation.objects.filter(pk=instance.pk).values_list("site_id", flat=True).first()
        )


@receiver(post_save, sender=SiteCitation)
@receiver(post_delete, sender=SiteCitation)
@not_while_loading
def recount_after_citation(sender, instance, **kwargs):
    """A citation added or removed may add or remove its source from the place's sources
    (a site deleted with its citations is recounted once more when it goes)."""
    refresh_counts_of_sites(
        {instance.site_id, getattr(instance, "_site_before", None)}, (CitedSourceCount,)
    )


@receiver(pre_bulk_save, sender=SiteCitation)
@not_while_loading
def remember_cited_sites_before_import(sender, instances, state, **kwargs):
    state["cited_sites"] = stored_values(instances, "site_id")


@receiver(post_bulk_save, sender=SiteCitation)
@not_while_loading
def recount_after_citation_import(sender, instances, state, **kwargs):
    refresh_counts_of_sites(
        {citation.site_id for citation in instances} | state.get("cited_sites", set()),
        (CitedSourceCount,),
    )


@receiver(pre_save, sender=Place)
@not_while_loading
def remember_parent(sender, instance, **kwargs):
    """Where the place was in the hierarchy before this save (nothing to carry for a new
    place: nothing is counted in it yet)."""
    instance._parent_before = None
    if instance.pk is not None and not kwargs.get("bulk"):
        instance._parent_before = (
            Place.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
        )


@receiver(post_save, sender=Place)
@not_while_loading
def move_counts_after_place_save(sender, instance, created, **kwargs):
    before = getattr(instance, "_parent_before", None)
    if not created and before != instance.parent_id:
        move_counts_of_place(instance.pk, before, instance.parent_id)
