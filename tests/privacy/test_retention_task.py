"""Retention as a scheduled task: a moved clock, one pending run at a time."""

import datetime
from io import StringIO

from axes.models import AccessLog
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from privacy.tasks import TASK_PATH, ensure_retention_scheduled, run_and_reschedule
from tests.tasks import run_queued_tasks

DAY = datetime.timedelta(days=1)


def pending():
    return DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")


def test_a_run_removes_what_is_past_the_period_keeps_the_rest_and_schedules_once(db):
    now = timezone.now()
    days = settings.SIGN_IN_LOG_RETENTION_DAYS
    old = AccessLog.objects.create(username="old@example.org", ip_address="192.0.2.1")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=now - (days + 1) * DAY)
    recent = AccessLog.objects.create(username="new@example.org", ip_address="192.0.2.2")
    AccessLog.objects.filter(pk=recent.pk).update(attempt_time=now - (days - 1) * DAY)

    counts = run_and_reschedule(now + datetime.timedelta(minutes=1))

    assert counts["sign_in_records"] == 1
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["new@example.org"]
    assert pending().count() == 1
    hours = settings.RETENTION_INTERVAL_HOURS
    next_run = pending().get().run_after
    assert next_run == now + datetime.timedelta(minutes=1, hours=hours)
    # A second run (a worker that ran it again) does not add a second pending run.
    run_and_reschedule(now + datetime.timedelta(minutes=2))
    assert pending().count() == 1


def test_the_queued_task_runs_and_leaves_exactly_one_next_run(db):
    assert ensure_retention_scheduled() is True
    assert run_queued_tasks() == 1  # the run; its successor waits a day
    assert pending().count() == 1
    assert pending().get().run_after > timezone.now() + datetime.timedelta(hours=1)
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="SUCCESSFUL").count() == 1


def test_starting_workers_again_and_again_leaves_one_pending_run(db):
    out = StringIO()
    call_command("schedule_retention", stdout=out)
    call_command("schedule_retention", stdout=out)
    assert ensure_retention_scheduled() is False
    assert pending().count() == 1
    assert "already scheduled" in out.getvalue()


def test_the_worker_command_makes_sure_a_run_waits(db, monkeypatch):
    from notifications.management.commands import run_worker

    # Only the start-up: the loop itself (and its closing of connections) is not under test.
    monkeypatch.setattr(run_worker.RecyclingWorker, "run", lambda self: None)
    monkeypatch.setattr(run_worker, "run_periodic_jobs", lambda: None)
    call_command("run_worker", "--batch", stdout=StringIO())
    call_command("run_worker", "--batch", stdout=StringIO())
    assert pending().count() == 1
    # A worker for the mail queue alone leaves retention to the default queue's worker.
    pending().delete()
    call_command("run_worker", "--batch", "--queues", "mail", stdout=StringIO())
    assert pending().count() == 0
