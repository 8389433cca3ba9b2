"""Running the background queue inside a test, as ``manage.py run_worker`` would.

A test runs inside one transaction that never commits, so the enqueue that a
real request does on commit is captured and run by ``delivered()``; the queued
tasks then run in this thread through django-tasks-db's own worker code.
"""

from contextlib import contextmanager

from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER = "test-worker"


def run_queued_tasks(limit: int = 200) -> int:
    """Run every task that is ready now (not those waiting for their run_after); returns how many."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER,
    )
    done = 0
    while done < limit:
        task_result = DBTaskResult.objects.ready().first()
        if task_result is None:
            return done
        task_result.claim(WORKER)
        # In the worker each task commits; what it queued on commit (mail) is queued then.
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(task_result)
        done += 1
    raise AssertionError(f"more than {limit} tasks: a task keeps enqueuing itself")


@contextmanager
def delivered():
    """Commit what the block queued, then let the worker run it (mail lands in mail.outbox)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    run_queued_tasks()


def wait_for_retry() -> None:
    """As if the retry delay has passed: waiting tasks and mails are due now."""
    from django.utils import timezone

    from notifications.models import MailStatus, OutgoingMail

    now = timezone.now()
    DBTaskResult.objects.filter(status="READY", run_after__gt=now).update(run_after=now)
    OutgoingMail.objects.filter(status=MailStatus.QUEUED).update(next_attempt_at=now)


def commit_each_request(monkeypatch) -> None:
    """Each test-client request ends as in production: its transaction commits, the worker runs.

    Use in a module's autouse fixture where tests read the mail that requests send.
    """
    from django.test import Client

    original = Client.request

    def request(self, **request):
        with delivered():
            return original(self, **request)

    monkeypatch.setattr(Client, "request", request)
