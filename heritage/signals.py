"""Keep the search forms of names, and the words close matches are looked for among, in step
with the names.

``pre_save`` and ``post_save`` receivers rather than ``save()``: fixtures are loaded with raw
saves, which skip ``save()`` but still send both signals, so loaded names are searchable too.
An import's bulk writes send ``pre_save`` and ``post_bulk_save`` instead of ``post_save``
(``heritage.imports.writing``): its names' words are recorded on the latter.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from heritage.cache import raise_groups
from heritage.imports.writing import post_bulk_save
from heritage.models import Place, PlaceName, SearchWord, Site, SiteName
from heritage.text import fold
from heritage.upkeep import not_while_loading

#: Words looked up in one query at most (an import's batch may name thousands).
WORDS_A_QUERY = 500


def add_search_words(*names):
    """Record the words of the search forms ``names`` (already folded) among the search
    words; those already there are left alone. Adding one raises the version the close
    matches are cached under (``heritage.models.site_search.close_words``): a save that
    adds no word, as most do, leaves them cached."""
    words = sorted({word[:200] for name in names for word in name.split()})
    added = False
    for start in range(0, len(words), WORDS_A_QUERY):
        chunk = words[start : start + WORDS_A_QUERY]
        known = set(SearchWord.objects.filter(word__in=chunk).values_list("word", flat=True))
        new = [word for word in chunk if word not in known]
        if new:
            SearchWord.objects.bulk_create(
                [SearchWord(word=word) for word in new], ignore_conflicts=True
            )
            added = True
    if added:
        raise_groups("search-words")


def record_every_name_word(chunk_size=10_000):
    """Record the words of every name of a site or a place among the search words: after a
    load of a whole database, whose saves record none (``heritage.upkeep``). The names are
    read in chunks; their distinct words are held together."""
    words = set()
    folded = (
        Site.objects.values_list("folded_name", flat=True),
        SiteName.objects.values_list("folded", flat=True),
        PlaceName.objects.values_list("folded", flat=True),
    )
    for names in folded:
        for name in names.order_by().iterator(chunk_size=chunk_size):
            words.update(name.split())
    for name in Place.objects.order_by().values_list("name", flat=True).iterator(chunk_size):
        words.update(fold(name).split())
    add_search_words(*words)


@receiver(pre_save, sender=SiteName)
@receiver(pre_save, sender=PlaceName)
def fold_name_variant(sender, instance, **kwargs):
    instance.folded = fold(instance.name)


@receiver(pre_save, sender=Site)
def fold_site_name(sender, instance, **kwargs):
    instance.folded_name = fold(instance.name)


@receiver(post_save, sender=SiteName)
@receiver(post_save, sender=PlaceName)
@not_while_loading
def record_name_variant_words(sender, instance, **kwargs):
    add_search_words(instance.folded)


@receiver(post_save, sender=Site)
@not_while_loading
def record_site_words(sender, instance, **kwargs):
    add_search_words(instance.folded_name)


@receiver(post_save, sender=Place)
@not_while_loading
def record_place_words(sender, instance, **kwargs):
    add_search_words(fold(instance.name))


@receiver(post_bulk_save, sender=Site)
@receiver(post_bulk_save, sender=SiteName)
@receiver(post_bulk_save, sender=Place)
@receiver(post_bulk_save, sender=PlaceName)
@not_while_loading
def record_imported_words(sender, instances, **kwargs):
    """An import writes its records with bulk queries, which send no ``post_save``; their
    ``pre_save`` has folded the names already (``heritage.imports.writing.send_pre_save``)."""
    if sender is Site:
        names = [instance.folded_name for instance in instances]
    elif sender is Place:
        names = [fold(instance.name) for instance in instances]
    else:
        names = [instance.folded for instance in instances]
    add_search_words(*names)
