"""The background worker: django-tasks-db's worker plus a few periodic sweeps.

``manage.py run_worker`` runs the tasks of every queue (mail, reports, default)
and, once a minute in a side thread, the jobs in ``settings.PERIODIC_JOBS``:
they find work whose task was lost (a worker killed mid-task, an enqueue that
failed after its commit) and enqueue it again. Every task here is idempotent,
so a task that runs again after such a loss does no harm.
"""

import logging
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def requeue_stalled_tasks(now: Any = None) -> int:
    """Tasks that a dead worker left RUNNING go back to READY (ours are all idempotent)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.TASK_STALE_SECONDS),
    )
    count = stale.update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("Put %d tasks of a vanished worker back in the queue", count)
    return count


def run_periodic_jobs() -> None:
    for path in settings.PERIODIC_JOBS:
        try:
            import_string(path)()
        except Exception:
            logger.exception("Periodic job %s failed", path)
    close_old_connections()


def beat(path: str) -> None:
    """Touch the heartbeat file the container's health check reads (empty path: none)."""
    if path:
        with open(path, "w") as handle:
            handle.write(timezone.now().isoformat())


class Ticker(threading.Thread):
    """Runs the periodic jobs every ``interval`` seconds until the process ends."""

    def __init__(self, interval: float, heartbeat: str = "") -> None:
        super().__init__(name="periodic-jobs", daemon=True)
        self.interval = interval
        self.heartbeat = heartbeat
        self.stopped = threading.Event()

    def run(self) -> None:
        beat(self.heartbeat)
        while not self.stopped.wait(self.interval):
            run_periodic_jobs()
            beat(self.heartbeat)
