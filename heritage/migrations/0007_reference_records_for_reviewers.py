"""Organisations, people and places (with their names) are added, changed and deleted by
reviewers only: editors keep the permission to view them and choose them in forms.

They are shown on public pages as soon as they exist (wherever a published record names
them, and in the public filter lists), so an editor's change would reach the public without
review. See the README, "Review".
"""

from django.db import migrations

MODELS = ("organisation", "person", "place", "placename")
ACTIONS = ("add", "change", "delete")


def editing_permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="heritage",
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
        ("heritage", "0006_site_area_listing_index"),
        ("heritage", "0003_editor_and_reviewer_groups"),
    ]

    operations = [migrations.RunPython(leave_to_reviewers, give_back_to_editors)]
