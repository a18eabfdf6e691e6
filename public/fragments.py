"""Rows of a listing rendered once and kept in the cache under a digest of what they show.

A commitment in the list of commitments is made of a dozen records: the commitment, who
made it and for whom, its source, each update with its own source and the visit, project
and course it names. Rendering its templates costs about half a millisecond, so a page of
25 costs more than its queries. No version of the register says when such a row changes
(an edit of any site may withdraw the project an update names), so the row's key is not a
version but a digest of the values of every record it is rendered from, as the page's
queries loaded them: its fields, its annotations, the related records loaded with it
(``select_related``) and the lists prefetched onto it, all the way down. A change to any of
them gives another key, and the row is rendered again; an edit of anything else, which
raises the register's version and empties the page's other caches, leaves the row's key as
it was.

What a row's template reads must therefore be loaded before the digest is taken: a
relation the template loads lazily is not in the digest (the query-count tests of the pages
that use this pin that nothing is). The row's key also holds the language (the URLs and the
labels are translated) and the template's name; a release that changes the template shows
its markup once the cached rows expire (``heritage.cache.TIMEOUT``), as whole pages do.
"""

import datetime
import decimal
import hashlib
import uuid

from django.core.cache import cache
from django.db.models import Model
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from heritage.cache import TIMEOUT

#: Values whose ``repr`` says all of them and is the same in every process.
PLAIN = (
    str,
    int,
    float,
    bool,
    type(None),
    datetime.date,
    datetime.time,
    decimal.Decimal,
    uuid.UUID,
)


def digest(value):
    """A digest of ``value``: a model instance with everything loaded on it, a list, a tuple
    or a dict of them, or plain values. Two values with the same digest render the same."""
    parts = []
    describe(value, parts, set())
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def describe(value, parts, seen):
    """Append to ``parts`` what ``value`` is made of. A record met again further down (an
    update's commitment, loaded back onto it by the prefetch) is named, not described again."""
    if isinstance(value, PLAIN):
        parts.append(value)
    elif isinstance(value, Model):
        label = value._meta.label_lower
        if id(value) in seen:
            parts.append(("seen", label, value.pk))
            return
        seen.add(id(value))
        parts.append(("record", label))
        for name, field_value in sorted(value.__dict__.items()):
            if name == "_state":
                continue
            if name == "_prefetched_objects_cache":
                field_value = {key: list(rows) for key, rows in field_value.items()}
            parts.append(name)
            describe(field_value, parts, seen)
        parts.append("related")
        describe(value._state.fields_cache, parts, seen)
    elif isinstance(value, dict):
        parts.append(("dict", len(value)))
        for key in sorted(value, key=str):
            parts.append(str(key))
            describe(value[key], parts, seen)
    elif isinstance(value, list | tuple):
        parts.append(("list", len(value)))
        for item in value:
            describe(item, parts, seen)
    else:
        # A value of another kind (a file field, a lazy translation): its type and text. A
        # text that differs from one process to the next only costs the row its reuse.
        parts.append((type(value).__qualname__, str(value)))


def rendered_rows(template_name, name, rows, context=None):
    """The HTML of ``template_name`` rendered for each of ``rows`` (as the variable
    ``name``, beside ``context``), each taken from the cache when a row with the same
    digest was rendered before in this language: one read of the cache for them all, one
    write for those it lacked."""
    context = context or {}
    prefix = f"fragment:{template_name}:{get_language()}:{digest(context)}"
    keys = [f"{prefix}:{digest(row)}" for row in rows]
    stored = cache.get_many(keys) if keys else {}
    template = None
    fresh = {}
    html = []
    for key, row in zip(keys, rows, strict=True):
        text = stored.get(key)
        if text is None:
            template = template or get_template(template_name)
            text = fresh[key] = template.render({**context, name: row})
        # Rendered by the template, which escaped what it had to.
        html.append(mark_safe(text))
    if fresh:
        cache.set_many(fresh, timeout=TIMEOUT)
    return html
