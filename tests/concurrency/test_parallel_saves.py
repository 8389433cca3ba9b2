"""Two members of one organisation save its format at the same moment (issue 7).

Both start from the same version. Saves merge per field against that version:
when they changed different fields, both saves go through and both texts are
stored. When they changed the same field differently, one save wins; the other
is refused with a ``PreparationConflict`` that names exactly that field and
carries both texts, so the page can show both. Nothing of the loser's input is
written and the version rises by one.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from motives.models import Motive
from sessions.models import Answer, OtherMotive, Preparation
from sessions.preparation.services import (
    AnswerInput,
    OtherMotiveInput,
    PreparationConflict,
    preparation_save,
)
from tests import factories
from tests.concurrency import run_at_once, split

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 5


@pytest.fixture
def preparation(session):
    return session.preparations.get(organisation=session.education)


@pytest.fixture
def erin(session):
    """Alice's colleague: a second member of the education organisation."""
    person = factories.UserFactory(email="erin@example.org", name="Erin")
    factories.MembershipFactory(person=person, organisation=session.education)
    return person


def stored(preparation):
    """The stored network answer and other motives of the preparation, fresh from the database."""
    answer = Answer.objects.get(preparation=preparation, motive__code="capital.network")
    others = list(
        OtherMotive.objects.filter(preparation=preparation).values_list("text", flat=True)
    )
    return answer.intended_outcome, others


def texts_anywhere():
    """Every text the database holds for formats: answers' outcomes and other motives."""
    return set(Answer.objects.values_list("intended_outcome", flat=True)) | set(
        OtherMotive.objects.values_list("text", flat=True)
    )


def save_action(preparation, person, text, base_version):
    def save():
        return preparation_save(
            preparation=preparation,
            by=person,
            answers={"capital.network": AnswerInput(True, text)},
            other_motives=[OtherMotiveInput(None, f"Eigen motief: {text}")],
            base_version=base_version,
        )

    return save


def test_of_two_saves_from_the_same_version_exactly_one_wins_and_the_other_is_told(
    session, preparation, erin
):
    alice = session.people["alice"]
    for round_number in range(1, ROUNDS + 1):
        base = Preparation.objects.get(pk=preparation.pk).version
        texts = {alice: f"Versie van Alice {round_number}", erin: f"Versie van Erin {round_number}"}

        outcomes = run_at_once(
            *(save_action(preparation, person, text, base) for person, text in texts.items())
        )

        saved, refused = split(outcomes)
        assert len(saved) == 1 and len(refused) == 1, outcomes
        conflict = refused[0].error
        assert isinstance(conflict, PreparationConflict)
        winner = saved[0].value.updated_by
        loser = alice if winner == erin else erin
        # The loser is told who saved, and is given the winner's stored format.
        assert winner.name in conflict.message
        assert conflict.current.version == base + 1
        assert conflict.current.updated_by == winner
        assert stored(conflict.current) == (
            texts[winner],
            [f"Eigen motief: {texts[winner]}"],
        )
        # The database holds the winner's format, one version on, none of the loser's text.
        current = Preparation.objects.get(pk=preparation.pk)
        assert current.version == base + 1
        assert current.updated_by == winner
        assert stored(current) == (texts[winner], [f"Eigen motief: {texts[winner]}"])
        assert texts[loser] not in texts_anywhere()
        assert f"Eigen motief: {texts[loser]}" not in texts_anywhere()


def format_url(preparation):
    return reverse("preparation_detail", args=[preparation.session_id, preparation.pk])


def signed_in_client(person):
    client = Client()
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_two_browsers_saving_at_once_give_one_save_and_one_conflict_page_with_both_texts(
    session, preparation, erin
):
    alice = session.people["alice"]
    network = Motive.objects.get(code="capital.network").pk
    base = preparation.version
    texts = {alice: "Stageplekken volgens Alice", erin: "Gastlessen volgens Erin"}
    clients = {person: signed_in_client(person) for person in texts}

    def post_as(person):
        def post():
            data = {
                "version": base,
                "save": "1",
                f"applies_{network}": "yes",
                f"outcome_{network}": texts[person],
            }
            return person, clients[person].post(format_url(preparation), data)

        return post

    outcomes = run_at_once(post_as(alice), post_as(erin))

    responses = dict(outcome.value for outcome in outcomes)
    statuses = sorted(response.status_code for response in responses.values())
    assert statuses == [302, 409]
    winner = next(p for p, r in responses.items() if r.status_code == 302)
    loser = next(p for p, r in responses.items() if r.status_code == 409)
    page = responses[loser].text
    assert f"{winner.name} saved this format while you were editing it" in page
    assert texts[loser] in page  # what the loser typed is still in the form
    assert texts[winner] in page  # next to the saved version
    assert f'name="version" value="{base + 1}"' in page
    current = Preparation.objects.get(pk=preparation.pk)
    assert current.version == base + 1
    assert stored(current) == (texts[winner], [])
    assert texts[loser] not in texts_anywhere()


