"""The joint PDF report (WeasyPrint): the same document from the web page and the command.

WeasyPrint never touches the network: ``StaticOnlyFetcher`` serves the project's
own static files and refuses every other URL. What the report shows follows the
same phase rules as the pages: before the joint dialogue it shows progress only,
never an organisation's answers.
"""

import logging
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from sessions.comparison import present
from sessions.comparison.matrix import build_comparison
from sessions.dialogue.selectors import joint_results
from sessions.lifecycle.progress import session_progress
from sessions.models import DialogueSession, Preparation
from sessions.policy import phases
from sessions.report.gc_pause import cyclic_gc_paused

logger = logging.getLogger(__name__)

STATIC_PREFIX = "https://sms-tool.invalid/static/"
COLUMNS_PER_TABLE = 8  # wider matrices are split into groups of organisations
NAMES_IN_HEADER = 6  # beyond this, matrix headers show numbers and a key lists the names
CACHE_SECONDS = 60 * 60


class StaticOnlyFetcher(URLFetcher):
    """Serves files found by the staticfiles finders under STATIC_PREFIX; refuses the rest."""

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_PREFIX):
            try:
                path = finders.find(url.removeprefix(STATIC_PREFIX).split("?")[0])
            except SuspiciousFileOperation:
                path = None  # "../" out of the static folders
            if path:
                with open(path, "rb") as handle:
                    body = handle.read()
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        logger.warning("The PDF report refused to fetch %s", url)
        raise ValueError(f"The report only loads its own static files, not {url}")


def _matrix_parts(comparison):
    """The organisations split into groups that fit the width of an A4 page."""
    columns = comparison.columns
    return [
        list(range(start, min(start + COLUMNS_PER_TABLE, len(columns))))
        for start in range(0, len(columns), COLUMNS_PER_TABLE)
    ] or [[]]


def report_context(session):
    """Everything the report template needs, in the active language."""
    session = (
        DialogueSession.objects.select_related("community", "previous")
        .prefetch_related("facilitators")
        .get(pk=session.pk)
    )
    joint_phase = session.phase in phases.JOINT_PHASES
    context = {
        "session": session,
        "community": session.community,
        "facilitators": list(session.facilitators.all()),
        "progress": session_progress(session),
        "joint_phase": joint_phase,
        "static_prefix": STATIC_PREFIX,
    }
    if not joint_phase:
        return context
    comparison = build_comparison(session)
    parts = _matrix_parts(comparison)
    context.update(
        {
            "comparison": comparison,
            **present.overview(comparison),
            **joint_results(session),
            "clusters": [
                {
                    "cluster": cluster,
                    "rows": rows,
                    "has_outcomes": any(row.outcomes for row in rows),
                    "parts": [
                        {
                            "columns": [(i + 1, comparison.columns[i]) for i in part],
                            "rows": [(row, [row.cells[i] for i in part]) for row in rows],
                        }
                        for part in parts
                    ],
                }
                for cluster, rows in comparison.clusters()
            ],
            "names_in_header": len(comparison.columns) <= NAMES_IN_HEADER,
            "numbered_columns": list(enumerate(comparison.columns, start=1)),
        }
    )
    return context


def fingerprint(session, language):
    """Changes whenever anything the report shows changes, so a rendering can be reused."""
    latest = Preparation.objects.filter(session=session).aggregate(latest=Max("updated_at"))
    return "report:{}:{}:{}:{}:{}".format(
        session.pk,
        session.version,
        session.updated_at.timestamp(),
        latest["latest"].timestamp() if latest["latest"] else 0,
        language,
    )


def render_report(session, *, language=None):
    """The report as PDF bytes, in ``language`` (default: the active language)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = fingerprint(session, language)
    pdf = cache.get(key)
    if pdf is None:
        with translation.override(language):
            html = render_to_string("dialogue_sessions/report/report.html", report_context(session))
        document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticOnlyFetcher())
        with cyclic_gc_paused():
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def report_filename(session, language):
    from django.utils.text import slugify

    return f"sms-{slugify(session.community.name)}-{slugify(session.title)}-{language}.pdf"
