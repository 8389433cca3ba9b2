"""Who may open which page in which phase: every URL pattern x every role x every phase.

The URL patterns are enumerated from the URL configuration, so a new view that is
not described in ``RULES`` makes this suite fail until someone decides who may use it.
Besides status codes, every response is checked for the organisations' private
answers, which must not appear where the role may not read them (also inside PDF
and XLSX downloads). Object ids of another learning community, and URLs that mix
the ids of two communities, are tried on every URL pattern (no IDOR).
"""

import datetime
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.interchange.format import import_session
from sessions.models import InvitationRole, Phase, Preparation, PreparationExtra
from sessions.policy.phases import JOINT_PHASES, RECORDING_PHASES
from tests import factories
from tests.tasks import delivered

ROLES = [
    "anonymous",
    "outsider",  # signed in, nothing to do with this session
    "member",  # alice: member of the education organisation
    "other_member",  # bob: member of the practice organisation in the same session
    "facilitator",
    "coordinator",
    "other_coordinator",  # coordinates another learning community
    "staff",  # superuser: uses the admin, has no role in the web app
    "researcher",  # in the Researchers group: the cross-case view, no role in any session
    # coordinates another community, where she created organisations named like ours
    # (through a session file and in other letter case) and made herself their member
    "intruder",
    # the Fase 1 process guide (procesbegeleider) of the education organisation (A): reads
    # and edits A's format, never submits it, never sees B's or the joint phase
    "guide",
    # the process guide of the organisation named like A in the intruder's community
    "foreign_guide",
]
IN_SESSION = {"member", "other_member", "facilitator", "coordinator"}
SIGNED_IN = set(ROLES) - {"anonymous"}
ALICE_SECRET = "ALICE-PRIVATE-OUTCOME"
BOB_SECRET = "BOB-PRIVATE-OUTCOME"
NOT_CLOSED = set(Phase.values) - {Phase.CLOSED}
EARLY = {Phase.DRAFT, Phase.PREPARATION}
QUICK_SCAN_RUNNERS = {"facilitator", "coordinator", "other_coordinator", "staff", "intruder"}


def always(roles):
    return lambda role, phase: role in roles


def in_phases(roles, phases):
    return lambda role, phase: role in roles and phase in phases


def reads_alice(role, phase):
    return role in {"member", "guide"} or (role in IN_SESSION and phase in JOINT_PHASES)


