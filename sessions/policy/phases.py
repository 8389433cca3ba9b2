"""Phases of a dialogue session and who may see or change what in each.

This module is the only place that decides access. Views get their objects
through ``sessions.policy.access``, which asks the functions here; services ask
them again on the locked row and take their refusal messages from here; templates
ask the ``SessionRoles`` object they are given, never the user directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db import connection
from django.utils.translation import gettext as _

from partnerships.models import LearningCommunity, Membership, Organisation
from sessions.models import DialogueSession, Phase, Preparation
from sms_tool import sql

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from partnerships.models import User

ORDER: list[str] = [Phase.DRAFT, Phase.PREPARATION, Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED]
JOINT_PHASES = {Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED}
RECORDING_PHASES = {Phase.DIALOGUE, Phase.AGREEMENTS}
MIN_SUBMITTED_FOR_DIALOGUE = 2


@dataclass(frozen=True)
class Stage:
    """Where a session stands, as templates ask it: they never compare phase strings."""

    phase: str

    @property
    def draft(self) -> bool:
        return self.phase == Phase.DRAFT

    @property
    def preparation(self) -> bool:
        return self.phase == Phase.PREPARATION

    @property
    def dialogue(self) -> bool:
        return self.phase == Phase.DIALOGUE

    @property
    def agreements(self) -> bool:
        return self.phase == Phase.AGREEMENTS

    @property
    def closed(self) -> bool:
        return self.phase == Phase.CLOSED

    @property
    def joint(self) -> bool:
        """From the joint dialogue on: the formats are shared."""
        return self.phase in JOINT_PHASES


def next_phase(phase: str) -> str | None:
    index = ORDER.index(phase)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def phase_index(phase: str) -> int:
    return ORDER.index(phase)


@dataclass(frozen=True)
class SessionRoles:
    """What one person is in one session. Outsiders have no role at all."""

    coordinator: bool = False
    facilitator: bool = False
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # Organisations whose Fase 1 draft this person helps with as procesbegeleider.
    guided_organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def member(self) -> bool:
        return bool(self.organisation_ids)

    @property
    def guide(self) -> bool:
        return bool(self.guided_organisation_ids)

    @property
    def any(self) -> bool:
        """A participant of the session. A Fase 1 guide is not: they help with one
        organisation's draft and see nothing of the joint phase (``can_view_session``)."""
        return self.coordinator or self.facilitator or self.member

    def is_member_of(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids

    def is_guide_of(self, organisation_id: int) -> bool:
        return organisation_id in self.guided_organisation_ids


def roles_for(user: User | AnonymousUser, session: DialogueSession) -> SessionRoles:
    """The roles of ``user`` in ``session``, in one query (``_roles_sql``)."""
    if not user.is_authenticated or not user.is_active:
        return SessionRoles()
    parameters = {"person": user.pk, "session": session.pk, "community": session.community_id}
    with connection.cursor() as cursor:
        cursor.execute(_roles_sql(), parameters)
        rows = cursor.fetchall()
    coordinator, facilitator = bool(rows[0][0]), bool(rows[0][1])
    organisation_ids = frozenset(org for _c, _f, org, member, _g in rows if member)
    guided_organisation_ids = frozenset(
        org for _c, _f, org, member, guide in rows if guide and not member
    )
    return SessionRoles(coordinator, facilitator, organisation_ids, guided_organisation_ids)


@lru_cache(maxsize=1)
def _roles_sql() -> str:
    """``roles_for``'s questions as one SELECT, written as SQL: every session page asks it,
    and through the ORM (``Exists`` of ``OuterRef``) it took a millisecond or more of
    Python for a fraction of that in the database.

    One row: does the person coordinate the session's community, facilitate the session;
    joined to a row per preparation of the session whose organisation is in the
    session's community and of which the person is a member or a guide. A membership
    counts only inside the community that granted it (services keep it so; this is the
    last check); a guide is invited for one organisation in this one session.
    tests/test_access_matrix.py and tests/sessions/test_cross_community_attacks.py hold
    what it decides.
    """
    coordinators = LearningCommunity.coordinators.through
    facilitators = DialogueSession.facilitators.through
    guides = Preparation.guides.through
    organisation_of = sql.column(Preparation, "organisation")
    return f"""
        SELECT asked.coordinator, asked.facilitator, found.organisation_id,
               found.is_member, found.is_guide
        FROM (
          SELECT
            EXISTS (
              SELECT 1 FROM {sql.table(coordinators)} coordinator
              WHERE coordinator.{sql.column(coordinators, "learningcommunity")} = %(community)s
                AND coordinator.{sql.column(coordinators, "user")} = %(person)s
            ) AS coordinator,
            EXISTS (
              SELECT 1 FROM {sql.table(facilitators)} facilitator
              WHERE facilitator.{sql.column(facilitators, "dialoguesession")} = %(session)s
                AND facilitator.{sql.column(facilitators, "user")} = %(person)s
            ) AS facilitator
        ) asked
        LEFT JOIN (
          SELECT
            prep.{organisation_of} AS organisation_id,
            EXISTS (
              SELECT 1 FROM {sql.table(Membership)} membership
              WHERE membership.{sql.column(Membership, "person")} = %(person)s
                AND membership.{sql.column(Membership, "organisation")} = prep.{organisation_of}
            ) AS is_member,
            EXISTS (
              SELECT 1 FROM {sql.table(guides)} guide
              WHERE guide.{sql.column(guides, "preparation")} = prep.{sql.pk(Preparation)}
                AND guide.{sql.column(guides, "user")} = %(person)s
            ) AS is_guide
          FROM {sql.table(Preparation)} prep
          JOIN {sql.table(Organisation)} org ON org.{sql.pk(Organisation)} = prep.{organisation_of}
          WHERE prep.{sql.column(Preparation, "session")} = %(session)s
            AND org.{sql.column(Organisation, "community")} = %(community)s
        ) found ON found.is_member OR found.is_guide
    """


# --- the session as a whole -------------------------------------------------


def can_view_session(roles: SessionRoles) -> bool:
    """The session page. A Fase 1 guide sees it too, with only their organisation's card;
    everything else on it asks ``roles.any``, which a guide is not."""
    return roles.any or roles.guide


def takes_part(roles: SessionRoles) -> bool:
    """Coordinator, facilitator or member: pages about the whole session (the report)
    are theirs; a Fase 1 guide gets the 404 of an outsider."""
    return roles.any


def can_manage_session(roles: SessionRoles, session: DialogueSession) -> bool:
    """Edit the session, invite people, move it to the next phase."""
    return roles.coordinator and session.phase != Phase.CLOSED


def can_see_progress(roles: SessionRoles) -> bool:
    """Per organisation: not started / in progress / submitted, by whom, when (not content)."""
    return roles.coordinator or roles.facilitator


def can_edit_session_details(roles: SessionRoles, session: DialogueSession) -> bool:
    return roles.coordinator and session.phase in (Phase.DRAFT, Phase.PREPARATION)


def can_change_participants(roles: SessionRoles, session: DialogueSession) -> bool:
    """Which organisations take part can change until the joint dialogue opens."""
    return roles.coordinator and session.phase in (Phase.DRAFT, Phase.PREPARATION)


def can_invite(roles: SessionRoles, session: DialogueSession) -> bool:
    return roles.coordinator and session.phase != Phase.CLOSED


def can_advance(roles: SessionRoles, session: DialogueSession) -> bool:
    """Coordinators move a session through every phase; facilitators, who run the
    joint dialogue, from the preparation on (opening the dialogue, agreements, closing)."""
    if next_phase(session.phase) is None:
        return False
    return roles.coordinator or (roles.facilitator and session.phase != Phase.DRAFT)


def can_start_next_round(roles: SessionRoles, session: DialogueSession) -> bool:
    return roles.coordinator and session.phase == Phase.CLOSED


def can_plan_follow_up(roles: SessionRoles, session: DialogueSession) -> bool:
    """The review date and the agreements' reminders: the coordinator, in every phase."""
    return roles.coordinator


# --- one organisation's preparation (Fase 1) -------------------------------


def works_on_preparation(roles: SessionRoles, preparation: Preparation) -> bool:
    """The organisation's own members: they fill in its format, submit and withdraw it,
    and what they send to it is answered even when it closed meanwhile (they are told why)."""
    return roles.is_member_of(preparation.organisation_id)


def guides_preparation(roles: SessionRoles, preparation: Preparation) -> bool:
    """The organisation's Fase 1 procesbegeleider in this session (seed: "Evt. kan een
    procesbegeleider aangesteld worden"): reads and helps edit its draft, but does not
    submit or withdraw it: the organisation answers for its own format."""
    return roles.is_guide_of(preparation.organisation_id)


def helps_with_preparation(roles: SessionRoles, preparation: Preparation) -> bool:
    """Who may edit the draft: the members and the organisation's guide."""
    return works_on_preparation(roles, preparation) or guides_preparation(roles, preparation)


def can_view_preparation(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    """Before the joint phase only the organisation's own members (and its guide) see
    its answers.

    From the dialogue on, everyone in the session sees every submitted format. A guide
    keeps reading the format they helped with, and no other.
    """
    if helps_with_preparation(roles, preparation):
        return True
    return roles.any and session.phase in JOINT_PHASES and preparation.submitted


def preparation_closed_reason(session: DialogueSession, preparation: Preparation) -> str | None:
    """Why the format cannot be changed now, or None while it can."""
    if session.phase != Phase.PREPARATION:
        return _(
            "The format can only be changed while the session is in preparation; it is now in %(phase)s."
        ) % {"phase": session.get_phase_display().lower()}
    if preparation.submitted:
        return _(
            "Your organisation has submitted this format. Withdraw the submission to change it."
        )
    return None


def can_edit_preparation(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    return (
        helps_with_preparation(roles, preparation)
        and preparation_closed_reason(session, preparation) is None
    )


def can_submit_preparation(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    """Members only: a guide helps with the draft, the organisation submits it."""
    return works_on_preparation(roles, preparation) and can_edit_preparation(
        roles, session, preparation
    )


def withdraw_closed_reason(session: DialogueSession, preparation: Preparation) -> str | None:
    """Why a submission cannot be withdrawn now, or None while it can."""
    if session.phase != Phase.PREPARATION:
        return _("A submission can only be withdrawn while the session is in preparation.")
    if not preparation.submitted:
        return _("This format has not been submitted.")
    return None


def can_withdraw_preparation(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    return (
        works_on_preparation(roles, preparation)
        and withdraw_closed_reason(session, preparation) is None
    )


# --- the joint dialogue (Fase 2 and 3) --------------------------------------


def can_view_joint_results(roles: SessionRoles, session: DialogueSession) -> bool:
    return roles.any and session.phase in JOINT_PHASES


def can_record_joint_results(roles: SessionRoles, session: DialogueSession) -> bool:
    return (roles.facilitator or roles.coordinator) and session.phase in RECORDING_PHASES


# invitations ---------------------------------------------------------------

GUIDE_INVITING_PHASES = {Phase.DRAFT, Phase.PREPARATION}


def can_invite_guide(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    """Invite the organisation's Fase 1 process guide: its members and the coordinator,
    while the draft is being prepared (a guide has nothing to do after it)."""
    return (
        roles.coordinator or works_on_preparation(roles, preparation)
    ) and session.phase in GUIDE_INVITING_PHASES


def can_remove_guide(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    """End a guide's access or withdraw an open guide invitation: in every phase."""
    return roles.coordinator or works_on_preparation(roles, preparation)


def can_see_guides(roles: SessionRoles, preparation: Preparation) -> bool:
    """Who the organisation's guide is, on its format page: its members, the guide and
    the coordinator (not the other organisations)."""
    return helps_with_preparation(roles, preparation) or roles.coordinator


def guides_refused_message(session: DialogueSession, preparation: Preparation) -> str:
    if session.phase not in GUIDE_INVITING_PHASES:
        return _("A process guide can only be invited before the joint dialogue opens.")
    return _(
        "Only members of %(organisation)s and the coordinators can invite its process guide."
    ) % {"organisation": preparation.organisation.name}


def can_view_invitations(roles: SessionRoles, session: DialogueSession) -> bool:
    """Who was invited and with what result; coordinators only, in every phase."""
    return roles.coordinator


def can_revoke_invitation(roles: SessionRoles, session: DialogueSession) -> bool:
    """An open invitation can still be withdrawn after the session has closed."""
    return roles.coordinator


# coordinator pages -----------------------------------------------------------


def can_open_next_phase(
    roles: SessionRoles, session: DialogueSession, *, submitted_count: int
) -> bool:
    """``can_advance``, and the next phase's condition holds.

    The joint dialogue compares formats, so it needs at least
    ``MIN_SUBMITTED_FOR_DIALOGUE`` submitted organisations.
    """
    if not can_advance(roles, session):
        return False
    if next_phase(session.phase) == Phase.DIALOGUE:
        return submitted_count >= MIN_SUBMITTED_FOR_DIALOGUE
    return True


def can_remove_participant(roles: SessionRoles, session: DialogueSession, *, started: bool) -> bool:
    """An organisation leaves a session only while nobody filled in or submitted its format."""
    return can_change_participants(roles, session) and not started


# joint results ----------------------------------------------------------------
#
# ``can_view_joint_results`` and ``can_record_joint_results`` above decide the
# results page; these add the pages around it and the review of the previous round.


def records_joint_results(roles: SessionRoles) -> bool:
    """Facilitators and coordinators record joint results (while the phase allows it)."""
    return roles.facilitator or roles.coordinator


def can_open_joint_result_item(roles: SessionRoles, session: DialogueSession) -> bool:
    """The edit and delete pages of one joint motive, agreement or note.

    They open in every joint phase: once the session is closed they show that it
    is read-only, and a form sent just after closing comes back with what was typed.
    """
    return records_joint_results(roles) and session.phase in JOINT_PHASES


def can_view_review(roles: SessionRoles, session: DialogueSession) -> bool:
    """A follow-up round: were the previous round's outcomes and agreements realised?"""
    return roles.any and session.previous_id is not None and session.phase in JOINT_PHASES


def can_record_review(roles: SessionRoles, session: DialogueSession) -> bool:
    return session.previous_id is not None and can_record_joint_results(roles, session)


# comparison --------------------------------------------------------------------


def can_view_comparison(roles: SessionRoles, session: DialogueSession) -> bool:
    """The Fase 2 comparison, its presentation mode and pictures: as the joint results."""
    return can_view_joint_results(roles, session)


# report ----------------------------------------------------------------------


def can_download_report(roles: SessionRoles, session: DialogueSession) -> bool:
    """Everyone in the session, once the joint dialogue opened.

    Before then the report would have nothing to show (the answers are private), so
    the link is not offered and the report's URL answers with a page that says so.
    """
    return roles.any and session.phase in JOINT_PHASES


# exchange ----------------------------------------------------------------------


def can_export_session(roles: SessionRoles, session: DialogueSession) -> bool:
    """The whole session as an interchange file: coordinators and facilitators, joint phases only.

    The file holds every organisation's answers, submitted or not. Before the joint
    dialogue even the coordinator and the facilitator see progress, not content, so
    in draft and preparation nobody may download it; partners never may, because it
    also holds the formats other organisations did not submit.
    """
    return (roles.coordinator or roles.facilitator) and session.phase in JOINT_PHASES


def can_export_answers(roles: SessionRoles, session: DialogueSession) -> bool:
    """The answers as a CSV or XLSX table: everyone in the session, from the dialogue on.

    The table holds the submitted formats only, which everyone in the session reads
    from the dialogue on (see ``can_view_preparation``); before it there is no content
    to share with anyone.
    """
    return roles.any and session.phase in JOINT_PHASES


# deciding together (issue 14) ---------------------------------------------------
#
# Positions, votes, offers and needs of one organisation are visible to the others
# only from the joint phase on, like its format; before it, only to its own members.

EDITING_OWN_PHASES = {Phase.PREPARATION, Phase.DIALOGUE, Phase.AGREEMENTS}


def can_vote(roles: SessionRoles, session: DialogueSession) -> bool:
    """Partners put their dots on candidate joint motives while the dialogue runs."""
    return roles.member and session.phase in RECORDING_PHASES


def can_view_votes(roles: SessionRoles, session: DialogueSession) -> bool:
    return can_view_joint_results(roles, session)


def can_turn_candidate_into_joint_motive(roles: SessionRoles, session: DialogueSession) -> bool:
    return can_record_joint_results(roles, session)


def can_open_positions(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    """An organisation's own page of positions: its members, from the dialogue on
    (read-only once the session is closed)."""
    return roles.is_member_of(preparation.organisation_id) and session.phase in JOINT_PHASES


def can_state_position(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    return roles.is_member_of(preparation.organisation_id) and session.phase in RECORDING_PHASES


def can_view_positions(roles: SessionRoles, session: DialogueSession) -> bool:
    """Every organisation's positions: everyone in the session, from the joint phase on."""
    return roles.any and session.phase in JOINT_PHASES


def can_open_own_page(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    """Offers and needs, and the review of its own outcomes: the organisation's members."""
    return roles.is_member_of(preparation.organisation_id)


def can_edit_offers(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    return roles.is_member_of(preparation.organisation_id) and session.phase in EDITING_OWN_PHASES


def can_view_exchange(roles: SessionRoles, session: DialogueSession) -> bool:
    """Every organisation's offers and needs, with the matches: from the joint phase on."""
    return roles.any and session.phase in JOINT_PHASES


def can_review_own_outcomes(
    roles: SessionRoles, session: DialogueSession, preparation: Preparation
) -> bool:
    return (
        session.previous_id is not None
        and roles.is_member_of(preparation.organisation_id)
        and session.phase in EDITING_OWN_PHASES
    )


def can_edit_serves(roles: SessionRoles, session: DialogueSession) -> bool:
    return can_record_joint_results(roles, session)


def can_view_history(roles: SessionRoles, session: DialogueSession) -> bool:
    """Per motive and organisation over the rounds: like the comparison."""
    return can_view_comparison(roles, session)
