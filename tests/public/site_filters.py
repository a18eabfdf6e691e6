"""The filters of the site listing, which the exports apply too: cases on the four sites of
the ``four_sites`` fixture, and bad values of every parameter."""

#: The parameters that filter the sites, in the order of the form.
FILTER_PARAMETERS = [
    "q",
    "category",
    "condition",
    "area",
    "organisation",
    "assessed_from",
    "assessed_to",
    "verification",
]

#: One case per parameter: (parameter, value, slugs of the sites it finds).
FILTER_CASES = [
    ("q", "qargabazar", {"alpha"}),
    ("category", "cemetery", {"beta"}),
    ("condition", "Destroyed", {"alpha"}),
    ("area", "east", {"alpha", "beta"}),
    ("organisation", "icesco", {"alpha", "delta"}),
    ("assessed_from", "2021-01-01", {"alpha", "beta"}),
    ("assessed_to", "2021-12-31", {"alpha", "delta"}),
    ("verification", "verified", {"alpha"}),
]

#: Further single-filter cases: other values of the same parameters.
MORE_FILTER_CASES = [
    ("q", "BETA", {"beta"}),
    ("q", "  alpha   MOSQUE ", {"alpha"}),
    ("q", "Qarğabazar", {"alpha"}),
    ("q", "nothing like it", set()),
    ("category", "caravanserai", {"gamma"}),
    ("condition", "Good", {"delta"}),
    ("condition", "Fair", set()),
    ("area", "east-village", {"alpha"}),
    ("area", "west", {"gamma", "delta"}),
    ("organisation", "watch", {"beta"}),
    ("verification", "corroborated", {"delta"}),
    ("verification", "disputed", set()),
]

#: (parameters, the parameter named in the answer, a part of its message).
BAD_PARAMETERS = [
    ({"category": "fish"}, "category", "fish is not one of the available choices"),
    ({"condition": "Ruined"}, "condition", "Select a valid choice"),
    ({"condition": "destroyed"}, "condition", "Select a valid choice"),
    ({"area": "atlantis"}, "area", "Select a valid choice"),
    ({"organisation": "nobody"}, "organisation", "Select a valid choice"),
    ({"assessed_from": "2021-13-45"}, "assessed_from", "Enter a valid date"),
    ({"assessed_to": "yesterday"}, "assessed_to", "Enter a valid date"),
    (
        {"assessed_from": "2022-01-01", "assessed_to": "2021-01-01"},
        "assessed_to",
        "comes before the start of the range, assessed_from",
    ),
    ({"verification": "maybe"}, "verification", "maybe is not one of the available choices"),
    ({"sort": "price"}, "sort", "price is not one of the available choices"),
    ({"q": "x" * 201}, "q", "at most 200 characters"),
    ({"site": "nope"}, "site", "Select a valid choice"),
]

BAD_PAGES = [
    ({"page": "abc"}, "page", "A page number is a whole number"),
    ({"page": "1.5"}, "page", "A page number is a whole number"),
    ({"page": "9"}, "page", "There is no page 9: pages run from 1 to 1."),
    ({"page": "0"}, "page", "There is no page 0"),
    ({"page": "-1"}, "page", "There is no page -1"),
]


def case_id(case):
    """Test ids: a filter case by its parameter and value, a bad case by its parameters."""
    if isinstance(case, dict):
        return "&".join(case)
    return case if isinstance(case, str) else None
