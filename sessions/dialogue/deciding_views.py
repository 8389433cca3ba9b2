"""Pages for deciding together: dots on candidates, positions, offers and needs,
what agreements serve, each organisation's review of its own outcomes, priorities.

Thin views: objects from ``sessions.policy.access``, decisions from
``sessions.policy.phases``, writes through ``sessions.dialogue.deciding``. A refused
save shows what was typed with the reason, never a 500.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sessions.charts.rounds import movement_chart
from sessions.dialogue import deciding
from sessions.dialogue.selectors import joint_results
from sessions.models import (
    DOTS_PER_PERSON,
    PRIORITIES,
    Agreement,
    Answer,
    Consent,
    ConsentPosition,
    OrganisationOutcomeReview,
    PreparationExtra,
    ReviewStatus,
)
from sessions.policy import access, phases
from sms_tool.errors import DomainError, fits_an_id

LIVE_REFRESH_SECONDS = 5


# --- votes -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_vote(request, pk):
    """A partner's own device: put up to DOTS_PER_PERSON dots on candidate joint motives."""
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_vote(roles, session))
    status = 200
    chosen = None
    if request.method == "POST":
        chosen = request.POST.getlist("motive")
        try:
            deciding.votes_set(session=session, by=request.user, motive_codes=chosen)
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("Your dots were saved."))
            return redirect("session_vote", session.pk)
    items = deciding.candidates(session, request.user)
    if chosen is not None:
        for item in items:
            item.mine = item.motive.code in chosen
    return render(
        request,
        "dialogue_sessions/dialogue/vote.html",
        {"session": session, "candidates": items, "dots": DOTS_PER_PERSON},
        status=status,
    )


@login_required
@require_GET
def session_votes_live(request, pk):
    """The projector: dots per candidate, refreshed every few seconds; the facilitator
    turns the top ones into joint motives from here."""
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_view_votes(roles, session))
    items = deciding.by_votes(deciding.candidates(session))
    voters = session.votes.values("person").distinct().count()
    return render(
        request,
        "dialogue_sessions/dialogue/votes_live.html",
        {
            "session": session,
            "candidates": items,
            "voters": voters,
            "most": max([c.votes for c in items] + [1]),
            "can_promote": phases.can_turn_candidate_into_joint_motive(roles, session),
            "refresh": LIVE_REFRESH_SECONDS if session.phase in phases.RECORDING_PHASES else None,
        },
    )


@login_required
@require_POST
def vote_promote(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.records_joint_results(roles) and session.phase in phases.JOINT_PHASES)
    code = request.POST.get("motive", "")
    try:
        joint = deciding.candidate_to_joint_motive(
            session=session, by=request.user, motive_code=code
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(motive)s” is now a joint motive, with %(votes)d dots.")
            % {"motive": joint.motive.label, "votes": joint.votes},
        )
    return redirect("session_votes_live", session.pk)


# --- positions -------------------------------------------------------------------


def _items(session):
    results = joint_results(session, with_notes=False)
    return results["joint_motives"], results["agreements"]


