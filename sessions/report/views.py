"""The PDF report as a download: coordinators and facilitators always, partners from the dialogue."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from audit import events as audit
from sessions.policy import phases
from sessions.policy.access import require, session_for
from sessions.report.pdf import render_report, report_filename
from sms_tool.http import PDF, attachment

DOWNLOAD_COOKIE = "sms_report_ready"


@login_required
@require_GET
def session_report(request, pk):
    session, roles = session_for(request.user, pk)
    require(phases.can_download_report(roles, session))
    language = request.GET.get("language")
    if language not in ("nl", "en"):
        language = request.LANGUAGE_CODE
    pdf = render_report(session, language=language)
    audit.download(request, kind="pdf", what="report", session=session)
    response = attachment(pdf, content_type=PDF, filename=report_filename(session, language))
    # The page's busy indicator waits for this cookie to know the download started.
    token = request.GET.get("token", "")
    if token.isalnum() and len(token) <= 40:
        response.set_cookie(
            DOWNLOAD_COOKIE, token, max_age=60, samesite="Lax", secure=request.is_secure()
        )
    return response
