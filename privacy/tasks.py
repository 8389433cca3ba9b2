"""Retention as a scheduled task that schedules its own next run (queue "default").

``ensure_retention_scheduled`` is called when a worker starts (``run_worker``) and by
``manage.py schedule_retention``: it enqueues a run unless one is already waiting, so
a restarted worker leaves one pending run; each run applies the rules (idempotent)
and enqueues the next one, again only if none waits.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from privacy.retention import apply_retention

logger = logging.getLogger(__name__)

TASK_PATH = "privacy.tasks.run_retention"


def _waiting() -> QuerySet[Any]:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY)


def next_run_at(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(hours=settings.RETENTION_INTERVAL_HOURS)


def ensure_retention_scheduled(
    now: datetime.datetime | None = None, *, at: datetime.datetime | None = None
) -> bool:
    """Enqueue a retention run (at ``at``, else now) unless one waits; True if it did."""
    with transaction.atomic():
        if _waiting().select_for_update().exists():
            return False
        run_retention.using(run_after=at or now or timezone.now()).enqueue()
    return True


@task()
def run_retention() -> dict[str, int]:
    """Apply every retention rule, then schedule the next run once."""
    return run_and_reschedule(timezone.now())


def run_and_reschedule(now: datetime.datetime) -> dict[str, int]:
    # This run is RUNNING, not READY: the check below sees only other waiting runs. Two
    # that were ever queued side by side both run (harmless) and leave a single next one.
    counts = apply_retention(now)
    ensure_retention_scheduled(at=next_run_at(now))
    logger.info("Retention applied: %s", counts)
    return counts
