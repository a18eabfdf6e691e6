"""Text that cannot hide or reverse: the text of every record (names, titles, labels, codes,
and free text alike) is normalised before it is checked and saved.

- Unicode NFC: "ğ" typed as one character or as "g" and a combining breve is stored alike,
  so the two spellings are one name to the duplicate check, the unique constraints and the
  search.
- Invisible characters are removed: the zero-width space, non-joiner and joiner (U+200B,
  U+200C, U+200D), the word joiner (U+2060), the byte order mark (U+FEFF) and the soft hyphen
  (U+00AD). "Garga\\u200dbazar Mosque" looks like "Gargabazar Mosque" but would otherwise be
  another name, a duplicate the checks miss and a spelling that search cannot find.
- Bidirectional controls are removed too: the embeddings and overrides (U+202A to U+202E),
  the isolates (U+2066 to U+2069) and the marks (U+200E, U+200F, U+061C). They change the
  order in which the text around them is displayed ("abc\\u202etxt.exe" shows as
  "abcexe.txt"); a name needs none of them, since pages isolate every piece of data text
  and the browser orders each one by its own letters.

They are removed rather than refused: they cannot be seen, so an editor told to take one out
of a pasted name could not find it, and nothing of the text a reader sees is lost. Spaces at
either end are trimmed, as forms do.

:func:`clean_text` cleans one value; :func:`clean_record_text` cleans a record's text fields
in place, as ``NaturalKeyModel`` does in ``clean_fields()`` (before any check) and in
``save()`` (for writes that skip the checks). Imports clean every cell the same way, so a
file and a form store the same text. :func:`clean_stored_text` cleans the records stored
before these rules, once (migrations ``heritage`` 0015 and ``inspections`` 0018).
"""

import unicodedata

from django.db import IntegrityError, models, transaction

#: Characters that show nothing.
INVISIBLE = {
    "\u00ad": "SOFT HYPHEN",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}

#: Characters that reorder the display of the text around them.
BIDI_CONTROLS = {
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}

REMOVED = str.maketrans(dict.fromkeys(INVISIBLE.keys() | BIDI_CONTROLS.keys()))


def clean_text(value):
    """``value`` without invisible characters and bidirectional controls, trimmed, in NFC;
    anything that is not text is returned as it is."""
    if not isinstance(value, str):
        return value
    if value.isascii():
        # Nothing to remove, and ASCII text is in NFC already.
        return value.strip()
    # Removed first: a combining mark that followed a removed character composes with the
    # letter before it.
    return unicodedata.normalize("NFC", value.translate(REMOVED)).strip()


def cleaned_fields(model):
    """The fields of ``model`` that :func:`clean_record_text` cleans: its text fields
    (``CharField`` and its kinds: slugs, URLs…; ``TextField``)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.primary_key
    ]


def clean_record_text(record):
    """Clean every text field of ``record`` in place."""
    for field in cleaned_fields(type(record)):
        value = getattr(record, field.attname)
        if isinstance(value, str):
            cleaned = clean_text(value)
            if cleaned != value:
                setattr(record, field.attname, cleaned)


def clean_stored_text(model, batch_size=1000):
    """Clean the text of every stored record of ``model`` as a save would, a batch of rows at
    a time; the number of records changed.

    For the records stored before the text was cleaned on save (migrations pass their
    historical models). Each changed record is updated by a query of its own, which sends
    no signal and adds no history row, as the project's data migrations do: the text a
    reader sees is the same. A record whose cleaned text would repeat another's where the
    database wants it unique is left as it was (a reviewer merges such duplicates).
    """
    fields = [field.attname for field in cleaned_fields(model)]
    if not fields:
        return 0
    manager = model._base_manager
    changed = 0
    last = None
    while True:
        rows = manager.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        rows = list(rows.values_list("pk", *fields)[:batch_size])
        if not rows:
            return changed
        last = rows[-1][0]
        for pk, *values in rows:
            update = {
                name: clean_text(value)
                for name, value in zip(fields, values, strict=True)
                if isinstance(value, str) and clean_text(value) != value
            }
            if not update:
                continue
            try:
                with transaction.atomic(using=manager.db):
                    manager.filter(pk=pk).update(**update)
            except IntegrityError:
                continue
            changed += 1
