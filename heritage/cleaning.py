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
file and a form store the same text.
"""

import unicodedata

from django.db import models

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
