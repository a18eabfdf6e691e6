"""Give the Editor and Reviewer groups their permissions on statements and dated events of
visits: editors view, add, change and delete them; reviewers also publish and reject
statements (``review_statement``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("statement", "visitevent")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("inspections")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editing = Permission.objects.filter(
        content_type__app_label="inspections",
        codename__in=[
            f"{action}_{model}"
            for model in MODELS
            for action in ("view", "add", "change", "delete")
        ],
    )
    reviewing = Permission.objects.filter(
        content_type__app_label="inspections", codename="review_statement"
    )
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(*editing)
    for group in Group.objects.filter(name="Reviewer"):
        group.permissions.add(*editing, *reviewing)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(
        content_type__app_label="inspections", content_type__model__in=MODELS
    )
    for group in Group.objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0015_statements_events_and_identifications"),
        ("heritage", "0003_editor_and_reviewer_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
