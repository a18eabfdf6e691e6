"""What every admin page of the register shares.

- :class:`RegisterAdmin`: edit history with restore (django-simple-history), the version
  check of :class:`~heritage.admin.forms.RegisterForm`, publication and review (fields,
  actions, who may do what, all through ``heritage.services``), "view on site" for published
  records only, and deletions refused with an explanation when they would take something
  away from a published record.
- :class:`RegisterInline`: the same rules for rows edited inside another record's page;
  :class:`CitationInline` for the citations of a record.

The review actions are in :mod:`heritage.admin.review`, the refused deletions in
:mod:`heritage.admin.deletion`, and the search by names in any spelling in
:mod:`heritage.admin.search`.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from heritage import services
from heritage.admin.deletion import ProtectedDeletionMixin
from heritage.admin.forms import (
    SUMMARY_FIELD,
    VERSION_FIELD,
    RegisterForm,
    limit_publication_status,
)
from heritage.admin.review import ReviewActionsMixin, error_text, is_publishable
from heritage.admin.search import FoldedSearchMixin
from heritage.admin.to_field import OwnFieldsOnlyMixin
from heritage.base import REVIEW_FIELDS, StaleRecordError, VersionedModel

RECORDED_REVIEW_FIELDS = REVIEW_FIELDS[2:]


def form_for_user(form_class, user, *, asks_summary=False):
    """A subclass of ``form_class`` that knows who fills it in.

    Forms of models without a version lose the hidden version field, and forms that do not
    ask for a summary of the change lose that field.
    """
    attrs = {"request_user": user}
    if not issubclass(form_class._meta.model, VersionedModel):
        attrs[VERSION_FIELD] = None
    if not asks_summary:
        attrs[SUMMARY_FIELD] = None
    return type(form_class.__name__, (form_class,), attrs)


class RegisterAdmin(
    ReviewActionsMixin,
    ProtectedDeletionMixin,
    FoldedSearchMixin,
    OwnFieldsOnlyMixin,
    SimpleHistoryAdmin,
):
    """The base of every admin page of the register."""

    form = RegisterForm
    actions = ["submit_for_review", "publish", "reject"]
    #: The history list without the inline style of django-simple-history's, which the
    #: Content-Security-Policy blocks.
    object_history_list_template = "admin/register/history_list.html"
    #: Whether a change to a published record asks for a summary of the change: records
    #: with a public history show it there.
    asks_change_summary = False

    def view_on_site(self, obj):
        """The public page of a published record; nothing for an unpublished one."""
        if is_publishable(type(obj)) and not obj.is_public:
            return None
        get_url = getattr(obj, "get_absolute_url", None)
        return get_url() if get_url else None

    # Who may change what

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    # The form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_publishable(self.model):
            fields += [name for name in RECORDED_REVIEW_FIELDS if name not in fields]
            record = obj if obj is not None else self.model()
            if not services.can_review(request.user, self.model):
                fields.append("review_note")
            if len(services.allowed_statuses(record=record, user=request.user)) < 2:
                fields.append("publication_status")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and to_historic(obj) is not None:
            self.keep_current_state(obj)
        form_class = super().get_form(request, obj, change=change, **kwargs)
        form_class = form_for_user(form_class, request.user, asks_summary=self.asks_summary(obj))
        if is_publishable(self.model):
            record = obj if obj is not None else self.model()
            limit_publication_status(form_class, record, request.user)
        return form_class

    def asks_summary(self, obj):
        """Whether the form of ``obj`` asks for a summary of the change: a published record
        of a model with a public history."""
        return (
            self.asks_change_summary
            and obj is not None
            and obj.pk is not None
            and is_publishable(self.model)
            and obj.is_public
        )

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets or not is_publishable(self.model):
            return super().get_fieldsets(request, obj)
        fields = self.get_fields(request, obj)
        main = [name for name in fields if name not in REVIEW_FIELDS]
        review = [name for name in REVIEW_FIELDS if name in fields]
        return [
            (None, {"fields": main}),
            (
                _("Publication and review"),
                {
                    "fields": review,
                    "description": _(
                        "Editors submit records for review; reviewers publish them or reject "
                        "them with a reason. The reviewer's note is never shown to the public."
                    ),
                },
            ),
        ]

    def save_model(self, request, obj, form, change):
        """Save the record; a change of publication status waits for ``save_related``."""
        obj._pending_status = None
        if is_publishable(self.model) and "publication_status" in form.changed_data:
            obj._pending_status = (obj.publication_status, form.cleaned_data.get("review_note"))
            obj.publication_status = form.initial.get("publication_status") or (
                self.model._meta.get_field("publication_status").default
            )
        summary = form.cleaned_data.get(SUMMARY_FIELD)
        if summary:
            # Kept as the change reason of the history entries this save adds, also those of
            # the many-to-many fields that ``save_related`` writes.
            obj._change_reason = summary
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
        finally:
            form.instance.__dict__.pop("_change_reason", None)
        record = form.instance
        pending = getattr(record, "_pending_status", None)
        if not pending:
            return
        status, reason = pending
        try:
            services.record_change_status(
                record=record, user=request.user, status=status, reason=reason or ""
            )
        except (PermissionDenied, ValidationError) as error:
            self.message_user(
                request,
                _("The changes were saved, but the publication status was not changed: %s")
                % error_text(error),
                messages.WARNING,
            )

    # History

    def keep_current_state(self, obj):
        """Restoring a past version restores its content, not its publication state.

        ``obj`` is the past version about to be shown for restoring: it takes the current
        version number and review fields, so a restore is saved over the record as it is
        now and cannot publish or unpublish it. A deleted record comes back as a draft.
        """
        names = []
        if issubclass(self.model, VersionedModel):
            names.append("version")
        if is_publishable(self.model):
            names += [self.model._meta.get_field(name).attname for name in REVIEW_FIELDS]
        if not names:
            return
        current = self.model._base_manager.filter(pk=obj.pk).values(*names).first()
        if current is None:
            current = {
                name: self.model._meta.get_field(name.removesuffix("_id")).get_default()
                for name in names
            }
        for name, value in current.items():
            setattr(obj, name, value)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            allowed = (
                self.has_change_permission(request, current)
                if current is not None
                else self.has_add_permission(request)
            )
            if not allowed:
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleRecordError as error:
            # Someone saved between this form's check and its save: nothing was written.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class RegisterInlineFormSet(BaseInlineFormSet):
    """Refuses an editor's deletion of a published row from an inline."""

    request_user = None

    def clean(self):
        super().clean()
        if self.request_user is None:
            return
        for form in self.deleted_forms:
            record = form.instance
            if record.pk is not None and not services.can_edit(self.request_user, record):
                raise ValidationError(
                    _("“%(record)s” is published: only reviewers can delete it.")
                    % {"record": record}
                )


class RegisterInline:
    """Rows edited inside another record's page, under the same rules as the record.

    Publishable rows (claims, assessments) show their status read-only here: it changes on
    their own page, through review.
    """

    form = RegisterForm
    formset = RegisterInlineFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = form_for_user(formset.form, request.user)
        formset.request_user = request.user
        return formset

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_publishable(self.model) and "publication_status" not in fields:
            fields.append("publication_status")
        return fields

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if is_publishable(self.model):
            exclude.append("review_note")
        return exclude

    def _parent_editable(self, request, obj):
        return obj is None or services.can_edit(request.user, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._parent_editable(request, obj)


class TabularInline(RegisterInline, admin.TabularInline):
    pass


class StackedInline(RegisterInline, admin.StackedInline):
    pass


class CitationInline(TabularInline):
    """The sources a record cites, on the record's page; each source is found by typing."""

    autocomplete_fields = ("source",)
