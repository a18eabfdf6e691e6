"""Keep the search forms of names, and the words close matches are looked for among, in step
with the names.

``pre_save`` and ``post_save`` receivers rather than ``save()``: fixtures are loaded with raw
saves, which skip ``save()`` but still send both signals, so loaded names are searchable too.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from heritage.models import Place, PlaceName, SearchWord, Site, SiteName
from heritage.text import fold


def add_search_words(*names):
    """Record the words of the search forms ``names`` (already folded) among the search
    words; those already there are left alone."""
    words = {word[:200] for name in names for word in name.split()}
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True
        )


@receiver(pre_save, sender=SiteName)
@receiver(pre_save, sender=PlaceName)
def fold_name_variant(sender, instance, **kwargs):
    instance.folded = fold(instance.name)


@receiver(pre_save, sender=Site)
def fold_site_name(sender, instance, **kwargs):
    instance.folded_name = fold(instance.name)


@receiver(post_save, sender=SiteName)
@receiver(post_save, sender=PlaceName)
def record_name_variant_words(sender, instance, **kwargs):
    add_search_words(instance.folded)


@receiver(post_save, sender=Site)
def record_site_words(sender, instance, **kwargs):
    add_search_words(instance.folded_name)


@receiver(post_save, sender=Place)
def record_place_words(sender, instance, **kwargs):
    add_search_words(fold(instance.name))
