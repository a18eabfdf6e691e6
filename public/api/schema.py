"""Adjustments of the generated OpenAPI schema (drf-spectacular's postprocessing hooks)."""

#: What each filter of the lists means, in the schema's words (the FilterSets' own help
#: texts are written for the pages' forms, and some filters have none).
DESCRIPTIONS = {
    "q": "Text in the site's name or any of its name variants, in any spelling or script: "
    "case-, accent- and Azerbaijani-letter-insensitive. At most 200 characters.",
    "category": "The site's category.",
    "condition": "The overall condition in the site's latest published assessment, by its "
    "EAMENA label (see /api/v1/vocabularies/overall_condition/), e.g. `Destroyed`.",
    "area": "A place's slug, at any level: a district includes its cities and villages.",
    "organisation": "An organisation's slug. Sites: those it assessed, or that were assessed "
    "on its visit. Visits: those it took part in.",
    "assessed_from": "Sites with a published assessment on or after this date (YYYY-MM-DD).",
    "assessed_to": "Sites with a published assessment on or before this date (YYYY-MM-DD).",
    "verification": "Sites with a published assessment at this verification level. "
    "`organisation`, the dates and `verification` apply to one and the same assessment.",
    "site": "One site, by its slug.",
    "year": "Visits that started in this year (1 to 9999).",
    "status": "The visit's status.",
    "place": "A place's slug: visits to it or to any place within it.",
}


def described_parameters(result, generator, request, public):
    """Every query parameter of the API takes an empty value to mean the parameter is left
    out, as the website's forms send empty fields: say so (``allowEmptyValue``); and give
    each filter its description."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                parameter["allowEmptyValue"] = True
                if parameter["name"] in DESCRIPTIONS:
                    parameter["description"] = DESCRIPTIONS[parameter["name"]]
    return result
