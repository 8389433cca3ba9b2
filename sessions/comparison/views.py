"""The Fase 2 comparison: the matrix page, the presentation mode and its polled state.

All three read ``sessions.comparison.build_comparison`` (a constant number of
queries, whatever the number of organisations) and draw their pictures with
``sessions.charts``, the same SVG the PDF report embeds.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partnerships.models import PartnerType
from sessions.charts import clusters as charts
from sessions.comparison.matrix import (
    CATEGORIES,
    CATEGORY_LABELS,
    MIN_ORGANISATIONS,
    build_comparison,
)
from sessions.comparison.prompts import general_prompts, prompts_for
from sessions.policy import phases
from sessions.policy.access import require, session_for

POLL_SECONDS = 5


class ComparisonFilterForm(forms.Form):
    """The page's filters, read from the query string; a bad value is dropped, never a 500."""

    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    cluster = forms.ChoiceField(label=gettext_lazy("Cluster"), required=False)
    partner_type = forms.ChoiceField(label=gettext_lazy("Named by"), required=False)

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (code, CATEGORY_LABELS[code]) for code in CATEGORIES
        ]
        self.fields["cluster"].choices = [("", _("All clusters"))] + [
            (cluster.code, cluster.label) for cluster in clusters
        ]
        self.fields["partner_type"].choices = [
            ("", _("Any organisation")),
            (PartnerType.EDUCATION, _("Education partners")),
            (PartnerType.PRACTICE, _("Practice partners")),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    @classmethod
    def read(cls, query, *, clusters):
        """(filters, form to show, whether something was ignored) for the query string."""
        names = ("category", "cluster", "partner_type")
        data = {name: query.get(name, "") for name in names}
        form = cls(data, clusters=clusters)
        form.is_valid()
        filters = {name: form.cleaned_data.get(name) or "" for name in names}
        ignored = any(data[name] and not filters[name] for name in names)
        return filters, cls(filters, clusters=clusters), ignored


def _comparison_for(request, pk):
    session, roles = session_for(request.user, pk)
    require(phases.can_view_comparison(roles, session))
    return session, roles, build_comparison(session)


def _not_enough(request, session, roles, comparison, template):
    preparations = list(session.preparations.select_related("organisation"))
    return render(
        request,
        template,
        {
            "session": session,
            "roles": roles,
            "comparison": comparison,
            "enough": False,
            "minimum": MIN_ORGANISATIONS,
            "submitted": [p for p in preparations if p.submitted],
            "waiting": [p for p in preparations if not p.submitted],
        },
    )


DENSE_FROM = 7  # from this many organisations the column headers are turned upright
PRESENT_DENSE_FROM = 5  # in large type, sooner


def _matrix_context(comparison, *, dense_from=DENSE_FROM):
    return {
        "dense": len(comparison.columns) >= dense_from,
        "span": len(comparison.columns) + 3,  # motive, organisations, category, counts
        # the first practice column, where a line separates the two sides
        "boundary": len(comparison.education_columns) if comparison.education_columns else -1,
    }


def _cell_state(cell):
    if not cell.offered:
        return "na"
    if cell.applies is None:
        return "open"
    return "yes" if cell.applies else "no"


def _matrix_rows(rows, comparison):
    """The rows as plain dicts for the template.

    With 30 organisations the matrix has hundreds of cells; dict lookups (and one
    shared dict per distinct look of a cell) keep its rendering time low.
    """
    boundary = _matrix_context(comparison)["boundary"]
    shared = {}  # one dict per distinct look of a cell
    items = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row.cells):
            key = (
                _cell_state(cell),
                cell.change if comparison.has_previous else None,
                cell.column.partner_type,
                index == boundary,
            )
            if key not in shared:
                state, change, side, first_practice = key
                css = f"cmp-cell cmp-cell-{side}" + (" cmp-boundary" if first_practice else "")
                shared[key] = {"state": state, "change": change, "css": css}
            cells.append(shared[key])
        items.append(
            {
                "row": row,
                "cells": cells,
                "prompts": prompts_for(row, comparison),
                "outcomes": [
                    {"name": cell.column.name, "text": cell.intended_outcome}
                    for cell in row.outcomes
                ],
            }
        )
    return items


