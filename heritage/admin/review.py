"""Review from the admin lists: actions to submit, publish and reject the selected records.

Each record goes through ``heritage.services`` on its own; a message says how many changed
and why the others did not.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from heritage import services
from heritage.admin.forms import RejectForm
from heritage.base import Publishable, StaleRecordError

#: Refusals listed one by one in a message; the rest are counted.
LISTED_REFUSALS = 10


def is_publishable(model):
    return issubclass(model, Publishable)


def error_text(error):
    """An error's messages as plain text, for a message above the list."""
    if isinstance(error, ValidationError):
        return strip_tags(" ".join(error.messages))
    return str(error)


class ReviewActionsMixin:
    """Admin actions to submit, publish and reject records, each through the services."""

    reject_template = "admin/register/reject_confirmation.html"

    def has_review_permission(self, request):
        return services.can_review(request.user, self.model)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_publishable(self.model):
            for name in ("submit_for_review", "publish", "reject"):
                actions.pop(name, None)
        return actions

    def apply_review(self, request, queryset, service, done, **options):
        """Apply ``service`` to each record on its own, as the user and with ``options``;
        say what changed (``done(count)``) and what did not."""
        changed, refused = 0, []
        for record in queryset:
            try:
                service(record=record, user=request.user, **options)
            except (PermissionDenied, ValidationError, StaleRecordError) as error:
                refused.append(f"“{record}”: {error_text(error)}")
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                done(changed) % {"count": changed, "name": self._name(changed)},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(request, self.refusal_message(refused), messages.WARNING)

    def refusal_message(self, refused):
        """How many records were left unchanged, and why: the first few one by one."""
        reasons = "; ".join(refused[:LISTED_REFUSALS])
        more = len(refused) - LISTED_REFUSALS
        if more > 0:
            reasons += " " + ngettext("…and %(n)d more.", "…and %(n)d more.", more) % {"n": more}
        return ngettext(
            "%(count)d %(name)s was left unchanged: %(reasons)s",
            "%(count)d %(name)s were left unchanged: %(reasons)s",
            len(refused),
        ) % {"count": len(refused), "name": self._name(len(refused)), "reasons": reasons}

    def _name(self, count):
        opts = self.model._meta
        return opts.verbose_name if count == 1 else opts.verbose_name_plural

    @admin.action(description=gettext_lazy("Submit the selected records for review"))
    def submit_for_review(self, request, queryset):
        self.apply_review(
            request,
            queryset,
            services.record_submit,
            lambda n: ngettext(
                "%(count)d %(name)s was submitted for review.",
                "%(count)d %(name)s were submitted for review.",
                n,
            ),
        )

    @admin.action(description=gettext_lazy("Publish the selected records"), permissions=["review"])
    def publish(self, request, queryset):
        self.apply_review(
            request,
            queryset,
            services.record_publish,
            lambda n: ngettext(
                "%(count)d %(name)s was published.", "%(count)d %(name)s were published.", n
            ),
        )

    @admin.action(
        description=gettext_lazy("Reject the selected records (with a reason)…"),
        permissions=["review"],
    )
    def reject(self, request, queryset):
        form = RejectForm(request.POST if request.POST.get("post") == "yes" else None)
        if form.is_valid():
            self.apply_review(
                request,
                queryset,
                services.record_reject,
                lambda n: ngettext(
                    "%(count)d %(name)s was rejected.", "%(count)d %(name)s were rejected.", n
                ),
                reason=form.cleaned_data["reason"],
            )
            return None
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject %(name)s") % {"name": opts.verbose_name_plural},
            "opts": opts,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.reject_template, context)
