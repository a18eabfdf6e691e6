"""Text folding for search: case-, accent- and script-detail-insensitive matching.

``fold("Qarğabazar")``, ``fold("QARGABAZAR")`` and ``fold("qargabazar")`` are equal, so a
visitor who types a name without Azerbaijani letters still finds it. The folded form is
stored beside each name (see ``heritage.signals``) so that both SQLite and PostgreSQL can
match it with a plain ``LIKE``.
"""

import unicodedata

# Letters that Unicode decomposition leaves alone but transliteration treats as plain ones.
# Azerbaijani ə is written "a" in the usual English transliterations (Ələkbər → Alakbar).
_LETTERS = str.maketrans(
    {"ı": "i", "ə": "a", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe"}
)


def fold(text):
    """Lower-case ``text``, map special letters, and drop accents and other combining marks."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


#: What a spreadsheet reads as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text):
    """Text a spreadsheet will not run as a formula: an apostrophe in front where needed.

    Text that already starts with apostrophes before a formula character gets one more, so
    that :func:`unescape_formula` gives back exactly what was escaped.
    """
    if text.lstrip("'").startswith(FORMULA_START):
        return "'" + text
    return text


def unescape_formula(text):
    """The text :func:`escape_formula` was given."""
    if text.startswith("'") and text[1:].lstrip("'").startswith(FORMULA_START):
        return text[1:]
    return text
