"""The desk's groups (0004) may write translations: translating is editing the claim's text,
and claim_translation_set still checks who may change it in the claim's state."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK = [
    f"{action}_{model}"
    for model in ("claimtranslation", "evidencetranslation")
    for action in ("add", "change", "delete", "view")
]


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
        ("claims", "0013_i18n_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
