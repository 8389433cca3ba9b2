"""Who may open which page in which phase: every URL pattern x every role x every phase.

The URL patterns are enumerated from the URL configuration, so a new view that is
not described in ``RULES`` makes this suite fail until someone decides who may use it.
Besides status codes, every response is checked for the organisations' private
answers, which must not appear where the role may not read them.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.models import Phase
from sessions.phases import JOINT_PHASES
from tests import factories

ROLES = [
    "anonymous",
    "outsider",  # signed in, nothing to do with this session
    "member",  # alice: member of the education organisation
    "other_member",  # bob: member of the practice organisation in the same session
    "facilitator",
    "coordinator",
    "other_coordinator",  # coordinates another learning community
    "staff",  # superuser: uses the admin, has no role in the web app
]
IN_SESSION = {"member", "other_member", "facilitator", "coordinator"}
SIGNED_IN = set(ROLES) - {"anonymous"}
ALICE_SECRET = "ALICE-PRIVATE-OUTCOME"
BOB_SECRET = "BOB-PRIVATE-OUTCOME"
NOT_CLOSED = set(Phase.values) - {Phase.CLOSED}
EARLY = {Phase.DRAFT, Phase.PREPARATION}


def always(roles):
    return lambda role, phase: role in roles


def in_phases(roles, phases):
    return lambda role, phase: role in roles and phase in phases


def reads_alice(role, phase):
    return role == "member" or (role in IN_SESSION and phase in JOINT_PHASES)


# url name -> (method, allowed(role, phase), status for a signed-in person who is refused)
RULES = {
    # public pages
    "home": ("get", always(ROLES), None),
    "login": ("get", always(ROLES), None),
    "logout": ("post", always(ROLES), None),
    "set_language": ("post", always(ROLES), None),
    "password_reset": ("get", always(ROLES), None),
    "password_reset_done": ("get", always(ROLES), None),
    "password_reset_confirm": ("get", always(ROLES), None),
    "password_reset_complete": ("get", always(ROLES), None),
    "invitation_accept": ("get", always(ROLES), None),
    # any signed-in person, about their own account
    "password_change": ("get", always(SIGNED_IN), None),
    "password_change_done": ("get", always(SIGNED_IN), None),
    "community_list": ("get", always(SIGNED_IN), None),
    # starting a community needs the Coordinators group (not an object: 403)
    "community_create": ("get", always({"staff"}), 403),
    # one learning community: its coordinators only
    "community_detail": ("get", always({"coordinator"}), 404),
    "community_edit": ("get", always({"coordinator"}), 404),
    "organisation_add": ("get", always({"coordinator"}), 404),
    "organisation_remove": ("get", always({"coordinator"}), 404),
    "session_create": ("get", always({"coordinator"}), 404),
    # one session
    "session_detail": ("get", always(IN_SESSION), 404),
    "session_edit": ("get", in_phases({"coordinator"}, EARLY), 404),
    "session_phase": (
        "get",
        lambda role, phase: (
            (role == "coordinator" and phase != Phase.CLOSED)
            or (role == "facilitator" and phase not in {Phase.DRAFT, Phase.CLOSED})
        ),
        404,
    ),
    "invitation_list": ("get", always({"coordinator"}), 404),
    "invitation_create": ("get", in_phases({"coordinator"}, NOT_CLOSED), 404),
    "invitation_resend": ("post", in_phases({"coordinator"}, NOT_CLOSED), 404),
    "invitation_revoke": ("get", always({"coordinator"}), 404),
    # the joint PDF report: progress for coordinators and facilitators in every phase,
    # the whole report for partners once the dialogue opened
    "session_report": (
        "get",
        lambda role, phase: (
            role in {"coordinator", "facilitator"}
            or (role in {"member", "other_member"} and phase in JOINT_PHASES)
        ),
        404,
    ),
    # the Fase 2 comparison, its presentation mode and the state that mode polls
    "session_comparison": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_present": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_present_state": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    # the education organisation's format
    "preparation_detail": ("get", reads_alice, 404),
    "preparation_submit": ("get", always({"member"}), 404),
    "preparation_withdraw": ("get", always({"member"}), 404),
    # joint motives, agreements and notes: everyone in the session reads them from the
    # dialogue on; facilitators and coordinators record them (the item pages send them
    # back to the read-only results once the session is closed)
    "session_results": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "joint_motive_edit": ("get", in_phases({"facilitator", "coordinator"}, JOINT_PHASES), 404),
    "joint_motive_delete": ("get", in_phases({"facilitator", "coordinator"}, JOINT_PHASES), 404),
    "agreement_edit": ("get", in_phases({"facilitator", "coordinator"}, JOINT_PHASES), 404),
    "agreement_delete": ("get", in_phases({"facilitator", "coordinator"}, JOINT_PHASES), 404),
    "note_delete": ("get", in_phases({"facilitator", "coordinator"}, JOINT_PHASES), 404),
    # evaluation rounds: the matrix session follows a closed previous round
    "review_list": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_next_round": ("get", in_phases({"coordinator"}, {Phase.CLOSED}), 404),
}


def url_names(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own staff check, tested in test_admin
            yield from url_names(pattern.url_patterns, pattern.namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def test_every_url_pattern_has_an_access_rule():
    names = set(url_names())
    assert names - set(RULES) == set(), "new views need a rule in RULES"
    assert set(RULES) - names == set(), "RULES names a view that no longer exists"


@pytest.fixture
def world(db):
    community = factories.LearningCommunityFactory(name="LC Matrix")
    session = factories.DialogueSessionFactory(community=community, title="Matrix session")
    education = factories.OrganisationFactory(name="Edu Matrix", partner_type=PartnerType.EDUCATION)
    practice = factories.OrganisationFactory(
        name="Practice Matrix", partner_type=PartnerType.PRACTICE
    )
    network = Motive.objects.get(code="capital.network")
    preparations = {}
    for organisation, secret in ((education, ALICE_SECRET), (practice, BOB_SECRET)):
        factories.PartnershipFactory(community=community, organisation=organisation)
        preparation = factories.PreparationFactory(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        factories.AnswerFactory(preparation=preparation, motive=network, intended_outcome=secret)
        preparations[organisation.partner_type] = preparation
    people = {
        "outsider": factories.UserFactory(email="outsider@example.org"),
        "member": factories.UserFactory(email="alice@example.org"),
        "other_member": factories.UserFactory(email="bob@example.org"),
        "facilitator": factories.UserFactory(email="carol@example.org"),
        "coordinator": factories.UserFactory(email="dave@example.org"),
        "other_coordinator": factories.UserFactory(email="olga@example.org"),
        "staff": factories.UserFactory(email="sam@example.org", is_staff=True, is_superuser=True),
    }
    factories.MembershipFactory(person=people["member"], organisation=education)
    factories.MembershipFactory(person=people["other_member"], organisation=practice)
    session.facilitators.add(people["facilitator"])
    community.coordinators.add(people["coordinator"])
    factories.LearningCommunityFactory(name="Other LC").coordinators.add(
        people["other_coordinator"]
    )
    invitation = factories.InvitationFactory(
        session=session,
        organisation=education,
        email="new@example.org",
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    # joint results, and a closed previous round so that the review page exists
    session.previous = factories.DialogueSessionFactory(
        community=community, title="Matrix previous round", phase=Phase.CLOSED
    )
    session.save()
    joint_results = {
        "joint_motive": factories.JointMotiveFactory(session=session),
        "agreement": factories.AgreementFactory(session=session),
        "note": factories.NoteFactory(session=session),
    }
    args = {
        "session_pk": session.pk,
        "pk": session.pk,
        "community_pk": community.pk,
        "education": education,
        "preparation": preparations[PartnerType.EDUCATION],
        "invitation": invitation,
        **joint_results,
    }
    return session, people, args


def url_for(name, args):
    session_pk, community_pk = args["session_pk"], args["community_pk"]
    by_name = {
        "community_detail": [community_pk],
        "community_edit": [community_pk],
        "organisation_add": [community_pk],
        "organisation_remove": [community_pk, args["education"].pk],
        "session_create": [community_pk],
        "session_detail": [session_pk],
        "session_comparison": [session_pk],
        "session_present": [session_pk],
        "session_present_state": [session_pk],
        "session_report": [session_pk],
        "session_edit": [session_pk],
        "session_phase": [session_pk],
        "invitation_list": [session_pk],
        "invitation_create": [session_pk],
        "invitation_resend": [session_pk, args["invitation"].pk],
        "invitation_revoke": [session_pk, args["invitation"].pk],
        "invitation_accept": [args["invitation"].token],
        "preparation_detail": [session_pk, args["preparation"].pk],
        "preparation_submit": [session_pk, args["preparation"].pk],
        "preparation_withdraw": [session_pk, args["preparation"].pk],
        "session_results": [session_pk],
        "joint_motive_edit": [session_pk, args["joint_motive"].pk],
        "joint_motive_delete": [session_pk, args["joint_motive"].pk],
        "agreement_edit": [session_pk, args["agreement"].pk],
        "agreement_delete": [session_pk, args["agreement"].pk],
        "note_delete": [session_pk, args["note"].pk],
        "review_list": [session_pk],
        "session_next_round": [session_pk],
        "password_reset_confirm": ["MQ", "set-password"],
    }
    return reverse(name, args=by_name.get(name, []))


@pytest.mark.parametrize("phase", Phase.values)
@pytest.mark.parametrize("name", sorted(RULES))
def test_each_role_gets_what_the_phase_allows_and_no_private_answer_leaks(
    client, world, name, phase
):
    session, people, args = world
    session.phase = phase
    session.save()
    method, allowed, refused_status = RULES[name]
    problems = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        response = getattr(client, method)(url_for(name, args))
        location = response.headers.get("Location", "")
        if role == "anonymous" and not allowed(role, phase):
            ok = response.status_code == 302 and location.startswith(reverse("login"))
            expected = "a redirect to sign in"
        elif allowed(role, phase):
            ok = response.status_code in (200, 302) and not location.startswith(reverse("login"))
            expected = "200 or a redirect"
        else:
            ok = response.status_code == refused_status
            expected = str(refused_status)
        if not ok:
            problems.append(f"{role}: got {response.status_code} {location}, expected {expected}")
        body = response.content.decode(errors="replace")
        if ALICE_SECRET in body and not reads_alice(role, phase):
            problems.append(f"{role}: sees the education organisation's private answer")
        if BOB_SECRET in body and not (
            role == "other_member" or (role in IN_SESSION and phase in JOINT_PHASES)
        ):
            problems.append(f"{role}: sees the practice organisation's private answer")
    assert problems == []


@pytest.mark.parametrize(
    "name", ["session_detail", "preparation_detail", "invitation_list", "session_edit"]
)
def test_ids_from_another_session_give_404_even_to_its_own_coordinator(client, world, name):
    """No IDOR: the ids of one session do not open another session's pages."""
    session, people, args = world
    other = factories.DialogueSessionFactory(title="Another session")
    other.community.coordinators.add(people["other_coordinator"])
    client.force_login(people["other_coordinator"])
    mixed = dict(args, session_pk=other.pk) if name == "preparation_detail" else args
    assert client.get(url_for(name, mixed)).status_code == 404
