"""The desk's groups (0004) see sightings and mark them (correction requested, corrected, not a
repeat); recording them is monitoring's job, and deleting one would hide a repeat, so neither
group may add or delete them in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK = ["view_sighting", "change_sighting"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="claims", codename__in=DESK)
    for group in Group.objects.filter(name__in=["Fact-checkers", "Editors"]):
        group.permissions.add(*mine)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="claims", codename__in=DESK)
    for group in Group.objects.filter(name__in=["Fact-checkers", "Editors"]):
        group.permissions.remove(*mine)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_repeats_sightings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
