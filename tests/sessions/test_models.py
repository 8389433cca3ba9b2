import pytest
from django.db import IntegrityError, transaction

from motives.models import Motive
from tests import factories


def test_one_preparation_per_organisation_per_session(db):
    preparation = factories.PreparationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PreparationFactory(
            session=preparation.session, organisation=preparation.organisation
        )


def test_one_answer_per_motive_per_preparation(db):
    answer = factories.AnswerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.AnswerFactory(preparation=answer.preparation, motive=answer.motive)


def test_unanswered_is_stored_apart_from_no(db):
    preparation = factories.PreparationFactory()
    network = Motive.objects.get(code="capital.network")
    financial = Motive.objects.get(code="capital.financial")
    factories.AnswerFactory(preparation=preparation, motive=network, applies=None)
    factories.AnswerFactory(preparation=preparation, motive=financial, applies=False)
    stored = dict(preparation.answers.values_list("motive__code", "applies"))
    assert stored == {"capital.network": None, "capital.financial": False}


def test_at_most_three_other_motives_per_preparation(db):
    preparation = factories.PreparationFactory()
    for position in (1, 2, 3):
        factories.OtherMotiveFactory(preparation=preparation, position=position)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OtherMotiveFactory(preparation=preparation, position=4)


def test_a_joint_motive_needs_a_catalogue_motive_or_text(db):
    session = factories.DialogueSessionFactory()
    factories.JointMotiveFactory(session=session, motive=None, text="Samen innoveren")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.JointMotiveFactory(session=session, motive=None, text="")
