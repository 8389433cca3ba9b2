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
import math
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET

from audit import events as audit
from partnerships.models import PartnerType, Setting
from sessions.interchange.tables import xlsx_workbook
from sessions.policy.access import require
from sessions.policy.people import can_view_research
from sessions.research.article import article_groups, article_row
from sessions.research.cross_case import (
    BySetting,
    build_cross_case,
    grouped,
    latest_dialogue_sessions,
    percent_shown,
)
from sessions.research.forms import read_parameters
from sessions.research.qualitative import qualitative_rows
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


def _columns(result):
    """The column groups: one per case, or one per setting (with its cases below it)."""
    if isinstance(result, BySetting):
        heads = [
            {
                "title": Setting(group.setting).label
                if group.setting in Setting.values
                else group.setting,
                "subtitle": ", ".join(
                    case.sector or case.learning_community for case in group.cases
                ),
                "source": group,
            }
            for group in result.groups
        ]
    else:
        heads = [
            {
                "title": case.sector or case.learning_community,
                "subtitle": case.learning_community if case.sector else "",
                "source": case,
            }
            for case in result.cases
        ]
    for head in heads:
        source = head.pop("source")
        head["sides"] = [
            {
                "label": SIDE_LABELS[side](),
                "count": source.organisations(side),
                "needed": _needed(source.organisations(side), result.threshold),
                "side": side,
                "small_n": source.small_n(side),
            }
            for side in SIDE_LABELS
        ]
    return heads


def _needed(organisations, threshold):
    """How many of n organisations must name a motive for a mark: ceil(threshold x n)."""
    return math.ceil(threshold * organisations) if organisations else 0


def _row_groups(result, rows, grouping):
    if grouping == "article":
        return article_groups(rows)
    return [(cluster.label, cluster_rows) for cluster, cluster_rows in result.clusters(rows)]


def _table(result, *, marked_only, rows_as="catalogue"):
    """Header and body of the table as plain dicts for the template."""
    threshold = result.threshold
    rows = result.marked_rows() if marked_only else result.rows
    groups = []
    for label, group_rows in _row_groups(result, rows, rows_as):
        items = []
        for motive, marks in group_rows:
            cells = [
                _cell(mark, threshold, first=index % len(SIDE_LABELS) == 0)
                for index, mark in enumerate(marks)
            ]
            items.append({"motive": motive, "article": article_row(motive.code), "cells": cells})
        groups.append({"label": label, "rows": items})
    columns = _columns(result)
    return {
        "columns": columns,
        "groups": groups,
        "span": 1 + len(columns) * len(SIDE_LABELS),
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
        result = grouped(
            build_cross_case(parameters.sessions, threshold=parameters.threshold),
            parameters.group_by,
        )
        context.update(
            result=result,
            threshold_percent=_percent_number(result.threshold),
            marked_only=parameters.marked_only,
            csv_url=reverse("research_cross_case_csv") + "?" + parameters.query_string(),
            xlsx_url=reverse("research_cross_case_xlsx") + "?" + parameters.query_string(),
            # Plain text, so the template escapes the "<".
            few_text=_("n < 3: a share may describe one or two organisations"),
            group_by=parameters.group_by,
            cases=result.cases,
            qualitative_url=reverse("research_qualitative_csv") + "?" + parameters.query_string(),
            **_table(result, marked_only=parameters.marked_only, rows_as=parameters.rows),
        )
    return render(request, "dialogue_sessions/research/cross_case.html", context)


def _download_result(request):
    """The result for the page's parameters, or the redirect back to the page that explains."""
    parameters = read_parameters(request.GET, _candidates(request))
    if not parameters.valid:
        return None, redirect(reverse("research_cross_case") + "?" + request.GET.urlencode())
    result = build_cross_case(parameters.sessions, threshold=parameters.threshold)
    return grouped(result, parameters.group_by), None


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


@login_required
@require_GET
def research_qualitative_csv(request):
    """Intended outcomes and other motives of the page's cases, per case, side and motive."""
    parameters = read_parameters(request.GET, _candidates(request))
    if not parameters.valid:
        return redirect(reverse("research_cross_case") + "?" + request.GET.urlencode())
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(qualitative_rows(parameters.sessions))
    return attachment(
        buffer.getvalue().encode("utf-8"), content_type=CSV, filename="sms-qualitative.csv"
    )
