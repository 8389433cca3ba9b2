"""Phases of a dialogue session and who may see or change what in each.

This module is the only place that decides access. Views get their objects
through sessions.access, which asks the functions here; templates ask the
``SessionRoles`` object they are given, never the user directly.
"""

from dataclasses import dataclass, field

from sessions.models import Phase

ORDER = [Phase.DRAFT, Phase.PREPARATION, Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED]
JOINT_PHASES = {Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED}
RECORDING_PHASES = {Phase.DIALOGUE, Phase.AGREEMENTS}
MIN_SUBMITTED_FOR_DIALOGUE = 2


def next_phase(phase):
    index = ORDER.index(phase)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def phase_index(phase):
    return ORDER.index(phase)


@dataclass(frozen=True)
class SessionRoles:
    """What one person is in one session. Outsiders have no role at all."""

    coordinator: bool = False
    facilitator: bool = False
    organisation_ids: frozenset = field(default_factory=frozenset)

    @property
    def member(self):
        return bool(self.organisation_ids)

    @property
    def any(self):
        return self.coordinator or self.facilitator or self.member

    def is_member_of(self, organisation_id):
        return organisation_id in self.organisation_ids


def roles_for(user, session):
    """The roles of ``user`` in ``session`` (two small queries)."""
    if not user.is_authenticated or not user.is_active:
        return SessionRoles()
    coordinator = session.community.coordinators.filter(pk=user.pk).exists()
    facilitator = session.facilitators.filter(pk=user.pk).exists()
    # A membership counts only inside the community that granted it: the organisation
    # must belong to the session's community (services keep it so; this is the last check).
    organisation_ids = frozenset(
        session.preparations.filter(
            organisation__community_id=session.community_id,
            organisation__memberships__person=user,
        ).values_list("organisation_id", flat=True)
    )
    return SessionRoles(coordinator, facilitator, organisation_ids)


# --- the session as a whole -------------------------------------------------


def can_view_session(roles):
    return roles.any


def can_manage_session(roles, session):
    """Edit the session, invite people, move it to the next phase."""
    return roles.coordinator and session.phase != Phase.CLOSED


def can_see_progress(roles):
    """Per organisation: not started / in progress / submitted, by whom, when (not content)."""
    return roles.coordinator or roles.facilitator


def can_edit_session_details(roles, session):
    return roles.coordinator and session.phase in (Phase.DRAFT, Phase.PREPARATION)


def can_change_participants(roles, session):
    """Which organisations take part can change until the joint dialogue opens."""
    return roles.coordinator and session.phase in (Phase.DRAFT, Phase.PREPARATION)


def can_invite(roles, session):
    return roles.coordinator and session.phase != Phase.CLOSED


def can_advance(roles, session):
    """Coordinators move a session through every phase; facilitators, who run the
    joint dialogue, from the preparation on (opening the dialogue, agreements, closing)."""
    if next_phase(session.phase) is None:
        return False
    return roles.coordinator or (roles.facilitator and session.phase != Phase.DRAFT)


def can_start_next_round(roles, session):
    return roles.coordinator and session.phase == Phase.CLOSED


# --- one organisation's preparation (Fase 1) -------------------------------


def can_view_preparation(roles, session, preparation):
    """Before the joint phase only the organisation's own members see its answers.

    From the dialogue on, everyone in the session sees every submitted format.
    """
    if roles.is_member_of(preparation.organisation_id):
        return True
    return roles.any and session.phase in JOINT_PHASES and preparation.submitted


def can_edit_preparation(roles, session, preparation):
    return (
        roles.is_member_of(preparation.organisation_id)
        and session.phase == Phase.PREPARATION
        and not preparation.submitted
    )


def can_submit_preparation(roles, session, preparation):
    return can_edit_preparation(roles, session, preparation)


def can_withdraw_preparation(roles, session, preparation):
    return (
        roles.is_member_of(preparation.organisation_id)
        and session.phase == Phase.PREPARATION
        and preparation.submitted
    )


# --- the joint dialogue (Fase 2 and 3) --------------------------------------


def can_view_joint_results(roles, session):
    return roles.any and session.phase in JOINT_PHASES


def can_record_joint_results(roles, session):
    return (roles.facilitator or roles.coordinator) and session.phase in RECORDING_PHASES


# invitations ---------------------------------------------------------------


def can_view_invitations(roles, session):
    """Who was invited and with what result; coordinators only, in every phase."""
    return roles.coordinator


def can_revoke_invitation(roles, session):
    """An open invitation can still be withdrawn after the session has closed."""
    return roles.coordinator


# coordinator pages -----------------------------------------------------------


def can_open_next_phase(roles, session, *, submitted_count):
    """``can_advance``, and the next phase's condition holds.

    The joint dialogue compares formats, so it needs at least
    ``MIN_SUBMITTED_FOR_DIALOGUE`` submitted organisations.
    """
    if not can_advance(roles, session):
        return False
    if next_phase(session.phase) == Phase.DIALOGUE:
        return submitted_count >= MIN_SUBMITTED_FOR_DIALOGUE
    return True


def can_remove_participant(roles, session, *, started):
    """An organisation leaves a session only while nobody filled in or submitted its format."""
    return can_change_participants(roles, session) and not started


# joint results ----------------------------------------------------------------
#
# ``can_view_joint_results`` and ``can_record_joint_results`` above decide the
# results page; these add the pages around it and the review of the previous round.


def records_joint_results(roles):
    """Facilitators and coordinators record joint results (while the phase allows it)."""
    return roles.facilitator or roles.coordinator


def can_open_joint_result_item(roles, session):
    """The edit and delete pages of one joint motive, agreement or note.

    They open in every joint phase: once the session is closed they show that it
    is read-only, and a form sent just after closing comes back with what was typed.
    """
    return records_joint_results(roles) and session.phase in JOINT_PHASES


def can_view_review(roles, session):
    """A follow-up round: were the previous round's outcomes and agreements realised?"""
    return roles.any and session.previous_id is not None and session.phase in JOINT_PHASES


def can_record_review(roles, session):
    return session.previous_id is not None and can_record_joint_results(roles, session)


# comparison --------------------------------------------------------------------


def can_view_comparison(roles, session):
    """The Fase 2 comparison, its presentation mode and pictures: as the joint results."""
    return can_view_joint_results(roles, session)


# report ----------------------------------------------------------------------


def can_download_report(roles, session):
    """Everyone in the session, once the joint dialogue opened.

    Before then the report would have nothing to show (the answers are private), so
    the link is not offered and the report's URL answers with a page that says so.
    """
    return roles.any and session.phase in JOINT_PHASES


# exchange ----------------------------------------------------------------------


def can_export_session(roles, session):
    """The whole session as an interchange file: coordinators and facilitators, joint phases only.

    The file holds every organisation's answers, submitted or not. Before the joint
    dialogue even the coordinator and the facilitator see progress, not content, so
    in draft and preparation nobody may download it; partners never may, because it
    also holds the formats other organisations did not submit.
    """
    return (roles.coordinator or roles.facilitator) and session.phase in JOINT_PHASES


def can_export_answers(roles, session):
    """The answers as a CSV or XLSX table: everyone in the session, from the dialogue on.

    The table holds the submitted formats only, which everyone in the session reads
    from the dialogue on (see ``can_view_preparation``); before it there is no content
    to share with anyone.
    """
    return roles.any and session.phase in JOINT_PHASES
