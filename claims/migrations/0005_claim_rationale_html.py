from django.db import migrations, models


def render_rationales(apps, schema_editor):
    """Existing claims get their rendered rationale, as Claim.save() gives new ones."""
    from claims.markdown import render_markdown

    Claim = apps.get_model("claims", "Claim")
    batch = []
    for claim in Claim.objects.exclude(rationale="").only("pk", "rationale").iterator(500):
        claim.rationale_html = render_markdown(claim.rationale)
        batch.append(claim)
        if len(batch) == 500:
            Claim.objects.bulk_update(batch, ["rationale_html"])
            batch = []
    Claim.objects.bulk_update(batch, ["rationale_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_desk_groups"),
    ]

    operations = [
        # A database default, so code still running the previous release can insert claims.
        migrations.AddField(
            model_name="claim",
            name="rationale_html",
            field=models.TextField(blank=True, db_default="", editable=False),
        ),
        migrations.RunPython(render_rationales, migrations.RunPython.noop),
    ]
