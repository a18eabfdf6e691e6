"""In the admin, choosing a disturbance's cause category leaves only its cause types."""

import pytest
from playwright.sync_api import expect

from inspections.models import Disturbance
from tests.admin_forms import admin_url
from tests.factories import DisturbanceFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def disturbance(vocabularies):
    """A disturbance, on top of the EAMENA terms and the register's cause-type mapping."""
    return DisturbanceFactory()


def visible_groups(select):
    return select.evaluate(
        "element => Array.from(element.querySelectorAll('optgroup'))"
        ".filter(group => !group.hidden).map(group => group.label)"
    )


def test_the_cause_types_follow_the_chosen_category(page, live_server, admin_user, disturbance):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}{admin_url(Disturbance, 'change', disturbance.pk)}")
    category, cause_type = page.locator("#id_cause_category"), page.locator("#id_cause_type")

    assert visible_groups(cause_type) == ["Vandalism"]
    graffiti = cause_type.locator('optgroup[label="Vandalism"] option', has_text="Graffiti")
    cause_type.select_option(element=graffiti.element_handle())
    expect(cause_type).not_to_have_value("")
    category.select_option(label="Natural")
    assert visible_groups(cause_type) == ["Natural"]
    expect(cause_type).to_have_value("")
    category.select_option(label="Unknown")
    assert len(visible_groups(cause_type)) > 20
    assert errors == []
