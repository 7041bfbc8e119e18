"""The desk's groups (claims 0004) triage readers' tips: both see requests, tips and the readers'
addresses and make claims of requests; editors also merge them. Both may send tips through the
API (a tipline bot's key acts as a desk member)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK = [
    "view_tiprequest",
    "change_tiprequest",
    "view_tip",
    "add_tip",
    "view_tipcontact",
]
EDITOR_EXTRA = ["merge_tiprequest"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("tips")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="tips")
    for name, codenames in (("Fact-checkers", DESK), ("Editors", DESK + EDITOR_EXTRA)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*mine.filter(codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    mine = Permission.objects.filter(content_type__app_label="tips")
    for group in Group.objects.filter(name__in=["Fact-checkers", "Editors"]):
        group.permissions.remove(*mine)


class Migration(migrations.Migration):
    dependencies = [
        ("tips", "0001_tips_initial"),
        ("claims", "0004_desk_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
