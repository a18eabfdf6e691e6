"""Public addresses that are the same in every language: evidence files, the favicon, the
linked data's context and the files of the data package.

They serve bytes rather than pages, so ``config.urls`` keeps them out of the language
prefixes that ``public.urls`` gets."""

from django.urls import path

from public.views import data, evidence, home, linked_data

urlpatterns = [
    path("evidence/<int:pk>/<slug:rendition>", evidence.evidence_file, name="evidence-file"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the static icon.
    path("favicon.ico", home.favicon, name="favicon"),
    # The context of the register's JSON-LD: one address, whatever the reader's language.
    path("ns/register.jsonld", linked_data.context, name="linked-data-context"),
    path("data/<str:filename>", data.package_file, name="data-package-file"),
]
