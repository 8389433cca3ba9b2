"""Many people ask for the same report at the same moment: one render, shared by all."""

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sessions.models import Phase, ReportRendering, ReportStatus
from sessions.report import pdf
from sessions.report.services import render_rendering
from tests.concurrency import run_at_once
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

ASKING = 8


def test_eight_people_asking_at_once_share_one_render_and_all_get_the_file(session, monkeypatch):
    session.phase = Phase.DIALOGUE
    session.save()
    renders = []
    real = pdf.render_report

    def counting(*args, **kwargs):
        renders.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_report", counting)
    address = reverse("session_report", args=[session.pk]) + "?language=en"
    people = [session.people[name] for name in ("alice", "bob", "carol", "dave")] * 2
    clients = []
    for person in people[:ASKING]:
        client = Client()
        client.force_login(person)
        clients.append(client)

    asked = run_at_once(*(lambda c=client: c.get(address).status_code for client in clients))

    assert [outcome.value for outcome in asked] == [202] * ASKING
    assert ReportRendering.objects.count() == 1
    assert DBTaskResult.objects.count() == 1  # only the first request queued a render
    run_queued_tasks()
    rendering = ReportRendering.objects.get()
    assert render_rendering(rendering.pk) == "skipped"  # a repeated task renders nothing
    assert len(renders) == 1
    assert rendering.status == ReportStatus.READY
    files = run_at_once(*(lambda c=client: c.get(address).content for client in clients))
    assert {outcome.value for outcome in files} == {bytes(rendering.pdf)}
    assert bytes(rendering.pdf).startswith(b"%PDF")
