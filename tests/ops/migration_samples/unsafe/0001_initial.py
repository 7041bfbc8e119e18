from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Thing",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("name", models.CharField(max_length=50)),
                ("note", models.TextField(null=True)),
                ("old", models.TextField(blank=True)),
            ],
        ),
        # Safe: the table is created in this same migration, so it is empty.
        migrations.AddIndex("thing", models.Index(fields=["name"], name="thing_name_idx")),
    ]
