"""Keep ``RestorationProject.site_published`` in step with the publication of each project's
site.

A project is public when it is published and so is its site. Asking the site each time
makes every count of ``/restoration/`` join the whole register's sites (hundreds of
thousands) for a few thousand projects; the flag lets the count and the page read the
projects' own index. The receivers below set it whenever a project is saved and whenever a
site is saved by any route (the admin, the services, an import, a fixture load: raw saves
send the signals too; an import's bulk writes send ``post_bulk_save``);
:func:`rebuild_project_sites` sets every project's, for writes made around the ORM (the
synthetic generator) and as a repair.
"""

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from heritage.base import PublicationStatus
from heritage.imports.writing import post_bulk_save, pre_bulk_save
from heritage.models import Site
from heritage.upkeep import not_while_loading
from inspections.counts import COUNTED_FIELDS
from inspections.models import RestorationProject

PUBLISHED = PublicationStatus.PUBLISHED


def refresh_project_sites(site_ids):
    """Set the flag of the projects of the sites with these ids: two updates at most."""
    site_ids = {site_id for site_id in site_ids if site_id is not None}
    if not site_ids:
        return
    published = Site.objects.filter(pk__in=site_ids, publication_status=PUBLISHED)
    projects = RestorationProject.objects.filter(site_id__in=site_ids)
    projects.filter(site_published=False, site__in=published).update(site_published=True)
    projects.filter(site_published=True).exclude(site__in=published).update(site_published=False)


def rebuild_project_sites():
    """Set the flag of every project from its site (one update)."""
    published = Site.objects.filter(pk=OuterRef("site_id"), publication_status=PUBLISHED)
    RestorationProject.objects.update(site_published=Exists(published))


@receiver(pre_save, sender=RestorationProject)
@not_while_loading
def read_site_publication(sender, instance, **kwargs):
    instance.site_published = Site.objects.filter(
        pk=instance.site_id, publication_status=PUBLISHED
    ).exists()


@receiver(post_save, sender=Site)
@not_while_loading
def follow_site_publication(sender, instance, created, **kwargs):
    """A new site has no projects; a saved one changes them only when its publication
    changed (``inspections.counts`` reads the stored state before every save)."""
    if created:
        return
    before = getattr(instance, "_counted_before", None)
    if before is not None and before[COUNTED_FIELDS.index("publication_status")] == (
        instance.publication_status
    ):
        return
    refresh_project_sites({instance.pk})


@receiver(pre_bulk_save, sender=Site)
@not_while_loading
def remember_imported_sites(sender, instances, state, **kwargs):
    """The sites of the batch that exist before the write: a new site has no projects."""
    state["project_sites"] = {site.pk for site in instances if site.pk is not None}


@receiver(post_bulk_save, sender=Site)
@not_while_loading
def follow_imported_sites(sender, instances, state, **kwargs):
    refresh_project_sites(state.get("project_sites", ()))
