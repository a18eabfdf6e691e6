"""The register as linked data: schema.org JSON-LD embedded in each dossier
(:mod:`public.linked_data.schema_org`) and a Linked Art / CIDOC-CRM representation of each
site and its assessments (:mod:`public.linked_data.linked_art`), whose terms the register's
own JSON-LD context defines (:mod:`public.linked_data.context`)."""
