"""Run the background worker: every task queue, plus the periodic sweeps (see notifications.worker)."""

from typing import Any

from django.core.management.base import BaseCommand
from django_tasks.utils import get_random_id
from django_tasks_db.management.commands.db_worker import Worker

from notifications.worker import Ticker, run_periodic_jobs

QUEUES = ["default", "mail", "reports"]


class Command(BaseCommand):
    help = "Run the background worker (mail, reports, reminders) until stopped with Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queues", default=",".join(QUEUES))
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--periodic-interval", type=float, default=60.0)
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--batch", action="store_true", help="Run what is ready, then stop.")
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            queue_names=options["queues"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or get_random_id(),
        )
        worker.configure_signals()
        if options["batch"]:
            run_periodic_jobs()
        else:
            Ticker(options["periodic_interval"]).start()
        self.stdout.write(f"Worker {worker.worker_id} on queues {options['queues']}")
        worker.run()
