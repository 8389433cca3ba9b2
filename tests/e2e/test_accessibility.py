"""axe-core on every main page, in Dutch and in English: no serious or critical violation.

Each page is opened as the person who uses it, in the phase where it shows what
it is for: the formats in the preparation, the comparison, presentation mode,
results and review in the joint dialogue of a follow-up round. Pages of the
Quick Scan, the research view and the import are included when their URL names
exist (reverse() decides); ``SKIPPED`` lists the ones that did not.
"""

from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from partnerships.groups import COORDINATORS_GROUP
from partnerships.models import User
from sessions.interchange.format import import_session
from tests import factories
from tests.e2e.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.sessions.samples import valid_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = ("serious", "critical")
SKIPPED = []  # (url name, reason) of optional pages that do not exist (yet)


def build():
    """A closed round, its follow-up in the joint dialogue, and a session in preparation."""
    closed = valid_document()
    closed["session"].update(title="Voorjaar 2025", date="2025-03-12", phase="closed")
    closed["organisations"][1]["submitted"] = True
    # With consent, so that the research page shows its table (and the consent page
    # its withdrawal step).
    closed["learning_community"]["research_consent"] = True
    previous = import_session(closed)

    dialogue = valid_document()
    dialogue["session"].update(title="Voorjaar 2026", phase="dialogue")
    dialogue["organisations"][1]["submitted"] = True
    current = import_session(dialogue)
    current.previous = previous
    current.save()

    preparing = valid_document()
    preparing["session"].update(title="Najaar 2026", date="2026-10-01", phase="preparation")
    preparing["organisations"][0]["submitted"] = False
    preparing["joint_motives"] = []
    preparing["agreements"] = []
    preparation = import_session(preparing)

    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save()
    coordinator = User.objects.get(email="coord@example.org")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    researcher = factories.ResearcherFactory(email="researcher@example.org", name="R. Searcher")
    researcher.set_password(PASSWORD)
    researcher.save()
    education = preparation.preparations.get(organisation__partner_type="education")
    invitation = factories.InvitationFactory(
        session=preparation, organisation=education.organisation, email="new@example.org"
    )
    scan = factories.QuickScanFactory(created_by=coordinator, title="Workshop Onderwijsdag")
    factories.QuickScanResponseFactory(
        scan=scan, open_answers={"capital": "netwerk en stageplaatsen"}
    )
    return {
        "previous": previous,
        "current": current,
        "preparation": preparation,
        "education_now": current.preparations.get(organisation__partner_type="education"),
        "education": education,
        "community": preparation.community,
        "invitation": invitation,
        "scan": scan,
    }


def main_pages(world):
    """(label, persona, URL name, args, query): persona None is someone not signed in."""
    current, preparing = world["current"].pk, world["preparation"].pk
    community = world["community"].pk
    joint = world["current"].joint_motives.first().pk
    agreement = world["current"].agreements.first().pk
    return [
        ("home", None, "home", [], ""),
        ("sign in", None, "login", [], ""),
        ("password reset", None, "password_reset", [], ""),
        ("invitation", None, "invitation_accept", [world["invitation"].token], ""),
        ("my sessions", "a@example.org", "home", [], ""),
        ("communities", "coord@example.org", "community_list", [], ""),
        ("community", "coord@example.org", "community_detail", [community], ""),
        ("session, coordinator", "coord@example.org", "session_detail", [preparing], ""),
        ("session, member", "a@example.org", "session_detail", [preparing], ""),
        (
            "format, editable",
            "a@example.org",
            "preparation_detail",
            [preparing, world["education"].pk],
            "",
        ),
        (
            "submit confirmation",
            "a@example.org",
            "preparation_submit",
            [preparing, world["education"].pk],
            "",
        ),
        (
            "format, read-only",
            "a@example.org",
            "preparation_detail",
            [current, world["education_now"].pk],
            "",
        ),
        ("invitations", "coord@example.org", "invitation_list", [preparing], ""),
        ("invite", "coord@example.org", "invitation_create", [preparing], ""),
        ("phase confirmation", "coord@example.org", "session_phase", [preparing], ""),
        ("comparison", "b@example.org", "session_comparison", [current], ""),
        (
            "comparison, filtered",
            "fac@example.org",
            "session_comparison",
            [current],
            "?category=shared&partner_type=education",
        ),
        ("presentation", "fac@example.org", "session_present", [current], ""),
        ("results", "fac@example.org", "session_results", [current], ""),
        ("results, member", "a@example.org", "session_results", [current], ""),
        ("review", "fac@example.org", "review_list", [current], ""),
        # the other forms
        ("new session", "coord@example.org", "session_create", [community], ""),
        ("session edit", "coord@example.org", "session_edit", [preparing], ""),
        ("community edit", "coord@example.org", "community_edit", [community], ""),
        ("add organisation", "coord@example.org", "organisation_add", [community], ""),
        (
            "research consent",
            "coord@example.org",
            "community_research_consent",
            [community],
            "",
        ),
        ("joint motive edit", "fac@example.org", "joint_motive_edit", [current, joint], ""),
        ("agreement delete", "fac@example.org", "agreement_delete", [current, agreement], ""),
        ("password change", "a@example.org", "password_change", [], ""),
    ]


