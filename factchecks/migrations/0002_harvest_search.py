"""PostgreSQL: pg_trgm, whose similarity() ranks the wording candidates of "checked before?"
among fact-checks (factchecks/matching.py; the candidates come from the index of 0004). On
SQLite this does nothing; matching falls back to a bounded word filter and rapidfuzz."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("factchecks", "0001_initial")]

    operations = [TrigramExtension()]
