"""What every admin page of the register shares.

- :class:`RegisterAdmin`: edit history with restore (django-simple-history), the version
  check of :class:`~heritage.admin.forms.RegisterForm`, publication and review (fields,
  actions, who may do what, all through ``heritage.services``), "view on site" for published
  records only, and deletions refused with an explanation when they would take something
  away from a published record.
- :class:`RegisterInline`: the same rules for rows edited inside another record's page.
- :class:`FoldedSearchMixin`: search by site or place names in any spelling.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, strip_tags
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from heritage import services
from heritage.admin.forms import (
    VERSION_FIELD,
    RegisterForm,
    RejectForm,
    limit_publication_status,
)
from heritage.base import Publishable, StaleRecordError, VersionedModel
from heritage.models import PlaceName, Site, SiteName
from heritage.text import fold

REVIEW_FIELDS = (
    "publication_status",
    "review_note",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
)
RECORDED_REVIEW_FIELDS = REVIEW_FIELDS[2:]
#: Refusals listed one by one in a message; the rest are counted.
LISTED_REFUSALS = 10


def is_publishable(model):
    return issubclass(model, Publishable)


def admin_link(record):
    """A link to ``record``'s admin page, or its name if it has none."""
    opts = record._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(record.pk)])
    except NoReverseMatch:
        return str(record)
    return format_html('<a href="{}">{}</a>', url, record)


def error_text(error):
    """An error's messages as plain text, for a message above the list."""
    if isinstance(error, ValidationError):
        return strip_tags(" ".join(error.messages))
    return str(error)


def form_for_user(form_class, user):
    """A subclass of ``form_class`` that knows who fills it in.

    Forms of models without a version lose the hidden version field.
    """
    attrs = {"request_user": user}
    if not issubclass(form_class._meta.model, VersionedModel):
        attrs[VERSION_FIELD] = None
    return type(form_class.__name__, (form_class,), attrs)


class FoldedSearchMixin:
    """Admin search that also matches site and place names case- and accent-insensitively.

    Each word of the search must match one of ``search_fields`` or, folded as the public
    search folds it, a name of the site at ``folded_site_path`` ("" for the site itself) or
    of the place at ``folded_place_path``. The folded forms are stored beside each name.
    """

    folded_site_path = None
    folded_place_path = None

    def folded_condition(self, word):
        condition = Q()
        if self.folded_site_path is not None:
            sites = Site.objects.filter(
                Q(folded_name__contains=word)
                | Q(pk__in=SiteName.objects.filter(folded__contains=word).values("site_id"))
            ).values("pk")
            path = f"{self.folded_site_path}__in" if self.folded_site_path else "pk__in"
            condition |= Q(**{path: sites})
        if self.folded_place_path is not None:
            places = PlaceName.objects.filter(folded__contains=word).values("place_id")
            path = f"{self.folded_place_path}__in" if self.folded_place_path else "pk__in"
            condition |= Q(**{path: places})
        return condition

    def get_search_results(self, request, queryset, search_term):
        words = []
        for bit in smart_split(search_term or ""):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            if bit.strip():
                words.append(bit)
        if not words:
            return super().get_search_results(request, queryset, search_term)
        condition = Q()
        may_have_duplicates = False
        for word in words:
            plain, duplicates = super().get_search_results(request, queryset, f'"{word}"')
            may_have_duplicates |= duplicates
            condition &= Q(pk__in=plain.values("pk")) | self.folded_condition(fold(word))
        return queryset.filter(condition), may_have_duplicates


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

    def apply_review(self, request, queryset, service, done):
        """Apply ``service`` to each record on its own; say what changed and what did not."""
        changed, refused = 0, []
        for record in queryset:
            try:
                service(record)
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
            reasons = "; ".join(refused[:LISTED_REFUSALS])
            more = len(refused) - LISTED_REFUSALS
            if more > 0:
                reasons += " " + ngettext("…and %(n)d more.", "…and %(n)d more.", more) % {
                    "n": more
                }
            self.message_user(
                request,
                ngettext(
                    "%(count)d %(name)s was left unchanged: %(reasons)s",
                    "%(count)d %(name)s were left unchanged: %(reasons)s",
                    len(refused),
                )
                % {"count": len(refused), "name": self._name(len(refused)), "reasons": reasons},
                messages.WARNING,
            )

    def _name(self, count):
        opts = self.model._meta
        return opts.verbose_name if count == 1 else opts.verbose_name_plural

    @admin.action(description=gettext_lazy("Submit the selected records for review"))
    def submit_for_review(self, request, queryset):
        self.apply_review(
            request,
            queryset,
            lambda record: services.record_submit(record=record, user=request.user),
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
            lambda record: services.record_publish(record=record, user=request.user),
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
            reason = form.cleaned_data["reason"]
            self.apply_review(
                request,
                queryset,
                lambda record: services.record_reject(
                    record=record, user=request.user, reason=reason
                ),
                lambda n: ngettext(
                    "%(count)d %(name)s was rejected.", "%(count)d %(name)s were rejected.", n
                ),
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


class RegisterAdmin(
    ReviewActionsMixin, ProtectedDeletionMixin, FoldedSearchMixin, SimpleHistoryAdmin
):
    """The base of every admin page of the register."""

    form = RegisterForm
    actions = ["submit_for_review", "publish", "reject"]

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
        form_class = form_for_user(form_class, request.user)
        if is_publishable(self.model):
            record = obj if obj is not None else self.model()
            limit_publication_status(form_class, record, request.user)
        return form_class

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
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
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
