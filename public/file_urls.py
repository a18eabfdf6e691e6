"""Public addresses that are the same in every language: evidence files and the favicon.

They serve bytes rather than pages, so ``config.urls`` keeps them out of the language
prefixes that ``public.urls`` gets."""

from django.urls import path

from public.views import evidence, home

urlpatterns = [
    path("evidence/<int:pk>/<slug:rendition>", evidence.evidence_file, name="evidence-file"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the static icon.
    path("favicon.ico", home.favicon, name="favicon"),
]
