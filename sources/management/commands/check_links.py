from datetime import timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from lib.commands import RepeatableCommand
from sources.tasks import check_source_link, sources_due_for_check

# A check queued but not done after this long (a lost task, a stopped worker) is queued again.
REQUEUE_AFTER = timedelta(hours=6)


def queue_due_checks(queued: dict[int, object], *, days: int | None, limit: int) -> int:
    """Queue a check for each source due, skipping those this process queued that the worker
    has not checked yet (so a slow worker does not collect duplicates). Returns how many."""
    now = timezone.now()
    count = 0
    due = sources_due_for_check(days=days).values_list("pk", "link_checked_at")
    for source_id, checked_at in due[:limit]:
        queued_at = queued.get(source_id)
        pending = queued_at and (checked_at is None or checked_at < queued_at)
        if pending and now - queued_at < REQUEUE_AFTER:
            continue
        check_source_link.enqueue(source_id)
        queued[source_id] = now
        count += 1
    return count


class Command(RepeatableCommand):
    help = (
        "Queue a link check for every source that is due (never checked, or checked more than "
        "FACTDESK_LINK_CHECK_DAYS ago). The worker runs the checks. With --loop, repeat."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--days", type=int, help="Override FACTDESK_LINK_CHECK_DAYS.")
        parser.add_argument("--limit", type=int, default=1000, help="At most this many a run.")

    def handle(self, *args, limit, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        # Sources queued in earlier rounds, so a slow worker is not sent the same check twice.
        self.queued: dict[int, object] = {}
        super().handle(*args, limit=limit, **options)

    def run_once(self, *, days, limit, **options):
        count = queue_due_checks(self.queued, days=days, limit=limit)
        self.stdout.write(f"Queued {count} link checks.")
