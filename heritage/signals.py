"""Keep the folded search forms of names in step with the names.

A ``pre_save`` receiver rather than ``save()``: fixtures are loaded with raw saves, which
skip ``save()`` but still send ``pre_save``, so loaded names are searchable too.
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from heritage.models import PlaceName, Site, SiteName
from heritage.text import fold


@receiver(pre_save, sender=SiteName)
@receiver(pre_save, sender=PlaceName)
def fold_name_variant(sender, instance, **kwargs):
    instance.folded = fold(instance.name)


@receiver(pre_save, sender=Site)
def fold_site_name(sender, instance, **kwargs):
    instance.folded_name = fold(instance.name)
