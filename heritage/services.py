"""Writes that decide what the public sees: submitting, publishing and rejecting records.

Every route that changes a record's publication status (the admin form, the admin actions,
an import) goes through these functions, so the same rules hold everywhere:

- an editor (change permission) submits drafts and rejected records for review;
- only a reviewer (``review_<model>`` permission) publishes or rejects, and a rejection
  needs a reason, which staff see and the public never does;
- a record is published only if it passes ``full_clean()``: for example, a figure needs a
  published source and an assessment a citation of one;
- a published record, and the rows that are part of it (names, citations, disturbances…),
  are changed only by reviewers.

Each function records who made the change and when, on the record and in its history, and
raises ``PermissionDenied`` (the user may not) or ``ValidationError`` (the record may not)
with a message that says why; nothing is written then.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heritage.base import PublicationStatus, Publishable

#: Foreign keys that lead from a part of a record to the record it belongs to, the first
#: one a model has winning (a commitment's update belongs to the commitment, not to the
#: visit or project it links to).
OWNER_FIELDS = ("commitment", "project", "disturbance", "assessment", "site", "visit")

#: Status -> statuses it may move to, and the function that moves it.
SUBMITTABLE = {PublicationStatus.DRAFT, PublicationStatus.REJECTED}
PUBLISHABLE = {PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.REJECTED}
REJECTABLE = {PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED}


def review_permission(model):
    """The permission that lets a user publish and reject records of ``model``."""
    opts = model._meta
    return f"{opts.app_label}.review_{opts.model_name}"


def can_review(user, model):
    """Whether ``user`` may publish and reject records of ``model`` (a class or a record)."""
    model = model if isinstance(model, type) else type(model)
    return bool(user and user.is_active and user.has_perm(review_permission(model)))


def publishable_owner(record):
    """The public-facing record that ``record`` is part of, itself if it is one, else None."""
    for _depth in range(len(OWNER_FIELDS) + 1):
        if record is None or isinstance(record, Publishable):
            return record
        record = next(
            (
                getattr(record, name)
                for name in OWNER_FIELDS
                if any(field.name == name for field in record._meta.concrete_fields)
            ),
            None,
        )
    return None


def can_edit(user, record):
    """Whether ``user``'s change to ``record`` may be saved, as far as publication goes.

    Published records and their parts are changed by reviewers only: an editor's change
    would reach the public without review. The model permissions are checked separately.
    """
    owner = publishable_owner(record)
    if owner is None or owner.pk is None:
        return True
    published = type(owner)._base_manager.filter(
        pk=owner.pk, publication_status=PublicationStatus.PUBLISHED
    )
    return not published.exists() or can_review(user, owner)


def allowed_statuses(*, record, user):
    """The statuses ``user`` may give ``record``, its current one first.

    The checks of the record's content (``full_clean``) are not made here.
    """
    current = record.publication_status if record.pk else PublicationStatus.DRAFT
    statuses = [current]
    reviewer = can_review(user, record)
    if current in SUBMITTABLE:
        statuses.append(PublicationStatus.IN_REVIEW)
    if reviewer and current in PUBLISHABLE:
        statuses.append(PublicationStatus.PUBLISHED)
    if reviewer and current in REJECTABLE:
        statuses.append(PublicationStatus.REJECTED)
    return statuses


def record_submit(*, record, user):
    """Submit a draft or rejected ``record`` for review."""
    if not user.has_perm(_change_permission(record)) or not can_edit(user, record):
        raise PermissionDenied(_("You may not edit this record, so you cannot submit it."))
    _check_status(record, SUBMITTABLE, _("Only drafts and rejected records can be submitted"))
    return _transition(
        record, user, PublicationStatus.IN_REVIEW, _("Submitted for review"), role="submitted"
    )


def record_publish(*, record, user):
    """Publish ``record``: only reviewers may, and only a record that passes its checks."""
    _check_reviewer(record, user, _("Only reviewers can publish."))
    _check_status(record, PUBLISHABLE, _("Only unpublished records can be published"))
    return _transition(
        record, user, PublicationStatus.PUBLISHED, _("Published"), role="reviewed", review_note=""
    )


def record_reject(*, record, user, reason):
    """Reject a record in review, or withdraw a published one, giving the reason."""
    _check_reviewer(record, user, _("Only reviewers can reject."))
    _check_status(
        record, REJECTABLE, _("Only records in review or published records can be rejected")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"review_note": _("Give the reason for rejecting, so the editor knows what to fix.")}
        )
    return _transition(
        record, user, PublicationStatus.REJECTED, _("Rejected"), role="reviewed", review_note=reason
    )


def record_change_status(*, record, user, status, reason=""):
    """Move ``record`` to ``status`` through the function for that change."""
    if status == record.publication_status:
        return record
    if status == PublicationStatus.IN_REVIEW:
        return record_submit(record=record, user=user)
    if status == PublicationStatus.PUBLISHED:
        return record_publish(record=record, user=user)
    if status == PublicationStatus.REJECTED:
        return record_reject(record=record, user=user, reason=reason)
    raise ValidationError(
        {"publication_status": _("A record cannot be returned to draft; reject it instead.")}
    )


def _change_permission(record):
    opts = record._meta
    return f"{opts.app_label}.change_{opts.model_name}"


def _check_reviewer(record, user, message):
    if not can_review(user, record):
        raise PermissionDenied(message)


def _check_status(record, allowed, message):
    if record.publication_status not in allowed:
        raise ValidationError(
            {
                "publication_status": _("%(rule)s; this one is “%(status)s”.")
                % {"rule": message, "status": record.get_publication_status_display()}
            }
        )


def _transition(record, user, status, reason, *, role, **fields):
    """Give ``record`` the ``status`` and ``fields``, check it, save it with ``reason``; on
    error, undo.

    ``role`` ("submitted" or "reviewed") names the pair of fields that record who made the
    change and when (``submitted_by``/``submitted_at`` or ``reviewed_by``/``reviewed_at``).
    """
    changed = {
        "publication_status": status,
        f"{role}_by": user,
        f"{role}_at": timezone.now(),
        **fields,
    }
    before = {name: getattr(record, name) for name in changed}
    for name, value in changed.items():
        setattr(record, name, value)
    try:
        with transaction.atomic():
            record.full_clean()
            record._history_user = user
            record._change_reason = reason
            record.save()
    except Exception:
        for name, value in before.items():
            setattr(record, name, value)
        raise
    finally:
        record.__dict__.pop("_history_user", None)
        record.__dict__.pop("_change_reason", None)
    return record
