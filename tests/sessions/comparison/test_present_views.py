"""Presentation mode: one cluster at a time in large type, and the state it polls."""

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from motives.models import Cluster, Motive
from sessions.models import Consent, DialogueSession, Phase
from tests import factories


def answer(preparation, code, applies, outcome=""):
    return factories.AnswerFactory(
        preparation=preparation,
        motive=Motive.objects.get(code=code),
        applies=applies,
        intended_outcome=outcome,
    )


@pytest.fixture
def session(session_with_two_organisations):
    session = session_with_two_organisations
    for organisation in (session.education, session.practice):
        preparation = session.preparations.get(organisation=organisation)
        answer(preparation, "capital.network", True, "Een groter netwerk")
        answer(preparation, "legitimising.mission", organisation == session.education)
        preparation.submitted_at = timezone.now()
        preparation.save()
    session.phase = Phase.DIALOGUE
    session.save()
    return session


def present(session, cluster=None):
    path = reverse("session_present", args=[session.pk])
    return f"{path}?cluster={cluster}" if cluster else path


def state(session):
    return reverse("session_present_state", args=[session.pk])


def bump(session):
    """What the joint-results services do on every change (done by hand here)."""
    DialogueSession.objects.filter(pk=session.pk).update(version=F("version") + 1)


def clusters():
    return list(Cluster.objects.order_by("order", "code"))


# --- who gets in ------------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED])
@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave"])
def test_everyone_in_the_session_can_present_and_poll_from_the_dialogue_on(
    sign_in, session, name, phase
):
    session.phase = phase
    session.save()
    client = sign_in(name)
    assert client.get(present(session)).status_code == 200
    assert client.get(state(session)).status_code == 200


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.PREPARATION])
def test_before_the_dialogue_presentation_and_state_are_404(sign_in, session, phase):
    session.phase = phase
    session.save()
    client = sign_in("carol")
    assert client.get(present(session)).status_code == 404
    assert client.get(state(session)).status_code == 404


def test_an_outsider_gets_404_for_the_presentation_and_its_state(sign_in, session):
    client = sign_in("mallory")
    assert client.get(present(session)).status_code == 404
    assert client.get(state(session)).status_code == 404


# --- one cluster at a time ------------------------------------------------------


def test_the_first_cluster_is_shown_by_default_with_a_link_to_the_next(sign_in, session):
    first, second, *_rest = clusters()
    page = sign_in("carol").get(present(session)).text
    assert f'<h1 class="present-title">{first.label_en}</h1>' in page
    assert Motive.objects.get(code="legitimising.mission").label_en in page
    assert Motive.objects.get(code="capital.network").label_en not in page
    assert f'id="present-next" rel="next" href="?cluster={second.code}"' in page
    assert 'id="present-prev"' not in page
    assert "Cluster 1 of 4" in page


def test_a_cluster_in_the_middle_links_both_ways(sign_in, session):
    page = sign_in("carol").get(present(session, "capital")).text
    assert Motive.objects.get(code="capital.network").label_en in page
    assert Motive.objects.get(code="legitimising.mission").label_en not in page
    assert 'id="present-prev" rel="prev" href="?cluster=development"' in page
    assert 'id="present-next" rel="next" href="?cluster=societal"' in page
    assert "Cluster 3 of 4" in page


def test_after_the_last_cluster_come_what_was_recorded_and_then_the_positions(sign_in, session):
    client = sign_in("carol")
    last = clusters()[-1]
    page = client.get(present(session, last.code)).text
    assert 'id="present-next" rel="next" href="?slide=recorded"' in page
    factories.JointMotiveFactory(session=session, intended_outcome="Twintig studenten per jaar")
    factories.AgreementFactory(session=session, text="Elk kwartaal samen", owner="Dave")
    recorded = client.get(reverse("session_present", args=[session.pk]) + "?slide=recorded").text
    assert '<h1 class="present-title">Recorded so far</h1>' in recorded
    assert "Twintig studenten per jaar" in recorded and "Elk kwartaal samen" in recorded
    assert f'id="present-prev" rel="prev" href="?cluster={last.code}"' in recorded
    assert 'id="present-next" rel="next" href="?slide=positions"' in recorded
    assert 'id="present-panel"' in recorded  # still refreshed by the poller
    assert "Slide 5 of 6" in recorded
    positions = client.get(reverse("session_present", args=[session.pk]) + "?slide=positions")
    assert '<h1 class="present-title">Positions</h1>' in positions.text
    assert 'id="present-next"' not in positions.text  # no previous round: nothing after it
    assert "Slide 6 of 6" in positions.text


