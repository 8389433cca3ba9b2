"""Two colleagues edit one format: saves merge per field against the version each started from."""

import pytest
from django.utils import translation

from motives.models import Cluster
from partnerships.models import Membership
from sessions.models import REVISIONS_KEPT, Answer, Preparation, PreparationRevision
from sessions.preparation.services import (
    AnswerInput,
    OtherMotiveInput,
    PreparationConflict,
    preparation_save,
    preparation_submit,
    preparation_withdraw,
)
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def preparation(session):
    return session.preparations.get(organisation=session.education)


@pytest.fixture
def alice(session):
    return session.people["alice"]


@pytest.fixture
def erin(session):
    """Alice's colleague in the education organisation."""
    person = factories.UserFactory(email="erin@example.org", name="Erin")
    factories.MembershipFactory(person=person, organisation=session.education)
    return person


def save(preparation, by, answers=None, others=(), *, version):
    return preparation_save(
        preparation=preparation,
        by=by,
        answers=answers or {},
        other_motives=list(others),
        base_version=version,
    )


def stored(preparation):
    return {
        answer.motive.code: (answer.applies, answer.intended_outcome)
        for answer in Answer.objects.filter(preparation=preparation).select_related("motive")
    }


def stored_others(preparation):
    return list(
        Preparation.objects.get(pk=preparation.pk).other_motives.values_list(
            "position", "text", "intended_outcome"
        )
    )


def version_of(preparation):
    return Preparation.objects.get(pk=preparation.pk).version


@pytest.fixture
def opened(preparation, alice):
    """The format after a first save; both colleagues open this version."""
    save(
        preparation,
        alice,
        {
            "capital.network": AnswerInput(True, "Stageplekken"),
            "capital.financial": AnswerInput(False, ""),
        },
        version=preparation.version,
    )
    return version_of(preparation)


def test_a_field_only_my_colleague_changed_keeps_their_value_when_i_save_my_field(
    preparation, alice, erin, opened
):
    save(
        preparation,
        erin,
        {"capital.network": AnswerInput(True, "Stageplekken en gastlessen")},
        version=opened,
    )
    # Alice's form still shows the old network text; she only changed financial.
    saved = save(
        preparation,
        alice,
        {
            "capital.network": AnswerInput(True, "Stageplekken"),
            "capital.financial": AnswerInput(True, "Minder kosten"),
        },
        version=opened,
    )
    assert stored(preparation) == {
        "capital.network": (True, "Stageplekken en gastlessen"),
        "capital.financial": (True, "Minder kosten"),
    }
    assert saved.kept_theirs == ["outcome:capital.network"]
    assert saved.version == opened + 2


def test_a_field_both_changed_differently_is_a_conflict_with_both_texts_and_nothing_is_written(
    preparation, alice, erin, opened
):
    save(
        preparation, erin, {"capital.network": AnswerInput(True, "Versie van Erin")}, version=opened
    )
    with pytest.raises(PreparationConflict) as raised:
        save(
            preparation,
            alice,
            {
                "capital.network": AnswerInput(True, "Versie van Alice"),
                "capital.financial": AnswerInput(True, "Ook nieuw"),
            },
            version=opened,
        )
    conflict = raised.value
    assert conflict.conflicts == ["outcome:capital.network"]  # only the field both changed
    assert conflict.theirs["outcome:capital.network"] == "Versie van Erin"
    assert conflict.merge.values["outcome:capital.network"] == "Versie van Alice"
    assert conflict.merge.values["applies:capital.financial"] is True  # her other change
    assert conflict.message.startswith("Erin saved this format while you were editing it.")
    assert "You both changed 1 field." in conflict.message
    assert stored(preparation) == {
        "capital.network": (True, "Versie van Erin"),
        "capital.financial": (False, ""),
    }
    assert version_of(preparation) == opened + 1


