"""The terms of the controlled vocabularies (their English, Arabic and Azerbaijani labels,
their order) are added, changed and deleted by reviewers only: editors keep the permission
to view them and choose them in forms.

Every term is shown on public pages (in the filters, and wherever an assessment uses it), so
an editor's change would reach the public without review. See the README, "Review".
"""

from django.db import migrations

MODELS = (
    "overallcondition",
    "damageextent",
    "certainty",
    "damagetrend",
    "priority",
    "assessmenttype",
    "causecategory",
    "causetype",
    "effecttype",
)
ACTIONS = ("add", "change", "delete")


def editing_permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="inspections",
        codename__in=[f"{action}_{model}" for model in MODELS for action in ACTIONS],
    )


def leave_to_reviewers(apps, schema_editor):
    permissions = list(editing_permissions(apps))
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*permissions)
    for group in apps.get_model("auth", "Group").objects.filter(name="Reviewer"):
        group.permissions.add(*permissions)


def give_back_to_editors(apps, schema_editor):
    permissions = list(editing_permissions(apps))
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0007_evidence_permissions"),
        ("heritage", "0003_editor_and_reviewer_groups"),
    ]

    operations = [migrations.RunPython(leave_to_reviewers, give_back_to_editors)]