def test_from_round_two_the_changes_since_the_previous_round_are_the_last_slide(sign_in, session):
    previous = factories.DialogueSessionFactory(community=session.community, phase=Phase.CLOSED)
    session.previous = previous
    session.save()
    education = factories.PreparationFactory(
        session=previous, organisation=session.education, submitted_at=timezone.now()
    )
    answer(education, "capital.network", False)
    client = sign_in("carol")
    positions = client.get(reverse("session_present", args=[session.pk]) + "?slide=positions").text
    assert 'id="present-next" rel="next" href="?slide=changes"' in positions
    changes = client.get(reverse("session_present", args=[session.pk]) + "?slide=changes").text
    assert '<h1 class="present-title">Changes since the previous round</h1>' in changes
    assert "Did not take part in the previous round." in changes  # the practice side
    assert Motive.objects.get(code="capital.network").label_en in changes  # added by education
    assert 'id="present-next"' not in changes


def test_an_unknown_slide_shows_the_first_cluster(sign_in, session):
    response = sign_in("carol").get(reverse("session_present", args=[session.pk]) + "?slide=x")
    assert "Cluster 1 of 4" in response.text


def test_an_unknown_cluster_shows_the_first_one(sign_in, session):
    response = sign_in("carol").get(present(session, "<script>"))
    assert response.status_code == 200
    assert "Cluster 1 of 4" in response.text
    assert "<script>" not in response.text.replace('<script src="', "")


def test_cells_categories_and_the_side_chart_of_the_cluster_are_shown(sign_in, session):
    page = sign_in("carol").get(present(session, "legitimising")).text
    assert 'aria-hidden="true">✓</span><span class="visually-hidden">applies</span>' in page
    assert 'aria-hidden="true">✗</span><span class="visually-hidden">does not apply</span>' in page
    assert "unique to one organisation" in page
    assert page.count('role="img"') == 1  # the side chart, for this cluster only
    assert "Intended outcomes (" not in page  # no details on the projector


def test_keyboard_navigation_is_a_script_file_not_inline_and_hints_are_visible(sign_in, session):
    page = sign_in("carol").get(present(session)).text
    assert 'src="/static/js/present.js"' in page
    assert page.count("<script") == page.count("<script src=")
    assert "Page Down" in page
    assert "<kbd" in page


def test_the_presentation_links_back_to_the_comparison(sign_in, session):
    page = sign_in("alice").get(present(session)).text
    assert reverse("session_comparison", args=[session.pk]) in page
    comparison = sign_in("alice").get(reverse("session_comparison", args=[session.pk])).text
    assert present(session) in comparison


# --- recorded so far, and the polled state ---------------------------------------


def test_the_panel_lists_joint_motives_and_agreements(sign_in, session):
    factories.JointMotiveFactory(session=session, intended_outcome="Twintig studenten per jaar")
    factories.AgreementFactory(session=session, text="Elk kwartaal samen", owner="Dave")
    page = sign_in("bob").get(present(session)).text
    assert "Recorded so far" in page
    assert Motive.objects.get(code="development.students").label_en in page
    assert "Twintig studenten per jaar" in page
    assert "Elk kwartaal samen" in page
    assert "Dave" in page


def test_the_state_sends_the_panel_only_when_the_version_asked_for_is_not_the_latest(
    sign_in, session
):
    client = sign_in("carol")
    current = client.get(state(session) + f"?version={session.version}").json()
    assert current == {"version": session.version}  # up to date: no HTML
    assert "html" in client.get(state(session) + f"?version={session.version - 1}").json()
    assert "html" in client.get(state(session) + "?version=nonsense").json()
    bump(session)
    after = client.get(state(session) + f"?version={session.version}").json()
    assert after["version"] == session.version + 1
    assert "Recorded so far" in after["html"]


def test_the_state_returns_the_version_and_the_rendered_panel_uncached(sign_in, session):
    response = sign_in("carol").get(state(session))
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["version"] == session.version
    assert "Recorded so far" in data["html"]
    assert "No joint motives recorded yet." in data["html"]


