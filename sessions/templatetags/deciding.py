"""``{% deciding_links session roles %}``: the pages for deciding together that this
person may open now, asked of ``sessions.policy.phases``."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from sessions.policy import phases

register = template.Library()


@register.inclusion_tag("dialogue_sessions/dialogue/_deciding_links.html")
def deciding_links(session, roles):
    links = []
    if phases.can_vote(roles, session):
        links.append((_("Vote on joint motives"), reverse("session_vote", args=[session.pk])))
    if phases.can_view_votes(roles, session):
        links.append((_("Votes (projector)"), reverse("session_votes_live", args=[session.pk])))
    if phases.can_view_positions(roles, session):
        links.append((_("Positions"), reverse("session_positions", args=[session.pk])))
    if phases.can_view_exchange(roles, session):
        links.append((_("Offers and needs"), reverse("session_exchange", args=[session.pk])))
    if phases.can_view_comparison(roles, session):
        links.append((_("Priorities"), reverse("session_priorities", args=[session.pk])))
    if session.previous_id and phases.can_view_history(roles, session):
        links.append((_("Motives over the rounds"), reverse("session_history", args=[session.pk])))
    own = []
    for preparation in session.preparations.select_related("organisation"):
        if not roles.is_member_of(preparation.organisation_id):
            continue
        args = [session.pk, preparation.pk]
        items = []
        if phases.can_open_positions(roles, session, preparation):
            items.append((_("State our positions"), reverse("preparation_positions", args=args)))
        if phases.can_open_own_page(roles, session, preparation):
            items.append((_("What we offer and need"), reverse("preparation_offers", args=args)))
        if session.previous_id and phases.can_open_own_page(roles, session, preparation):
            items.append(
                (_("Our outcomes of last round"), reverse("preparation_own_review", args=args))
            )
        if phases.can_edit_preparation(roles, session, preparation):
            items.append((_("Who took part"), reverse("preparation_participants", args=args)))
        own.append({"organisation": preparation.organisation, "items": items})
    return {"links": links, "own": own}


@register.inclusion_tag("dialogue_sessions/dialogue/_results_deciding.html")
def deciding_results(session, roles, can_record=False):
    """Positions per organisation and how each motive is served, below the joint results."""
    from sessions.dialogue import deciding

    context = {"session": session, "show": phases.can_view_positions(roles, session)}
    if context["show"]:
        context.update(deciding.positions_overview(session))
        context["serving"] = deciding.serving(session)
        context["can_edit_serves"] = can_record and phases.can_edit_serves(roles, session)
    return context


@register.inclusion_tag("dialogue_sessions/dialogue/_report_deciding.html")
def deciding_report(session):
    """For the joint report (its callers decide who reads it): each organisation's three
    priorities, the positions on joint motives and agreements, and how each motive is served."""
    from sessions.dialogue import deciding

    if session.phase not in phases.JOINT_PHASES:
        return {"show": False}
    priorities = []
    for preparation in deciding.submitted_preparations(session):
        given = list(preparation.answers.exclude(priority=None).select_related("motive"))
        if not given:
            continue
        priorities.append(
            {
                "organisation": preparation.organisation,
                "motives": sorted(given, key=lambda a: a.priority),
            }
        )
    return {
        "show": True,
        "priorities": priorities,
        "serving": deciding.serving(session),
        **deciding.positions_overview(session),
    }
