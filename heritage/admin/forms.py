"""Forms of the staff admin: every change form carries the version it showed.

:class:`RegisterForm` is the base form of every admin page and inline of the register. It

- refuses a save made from an out-of-date page (someone else saved the record since) with a
  message listing what they changed, keeps the user's input, and lets a second save go
  through once the user has seen the message;
- refuses an editor's change to a published record or to a part of one;
- shows errors that the model raises for a field the form does not show (a read-only
  publication status, for example) at the top of the form instead of failing.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import to_historic

from heritage import services
from heritage.base import REVIEW_FIELDS, PublicationStatus, VersionedModel

VERSION_FIELD = "opened_version"

#: The field in which a change to a published record is summed up; the summary is kept as the
#: history entry's change reason and shown in the record's public history.
SUMMARY_FIELD = "change_summary"

#: Fields whose change needs no summary: the form's own and the review's.
NO_SUMMARY_FIELDS = {VERSION_FIELD, SUMMARY_FIELD, *REVIEW_FIELDS}


def describe_value(value):
    if value in (None, ""):
        return _("(empty)")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or _("(none)")
    return str(value)


def changes_since(record, opened):
    """The latest history entry of ``record``, the entry of its version ``opened`` (None if
    there is none), and the changes from that version to the latest, except the version."""
    history = record.history.select_related("history_user").order_by("-history_date", "-history_id")
    latest = history.first()
    seen = history.filter(version=opened).first()
    changes = []
    if latest is not None and seen is not None:
        changes = [
            change
            for change in latest.diff_against(seen, foreign_keys_are_objs=True).changes
            if change.field != "version"
        ]
    return latest, seen, changes


def stale_summary(record, latest):
    """Who saved ``record`` (its ``latest`` history entry) after the user opened it, and when."""
    who = latest.history_user if latest is not None else None
    when = localtime(latest.history_date) if latest is not None else None
    return _(
        "Not saved: %(who)s saved this %(model)s on %(when)s, after you opened it. "
        "Your changes are still in the form below."
    ) % {
        "who": who or _("someone else"),
        "model": record._meta.verbose_name,
        "when": date_format(when, "DATETIME_FORMAT") if when else _("an unknown date"),
    }


def describe_change(opts, change):
    """A change of a field of a model with ``opts``: its new value, and a sentence saying it."""
    field = opts.get_field(change.field)
    new, old = change.new, change.old
    if field.many_to_many:
        target = field.m2m_reverse_field_name()
        new, old = ([row.get(target) for row in rows] for rows in (new, old))
    detail = _("%(field)s is now “%(new)s” (it was “%(old)s”).") % {
        "field": str(field.verbose_name).capitalize(),
        "new": describe_value(new),
        "old": describe_value(old),
    }
    return new, detail


class RegisterForm(forms.ModelForm):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    change_summary = forms.CharField(
        label=gettext_lazy("Summary of the change"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy(
            "This record is published: say what you changed and why. The public sees the "
            "summary in the record's history."
        ),
    )

    #: The user the form is for; the admin sets it on the form class it builds per request.
    request_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not issubclass(self._meta.model, VersionedModel):
            self.fields.pop(VERSION_FIELD, None)
            return
        historic = to_historic(self.instance)
        if historic is not None:
            self._restore_many_to_many(historic)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[VERSION_FIELD] = self.instance.version

    def _restore_many_to_many(self, historic):
        """Show the many-to-many values the past version had, not the current ones."""
        for field in getattr(historic, "_history_m2m_fields", []):
            if field.name in self.fields:
                rows = getattr(historic, field.name).all()
                target = field.m2m_reverse_field_name()
                self.initial[field.name] = [getattr(row, f"{target}_id") for row in rows]

    def clean(self):
        cleaned_data = super().clean()
        self._check_version()
        self._check_summary()
        status = cleaned_data.get("publication_status")
        if (
            status == PublicationStatus.REJECTED
            and "publication_status" in self.changed_data
            and "review_note" in self.fields
            and not (cleaned_data.get("review_note") or "").strip()
        ):
            self.add_error(
                "review_note",
                _("Give the reason for rejecting, so the editor knows what to fix."),
            )
        return cleaned_data

    def _check_summary(self):
        """A change to a published record's fields needs a summary of the change."""
        if SUMMARY_FIELD not in self.fields:
            return
        changed = [name for name in self.changed_data if name not in NO_SUMMARY_FIELDS]
        summary = (self.cleaned_data.get(SUMMARY_FIELD) or "").strip()
        self.cleaned_data[SUMMARY_FIELD] = summary
        if changed and not summary:
            self.add_error(
                SUMMARY_FIELD,
                _(
                    "This record is published, so its public history shows every change: "
                    "say in a sentence what you changed and why."
                ),
            )

    def _check_version(self):
        if VERSION_FIELD not in self.fields or self.instance.pk is None:
            return
        opened = self.cleaned_data.get(VERSION_FIELD)
        if opened is None:
            return
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block and connection.features.has_select_for_update:
            # Hold the row until the save commits, so no one else saves in between.
            rows = rows.select_for_update()
        current = rows.values_list("version", flat=True).first()
        if current is None or current == opened:
            self.instance.version = opened
            return
        self._refuse_stale(opened, current)

    def _refuse_stale(self, opened, current):
        """Refuse the save, say what changed since ``opened``, and keep the user's input."""
        record = self.instance
        latest, seen, changes = changes_since(record, opened)
        messages = [stale_summary(record, latest)]
        for change in changes:
            new, detail = describe_change(record._meta, change)
            messages.append(detail)
            if change.field in self.fields:
                self.add_error(
                    change.field,
                    _("Changed since you opened the page: now “%(new)s”.")
                    % {"new": describe_value(new)},
                )
        if seen is None:
            messages.append(
                _("The version you opened has no history entry, so the changes cannot be listed.")
            )
        elif not changes:
            messages.append(_("Only the rows listed below the form (names, citations…) changed."))
        messages.append(
            _(
                "Compare with the record as it is now (its History shows each change), then "
                "save again to keep your version."
            )
        )
        # The next save is made knowingly over the current version.
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = current
        self.data = data
        raise ValidationError(messages, code="stale")

    def _post_clean(self):
        super()._post_clean()
        user = self.request_user
        if user is None or not (self.has_changed() or self.instance.pk is None):
            return
        if not services.can_edit(user, self.instance):
            owner = services.publishable_owner(self.instance)
            self.add_error(
                None,
                _(
                    "“%(record)s” is published: only reviewers change published records and "
                    "their parts. Ask a reviewer, or have them reject it so it can be edited."
                )
                % {"record": owner},
            )

    def _update_errors(self, errors):
        """Show model errors about fields this form lacks at the top, with the field's name."""
        if hasattr(errors, "error_dict"):
            moved = {}
            for field, messages in errors.error_dict.items():
                if field != NON_FIELD_ERRORS and field not in self.fields:
                    label = self._meta.model._meta.get_field(field).verbose_name
                    moved[field] = [
                        ValidationError(
                            "%(field)s: %(message)s",
                            params={"field": str(label).capitalize(), "message": message},
                        )
                        for message in ValidationError(messages).messages
                    ]
            if moved:
                error_dict = {k: v for k, v in errors.error_dict.items() if k not in moved}
                error_dict.setdefault(NON_FIELD_ERRORS, [])
                for messages in moved.values():
                    error_dict[NON_FIELD_ERRORS] = [*error_dict[NON_FIELD_ERRORS], *messages]
                errors = ValidationError(error_dict)
        super()._update_errors(errors)


def limit_publication_status(form_class, record, user):
    """Offer only the statuses ``user`` may give ``record``; True if more than one."""
    field = form_class.base_fields.get("publication_status")
    statuses = services.allowed_statuses(record=record, user=user)
    if field is not None:
        labels = dict(PublicationStatus.choices)
        field.choices = [(status, labels[status]) for status in statuses]
    return len(statuses) > 1


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy(
            "Say what must change before the records can be published. Staff see it; the "
            "public never does."
        ),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason for rejecting."))
        return reason
