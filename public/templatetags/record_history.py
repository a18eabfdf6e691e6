"""Tags for the includes that link a record's page to its history and offer its citation."""

from django import template

from public.records import BY_MODEL, citation_block

register = template.Library()


@register.simple_tag
def history_url(record):
    """The address of ``record``'s public history."""
    return BY_MODEL[type(record)].history_url(record)


@register.simple_tag(takes_context=True)
def record_citation(context, record, version=None):
    """The "Cite this record" section's content for ``record`` (its ``version`` if given)."""
    return citation_block(context["request"], record, version or None)
