"""Generated input to every form: never a server error, always a message, nothing typed lost.

For each URL whose view accepts POST, the persona who may use it signs in and
posts dictionaries that hypothesis generates: the form's real field names (read
from the page itself, so a new field is covered at once) with random, huge,
unicode and control-character values, real option values now and then, lists
where one value is expected, and extra keys nobody asked for. Every example runs
in a transaction that is rolled back, so each starts from the same world.

``test_every_view_that_accepts_post_is_covered`` fails when a view that accepts
POST is in neither ``FORMS`` nor ``READS``: a new form cannot escape these tests.
"""

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.models import Phase
from tests.robustness.conftest import client_for, rolled_back
from tests.robustness.webforms import accepts_post, page_fields, url_callbacks

EXAMPLES = 25
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no example database in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _submit_education(world):
    world.preparation.submitted_at = timezone.now()
    world.preparation.save()


def _reset_link(world):
    """The link of a password-reset mail; opening it keeps the token in the session."""
    person = world.people["alice"]
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(person)])


def _set_password_url(world):
    uid = urlsafe_base64_encode(force_bytes(world.people["alice"].pk))
    return reverse("password_reset_confirm", args=[uid, "set-password"])


@dataclass(frozen=True)
class Spec:
    """Who posts where, in which phase, after which preparation of the world."""

    persona: Any  # a persona name, or None for someone who is not signed in
    url: Any  # world -> URL
    phase: str = Phase.PREPARATION
    setup: Any = None  # world -> None, run inside the rolled-back transaction
    opened_first: Any = None  # world -> URL the client opens before posting
    has_page: bool = True  # False for views that only take a POST
    fields: tuple = ()  # names a POST-only view reads
    sent_form: Any = None  # data -> prefix of the one form sent, on a page with several forms
    fields_from: Any = None  # world -> URL of the page whose form a POST-only view reads


def _last(value):
    """The value Django reads for a key sent once or several times."""
    return value[-1] if isinstance(value, list) else value


def _results_form(data):
    prefixes = {"joint_motive": "motive-", "agreement": "agreement-", "note": "note-"}
    return prefixes.get(_last(data.get("form")), "-")


def _make_dave_staff(world):
    world.people["dave"].is_staff = True
    world.people["dave"].save()


def _hide_scan_results(world):
    world.scan.hide_results = True
    world.scan.save()


def _scan_in_community(world):
    world.scan.community = world.community
    world.scan.save()


def session_url(name):
    return lambda w: reverse(name, args=[w.session.pk])


def community_url(name):
    return lambda w: reverse(name, args=[w.community.pk])


def item_url(name, item):
    return lambda w: reverse(name, args=[w.session.pk, getattr(w, item).pk])


def preparation_url(name):
    return lambda w: reverse(name, args=[w.session.pk, w.preparation.pk])


def _guide_invitation_url(w):
    """The revoke URL of an open guide invitation of the education organisation."""
    from sessions.models import InvitationRole
    from tests import factories

    invitation = w.session.invitations.filter(role=InvitationRole.GUIDE).first()
    if invitation is None:
        invitation = factories.InvitationFactory(
            session=w.session, role=InvitationRole.GUIDE, organisation=w.preparation.organisation
        )
    return reverse(
        "preparation_guide_invitation_revoke", args=[w.session.pk, w.preparation.pk, invitation.pk]
    )


