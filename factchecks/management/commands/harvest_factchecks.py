from django.core.management.base import CommandError

from lib.commands import RepeatableCommand

from ...harvesting import source_harvest, sources_due
from ...models import FactCheckSource


class Command(RepeatableCommand):
    help = (
        "Harvest other organisations' fact-checks: every enabled source that is due, or one "
        "source with --source ID (due or not), showing progress and each run's result. "
        "With --loop SECONDS, repeat (for cron-less hosts; the worker also harvests due sources)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--source", type=int, metavar="ID", help="Harvest this source only.")

    def run_once(self, *, source=None, **options):
        if source is not None:
            found = FactCheckSource.objects.filter(pk=source).first()
            if found is None:
                raise CommandError(f"There is no fact-check source with id {source}.")
            sources = [found]
        else:
            sources = list(sources_due())
        self.stderr.write(f"{len(sources)} fact-check sources to harvest.")
        failed = 0
        for number, item in enumerate(sources, start=1):
            self.stderr.write(f"[{number}/{len(sources)}] {item} ({item.get_kind_display()})")
            run = source_harvest(source=item, progress=self.progress)
            failed += run.status == run.Status.FAILED
            self.stdout.write(
                f"{item}: {run.get_status_display()}: {run.seen} seen, {run.created} new, "
                f"{run.updated} updated, {run.rejected} rejected."
            )
            for reason in run.errors:
                self.stdout.write(f"    {reason}")
        if failed and source is not None:
            raise CommandError(f"The harvest of {sources[0]} failed.")

    def progress(self, done: int, total: int | None) -> None:
        self.stderr.write(f"    {done}/{total if total is not None else '?'} pages read")
