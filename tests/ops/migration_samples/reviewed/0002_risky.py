from django.db import migrations, models


class Migration(migrations.Migration):
    safety_reviewed = "Thing is written only by this release; the table is empty in production."
    dependencies = [("sources", "0001_initial")]

    operations = [
        migrations.AddField(
            "thing", "size", models.IntegerField(default=0), preserve_default=False
        ),
        migrations.AddField("thing", "weight", models.IntegerField(db_default=0)),
        migrations.AddField("thing", "colour", models.CharField(max_length=9, null=True)),
        migrations.AlterField("thing", "note", models.TextField(default="")),
        migrations.RemoveField("thing", "old"),
        migrations.RenameField("thing", "name", "title"),
        migrations.AddIndex("thing", models.Index(fields=["title"], name="thing_title_idx")),
        migrations.RunPython(lambda apps, schema_editor: None),
        migrations.RunSQL("SELECT 1", reverse_sql=migrations.RunSQL.noop),
    ]
