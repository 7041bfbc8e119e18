import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from lib.vector_index import refresh_index, settings_source
from lib.vector_snapshot import BuildInProgress


class Command(BaseCommand):
    help = (
        "Rebuild the similar-claim vector index (a new usearch snapshot file, or a sync of the "
        "pgvector table), per FACTDESK_VECTOR_BACKEND. With --loop, repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDS", help="Run every SECONDS.")

    def handle(self, *args, loop, **options):
        if loop is not None and loop < 1:
            raise CommandError("--loop needs a number of seconds of at least 1.")
        while True:
            try:
                self.refresh()
            except (BuildInProgress, DatabaseError) as error:
                if loop is None:
                    raise CommandError(str(error)) from error
                self.stderr.write(f"Vector index not refreshed: {error}")
            if loop is None:
                return
            time.sleep(loop)

    def refresh(self):
        started = time.monotonic()
        result = refresh_index(
            settings_source(),
            backend=settings.FACTDESK_VECTOR_BACKEND,
            directory=settings.FACTDESK_VECTOR_INDEX_DIR,
            progress=self.progress,
        )
        seconds = time.monotonic() - started
        self.stdout.write(f"Vector index refreshed in {seconds:.1f} s: {result}")

    def progress(self, done, total):
        self.stderr.write(f"\r  {done:,} / {total:,} vectors", ending="")
        if done >= total:
            self.stderr.write("")