def _changes(comparison):
    """Per organisation: motives added and dropped since the previous round, if there was one."""
    if not comparison.has_previous:
        return []
    changes = comparison.changes()
    first_row = comparison.rows[0].cells if comparison.rows else []
    took_part = {cell.column.organisation_id for cell in first_row if cell.in_previous_round}
    return [
        {
            "column": column,
            "took_part_before": column.organisation_id in took_part,
            **changes[column.organisation_id],
        }
        for column in comparison.columns
    ]


@login_required
@require_GET
def session_comparison(request, pk):
    session, roles, comparison = _comparison_for(request, pk)
    template = "dialogue_sessions/comparison.html"
    if not comparison.enough:
        return _not_enough(request, session, roles, comparison, template)
    clusters = [cluster for cluster, _rows in comparison.clusters()]
    filters, form, ignored = ComparisonFilterForm.read(request.GET, clusters=clusters)
    if ignored:
        messages.warning(request, _("A filter value was not recognised and has been ignored."))
    rows = comparison.filtered(**filters)
    counts = comparison.category_counts()
    return render(
        request,
        template,
        {
            "session": session,
            "roles": roles,
            "comparison": comparison,
            "enough": True,
            "form": form,
            "filtered": any(filters.values()),
            "shown": len(rows),
            "total": len(comparison.rows),
            "groups": [
                {"cluster": cluster, "rows": _matrix_rows(cluster_rows, comparison)}
                for cluster, cluster_rows in comparison.clusters(rows)
            ],
            "category_counts": [
                {"code": code, "label": CATEGORY_LABELS[code], "count": counts[code]}
                for code in CATEGORIES
            ],
            "general_prompts": general_prompts(),
            "organisation_chart": charts.organisation_cluster_chart(comparison),
            "organisation_shares": charts.organisation_shares(comparison),
            "side_chart": charts.side_cluster_chart(comparison),
            "side_shares": charts.side_shares(comparison),
            "clusters": clusters,
            "other_motives": [
                (column, comparison.other_motives.get(column.organisation_id, []))
                for column in comparison.columns
            ],
            "changes": _changes(comparison),
            **_matrix_context(comparison),
        },
    )


# --- presentation mode --------------------------------------------------------


def _recorded(session):
    """What the panel "Recorded so far" shows: joint motives and agreements."""
    return {
        "session": session,
        "joint_motives": list(session.joint_motives.select_related("motive")),
        "agreements": list(session.agreements.all()),
    }


def _prompts_by_question(rows, comparison):
    """The cluster's prompts, each once, with the motives it concerns."""
    questions = {}
    for row in rows:
        for prompt in prompts_for(row, comparison):
            questions.setdefault(str(prompt), []).append(row.motive)
    return [{"prompt": prompt, "motives": motives} for prompt, motives in questions.items()]


@login_required
@require_GET
def session_present(request, pk):
    session, roles, comparison = _comparison_for(request, pk)
    template = "dialogue_sessions/present.html"
    if not comparison.enough:
        return _not_enough(request, session, roles, comparison, template)
    groups = comparison.clusters()
    codes = [cluster.code for cluster, _rows in groups]
    requested = request.GET.get("cluster", "")
    index = codes.index(requested) if requested in codes else 0
    cluster, rows = groups[index]
    return render(
        request,
        template,
        {
            "session": session,
            "roles": roles,
            "comparison": comparison,
            "enough": True,
            "cluster": cluster,
            "number": index + 1,
            "cluster_count": len(groups),
            "previous_cluster": groups[index - 1][0] if index > 0 else None,
            "next_cluster": groups[index + 1][0] if index + 1 < len(groups) else None,
            "groups": [{"cluster": cluster, "rows": _matrix_rows(rows, comparison)}],
            "questions": _prompts_by_question(rows, comparison),
            "side_chart": charts.side_cluster_chart(
                comparison, cluster_codes={cluster.code}, prefix="sms-present-chart"
            ),
            "side_shares": charts.side_shares(comparison, {cluster.code}),
            "poll_seconds": POLL_SECONDS,
            **_matrix_context(comparison, dense_from=PRESENT_DENSE_FROM),
            **_recorded(session),
        },
    )


@never_cache
@login_required
@require_GET
def session_present_state(request, pk):
    """The panel "Recorded so far" and the session's version, polled by present.js."""
    session, roles = session_for(request.user, pk)
    require(phases.can_view_comparison(roles, session))
    html = render_to_string(
        "dialogue_sessions/present_panel.html", _recorded(session), request=request
    )
    response = JsonResponse({"version": session.version, "html": html})
    return response
