from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from ops import pgtools


class Command(BaseCommand):
    help = "Dump the PostgreSQL database with pg_dump (custom format, restorable with db_restore)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="File to write (default: backups/factdesk-<UTC time>.dump).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="Then delete all but the newest KEEP factdesk-*.dump files in that folder.",
        )

    def handle(self, *args, output=None, keep=0, **options):
        db = pgtools.database_settings()
        stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(output or f"backups/factdesk-{stamp}.dump")
        path.parent.mkdir(parents=True, exist_ok=True)
        # Custom format: compressed, and pg_restore can restore it selectively and in parallel.
        # No owners or grants, so it restores under whichever role runs the restore.
        pgtools.run(
            "pg_dump",
            ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
            db,
        )
        self.stdout.write(f"Backed up {db['NAME']} to {path} ({path.stat().st_size:,} bytes).")
        if keep > 0:
            self._prune(path.parent, keep)

    def _prune(self, folder: Path, keep: int) -> None:
        # The timestamped names sort in time order.
        for old in sorted(folder.glob("factdesk-*.dump"), reverse=True)[keep:]:
            old.unlink()
            self.stdout.write(f"Deleted old backup {old}.")
