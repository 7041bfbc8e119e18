"""Recovering the task queue (django-tasks-db) from workers that died in the middle of a task.

The database worker marks a task RUNNING and commits, then runs it outside any transaction.
A worker killed meanwhile (out of memory, a deploy's SIGKILL, a lost host) leaves the row
RUNNING for ever, and nothing would run it again. No lock or heartbeat tells a live worker's
task from a dead one's, so age does: a task RUNNING for longer than any of ours can take is
abandoned. Ours are short (a webhook attempt ~1 minute at most, a link check 10 seconds,
archiving a page ~6 minutes of Save Page Now polling), and the bound,
FACTDESK_TASK_ABANDONED_MINUTES, defaults to an hour: a live task is never run twice unless a
task that takes longer than that is added without raising it.

An abandoned task is queued again, as if it had never started; our tasks are safe to run twice
(a webhook attempt re-checks its delivery's state, a link check is re-done). One that was
abandoned MAX_CLAIMS times (it is what kills the worker, say) is marked failed instead.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

MAX_CLAIMS = 3


class TaskAbandoned(Exception):
    """Recorded as the error of a task that workers kept dying on."""


def task_results_recover_abandoned(
    *, backend_name: str, older_than: timedelta | None = None
) -> tuple[int, int]:
    """Queue again each task RUNNING for longer than `older_than` (default: the setting), or
    fail it if MAX_CLAIMS workers already took it. Returns (queued again, failed)."""
    if older_than is None:
        older_than = timedelta(minutes=settings.FACTDESK_TASK_ABANDONED_MINUTES)
    cutoff = timezone.now() - older_than
    requeued = failed = 0
    with transaction.atomic(using=DBTaskResult.objects.db):
        # The lock only keeps two recovering workers apart: a running task's row is not locked.
        abandoned = (
            DBTaskResult.objects.running()
            .filter(backend_name=backend_name, started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        for result in abandoned:
            if len(result.worker_ids) >= MAX_CLAIMS:
                result.set_failed(
                    TaskAbandoned(
                        f"{len(result.worker_ids)} workers took this task and none finished it."
                    )
                )
                failed += 1
            else:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                requeued += 1
    return requeued, failed
