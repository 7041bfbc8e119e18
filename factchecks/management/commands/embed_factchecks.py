import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from lib.embedding import get_embedder

from ...embeddings import fact_checks_embed, fact_checks_missing_embedding


class Command(BaseCommand):
    help = (
        "Embed the harvested fact-checks that have no vector from the configured embedder, in "
        "batches, with progress (embed_claims' sibling). Stopped, it resumes where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=64, help="Per call to the model.")

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            embedder = get_embedder()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        pending = fact_checks_missing_embedding(embedder.name).order_by("pk")
        total = pending.count()
        self.stderr.write(f"{total} fact-checks to embed with {embedder.name}.")
        done, last_pk, started = 0, 0, time.monotonic()
        while done < total:
            batch = list(pending.filter(pk__gt=last_pk).only("pk", "claim_reviewed")[:batch_size])
            if not batch:
                break
            try:
                fact_checks_embed(batch)
            except Exception as error:
                raise CommandError(
                    f"Embedding fact-checks {batch[0].pk}-{batch[-1].pk} failed ({error!r}); "
                    f"{done} were embedded. Run the command again to resume."
                ) from error
            done, last_pk = done + len(batch), batch[-1].pk
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stderr.write(f"{done}/{total} fact-checks, {rate:.1f}/s")
        self.stdout.write(f"Embedded {done} fact-checks.")
