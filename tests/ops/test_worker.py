"""`manage.py worker`: the task worker that recovers what a killed worker left behind."""

import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from ops.taskqueue import MAX_CLAIMS, task_results_recover_abandoned

# The worker commits as it goes and closes idle connections, as in production.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ran: list[str] = []


@task()
def note_run(label: str) -> str:
    ran.append(label)
    return label


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ran.clear()


@pytest.fixture(autouse=True)
def _keep_signal_handlers():
    # The worker installs its own SIGINT/SIGTERM handlers; pytest's must come back.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def running_since(label: str, started: timedelta, worker_ids=("killed-worker",)) -> DBTaskResult:
    """A task row as a worker killed mid-task leaves it: RUNNING, never finished."""
    result = note_run.enqueue(label)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started,
        worker_ids=list(worker_ids),
    )
    return DBTaskResult.objects.get(pk=result.id)


def run_plain_worker():
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--worker-id", "new")


def test_the_plain_worker_runs_again_a_task_a_killed_worker_left_running(settings):
    abandoned = running_since(
        "abandoned", timedelta(minutes=settings.FACTDESK_TASK_ABANDONED_MINUTES + 1)
    )
    run_plain_worker()
    assert ran == ["abandoned"]
    abandoned.refresh_from_db()
    assert abandoned.status == TaskResultStatus.SUCCESSFUL
    assert abandoned.worker_ids == ["killed-worker", "new"]


def test_a_task_running_for_less_than_the_bound_is_left_to_its_worker(settings):
    live = running_since("live", timedelta(minutes=settings.FACTDESK_TASK_ABANDONED_MINUTES - 1))
    run_plain_worker()
    assert ran == []
    live.refresh_from_db()
    assert live.status == TaskResultStatus.RUNNING


def test_a_task_that_workers_keep_dying_on_is_failed_not_retried_for_ever():
    doomed = running_since(
        "doomed", timedelta(days=1), worker_ids=[f"w{i}" for i in range(MAX_CLAIMS)]
    )
    assert task_results_recover_abandoned(backend_name="default") == (0, 1)
    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert "none finished it" in doomed.traceback
    run_plain_worker()
    assert ran == []


def test_the_plain_worker_resumes_a_webhook_delivery_interrupted_mid_send(settings):
    from tests.api.webhooks.conftest import Receiver

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = Receiver()
    receiver.thread.start()
    try:
        endpoint = WebhookEndpoint.objects.create(
            name="aggregator", url=receiver.url, events=["claim.published"]
        )
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="claim.published",
            payload={"type": "claim.published"},
            status=DeliveryStatus.SENDING,
            attempts=1,
            lease_until=timezone.now() - timedelta(seconds=1),
        )
        run_plain_worker()
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_recovery_interval_must_be_positive():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("worker", "--batch", "--no-reload", "--recover-every", "0")
