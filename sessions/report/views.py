"""The PDF report as a download for everyone in the session, from the joint dialogue on.

Before the dialogue the URL answers with a page that says why there is no report yet.

The report is rendered by a background task (sessions.report.services): the
first request for the session's current state queues it, and until it is ready
every request gets a page that says so (202) or, with ``format=json``, the state
the download button polls. A ready report is served from the database.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit import events as audit
from sessions.models import ReportRendering, ReportStatus
from sessions.policy import phases
from sessions.policy.access import require, session_for
from sessions.report.pdf import not_available_message, report_filename
from sessions.report.services import expected_seconds, queue_position, report_request
from sms_tool.http import PDF, attachment

DOWNLOAD_COOKIE = "sms_report_ready"


def report_state(rendering: ReportRendering, url: str) -> dict:
    """What the page and the button show: the status, a sentence, and a percentage."""
    status = rendering.status
    percent = 0
    if status == ReportStatus.QUEUED:
        ahead = queue_position(rendering)
        label = (
            _("Waiting for the report service: %(count)d reports before this one.")
            % {"count": ahead}
            if ahead
            else _("Waiting for the report service to start.")
        )
        percent = 5
    elif status == ReportStatus.RENDERING:
        assert rendering.started_at is not None  # set together with the status (_claim)
        elapsed = (timezone.now() - rendering.started_at).total_seconds()
        expected = expected_seconds(rendering)
        if expected:
            percent = min(95, 10 + int(85 * elapsed / expected))
            label = _("Being prepared: %(elapsed)d of about %(expected)d seconds.") % {
                "elapsed": elapsed,
                "expected": max(expected, 1),
            }
        else:
            percent = 50
            label = _("Being prepared: %(elapsed)d seconds so far.") % {"elapsed": elapsed}
    elif status == ReportStatus.READY:
        percent = 100
        label = _("The report is ready.")
    else:
        label = _("The report could not be prepared. Try again in a moment.")
    return {
        "status": str(status),
        "label": label,
        "percent": percent,
        "url": url,
        "retry_url": f"{url}&retry=1",
    }


@login_required
@require_GET
def session_report(request, pk):
    session, roles = session_for(request.user, pk)  # 404 for anyone without a role
    require(phases.takes_part(roles))  # a Fase 1 guide has no report either
    if not phases.can_download_report(roles, session):
        # Someone in the session who follows an old link or types the URL early.
        return render(
            request,
            "dialogue_sessions/report/not_available.html",
            {"session": session, "message": not_available_message()},
        )
    language = request.GET.get("language")
    if language not in ("nl", "en"):
        language = request.LANGUAGE_CODE
    rendering = report_request(
        session=session, language=language, by=request.user, retry=request.GET.get("retry") == "1"
    )
    url = f"{reverse('session_report', args=[session.pk])}?language={language}"
    if request.GET.get("format") == "json":
        response = JsonResponse(report_state(rendering, url))
        response["Cache-Control"] = "private, no-store"
        return response
    if rendering.status != ReportStatus.READY:
        page = render(
            request,
            "dialogue_sessions/report/preparing.html",
            {"session": session, "state": report_state(rendering, url)},
            status=202 if rendering.status != ReportStatus.FAILED else 503,
        )
        return page
    response: HttpResponse = attachment(
        bytes(rendering.pdf), content_type=PDF, filename=report_filename(session, language)
    )
    audit.download(request, kind="pdf", what="report", session=session)
    # The page's busy indicator waits for this cookie to know the download started.
    token = request.GET.get("token", "")
    if token.isalnum() and len(token) <= 40:
        response.set_cookie(
            DOWNLOAD_COOKIE, token, max_age=60, samesite="Lax", secure=request.is_secure()
        )
    return response
