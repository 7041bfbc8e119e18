"""The desk's groups (claims 0004) may use monitored media: fact-checkers and editors read the
sources, their health, items and sentences (the morning list) and post transcripts; editors
also configure the sources."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    "view_monitoredsource",
    "view_monitorrun",
    "view_monitoreditem",
    "view_monitoredsentence",
    # Uploading a transcript or posting its lines live adds items.
    "add_monitoreditem",
]
CONFIGURE = ["add_monitoredsource", "change_monitoredsource", "delete_monitoredsource"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("monitoring")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(codenames):
        return Permission.objects.filter(
            content_type__app_label="monitoring", codename__in=codenames
        )

    for group in Group.objects.filter(name="Fact-checkers"):
        group.permissions.add(*permissions(READ))
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions(READ + CONFIGURE))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    found = Permission.objects.filter(content_type__app_label="monitoring")
    for group in Group.objects.filter(name__in=["Fact-checkers", "Editors"]):
        group.permissions.remove(*found)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_monitor_initial"),
        ("claims", "0004_desk_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
