"""The joint PDF report (WeasyPrint): the same document from the web page and the command.

WeasyPrint never touches the network: ``StaticOnlyFetcher`` serves the project's
own static files and refuses every other URL. What the report shows follows the
same phase rules as the pages: it exists from the joint dialogue on; before then
``render_report`` raises ``ReportNotAvailable`` and the page says why.

The layout is a handout for the evaluation meeting: page 1 is the cover with the
summary (joint motives, agreements, main figures), then the list of organisations,
the cluster charts, one overview matrix, and the intended outcomes per cluster and
motive, set as running text rather than one table row per answer.
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
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from sessions.charts.rounds import movement_chart
from sessions.comparison import present
from sessions.comparison.matrix import build_comparison
from sessions.dialogue.deciding import MOVEMENT_IN_REPORT, movement
from sessions.dialogue.selectors import joint_results
from sessions.lifecycle.progress import session_progress
from sessions.models import DialogueSession, Preparation
from sessions.policy import phases
from sessions.report.gc_pause import cyclic_gc_paused
from sms_tool.errors import DomainError

logger = logging.getLogger(__name__)

STATIC_PREFIX = "https://sms-tool.invalid/static/"
LOGO_URL = "https://sms-tool.invalid/community-logo"
CACHE_SECONDS = 60 * 60

# The overview matrix: one table of every motive by every organisation. Up to
# PORTRAIT_COLUMNS organisations it fits an A4 page upright; beyond, it gets a page in
# landscape. Header labels are the organisations' numbers from the list of organisations
# (full names only up to NAMES_IN_HEADER), and a table holds at most COLUMNS_PER_TABLE
# organisations, so every header cell is at least MIN_COLUMN_MM wide: room for a
# two-digit number in its type size, so no two headers can ever overlap.
NAMES_IN_HEADER = 4
PORTRAIT_COLUMNS = 10
COLUMNS_PER_TABLE = 30
PAGE_WIDTH_MM = {"portrait": 210 - 2 * 14, "landscape": 297 - 2 * 14}
MOTIVE_COLUMN_MM = {"portrait": 56, "landscape": 62}
CATEGORY_COLUMN_MM = {"portrait": 26, "landscape": 34}
MIN_COLUMN_MM = 5.5


class ReportNotAvailable(DomainError):
    """The report exists from the joint dialogue on: before then it would show nothing."""


def not_available_message() -> str:
    return _(
        "The joint report is available once the joint dialogue has opened. Until then "
        "the organisations' answers are private, so there is nothing to report yet."
    )


class StaticOnlyFetcher(URLFetcher):
    """Serves files found by the staticfiles finders under STATIC_PREFIX, and the
    community's logo at LOGO_URL when given; refuses the rest."""

    def __init__(self, *args, logo_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.logo_path = logo_path

    def fetch(self, url, headers=None):
        path = None
        if url.startswith(STATIC_PREFIX):
            try:
                path = finders.find(url.removeprefix(STATIC_PREFIX).split("?")[0])
            except SuspiciousFileOperation:
                path = None  # "../" out of the static folders
        elif url == LOGO_URL and self.logo_path:
            path = self.logo_path
        if path:
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        logger.warning("The PDF report refused to fetch %s", url)
        raise ValueError(f"The report only loads its own static files, not {url}")


def matrix_layout(columns: int) -> dict:
    """Orientation, column widths (mm) and column groups of the overview matrix."""
    orientation = "portrait" if columns <= PORTRAIT_COLUMNS else "landscape"
    per_table = min(columns, COLUMNS_PER_TABLE) or 1
    free = (
        PAGE_WIDTH_MM[orientation] - MOTIVE_COLUMN_MM[orientation] - CATEGORY_COLUMN_MM[orientation]
    )
    groups = [
        list(range(start, min(start + COLUMNS_PER_TABLE, columns)))
        for start in range(0, columns, COLUMNS_PER_TABLE)
    ] or [[]]
    return {
        "orientation": orientation,
        "motive_mm": MOTIVE_COLUMN_MM[orientation],
        "category_mm": CATEGORY_COLUMN_MM[orientation],
        "column_mm": round(free / per_table, 2),
        "groups": groups,
        "names_in_header": columns <= NAMES_IN_HEADER,
    }


def _overview_tables(comparison, layout) -> list[dict]:
    """The matrix as tables of at most COLUMNS_PER_TABLE organisations, rows by cluster."""
    rows = present.matrix_rows(comparison.rows, comparison)
    by_motive = {item["row"].motive.pk: item for item in rows}
    tables = []
    for group in layout["groups"]:
        columns = [(index + 1, comparison.columns[index]) for index in group]
        sides = [
            (side, label, sum(1 for _n, column in columns if column.partner_type == side))
            for side, label in (
                ("education", _("Education partners")),
                ("practice", _("Practice partners")),
            )
        ]
        tables.append(
            {
                "columns": columns,
                "sides": [side for side in sides if side[2]],
                "clusters": [
                    {
                        "cluster": cluster,
                        "rows": [
                            {
                                "row": row,
                                "cells": [
                                    by_motive[row.motive.pk]["cells"][index] for index in group
                                ],
                            }
                            for row in cluster_rows
                        ],
                    }
                    for cluster, cluster_rows in comparison.clusters()
                ],
                "span": len(columns) + 2,
            }
        )
    return tables


REPORT_TWO_COLUMNS_UP_TO = 3  # rounds: the movement chart's two columns fit the page width


def report_context(session):
    """Everything the report template needs, in the active language."""
    session = (
        DialogueSession.objects.select_related("community", "previous")
        .prefetch_related("facilitators")
        .get(pk=session.pk)
    )
    if session.phase not in phases.JOINT_PHASES:
        raise ReportNotAvailable(not_available_message())
    comparison = build_comparison(session)
    numbers = {column.organisation_id: n for n, column in enumerate(comparison.columns, 1)}
    progress = session_progress(session)
    layout = matrix_layout(len(comparison.columns))
    overview = present.overview(comparison)
    shares = {
        item.column.organisation_id: item.percents for item in overview["organisation_shares"]
    }
    # Only from three rounds on, and only the motives that moved most: the report stays short.
    moved = movement(session, limit=MOVEMENT_IN_REPORT)
    return {
        "session": session,
        "community": session.community,
        "logo_url": LOGO_URL if session.community.logo else "",
        "facilitators": list(session.facilitators.all()),
        "static_prefix": STATIC_PREFIX,
        "comparison": comparison,
        **overview,
        "clusters": [cluster for cluster, _rows in comparison.clusters()],
        **joint_results(session),
        "figures": present.summary_figures(comparison),
        "education_count": len(comparison.education_columns),
        "practice_count": len(comparison.practice_columns),
        "organisations": sorted(
            (
                {
                    "number": numbers.get(row.organisation.pk),
                    "organisation": row.organisation,
                    "progress": row,
                    "shares": shares.get(row.organisation.pk, []),
                }
                for row in progress
            ),
            key=lambda item: (
                item["number"] is None,
                item["number"] or 0,
                item["organisation"].name,
            ),
        ),
        "not_submitted": [row for row in progress if row.organisation.pk not in numbers],
        "matrix": layout,
        "tables": _overview_tables(comparison, layout),
        "details": [
            {
                "cluster": cluster,
                "rows": [
                    {
                        "motive": row.motive,
                        "category_label": row.category_label,
                        "outcomes": [
                            (cell.column.name, numbers[cell.column.organisation_id], cell)
                            for cell in row.outcomes
                        ],
                    }
                    for row in rows
                    if row.outcomes
                ],
            }
            for cluster, rows in comparison.clusters()
        ],
        "has_other_motives": any(comparison.other_motives.values()),
        "movement": moved,
        "movement_chart": (
            # two columns of rows side by side while the rounds are few enough to fit
            movement_chart(
                moved,
                prefix="sms-report-rounds",
                columns=2 if len(moved["rounds"]) <= REPORT_TWO_COLUMNS_UP_TO else 1,
            )
            if moved["rows"]
            else ""
        ),
    }


def fingerprint(session: DialogueSession, language: str) -> str:
    """Changes whenever anything the report shows changes, so a rendering can be reused."""
    latest = Preparation.objects.filter(session=session).aggregate(latest=Max("updated_at"))
    return "report:{}:{}:{}:{}:{}:{}".format(
        session.pk,
        session.version,
        session.updated_at.timestamp(),
        latest["latest"].timestamp() if latest["latest"] else 0,
        # a new logo has a new (random) file name
        session.community.logo.name or "-",
        language,
    )


PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def render_document(session, *, language):
    """The laid-out report (a WeasyPrint ``Document``): pages and boxes, not yet PDF."""
    with translation.override(language):
        html = render_to_string("dialogue_sessions/report/report.html", report_context(session))
    logo = session.community.logo
    document = HTML(
        string=html,
        base_url=STATIC_PREFIX,
        url_fetcher=StaticOnlyFetcher(logo_path=logo.path if logo else None),
    )
    return document.render(**PDF_OPTIONS)


def render_report(session: DialogueSession, *, language: str | None = None) -> bytes:
    """The report as PDF bytes, in ``language`` (default: the active language).

    Raises ``ReportNotAvailable`` before the joint dialogue.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = fingerprint(session, language)
    pdf = cache.get(key)
    if pdf is None:
        with cyclic_gc_paused():
            pdf = render_document(session, language=language).write_pdf(**PDF_OPTIONS)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def report_filename(session, language):
    from django.utils.text import slugify

    return f"sms-{slugify(session.community.name)}-{slugify(session.title)}-{language}.pdf"
