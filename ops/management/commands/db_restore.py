from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops import pgtools


class Command(BaseCommand):
    help = (
        "Restore a db_backup file with pg_restore, replacing what is in the target database. "
        "Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by db_backup (pg_dump custom format).")
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of DATABASE_URL (for a scratch copy).",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the data."
        )

    def handle(self, *args, file, database_url=None, yes=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        db = pgtools.database_settings(database_url)
        if not yes and not self._confirmed(db["NAME"]):
            raise CommandError("Restore cancelled.")
        # --clean --if-exists replaces every object the dump holds; one transaction means a
        # failed restore leaves the database as it was.
        pgtools.run(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={db['NAME']}",
                str(path),
            ],
            db,
        )
        self.stdout.write(f"Restored {path} into {db['NAME']}.")

    def _confirmed(self, name: str) -> bool:
        answer = input(f"This replaces the data in database {name!r}. Type its name to go on: ")
        return answer.strip() == name
