"""The triggers that keep TopicListing (claims/models.py) in step with claims and their topics.

Triggers, not save() or signals: the claim's status, language and publication time change
through services, the admin, imports, history reverts, QuerySet.update() and raw SQL (the
benchmarks' data), and topics through the m2m manager, admin forms and bulk inserts. A trigger
sees every one of them, in the same transaction, so a listing row is never stale, not even
between two statements. A Python fallback (post_save, m2m_changed) would miss update() and
raw SQL.

SQLite has triggers too, and the same ones are made there. One catch: Django's SQLite schema
editor rebuilds a table to alter it (copy, drop, rename), and dropping a table drops its
triggers. So on SQLite they are made again, and the listing rebuilt from the links, after
every `migrate` (post_migrate); SQLite databases are development and test copies, small enough
to rebuild.
"""

from django.db import connection as default_connection

# --- PostgreSQL --------------------------------------------------------------------------
# POSTGRESQL_FORWARD and _BACKWARD are migration 0015_lists_topic_listing's, as it made them
# (without the verdict): a migration's SQL never changes. The current functions are
# VERDICT_FORWARD's (migration 0018_lists2_listing_verdict_claimant).

POSTGRESQL_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION claims_topiclisting_from_link() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            DELETE FROM claims_topiclisting
            WHERE claim_id = OLD.claim_id AND topic_id = OLD.topic_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO claims_topiclisting (topic_id, claim_id, status, language, published_at)
            SELECT NEW.topic_id, c.id, c.status, c.language, c.published_at
            FROM claims_claim c WHERE c.id = NEW.claim_id
            ON CONFLICT (claim_id, topic_id) DO NOTHING;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_topiclisting_link_trigger
    AFTER INSERT OR UPDATE OR DELETE ON claims_claim_topics
    FOR EACH ROW EXECUTE FUNCTION claims_topiclisting_from_link();
    """,
    """
    CREATE OR REPLACE FUNCTION claims_topiclisting_from_claim() RETURNS trigger AS $$
    BEGIN
        UPDATE claims_topiclisting
        SET status = NEW.status, language = NEW.language, published_at = NEW.published_at
        WHERE claim_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql;
    """,
    # save() writes every column: the WHEN clause skips the saves that change none of these.
    """
    CREATE TRIGGER claims_topiclisting_claim_trigger
    AFTER UPDATE OF status, language, published_at ON claims_claim
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.language IS DISTINCT FROM NEW.language
          OR OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION claims_topiclisting_from_claim();
    """,
    # Links made before the triggers (after them: none is missed in between).
    """
    INSERT INTO claims_topiclisting (topic_id, claim_id, status, language, published_at)
    SELECT link.topic_id, c.id, c.status, c.language, c.published_at
    FROM claims_claim_topics link JOIN claims_claim c ON c.id = link.claim_id
    ON CONFLICT (claim_id, topic_id) DO NOTHING;
    """,
]

# The verdict and the claimant (speaker) copied as well (a topic and a verdict or a claimant
# are one index walk, as a topic and a language), and the claim's trigger fires when they
# change.
VERDICT_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION claims_topiclisting_from_link() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            DELETE FROM claims_topiclisting
            WHERE claim_id = OLD.claim_id AND topic_id = OLD.topic_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO claims_topiclisting
                (topic_id, claim_id, status, language, published_at, verdict_id, speaker_id)
            SELECT NEW.topic_id, c.id, c.status, c.language, c.published_at, c.verdict_id,
                   c.speaker_id
            FROM claims_claim c WHERE c.id = NEW.claim_id
            ON CONFLICT (claim_id, topic_id) DO NOTHING;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE OR REPLACE FUNCTION claims_topiclisting_from_claim() RETURNS trigger AS $$
    BEGIN
        UPDATE claims_topiclisting
        SET status = NEW.status, language = NEW.language, published_at = NEW.published_at,
            verdict_id = NEW.verdict_id, speaker_id = NEW.speaker_id
        WHERE claim_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS claims_topiclisting_claim_trigger ON claims_claim;",
    """
    CREATE TRIGGER claims_topiclisting_claim_trigger
    AFTER UPDATE OF status, language, published_at, verdict_id, speaker_id ON claims_claim
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.language IS DISTINCT FROM NEW.language
          OR OLD.published_at IS DISTINCT FROM NEW.published_at
          OR OLD.verdict_id IS DISTINCT FROM NEW.verdict_id
          OR OLD.speaker_id IS DISTINCT FROM NEW.speaker_id)
    EXECUTE FUNCTION claims_topiclisting_from_claim();
    """,
    # The rows there are (after the new trigger, in the same transaction: none is missed).
    """
    UPDATE claims_topiclisting l SET verdict_id = c.verdict_id, speaker_id = c.speaker_id
    FROM claims_claim c
    WHERE c.id = l.claim_id
      AND (l.verdict_id IS DISTINCT FROM c.verdict_id
           OR l.speaker_id IS DISTINCT FROM c.speaker_id);
    """,
]

# Back to 0015's functions and trigger (the column goes with the field).
VERDICT_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_topiclisting_claim_trigger ON claims_claim;",
    POSTGRESQL_FORWARD[0],  # the link's function
    POSTGRESQL_FORWARD[2],  # the claim's function
    POSTGRESQL_FORWARD[3],  # the claim's trigger
]

POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_topiclisting_claim_trigger ON claims_claim;",
    "DROP TRIGGER IF EXISTS claims_topiclisting_link_trigger ON claims_claim_topics;",
    "DROP FUNCTION IF EXISTS claims_topiclisting_from_claim();",
    "DROP FUNCTION IF EXISTS claims_topiclisting_from_link();",
]

# --- SQLite ---------------------------------------------------------------------------------

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS claims_topiclisting_link_insert
    AFTER INSERT ON claims_claim_topics BEGIN
        INSERT OR IGNORE INTO claims_topiclisting
            (topic_id, claim_id, status, language, published_at, verdict_id, speaker_id)
        SELECT NEW.topic_id, id, status, language, published_at, verdict_id, speaker_id
        FROM claims_claim WHERE id = NEW.claim_id;
    END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS claims_topiclisting_link_delete
    AFTER DELETE ON claims_claim_topics BEGIN
        DELETE FROM claims_topiclisting
        WHERE claim_id = OLD.claim_id AND topic_id = OLD.topic_id;
    END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS claims_topiclisting_link_update
    AFTER UPDATE ON claims_claim_topics BEGIN
        DELETE FROM claims_topiclisting
        WHERE claim_id = OLD.claim_id AND topic_id = OLD.topic_id;
        INSERT OR IGNORE INTO claims_topiclisting
            (topic_id, claim_id, status, language, published_at, verdict_id, speaker_id)
        SELECT NEW.topic_id, id, status, language, published_at, verdict_id, speaker_id
        FROM claims_claim WHERE id = NEW.claim_id;
    END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS claims_topiclisting_claim_update
    AFTER UPDATE OF status, language, published_at, verdict_id, speaker_id ON claims_claim
    WHEN OLD.status IS NOT NEW.status OR OLD.language IS NOT NEW.language
         OR OLD.published_at IS NOT NEW.published_at OR OLD.verdict_id IS NOT NEW.verdict_id
         OR OLD.speaker_id IS NOT NEW.speaker_id
    BEGIN
        UPDATE claims_topiclisting
        SET status = NEW.status, language = NEW.language, published_at = NEW.published_at,
            verdict_id = NEW.verdict_id, speaker_id = NEW.speaker_id
        WHERE claim_id = NEW.id;
    END;
    """,
]

