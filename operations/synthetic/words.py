"""Made-up names for synthetic sites and villages, in Latin, Cyrillic and Arabic script.

Names are strings of syllables: they look like the region's place names without naming any
real place.
"""

from heritage.models import NameKind, SiteCategory

SYLLABLES = [
    "ba", "da", "ga", "ka", "la", "ma", "na", "ra", "sa", "ta", "za", "qa", "xa", "ha",
    "be", "de", "ke", "le", "me", "ne", "re", "se", "te", "ze", "bi", "di", "ki", "li",
    "mi", "ni", "ri", "si", "ti", "bo", "do", "ko", "lo", "mo", "no", "ro", "so", "to",
    "bu", "du", "ku", "lu", "mu", "nu", "ru", "su", "tu", "şa", "ça", "ğa", "ə", "ı", "ö", "ü",
]  # fmt: skip
CYRILLIC = str.maketrans(
    {
        "a": "а", "b": "б", "d": "д", "e": "е", "g": "г", "h": "х", "i": "и", "k": "к",
        "l": "л", "m": "м", "n": "н", "o": "о", "q": "г", "r": "р", "s": "с", "t": "т",
        "u": "у", "x": "х", "z": "з", "ş": "ш", "ç": "ч", "ğ": "г", "ə": "а", "ı": "ы",
        "ö": "ё", "ü": "ю",
    }
)  # fmt: skip
ARABIC = str.maketrans(
    {
        "a": "ا", "b": "ب", "d": "د", "e": "ي", "g": "غ", "h": "ه", "i": "ي", "k": "ك",
        "l": "ل", "m": "م", "n": "ن", "o": "و", "q": "ق", "r": "ر", "s": "س", "t": "ت",
        "u": "و", "x": "خ", "z": "ز", "ş": "ش", "ç": "چ", "ğ": "غ", "ə": "ا", "ı": "ي",
        "ö": "و", "ü": "و",
    }
)  # fmt: skip
#: What each category is called after a site's name, in English and in Azerbaijani.
CATEGORY_WORDS = {
    SiteCategory.MOSQUE: ("Mosque", "məscidi"),
    SiteCategory.CARAVANSERAI: ("Caravanserai", "karvansarası"),
    SiteCategory.CEMETERY: ("Cemetery", "qəbiristanlığı"),
    SiteCategory.LIBRARY: ("Library", "kitabxanası"),
    SiteCategory.PALACE_OF_CULTURE: ("Palace of Culture", "mədəniyyət sarayı"),
    SiteCategory.MUSIC_ART_SCHOOL: ("Music School", "musiqi məktəbi"),
    SiteCategory.EDUCATIONAL: ("School", "məktəbi"),
    SiteCategory.MUSEUM: ("Museum", "muzeyi"),
    SiteCategory.MONUMENT: ("Monument", "abidəsi"),
    SiteCategory.HISTORIC_BUILDING: ("House", "evi"),
    SiteCategory.ARCHAEOLOGICAL: ("Mound", "təpəsi"),
    SiteCategory.OTHER: ("Site", "obyekti"),
}


def word(rng):
    """A made-up word of two to four syllables, drawn from the random generator ``rng``."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def name_variants(stem, category):
    """The name variants a site called ``stem`` may have, as (text, language, script, kind):
    the official Azerbaijani name, then its Russian and Arabic transliterations."""
    local = f"{stem.title()} {CATEGORY_WORDS[category][1]}"
    return [
        (local, "az", "Latn", NameKind.OFFICIAL),
        (local.lower().translate(CYRILLIC).title(), "ru", "Cyrl", NameKind.TRANSLITERATION),
        (stem.translate(ARABIC), "ar", "Arab", NameKind.TRANSLITERATION),
    ]