# url name -> (method, allowed(role, phase), status for a signed-in person who is refused,
#              and optionally the statuses an allowed person may get, if not 200 or a redirect)
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
    "mail_preferences": ("get", always(SIGNED_IN), None),
    "community_list": ("get", always(SIGNED_IN), None),
    # starting a community needs the Coordinators group (not an object: 403)
    "community_create": ("get", always({"staff"}), 403),
    # one learning community: its coordinators only
    "community_detail": ("get", always({"coordinator"}), 404),
    "community_edit": ("get", always({"coordinator"}), 404),
    "organisation_add": ("get", always({"coordinator"}), 404),
    "organisation_remove": ("get", always({"coordinator"}), 404),
    "community_research_consent": ("get", always({"coordinator"}), 404),
    # the logo: served to the community's coordinators only; an empty upload form is
    # given back with its message (400)
    "community_logo": ("get", always({"coordinator"}), 404),
    "community_logo_edit": ("post", always({"coordinator"}), 404, {400}),
    "session_create": ("get", always({"coordinator"}), 404),
    # one session
    # the guide sees the session page with only A's card (no joint links)
    "session_detail": ("get", always(IN_SESSION | {"guide"}), 404),
    "session_edit": ("get", in_phases({"coordinator"}, EARLY), 404),
    "session_deadline": ("get", in_phases({"coordinator"}, EARLY), 404),
    "session_follow_up": ("get", always({"coordinator"}), 404),
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
    "invitation_bulk": ("get", in_phases({"coordinator"}, NOT_CLOSED), 404),
    "invitation_resend": ("post", in_phases({"coordinator"}, NOT_CLOSED), 404),
    "invitation_revoke": ("get", always({"coordinator"}), 404),
    # the joint PDF report for everyone in the session from the dialogue on; before
    # then the same URL answers them with a page that says why there is no report yet;
    # 202: being prepared by the worker (the file follows)
    "session_report": ("get", always(IN_SESSION), 404, {200, 202}),
    # the Fase 2 comparison, its presentation mode and the state that mode polls
    "session_comparison": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_present": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_present_state": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    # the education organisation's format
    "preparation_detail": ("get", reads_alice, 404),
    "preparation_submit": ("get", always({"member"}), 404),
    "preparation_withdraw": ("get", always({"member"}), 404),
    # the format's autosave (JSON): the organisation's members only, everyone else the
    # 404 of the format page. The matrix's format is submitted, so a member is told it
    # is closed (409); tests/sessions/preparation/test_autosave.py saves an open one.
    # round 2 starts from round 1: the organisation's members copy last round's answers
    # (the matrix's format is submitted, so a member is sent back with the reason)
    "preparation_copy_previous": ("post", always({"member"}), 404),
    "preparation_autosave": ("post", always({"member", "guide"}), 404, {409}),
    # the education organisation's Fase 1 process guide: its members, its guide and the
    # coordinator see who it is; members and the coordinator invite (before the joint
    # dialogue; later the page shows the guide without the form) and remove one
    "preparation_guides": ("get", always({"member", "guide", "coordinator"}), 404),
    "preparation_guide_remove": ("post", always({"member", "coordinator"}), 404),
    "preparation_guide_invitation_revoke": ("post", always({"member", "coordinator"}), 404),
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
    # the cross-case research view: researchers (and superusers), counts only
    "research_cross_case": ("get", always({"researcher", "staff"}), 404),
    "research_cross_case_csv": ("get", always({"researcher", "staff"}), 404),
    "research_cross_case_xlsx": ("get", always({"researcher", "staff"}), 404),
    # the texts behind the marks (intended outcomes, other motives) of consenting cases
    "research_qualitative_csv": ("get", always({"researcher", "staff"}), 404),
    # interchange: importing into a community is for its coordinators; the session file
    # holds every format, so coordinators and facilitators download it from the dialogue on;
    # the answers table (submitted formats only) is for everyone in the session from then on
    "community_import": ("get", always({"coordinator"}), 404),
    "session_export": ("get", in_phases({"coordinator", "facilitator"}, JOINT_PHASES), 404),
    "session_answers_csv": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_answers_xlsx": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    # Quick Scans: started by people who facilitate or coordinate anything (not an object:
    # 403); one scan's pages for its owner (the facilitator) and staff; the participant's
    # short link for everyone, without an account
    "quickscan_list": ("get", always(QUICK_SCAN_RUNNERS), 403),
    "quickscan_create": ("get", always(QUICK_SCAN_RUNNERS), 403),
    "quickscan_detail": ("get", always({"facilitator", "staff"}), 404),
    "quickscan_results": ("get", always({"facilitator", "staff"}), 404),
    "quickscan_results_state": ("get", always({"facilitator", "staff"}), 404),
    "quickscan_close": ("get", always({"facilitator", "staff"}), 404),
    "quickscan_delete": ("get", always({"facilitator", "staff"}), 404),
    "quickscan_csv": ("get", always({"facilitator", "staff"}), 404),
    "quickscan_xlsx": ("get", always({"facilitator", "staff"}), 404),
    "quickscan_reveal": ("post", always({"facilitator", "staff"}), 404),
    # the owner who coordinates the scan's community; staff manage scans but coordinate nothing
    "quickscan_start_session": ("get", always({"coordinator"}), 404),
    "quickscan_join": ("get", always(ROLES), None),
    # deciding together: partners vote from their own device while the dialogue runs;
    # everyone in the session sees the totals, the positions, the offers and needs and
    # the priorities from the joint phase on (an organisation's positions are never
    # visible to another before it); facilitators and coordinators turn candidates into
    # joint motives and say what each agreement serves; an organisation's own pages are
    # for its members
    "session_vote": ("get", in_phases({"member", "other_member"}, RECORDING_PHASES), 404),
    "session_votes_live": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "vote_promote": ("post", in_phases({"facilitator", "coordinator"}, JOINT_PHASES), 404),
    "session_positions": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_exchange": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_priorities": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "session_history": ("get", in_phases(IN_SESSION, JOINT_PHASES), 404),
    "agreement_serves": ("get", in_phases({"facilitator", "coordinator"}, JOINT_PHASES), 404),
    "preparation_positions": ("get", in_phases({"member"}, JOINT_PHASES), 404),
    "preparation_offers": ("get", always({"member"}), 404),
    "preparation_own_review": ("get", always({"member"}), 404),
    "preparation_participants": ("get", always({"member"}), 404),
    # privacy and audit (issue 16)
    "privacy_statement": ("get", always(ROLES), None),
    "accessibility_statement": ("get", always(ROLES), None),
    "account": ("get", always(SIGNED_IN), None),
    "account_data": ("get", always(SIGNED_IN), None),
    "community_retention": ("get", always({"coordinator"}), 404),
    # every coordinator reads the log of their own communities; staff read all of it
    "audit_log": ("get", always({"coordinator", "other_coordinator", "intruder", "staff"}), 404),
    # sign-in: the second factor is for staff; the e-mail link page is open to all; the link
    # itself without a valid token is refused (403); institution sign-in is off here (404)
    "two_factor_setup": ("get", always({"staff"}), 404),
    # backup codes: staff, after the admin's sign-in asked for the second factor (302 there)
    "two_factor_backup_codes": ("get", always({"staff"}), 404, {302}),
    "email_link": ("get", always(ROLES), None),
    "email_link_signin": ("get", always(ROLES), None, {403}),
    "oidc_authentication_init": ("get", always(ROLES), None, {404}),
    "oidc_authentication_callback": ("get", always(ROLES), None, {404}),
    # signing out (also at the institution when signed in through it): anyone may post
    "institution_logout": ("post", always(ROLES), None),
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
    return build_world()


