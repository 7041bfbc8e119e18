"""The desk's groups (claims 0004) may read the harvest: fact-checkers and editors see other
organisations' fact-checks and the sources' health; editors also configure the sources."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    "view_externalfactcheck",
    "view_factchecksource",
    "view_harvestrun",
]
CONFIGURE = ["add_factchecksource", "change_factchecksource", "delete_factchecksource"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("factchecks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(codenames):
        return Permission.objects.filter(
            content_type__app_label="factchecks", codename__in=codenames
        )

    for group in Group.objects.filter(name="Fact-checkers"):
        group.permissions.add(*permissions(READ))
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions(READ + CONFIGURE))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    found = Permission.objects.filter(content_type__app_label="factchecks")
    for group in Group.objects.filter(name__in=["Fact-checkers", "Editors"]):
        group.permissions.remove(*found)


class Migration(migrations.Migration):
    dependencies = [
        ("factchecks", "0002_harvest_search"),
        ("claims", "0004_desk_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
