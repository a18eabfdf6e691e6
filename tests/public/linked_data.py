"""Reading the register's JSON-LD in tests: the dossier's schema.org block, and expansion of
the Linked Art documents with pyld, the register's context served by the test client (no
network)."""

import json
import re

from pyld import jsonld

from public.linked_data.context import CONTEXT

LD_BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
KEYWORDS = {"id": "@id", "type": "@type"}


def schema_org_blocks(html):
    """The JSON of each ``application/ld+json`` block of a page, and the raw blocks."""
    raw = LD_BLOCK.findall(html)
    return [json.loads(block) for block in raw], raw


def client_document_loader(client):
    """A pyld document loader that fetches this site's documents through the test client
    and refuses any other address, so that expansion never reaches the network."""

    def load(url, options=None):
        prefix = "http://testserver/"
        if not url.startswith(prefix):
            raise ValueError(f"No network in the tests: {url}")
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(response.content),
        }

    return load


def expand(document, client):
    """``document`` expanded; fails on any error and on any key expansion would drop."""
    dropped = []
    expanded = jsonld.expand(
        document,
        {"documentLoader": client_document_loader(client)},
        on_property_dropped=dropped.append,
    )
    assert dropped == []
    return expanded


def compact_keys(node, found=None):
    """Every key used anywhere in a compact document, but its ``@context``."""
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                continue
            found.add(key)
            compact_keys(value, found)
    elif isinstance(node, list):
        for item in node:
            compact_keys(item, found)
    return found


def expanded_keys(node, found=None):
    """Every property IRI and keyword of an expanded document."""
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            expanded_keys(value, found)
    elif isinstance(node, list):
        for item in node:
            expanded_keys(item, found)
    return found


def term_iri(term):
    """The IRI (or keyword) the register's context gives ``term``."""
    if term in KEYWORDS:
        return KEYWORDS[term]
    definitions = CONTEXT["@context"]
    definition = definitions[term]
    iri = definition if isinstance(definition, str) else definition["@id"]
    prefix, _, rest = iri.partition(":")
    if prefix in definitions and isinstance(definitions[prefix], str) and not rest.startswith("//"):
        return definitions[prefix] + rest
    return iri


def types_of(expanded, found=None):
    """Every ``@type`` IRI in an expanded document."""
    found = set() if found is None else found
    if isinstance(expanded, dict):
        for key, value in expanded.items():
            if key == "@type":
                found.update(value if isinstance(value, list) else [value])
            else:
                types_of(value, found)
    elif isinstance(expanded, list):
        for item in expanded:
            types_of(item, found)
    return found
