"""Text folding for search: one search form for every spelling, script and keyboard.

``fold`` turns a name into the form the search compares, stored beside each name when it is
saved (see ``heritage.signals``) and applied to what a visitor types, so that both SQLite
and PostgreSQL match it with plain ``LIKE`` or index look-ups:

- case and accents go (``Füzuli`` → ``fuzuli``);
- other scripts are transliterated to Latin letters by ``anyascii`` (``Гаргабазар`` →
  ``gargabazar``; Arabic script keeps its consonants, ``قرغابازار`` → ``qrghbzr``);
- the register's Azerbaijani rules make the letters people type for Azerbaijani ones
  equal to them: ə/e/a, ı/i, ğ/g/gh, ş/s/sh, ç/c/ch, x/h/kh and q/g/k (as Russian spellings
  write Qoçəhmədli "Кочахмедли" and Qarğabazar "Гаргабазар").

The search form is deliberately coarse: it is only compared, never shown. Close matches
(``similarity``) compare trigrams of single words, the way PostgreSQL's ``pg_trgm``
``similarity()`` does, so that both databases agree on them.
"""

import re
import unicodedata

from anyascii import anyascii

# Azerbaijani letters, before transliteration: anyascii would make ş "s" and ç "c" but
# also "sh" and "ch" must match them, so they are folded with the digraphs below.
_LETTERS = (("ə", "e"), ("ı", "i"), ("ß", "ss"))
# Digraphs, then single letters, of the transliterated text.
_DIGRAPHS = (("kh", "h"), ("gh", "g"), ("sh", "s"), ("ch", "c"))
_SINGLE = (("x", "h"), ("q", "g"), ("k", "g"), ("e", "a"))


def fold(text):
    """The search form of ``text`` (see the module's description); "" for no text."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        for special, letter in _LETTERS:
            text = text.replace(special, letter)
        text = anyascii(text).lower()
    # str.replace is several times faster than str.translate on short texts.
    for digraph, letter in _DIGRAPHS + _SINGLE:
        text = text.replace(digraph, letter)
    return " ".join(text.split())


def search_words(text, limit=None):
    """The distinct folded words of ``text``, in order; at most ``limit`` of them."""
    words = []
    for word in fold(text).split():
        if word not in words:
            words.append(word)
    return words[:limit] if limit else words


_WORD = re.compile(r"[a-z0-9]+")


def trigrams(word):
    """The trigrams of ``word`` as PostgreSQL's ``pg_trgm`` counts them: each run of letters
    and digits padded with two spaces in front and one behind."""
    grams = set()
    for part in _WORD.findall(word.lower()):
        padded = f"  {part} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def letter_count(word):
    """How many letters and digits ``word`` holds (what ``trigrams`` reads of it)."""
    return sum(len(part) for part in _WORD.findall(word.lower()))


def similarity(first, second):
    """The share of trigrams two texts have in common, as ``pg_trgm``'s ``similarity()``
    (0 when either has none)."""
    a, b = trigrams(first), trigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


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
