from django.core.management.base import CommandError

from lib.commands import RepeatableCommand

from ...fetching import source_monitor, sources_due
from ...models import MonitoredSource


class Command(RepeatableCommand):
    help = (
        "Fetch monitored media: every active source that is due, or one source with --source "
        "ID (due or not), showing progress and each run's result. With --loop SECONDS, repeat "
        "(for cron-less hosts; the worker also fetches due sources)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--source", type=int, metavar="ID", help="Fetch this source only.")

    def run_once(self, *, source=None, **options):
        if source is not None:
            found = MonitoredSource.objects.filter(pk=source).first()
            if found is None:
                raise CommandError(f"There is no monitored source with id {source}.")
            if not found.is_fetched:
                raise CommandError(
                    f"{found} is a transcript source: transcripts are uploaded or posted, "
                    "not fetched."
                )
            sources = [found]
        else:
            sources = list(sources_due())
        self.stderr.write(f"{len(sources)} monitored sources to fetch.")
        failed = 0
        for number, item in enumerate(sources, start=1):
            self.stderr.write(f"[{number}/{len(sources)}] {item} ({item.get_kind_display()})")
            run = source_monitor(source=item, progress=self.progress)
            failed += run.status == run.Status.FAILED
            self.stdout.write(
                f"{item}: {run.get_status_display()}: {run.items} items, {run.new_items} new, "
                f"{run.duplicates} already read, {run.rejected} rejected; "
                f"{run.sentences} sentences, {run.kept} kept."
            )
            for reason in run.errors:
                self.stdout.write(f"    {reason}")
        if failed and source is not None:
            raise CommandError(f"Fetching {sources[0]} failed.")

    def progress(self, done: int, total: int | None) -> None:
        self.stderr.write(f"    {done}/{total if total is not None else '?'} items read")
