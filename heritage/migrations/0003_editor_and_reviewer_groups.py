"""Create the Editor and Reviewer groups and give them their permissions.

- Editor: view, add, change and delete every record of the register. The admin and
  ``heritage.services`` limit this further: an editor works on unpublished records and
  submits them for review, and cannot publish or reject.
- Reviewer: everything an editor may do, plus ``review_<model>`` on every publishable model:
  publish, reject with a reason, and edit published records.

Models added later need their permissions added to the groups by a later migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("heritage", "inspections")
PUBLISHABLE = ("source", "site", "siteclaim", "reportedfigure", "visit", "assessment")
EDITOR = "Editor"
REVIEWER = "Reviewer"


def register_models(apps):
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.model_name.startswith("historical"):
                yield model


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    editing = []
    reviewing = []
    for model in register_models(apps):
        content_type = ContentType.objects.get_for_model(model)
        name = model._meta.model_name
        editing.extend(
            Permission.objects.filter(
                content_type=content_type,
                codename__in=[f"{action}_{name}" for action in ("view", "add", "change", "delete")],
            )
        )
        if name in PUBLISHABLE:
            reviewing.append(
                Permission.objects.get(content_type=content_type, codename=f"review_{name}")
            )

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(*editing)
    reviewer, _ = Group.objects.get_or_create(name=REVIEWER)
    reviewer.permissions.add(*editing, *reviewing)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, REVIEWER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0002_review_version_history"),
        ("inspections", "0004_load_cause_type_mapping"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