@login_required
@require_http_methods(["GET", "POST"])
def preparation_positions(request, session_pk, pk):
    """One organisation's positions on every joint motive and agreement (its members)."""
    session, roles, preparation = access.preparation_for(request.user, session_pk, pk)
    access.require(phases.can_open_positions(roles, session, preparation))
    joints, agreements = _items(session)
    stored = {
        (c.joint_motive_id, c.agreement_id): c
        for c in Consent.objects.filter(organisation=preparation.organisation).filter(
            joint_motive__session=session
        )
    }
    stored.update(
        {
            (c.joint_motive_id, c.agreement_id): c
            for c in Consent.objects.filter(
                organisation=preparation.organisation, agreement__session=session
            )
        }
    )
    can_edit = phases.can_state_position(roles, session, preparation)
    status = 200
    typed = {}
    if request.method == "POST":
        # Every posted position, also of ids the page did not show (deleted meanwhile,
        # or guessed from another session): the service refuses those in words.
        positions = {}
        for name in request.POST:
            if name.startswith("reason:"):
                typed.setdefault(name.removeprefix("reason:"), {})["reason"] = request.POST[name]
            if not name.startswith("position:"):
                continue
            key = name.removeprefix("position:")
            position = request.POST.get(name, "")
            reason = request.POST.get(f"reason:{key}", "")
            typed.setdefault(key, {})["position"] = position
            positions[key] = deciding.PositionInput(position=position, reason=reason)
        try:
            deciding.positions_set(preparation=preparation, by=request.user, positions=positions)
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(
                request,
                _("The positions of %(organisation)s were saved.")
                % {"organisation": preparation.organisation.name},
            )
            return redirect("preparation_positions", session.pk, preparation.pk)

    def row(item, key, target):
        consent = stored.get(target)
        given = typed.get(key, {})
        return {
            "item": item,
            "key": key,
            "position": given.get("position", consent.position if consent else ""),
            "reason": given.get("reason", consent.reason if consent else ""),
        }

    return render(
        request,
        "dialogue_sessions/dialogue/positions_form.html",
        {
            "session": session,
            "preparation": preparation,
            "can_edit": can_edit,
            "choices": ConsentPosition.choices,
            "joint_rows": [row(j, deciding.joint_key(j), (j.pk, None)) for j in joints],
            "agreement_rows": [row(a, deciding.agreement_key(a), (None, a.pk)) for a in agreements],
        },
        status=status,
    )


@login_required
@require_GET
def session_positions(request, pk):
    """Every organisation's positions, for the room and the projector (from the joint phase on)."""
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_view_positions(roles, session))
    own = [
        p
        for p in session.preparations.select_related("organisation")
        if roles.is_member_of(p.organisation_id)
    ]
    return render(
        request,
        "dialogue_sessions/dialogue/positions.html",
        {
            "session": session,
            "own": own,
            "refresh": LIVE_REFRESH_SECONDS if session.phase in phases.RECORDING_PHASES else None,
            **deciding.positions_overview(session),
        },
    )


# --- offers and needs ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preparation_offers(request, session_pk, pk):
    session, roles, preparation = access.preparation_for(request.user, session_pk, pk)
    access.require(phases.can_open_own_page(roles, session, preparation))
    extra = PreparationExtra.objects.filter(preparation=preparation).first()
    offers = "\n".join(extra.offers) if extra else ""
    needs = "\n".join(extra.needs) if extra else ""
    status = 200
    if request.method == "POST":
        offers = request.POST.get("offers", "")
        needs = request.POST.get("needs", "")
        try:
            deciding.offers_save(
                preparation=preparation,
                by=request.user,
                offers=offers.splitlines(),
                needs=needs.splitlines(),
            )
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("What you offer and need was saved."))
            return redirect("preparation_offers", session.pk, preparation.pk)
    return render(
        request,
        "dialogue_sessions/dialogue/offers_form.html",
        {
            "session": session,
            "preparation": preparation,
            "offers": offers,
            "needs": needs,
            "can_edit": phases.can_edit_offers(roles, session, preparation),
        },
        status=status,
    )


@login_required
@require_GET
def session_exchange(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_view_exchange(roles, session))
    return render(
        request,
        "dialogue_sessions/dialogue/exchange.html",
        {"session": session, **deciding.exchange(session)},
    )


# --- what an agreement serves ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_serves(request, pk, agreement_pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_open_joint_result_item(roles, session))
    agreement = get_object_or_404(Agreement, pk=agreement_pk, session=session)
    joints = list(session.joint_motives.select_related("motive"))
    motives = [c.motive for c in deciding.candidates(session)]
    motives.sort(key=lambda m: (m.cluster.order, m.order))
    chosen_joint = set(agreement.serves_joint.values_list("pk", flat=True))
    chosen_motives = set(agreement.serves_motives.values_list("code", flat=True))
    status = 200
    if request.method == "POST":
        joint_ids = []
        for value in request.POST.getlist("joint"):
            try:
                number = int(value)
            except ValueError:
                number = -1
            joint_ids.append(number if fits_an_id(number) else -1)  # unknown, not a 500
        codes = request.POST.getlist("motive")
        chosen_joint, chosen_motives = set(joint_ids), set(codes)
        try:
            deciding.serves_set(
                agreement=agreement, by=request.user, joint_ids=joint_ids, motive_codes=codes
            )
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("What the agreement serves was saved."))
            return redirect(reverse("session_results", args=[session.pk]) + "#agreements")
    return render(
        request,
        "dialogue_sessions/dialogue/serves_form.html",
        {
            "session": session,
            "agreement": agreement,
            "joints": joints,
            "motives": motives,
            "chosen_joint": chosen_joint,
            "chosen_motives": chosen_motives,
            "can_edit": phases.can_edit_serves(roles, session),
        },
        status=status,
    )


