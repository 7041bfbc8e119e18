"""`manage.py worker`: django-tasks-db's `db_worker`, recovering what dead workers left behind.

A worker killed mid-task leaves its task RUNNING and, if it was sending a webhook, the delivery
`sending`; the plain `db_worker` never looks at either again. This one recovers both when it
starts and every --recover-every seconds: abandoned tasks are queued again (ops/taskqueue.py)
and webhook deliveries that are due or past their lease are queued (the work of the separate
`webhooks_resume --loop` this replaces). On the same beat, fact-check sources that are due
are queued for harvesting (factchecks/harvesting.py), monitored media that are due are queued
for fetching and their expired sentences pruned (monitoring/), and readers' tip addresses past
their retention are deleted (tips.services.tip_contacts_purge). Several workers may run it at
once: the task rows are locked while recovered, a webhook delivery queued twice is sent once,
and a due source is queued by one worker only.
"""

import logging
import os
import threading

from django.core.management.base import CommandError
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from api.webhooks import webhook_deliveries_resume
from factchecks.harvesting import harvests_enqueue_due
from monitoring.fetching import monitors_enqueue_due
from monitoring.services import sentences_prune
from ops.taskqueue import task_results_recover_abandoned
from tips.services import tip_contacts_purge

logger = logging.getLogger(__name__)


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker), and recover work that killed "
        "workers left behind: at start and every --recover-every seconds."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--recover-every",
            type=int,
            default=60,
            metavar="SECONDS",
            help="How often to recover abandoned tasks and webhook deliveries (default: 60).",
        )

    def handle(self, *, recover_every: int, **options):
        if recover_every < 1:
            raise CommandError("--recover-every needs a number of seconds of at least 1.")
        stop = threading.Event()
        # With --reload (not honoured with --batch) this process only watches the code and
        # restarts a child that runs the same command: the child recovers, not the watcher.
        reloads = options["reload"] and not options["batch"]
        watcher = reloads and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not watcher:
            self.recover(options["backend_name"])
            if not options["batch"]:  # a batch run ends once the queue is empty
                threading.Thread(
                    target=self.recover_periodically,
                    args=(options["backend_name"], recover_every, stop),
                    name="worker-recovery",
                    daemon=True,
                ).start()
        try:
            super().handle(**options)
        finally:
            stop.set()

    def recover(self, backend_name: str) -> None:
        requeued, failed = task_results_recover_abandoned(backend_name=backend_name)
        deliveries = webhook_deliveries_resume()
        # The fact-check harvest's schedule rides on the same beat: due sources are queued.
        harvests = harvests_enqueue_due()
        # So do monitored media: due sources are queued, expired sentences pruned (an indexed
        # delete that finds nothing on most beats).
        monitored = monitors_enqueue_due()
        pruned = sentences_prune()
        # Readers' addresses past TIPS_CONTACT_RETENTION_DAYS: one indexed DELETE per beat.
        contacts = tip_contacts_purge()
        if requeued or failed or deliveries or harvests or monitored or pruned or contacts:
            self.stdout.write(
                f"Recovered: {requeued} abandoned tasks queued again, {failed} failed; "
                f"{deliveries} webhook deliveries queued; {harvests} fact-check sources queued; "
                f"{monitored} monitored sources queued, {pruned} expired sentences pruned; "
                f"{contacts} readers' addresses deleted past their retention."
            )

    def recover_periodically(self, backend_name: str, every: int, stop: threading.Event) -> None:
        while not stop.wait(every):
            try:
                self.recover(backend_name)
            except Exception:
                # A database outage must not end recovery for the rest of the worker's life.
                logger.exception("Recovering abandoned work failed; trying again later.")
            finally:
                # This thread's own connections: the worker's are not shared with it.
                connections.close_all()
