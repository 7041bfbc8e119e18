# TopicListing carries the claim's verdict and claimant (speaker) too, kept in step by the same
# triggers (now also fired by a change of either), and filled from the claims for the rows
# there are: a topic and a verdict or a claimant are then one index walk
# (0019_lists2_pair_indexes), as a topic and a language.
# A nullable column without a default: no table rewrite.

import django.db.models.deletion
from django.db import migrations, models

from claims import topic_listing


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in topic_listing.VERDICT_FORWARD:
            schema_editor.execute(statement)
    else:
        topic_listing.install_sqlite(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in topic_listing.VERDICT_BACKWARD:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "sqlite":
        for name in topic_listing.SQLITE_TRIGGER_NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS claims_topiclisting_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0017_repeats_desk_permissions"),
        ("claimants", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="topiclisting",
            name="verdict",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claims.verdictrating",
            ),
        ),
        migrations.AddField(
            model_name="topiclisting",
            name="speaker",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claimants.claimant",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
