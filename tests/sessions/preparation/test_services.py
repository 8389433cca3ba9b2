import pytest
from django.utils import translation

from motives.models import Motive
from sessions.models import Phase
from sessions.preparation.services import (
    AnswerInput,
    OtherMotiveInput,
    PreparationConflict,
    offered_motives,
    preparation_save,
    preparation_submit,
    preparation_withdraw,
    unanswered_motives,
)
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def english():
    """These tests read the services' messages in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def preparation(session_with_two_organisations):
    return session_with_two_organisations.preparations.get(organisation__name="Hogeschool Zuid")


@pytest.fixture
def alice(session_with_two_organisations):
    return session_with_two_organisations.people["alice"]


@pytest.fixture
def erin(session_with_two_organisations):
    """Alice's colleague in the education organisation."""
    person = factories.UserFactory(email="erin@example.org", name="Erin")
    factories.MembershipFactory(
        person=person, organisation=session_with_two_organisations.education
    )
    return person


def save(preparation, by, answers, others=(), version=None):
    return preparation_save(
        preparation=preparation,
        by=by,
        answers=answers,
        other_motives=list(others),
        base_version=preparation.version if version is None else version,
    )


def test_the_format_offers_the_motives_of_the_partner_type_in_catalogue_order(preparation):
    codes = [motive.code for motive in offered_motives(preparation)]
    assert "development.teachers" in codes
    assert "development.practice-partners" not in codes
    assert codes[0] == "legitimising.mission"
    assert codes[-1] == "societal.external-pressure"
    assert len(codes) == Motive.objects.exclude(audience="practice").count()


def test_saving_stores_answers_and_other_motives_and_raises_the_version(
    session_with_two_organisations, preparation
):
    alice = session_with_two_organisations.people["alice"]
    saved = save(
        preparation,
        alice,
        {
            "capital.network": AnswerInput(True, "Meer stageplekken"),
            "capital.financial": AnswerInput(False, ""),
            "capital.innovation": AnswerInput(None, "Nog bespreken met het team"),
        },
        [OtherMotiveInput(None, "Nieuwsgierigheid", "")],
    )
    assert saved.version == preparation.version + 1
    stored = {a.motive.code: (a.applies, a.intended_outcome) for a in saved.answers.all()}
    assert stored == {
        "capital.network": (True, "Meer stageplekken"),
        "capital.financial": (False, ""),
        "capital.innovation": (None, "Nog bespreken met het team"),
    }
    assert list(saved.other_motives.values_list("position", "text")) == [(1, "Nieuwsgierigheid")]
    assert saved.updated_by == alice


def test_clearing_an_answer_makes_it_unanswered_again(preparation, alice):
    saved = save(preparation, alice, {"capital.network": AnswerInput(True, "x")})
    saved = save(saved, alice, {"capital.network": AnswerInput(None, "")})
    assert not saved.answers.exists()


def test_a_second_save_of_the_same_version_is_refused_with_the_stored_version(
    preparation, alice, erin
):
    opened_version = preparation.version
    save(preparation, alice, {"capital.network": AnswerInput(True, "Versie van Alice")})

    with pytest.raises(PreparationConflict) as conflict:
        save(
            preparation,
            erin,
            {"capital.network": AnswerInput(False, "Versie van collega")},
            version=opened_version,
        )

    assert conflict.value.current.updated_by == alice
    assert "Alice" in conflict.value.message
    answer = conflict.value.current.answers.get()
    assert (answer.applies, answer.intended_outcome) == (True, "Versie van Alice")


def test_saving_outside_the_preparation_phase_is_refused(preparation, alice):
    preparation.session.phase = Phase.DIALOGUE
    preparation.session.save()
    with pytest.raises(DomainError, match="only be changed while the session is in preparation"):
        save(preparation, alice, {"capital.network": AnswerInput(True, "")})


def test_a_submitted_format_cannot_be_changed_until_withdrawn(preparation, alice):
    submitted = preparation_submit(
        preparation=preparation, by=alice, base_version=preparation.version
    )
    with pytest.raises(DomainError, match="Withdraw the submission"):
        save(submitted, alice, {"capital.network": AnswerInput(True, "")})
    withdrawn = preparation_withdraw(preparation=submitted, by=alice)
    assert not withdrawn.submitted
    assert save(withdrawn, alice, {"capital.network": AnswerInput(True, "")}).answers.count() == 1


def test_submitting_a_version_someone_changed_meanwhile_is_refused(preparation, alice):
    opened = preparation.version
    save(preparation, alice, {"capital.network": AnswerInput(True, "")})
    with pytest.raises(PreparationConflict):
        preparation_submit(preparation=preparation, by=alice, base_version=opened)
    preparation.refresh_from_db()
    assert not preparation.submitted


def test_withdrawing_after_the_dialogue_opened_is_refused(preparation, alice):
    submitted = preparation_submit(
        preparation=preparation, by=alice, base_version=preparation.version
    )
    submitted.session.phase = Phase.DIALOGUE
    submitted.session.save()
    with pytest.raises(DomainError, match="only be withdrawn while the session is in preparation"):
        preparation_withdraw(preparation=submitted, by=alice)


def test_unanswered_lists_motives_without_yes_or_no(preparation, alice):
    saved = save(
        preparation,
        alice,
        {
            "capital.network": AnswerInput(True, ""),
            "capital.innovation": AnswerInput(None, "tekst"),
        },
    )
    unanswered = {motive.code for motive in unanswered_motives(saved)}
    assert "capital.network" not in unanswered
    assert "capital.innovation" in unanswered
    assert len(unanswered) == len(offered_motives(saved)) - 1


def test_a_motive_of_the_other_partner_type_is_refused(preparation, alice):
    with pytest.raises(DomainError, match="development.practice-partners"):
        save(preparation, alice, {"development.practice-partners": AnswerInput(True, "")})
