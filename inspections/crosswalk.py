"""The register's own crosswalk from EAMENA's overall condition to the classes of two
independent schemes, so that a verdict can be set beside theirs.

- **UNITAR-UNOSAT** damage classes for satellite imagery: destroyed, severe damage,
  moderate damage, possible damage, no visible damage.
- **Caucasus Heritage Watch** (CHW) categories of its monitoring: destroyed, major damage,
  minor damage, unchanged, renovated, restored.

Neither scheme publishes a mapping to EAMENA; this one is the register's, and lossy:

| EAMENA overall condition | UNOSAT class | CHW category | why |
|---|---|---|---|
| Good | no visible damage | unchanged | no damage recorded |
| Fair | possible damage | minor damage | some damage, structure intact |
| Poor | moderate damage | major damage | significant damage to the structure |
| Very Bad | severe damage | major damage | most of the structure damaged; CHW has no finer class |
| Destroyed | destroyed | destroyed | the same meaning in all three |
| Unknown, or no condition stated | none | none | nothing to compare |

CHW's "renovated" and "restored" describe interventions, not damage: no EAMENA condition
maps to them, and an assessment recorded in those terms is compared on its own words.
Two verdicts "agree" when their EAMENA conditions map to the same UNOSAT class.
"""

from itertools import groupby
from operator import itemgetter

from django.utils.translation import gettext_lazy as _

UNOSAT_CLASSES = {
    "destroyed": _("Destroyed"),
    "severe": _("Severe damage"),
    "moderate": _("Moderate damage"),
    "possible": _("Possible damage"),
    "none": _("No visible damage"),
}

CHW_CATEGORIES = {
    "destroyed": _("Destroyed"),
    "major": _("Major damage"),
    "minor": _("Minor damage"),
    "unchanged": _("Unchanged"),
    "renovated": _("Renovated"),
    "restored": _("Restored"),
}

#: EAMENA overall condition (English label) -> (UNOSAT class, CHW category).
CROSSWALK = {
    "Good": ("none", "unchanged"),
    "Fair": ("possible", "minor"),
    "Poor": ("moderate", "major"),
    "Very Bad": ("severe", "major"),
    "Destroyed": ("destroyed", "destroyed"),
}


def crosswalk(label):
    """(UNOSAT class, CHW category) codes for an EAMENA overall-condition label, or
    (None, None) when there is nothing to compare."""
    return CROSSWALK.get(label or "", (None, None))


def verdicts_agree(first_label, second_label):
    """True/False when both conditions can be compared, else None."""
    first, second = crosswalk(first_label)[0], crosswalk(second_label)[0]
    if first is None or second is None:
        return None
    return first == second


def disputed_among(verdicts):
    """The ids of the sites whose assessors' latest verdicts fall in two UNOSAT classes or
    more, from ``verdicts``: rows (site id, assessor, condition label), ordered by site and
    then newest first. Each assessor's first row for a site is its latest verdict; a
    verdict the crosswalk places in no class is left out of the comparison."""
    disputed = set()
    for site_id, rows in groupby(verdicts, key=itemgetter(0)):
        assessors, classes = set(), set()
        for _site_id, assessor, label in rows:
            if assessor in assessors:
                continue  # an older verdict of the same assessor
            assessors.add(assessor)
            unosat = crosswalk(label)[0]
            if unosat is not None:
                classes.add(unosat)
        if len(classes) > 1:
            disputed.add(site_id)
    return disputed