FORMS = {
    # accounts (Django's views, our templates)
    "login": Spec(None, lambda w: reverse("login")),
    "logout": Spec("alice", lambda w: reverse("logout"), has_page=False),
    "institution_logout": Spec("alice", lambda w: reverse("institution_logout"), has_page=False),
    "set_language": Spec(
        "alice", lambda w: reverse("set_language"), has_page=False, fields=("language", "next")
    ),
    "password_reset": Spec(None, lambda w: reverse("password_reset")),
    "password_reset_confirm": Spec(None, _set_password_url, opened_first=_reset_link),
    "password_change": Spec("alice", lambda w: reverse("password_change")),
    # learning communities
    "community_create": Spec("dave", lambda w: reverse("community_create")),
    "community_edit": Spec("dave", community_url("community_edit")),
    "organisation_add": Spec("dave", community_url("organisation_add")),
    "organisation_remove": Spec(
        "dave", lambda w: reverse("organisation_remove", args=[w.community.pk, w.education.pk])
    ),
    "community_import": Spec("dave", community_url("community_import")),
    "community_research_consent": Spec("dave", community_url("community_research_consent")),
    # the logo form on the edit page posts here (a file upload; generated posts send none)
    "community_logo_edit": Spec(
        "dave",
        community_url("community_logo_edit"),
        has_page=False,
        fields=("logo-remove", "logo-logo"),
    ),
    # the coordinator's session pages
    "session_create": Spec("dave", community_url("session_create")),
    "session_edit": Spec("dave", session_url("session_edit")),
    "session_phase": Spec("dave", session_url("session_phase")),
    "session_next_round": Spec("dave", session_url("session_next_round"), phase=Phase.CLOSED),
    # invitations
    "invitation_create": Spec(
        "dave", lambda w: reverse("invitation_create", kwargs={"session_pk": w.session.pk})
    ),
    "invitation_bulk": Spec(
        "dave", lambda w: reverse("invitation_bulk", kwargs={"session_pk": w.session.pk})
    ),
    "invitation_resend": Spec(
        "dave",
        lambda w: reverse("invitation_resend", args=[w.session.pk, w.invitation.pk]),
        has_page=False,
    ),
    "invitation_revoke": Spec(
        "dave", lambda w: reverse("invitation_revoke", args=[w.session.pk, w.invitation.pk])
    ),
    "invitation_accept": Spec(
        None, lambda w: reverse("invitation_accept", args=[w.invitation.token])
    ),
    # a partner's format
    "preparation_detail": Spec("alice", preparation_url("preparation_detail")),
    "preparation_submit": Spec("alice", preparation_url("preparation_submit")),
    "preparation_withdraw": Spec(
        "alice", preparation_url("preparation_withdraw"), setup=_submit_education
    ),
    "preparation_autosave": Spec(
        "alice",
        preparation_url("preparation_autosave"),
        has_page=False,
        fields_from=preparation_url("preparation_detail"),
    ),
    # the format page's copy button sends the whole format (saved first), or nothing
    "preparation_copy_previous": Spec(
        "alice",
        preparation_url("preparation_copy_previous"),
        has_page=False,
        fields_from=preparation_url("preparation_detail"),
    ),
    # the joint dialogue
    "session_results": Spec(
        "carol", session_url("session_results"), phase=Phase.DIALOGUE, sent_form=_results_form
    ),
    "joint_motive_edit": Spec(
        "carol", item_url("joint_motive_edit", "joint_motive"), phase=Phase.DIALOGUE
    ),
    "joint_motive_delete": Spec(
        "carol", item_url("joint_motive_delete", "joint_motive"), phase=Phase.DIALOGUE
    ),
    "agreement_edit": Spec("carol", item_url("agreement_edit", "agreement"), phase=Phase.DIALOGUE),
    "agreement_delete": Spec(
        "carol", item_url("agreement_delete", "agreement"), phase=Phase.DIALOGUE
    ),
    "note_delete": Spec("carol", item_url("note_delete", "note"), phase=Phase.DIALOGUE),
    # Quick Scans: the facilitator's pages and the participant's sheet
    "quickscan_create": Spec("dave", lambda w: reverse("quickscan_create")),
    "quickscan_close": Spec("dave", lambda w: reverse("quickscan_close", args=[w.scan.pk])),
    "quickscan_delete": Spec("dave", lambda w: reverse("quickscan_delete", args=[w.scan.pk])),
    "quickscan_join": Spec(None, lambda w: reverse("quickscan_join", args=[w.scan.code])),
    "quickscan_reveal": Spec(
        "dave",
        lambda w: reverse("quickscan_reveal", args=[w.scan.pk]),
        setup=_hide_scan_results,
        has_page=False,
        fields=(),
    ),
    "quickscan_start_session": Spec(
        "dave",
        lambda w: reverse("quickscan_start_session", args=[w.scan.pk]),
        setup=_scan_in_community,
    ),
    "review_list": Spec("carol", session_url("review_list"), phase=Phase.DIALOGUE),
    # deciding together
    "preparation_participants": Spec("alice", preparation_url("preparation_participants")),
    # the organisation's Fase 1 process guide
    "preparation_guides": Spec("alice", preparation_url("preparation_guides")),
    "preparation_guide_remove": Spec(
        "alice",
        lambda w: reverse(
            "preparation_guide_remove",
            args=[w.session.pk, w.preparation.pk, w.people["carol"].pk],
        ),
        has_page=False,
    ),
    "preparation_guide_invitation_revoke": Spec("alice", _guide_invitation_url, has_page=False),
    # deadline and reminders; each person's mail settings
    "session_deadline": Spec("dave", session_url("session_deadline")),
    "session_follow_up": Spec("dave", session_url("session_follow_up")),
    "mail_preferences": Spec("alice", lambda w: reverse("mail_preferences")),
    "preparation_offers": Spec("alice", preparation_url("preparation_offers")),
    "preparation_positions": Spec(
        "alice", preparation_url("preparation_positions"), phase=Phase.DIALOGUE
    ),
    "preparation_own_review": Spec(
        "alice", preparation_url("preparation_own_review"), phase=Phase.DIALOGUE
    ),
    "session_vote": Spec(
        "alice", session_url("session_vote"), phase=Phase.DIALOGUE, setup=_submit_education
    ),
    "vote_promote": Spec(
        "carol",
        session_url("vote_promote"),
        phase=Phase.DIALOGUE,
        has_page=False,
        fields=("motive",),
    ),
    "agreement_serves": Spec(
        "carol", item_url("agreement_serves", "agreement"), phase=Phase.DIALOGUE
    ),
    # privacy and sign-in (issue 16)
    "community_retention": Spec("dave", community_url("community_retention")),
    "email_link": Spec(None, lambda w: reverse("email_link")),
    "two_factor_setup": Spec("dave", lambda w: reverse("two_factor_setup"), setup=_make_dave_staff),
    # No fields; without the second factor at hand the admin's sign-in asks for it first.
    "two_factor_backup_codes": Spec(
        "dave", lambda w: reverse("two_factor_backup_codes"), setup=_make_dave_staff, has_page=False
    ),
}

