"""Whether an assessment's verification level agrees with the sources it cites.

Two sources corroborate each other only when different publishers publish them: two
reports of one news agency, or a report and its reprint by the same outlet, are one voice.
A source's publisher is its publisher organisation when recorded, else its publisher's
name as written (then its author's); a source with neither counts as its own publisher.

The register **refuses** a contradiction rather than warning about it. A verification level
is what a reader trusts at a glance; a warning can be dismissed, and the record would then
say in public something its own citations contradict. Refusing costs the editor one
correction (change the level or the citations), and the rule is simple enough to state in
the message. The levels that do not depend on how many sources there are ("verified on site
or by imagery", "disputed") are never refused.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from heritage.text import fold


def publisher_key(source):
    """What makes two sources one voice: the publisher organisation, else the publisher's
    (or author's) name, folded; a source with neither is its own publisher."""
    if source.publisher_organisation_id is not None:
        return ("organisation", source.publisher_organisation_id)
    name = fold(source.publisher or source.author or "")
    if name:
        return ("name", name)
    return ("source", source.pk)


def independent_count(sources):
    """How many different publishers publish ``sources``."""
    return len({publisher_key(source) for source in sources})


def verification_conflict(verification, sources):
    """A message saying how ``verification`` contradicts ``sources``, or None."""
    from inspections.models import Verification

    sources = list(sources)
    independent = independent_count(sources)
    if verification == Verification.REPORTED and independent > 1:
        return ngettext(
            "“Reported by one source” contradicts the citations: %(count)d source from "
            "different publishers is cited. Choose “Corroborated by independent sources”, "
            "or cite one source.",
            "“Reported by one source” contradicts the citations: %(count)d sources from "
            "different publishers are cited. Choose “Corroborated by independent sources”, "
            "or cite one source.",
            independent,
        ) % {"count": independent}
    if verification == Verification.CORROBORATED and independent < 2:
        if len(sources) > 1:
            return _(
                "“Corroborated by independent sources” contradicts the citations: the sources "
                "cited all come from one publisher, so they are one voice. Cite a source from "
                "another publisher, or choose “Reported by one source”."
            )
        return _(
            "“Corroborated by independent sources” needs sources from at least two "
            "different publishers. Cite another source, or choose “Reported by one source”."
        )
    return None
