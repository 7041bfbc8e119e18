"""PostgreSQL: a full-text index on the fact-checks' claims ('simple' configuration: they come
in every language), so "checked before?" by wording first finds the few rows that share two of
the text's longest words, and trigrams only rank those (factchecks/matching.py)."""

from django.db import migrations

INDEX = "factcheck_claim_simple_fts"


def run_on_postgresql(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("factchecks", "0003_harvest_desk_permissions")]

    operations = [
        migrations.RunPython(
            run_on_postgresql(
                f"CREATE INDEX {INDEX} ON factchecks_externalfactcheck "
                "USING gin (to_tsvector('simple'::regconfig, claim_reviewed));"
            ),
            run_on_postgresql(f"DROP INDEX IF EXISTS {INDEX};"),
        ),
    ]
