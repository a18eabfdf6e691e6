"""``get_<field>_display()`` of the register's models: the label of the value in the active
language, read from the field's choices without translating each of them at every call."""

from unittest import mock

import pytest
from django.utils import translation

from heritage.base import PublicationStatus
from heritage.models import Site, SiteCategory
from inspections.models import Commitment

pytestmark = pytest.mark.django_db


def test_a_label_follows_the_active_language():
    site = Site(category=SiteCategory.MOSQUE, publication_status=PublicationStatus.PUBLISHED)
    labels = {}
    for language in ("en", "az", "ar"):
        with translation.override(language):
            labels[language] = site.get_category_display()
            assert labels[language] == str(SiteCategory.MOSQUE.label)
            published = str(PublicationStatus.PUBLISHED.label)
            assert site.get_publication_status_display() == published
    # Three languages, three labels: none kept from another language.
    assert len(set(labels.values())) == 3


def test_a_value_among_no_choice_is_shown_as_it_is():
    assert Site(category="not-a-category").get_category_display() == "not-a-category"
    commitment = Commitment(kind=Commitment.Kind.choices[0][0])
    assert commitment.get_kind_display() == str(Commitment.Kind.choices[0][1])


def test_a_label_translates_one_text_not_every_choice():
    site = Site(category=SiteCategory.MOSQUE)
    site.get_category_display()
    with (
        translation.override("az"),
        mock.patch(
            "django.utils.translation._trans.gettext", wraps=translation._trans.gettext
        ) as translated,
    ):
        site.get_category_display()
    # Django's own translates every one of the category's choices at each call.
    assert translated.call_count == 1