# --- each organisation's review of its own outcomes --------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preparation_own_review(request, session_pk, pk):
    session, roles, preparation = access.preparation_for(request.user, session_pk, pk)
    access.require(phases.can_open_own_page(roles, session, preparation))
    answers = deciding.reviewable_answers(preparation)
    stored = {
        r.motive_id: r for r in OrganisationOutcomeReview.objects.filter(preparation=preparation)
    }
    typed = {}
    status = 200
    if request.method == "POST":
        reviews = {}
        for answer in answers:
            code = answer.motive.code
            if f"status:{code}" not in request.POST:
                continue
            status_value = request.POST.get(f"status:{code}", "")
            evidence = request.POST.get(f"evidence:{code}", "")
            typed[code] = (status_value, evidence)
            reviews[code] = deciding.OwnReviewInput(status=status_value, evidence=evidence)
        try:
            deciding.own_reviews_save(preparation=preparation, by=request.user, reviews=reviews)
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("Your review of last round’s outcomes was saved."))
            return redirect("preparation_own_review", session.pk, preparation.pk)
    rows = []
    for answer in answers:
        review = stored.get(answer.motive_id)
        value, evidence = typed.get(
            answer.motive.code, (review.status if review else "", review.evidence if review else "")
        )
        rows.append({"answer": answer, "status": value, "evidence": evidence})
    return render(
        request,
        "dialogue_sessions/dialogue/own_review.html",
        {
            "session": session,
            "preparation": preparation,
            "rows": rows,
            "choices": ReviewStatus.choices,
            "can_edit": phases.can_review_own_outcomes(roles, session, preparation),
        },
        status=status,
    )


# --- priorities beside yes/no --------------------------------------------------------


@login_required
@require_GET
def session_priorities(request, pk):
    """The comparison's motives with each organisation's yes/no and priority, sorted by
    priority points or filtered to one priority."""
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_view_comparison(roles, session))
    preparations = deciding.submitted_preparations(session)
    answers = Answer.objects.filter(preparation__in=preparations).select_related("motive__cluster")
    cells = {(a.preparation_id, a.motive_id): a for a in answers}
    motives = sorted({a.motive for a in answers}, key=lambda m: (m.cluster.order, m.order, m.code))
    wanted = request.GET.get("priority", "")
    wanted = int(wanted) if wanted in {str(p) for p in PRIORITIES} else None
    sort = request.GET.get("sort", "priority")
    rows = []
    for motive in motives:
        row_cells = [cells.get((p.pk, motive.pk)) for p in preparations]
        given = [c.priority for c in row_cells if c is not None and c.priority]
        if wanted is not None and wanted not in given:
            continue
        rows.append(
            {
                "motive": motive,
                "cells": row_cells,
                "points": sum(4 - p for p in given),
                "applies": sum(1 for c in row_cells if c is not None and c.applies),
            }
        )
    if sort == "priority":
        rows.sort(key=lambda r: -r["points"])
    return render(
        request,
        "dialogue_sessions/dialogue/priorities.html",
        {
            "session": session,
            "preparations": preparations,
            "rows": rows,
            "wanted": wanted,
            "sort": "priority" if sort == "priority" else "catalogue",
            "priorities": PRIORITIES,
        },
    )


@login_required
@require_GET
def session_history(request, pk):
    """How each organisation's motives moved over the rounds (most useful from three on)."""
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_view_history(roles, session))
    movement = deciding.movement(session)
    return render(
        request,
        "dialogue_sessions/dialogue/history.html",
        {
            "session": session,
            **deciding.history(session),
            "movement": movement,
            "movement_chart": movement_chart(movement) if movement["enough"] else "",
            "movement_from": deciding.MOVEMENT_FROM_ROUNDS,
        },
    )
