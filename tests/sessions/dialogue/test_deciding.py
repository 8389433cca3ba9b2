"""Deciding together in the joint dialogue: dots, positions, offers and needs, what
agreements serve, own-outcome reviews and priorities, through HTTP as partners use them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from motives.models import Motive
from sessions.dialogue import deciding
from sessions.models import (
    Consent,
    JointMotive,
    OrganisationOutcomeReview,
    Phase,
    PreparationExtra,
    Vote,
)
from tests import factories


def motive(code):
    return Motive.objects.get(code=code)


@pytest.fixture
def dialogue(session):
    """Both organisations submitted; the dialogue runs. Alice (education) put network 1st
    and recruitment 2nd; Bob (practice) network and innovation."""
    edu = session.preparations.get(organisation=session.education)
    pra = session.preparations.get(organisation=session.practice)
    for preparation, answers in (
        (edu, [("capital.network", 1), ("capital.recruitment", 2), ("capital.financial", None)]),
        (pra, [("capital.network", None), ("capital.innovation", 1)]),
    ):
        for code, priority in answers:
            factories.AnswerFactory(
                preparation=preparation, motive=motive(code), applies=True, priority=priority
            )
        preparation.submitted_at = timezone.now()
        preparation.save()
    session.phase = Phase.DIALOGUE
    session.save()
    session.edu, session.pra = edu, pra
    return session


def vote(client, session, *codes):
    return client.post(reverse("session_vote", args=[session.pk]), {"motive": list(codes)})


# --- dots -------------------------------------------------------------------------


def test_candidates_put_shared_and_high_priority_motives_first(dialogue):
    codes = [c.motive.code for c in deciding.candidates(dialogue)]
    assert codes[0] == "capital.network"  # shared by both, and a first priority
    assert codes.index("capital.innovation") < codes.index("capital.financial")


def test_partners_vote_from_their_own_device_and_the_projector_counts(client, dialogue):
    client.force_login(dialogue.people["alice"])
    assert vote(client, dialogue, "capital.network", "capital.innovation").status_code == 302
    client.force_login(dialogue.people["bob"])
    assert vote(client, dialogue, "capital.network").status_code == 302
    client.force_login(dialogue.people["carol"])
    live = client.get(reverse("session_votes_live", args=[dialogue.pk])).text
    assert "2 mensen hebben gestemd." in live
    counts = {c.motive.code: c.votes for c in deciding.candidates(dialogue)}
    assert counts["capital.network"] == 2 and counts["capital.innovation"] == 1


def test_voting_again_replaces_the_dots(client, dialogue):
    client.force_login(dialogue.people["alice"])
    vote(client, dialogue, "capital.network", "capital.innovation")
    vote(client, dialogue, "capital.financial")
    assert list(Vote.objects.values_list("motive__code", flat=True)) == ["capital.financial"]


def test_more_dots_than_a_person_has_are_refused_and_the_old_ones_stay(client, dialogue):
    client.force_login(dialogue.people["alice"])
    vote(client, dialogue, "capital.network")
    response = vote(
        client,
        dialogue,
        "capital.network",
        "capital.innovation",
        "capital.financial",
        "capital.recruitment",
    )
    assert response.status_code == 400
    assert "U hebt 3 stippen" in response.text
    assert list(Vote.objects.values_list("motive__code", flat=True)) == ["capital.network"]


def test_a_motive_that_is_no_candidate_cannot_be_voted_on(client, dialogue):
    client.force_login(dialogue.people["alice"])
    response = vote(client, dialogue, "societal.goals")
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_the_facilitator_turns_the_top_candidate_into_a_joint_motive_with_its_dots(
    client, dialogue
):
    client.force_login(dialogue.people["alice"])
    vote(client, dialogue, "capital.network")
    client.force_login(dialogue.people["bob"])
    vote(client, dialogue, "capital.network")
    client.force_login(dialogue.people["carol"])
    url = reverse("vote_promote", args=[dialogue.pk])
    assert client.post(url, {"motive": "capital.network"}).status_code == 302
    joint = JointMotive.objects.get(session=dialogue)
    assert (joint.motive.code, joint.votes) == ("capital.network", 2)
    again = client.post(url, {"motive": "capital.network"}, follow=True)
    assert "is al een gezamenlijk motief" in again.text
    assert JointMotive.objects.filter(session=dialogue).count() == 1


def test_a_partner_cannot_turn_candidates_into_joint_motives(client, dialogue):
    client.force_login(dialogue.people["alice"])
    response = client.post(
        reverse("vote_promote", args=[dialogue.pk]), {"motive": "capital.network"}
    )
    assert response.status_code == 404
    assert not JointMotive.objects.exists()


# --- positions --------------------------------------------------------------------


def positions_url(preparation):
    return reverse("preparation_positions", args=[preparation.session_id, preparation.pk])


def test_each_organisation_states_its_position_and_an_objection_marks_not_yet_agreed(
    client, dialogue
):
    joint = factories.JointMotiveFactory(session=dialogue, motive=motive("capital.network"))
    key = f"joint_motive:{joint.pk}"
    client.force_login(dialogue.people["alice"])
    client.post(positions_url(dialogue.edu), {f"position:{key}": "agree"})
    client.force_login(dialogue.people["bob"])
    client.post(
        positions_url(dialogue.pra), {f"position:{key}": "object", f"reason:{key}": "Te vaag"}
    )
    page = client.get(reverse("session_positions", args=[dialogue.pk])).text
    assert "nog niet overeengekomen: open bezwaar" in page
    assert "Te vaag" in page
    results = client.get(reverse("session_results", args=[dialogue.pk])).text
    assert "nog niet overeengekomen: open bezwaar" in results

    client.post(positions_url(dialogue.pra), {f"position:{key}": "abstain"})
    page = client.get(reverse("session_positions", args=[dialogue.pk])).text
    assert "nog niet overeengekomen: open bezwaar" not in page
    assert 'data-state="agreed"' in page


def test_an_objection_without_a_reason_is_refused_with_what_was_typed(client, dialogue):
    agreement = factories.AgreementFactory(session=dialogue, text="Kwartaaloverleg")
    key = f"agreement:{agreement.pk}"
    client.force_login(dialogue.people["alice"])
    response = client.post(positions_url(dialogue.edu), {f"position:{key}": "object"})
    assert response.status_code == 400
    assert "Geef de reden voor uw bezwaar" in response.text
    assert not Consent.objects.exists()


def test_another_organisations_member_cannot_state_our_position(client, dialogue):
    joint = factories.JointMotiveFactory(session=dialogue)
    client.force_login(dialogue.people["bob"])
    response = client.post(
        positions_url(dialogue.edu), {f"position:joint_motive:{joint.pk}": "agree"}
    )
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_a_guessed_joint_motive_of_another_community_is_refused_and_nothing_is_written(
    client, dialogue
):
    """Alice also takes part in another community's session; she guesses its joint
    motive's id on her own organisation's page."""
    elsewhere = factories.JointMotiveFactory()
    other_prep = factories.PreparationFactory(session=elsewhere.session)
    factories.MembershipFactory(
        person=dialogue.people["alice"], organisation=other_prep.organisation
    )
    own = factories.JointMotiveFactory(session=dialogue)
    client.force_login(dialogue.people["alice"])
    response = client.post(
        positions_url(dialogue.edu),
        {
            f"position:joint_motive:{own.pk}": "agree",
            f"position:joint_motive:{elsewhere.pk}": "object",
            f"reason:joint_motive:{elsewhere.pk}": "x",
        },
    )
    assert response.status_code == 400
    assert "maken geen deel uit van deze sessie" in response.text
    assert not Consent.objects.exists()


def test_positions_stay_hidden_before_the_joint_phase(client, session):
    client.force_login(session.people["bob"])
    assert client.get(reverse("session_positions", args=[session.pk])).status_code == 404
    edu = session.preparations.get(organisation=session.education)
    assert client.get(positions_url(edu)).status_code == 404


def test_positions_cannot_change_once_the_session_is_closed(client, dialogue):
    joint = factories.JointMotiveFactory(session=dialogue)
    dialogue.phase = Phase.CLOSED
    dialogue.save()
    client.force_login(dialogue.people["alice"])
    response = client.post(
        positions_url(dialogue.edu), {f"position:joint_motive:{joint.pk}": "agree"}
    )
    assert response.status_code == 400
    assert not Consent.objects.exists()


# --- offers and needs ----------------------------------------------------------------


def test_offers_and_needs_are_saved_and_matched_between_organisations(client, dialogue):
    client.force_login(dialogue.people["alice"])
    url = reverse("preparation_offers", args=[dialogue.pk, dialogue.edu.pk])
    client.post(url, {"offers": "Studenten die kunnen programmeren\n\n", "needs": "Een testlab"})
    assert PreparationExtra.objects.get(preparation=dialogue.edu).offers == [
        "Studenten die kunnen programmeren"
    ]
    client.force_login(dialogue.people["bob"])
    url = reverse("preparation_offers", args=[dialogue.pk, dialogue.pra.pk])
    client.post(
        url, {"offers": "Toegang tot ons testlab", "needs": "Een student die PLC's programmeert"}
    )
    page = client.get(reverse("session_exchange", args=[dialogue.pk])).text
    assert page.count('class="list-group-item match"') == 2
    assert "Toegang tot ons testlab" in page


def test_too_many_lines_are_refused_and_the_text_comes_back(client, dialogue):
    client.force_login(dialogue.people["alice"])
    url = reverse("preparation_offers", args=[dialogue.pk, dialogue.edu.pk])
    text = "\n".join(f"regel {n}" for n in range(12))
    response = client.post(url, {"offers": text, "needs": ""})
    assert response.status_code == 400
    assert "regel 11" in response.text
    assert not PreparationExtra.objects.filter(preparation=dialogue.edu).exists()


def test_another_organisation_cannot_read_our_offers_page(client, dialogue):
    client.force_login(dialogue.people["bob"])
    url = reverse("preparation_offers", args=[dialogue.pk, dialogue.edu.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"offers": "x"}).status_code == 404


# --- what agreements serve -------------------------------------------------------------


def test_the_facilitator_says_which_motives_an_agreement_serves(client, dialogue):
    joint = factories.JointMotiveFactory(session=dialogue, motive=motive("capital.network"))
    agreement = factories.AgreementFactory(session=dialogue, text="Netwerkdag organiseren")
    client.force_login(dialogue.people["carol"])
    url = reverse("agreement_serves", args=[dialogue.pk, agreement.pk])
    response = client.post(url, {"joint": [joint.pk], "motive": ["capital.recruitment"]})
    assert response.status_code == 302
    results = client.get(reverse("session_results", args=[dialogue.pk])).text
    serving = results[results.index('id="serving"') :]
    assert "Netwerkdag organiseren" in serving
    assert "Werven nieuwe medewerkers" in serving


def test_a_joint_motive_of_another_session_cannot_be_served(client, dialogue):
    agreement = factories.AgreementFactory(session=dialogue)
    elsewhere = factories.JointMotiveFactory()
    client.force_login(dialogue.people["carol"])
    url = reverse("agreement_serves", args=[dialogue.pk, agreement.pk])
    # An id beyond the database's integers too: SQLite cannot even look it up.
    for joint in (str(elsewhere.pk), "not-a-number", str(2**70)):
        response = client.post(url, {"joint": [joint]})
        assert response.status_code == 400
        assert "Sommige gezamenlijke motieven maken geen deel uit" in response.text
    assert not agreement.serves_joint.exists()


# --- own outcomes of the previous round ----------------------------------------------------


def test_an_organisation_reviews_its_own_intended_outcomes_of_last_round(client, dialogue):
    previous = factories.DialogueSessionFactory(community=dialogue.community, phase=Phase.CLOSED)
    old = factories.PreparationFactory(
        session=previous, organisation=dialogue.education, submitted_at=timezone.now()
    )
    factories.AnswerFactory(
        preparation=old,
        motive=motive("capital.network"),
        applies=True,
        intended_outcome="Tien stages",
    )
    dialogue.previous = previous
    dialogue.save()
    client.force_login(dialogue.people["alice"])
    url = reverse("preparation_own_review", args=[dialogue.pk, dialogue.edu.pk])
    assert "Tien stages" in client.get(url).text
    response = client.post(
        url, {"status:capital.network": "partly", "evidence:capital.network": "Zes stages"}
    )
    assert response.status_code == 302
    review = OrganisationOutcomeReview.objects.get(preparation=dialogue.edu)
    assert (review.status, review.evidence) == ("partly", "Zes stages")
    bad = client.post(url, {"status:capital.network": "yes"})
    assert bad.status_code == 400
    review.refresh_from_db()
    assert review.status == "partly"


# --- priorities beside yes/no ----------------------------------------------------------------


def test_the_priorities_page_sorts_by_points_and_filters_by_priority(client, dialogue):
    client.force_login(dialogue.people["bob"])
    url = reverse("session_priorities", args=[dialogue.pk])
    page = client.get(url).text
    assert page.index("Uitbreiden/versterken netwerk") < page.index("Werven nieuwe medewerkers")
    second = client.get(url, {"priority": "2"}).text
    assert "Werven nieuwe medewerkers" in second
    assert "Uitbreiden/versterken netwerk" not in second
    assert client.get(url, {"priority": "x", "sort": "<b>"}).status_code == 200


# --- three rounds -----------------------------------------------------------------------------


def test_three_rounds_show_how_applies_priority_and_own_outcome_moved(client, dialogue):
    first = factories.DialogueSessionFactory(
        community=dialogue.community, title="Ronde 1", phase=Phase.CLOSED
    )
    second = factories.DialogueSessionFactory(
        community=dialogue.community, title="Ronde 2", phase=Phase.CLOSED, previous=first
    )
    dialogue.previous = second
    dialogue.save()
    network = motive("capital.network")
    for session, applies, priority in ((first, False, None), (second, True, 3)):
        prep = factories.PreparationFactory(
            session=session, organisation=dialogue.education, submitted_at=timezone.now()
        )
        factories.AnswerFactory(
            preparation=prep, motive=network, applies=applies, priority=priority
        )
    OrganisationOutcomeReview.objects.create(
        preparation=dialogue.edu, motive=network, status="partly"
    )
    client.force_login(dialogue.people["bob"])
    page = client.get(reverse("session_history", args=[dialogue.pk])).text
    rows = [r[: r.index("</tr>")] for r in page.split('<tr class="history-row"')[1:]]
    (row,) = [r for r in rows if 'data-code="capital.network"' in r and "Hogeschool Zuid" in r]
    cells = row.split('class="history-cell"')[1:]
    assert "✗" in cells[0]
    assert "✓" in cells[1] and ">3<" in cells[1] and "Deels gerealiseerd" in cells[1]
    assert "✓" in cells[2] and ">1<" in cells[2]


def three_rounds_of_one_organisation(dialogue):
    """Hogeschool Zuid over three rounds: network did not apply, then applied with
    priority 3 (reviewed "partly" in round 3), then with priority 1 (the dialogue
    fixture); recruitment applied without change in rounds 2 and 3 (priority 2)."""
    first = factories.DialogueSessionFactory(
        community=dialogue.community, title="Ronde 1", phase=Phase.CLOSED
    )
    second = factories.DialogueSessionFactory(
        community=dialogue.community, title="Ronde 2", phase=Phase.CLOSED, previous=first
    )
    dialogue.previous = second
    dialogue.save()
    network, recruitment = motive("capital.network"), motive("capital.recruitment")
    for session, answers in (
        (first, [(network, False, None)]),
        (second, [(network, True, 3), (recruitment, True, 2)]),
    ):
        prep = factories.PreparationFactory(
            session=session, organisation=dialogue.education, submitted_at=timezone.now()
        )
        for item, applies, priority in answers:
            factories.AnswerFactory(
                preparation=prep, motive=item, applies=applies, priority=priority
            )
    OrganisationOutcomeReview.objects.create(
        preparation=dialogue.edu, motive=network, status="partly"
    )
    return first, second


def test_the_movement_over_three_rounds_is_computed_per_organisation_and_motive(dialogue):
    first, second = three_rounds_of_one_organisation(dialogue)
    found = deciding.movement(dialogue)
    assert found["enough"] and found["rounds"] == [first, second, dialogue]
    rows = {(r["organisation"].name, r["motive"].code): r for r in found["rows"]}
    network = rows[("Hogeschool Zuid", "capital.network")]
    # no (0), yes with priority 3 (2), yes with priority 1 (4): two changes
    assert network["levels"] == [0, 2, 4]
    assert network["changes"] == 2
    assert network["reviews"] == [None, "partly", None]  # round 3 judged round 2's outcome
    # Recruitment: absent in round 1, priority 2 in rounds 2 and 3: it did not move.
    assert ("Hogeschool Zuid", "capital.recruitment") not in rows
    # The practice partner only took part in round 3; financial only in round 3.
    assert found["unchanged"] == len(deciding.history(dialogue)["rows"]) - len(found["rows"])
    assert found["hidden"] == 0
    assert deciding.movement(dialogue, limit=0)["hidden"] == len(found["rows"])


def test_the_history_page_draws_the_movement_chart_from_three_rounds_on(client, dialogue):
    client.force_login(dialogue.people["bob"])
    url = reverse("session_history", args=[dialogue.pk])
    two = factories.DialogueSessionFactory(
        community=dialogue.community, title="Ronde 1", phase=Phase.CLOSED
    )
    dialogue.previous = two
    dialogue.save()
    page = client.get(url).text
    assert 'id="movement-chart"' not in page
    assert "vanaf 3 rondes" in page
    dialogue.previous = None
    dialogue.save()
    two.delete()
    three_rounds_of_one_organisation(dialogue)
    page = client.get(url).text
    chart = page[page.index('id="movement-chart"') : page.index("</figure>")]
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert "Hogeschool Zuid</text>" in chart and "Uitbreiden/versterken netwerk</text>" in chart
    assert "Deels gerealiseerd" in chart
    assert "ja, 1e" in chart
    assert "Werven nieuwe medewerkers" not in chart  # it did not move


def test_a_short_movement_chart_shows_several_organisations_first(dialogue):
    three_rounds_of_one_organisation(dialogue)
    first, second = dialogue.previous.previous, dialogue.previous
    for session, applies in ((first, True), (second, False)):
        prep = factories.PreparationFactory(
            session=session, organisation=dialogue.practice, submitted_at=timezone.now()
        )
        for code in ("capital.network", "capital.innovation"):
            factories.AnswerFactory(preparation=prep, motive=motive(code), applies=applies)
    found = deciding.movement(dialogue, limit=2)
    assert {r["organisation"].name for r in found["rows"]} == {
        "Hogeschool Zuid",
        dialogue.practice.name,
    }
    assert found["hidden"] == 1


def test_the_movement_chart_reads_in_english_too(sign_in, dialogue):
    three_rounds_of_one_organisation(dialogue)
    page = sign_in("bob").get(reverse("session_history", args=[dialogue.pk])).text
    chart = page[page.index('id="movement-chart"') : page.index("</figure>")]
    assert "Movement over the rounds" in page
    assert "yes, 1st" in chart and "Partly realised" in chart
    assert "How the motives moved over the rounds</title>" in chart
