"""One organisation's format (Fase 1): fill in, save, submit, withdraw, read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sessions.models import Answer, OtherMotive, PreparationRevision
from sessions.policy import phases
from sessions.policy.access import preparation_for, require
from sessions.preparation import services
from sessions.preparation.forms import (
    ParticipantsForm,
    PreparationForm,
    SubmitForm,
    motive_row_html,
    textarea_html,
)
from sessions.preparation.selectors import previous_answers
from sessions.preparation.services import PreparationConflict
from sms_tool.errors import DomainError


@login_required
@require_http_methods(["GET", "POST"])
def preparation_detail(request, session_pk, pk):
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    motives = services.offered_motives(preparation)
    if request.method == "POST":
        # Only the organisation's members and its guide post here. If the format closed
        # while they typed (a colleague submitted, the phase moved on), their text comes back.
        require(phases.helps_with_preparation(roles, preparation))
        return _save(request, session, roles, preparation, motives)
    if not phases.can_edit_preparation(roles, session, preparation):
        return _read_only(request, session, roles, preparation, motives)
    form = stored_form(preparation, motives)
    return _render_form(request, session, preparation, form, roles=roles)


def stored_form(preparation, motives):
    """The form with what is stored. One query each for what the form, its stored values
    and the page read (three times before); the extra answers came with the preparation
    (access.preparation_for). The answers are looked up by motive, so they are read in
    no order (their default order joins the motive and its cluster)."""
    prefetch_related_objects(
        [preparation],
        Prefetch("answers", queryset=Answer.objects.order_by()),
        Prefetch("other_motives", queryset=OtherMotive.objects.select_related("cluster")),
        "participants",
    )
    return PreparationForm(motives=motives, preparation=preparation)


def _save_form(request, preparation, form):
    return services.preparation_save(
        preparation=preparation,
        by=request.user,
        answers=form.answers(),
        other_motives=form.other_motives(),
        base_version=form.cleaned_data["version"],
        open_motives=form.open_motives(),
    )


def _saved_time(saved):
    return formats.time_format(timezone.localtime(saved.updated_at), "H:i")


def _saved_message(saved):
    """Saved, and whether (and how much of) a colleague's save it was combined with."""
    time = _saved_time(saved)
    count = len(saved.kept_theirs)
    if not count:
        return _("Your draft was saved at %(time)s.") % {"time": time}
    return ngettext(
        "Your draft was saved at %(time)s, combined with the changes of a colleague: "
        "%(count)d field they changed was kept.",
        "Your draft was saved at %(time)s, combined with the changes of a colleague: "
        "%(count)d fields they changed were kept.",
        count,
    ) % {"time": time, "count": count}


def _autosaved_message(saved):
    time = _saved_time(saved)
    count = len(saved.kept_theirs)
    if not count:
        return _("Saved at %(time)s.") % {"time": time}
    return ngettext(
        "Saved at %(time)s, combined with the changes of a colleague: %(count)d field "
        "they changed was kept.",
        "Saved at %(time)s, combined with the changes of a colleague: %(count)d fields "
        "they changed were kept.",
        count,
    ) % {"time": time, "count": count}


def _save(request, session, roles, preparation, motives):
    form = PreparationForm(request.POST, motives=motives)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved yet: please correct the marked fields."))
        return _render_form(request, session, preparation, form, status=400, roles=roles)
    try:
        saved = _save_form(request, preparation, form)
    except PreparationConflict as conflict:
        return _render_conflict(request, session, motives, conflict)
    except DomainError as error:
        messages.error(request, error.message)
        return _render_form(
            request, session, preparation, form, status=409, closed=True, roles=roles
        )
    if "copy_previous" in request.POST:
        return _copy_previous(request, session, saved)
    code = request.POST.get("confirm_copied")
    if code and (code == "all" or code in {motive.code for motive in motives}):
        return _confirm_copied(request, session, saved, code)
    if "submit" in request.POST and phases.works_on_preparation(roles, preparation):
        if saved.kept_theirs:
            messages.info(request, _saved_message(saved))
        return redirect("preparation_submit", session.pk, saved.pk)
    messages.success(request, _saved_message(saved))
    return redirect("preparation_detail", session.pk, saved.pk)


