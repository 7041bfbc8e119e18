"""PostgreSQL: a trigram index on the claims of harvested fact-checks, so "checked before?" by
wording finds them with the `%` operator in one index scan, whatever their number. On SQLite
this does nothing; matching falls back to a bounded word filter (factchecks/matching.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "factcheck_claim_trgm_gin"


def run_on_postgresql(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("factchecks", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(
            run_on_postgresql(
                f"CREATE INDEX {INDEX} ON factchecks_externalfactcheck "
                "USING gin (claim_reviewed gin_trgm_ops);"
            ),
            run_on_postgresql(f"DROP INDEX IF EXISTS {INDEX};"),
        ),
    ]
