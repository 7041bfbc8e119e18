import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError

from factchecks import embeddings as fact_check_vectors
from lib.commands import RepeatableCommand
from lib.vector_index import refresh_index, settings_source
from lib.vector_snapshot import BuildInProgress


class Command(RepeatableCommand):
    help = (
        "Refresh the similar-claim vector index (a new usearch snapshot file with the rows "
        "changed since the last one, or a sync of the pgvector table), per "
        "FACTDESK_VECTOR_BACKEND, and the harvested fact-checks' snapshot. With --loop, repeat."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--full",
            action="store_true",
            help="Index every row again instead of only the changes (local snapshot only).",
        )

    def run_once(self, *, full=False, **options):
        try:
            self.refresh(full=full)
        except (BuildInProgress, DatabaseError) as error:
            raise CommandError(f"Vector index not refreshed: {error}") from error

    def refresh(self, *, full: bool):
        started = time.monotonic()
        result = refresh_index(
            settings_source(),
            backend=settings.FACTDESK_VECTOR_BACKEND,
            directory=settings.FACTDESK_VECTOR_INDEX_DIR,
            full=full,
            progress=self.progress,
        )
        seconds = time.monotonic() - started
        self.stdout.write(f"Vector index refreshed in {seconds:.1f} s: {result}")
        # Other organisations' fact-checks have their own index (a local snapshot, always).
        started = time.monotonic()
        result = refresh_index(
            fact_check_vectors.vector_source(),
            backend="local",
            directory=fact_check_vectors.index_directory(),
            full=full,
            progress=self.progress,
        )
        seconds = time.monotonic() - started
        self.stdout.write(f"Fact-check vector index refreshed in {seconds:.1f} s: {result}")

    def progress(self, done, total):
        self.stderr.write(f"\r  {done:,} / {total:,} vectors", ending="")
        if done >= total:
            self.stderr.write("")
