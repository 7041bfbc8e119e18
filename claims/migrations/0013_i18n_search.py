"""Search finds a check by its wording in any of its languages (PostgreSQL).

The claim's search vector (migration 0002) also holds its translations, each stemmed in its own
language; a translation's insert, change or removal touches its claim's `language` column,
which makes the claim's trigger build the vector again. On SQLite nothing happens: search
falls back to LIKE over the translations too (claims/selectors.py).
"""

from django.db import migrations

CONFIG = """
CREATE OR REPLACE FUNCTION claims_search_config(code text) RETURNS regconfig AS $$
    SELECT (CASE split_part(lower(coalesce(code, '')), '-', 1)
        WHEN 'it' THEN 'italian' WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french'
        WHEN 'es' THEN 'spanish' WHEN 'pt' THEN 'portuguese' WHEN 'de' THEN 'german'
        WHEN 'nl' THEN 'dutch' WHEN 'ru' THEN 'russian'
        ELSE 'simple' END)::regconfig
$$ LANGUAGE sql IMMUTABLE;
"""

CLAIM_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_claim_search_vector_update() RETURNS trigger AS $$
DECLARE
    config regconfig := claims_search_config(NEW.language);
    translation record;
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.claim_reviewed, '')), 'A')
        || setweight(to_tsvector(config, coalesce(NEW.quote, '')), 'B')
        || setweight(to_tsvector('simple', coalesce(NEW.claimant, '')), 'B')
        || setweight(to_tsvector(config, coalesce(NEW.rationale, '')), 'D');
    FOR translation IN
        SELECT language, claim_reviewed, rationale FROM claims_claimtranslation
        WHERE claim_id = NEW.id
    LOOP
        NEW.search_vector := NEW.search_vector
            || setweight(to_tsvector(claims_search_config(translation.language),
                                     translation.claim_reviewed), 'A')
            || setweight(to_tsvector(claims_search_config(translation.language),
                                     coalesce(translation.rationale, '')), 'D');
    END LOOP;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

TRANSLATION_TRIGGER = [
    """
    CREATE OR REPLACE FUNCTION claims_claimtranslation_touch_claim() RETURNS trigger AS $$
    BEGIN
        -- "UPDATE OF language" on the claim fires its search trigger, even unchanged.
        UPDATE claims_claim SET language = language
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.claim_id ELSE NEW.claim_id END;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_claimtranslation_search_trigger
    AFTER INSERT OR UPDATE OR DELETE ON claims_claimtranslation
    FOR EACH ROW EXECUTE FUNCTION claims_claimtranslation_touch_claim();
    """,
]

# Migration 0002's function, for going back.
PREVIOUS_CLAIM_FUNCTION = """
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

FORWARD = [CONFIG, CLAIM_FUNCTION, *TRANSLATION_TRIGGER]
BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_claimtranslation_search_trigger ON claims_claimtranslation;",
    "DROP FUNCTION IF EXISTS claims_claimtranslation_touch_claim();",
    PREVIOUS_CLAIM_FUNCTION,
    "DROP FUNCTION IF EXISTS claims_search_config(text);",
]


def run_on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("claims", "0012_i18n_translations")]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
