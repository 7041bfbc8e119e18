"""Find migration operations that are unsafe on a live database during a rolling deploy.

While a deploy rolls out, the previous release keeps serving against the migrated schema, and a
failed release must be able to migrate back. So a migration must not drop or rename what old
code still reads, must not add a NOT NULL column old code cannot fill, must not lock a big table
while building an index, and must be reversible.

A migration that has been reviewed and is safe anyway (say, the table is known to be empty)
declares why, beside the code: `Migration.safety_reviewed = "why it is safe"`.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.db.models import NOT_PROVIDED


@dataclass(frozen=True)
class Finding:
    app_label: str
    migration: str
    operation: str
    reason: str

    def __str__(self) -> str:
        return f"{self.app_label}.{self.migration}: {self.operation}: {self.reason}"


DROPS_OR_RENAMES = {
    migrations.RemoveField: "drops a column the previous release still reads",
    migrations.DeleteModel: "drops a table the previous release still reads",
    migrations.RenameField: "renames a column under the previous release",
    migrations.RenameModel: "renames a table under the previous release",
    migrations.AlterModelTable: "renames a table under the previous release",
}
TWO_RELEASES = " (stop using it in one release, change the schema in the next)"


def find_unsafe_operations(loader: MigrationLoader | None = None) -> list[Finding]:
    """Every risky operation in this project's own migrations (third-party apps are theirs)."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    findings = []
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        if not _is_project_app(migration) or getattr(migration, "safety_reviewed", ""):
            continue
        state = loader.project_state((app_label, name), at_end=False)
        # Tables created earlier in this same migration are new and empty: no risk to them.
        existing = set(state.models)
        for operation in migration.operations:
            reason = _risk(operation, app_label, state, existing)
            if reason:
                findings.append(Finding(app_label, name, operation.describe(), reason))
            operation.state_forwards(app_label, state)
    return findings


def _risk(operation, app_label: str, state, existing: set) -> str | None:
    if type(operation) in DROPS_OR_RENAMES:
        model = getattr(operation, "model_name", None) or getattr(operation, "name", "")
        if _table_existed(existing, app_label, model):
            return DROPS_OR_RENAMES[type(operation)] + TWO_RELEASES
        return None
    if isinstance(operation, migrations.RunPython) and operation.reverse_code is None:
        return "cannot be rolled back: give reverse_code (RunPython.noop if nothing to undo)"
    if isinstance(operation, migrations.RunSQL) and operation.reverse_sql is None:
        return "cannot be rolled back: give reverse_sql (RunSQL.noop if nothing to undo)"
    if not _table_existed(existing, app_label, getattr(operation, "model_name", "")):
        return None  # everything below is only a risk for a table that already holds rows
    if isinstance(operation, migrations.AddField) and _not_null_without_db_default(operation.field):
        return (
            "adds a NOT NULL column without db_default: the previous release's inserts fail "
            "(add it nullable or with db_default)"
        )
    if isinstance(operation, migrations.AlterField):
        old = state.models[app_label, operation.model_name_lower].fields.get(operation.name)
        if old is not None and old.null and not operation.field.null:
            return (
                "makes a column NOT NULL: the previous release may still write NULL "
                "(backfill, then constrain in a later release)"
            )
    if type(operation) is migrations.AddIndex:
        return (
            "builds an index while locking writes to the table: use "
            "django.contrib.postgres.operations.AddIndexConcurrently (with atomic = False)"
        )
    return None


def _table_existed(existing: set, app_label: str, model_name: str) -> bool:
    return bool(model_name) and (app_label, model_name.lower()) in existing


def _not_null_without_db_default(field) -> bool:
    if field.many_to_many or field.null:
        return False
    return getattr(field, "db_default", NOT_PROVIDED) is NOT_PROVIDED


def _is_project_app(migration) -> bool:
    module = __import__(migration.__module__, fromlist=["__file__"])
    path = Path(module.__file__).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return base in path.parents and ".venv" not in path.parts and "site-packages" not in path.parts
