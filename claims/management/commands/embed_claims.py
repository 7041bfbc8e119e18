import time
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from claims.embeddings import claims_embed, claims_missing_embedding
from lib.embedding import get_embedder


class Command(BaseCommand):
    help = (
        "Embed the claims that have no vector from the configured embedder (none yet, or one "
        "from another model), in batches, with progress. Stopped, it resumes where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=64, help="Claims per call to the model (64)."
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            embedder = get_embedder()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        # Only rows still missing are read, so a second run after an interruption picks up
        # where the first stopped. Walking by id keeps a claim without text from being read
        # again and again.
        pending = claims_missing_embedding(embedder.name).order_by("pk")
        total = pending.count()
        self.stderr.write(f"{total} claims to embed with {embedder.name}.")
        done, last_pk, started = 0, 0, time.monotonic()
        while done < total:
            batch = list(
                pending.filter(pk__gt=last_pk).only("pk", "claim_reviewed", "quote")[:batch_size]
            )
            if not batch:
                break  # claims deleted meanwhile
            try:
                claims_embed(batch)
            except Exception as error:
                raise CommandError(
                    f"Embedding claims {batch[0].pk}-{batch[-1].pk} failed ({error!r}); "
                    f"{done} were embedded. Run the command again to resume."
                ) from error
            done, last_pk = done + len(batch), batch[-1].pk
            self.stderr.write(self._progress(done, total, time.monotonic() - started))
        self.stdout.write(f"Embedded {done} claims.")

    @staticmethod
    def _progress(done: int, total: int, elapsed: float) -> str:
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = timedelta(seconds=round((total - done) / rate)) if rate else "?"
        return f"{done}/{total} claims, {rate:.1f}/s, ETA {eta}"
