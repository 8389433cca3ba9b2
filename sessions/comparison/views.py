"""The Fase 2 comparison: the matrix page, the presentation mode and its polled state.

All three read ``build_comparison`` (a constant number of queries, whatever the
number of organisations) and show it through ``sessions.comparison.present``, the
presenter the PDF report uses too.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sessions.comparison import present
from sessions.comparison.forms import ComparisonFilterForm
from sessions.comparison.matrix import MIN_ORGANISATIONS, build_comparison
from sessions.comparison.prompts import general_prompts
from sessions.dialogue.deciding import positions_slide
from sessions.dialogue.selectors import joint_results
from sessions.policy import phases
from sessions.policy.access import require, session_for

POLL_SECONDS = 5


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


@login_required
@require_GET
def session_comparison(request, pk):
    session, roles, comparison = _comparison_for(request, pk)
    template = "dialogue_sessions/comparison/page.html"
    if not comparison.enough:
        return _not_enough(request, session, roles, comparison, template)
    clusters = [cluster for cluster, _rows in comparison.clusters()]
    filters, form, ignored = ComparisonFilterForm.read(request.GET, clusters=clusters)
    if ignored:
        messages.warning(request, _("A filter value was not recognised and has been ignored."))
    rows = comparison.filtered(**filters)
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
                {"cluster": cluster, "rows": present.matrix_rows(cluster_rows, comparison)}
                for cluster, cluster_rows in comparison.clusters(rows)
            ],
            "general_prompts": general_prompts(),
            "clusters": clusters,
            **present.overview(comparison),
            **present.matrix_layout(comparison),
        },
    )


# --- presentation mode --------------------------------------------------------


def _recorded(session):
    """What the panel "Recorded so far" shows: joint motives and agreements."""
    return {"session": session, **joint_results(session, with_notes=False)}


RECORDED = "recorded"  # the slide after the clusters: joint motives and agreements so far
POSITIONS = "positions"  # each item's agree/abstain/object counts and the objections' reasons
CHANGES = "changes"  # and then, from round 2 on, the changes since the previous round


def _slides(comparison, *, positions: bool) -> list[dict]:
    """The presentation's slides in order: one per cluster, what was recorded, the
    positions (when the person may see them), the changes."""
    slides = [
        {
            "kind": "cluster",
            "query": "cluster=" + quote(cluster.code),
            "cluster": cluster,
            "rows": rows,
            "label": cluster.label,
        }
        for cluster, rows in comparison.clusters()
    ]
    slides.append({"kind": RECORDED, "query": "slide=" + RECORDED, "label": _("Recorded so far")})
    if positions:
        slides.append({"kind": POSITIONS, "query": "slide=" + POSITIONS, "label": _("Positions")})
    if comparison.has_previous:
        slides.append(
            {
                "kind": CHANGES,
                "query": "slide=" + CHANGES,
                "label": _("Changes since the previous round"),
            }
        )
    return slides


def _slide_index(request, slides) -> int:
    wanted = request.GET.get("slide", "")
    cluster = request.GET.get("cluster", "")
    for index, slide in enumerate(slides):
        if slide["kind"] == "cluster" and cluster and slide["cluster"].code == cluster:
            return index
        if slide["kind"] != "cluster" and wanted == slide["kind"]:
            return index
    return 0


@login_required
@require_GET
def session_present(request, pk):
    session, roles, comparison = _comparison_for(request, pk)
    template = "dialogue_sessions/comparison/present.html"
    if not comparison.enough:
        return _not_enough(request, session, roles, comparison, template)
    slides = _slides(comparison, positions=phases.can_view_positions(roles, session))
    index = _slide_index(request, slides)
    slide = slides[index]
    cluster_count = sum(1 for item in slides if item["kind"] == "cluster")
    context = {
        "session": session,
        "roles": roles,
        "comparison": comparison,
        "enough": True,
        "slide": slide,
        "number": index + 1,
        "slide_count": len(slides),
        "cluster_count": cluster_count,
        "previous_slide": slides[index - 1] if index > 0 else None,
        "next_slide": slides[index + 1] if index + 1 < len(slides) else None,
        "poll_seconds": POLL_SECONDS,
        **present.matrix_layout(comparison, dense_from=present.PRESENT_DENSE_FROM),
        **_recorded(session),
    }
    if slide["kind"] == "cluster":
        rows = slide["rows"]
        context.update(
            {
                "cluster": slide["cluster"],
                "groups": [
                    {"cluster": slide["cluster"], "rows": present.matrix_rows(rows, comparison)}
                ],
                "questions": present.prompts_by_question(rows, comparison),
                **present.cluster_chart(comparison, slide["cluster"], prefix="sms-present-chart"),
            }
        )
    elif slide["kind"] == POSITIONS:
        context.update(positions_slide(session))
    elif slide["kind"] == CHANGES:
        context["changes"] = present.changes(comparison)
    return render(request, template, context)


@never_cache
@login_required
@require_GET
def session_present_state(request, pk):
    """The session's version, and the panel "Recorded so far" when it changed since ``?version=``
    (with ``?slide=positions``, the positions slide instead).

    The same protocol as the Quick Scan's results (``quickscan_results_state``): a
    projector that is up to date gets a few bytes, not the panel again.
    """
    session, roles = session_for(request.user, pk)
    require(phases.can_view_comparison(roles, session))
    state = {"version": session.version}
    if request.GET.get("version") != str(session.version):
        if request.GET.get("slide") == POSITIONS and phases.can_view_positions(roles, session):
            template, context = "present_positions.html", positions_slide(session)
        else:
            template, context = "present_panel.html", _recorded(session)
        state["html"] = render_to_string(
            "dialogue_sessions/comparison/" + template, context, request=request
        )
    return JsonResponse(state)
