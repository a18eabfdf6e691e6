"""The ``names`` column of sites: a site's name variants in one cell.

Entries are separated by ``|``; each is ``language[/script[/kind]]:name``, for example
``az/Latn:Qarğabazar məscidi|ru/Cyrl:Гаргабазар|en//alternative:Garghabazar mosque``. A
``|`` or ``\\`` inside a name is written ``\\|`` or ``\\\\``. A variant is found by its
language and name: a new one is added, a known one gets the script and kind the entry gives.
"""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from heritage.imports.cells import find_choice
from heritage.models import NameKind, SiteName


class NameVariant(NamedTuple):
    language: str
    name: str
    script: str | None
    kind: str | None


def split_unescaped(text, separator="|"):
    """Split ``text`` at ``separator``; ``\\|`` is a literal bar and ``\\\\`` a backslash."""
    parts, current, chars = [], [], iter(text)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def escape_name(name):
    return name.replace("\\", "\\\\").replace("|", "\\|")


def format_name(variant):
    """``az/Latn:Hacı Ələkbər məscidi``: script and kind are written when they are set and
    not the default (kind "official")."""
    prefix = variant.language
    if variant.kind != NameKind.OFFICIAL:
        prefix += f"/{variant.script}/{variant.kind}"
    elif variant.script:
        prefix += f"/{variant.script}"
    return f"{prefix}:{escape_name(variant.name)}"


def parse_names(text):
    """The name variants of a ``names`` cell, and the messages about entries it cannot read.

    Entries are separated by ``|``; each is ``language[/script[/kind]]:name``.
    """
    variants, errors = [], []
    for entry in split_unescaped(text):
        entry = entry.strip()
        if not entry:
            continue
        try:
            variants.append(parse_entry(entry))
        except ValueError as error:
            errors.append(str(error))
    return variants, errors


def parse_entry(entry):
    """One entry of a ``names`` cell as a :class:`NameVariant`; a ValueError saying what is
    wrong if it cannot be read."""
    prefix, colon, name = entry.partition(":")
    if not colon or not prefix.strip():
        raise ValueError(
            _(
                "“%(entry)s” has no language: write each name as language:name, "
                "e.g. az:Qarğabazar məscidi."
            )
            % {"entry": entry}
        )
    parts = [part.strip() for part in prefix.split("/")]
    if len(parts) > 3:
        raise ValueError(
            _("“%(entry)s”: write language/script/kind:name, with at most two slashes.")
            % {"entry": entry}
        )
    language, script, kind = (*parts, None, None)[:3]
    if kind:
        found = find_choice(NameKind.choices, kind)
        if found is None:
            raise ValueError(
                _("“%(entry)s”: the kind “%(kind)s” is not one of: %(kinds)s.")
                % {"entry": entry, "kind": kind, "kinds": ", ".join(NameKind.values)}
            )
        kind = found
    return NameVariant(language, name.strip(), script, kind or None)


def site_names(site):
    """The site's name variants with those the row being imported adds or changes."""
    names = {}
    if site.pk is not None:
        names = {(n.language, n.name): n for n in site.names.all()}
    for variant in site.__dict__.get("_import_names", []):
        names[(variant.language, variant.name)] = variant
    return "|".join(format_name(names[key]) for key in sorted(names))


def name_problems(entry, error):
    """Messages about a name variant that fails its model's checks, each naming the entry."""
    labels = {field.name: field.verbose_name for field in SiteName._meta.fields}
    for field, problems in error.message_dict.items():
        for problem in problems:
            label = labels.get(field)
            yield (
                _("“%(entry)s”: %(field)s: %(problem)s")
                % {"entry": entry, "field": label, "problem": problem}
                if label
                else _("“%(entry)s”: %(problem)s") % {"entry": entry, "problem": problem}
            )


def read_names(site, variants, messages):
    """The :class:`SiteName` rows (not saved) that ``variants`` add to ``site`` or change,
    and whether they change anything; problems are added to ``messages``."""
    existing = {}
    if site.pk is not None:
        existing = {(n.language, n.name): n for n in site.names.all()}
    names, changed, seen = [], False, set()
    for variant in variants:
        key = (variant.language, variant.name)
        entry = f"{variant.language}:{variant.name}"
        if key in seen:
            messages.append(_("“%(entry)s” is listed twice.") % {"entry": entry})
            continue
        seen.add(key)
        name = existing.get(key) or SiteName(language=variant.language, name=variant.name)
        before = (name.pk, name.script, name.kind)
        if variant.script is not None:
            name.script = variant.script
        if variant.kind is not None:
            name.kind = variant.kind
        try:
            name.full_clean(exclude=["site"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            messages.extend(name_problems(entry, error))
            continue
        name._import_changed = before != (name.pk, name.script, name.kind) or name.pk is None
        names.append(name)
        changed |= name._import_changed
    return names, changed