def test_both_changing_a_field_to_the_same_value_is_no_conflict(preparation, alice, erin, opened):
    save(preparation, erin, {"capital.innovation": AnswerInput(True, "")}, version=opened)
    save(preparation, alice, {"capital.innovation": AnswerInput(True, "")}, version=opened)
    assert stored(preparation)["capital.innovation"] == (True, "")


def test_the_same_form_sent_twice_is_no_conflict_and_changes_nothing(preparation, alice, opened):
    answers = {"capital.network": AnswerInput(False, "Toch niet")}
    first = save(preparation, alice, answers, version=opened)
    again = save(preparation, alice, answers, version=opened)  # a double click, a resend
    assert again.version == first.version == opened + 1
    assert again.kept_theirs == []
    assert stored(preparation)["capital.network"] == (False, "Toch niet")


def test_my_own_earlier_save_never_conflicts_with_my_next_one_from_the_same_version(
    preparation, alice, opened
):
    """An autosave went out, then Save was pressed with the older version still in the form."""
    save(preparation, alice, {"capital.network": AnswerInput(True, "Stage")}, version=opened)
    save(
        preparation,
        alice,
        {"capital.network": AnswerInput(True, "Stageplekken 2027")},
        version=opened,
    )
    assert stored(preparation)["capital.network"] == (True, "Stageplekken 2027")


def test_my_own_change_and_a_colleagues_change_of_the_same_field_still_conflict(
    preparation, alice, erin, opened
):
    save(preparation, alice, {"capital.network": AnswerInput(True, "Stage")}, version=opened)
    save(preparation, erin, {"capital.network": AnswerInput(True, "Van Erin")}, version=opened + 1)
    with pytest.raises(PreparationConflict):
        save(preparation, alice, {"capital.network": AnswerInput(True, "Stage 2")}, version=opened)
    assert stored(preparation)["capital.network"] == (True, "Van Erin")


def test_without_the_base_revision_every_differing_field_is_a_conflict(
    preparation, alice, erin, opened
):
    save(preparation, erin, {"capital.network": AnswerInput(True, "Van Erin")}, version=opened)
    PreparationRevision.objects.filter(preparation=preparation, version=opened).delete()
    with pytest.raises(PreparationConflict) as raised:
        save(
            preparation,
            alice,
            {
                "capital.network": AnswerInput(True, "Stageplekken"),  # as she opened it
                "capital.financial": AnswerInput(True, "Nieuw"),
            },
            version=opened,
        )
    assert set(raised.value.conflicts) == {
        "outcome:capital.network",
        "applies:capital.financial",
        "outcome:capital.financial",
    }
    assert "every field where your version differs" in raised.value.message
    assert stored(preparation)["capital.network"] == (True, "Van Erin")


def test_other_motive_slots_merge_one_by_one(preparation, alice, erin, opened):
    societal = Cluster.objects.get(code="societal")
    save(
        preparation,
        erin,
        others=[OtherMotiveInput(None, ""), OtherMotiveInput(societal, "Wijkaanpak", "Buurt")],
        version=opened,
    )
    saved = save(
        preparation, alice, others=[OtherMotiveInput(None, "Nieuwsgierigheid")], version=opened
    )
    assert stored_others(preparation) == [(1, "Nieuwsgierigheid", ""), (2, "Wijkaanpak", "Buurt")]
    assert sorted(saved.kept_theirs) == ["other_cluster:2", "other_outcome:2", "other_text:2"]
    assert saved.other_motives.get(position=2).cluster == societal


def test_a_format_never_saved_in_the_app_merges_from_its_first_version(preparation, alice, erin):
    """An imported format starts at version 1 with answers; its first save keeps that as base."""
    factories.AnswerFactory(preparation=preparation, intended_outcome="Geïmporteerd")
    first = preparation.version
    save(preparation, erin, {"capital.financial": AnswerInput(True, "Van Erin")}, version=first)
    save(preparation, alice, {"capital.innovation": AnswerInput(False, "")}, version=first)
    assert stored(preparation) == {
        "capital.network": (True, "Geïmporteerd"),
        "capital.financial": (True, "Van Erin"),
        "capital.innovation": (False, ""),
    }


