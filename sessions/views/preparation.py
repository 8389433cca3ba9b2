"""One organisation's format (Fase 1): fill in, save, submit, withdraw, read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnerships.errors import DomainError
from sessions import phases
from sessions.access import preparation_for, require
from sessions.forms import PreparationForm
from sessions.services.preparations import (
    PreparationConflict,
    offered_motives,
    preparation_save,
    preparation_submit,
    preparation_withdraw,
    unanswered_motives,
)
from sessions.services.rounds import previous_answers


@login_required
@require_http_methods(["GET", "POST"])
def preparation_detail(request, session_pk, pk):
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    motives = offered_motives(preparation)
    if request.method == "POST":
        # Only the organisation's members post here. If the format closed while they
        # typed (a colleague submitted, the phase moved on), their text comes back.
        require(roles.is_member_of(preparation.organisation_id))
        return _save(request, session, roles, preparation, motives)
    if not phases.can_edit_preparation(roles, session, preparation):
        return _read_only(request, session, roles, preparation, motives)
    form = PreparationForm(motives=motives, preparation=preparation)
    return _render_form(request, session, preparation, form)


def _save(request, session, roles, preparation, motives):
    form = PreparationForm(request.POST, motives=motives)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved yet: please correct the marked fields."))
        return _render_form(request, session, preparation, form, status=400)
    try:
        saved = preparation_save(
            preparation=preparation,
            by=request.user,
            answers=form.answers(),
            other_motives=form.other_motives(),
            base_version=form.cleaned_data["version"],
        )
    except PreparationConflict as conflict:
        return _render_conflict(request, session, preparation, motives, conflict)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_form(request, session, preparation, form, status=409, closed=True)
    if "submit" in request.POST:
        return redirect("preparation_submit", session.pk, saved.pk)
    messages.success(
        request,
        _("Your draft was saved at %(time)s.")
        % {"time": formats.time_format(timezone.localtime(saved.updated_at), "H:i")},
    )
    return redirect("preparation_detail", session.pk, saved.pk)


def _render_conflict(request, session, preparation, motives, conflict):
    current = conflict.current
    saved_values = PreparationForm.initial_from(current, motives)
    data = request.POST.copy()
    data["version"] = str(current.version)  # saving again now knowingly replaces theirs
    form = PreparationForm(data, motives=motives)
    form.is_valid()
    mine = [
        (o.text, o.cluster.pk if o.cluster else None, o.intended_outcome)
        for o in form.other_motives()
    ]
    theirs = list(current.other_motives.all())
    saved_others = None
    if mine != [(o.text, o.cluster_id, o.intended_outcome) for o in theirs]:
        saved_others = theirs
    messages.warning(request, conflict.message)
    return _render_form(
        request,
        session,
        current,
        form,
        status=409,
        saved=saved_values,
        saved_others=saved_others,
        conflict=conflict,
    )


def _with_last_round(session, preparation, groups):
    """In a follow-up round, each row also carries last round's answer (``last``)."""
    if session.previous_id is None:
        return False
    last = previous_answers(preparation)
    for group in groups:
        for row in group["rows"]:
            row["last"] = last.get(row["motive"].pk)
    return True


def _render_form(request, session, preparation, form, *, status=200, closed=False, **extra):
    groups = form.clusters(saved=extra.get("saved"))
    context = {
        "session": session,
        "preparation": preparation,
        "form": form,
        "groups": groups,
        "has_previous": _with_last_round(session, preparation, groups),
        "others": form.others(),
        "answered": form.answered_count(),
        "total": len(form.motives),
        "closed": closed,
        **extra,
    }
    return render(request, "dialogue_sessions/preparation_form.html", context, status=status)


def _read_only(request, session, roles, preparation, motives):
    answers = {answer.motive_id: answer for answer in preparation.answers.all()}
    groups = []
    for motive in motives:
        if not groups or groups[-1]["cluster"] != motive.cluster:
            groups.append({"cluster": motive.cluster, "rows": []})
        groups[-1]["rows"].append({"motive": motive, "answer": answers.get(motive.pk)})
    return render(
        request,
        "dialogue_sessions/preparation_read.html",
        {
            "session": session,
            "preparation": preparation,
            "groups": groups,
            "has_previous": _with_last_round(session, preparation, groups),
            "other_motives": preparation.other_motives.select_related("cluster"),
            "own": roles.is_member_of(preparation.organisation_id),
            "can_withdraw": phases.can_withdraw_preparation(roles, session, preparation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def preparation_submit_view(request, session_pk, pk):
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    require(roles.is_member_of(preparation.organisation_id))
    detail = reverse("preparation_detail", args=[session.pk, preparation.pk])
    if not phases.can_submit_preparation(roles, session, preparation):
        messages.info(request, _("This format cannot be submitted now."))
        return redirect(detail)
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            preparation_submit(preparation=preparation, by=request.user, base_version=version)
        except PreparationConflict:
            messages.warning(
                request,
                _(
                    "A colleague changed the format after you reviewed it. Check it and submit again."
                ),
            )
            return redirect(request.path)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(detail)
        messages.success(
            request,
            _("The format of %(organisation)s has been submitted.")
            % {"organisation": preparation.organisation.name},
        )
        return redirect(detail)
    unanswered = unanswered_motives(preparation)
    missing_outcomes = [
        answer.motive
        for answer in preparation.answers.select_related("motive__cluster")
        if answer.applies and not answer.intended_outcome.strip()
    ]
    return render(
        request,
        "dialogue_sessions/preparation_submit.html",
        {
            "session": session,
            "preparation": preparation,
            "unanswered": unanswered,
            "missing_outcomes": missing_outcomes,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def preparation_withdraw_view(request, session_pk, pk):
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    require(roles.is_member_of(preparation.organisation_id))
    detail = reverse("preparation_detail", args=[session.pk, preparation.pk])
    if not phases.can_withdraw_preparation(roles, session, preparation):
        messages.info(
            request,
            _("A submission can only be withdrawn while the session is in preparation."),
        )
        return redirect(detail)
    if request.method == "POST":
        try:
            preparation_withdraw(preparation=preparation, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(detail)
        messages.success(
            request, _("The submission was withdrawn; you can change the format again.")
        )
        return redirect(detail)
    return render(
        request,
        "dialogue_sessions/preparation_withdraw.html",
        {"session": session, "preparation": preparation},
    )