# --- different fields merge, the same field conflicts --------------------------------


def full_form(network, financial, innovation=None):
    """What a browser sends: every field of the form, changed or not."""
    answers = {
        "capital.network": AnswerInput(True, network),
        "capital.financial": AnswerInput(True, financial),
    }
    if innovation is not None:
        answers["capital.innovation"] = AnswerInput(True, innovation)
    return answers


def save_form(preparation, person, answers, base_version):
    def save():
        return preparation_save(
            preparation=preparation,
            by=person,
            answers=answers,
            other_motives=[],
            base_version=base_version,
        )

    return save


def outcomes_stored(preparation):
    return dict(
        Answer.objects.filter(preparation=preparation).values_list(
            "motive__code", "intended_outcome"
        )
    )


def test_two_saves_of_different_fields_from_the_same_version_both_survive(
    session, preparation, erin
):
    alice = session.people["alice"]
    network, financial = "Netwerk 0", "Financieel 0"
    save_form(preparation, alice, full_form(network, financial), preparation.version)()
    for round_number in range(1, ROUNDS + 1):
        base = Preparation.objects.get(pk=preparation.pk).version
        mine, theirs = f"Netwerk van Alice {round_number}", f"Financieel van Erin {round_number}"

        outcomes = run_at_once(
            save_form(preparation, alice, full_form(mine, financial), base),
            save_form(preparation, erin, full_form(network, theirs), base),
        )

        saved, refused = split(outcomes)
        assert refused == [], [o.error for o in refused]
        assert len(saved) == 2
        merged = [o.value for o in saved if o.value.kept_theirs]
        assert len(merged) == 1  # the later save kept the earlier one's field
        assert outcomes_stored(preparation) == {
            "capital.network": mine,
            "capital.financial": theirs,
        }
        assert Preparation.objects.get(pk=preparation.pk).version == base + 2
        network, financial = mine, theirs


def test_two_saves_of_the_same_field_give_exactly_one_conflict_with_both_texts(
    session, preparation, erin
):
    alice = session.people["alice"]
    for round_number in range(1, ROUNDS + 1):
        current = Preparation.objects.get(pk=preparation.pk)
        base = current.version
        before = outcomes_stored(preparation)
        financial = before.get("capital.financial", "")
        texts = {alice: f"Alice {round_number}", erin: f"Erin {round_number}"}
        # Each also changes a field of their own: that one is not a conflict.
        forms = {
            alice: full_form(texts[alice], financial, innovation=f"Innovatie {round_number}"),
            erin: full_form(
                texts[erin], f"Financieel {round_number}", before.get("capital.innovation")
            ),
        }

        outcomes = run_at_once(
            *(save_form(preparation, person, forms[person], base) for person in (alice, erin))
        )

        saved, refused = split(outcomes)
        assert len(saved) == 1 and len(refused) == 1, outcomes
        conflict = refused[0].error
        assert isinstance(conflict, PreparationConflict)
        winner = saved[0].value.updated_by
        loser = alice if winner == erin else erin
        assert conflict.conflicts == ["outcome:capital.network"]
        assert conflict.theirs["outcome:capital.network"] == texts[winner]
        assert conflict.merge.values["outcome:capital.network"] == texts[loser]
        assert winner.name in conflict.message
        assert outcomes_stored(preparation)["capital.network"] == texts[winner]
        assert texts[loser] not in texts_anywhere()
        assert Preparation.objects.get(pk=preparation.pk).version == base + 1


def test_two_browsers_saving_different_fields_at_once_both_get_their_text_stored(
    session, preparation, erin
):
    alice = session.people["alice"]
    motives = {
        code: Motive.objects.get(code=code).pk for code in ("capital.network", "capital.financial")
    }
    base = preparation.version
    clients = {person: signed_in_client(person) for person in (alice, erin)}
    typed = {alice: ("capital.network", "Van Alice"), erin: ("capital.financial", "Van Erin")}

    def post_as(person):
        def post():
            data = {"version": base, "save": "1"}
            for pk in motives.values():  # the whole form, as the page showed it
                data[f"applies_{pk}"] = ""
                data[f"outcome_{pk}"] = ""
            code, text = typed[person]
            data[f"applies_{motives[code]}"] = "yes"
            data[f"outcome_{motives[code]}"] = text
            return clients[person].post(format_url(preparation), data)

        return post

    outcomes = run_at_once(post_as(alice), post_as(erin))

    assert sorted(o.value.status_code for o in outcomes) == [302, 302]
    assert outcomes_stored(preparation) == {
        "capital.network": "Van Alice",
        "capital.financial": "Van Erin",
    }
