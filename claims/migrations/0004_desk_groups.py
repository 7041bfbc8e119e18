"""The desk's roles as Django groups, so a newsroom can adjust them in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK_MODELS = {
    "claims": ["article", "claim", "evidence", "claimcomment", "topic", "claimcandidate"],
    "sources": ["source", "outlet"],
}
FACT_CHECKER_EXTRA = ["claims.submit_claim", "claims.view_claimevent", "claims.view_correction",
                      "claims.view_verdictrating", "claims.view_articlerevision"]
EDITOR_EXTRA = [
    "claims.publish_claim", "claims.request_changes_claim", "claims.unpublish_claim",
    "claims.correct_claim", "claims.assign_claim", "claims.dismiss_claim",
    "claims.add_verdictrating", "claims.change_verdictrating", "claims.delete_verdictrating",
    "sources.rate_outlet",
]


def _codenames(app_label, models, actions):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups
    # can reference them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(names):
        found = []
        for name in names:
            app_label, codename = name.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return found

    desk = []
    for app_label, models in DESK_MODELS.items():
        desk += _codenames(app_label, models, ["add", "change", "view"])
    fact_checkers, _ = Group.objects.get_or_create(name="Fact-checkers")
    fact_checkers.permissions.set(permissions(desk + FACT_CHECKER_EXTRA))
    editors, _ = Group.objects.get_or_create(name="Editors")
    editor_deletes = _codenames("claims", ["evidence", "claimcomment", "topic"], ["delete"])
    editors.permissions.set(permissions(desk + FACT_CHECKER_EXTRA + EDITOR_EXTRA + editor_deletes))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Fact-checkers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_default_verdict_scale"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
