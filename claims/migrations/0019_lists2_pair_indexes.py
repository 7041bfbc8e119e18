# Two list filters that each match many claims and none together, made one index walk:
# - a topic and a verdict or a claimant, on TopicListing's copies (0018_lists2_listing_verdict_claimant);
# - a search with any filter: full-text search of published claims only. The GIN index on every
#   claim (0002_search) made PostgreSQL AND its matches with all 333,000 published claims'
#   entries of a status index (17 ms at a million claims); this one holds published claims
#   only, so the status is implied. PostgreSQL only, made concurrently: the desk keeps writing.

from django.db import migrations, models

from lib.migration_operations import AddIndexConcurrentlyOnPostgres

PUBLISHED_SEARCH_GIN = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS claim_published_search_gin ON claims_claim "
    "USING gin (search_vector) WHERE status = 'published'"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PUBLISHED_SEARCH_GIN)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS claim_published_search_gin")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0018_lists2_listing_verdict_claimant"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="topiclisting",
            index=models.Index(
                fields=["topic", "status", "verdict", "-published_at", "-claim"],
                name="topic_listing_verdict_idx",
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="topiclisting",
            index=models.Index(
                fields=["topic", "status", "speaker", "-published_at", "-claim"],
                name="topic_listing_speaker_idx",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
