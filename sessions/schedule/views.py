"""The coordinator's deadline page: set the preparation deadline and see the reminders to come."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sessions.policy import access, phases
from sessions.schedule import services
from sessions.schedule.forms import DeadlineForm
from sessions.schedule.selectors import planned_reminders
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