def _confirm_copied(request, session, saved, code):
    """After saving the form: confirm one copied answer (a motive code) or all ("all")."""
    detail = reverse("preparation_detail", args=[session.pk, saved.pk])
    try:
        count = services.copied_answers_confirm(
            preparation=saved, by=request.user, codes=None if code == "all" else [code]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(detail)
    messages.success(
        request,
        ngettext(
            "Your draft was saved and %(count)d copied answer is confirmed.",
            "Your draft was saved and %(count)d copied answers are confirmed.",
            count,
        )
        % {"count": count},
    )
    return redirect(detail if code == "all" else f"{detail}#motive-{code}")


def _render_conflict(request, session, motives, conflict):
    """The form with this person's text; next to each field both changed, the saved text.

    Fields only the colleague changed come with the colleague's value, so saving
    again from here keeps their work and this person's.
    """
    current = conflict.current
    names = PreparationForm(motives=motives)
    data = names.as_field_values(conflict.merge.values)
    data["version"] = str(current.version)  # saving again now knowingly keeps these values
    form = PreparationForm(data, motives=motives)
    form.is_valid()
    messages.warning(request, conflict.message)
    return _render_form(
        request,
        session,
        current,
        form,
        status=409,
        conflict=conflict,
        theirs=conflict.theirs,
        stored=conflict.theirs,
    )


def _with_last_round(session, preparation, groups, last=None):
    """In a follow-up round, each row also carries last round's answer (``last``: read
    here unless the caller has it)."""
    if session.previous_id is None:
        return False
    if last is None:
        last = previous_answers(preparation)
    for group in groups:
        for row in group["rows"]:
            row["last"] = last.get(row["motive"].pk)
    return True


def _with_copied(session, preparation, groups, motives, last):
    """Mark the rows whose answer was copied from the previous round and not confirmed yet.

    Returns the number of answers the copy button would still fill (0: no button) and
    whether any row is marked. ``last``: last round's answers; this round's come from
    the page's own read of them (prefetched on a GET).
    """
    if session.previous_id is None:
        return 0, False
    answers = list(preparation.answers.all())
    copied = {answer.motive_id for answer in answers if answer.copied_from_previous}
    for group in groups:
        for row in group["rows"]:
            row["copied"] = row["motive"].pk in copied
    copyable = services.copyable_previous_count(
        preparation, motives, previous=last, answered={answer.motive_id for answer in answers}
    )
    return copyable, bool(copied)


def _guide_flags(roles, session, preparation):
    """Who the Fase 1 process guide is, for whoever may know it; members submit."""
    return {
        "is_member": phases.works_on_preparation(roles, preparation),
        "show_guides": phases.can_see_guides(roles, preparation),
        "can_manage_guides": phases.can_remove_guide(roles, session, preparation),
    }


FORM_TEMPLATE = "dialogue_sessions/preparation/form.html"


def _render_form(request, session, preparation, form, *, status=200, **extra):
    context = form_context(request, session, preparation, form, **extra)
    return render(request, FORM_TEMPLATE, context, status=status)


def form_context(request, session, preparation, form, *, closed=False, **extra):
    """What the format page shows, for ``FORM_TEMPLATE`` (bench/format_page.py times the
    template alone from it)."""
    roles = extra.pop("roles", None) or phases.roles_for(request.user, session)
    conflict = extra.get("conflict")
    marks = {
        "theirs": extra.pop("theirs", None),
        "conflicts": conflict.conflicts if conflict else (),
        "kept": conflict.merge.kept_theirs if conflict else (),
    }
    stored = extra.pop("stored", None)
    if stored is None:
        stored = services.stored_values(preparation, form.motives)
    groups = form.clusters(**marks)
    last = previous_answers(preparation) if session.previous_id is not None else None
    copyable, has_copied = (
        (0, False) if closed else _with_copied(session, preparation, groups, form.motives, last)
    )
    has_previous = _with_last_round(session, preparation, groups, last)
    for group in groups:
        for row in group["rows"]:
            row["html"] = motive_row_html(row, has_previous=has_previous)
    context = {
        "session": session,
        "roles": roles,  # the breadcrumb links the community for its coordinators without a query
        "preparation": preparation,
        "form": form,
        "groups": groups,
        "has_previous": has_previous,
        "copyable": copyable,
        "has_copied": has_copied,
        "others": form.others(**marks),
        "open_motives_html": textarea_html(form["open_motives"]),
        "answered": form.answered_count(),
        "total": len(form.motives),
        "closed": closed,
        # What is stored for the page's version, for the autosave script: it tells
        # typed-but-unsaved text apart from saved text (also after going back).
        "stored_values": form.as_field_values(stored),
        # The newest version this person saved: a copy of unsaved text the script kept
        # from an older version was saved since, so it is dropped instead of put back.
        "my_last_version": PreparationRevision.objects.filter(
            preparation=preparation, saved_by=request.user
        )
        .order_by("-version")
        .values_list("version", flat=True)
        .first(),
        **_guide_flags(roles, session, preparation),
        **extra,
    }
    return context


def _read_only(request, session, roles, preparation, motives):
    answers = {answer.motive_id: answer for answer in preparation.answers.all()}
    groups = []
    for motive in motives:
        if not groups or groups[-1]["cluster"] != motive.cluster:
            groups.append({"cluster": motive.cluster, "rows": []})
        groups[-1]["rows"].append({"motive": motive, "answer": answers.get(motive.pk)})
    return render(
        request,
        "dialogue_sessions/preparation/read.html",
        {
            "session": session,
            "stage": phases.Stage(session.phase),
            "preparation": preparation,
            "groups": groups,
            "has_previous": _with_last_round(session, preparation, groups),
            "other_motives": preparation.other_motives.select_related("cluster"),
            "own": phases.works_on_preparation(roles, preparation),
            "can_withdraw": phases.can_withdraw_preparation(roles, session, preparation),
            **_guide_flags(roles, session, preparation),
        },
    )


@login_required
@require_POST
def preparation_autosave(request, session_pk, pk):
    """The autosave script's save: the same service and merge as the Save button, as JSON.

    Only the organisation's members reach it (everyone else gets the 404 of the
    format page); once the format is closed, a member is told why.
    """
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    require(phases.helps_with_preparation(roles, preparation))
    reason = phases.preparation_closed_reason(session, preparation)
    if reason:
        return _not_saved("closed", reason)
    motives = services.offered_motives(preparation)
    form = PreparationForm(request.POST, motives=motives)
    if not form.is_valid():
        return _not_saved(
            "invalid",
            _("Not saved: some fields need correcting. Press Save draft to see which."),
            http_status=400,
        )
    try:
        saved = _save_form(request, preparation, form)
    except PreparationConflict as conflict:
        names = form.field_names()
        return _not_saved(
            "conflict",
            _(
                "Not saved: a colleague changed the same field. Press Save draft to see both "
                "versions and choose."
            ),
            fields=sorted(names[key] for key in conflict.conflicts if key in names),
        )
    except DomainError as error:
        return _not_saved("closed", error.message)
    names = form.field_names()
    return JsonResponse(
        {
            "status": "saved",
            "message": _autosaved_message(saved),
            "version": saved.version,
            "values": form.as_field_values(services.stored_values(saved, motives)),
            # Fields where a colleague's value was kept: the script puts it in the form.
            "taken": sorted(names[key] for key in saved.kept_theirs if key in names),
        }
    )


def _not_saved(outcome, message, *, http_status=409, **extra):
    """Why an autosave stored nothing; the script shows ``message`` in the status line."""
    return JsonResponse({"status": outcome, "message": message, **extra}, status=http_status)


@login_required
@require_http_methods(["GET", "POST"])
def preparation_submit(request, session_pk, pk):
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    require(phases.works_on_preparation(roles, preparation))
    detail = reverse("preparation_detail", args=[session.pk, preparation.pk])
    if not phases.can_submit_preparation(roles, session, preparation):
        messages.info(request, _("This format cannot be submitted now."))
        return redirect(detail)
    missing_roles = services.missing_participant_roles(preparation)
    form = SubmitForm(request.POST or None, initial={"version": preparation.version})
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Nothing was submitted: please correct the marked fields."))
            return _render_submit(request, session, preparation, form, missing_roles, status=400)
        try:
            services.preparation_submit(
                preparation=preparation,
                by=request.user,
                base_version=form.cleaned_data["version"],
                participants_reason=form.cleaned_data["participants_reason"],
                confirm_copied=form.cleaned_data["confirm_copied"],
            )
        except services.UnconfirmedCopies as error:
            form.add_error("confirm_copied", error.message)
            return _render_submit(request, session, preparation, form, missing_roles, status=400)
        except PreparationConflict:
            messages.warning(
                request,
                _(
                    "A colleague changed the format after you reviewed it. Check it and submit again."
                ),
            )
            return redirect(request.path)
        except DomainError as error:
            if missing_roles and not form.cleaned_data["participants_reason"].strip():
                form.add_error("participants_reason", error.message)
                return _render_submit(
                    request, session, preparation, form, missing_roles, status=400
                )
            messages.error(request, error.message)
            return redirect(detail)
        messages.success(
            request,
            _("The format of %(organisation)s has been submitted.")
            % {"organisation": preparation.organisation.name},
        )
        return redirect(detail)
    return _render_submit(request, session, preparation, form, missing_roles)


def _render_submit(request, session, preparation, form, missing_roles, *, status=200):
    unanswered = services.unanswered_motives(preparation)
    missing_outcomes = [
        answer.motive
        for answer in preparation.answers.select_related("motive__cluster")
        if answer.applies and not answer.intended_outcome.strip()
    ]
    return render(
        request,
        "dialogue_sessions/preparation/submit.html",
        {
            "session": session,
            "preparation": preparation,
            "unanswered": unanswered,
            "missing_outcomes": missing_outcomes,
            "form": form,
            "missing_roles": missing_roles,
            "participants_message": (
                services.participants_message(missing_roles) if missing_roles else ""
            ),
            "participants": preparation.participants.all(),
            "unconfirmed_copies": services.unconfirmed_copied_motives(preparation),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def preparation_withdraw(request, session_pk, pk):
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    require(phases.works_on_preparation(roles, preparation))
    detail = reverse("preparation_detail", args=[session.pk, preparation.pk])
    if not phases.can_withdraw_preparation(roles, session, preparation):
        messages.info(
            request,
            _("A submission can only be withdrawn while the session is in preparation."),
        )
        return redirect(detail)
    if request.method == "POST":
        try:
            services.preparation_withdraw(preparation=preparation, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(detail)
        messages.success(
            request, _("The submission was withdrawn; you can change the format again.")
        )
        return redirect(detail)
    return render(
        request,
        "dialogue_sessions/preparation/withdraw.html",
        {"session": session, "preparation": preparation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preparation_participants(request, session_pk, pk):
    """Who took part in the organisation's internal discussion (names and roles)."""
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    require(roles.is_member_of(preparation.organisation_id))
    detail = reverse("preparation_detail", args=[session.pk, preparation.pk])
    can_edit = phases.can_edit_preparation(roles, session, preparation)
    if request.method == "POST":
        form = ParticipantsForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was saved yet: please correct the marked fields."))
        else:
            try:
                services.participants_save(
                    preparation=preparation, by=request.user, participants=form.participants()
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The list of people who took part was saved."))
                return redirect(detail)
        status = 400
    else:
        form = ParticipantsForm(preparation=preparation)
        status = 200
    return render(
        request,
        "dialogue_sessions/preparation/participants.html",
        {
            "session": session,
            "preparation": preparation,
            "form": form,
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_POST
def preparation_copy_previous(request, session_pk, pk):
    """Copy the organisation's answers of the previous round into the empty answers.

    The format page's button sends the whole form here: what was typed is saved
    first (so it is never lost, and a motive answered that way is not overwritten).
    """
    session, roles, preparation = preparation_for(request.user, session_pk, pk)
    require(phases.works_on_preparation(roles, preparation))
    if "version" in request.POST:
        motives = services.offered_motives(preparation)
        return _save(request, session, roles, preparation, motives)
    return _copy_previous(request, session, preparation)


def _copy_previous(request, session, preparation):
    detail = reverse("preparation_detail", args=[session.pk, preparation.pk])
    try:
        result = services.preparation_copy_previous(preparation=preparation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(detail)
    messages.success(
        request,
        ngettext(
            "%(count)d answer was copied from the previous round. It is marked “copied from "
            "the previous round” until you confirm it or change it.",
            "%(count)d answers were copied from the previous round. They are marked “copied "
            "from the previous round” until you confirm or change each of them.",
            result.copied,
        )
        % {"count": result.copied},
    )
    if result.skipped:
        messages.info(
            request,
            ngettext(
                "%(count)d motive already had an answer this round; it was left as it is.",
                "%(count)d motives already had an answer this round; they were left as they are.",
                result.skipped,
            )
            % {"count": result.skipped},
        )
    return redirect(detail)
