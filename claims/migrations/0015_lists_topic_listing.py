# The claims list's topic filter, combinable with any other filter: TopicListing copies each
# claim's status, language and publication time onto its topic links, kept in step by
# triggers (claims/topic_listing.py says why triggers), and filled from the links there are.
# A new table: its indexes are made with it, before it holds a row.

import django.db.models.deletion
from django.db import migrations, models

from claims import topic_listing


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in topic_listing.POSTGRESQL_FORWARD:
            schema_editor.execute(statement)
    else:
        topic_listing.install_sqlite(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in topic_listing.POSTGRESQL_BACKWARD:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "sqlite":
        for name in ("link_insert", "link_delete", "link_update", "claim_update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS claims_topiclisting_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_i18n_desk_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="TopicListing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=16)),
                ("language", models.CharField(max_length=16)),
                ("published_at", models.DateTimeField(null=True)),
                (
                    "claim",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="topic_listings",
                        to="claims.claim",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="claims.topic",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["topic", "status", "-published_at", "-claim"],
                        name="topic_listing_idx",
                    ),
                    models.Index(
                        fields=["topic", "status", "language", "-published_at", "-claim"],
                        name="topic_listing_language_idx",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("claim", "topic"), name="topic_listing_unique")
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