def test_the_page_carries_the_version_it_shows_for_the_poller(sign_in, session):
    page = sign_in("carol").get(present(session)).text
    assert f'data-version="{session.version}"' in page
    assert f'data-state-url="{state(session)}"' in page


def test_the_state_changes_after_a_joint_motive_and_an_agreement_are_recorded(sign_in, session):
    client = sign_in("carol")
    before = client.get(state(session)).json()

    factories.JointMotiveFactory(
        session=session, motive=None, text="Samen een kenniscentrum", intended_outcome=""
    )
    bump(session)
    after_motive = client.get(state(session)).json()
    assert after_motive["version"] == before["version"] + 1
    assert "Samen een kenniscentrum" in after_motive["html"]

    factories.AgreementFactory(session=session, text="Volgende bijeenkomst in juni")
    bump(session)
    after_agreement = client.get(state(session)).json()
    assert after_agreement["version"] == before["version"] + 2
    assert "Volgende bijeenkomst in juni" in after_agreement["html"]


def test_text_typed_by_users_is_escaped_in_the_presentation_and_its_state(sign_in, session):
    evil = "<script>alert(1)</script>"
    session.practice.name = f"Bouw {evil}"
    session.practice.save()
    factories.JointMotiveFactory(session=session, motive=None, text=evil, intended_outcome=evil)
    factories.AgreementFactory(session=session, text=evil, owner=evil)
    client = sign_in("carol")

    page = client.get(present(session)).text
    html = client.get(state(session)).json()["html"]

    for text in (page, html):
        assert evil not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_with_one_submitted_format_the_presentation_explains_why_there_is_nothing(sign_in, session):
    practice = session.preparations.get(organisation=session.practice)
    practice.submitted_at = None
    practice.save()
    page = sign_in("carol").get(present(session)).text
    assert "at least 2 organisations" in page
    assert "present-nav" not in page


def test_the_positions_slide_counts_each_item_and_marks_an_open_objection(sign_in, session):
    joint = factories.JointMotiveFactory(session=session, text="Samen <b>opleiden</b>")
    agreement = factories.AgreementFactory(session=session, text="Elk kwartaal samen")
    Consent.objects.create(joint_motive=joint, organisation=session.education, position="agree")
    Consent.objects.create(
        joint_motive=joint,
        organisation=session.practice,
        position="object",
        reason="Eerst <script>budget</script>",
    )
    Consent.objects.create(agreement=agreement, organisation=session.practice, position="abstain")
    page = sign_in("carol").get(reverse("session_present", args=[session.pk]) + "?slide=positions")
    text = page.text
    start = text.index(f'data-key="joint_motive:{joint.pk}"')
    item = text[start : text.index(f'data-key="agreement:{agreement.pk}"')]
    assert 'data-state="objected"' in text[start - 40 : start] and "not yet agreed" in item
    assert "1 agree" in item and "1 object" in item and "0 abstain" in item
    assert "Eerst &lt;script&gt;budget&lt;/script&gt;" in item
    assert "Samen &lt;b&gt;opleiden&lt;/b&gt;" in item
    assert 'data-slide="positions"' in text  # the poller refreshes this slide
    after = text[text.index(f'data-key="agreement:{agreement.pk}"') :]
    assert 'data-state="open"' in text and "1 abstain" in after and "1 not yet stated" in after


def test_the_state_sends_the_positions_slide_when_asked_for_it(sign_in, session):
    client = sign_in("carol")
    joint = factories.JointMotiveFactory(session=session, text="Samen opleiden")
    url = reverse("session_present_state", args=[session.pk])
    state = client.get(url, {"version": "0", "slide": "positions"}).json()
    assert f'data-key="joint_motive:{joint.pk}"' in state["html"]
    assert 'data-state="open"' in state["html"]
    Consent.objects.create(
        joint_motive=joint, organisation=session.practice, position="object", reason="Nee"
    )
    session.refresh_from_db()
    state = client.get(url, {"version": "0", "slide": "positions"}).json()
    assert 'data-state="objected"' in state["html"]
    panel = client.get(url, {"version": "0"}).json()["html"]
    assert "Recorded so far" in panel and "data-key" not in panel
    current = client.get(url, {"version": str(session.version), "slide": "positions"}).json()
    assert "html" not in current