SQLITE_REBUILD = [
    "DELETE FROM claims_topiclisting;",
    """
    INSERT INTO claims_topiclisting
        (topic_id, claim_id, status, language, published_at, verdict_id, speaker_id)
    SELECT link.topic_id, c.id, c.status, c.language, c.published_at, c.verdict_id,
           c.speaker_id
    FROM claims_claim_topics link JOIN claims_claim c ON c.id = link.claim_id;
    """,
]

SQLITE_TRIGGER_NAMES = ("link_insert", "link_delete", "link_update", "claim_update")


def install_sqlite(connection=default_connection) -> None:
    """The SQLite triggers, made again if a table rebuild dropped them, and the listing rebuilt."""
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    if not {"claims_topiclisting", "claims_claim_topics", "claims_claim"} <= tables:
        return  # not migrated this far (yet)
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "claims_topiclisting")
        if "speaker_id" not in {column.name for column in columns}:
            return  # before 0018_lists2_listing_verdict_claimant, which installs them again
        # Made again, not only if missing: an older version (without the verdict and the
        # claimant) may be there.
        for name in SQLITE_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER IF EXISTS claims_topiclisting_{name}")
        for statement in SQLITE_TRIGGERS + SQLITE_REBUILD:
            cursor.execute(statement)


def after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    install_sqlite(connections[using])
