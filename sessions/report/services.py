"""The PDF report rendered in the background, once per state of the session.

``report_request`` finds or makes the ``ReportRendering`` for the session's current
state (its fingerprint) and language; only the request that made it enqueues the
render, so N people asking at once share one render. The task claims the row
before it renders, so a repeated task (a worker restart) never renders twice.
"""

import logging
import resource
import time
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sessions.models import DialogueSession, ReportRendering, ReportStatus
from sessions.report import pdf

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # tries of one render before the page says it failed
RETRY_SECONDS = 10


def _enqueue(rendering_id: int) -> None:
    from sessions.report.tasks import render_report_task

    render_report_task.enqueue(rendering_id)


def report_request(
    *, session: DialogueSession, language: str, by: Any = None, retry: bool = False
) -> ReportRendering:
    """The rendering of ``session`` as it is now, in ``language``; queued when new.

    A render that failed all its tries is tried again only when asked (``retry``).
    """
    key = pdf.fingerprint(session, language)
    rendering = ReportRendering.objects.filter(fingerprint=key).first()
    if rendering is None:
        try:
            with transaction.atomic():
                rendering = ReportRendering.objects.create(
                    session=session,
                    fingerprint=key,
                    version=session.version,
                    language=language,
                    requested_by=by if getattr(by, "pk", None) else None,
                )
                transaction.on_commit(partial(_enqueue, rendering.pk), robust=True)
        except IntegrityError:  # someone else asked at the same moment: share theirs
            rendering = ReportRendering.objects.get(fingerprint=key)
    elif (
        rendering.status == ReportStatus.FAILED
        and retry
        and ReportRendering.objects.filter(pk=rendering.pk, status=ReportStatus.FAILED).update(
            status=ReportStatus.QUEUED, attempts=0
        )
    ):
        transaction.on_commit(partial(_enqueue, rendering.pk), robust=True)
        rendering.status = ReportStatus.QUEUED
    return rendering


def queue_position(rendering: ReportRendering) -> int:
    """How many renders wait before this one (0 when it is being rendered or done)."""
    if rendering.status != ReportStatus.QUEUED:
        return 0
    return ReportRendering.objects.filter(
        status=ReportStatus.QUEUED, requested_at__lt=rendering.requested_at
    ).count()


def expected_seconds(rendering: ReportRendering) -> float | None:
    """How long the last render of this session took: the page's estimate of the wait."""
    last = (
        ReportRendering.objects.filter(
            session_id=rendering.session_id, render_seconds__isnull=False
        )
        .order_by("-finished_at")
        .values_list("render_seconds", flat=True)
        .first()
    )
    return last


def _claim(rendering_id: int) -> bool:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.TASK_STALE_SECONDS)
    claimed = (
        ReportRendering.objects.filter(pk=rendering_id)
        .filter(
            Q(status=ReportStatus.QUEUED) | Q(status=ReportStatus.RENDERING, started_at__lt=stale)
        )
        .update(status=ReportStatus.RENDERING, started_at=now)
    )
    return bool(claimed)


def peak_memory_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_rendering(rendering_id: int) -> str:
    """Render the claimed report and store it; "skipped" when another try has it or had it."""
    if not _claim(rendering_id):
        return "skipped"
    rendering = ReportRendering.objects.select_related("session").get(pk=rendering_id)
    started = time.perf_counter()
    try:
        data = pdf.render_report(rendering.session, language=rendering.language)
    except Exception as error:
        logger.exception("Rendering report %s failed", rendering_id)
        attempts = rendering.attempts + 1
        again = attempts < MAX_ATTEMPTS
        ReportRendering.objects.filter(pk=rendering_id).update(
            status=ReportStatus.QUEUED if again else ReportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            attempts=attempts,
            finished_at=timezone.now(),
        )
        if again:
            from sessions.report.tasks import render_report_task

            delay = timedelta(seconds=RETRY_SECONDS * attempts)
            render_report_task.using(run_after=timezone.now() + delay).enqueue(rendering_id)
            return "retry"
        return "failed"
    ReportRendering.objects.filter(pk=rendering_id).update(
        status=ReportStatus.READY,
        pdf=data,
        size=len(data),
        attempts=rendering.attempts + 1,
        finished_at=timezone.now(),
        render_seconds=time.perf_counter() - started,
        worker_peak_mb=peak_memory_mb(),
        error="",
    )
    if time.perf_counter() - started >= settings.REPORT_MAIL_AFTER_SECONDS:
        _announce_ready(rendering)
    return "ready"


def _announce_ready(rendering: ReportRendering) -> None:
    """A long render: tell who asked for it, who may have left the page (their language)."""
    from notifications.models import MailKind
    from notifications.services import person_language, queue_mail, render_mail

    person = rendering.requested_by
    if person is None or not person.is_active:
        return
    session = rendering.session
    link = settings.SITE_URL.rstrip("/") + reverse("session_report", args=[session.pk])
    subject, body = render_mail(
        "dialogue_sessions/schedule/mail_report_ready_subject.txt",
        "dialogue_sessions/schedule/mail_report_ready_body.txt",
        {"session": session, "person": person, "link": f"{link}?language={rendering.language}"},
        person_language(person),
    )
    queue_mail(
        key=f"report_ready:{rendering.pk}",
        kind=MailKind.REPORT_READY,
        to=person.email,
        subject=subject,
        body=body,
        person=person,
    )