# Views that do not limit their methods but only read: a POST shows the same page as a GET.
READS = {
    "home": Spec("alice", lambda w: reverse("home")),
    "community_list": Spec("dave", lambda w: reverse("community_list")),
    "community_detail": Spec("dave", community_url("community_detail")),
    "session_detail": Spec("alice", session_url("session_detail")),
    "invitation_list": Spec(
        "dave", lambda w: reverse("invitation_list", kwargs={"session_pk": w.session.pk})
    ),
}


def test_every_view_that_accepts_post_is_covered():
    posting = {name for name, view in url_callbacks() if accepts_post(view)}
    assert posting - set(FORMS) - set(READS) == set(), "add the new form to FORMS"
    assert set(FORMS) | set(READS) <= posting, "FORMS or READS names a view without POST"


# --- generated values ----------------------------------------------------------

HOSTILE = [
    "<script>alert('sms')</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil.example")',
    "+1+1",
    "@SUM(A1)",
    "-2",
    "\u202eevil\u202c",
    "مرحبا بالعالم",
    "🤝🏽🎓",
    "NaN",
    "-1",
    "0",
    "99999999999999999999999",
    "2026-02-30",
    "1900-01-01",
    "../../etc/passwd",
    "' OR 1=1 --",
    "   ",
]
control_text = st.text(alphabet=st.characters(max_codepoint=0x1F), min_size=1, max_size=10)
huge_text = st.sampled_from([201, 501, 1001, 2001, 4001, 10_000]).map(lambda n: "é" * n)
single_value = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.sampled_from(HOSTILE),
    control_text,
    huge_text,
    st.just(""),
)
value = st.one_of(single_value, st.lists(single_value, min_size=2, max_size=3))
extra_key = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters="_-[]."),
    min_size=1,
    max_size=15,
)


def values_for(field):
    """Junk, or what the page itself offers for this field (a real choice, the version)."""
    if field.values:
        return st.one_of(value, st.sampled_from(field.values))
    return value


def post_data(names, fields):
    known = {f.name: values_for(f) for f in fields}
    known.update({name: value for name in names if name not in known})
    return st.tuples(
        st.fixed_dictionaries({}, optional=known),
        st.dictionaries(extra_key, value, max_size=3),
    ).map(lambda parts: {**parts[1], **parts[0]})


# --- what a person sees --------------------------------------------------------

SHOWS_A_MESSAGE = ("errorlist", "invalid-feedback", "is-invalid", "alert-danger", 'role="alert"')
TYPED_KINDS = {"text", "textarea", "email", "date", "number", "search", "url"}


def typed_values_lost(response, data, fields, prefix=""):
    """Typed text that a refused form does not show again (of the form sent, if several)."""
    body = response.content.decode()
    lost = []
    for field in fields:
        if not field.name.startswith(prefix):
            continue
        typed = data.get(field.name)
        if not (field.kind in TYPED_KINDS and field.editable and isinstance(typed, str)):
            continue
        if not typed.strip():
            continue
        if (
            html.escape(typed, quote=True) not in body
            and html.escape(typed, quote=False) not in body
        ):
            lost.append(field.name)
    return lost


