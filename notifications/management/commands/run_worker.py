"""Run the background worker: every task queue, plus the periodic sweeps (see notifications.worker)."""

import logging
import resource
from typing import Any

from django.core.management.base import BaseCommand
from django_tasks.utils import get_random_id
from django_tasks_db.management.commands.db_worker import Worker

from notifications.worker import Ticker, run_periodic_jobs
from privacy.tasks import ensure_retention_scheduled

MB = 1024  # ru_maxrss is in kilobytes on Linux


class RecyclingWorker(Worker):
    """Stops after a task that left the process above ``max_rss_mb`` (a large render):
    the process manager (compose's restart policy) starts a fresh one."""

    def __init__(self, *, max_rss_mb: int, **options: Any) -> None:
        super().__init__(**options)
        self.max_rss_mb = max_rss_mb

    def run_task(self, db_task_result: Any) -> None:
        super().run_task(db_task_result)
        if self.max_rss_mb and resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > (
            self.max_rss_mb * MB
        ):
            logger.warning(
                "Worker %s above %d MB: stopping to be replaced", self.worker_id, self.max_rss_mb
            )
            self.running = False


QUEUES = ["default", "mail", "reports"]
logger = logging.getLogger("django_tasks_db")


class Command(BaseCommand):
    help = "Run the background worker (mail, reports, reminders) until stopped with Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queues", default=",".join(QUEUES))
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--periodic-interval", type=float, default=60.0)
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--batch", action="store_true", help="Run what is ready, then stop.")
        parser.add_argument("--worker-id", default=None)
        parser.add_argument(
            "--max-rss-mb", type=int, default=0, help="Stop after a task leaves it above this."
        )
        parser.add_argument("--heartbeat", default="", help="A file touched every period.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = RecyclingWorker(
            max_rss_mb=options["max_rss_mb"],
            queue_names=options["queues"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or get_random_id(),
        )
        worker.configure_signals()
        # Retention reschedules itself; a worker that starts makes sure one run waits.
        if "*" in worker.queue_names or "default" in worker.queue_names:
            ensure_retention_scheduled()
        if options["batch"]:
            run_periodic_jobs()
        else:
            Ticker(options["periodic_interval"], options["heartbeat"]).start()
        self.stdout.write(f"Worker {worker.worker_id} on queues {options['queues']}")
        worker.run()
