"""The index a claimant's page and the claims list's claimant filter read, built without
locking writes to the claims table on PostgreSQL (CREATE INDEX CONCURRENTLY, which cannot run
in a transaction); other databases build it the ordinary way."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(
            self, app_label, schema_editor, from_state, to_state
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(
            self, app_label, schema_editor, from_state, to_state
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("claims", "0010_claimants_from_text")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="claim",
            index=models.Index(
                fields=["speaker", "status", "-published_at"], name="claim_speaker_status_idx"
            ),
        ),
    ]
