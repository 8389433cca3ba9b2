"""``/health/``: is this instance able to serve? Database, cache and the task queue.

Answered by the first middleware, before the host check and the HTTPS redirect,
so a container's health check can call ``http://127.0.0.1:8000/health/`` as is.
It shows no data: only whether each part answers, and the age of the queue.
"""

import time
from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

PATH = "/health/"
# A task waiting this long means no worker is taking work (reported, not fatal for web).
QUEUE_STALLED_AFTER = timedelta(minutes=10)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key = "health:probe"
    cache.set(key, "1", 30)
    return "ok" if cache.get(key) == "1" else "cache does not keep values"


def _queue() -> dict:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
    oldest = ready.order_by("run_after").values_list("run_after", flat=True).first()
    waiting = (now - oldest).total_seconds() if oldest else 0.0
    return {
        "status": "stalled" if waiting > QUEUE_STALLED_AFTER.total_seconds() else "ok",
        "ready": ready.count(),
        "oldest_waiting_seconds": round(waiting, 1),
    }


def health_report() -> tuple[int, dict]:
    started = time.perf_counter()
    report: dict = {}
    healthy = True
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            report[name] = check()
        except Exception as error:  # any failure is the answer, never a 500 page
            report[name] = f"error: {type(error).__name__}"
        healthy = healthy and report[name] == "ok"
    try:
        report["queue"] = _queue()
    except Exception as error:
        report["queue"] = {"status": f"error: {type(error).__name__}"}
        healthy = False
    report["status"] = "ok" if healthy else "failing"
    report["seconds"] = round(time.perf_counter() - started, 4)
    return (200 if healthy else 503), report


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != PATH:
            return self.get_response(request)
        status, report = health_report()
        response = JsonResponse(report, status=status)
        response["Cache-Control"] = "no-store"
        return response