def png_logo():
    """A small PNG: the matrix community has a logo, so its URL has something to serve."""
    data = io.BytesIO()
    Image.new("RGB", (4, 2), (29, 78, 137)).save(data, format="PNG")
    return data.getvalue()


def build_world(suffix="", people=None):
    """A session with two organisations; ``suffix`` and ``people`` build a second one."""
    # With consent, so that the research pages show this session as a case and the leak
    # check reads them with the case in it.
    community = factories.LearningCommunityFactory(name="LC Matrix" + suffix, research_consent=True)
    community.logo.save("logo.png", ContentFile(png_logo()))
    session = factories.DialogueSessionFactory(community=community, title="Matrix session")
    education = factories.OrganisationFactory(
        community=community, name="Edu Matrix" + suffix, partner_type=PartnerType.EDUCATION
    )
    practice = factories.OrganisationFactory(
        community=community, name="Practice Matrix" + suffix, partner_type=PartnerType.PRACTICE
    )
    network = Motive.objects.get(code="capital.network")
    preparations = {}
    for organisation, secret in ((education, ALICE_SECRET), (practice, BOB_SECRET)):
        preparation = factories.PreparationFactory(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        factories.AnswerFactory(
            preparation=preparation, motive=network, intended_outcome=secret, priority=1
        )
        # what the organisation offers and needs is private until the joint phase too
        PreparationExtra.objects.create(
            preparation=preparation, offers=[f"{secret} offer"], needs=[f"{secret} need"]
        )
        preparations[organisation.partner_type] = preparation
    people = people or {
        "outsider": factories.UserFactory(email="outsider@example.org"),
        "member": factories.UserFactory(email="alice@example.org"),
        "other_member": factories.UserFactory(email="bob@example.org"),
        "facilitator": factories.UserFactory(email="carol@example.org"),
        "coordinator": factories.UserFactory(email="dave@example.org"),
        "other_coordinator": factories.UserFactory(email="olga@example.org"),
        "staff": factories.UserFactory(email="sam@example.org", is_staff=True, is_superuser=True),
        "researcher": factories.ResearcherFactory(email="rita@example.org"),
        "intruder": factories.UserFactory(email="ivy@example.org"),
        "guide": factories.UserFactory(email="gina@example.org"),
        "foreign_guide": factories.UserFactory(email="fred@example.org"),
    }
    factories.MembershipFactory(person=people["member"], organisation=education)
    factories.MembershipFactory(person=people["other_member"], organisation=practice)
    session.facilitators.add(people["facilitator"])
    community.coordinators.add(people["coordinator"])
    factories.LearningCommunityFactory(name="Other LC" + suffix).coordinators.add(
        people["other_coordinator"]
    )
    join_by_name(people["intruder"], education, practice, suffix)
    preparations[PartnerType.EDUCATION].guides.add(people["guide"])
    # the intruder's session has an organisation named like A: its guide is a stranger here
    Preparation.objects.get(
        session__community__name="Intruder LC" + suffix, organisation__partner_type="education"
    ).guides.add(people["foreign_guide"])
    guide_invitation = factories.InvitationFactory(
        session=session,
        role=InvitationRole.GUIDE,
        organisation=education,
        email="guide-invited@example.org",
        expires_at=timezone.now() + datetime.timedelta(days=3),
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
        "guide_invitation": guide_invitation,
        "guide": people["guide"],
        **joint_results,
        "quickscan": factories.QuickScanFactory(created_by=people["facilitator"]),
        "quickscan_in_community": factories.QuickScanFactory(
            created_by=people["coordinator"], community=community
        ),
    }
    return session, people, args


def join_by_name(intruder, education, practice, suffix):
    """The intruder's own community, with organisations named like ours and her as member."""
    theirs = factories.LearningCommunityFactory(name="Intruder LC" + suffix)
    theirs.coordinators.add(intruder)
    me = [{"email": intruder.email, "name": "Ivy"}]
    import_session(
        {
            "format": "sms-tool.session/1",
            "learning_community": {"name": "LC Matrix" + suffix, "setting": "public-private"},
            "session": {"title": "Intruder session", "phase": "preparation", "facilitators": me},
            "organisations": [
                {"name": education.name.upper(), "partner_type": "education", "members": me},
                {"name": practice.name, "partner_type": "practice", "members": me},
            ],
        },
        community=theirs,
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable_text(response):
    """What a person could read in the response, also inside a PDF or XLSX download."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.headers.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(content))
        metadata = [str(value) for value in (reader.metadata or {}).values()]
        return "\n".join(metadata + [page.extract_text() or "" for page in reader.pages])
    if content_type.startswith(XLSX):
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode(errors="replace")


def cache_directives(response):
    """The Cache-Control directives of a response, without their values."""
    return {
        part.split("=")[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def compact(text):
    """Without whitespace: a PDF may break a long word over two lines."""
    return "".join(text.split())


def url_for(name, args):
    session_pk, community_pk = args["session_pk"], args["community_pk"]
    by_name = {
        "community_detail": [community_pk],
        "community_edit": [community_pk],
        "organisation_add": [community_pk],
        "organisation_remove": [community_pk, args["education"].pk],
        "community_research_consent": [community_pk],
        "community_logo": [community_pk],
        "community_logo_edit": [community_pk],
        "session_create": [community_pk],
        "session_detail": [session_pk],
        "session_comparison": [session_pk],
        "session_present": [session_pk],
        "session_present_state": [session_pk],
        "session_report": [session_pk],
        "session_edit": [session_pk],
        "session_deadline": [session_pk],
        "session_follow_up": [session_pk],
        "session_phase": [session_pk],
        "invitation_list": [session_pk],
        "invitation_create": [session_pk],
        "invitation_bulk": [session_pk],
        "invitation_resend": [session_pk, args["invitation"].pk],
        "invitation_revoke": [session_pk, args["invitation"].pk],
        "invitation_accept": [args["invitation"].token],
        "preparation_detail": [session_pk, args["preparation"].pk],
        "preparation_submit": [session_pk, args["preparation"].pk],
        "preparation_withdraw": [session_pk, args["preparation"].pk],
        "preparation_autosave": [session_pk, args["preparation"].pk],
        "session_results": [session_pk],
        "joint_motive_edit": [session_pk, args["joint_motive"].pk],
        "joint_motive_delete": [session_pk, args["joint_motive"].pk],
        "agreement_edit": [session_pk, args["agreement"].pk],
        "agreement_delete": [session_pk, args["agreement"].pk],
        "note_delete": [session_pk, args["note"].pk],
        "review_list": [session_pk],
        "session_next_round": [session_pk],
        "community_import": [community_pk],
        "session_export": [session_pk],
        "session_answers_csv": [session_pk],
        "session_answers_xlsx": [session_pk],
        "session_vote": [session_pk],
        "session_votes_live": [session_pk],
        "vote_promote": [session_pk],
        "session_positions": [session_pk],
        "session_exchange": [session_pk],
        "session_priorities": [session_pk],
        "session_history": [session_pk],
        "agreement_serves": [session_pk, args["agreement"].pk],
        "preparation_positions": [session_pk, args["preparation"].pk],
        "preparation_offers": [session_pk, args["preparation"].pk],
        "preparation_own_review": [session_pk, args["preparation"].pk],
        "preparation_participants": [session_pk, args["preparation"].pk],
        "preparation_copy_previous": [session_pk, args["preparation"].pk],
        "preparation_guides": [session_pk, args["preparation"].pk],
        "preparation_guide_remove": [session_pk, args["preparation"].pk, args["guide"].pk],
        "preparation_guide_invitation_revoke": [
            session_pk,
            args["preparation"].pk,
            args["guide_invitation"].pk,
        ],
        "quickscan_detail": [args["quickscan"].pk],
        "quickscan_results": [args["quickscan"].pk],
        "quickscan_results_state": [args["quickscan"].pk],
        "quickscan_close": [args["quickscan"].pk],
        "quickscan_delete": [args["quickscan"].pk],
        "quickscan_csv": [args["quickscan"].pk],
        "quickscan_xlsx": [args["quickscan"].pk],
        "quickscan_reveal": [args["quickscan"].pk],
        "quickscan_start_session": [args["quickscan_in_community"].pk],
        "quickscan_join": [args["quickscan"].code],
        "password_reset_confirm": ["MQ", "set-password"],
        "community_retention": [community_pk],
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
    method, allowed, refused_status, *allowed_statuses = RULES[name]
    allowed_statuses = allowed_statuses[0] if allowed_statuses else {200, 302}
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
            ok = response.status_code in allowed_statuses and not location.startswith(
                reverse("login")
            )
            expected = " or ".join(str(status) for status in sorted(allowed_statuses))
        else:
            ok = response.status_code == refused_status
            expected = str(refused_status)
        if not ok:
            problems.append(f"{role}: got {response.status_code} {location}, expected {expected}")
        if role != "anonymous" and not {"private", "no-store"} <= cache_directives(response):
            problems.append(f"{role}: may be cached ({response.get('Cache-Control')!r})")
        body = compact(readable_text(response))
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


def test_the_leak_check_reads_the_text_inside_pdf_and_xlsx_downloads(client, world):
    """Proof that the check above sees private answers in downloads where they are allowed."""
    session, people, args = world
    session.phase = Phase.DIALOGUE
    session.save()
    client.force_login(people["member"])
    with delivered():  # the first request queues the report; the worker renders it
        client.get(url_for("session_report", args))
    for name in ("session_report", "session_answers_xlsx"):
        response = client.get(url_for(name, args))
        assert response.status_code == 200
        text = compact(readable_text(response))
        assert ALICE_SECRET in text, name
        assert BOB_SECRET in text, name


# --- no IDOR, generated from RULES and url_for: every URL pattern with an object id ----

ROLES_WITH_GLOBAL_RIGHTS = {"anonymous", "staff", "researcher"}


def id_keys(name, args, other_args):
    """The keys of ``args`` this URL is built from: swapping one changes the URL."""
    url = url_for(name, args)
    return [key for key in args if url_for(name, {**args, key: other_args[key]}) != url]


def in_phase(phase, *sessions):
    for session in sessions:
        session.phase = phase
        session.save()


@pytest.mark.parametrize("phase", Phase.values)
def test_the_ids_of_another_community_give_404_to_everyone_with_rights_in_this_one(
    client, world, phase
):
    """Dave coordinates community A: every page of community B's objects is a 404 for him."""
    session, people, args = world
    strangers = {role: factories.UserFactory() for role in people}
    other_session, _, other_args = build_world(" B", people=strangers)
    in_phase(phase, session, other_session)
    problems, tried = [], 0
    for name, (method, allowed, *_) in sorted(RULES.items()):
        if allowed("outsider", phase) or not id_keys(name, args, other_args):
            continue  # a public page, or not about an object
        for role in sorted(set(ROLES) - ROLES_WITH_GLOBAL_RIGHTS):
            if allowed(role, phase):
                client.force_login(people[role])
                response = getattr(client, method)(url_for(name, other_args))
                tried += 1
                if response.status_code != 404:
                    problems.append(f"{name} as {role}: {response.status_code}")
    assert problems == []
    assert tried > 0


@pytest.mark.parametrize("phase", Phase.values)
def test_a_url_mixing_the_ids_of_two_communities_the_person_works_in_gives_404(
    client, world, phase
):
    """The same people have the same roles in B; A's page with one of B's ids is a 404."""
    session, people, args = world
    other_session, _, other_args = build_world(" B", people=people)
    in_phase(phase, session, other_session)
    problems, tried = [], 0
    for name, (method, allowed, *_) in sorted(RULES.items()):
        keys = id_keys(name, args, other_args)
        if len(keys) < 2:
            continue  # one id: covered by the test above
        for key in keys:
            mixed = url_for(name, {**args, key: other_args[key]})
            for role in sorted(SIGNED_IN):
                if allowed(role, phase):
                    client.force_login(people[role])
                    response = getattr(client, method)(mixed)
                    tried += 1
                    if response.status_code != 404:
                        problems.append(f"{name} with {key} of B as {role}: {response.status_code}")
    assert problems == []
    assert tried > 0
