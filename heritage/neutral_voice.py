"""The register's own voice stays neutral: contested words only inside quotations.

In this field the words themselves take sides ("liberated", "occupants", "aggression").
The register may show them only as someone's words: inside quotation marks, or in a field
that holds what a source or a speaker says (a citation's summary, a claim, a statement, an
attribution of responsibility, a locator quoting a section title). Everywhere else, in
the register's own voice, it uses neutral wording: "formerly occupied", or the place names.

:func:`contested_words` finds the contested words of a text outside its quotations; the
test suite runs it over the fixtures, the templates and the translation catalogues.
"""

import re

#: Contested words and phrases, by language, matched case-insensitively at word starts.
CONTESTED_TERMS = {
    "en": [
        "liberated",
        "liberation",
        "occupied",
        "occupation",
        "occupant",
        "occupier",
        "vandalism",
        "vandals",
        "aggression",
        "aggressor",
    ],
    "az": [
        "azad edilmiş",
        "azad olunmuş",
        "işğal",
        "işğalçı",
        "vandalizm",
        "təcavüz",
    ],
    "ar": [
        "المحررة",
        "المحرّرة",
        "تحرير الأراضي",
        "الاحتلال",
        "المحتلة",
        "المحتلين",
        "المحتلون",
        "العدوان",
        "همجية",
    ],
}

#: Neutral phrases that contain a contested word: "formerly occupied" is the register's
#: own wording for the areas the seed article calls "liberated".
NEUTRAL_PHRASES = [
    "formerly occupied",
    "keçmiş işğal altında",
    "المحتلة سابقا",
    "المحتلة سابقًا",
]

#: Quotation marks, opening and closing: text between them is someone's words.
QUOTES = [("“", "”"), ("«", "»"), ("„", "“"), ('"', '"')]

_QUOTED = re.compile("|".join(f"{re.escape(a)}[^{re.escape(b)}]*{re.escape(b)}" for a, b in QUOTES))
_TERMS = re.compile(
    "|".join(
        rf"(?<![\w]){re.escape(term)}"
        for terms in CONTESTED_TERMS.values()
        for term in sorted(terms, key=len, reverse=True)
    ),
    re.IGNORECASE,
)


def unquoted(text):
    """``text`` without what stands between quotation marks, or a neutral phrase."""
    text = _QUOTED.sub(" ", text)
    for phrase in NEUTRAL_PHRASES:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    return text


def contested_words(text):
    """The contested words ``text`` uses outside quotations, in order."""
    return [match.group(0) for match in _TERMS.finditer(unquoted(text or ""))]
