"""The coordinator's schedule pages: the preparation deadline and the follow-up (agreements' due
dates, the review date), each with the mails to come."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sessions.policy import access, phases
from sessions.schedule import services
from sessions.schedule.forms import DeadlineForm, ReviewDateForm
from sessions.schedule.selectors import (
    planned_agreement_reminders,
    planned_reminders,
    review_moment,
    review_recipients,
)
from sms_tool.errors import DomainError, show_in_form


@login_required
@require_http_methods(["GET", "POST"])
def session_deadline(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_edit_session_details(roles, session))
    form = DeadlineForm(
        request.POST if request.method == "POST" else None,
        initial={"preparation_deadline": session.preparation_deadline},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_set(
                session=session, by=request.user, deadline=form.cleaned_data["preparation_deadline"]
            )
        except DomainError as error:
            show_in_form(form, error)
        else:
            messages.success(request, _("The deadline has been saved."))
            return redirect("session_deadline", pk=session.pk)
    return render(
        request,
        "dialogue_sessions/schedule/deadline.html",
        {"session": session, "form": form, "reminders": planned_reminders(session)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_follow_up(request, pk):
    """The review date, and the reminders to owners of agreements that are to come."""
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_plan_follow_up(roles, session))
    form = ReviewDateForm(
        request.POST if request.method == "POST" else None,
        initial={"review_date": session.review_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_date_set(
                session=session, by=request.user, review_date=form.cleaned_data["review_date"]
            )
        except DomainError as error:
            show_in_form(form, error)
        else:
            messages.success(request, _("The review date has been saved."))
            return redirect("session_follow_up", pk=session.pk)
    review_at = review_moment(session.review_date) if session.review_date else None
    return render(
        request,
        "dialogue_sessions/schedule/follow_up.html",
        {
            "session": session,
            "form": form,
            "agreement_reminders": planned_agreement_reminders(session),
            "review_at": review_at if review_at and review_at > timezone.now() else None,
            "review_recipients": review_recipients(session),
        },
    )