def optional_pages(world):
    """Pages of later features, included when their URL names exist."""
    scan = world["scan"]
    community = world["community"].pk
    candidates = [
        ("quick scans", "coord@example.org", "quickscan_list", [], ""),
        ("new quick scan", "coord@example.org", "quickscan_create", [], ""),
        ("quick scan", "coord@example.org", "quickscan_detail", [scan.pk], ""),
        ("quick scan results", "coord@example.org", "quickscan_results", [scan.pk], ""),
        (
            "quick scan results, two sides",
            "coord@example.org",
            "quickscan_results",
            [scan.pk],
            "?view=sides",
        ),
        (
            "quick scan results, words",
            "coord@example.org",
            "quickscan_results",
            [scan.pk],
            "?view=words",
        ),
        ("quick scan sheet", None, "quickscan_join", [scan.code], ""),
        ("research", "researcher@example.org", "research_cross_case", [], ""),
        ("import", "coord@example.org", "community_import", [community], ""),
    ]
    pages = []
    for page in candidates:
        try:
            reverse(page[2], args=page[3])
        except NoReverseMatch:
            SKIPPED.append((page[2], "no such URL name"))
            continue
        pages.append(page)
    return pages


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_main_page_has_no_serious_or_critical_axe_violation(live_server, browser, language):
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    world = build()
    axe = Axe()
    base = live_server.url
    contexts = {}

    def page_for(persona):
        if persona not in contexts:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            page = context.new_page()
            page.set_default_timeout(15_000)
            if persona is not None:
                page.goto(base + reverse("login"))
                page.fill("#id_username", persona)
                page.fill("#id_password", PASSWORD)
                page.click("main form button[type=submit]")
                page.wait_for_load_state()
            contexts[persona] = page
        return contexts[persona]

    problems = []
    checked = []
    lesser = Counter()  # moderate and minor findings, printed for the record
    for label, persona, name, args, query in main_pages(world) + optional_pages(world):
        page = page_for(persona)
        response = page.goto(base + reverse(name, args=args) + query)
        assert response.status == 200, f"{label}: {response.status}"
        assert page.locator("html").get_attribute("lang") == language, label
        results = axe.run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
        lesser.update(
            f"{v['impact']} {v['id']} ({label})"
            for v in results.response["violations"]
            if v["impact"] not in SERIOUS
        )
        if serious:
            problems.append(f"--- {label} ({base}{page.url[len(base) :]}):\n{describe(serious)}")
            page.screenshot(path=str(ARTIFACTS / f"axe-{language}-{name}.png"), full_page=True)
        checked.append(label)
    for page in contexts.values():
        page.context.close()
    print(f"axe ({language}): {len(checked)} pages checked; optional pages missing: {SKIPPED}")
    print(f"axe ({language}): pages with moderate or minor findings: {dict(lesser)}")
    assert not problems, "\n".join(problems)
    assert len(checked) >= len(main_pages(world))
