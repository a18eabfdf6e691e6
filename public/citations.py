"""How to cite a record of the register: one citation model, several formats.

:class:`RecordCitation` holds what a citation of one version of a record says: the
register's name (its author and container), the record's title, the version's number and
date, its permalink and the date it was accessed. From it come

- the CSL-JSON item (the Citation Style Language's data format, which reference managers
  import), :meth:`RecordCitation.csl`;
- formatted citations in the styles of :data:`STYLES`, through citeproc-py from that item;
- BibTeX (:meth:`RecordCitation.bibtex`) and RIS (:meth:`RecordCitation.ris`).

The formatted styles are CSL files read from disk: the Harvard style that citeproc-py ships
and an author-date style of the register's own (``public/csl``), so nothing is fetched. They
are formatted in the page's language where citeproc-py ships a CSL locale for it (English,
Arabic); Azerbaijani has none, so an Azerbaijani page gives them in English.
"""

import dataclasses
import datetime
import functools
import hashlib
import json
import re
from pathlib import Path

import citeproc
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as csl_formatter
from citeproc.source.json import CiteProcJSON
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

#: The register's name in citations, in English whatever the page's language: a citation
#: names the work as it is published.
REGISTER_NAME = "Heritage damage register"

CSL_DIR = Path(__file__).resolve().parent / "csl"
CITEPROC_STYLES = Path(citeproc.__file__).resolve().parent / "data" / "styles"

#: (key, label, CSL file, whether the title must carry the version) of the formatted
#: styles, in the order the pages show them. The Harvard style prints no version, so its
#: title says which version is cited.
STYLES = [
    (
        "author-date",
        _("Author-date (Chicago style)"),
        CSL_DIR / "register-author-date.csl",
        False,
    ),
    (
        "harvard",
        _("Harvard"),
        Path(citeproc.__file__).resolve().parent
        / "data"
        / "styles"
        / "harvard-cite-them-right.csl",
        True,
    ),
]

#: file extension -> (content type, what the format is called)
DOWNLOADS = {
    "json": ("application/vnd.citationstyles.csl+json", "CSL-JSON"),
    "bib": ("application/x-bibtex; charset=utf-8", "BibTeX"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "RIS"),
}


#: How long a formatted citation is kept in the cache: formatting takes tens of
#: milliseconds, and a citation changes only with its record's version or the day.
FORMATTED_TIMEOUT = 60 * 60 * 24


#: The CSL locale of each page language that has one among citeproc-py's locales.
CSL_LOCALES = {"en": "en-US", "ar": "ar"}


def csl_locale(language=None):
    """The CSL locale of ``language`` (the active language by default); English when
    citeproc-py has none for it."""
    language = (language or get_language() or "en").split("-")[0]
    return CSL_LOCALES.get(language, CSL_LOCALES["en"])


@functools.cache
def csl_style(path, locale="en-US"):
    """The CSL style at ``path`` with the CSL ``locale``, parsed once per process."""
    return CitationStylesStyle(str(path), locale=locale, validate=False)


def date_parts(date):
    return {"date-parts": [[date.year, date.month, date.day]]}


def bibtex_text(value):
    """``value`` safe inside a braced BibTeX field: braces and backslashes escaped, and the
    characters that LaTeX reads as commands written as their commands."""
    replacements = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
    }
    return "".join(replacements.get(character, character) for character in value)


def one_line(value):
    """``value`` on one line: RIS reads a line break as the end of the field."""
    return re.sub(r"\s+", " ", value).strip()


@dataclasses.dataclass(frozen=True)
class RecordCitation:
    """A citation of one published version of a record."""

    #: A key for reference managers, unique per record and version, e.g. ``site-x-v2``.
    key: str
    title: str
    version: int
    #: The day the version was published; None if it is not recorded.
    issued: datetime.date | None
    #: The version's permalink, absolute.
    url: str
    accessed: datetime.date
    register: str = REGISTER_NAME

    def csl(self):
        """The CSL-JSON item of the citation."""
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "author": [{"literal": self.register}],
            "container-title": self.register,
            "publisher": self.register,
            "version": str(self.version),
            "URL": self.url,
            "accessed": date_parts(self.accessed),
        }
        if self.issued is not None:
            item["issued"] = date_parts(self.issued)
        return item

    def formatted(self, style_path, *, version_in_title=False, locale="en-US"):
        """The citation in the CSL style at ``style_path`` and CSL ``locale``, as safe
        HTML."""
        item = self.csl()
        if version_in_title:
            item["title"] = gettext("%(title)s (version %(number)s)") % {
                "title": self.title,
                "number": self.version,
            }
        # citeproc-py's HTML output does not escape the text it is given: escape it first.
        for name in ("title", "container-title", "publisher", "URL"):
            item[name] = escape(item[name])
        item["author"] = [{"literal": escape(self.register)}]
        style = csl_style(style_path, locale)
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), csl_formatter.html)
        bibliography.register(Citation([CitationItem(self.key)]))
        return mark_safe("".join(str(entry) for entry in bibliography.bibliography()))

    def styles(self):
        """[(key, label, formatted citation)] in every style of :data:`STYLES`, in the page's
        language (:func:`csl_locale`), from the cache when the same citation was formatted
        before."""
        locale = csl_locale()
        digest = hashlib.sha256(
            json.dumps([self.csl(), locale], sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        texts = cache.get_or_set(
            f"citation-styles:{digest}",
            lambda: [
                str(self.formatted(path, version_in_title=in_title, locale=locale))
                for _key, _label, path, in_title in STYLES
            ],
            FORMATTED_TIMEOUT,
        )
        return [
            # Escaped by formatted() before it was cached.
            (key, label, mark_safe(text))
            for (key, label, _path, _in_title), text in zip(STYLES, texts, strict=True)
        ]

    def bibtex(self):
        """The citation as one BibTeX ``@misc`` entry."""
        fields = [
            ("author", "{" + bibtex_text(self.register) + "}"),
            ("title", bibtex_text(self.title)),
            ("howpublished", bibtex_text(self.register)),
            ("version", str(self.version)),
        ]
        if self.issued is not None:
            fields += [
                ("year", str(self.issued.year)),
                ("month", str(self.issued.month)),
                ("date", self.issued.isoformat()),
            ]
        fields += [
            ("url", self.url),
            ("urldate", self.accessed.isoformat()),
            ("note", f"Version {self.version}, accessed {self.accessed.isoformat()}"),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def ris(self):
        """The citation as one RIS record (type ``ELEC``, a web page)."""
        lines = [
            ("TY", "ELEC"),
            ("AU", self.register),
            ("TI", self.title),
            ("T2", self.register),
            ("PB", self.register),
            ("ET", str(self.version)),
        ]
        if self.issued is not None:
            lines += [("PY", str(self.issued.year)), ("DA", self.issued.strftime("%Y/%m/%d"))]
        lines += [
            ("Y2", self.accessed.strftime("%Y/%m/%d")),
            ("UR", self.url),
            ("ID", self.key),
            ("ER", ""),
        ]
        return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)
