"""The register's JSON-LD context, served at ``/ns/register.jsonld``.

It follows the patterns of Linked Art (https://linked.art/): the same term names for the same
CIDOC-CRM classes and properties (``HumanMadeObject``, ``identified_by``, ``classified_as``,
``_label``, ``timespan``…), with ``id`` and ``type`` for ``@id`` and ``@type``, so that a
reader of Linked Art reads these documents alike. It is the register's own, not Linked Art's
published context: it also names the CRM classes Linked Art leaves out, above all
``ConditionAssessment`` (E14) and ``ConditionState`` (E3), and it defines only the terms the
register writes. Every term maps to an IRI, so that expanding a document drops nothing.
"""

CRM = "http://www.cidoc-crm.org/cidoc-crm/"

#: class term -> CIDOC-CRM class
CLASSES = {
    "HumanMadeObject": "E22_Human-Made_Object",
    "ConditionAssessment": "E14_Condition_Assessment",
    "ConditionState": "E3_Condition_State",
    "Activity": "E7_Activity",
    "Production": "E12_Production",
    "Place": "E53_Place",
    "TimeSpan": "E52_Time-Span",
    "Group": "E74_Group",
    "Type": "E55_Type",
    "Language": "E56_Language",
    "Name": "E33_E41_Linguistic_Appellation",
    "Identifier": "E42_Identifier",
    "LinguisticObject": "E33_Linguistic_Object",
}

#: property term -> CIDOC-CRM property (objects are nodes)
PROPERTIES = {
    "classified_as": "P2_has_type",
    "identified_by": "P1_is_identified_by",
    "language": "P72_has_language",
    "current_location": "P55_has_current_location",
    "part_of": "P89_falls_within",
    "produced_by": "P108i_was_produced_by",
    "timespan": "P4_has_time-span",
    "assessed_by": "P34i_was_assessed_by",
    "identified": "P35_has_identified",
    "carried_out_by": "P14_carried_out_by",
    "forms_part_of": "P9i_forms_part_of",
    "documented_in": "P70i_is_documented_in",
    "referred_to_by": "P67i_is_referred_to_by",
}

#: property term -> CIDOC-CRM property (objects are literals)
LITERALS = {
    "content": {"@id": f"{CRM}P190_has_symbolic_content"},
    "defined_by": {"@id": f"{CRM}P168_place_is_defined_by"},
    "begin_of_the_begin": {
        "@id": f"{CRM}P82a_begin_of_the_begin",
        "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
    },
    "end_of_the_end": {
        "@id": f"{CRM}P82b_end_of_the_end",
        "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
    },
}

CONTEXT = {
    "@context": {
        "@version": 1.1,
        "crm": CRM,
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "id": "@id",
        "type": "@type",
        "_label": {"@id": "rdfs:label"},
        "equivalent": {"@id": "owl:sameAs", "@container": "@set"},
        **{term: {"@id": f"crm:{name}"} for term, name in CLASSES.items()},
        **{term: {"@id": f"crm:{name}", "@container": "@set"} for term, name in PROPERTIES.items()},
        **LITERALS,
    }
}
