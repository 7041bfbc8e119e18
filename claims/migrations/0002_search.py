"""PostgreSQL search: a trigger keeps Claim.search_vector current in the claim's language,
GIN indexes serve full-text search, and pg_trgm serves "checked before?" similarity.

A trigger (not save()) so that every write path, QuerySet.update() and bulk_create included,
keeps the vector in step. On SQLite these operations do nothing; search falls back to LIKE.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION claims_claim_search_vector_update() RETURNS trigger AS $$
DECLARE
    config regconfig := CASE split_part(lower(NEW.language), '-', 1)
        WHEN 'it' THEN 'italian' WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french'
        WHEN 'es' THEN 'spanish' WHEN 'pt' THEN 'portuguese' WHEN 'de' THEN 'german'
        WHEN 'nl' THEN 'dutch' WHEN 'ru' THEN 'russian'
        ELSE 'simple' END;
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.claim_reviewed, '')), 'A')
        || setweight(to_tsvector(config, coalesce(NEW.quote, '')), 'B')
        || setweight(to_tsvector('simple', coalesce(NEW.claimant, '')), 'B')
        || setweight(to_tsvector(config, coalesce(NEW.rationale, '')), 'D');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

FORWARD = [
    FUNCTION,
    """
    CREATE TRIGGER claims_claim_search_vector_trigger
    BEFORE INSERT OR UPDATE OF claim_reviewed, quote, claimant, rationale, language
    ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector_update();
    """,
    "CREATE INDEX claim_search_vector_gin ON claims_claim USING gin (search_vector);",
    "CREATE INDEX claim_reviewed_trgm_gin ON claims_claim USING gin (claim_reviewed gin_trgm_ops);",
]

BACKWARD = [
    "DROP INDEX IF EXISTS claim_reviewed_trgm_gin;",
    "DROP INDEX IF EXISTS claim_search_vector_gin;",
    "DROP TRIGGER IF EXISTS claims_claim_search_vector_trigger ON claims_claim;",
    "DROP FUNCTION IF EXISTS claims_claim_search_vector_update();",
]


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
