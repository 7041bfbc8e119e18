import time

from django.core.management.base import BaseCommand, CommandError

from sources.tasks import check_source_link, sources_due_for_check


class Command(BaseCommand):
    help = (
        "Queue a link check for every source that is due (never checked, or checked more than "
        "FACTDESK_LINK_CHECK_DAYS ago). The worker runs the checks. With --loop, repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDS", help="Run every SECONDS.")
        parser.add_argument("--days", type=int, help="Override FACTDESK_LINK_CHECK_DAYS.")
        parser.add_argument("--limit", type=int, default=1000, help="At most this many a run.")

    def handle(self, *args, loop, days, limit, **options):
        if loop is not None and loop < 1:
            raise CommandError("--loop needs a number of seconds of at least 1.")
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        while True:
            due = list(sources_due_for_check(days=days).values_list("pk", flat=True)[:limit])
            for source_id in due:
                check_source_link.enqueue(source_id)
            self.stdout.write(f"Queued {len(due)} link checks.")
            if loop is None:
                return
            time.sleep(loop)
