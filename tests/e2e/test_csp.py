"""The strict Content-Security-Policy works with every page, in a real browser.

Each persona signs in through the login form and opens the pages they use, in
each phase of a session. An init script (injected by the browser's DevTools,
so the policy does not block it) records every ``securitypolicyviolation``
event; console errors about the policy are collected too. No page may have one,
and every page must carry the policy header.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.models import Phase
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " (" + (event.sourceFile || "") + ":" + event.lineNumber + ")"
  );
});
"""
# violation events are queued as tasks: read the list once they have been dispatched
SETTLED_VIOLATIONS = "() => new Promise(done => setTimeout(() => done(window.__cspViolations), 50))"
JOINT = (Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED)
UNKNOWN_TOKEN = "not-a-real-token"


def build_world():
    """One learning community with a session in every phase, a follow-up round and a scan."""
    people = {
        "alice": factories.UserFactory(email="alice@example.org", name="Alice"),
        "bob": factories.UserFactory(email="bob@example.org", name="Bob"),
        "carol": factories.UserFactory(email="carol@example.org", name="Carol"),
        "dave": factories.UserFactory(email="dave@example.org", name="Dave"),
        "rita": factories.UserFactory(email="rita@example.org", name="Rita"),
        "sam": factories.UserFactory(
            email="sam@example.org", name="Sam", is_staff=True, is_superuser=True
        ),
    }
    Group.objects.get_or_create(name="Researchers")[0].user_set.add(people["rita"])
    # staff have set up an authenticator app: the admin asks for its code
    TOTPDevice.objects.create(user=people["sam"], name="authenticator", confirmed=True)
    community = factories.LearningCommunityFactory(name="LC CSP")
    community.coordinators.add(people["dave"])
    education = factories.OrganisationFactory(
        community=community, name="Hogeschool CSP", partner_type=PartnerType.EDUCATION
    )
    practice = factories.OrganisationFactory(
        community=community, name="Bedrijf CSP", partner_type=PartnerType.PRACTICE
    )
    factories.MembershipFactory(person=people["alice"], organisation=education)
    factories.MembershipFactory(person=people["bob"], organisation=practice)
    network = Motive.objects.get(code="capital.network")
    recruitment = Motive.objects.get(code="capital.recruitment")

    def session_in(phase, **extra):
        session = factories.DialogueSessionFactory(
            community=community, title=f"CSP {phase}", phase=phase, **extra
        )
        session.facilitators.add(people["carol"])
        submitted = phase in JOINT
        for organisation in (education, practice):
            preparation = factories.PreparationFactory(
                session=session,
                organisation=organisation,
                submitted_at=timezone.now() if submitted or organisation == practice else None,
            )
            factories.AnswerFactory(preparation=preparation, motive=network)
            if organisation == education:
                factories.AnswerFactory(preparation=preparation, motive=recruitment)
                factories.OtherMotiveFactory(preparation=preparation)
        if submitted:
            factories.JointMotiveFactory(session=session)
            factories.AgreementFactory(session=session)
            factories.NoteFactory(session=session)
        return session

    sessions = {phase: session_in(phase) for phase in Phase.values}
    follow_up = session_in(Phase.DIALOGUE, previous=session_in(Phase.CLOSED))
    invitation = factories.InvitationFactory(
        session=sessions[Phase.PREPARATION],
        organisation=education,
        email="new@example.org",
        created_by=people["dave"],
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    scan = factories.QuickScanFactory(created_by=people["carol"], title="Workshop CSP")
    factories.QuickScanResponseFactory(
        scan=scan, side="education", education_clusters=["capital"], practice_clusters=["societal"]
    )
    return {
        "people": people,
        "community": community,
        "sessions": sessions,
        "follow_up": follow_up,
        "education": education,
        "invitation": invitation,
        "scan": scan,
    }


def pages_for(persona, world):
    """The pages each persona uses; URLs come from the URL configuration."""
    s = world["sessions"]
    community, scan = world["community"], world["scan"]

    def prep(phase):
        return s[phase].preparations.get(organisation=world["education"])

    if persona == "anonymous":
        return [
            reverse("home"),
            reverse("login"),
            reverse("password_reset"),
            reverse("password_reset_done"),
            reverse("password_reset_complete"),
            reverse("invitation_accept", args=[world["invitation"].token]),
            reverse("invitation_accept", args=[UNKNOWN_TOKEN]),
            reverse("quickscan_join", args=[scan.code]),
        ]
    if persona == "dave":  # coordinator
        preparation = s[Phase.PREPARATION]
        return [
            reverse("home"),
            reverse("community_list"),
            reverse("community_detail", args=[community.pk]),
            reverse("community_edit", args=[community.pk]),
            reverse("organisation_add", args=[community.pk]),
            reverse("organisation_remove", args=[community.pk, world["education"].pk]),
            reverse("session_create", args=[community.pk]),
            reverse("community_import", args=[community.pk]),
            *[reverse("session_detail", args=[s[phase].pk]) for phase in Phase.values],
            reverse("session_edit", args=[s[Phase.DRAFT].pk]),
            reverse("session_phase", args=[s[Phase.DRAFT].pk]),
            reverse("session_phase", args=[preparation.pk]),
            reverse("invitation_list", args=[preparation.pk]),
            reverse("invitation_create", args=[preparation.pk]),
            reverse("invitation_revoke", args=[preparation.pk, world["invitation"].pk]),
            reverse("session_next_round", args=[s[Phase.CLOSED].pk]),
            reverse("quickscan_list"),
            reverse("quickscan_create"),
            reverse("password_change"),
        ]
    if persona == "carol":  # facilitator
        dialogue = s[Phase.DIALOGUE]
        joint_motive = dialogue.joint_motives.first()
        agreement = dialogue.agreements.first()
        return [
            reverse("home"),
            *[reverse("session_detail", args=[s[phase].pk]) for phase in Phase.values],
            reverse("session_phase", args=[s[Phase.PREPARATION].pk]),
            reverse("session_phase", args=[dialogue.pk]),
            reverse("session_comparison", args=[dialogue.pk]),
            reverse("session_comparison", args=[dialogue.pk]) + "?category=unique",
            reverse("session_present", args=[dialogue.pk]),
            reverse("session_results", args=[dialogue.pk]),
            reverse("session_results", args=[s[Phase.CLOSED].pk]),
            reverse("joint_motive_edit", args=[dialogue.pk, joint_motive.pk]),
            reverse("joint_motive_delete", args=[dialogue.pk, joint_motive.pk]),
            reverse("agreement_edit", args=[dialogue.pk, agreement.pk]),
            reverse("agreement_delete", args=[dialogue.pk, agreement.pk]),
            reverse("note_delete", args=[dialogue.pk, dialogue.notes.first().pk]),
            reverse("review_list", args=[world["follow_up"].pk]),
            reverse("quickscan_list"),
            reverse("quickscan_detail", args=[scan.pk]),
            reverse("quickscan_results", args=[scan.pk]),
            reverse("quickscan_close", args=[scan.pk]),
        ]
    if persona == "alice":  # member of the education organisation
        preparation = s[Phase.PREPARATION]
        return [
            reverse("home"),
            reverse("session_detail", args=[preparation.pk]),
            reverse("preparation_detail", args=[preparation.pk, prep(Phase.PREPARATION).pk]),
            reverse("preparation_submit", args=[preparation.pk, prep(Phase.PREPARATION).pk]),
            reverse("preparation_detail", args=[s[Phase.DIALOGUE].pk, prep(Phase.DIALOGUE).pk]),
            reverse("session_comparison", args=[s[Phase.DIALOGUE].pk]),
            reverse("session_present", args=[s[Phase.DIALOGUE].pk]),
            reverse("session_results", args=[s[Phase.AGREEMENTS].pk]),
            reverse("session_detail", args=[s[Phase.CLOSED].pk]),
            reverse("review_list", args=[world["follow_up"].pk]),
        ]
    if persona == "rita":  # researcher
        return [reverse("home"), reverse("research_cross_case")]
    if persona == "sam":  # staff
        return [
            reverse("home"),
            reverse("community_create"),
            reverse("admin:index"),
            reverse("admin:partnerships_user_changelist"),
            reverse("admin:partnerships_user_change", args=[world["people"]["alice"].pk]),
            reverse("admin:dialogue_sessions_dialoguesession_changelist"),
            reverse("research_cross_case"),
        ]
    raise AssertionError(persona)


def watched_page(browser, base, email=None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    seen = {"console": [], "documents": []}
    page.on(
        "console",
        lambda message: (
            seen["console"].append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            seen["documents"].append(response)
            if response.request.resource_type == "document" and response.url.startswith(base)
            else None
        ),
    )
    if email:
        page.goto(base + reverse("login"))
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{email} could not sign in"
    return context, page, seen


def current_code(person):
    """The six digits sam's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=person, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def pass_the_second_factor(page, base, person):
    """As staff do: the admin sends them to its sign-in, which asks for the app's code.

    Returns the policy problems seen on the sign-in pages.
    """
    admin = reverse("admin:index")
    page.goto(base + admin)
    page.wait_for_load_state("load")
    assert page.url.startswith(base + reverse("admin:login")), page.url
    problems = [f"admin sign-in: {v}" for v in page.evaluate(SETTLED_VIOLATIONS)]
    # first e-mail address and password: then the form lists the person's devices
    page.fill("#id_username", person.email)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form input[type=submit]:not([name])")
    page.wait_for_load_state("load")
    problems += [f"admin sign-in, device: {v}" for v in page.evaluate(SETTLED_VIOLATIONS)]
    page.select_option("#id_otp_device", label="authenticator")
    page.fill("#id_otp_token", current_code(person))
    page.click("#login-form input[type=submit]:not([name])")
    page.wait_for_load_state("load")
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert page.url == base + admin, f"{person.email} did not pass the second factor: {errors}"
    return problems


@pytest.mark.parametrize("persona", ["anonymous", "dave", "carol", "alice", "rita", "sam"])
def test_every_page_a_persona_uses_runs_under_the_policy_without_violations(
    live_server, browser, persona
):
    world = build_world()
    base = live_server.url
    email = None if persona == "anonymous" else f"{persona}@example.org"
    context, page, seen = watched_page(browser, base, email)
    problems = []
    try:
        if persona == "sam":
            problems += pass_the_second_factor(page, base, world["people"]["sam"])
            problems += [f"admin sign-in: {message}" for message in seen["console"]]
        for url in pages_for(persona, world):
            seen["console"].clear()
            response = page.goto(base + url)
            page.wait_for_load_state("load")
            # the page for an unknown invitation link is a 404 page; every other one is a page
            if response.status >= 400 and UNKNOWN_TOKEN not in url:
                problems.append(f"{url}: HTTP {response.status}")
            if page.url != base + url:
                problems.append(f"{url}: ended on {page.url}")
            violations = page.evaluate(SETTLED_VIOLATIONS)
            if violations or seen["console"]:
                problems.append(f"{url}: {violations + seen['console']}")
        for document in seen["documents"]:
            if "content-security-policy" not in document.headers:
                problems.append(f"{document.url}: no Content-Security-Policy header")
    finally:
        context.close()
    assert problems == []
    assert len(seen["documents"]) >= len(pages_for(persona, world))


def test_the_watcher_notices_an_inline_script_and_a_style_attribute(live_server, browser):
    """Proof that the check above can fail: content the policy blocks is reported."""
    context, page, seen = watched_page(browser, live_server.url)
    try:
        page.goto(live_server.url + reverse("home"))
        page.evaluate(
            """() => {
              const div = document.createElement("div");
              div.innerHTML = '<p style="color: red">red</p>';
              document.body.appendChild(div);
              const script = document.createElement("script");
              script.textContent = "window.__inlineRan = true";
              document.body.appendChild(script);
            }"""
        )
        page.wait_for_function("window.__cspViolations.length >= 2")
        violations = page.evaluate("window.__cspViolations")
        assert page.evaluate("window.__inlineRan === undefined")
    finally:
        context.close()
    assert any(v.startswith("style-src") for v in violations)
    assert any(v.startswith("script-src") for v in violations)


def test_the_page_for_a_form_without_its_security_check_runs_under_the_policy(live_server, browser):
    factories.UserFactory(email="alice@example.org")
    context, page, seen = watched_page(browser, live_server.url)
    try:
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page.goto(live_server.url + reverse("login"))
        context.clear_cookies(name="csrftoken")  # as if it ran out while the form was open
        page.fill("#id_username", "alice@example.org")
        page.fill("#id_password", PASSWORD)
        with page.expect_response(lambda response: response.request.method == "POST") as sent:
            page.click("main form button[type=submit]")
        page.wait_for_load_state("load")
        violations = page.evaluate(SETTLED_VIOLATIONS)
        heading = page.locator("h1").inner_text()
    finally:
        context.close()
    assert sent.value.status == 403
    assert heading == "The form could not be sent"
    assert violations == []
    assert seen["console"] == []


def test_the_lockout_page_after_five_failed_sign_ins_runs_under_the_policy(live_server, browser):
    from tests.e2e.conftest import ARTIFACTS

    factories.UserFactory(email="alice@example.org")
    context, page, seen = watched_page(browser, live_server.url)
    try:
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        for _ in range(5):
            page.goto(live_server.url + reverse("login"))
            page.fill("#id_username", "alice@example.org")
            page.fill("#id_password", "not-the-password")
            with page.expect_response(lambda response: response.request.method == "POST") as sent:
                page.click("main form button[type=submit]")
            page.wait_for_load_state("load")
        violations = page.evaluate(SETTLED_VIOLATIONS)
        heading = page.locator("h1").inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "lockout-en.png"), full_page=True)
    finally:
        context.close()
    assert sent.value.status == 429
    assert heading == "Too many sign-in attempts"
    assert violations == []
    assert seen["console"] == []
