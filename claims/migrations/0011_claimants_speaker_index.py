"""The index a claimant's page and the claims list's claimant filter read, built without
locking writes to the claims table on PostgreSQL (CREATE INDEX CONCURRENTLY, which cannot run
in a transaction); other databases build it the ordinary way."""

from django.db import migrations, models

from lib.migration_operations import AddIndexConcurrentlyOnPostgres


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
