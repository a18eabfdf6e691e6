"""The ``_to_field`` parameter of admin pages (the field a pop-up's choice is read from) when
it names a relation that points to the model rather than a field of its own."""

from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import FieldDoesNotExist


class OwnFieldsOnlyMixin:
    """Refuse (400) a ``_to_field`` that names no concrete field of the model. Django's check
    reads ``primary_key`` of whatever the name finds, and a relation pointing to the model
    has none: a hidden one, named ``+`` (the history's foreign keys to staff users and to
    records), made the page fail with an error (500)."""

    def to_field_allowed(self, request, to_field):
        try:
            field = self.opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        if not field.concrete:
            return False
        return super().to_field_allowed(request, to_field)


class StaffUserAdmin(OwnFieldsOnlyMixin, UserAdmin):
    """Django's admin of users, with the check above."""


def register_user_admin(site):
    """Put ``StaffUserAdmin`` in the place of Django's admin of users on ``site``."""
    user = get_user_model()
    if site.is_registered(user):
        site.unregister(user)
    site.register(user, StaffUserAdmin)
