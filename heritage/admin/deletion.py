"""Deletions from the admin that would take something away from a published record are
refused, with a line saying why for each record that stands in the way."""

from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from heritage import services


def admin_link(record):
    """A link to ``record``'s admin page, or its name if it has none."""
    opts = record._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(record.pk)])
    except NoReverseMatch:
        return str(record)
    return format_html('<a href="{}">{}</a>', url, record)


class ProtectedDeletionMixin:
    """Refuse deletions that would take rows away from a published record, and say why."""

    delete_confirmation_template = "admin/register/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/register/delete_selected_confirmation.html"

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = self.deletion_refusals(list(objs), request)
        return to_delete, model_count, perms_needed, [*protected, *refusals]

    def deletion_refusals(self, objs, request):
        """Why ``objs`` may not be deleted, one line per reason; empty if they may."""
        refusals = [
            format_html(
                "{}: {}",
                admin_link(record),
                _("published; only reviewers delete published records and their parts"),
            )
            for record in objs
            if not services.can_edit(request.user, record)
        ]
        if objs:
            chosen = {(type(record), record.pk) for record in objs}
            collector = NestedObjects(using=router.db_for_write(type(objs[0])))
            collector.collect(objs)
            for model, rows in collector.data.items():
                for row in rows:
                    if (model, row.pk) not in chosen:
                        refusal = self.cascade_refusal(row, chosen)
                        if refusal:
                            refusals.append(refusal)
        return list(dict.fromkeys(refusals))

    def cascade_refusal(self, row, chosen):
        """Why ``row``, which would be deleted along with the chosen records, must stay."""
        owner = services.publishable_owner(row)
        if owner is None or (type(owner), owner.pk) in chosen or not owner.is_public:
            return None
        return format_html(
            "{}: {}",
            admin_link(owner),
            _("published; deleting would also remove “%(row)s” from it") % {"row": row},
        )
