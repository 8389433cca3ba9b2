"""The cross-case research view: the article's Tables 3-6 over this installation's cases.

Researchers only (``sessions.policy.people.can_view_research``); anyone else signed in
gets 404. The page and its CSV and XLSX downloads read the same parameters and the
same computation as the ``cross_case`` command (``sessions.cross_case``), in a
constant number of queries whatever the number of cases. Only learning communities
whose coordinator agreed to the research view are cases; the page says that rule but
never how many or which communities it leaves out (see docs/research.md).
"""

import csv
import io
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET

from audit import events as audit
from partnerships.models import PartnerType
from sessions.interchange.tables import xlsx_workbook
from sessions.policy.access import require
from sessions.policy.people import can_view_research
from sessions.research.cross_case import (
    build_cross_case,
    latest_dialogue_sessions,
    percent_shown,
)
from sessions.research.forms import read_parameters
from sms_tool.http import CSV, XLSX, attachment


def _candidates(request):
    """Every case a researcher may choose; 404 for anyone who is not a researcher."""
    require(can_view_research(request.user))
    return latest_dialogue_sessions()


def _percent_number(fraction):
    """75 for 3/4, 62.5 for 5/8: the threshold as a percentage, exactly (it has four decimals)."""
    percent = fraction * 100
    if percent.denominator == 1:
        return int(percent)
    return Decimal(percent.numerator) / Decimal(percent.denominator)


SIDE_LABELS = {
    # The article's column headings: WV (werkveld) and OPL (opleiding).
    PartnerType.PRACTICE: lambda: pgettext("short column heading; Dutch: WV", "Practice"),
    PartnerType.EDUCATION: lambda: pgettext("short column heading; Dutch: OPL", "Education"),
}


def _cell(mark, threshold, *, first):
    css = "rc-cell" + (" rc-case-start" if first else "") + (" rc-few" if mark.small_n else "")
    if not mark.offered:
        side = (
            _("Not offered to practice partners")
            if mark.side == PartnerType.PRACTICE
            else _("Not offered to education partners")
        )
        return {"state": "na", "css": css, "title": side}
    if not mark.organisations:
        return {"state": "empty", "css": css, "title": _("no organisations")}
    title = ngettext(
        "%(named)d of %(count)d organisation",
        "%(named)d of %(count)d organisations",
        mark.organisations,
    ) % {"named": mark.named, "count": mark.organisations}
    return {
        "state": "marked" if mark.marked else "share",
        "css": css + (" rc-marked" if mark.marked else ""),
        "title": title,
        "percent": percent_shown(mark, threshold),
    }


def _table(result, *, marked_only):
    """Header and body of the table as plain dicts for the template."""
    threshold = result.threshold
    rows = result.marked_rows() if marked_only else result.rows
    groups = []
    for cluster, cluster_rows in result.clusters(rows):
        items = []
        for motive, marks in cluster_rows:
            cells = [
                _cell(mark, threshold, first=index % len(SIDE_LABELS) == 0)
                for index, mark in enumerate(marks)
            ]
            items.append({"motive": motive, "cells": cells})
        groups.append({"cluster": cluster, "rows": items})
    cases = [
        {
            "case": case,
            "sides": [
                {
                    "label": SIDE_LABELS[side](),
                    "count": case.organisations(side),
                    "side": side,
                    "small_n": case.small_n(side),
                }
                for side in SIDE_LABELS
            ],
        }
        for case in result.cases
    ]
    return {
        "cases": cases,
        "groups": groups,
        "span": 1 + len(result.cases) * len(SIDE_LABELS),
        "shown": len(rows),
        "total": len(result.rows),
    }


@login_required
@require_GET
def research_cross_case(request):
    candidates = _candidates(request)
    parameters = read_parameters(request.GET, candidates)
    context = {
        "form": parameters.form,
        "valid": parameters.valid,
        "candidates": candidates,
    }
    if parameters.valid and parameters.sessions:
        result = build_cross_case(parameters.sessions, threshold=parameters.threshold)
        context.update(
            result=result,
            threshold_percent=_percent_number(result.threshold),
            marked_only=parameters.marked_only,
            csv_url=reverse("research_cross_case_csv") + "?" + parameters.query_string(),
            xlsx_url=reverse("research_cross_case_xlsx") + "?" + parameters.query_string(),
            # Plain text, so the template escapes the "<".
            few_text=_("n < 3: a share may describe one or two organisations"),
            **_table(result, marked_only=parameters.marked_only),
        )
    return render(request, "dialogue_sessions/research/cross_case.html", context)


def _download_result(request):
    """The result for the page's parameters, or the redirect back to the page that explains."""
    parameters = read_parameters(request.GET, _candidates(request))
    if not parameters.valid:
        return None, redirect(reverse("research_cross_case") + "?" + request.GET.urlencode())
    return build_cross_case(parameters.sessions, threshold=parameters.threshold), None


@login_required
@require_GET
def research_cross_case_csv(request):
    """The command's CSV for the page's parameters; bad parameters go back to the page."""
    result, back = _download_result(request)
    if back:
        return back
    audit.download(request, kind="csv", what="cross-case research")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(result.csv_rows())
    return attachment(
        buffer.getvalue().encode("utf-8"), content_type=CSV, filename="sms-cross-case.csv"
    )


def cross_case_xlsx(result):
    """The CSV's rows as one sheet with a bold header; numbers stay numbers."""
    header, *rows = result.csv_rows()
    return xlsx_workbook(header, rows, title="Cross-case")


@login_required
@require_GET
def research_cross_case_xlsx(request):
    """The same rows as the CSV, as a spreadsheet; bad parameters go back to the page."""
    result, back = _download_result(request)
    if back:
        return back
    audit.download(request, kind="xlsx", what="cross-case research")
    return attachment(cross_case_xlsx(result), content_type=XLSX, filename="sms-cross-case.xlsx")
