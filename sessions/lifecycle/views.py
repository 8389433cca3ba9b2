"""The home page, the session page for everyone in a session, and the coordinator's pages.

Objects come from ``sessions.policy.access`` and every decision from
``sessions.policy.phases``:
anyone without a role in the session gets 404, and so does anyone asking for
a coordinator page who is not a coordinator of it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnerships.access import community_for_coordinator
from sessions.lifecycle import services
from sessions.lifecycle.forms import SessionEditForm, SessionForm
from sessions.lifecycle.progress import session_progress
from sessions.lifecycle.selectors import my_sessions, sessions_for_person
from sessions.models import Phase
from sessions.policy import access, phases
from sms_tool.errors import DomainError, show_in_form

SESSIONS_PER_PAGE = 20


def home(request):
    context = {}
    if request.user.is_authenticated:
        page = Paginator(sessions_for_person(request.user), SESSIONS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = {"page": page, "rows": my_sessions(request.user, page.object_list)}
    return render(request, "dialogue_sessions/lifecycle/home.html", context)


def phase_steps(session):
    """The five phases in order, each marked done, current or upcoming."""
    current = phases.phase_index(session.phase)
    steps = []
    for index, phase in enumerate(phases.ORDER):
        if index < current:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "upcoming"
        steps.append({"number": index + 1, "label": Phase(phase).label, "state": state})
    return steps


def _phase_label(phase):
    return Phase(phase).label if phase else None


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    community = community_for_coordinator(request.user, pk)
    form = SessionForm(request.POST if request.method == "POST" else None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                community=community,
                by=request.user,
                title=data["title"],
                date=data["date"],
                organisations=list(data["organisations"]),
                facilitators=list(data["facilitators"]),
                catalogue=data["catalogue"],
            )
        except DomainError as error:
            show_in_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Session “%(title)s” created as a draft. Invite people, then open the "
                    "preparation when everything is ready."
                )
                % {"title": session.title},
            )
            return redirect("session_detail", pk=session.pk)
    return render(
        request,
        "dialogue_sessions/lifecycle/session_form.html",
        {"form": form, "community": community, "session": None},
    )


@login_required
def session_detail(request, pk):
    session, roles = access.session_for(request.user, pk)
    can_see_progress = phases.can_see_progress(roles)
    if can_see_progress:
        rows = session_progress(session)
        own_rows = [row for row in rows if roles.is_member_of(row.organisation.pk)]
    else:
        rows = []
        own_rows = session_progress(
            session, organisation_ids=roles.organisation_ids | roles.guided_organisation_ids
        )
    own_cards = [
        {
            "row": row,
            "can_view": phases.can_view_preparation(roles, session, row.preparation),
            "can_edit": phases.can_edit_preparation(roles, session, row.preparation),
        }
        for row in own_rows
    ]
    next_phase = phases.next_phase(session.phase)
    stage = phases.Stage(session.phase)
    return render(
        request,
        "dialogue_sessions/lifecycle/session_detail.html",
        {
            "session": session,
            "stage": stage,
            "roles": roles,
            "steps": phase_steps(session),
            "can_see_progress": can_see_progress,
            "rows": rows,
            "submitted_count": sum(1 for row in rows if row.submitted),
            "own_cards": own_cards,
            "can_edit_details": phases.can_edit_session_details(roles, session),
            "can_invite": phases.can_invite(roles, session),
            "can_advance": phases.can_advance(roles, session),
            "can_view_comparison": phases.can_view_comparison(roles, session),
            "can_view_joint_results": phases.can_view_joint_results(roles, session),
            "can_view_review": phases.can_view_review(roles, session),
            "can_start_next_round": phases.can_start_next_round(roles, session),
            "can_download_report": phases.can_download_report(roles, session),
            "can_export_session": phases.can_export_session(roles, session),
            "can_export_answers": phases.can_export_answers(roles, session),
            "next_phase_label": _phase_label(next_phase),
            "is_closed": session.phase == Phase.CLOSED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_edit_session_details(roles, session))
    form = SessionEditForm(
        request.POST if request.method == "POST" else None,
        initial=SessionEditForm.initial_for(session),
        community=session.community,
        can_change_participants=phases.can_change_participants(roles, session),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                session=session,
                by=request.user,
                title=data["title"],
                date=data["date"],
                organisations=list(data["organisations"]),
                facilitators=list(data["facilitators"]),
                version=data["version"],
                catalogue=data["catalogue"],
            )
        except DomainError as error:
            # The form stays bound to what was typed, so nothing is lost.
            show_in_form(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("session_detail", pk=session.pk)
    return render(
        request,
        "dialogue_sessions/lifecycle/session_form.html",
        {"form": form, "community": session.community, "session": session},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_phase(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_advance(roles, session))
    if request.method == "POST":
        try:
            new_phase = services.session_advance_phase(
                session=session, by=request.user, expected_phase=request.POST.get("expected_phase")
            )
        except DomainError as error:
            messages.error(request, error.message)
            session.refresh_from_db(fields=["phase"])
            if phases.can_advance(roles, session):
                return redirect("session_phase", pk=session.pk)
            return redirect("session_detail", pk=session.pk)
        messages.success(
            request,
            _("The session is now in the phase “%(phase)s”.") % {"phase": Phase(new_phase).label},
        )
        return redirect("session_detail", pk=session.pk)

    rows = session_progress(session)
    submitted = [row for row in rows if row.submitted]
    next_phase = phases.next_phase(session.phase)
    return render(
        request,
        "dialogue_sessions/lifecycle/session_phase.html",
        {
            "session": session,
            "steps": phase_steps(session),
            "current_label": _phase_label(session.phase),
            "next_phase": next_phase,
            "next_stage": phases.Stage(next_phase) if next_phase else None,
            "next_label": _phase_label(next_phase),
            "rows": rows,
            "submitted_count": len(submitted),
            "not_submitted": [row for row in rows if not row.submitted],
            "without_members": [row for row in rows if not row.members],
            "minimum": phases.MIN_SUBMITTED_FOR_DIALOGUE,
            "too_few_organisations": next_phase == Phase.PREPARATION
            and len(rows) < services.MIN_ORGANISATIONS,
            "can_confirm": phases.can_open_next_phase(
                roles, session, submitted_count=len(submitted)
            )
            and not (next_phase == Phase.PREPARATION and len(rows) < services.MIN_ORGANISATIONS),
        },
    )
