"""/health/ for the container health checks: database, cache and queue, no data shown."""

import json
from datetime import timedelta

from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.tasks import deliver_mail


def test_health_answers_ok_for_any_host_and_without_https(db):
    # The health check calls 127.0.0.1 over plain HTTP, whatever ALLOWED_HOSTS says.
    with override_settings(ALLOWED_HOSTS=["sms.example.org"], SECURE_SSL_REDIRECT=True):
        response = Client().get("/health/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    report = json.loads(response.content)
    assert (report["database"], report["cache"], report["queue"]["status"]) == ("ok", "ok", "ok")
    assert response["Cache-Control"] == "no-store"


def test_a_failing_cache_makes_it_503_not_a_500(db, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is gone")

    monkeypatch.setattr(cache, "set", broken)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "error: ConnectionError"


def test_a_queue_nobody_works_on_is_reported_as_stalled(db):
    deliver_mail.enqueue(1)
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(minutes=30))
    report = json.loads(Client().get("/health/").content)
    assert report["queue"]["status"] == "stalled"
    assert report["queue"]["ready"] == 1