def check_response(name, response, data, fields, prefix=""):
    status = response.status_code
    assert status < 500, f"{name}: {status}"
    if status in (301, 302, 303):
        return
    assert status in (200, 400, 403, 409, 410, 429), f"{name}: unexpected {status}"
    if response.get("Content-Type", "").startswith("application/json"):
        # The autosave: the script shows the message; the typed text stays in the page.
        answer = response.json()
        assert answer.get("message"), f"{name}: {status} without a message"
        return
    body = response.content.decode()
    assert any(sign in body for sign in SHOWS_A_MESSAGE), f"{name}: {status} without a message"
    lost = typed_values_lost(response, data, fields, prefix)
    assert lost == [], f"{name}: typed text not shown again"


def _prepare(world, spec, client):
    world.session.phase = spec.phase
    world.session.save()
    if spec.setup:
        spec.setup(world)
    if spec.opened_first:
        client.get(spec.opened_first(world))


def discover(world, spec):
    """The fields of the form as its page shows them to the persona."""
    if not spec.has_page and not spec.fields_from:
        return []
    with rolled_back():
        client = client_for(world, spec.persona)
        _prepare(world, spec, client)
        response = client.get((spec.fields_from or spec.url)(world))
    assert response.status_code == 200, f"the form page answered {response.status_code}"
    return page_fields(response.content.decode())


def post_as_persona(world, spec, data):
    """Post ``data`` as the spec's persona, in a transaction that is rolled back."""
    with rolled_back():
        client = client_for(world, spec.persona)
        _prepare(world, spec, client)
        return client.post(
            spec.url(world),
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
        )


@pytest.mark.parametrize("name", sorted(FORMS))
def test_generated_posts_get_a_page_with_a_message_or_a_redirect_never_a_server_error(world, name):
    spec = FORMS[name]
    fields = discover(world, spec)

    @SETTINGS
    @given(data=post_data(spec.fields, fields))
    def post(data):
        response = post_as_persona(world, spec, data)
        prefix = spec.sent_form(data) if spec.sent_form else ""
        check_response(name, response, data, fields, prefix)

    post()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_nul_character_in_a_choice_gets_a_message_never_a_server_error(world, name):
    """A crafted post: one choice at a time (a checkbox, radio button or list the page
    offers, or a field a view reads without a page) carries a NUL after an offered value;
    everything else is what the page offers, so the post gets as far as that choice.
    The view must treat it as an unknown choice: PostgreSQL refuses NUL even in a query's
    parameter, so passing it on was a server error."""
    spec = FORMS[name]
    fields = discover(world, spec)
    offered: dict[str, Any] = dict.fromkeys(spec.fields, "x")
    choices = list(spec.fields)
    for field in fields:
        if field.kind in TYPED_KINDS or (field.kind == "hidden" and not field.values):
            offered.setdefault(field.name, "keep this")
        elif field.values:
            offered.setdefault(field.name, field.values[0])
            if field.kind not in ("button", "submit", "hidden"):
                choices.append(field.name)
    for choice in dict.fromkeys(choices):
        data = {**offered, choice: f"{offered[choice]}\x00"}
        response = post_as_persona(world, spec, data)
        prefix = spec.sent_form(data) if spec.sent_form else ""
        check_response(f"{name} ({choice})", response, data, fields, prefix)


@pytest.mark.parametrize("name", sorted(READS))
def test_a_post_to_a_page_that_only_reads_shows_the_page(world, name):
    spec = READS[name]

    @settings(SETTINGS, max_examples=5)
    @given(data=post_data((), []))
    def post(data):
        response = post_as_persona(world, spec, data)
        assert response.status_code == 200

    post()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_nul_character_in_every_text_field_gets_a_message_never_a_server_error(world, name):
    """PostgreSQL cannot store NUL in text or JSON: every form must refuse it with a reason.

    Each typed field carries a NUL; the other fields send what the page offers, so the
    post reaches the service instead of failing an earlier check.
    """
    spec = FORMS[name]
    fields = discover(world, spec)
    data: dict[str, Any] = dict.fromkeys(spec.fields, "x")
    for field in fields:
        if field.kind in TYPED_KINDS or (field.kind == "hidden" and not field.values):
            data[field.name] = "keep\x00this"
        elif field.values and field.kind not in ("button", "submit"):
            data.setdefault(field.name, field.values[0])
    response = post_as_persona(world, spec, data)
    prefix = spec.sent_form(data) if spec.sent_form else ""
    check_response(name, response, data, fields, prefix)