def test_a_submission_and_withdrawal_in_between_are_no_conflict(preparation, alice, erin, opened):
    submitted = preparation_submit(preparation=preparation, by=erin, base_version=opened)
    preparation_withdraw(preparation=submitted, by=erin)
    save(preparation, alice, {"capital.innovation": AnswerInput(True, "")}, version=opened)
    assert stored(preparation)["capital.innovation"] == (True, "")
    assert stored(preparation)["capital.network"] == (True, "Stageplekken")


def test_every_save_keeps_a_revision_and_only_the_last_ones_are_kept(preparation, alice):
    version = preparation.version
    for number in range(REVISIONS_KEPT + 5):
        version = save(
            preparation,
            alice,
            {"capital.network": AnswerInput(True, f"Tekst {number}")},
            version=version,
        ).version
    revisions = PreparationRevision.objects.filter(preparation=preparation)
    assert revisions.count() == REVISIONS_KEPT
    latest = revisions.latest("version")
    assert latest.version == version
    assert latest.values["outcome:capital.network"] == f"Tekst {REVISIONS_KEPT + 4}"
    assert latest.saved_by == alice


def test_revisions_are_deleted_with_the_preparation(preparation, alice):
    save(preparation, alice, {"capital.network": AnswerInput(True, "x")}, version=1)
    assert PreparationRevision.objects.filter(preparation=preparation).exists()
    preparation.session.delete()
    assert not PreparationRevision.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "mallory"])
def test_only_members_of_the_organisation_can_save_submit_or_withdraw(
    session, preparation, persona
):
    person = session.people[persona]
    with pytest.raises(DomainError, match="Only members of Hogeschool Zuid"):
        save(preparation, person, {"capital.network": AnswerInput(True, "Inbraak")}, version=1)
    with pytest.raises(DomainError, match="Only members of Hogeschool Zuid"):
        preparation_submit(preparation=preparation, by=person, base_version=1)
    assert not Answer.objects.filter(preparation=preparation).exists()
    assert not Preparation.objects.get(pk=preparation.pk).submitted


def test_a_person_whose_membership_ended_while_typing_cannot_save(preparation, alice):
    Membership.objects.filter(person=alice).delete()
    with pytest.raises(DomainError, match="Only members"):
        save(preparation, alice, {"capital.network": AnswerInput(True, "Te laat")}, version=1)
    assert not Answer.objects.filter(preparation=preparation).exists()


def test_earlier_versions_are_never_exported_or_shown(client, session, preparation, alice):
    """Revisions hold text the organisation replaced: no export or page may show it."""
    import json

    from django.urls import reverse
    from django.utils import timezone

    from sessions.interchange.format import export_session
    from sessions.interchange.tables import answers_csv
    from sessions.models import Phase

    version = save(
        preparation,
        alice,
        {"capital.network": AnswerInput(True, "Eerste geheime versie")},
        version=preparation.version,
    ).version
    save(preparation, alice, {"capital.network": AnswerInput(True, "Gedeeld")}, version=version)
    assert PreparationRevision.objects.filter(values__icontains="Eerste geheime versie").exists()
    for other in session.preparations.all():
        other.submitted_at = timezone.now()
        other.save()
    session.phase = Phase.DIALOGUE
    session.save()

    assert "Eerste geheime versie" not in json.dumps(export_session(session))
    assert "Eerste geheime versie" not in answers_csv(session).decode("utf-8-sig")
    for persona in ("alice", "bob", "carol"):
        client.force_login(session.people[persona])
        for page in (
            reverse("preparation_detail", args=[session.pk, preparation.pk]),
            reverse("session_comparison", args=[session.pk]),
        ):
            response = client.get(page)
            assert response.status_code == 200
            assert "Eerste geheime versie" not in response.text, (persona, page)
