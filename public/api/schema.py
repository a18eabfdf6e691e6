"""Adjustments of the generated OpenAPI schema (drf-spectacular's postprocessing hooks)."""


def empty_values_allowed(result, generator, request, public):
    """Every query parameter of the API takes an empty value to mean the parameter is left
    out, as the website's forms send empty fields: say so (``allowEmptyValue``)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
