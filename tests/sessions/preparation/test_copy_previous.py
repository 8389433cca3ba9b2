"""Round 2 starts from round 1: copying last round's answers into empty answers."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from motives.models import Motive
from sessions.dialogue import rounds
from sessions.models import Answer, Phase
from sessions.preparation import services
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def english():
    """The services' messages are read in English."""
    with translation.override("en"):
        yield


def _answer(preparation, code, applies, outcome="", priority=None):
    return factories.AnswerFactory(
        preparation=preparation,
        motive=Motive.objects.get(code=code),
        applies=applies,
        intended_outcome=outcome,
        priority=priority,
    )


@pytest.fixture
def round_two(session_with_two_organisations):
    """Round 1 closed, Hogeschool Zuid's format submitted with three answers; round 2 in
    preparation."""
    first = session_with_two_organisations
    zuid = first.preparations.get(organisation=first.education)
    _answer(zuid, "capital.network", True, "Meer stageplaatsen", priority=1)
    _answer(zuid, "capital.financial", False)
    _answer(zuid, "capital.innovation", True, "Samen innoveren")
    zuid.submitted_at = timezone.now()
    zuid.save()
    first.phase = Phase.CLOSED
    first.save()
    second = rounds.session_start_next_round(
        session=first, by=first.people["dave"], title="Evaluatie najaar"
    )
    second.phase = Phase.PREPARATION
    second.save()
    second.people = first.people
    second.education = first.education
    return second


@pytest.fixture
def preparation(round_two):
    return round_two.preparations.get(organisation=round_two.education)


@pytest.fixture
def alice(round_two):
    return round_two.people["alice"]


def answers_of(preparation):
    return {
        answer.motive.code: (answer.applies, answer.intended_outcome, answer.copied_from_previous)
        for answer in preparation.answers.select_related("motive")
    }


def detail_url(preparation):
    return reverse("preparation_detail", args=[preparation.session_id, preparation.pk])


def copy_url(preparation):
    return reverse("preparation_copy_previous", args=[preparation.session_id, preparation.pk])


def signed_in(client, person):
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return client


# --- the service -----------------------------------------------------------------------


def test_copy_fills_only_empty_answers_and_marks_each_copied_one(preparation, alice):
    _answer(preparation, "capital.network", False, "Dit jaar niet")

    result = services.preparation_copy_previous(preparation=preparation, by=alice)

    assert (result.copied, result.skipped) == (2, 1)
    assert answers_of(preparation) == {
        "capital.network": (False, "Dit jaar niet", False),
        "capital.financial": (False, "", True),
        "capital.innovation": (True, "Samen innoveren", True),
    }
    preparation.refresh_from_db()
    assert preparation.version == 2  # a revision, so a colleague's older page merges with it


def test_a_copied_priority_is_kept_unless_this_round_already_gave_it(preparation, alice):
    _answer(preparation, "capital.innovation", True, "Nu het belangrijkst", priority=1)
    network = Motive.objects.get(code="capital.network")

    services.preparation_copy_previous(preparation=preparation, by=alice)

    assert Answer.objects.get(preparation=preparation, motive=network).priority is None


def test_copying_twice_copies_nothing_the_second_time(preparation, alice):
    services.preparation_copy_previous(preparation=preparation, by=alice)
    again = services.preparation_copy_previous(preparation=preparation, by=alice)
    assert (again.copied, again.skipped) == (0, 3)


def test_confirming_removes_the_mark_and_keeps_the_answer(preparation, alice):
    services.preparation_copy_previous(preparation=preparation, by=alice)

    count = services.copied_answers_confirm(
        preparation=preparation, by=alice, codes=["capital.innovation"]
    )

    assert count == 1
    assert answers_of(preparation)["capital.innovation"] == (True, "Samen innoveren", False)
    assert answers_of(preparation)["capital.financial"] == (False, "", True)


def test_changing_and_saving_a_copied_answer_confirms_it(preparation, alice):
    services.preparation_copy_previous(preparation=preparation, by=alice)
    preparation.refresh_from_db()

    services.preparation_save(
        preparation=preparation,
        by=alice,
        answers={"capital.innovation": services.AnswerInput(True, "Samen innoveren, met de regio")},
        other_motives=[],
        base_version=preparation.version,
    )

    assert answers_of(preparation)["capital.innovation"] == (
        True,
        "Samen innoveren, met de regio",
        False,
    )
    assert answers_of(preparation)["capital.financial"] == (False, "", True)  # not changed


def test_submitting_with_unconfirmed_copies_is_refused_with_their_names(preparation, alice):
    services.preparation_copy_previous(preparation=preparation, by=alice)
    preparation.refresh_from_db()

    with pytest.raises(services.UnconfirmedCopies) as refused:
        services.preparation_submit(
            preparation=preparation,
            by=alice,
            base_version=preparation.version,
            participants_reason="Klein team",
        )

    assert "3 answers were copied from the previous round" in refused.value.message
    assert "“Financial motives, such as cost reduction or saving money”" in refused.value.message
    preparation.refresh_from_db()
    assert preparation.submitted_at is None


def test_submitting_with_confirm_copied_confirms_them_all(preparation, alice):
    services.preparation_copy_previous(preparation=preparation, by=alice)
    preparation.refresh_from_db()

    services.preparation_submit(
        preparation=preparation,
        by=alice,
        base_version=preparation.version,
        participants_reason="Klein team",
        confirm_copied=True,
    )

    preparation.refresh_from_db()
    assert preparation.submitted_at is not None
    assert not preparation.answers.filter(copied_from_previous=True).exists()


def test_another_organisations_member_cannot_copy(round_two, preparation):
    with pytest.raises(DomainError, match="Only members of Hogeschool Zuid"):
        services.preparation_copy_previous(preparation=preparation, by=round_two.people["bob"])
    assert not preparation.answers.exists()


def test_a_closed_format_cannot_copy(round_two, preparation, alice):
    round_two.phase = Phase.DIALOGUE
    round_two.save()
    with pytest.raises(DomainError):
        services.preparation_copy_previous(preparation=preparation, by=alice)
    assert not preparation.answers.exists()


def test_without_a_previous_round_there_is_nothing_to_copy(session_with_two_organisations):
    session = session_with_two_organisations
    zuid = session.preparations.get(organisation=session.education)
    with pytest.raises(DomainError, match="no submitted format in a previous round"):
        services.preparation_copy_previous(preparation=zuid, by=session.people["alice"])


# --- the format page -------------------------------------------------------------------


def test_the_format_offers_the_copy_while_it_is_editable(client, preparation, alice):
    page = signed_in(client, alice).get(detail_url(preparation)).content.decode()
    assert "Copy the answers of the previous round" in page
    assert copy_url(preparation) in page
    assert "3 motives in the previous round" in page


def test_without_a_previous_round_the_copy_is_not_offered(client, session_with_two_organisations):
    session = session_with_two_organisations
    zuid = session.preparations.get(organisation=session.education)
    page = signed_in(client, session.people["alice"]).get(detail_url(zuid)).content.decode()
    assert "Copy the answers of the previous round" not in page


def test_a_submitted_format_does_not_offer_the_copy(client, preparation, alice):
    preparation.submitted_at = timezone.now()
    preparation.save()
    page = signed_in(client, alice).get(detail_url(preparation)).content.decode()
    assert "Copy the answers of the previous round" not in page


def test_the_button_copies_says_how_many_and_marks_the_answers(client, preparation, alice):
    _answer(preparation, "capital.network", False, "Dit jaar niet")
    response = signed_in(client, alice).post(copy_url(preparation), follow=True)
    page = response.content.decode()
    assert "2 answers were copied from the previous round" in page
    assert "1 motive already had an answer this round" in page
    assert page.count("copied-marker") == 2
    assert "Copy the answers of the previous round" not in page  # nothing left to copy


def test_the_button_saves_what_was_typed_before_copying(client, preparation, alice):
    """The page's button sends the form: a motive typed but not saved yet is kept."""
    client = signed_in(client, alice)
    form = client.get(detail_url(preparation)).context["form"]
    data = form.as_field_values(services.stored_values(preparation, form.motives))
    data = {key: value for key, value in data.items() if value is not None}
    data["version"] = str(preparation.version)
    network = Motive.objects.get(code="capital.network")
    data[form.outcome_name(network)] = "Net getypt"
    data[form.applies_name(network)] = "yes"
    data["copy_previous"] = "1"

    client.post(copy_url(preparation), data)

    assert answers_of(preparation)["capital.network"] == (True, "Net getypt", False)
    assert answers_of(preparation)["capital.innovation"] == (True, "Samen innoveren", True)


def test_another_organisations_member_cannot_post_the_copy(client, round_two, preparation):
    response = signed_in(client, round_two.people["bob"]).post(copy_url(preparation))
    assert response.status_code == 404
    assert not preparation.answers.exists()


def test_the_submit_page_asks_to_confirm_the_copied_answers(client, preparation, alice):
    services.preparation_copy_previous(preparation=preparation, by=alice)
    preparation.refresh_from_db()
    client = signed_in(client, alice)
    submit = reverse("preparation_submit", args=[preparation.session_id, preparation.pk])
    data = {"version": preparation.version, "participants_reason": "Klein team"}

    refused = client.post(submit, data)
    assert refused.status_code == 400
    assert "nobody confirmed them yet" in refused.content.decode()
    preparation.refresh_from_db()
    assert preparation.submitted_at is None

    client.post(submit, {**data, "confirm_copied": "on"})
    preparation.refresh_from_db()
    assert preparation.submitted_at is not None


def test_the_confirm_button_saves_the_form_and_removes_that_answers_mark(
    client, preparation, alice
):
    services.preparation_copy_previous(preparation=preparation, by=alice)
    preparation.refresh_from_db()
    client = signed_in(client, alice)
    form = client.get(detail_url(preparation)).context["form"]
    data = form.as_field_values(services.stored_values(preparation, form.motives))
    data = {key: value for key, value in data.items() if value is not None}
    data["version"] = str(preparation.version)
    data["confirm_copied"] = "capital.innovation"

    response = client.post(detail_url(preparation), data, follow=True)

    assert "1 copied answer is confirmed" in response.content.decode()
    assert answers_of(preparation)["capital.innovation"] == (True, "Samen innoveren", False)
    assert answers_of(preparation)["capital.financial"] == (False, "", True)
    assert response.content.decode().count("copied-marker") == 2


@pytest.mark.parametrize("code", ["no.such-motive", "capital\x00network"])
def test_a_confirm_of_an_unknown_motive_only_saves(client, preparation, alice, code):
    services.preparation_copy_previous(preparation=preparation, by=alice)
    preparation.refresh_from_db()
    client = signed_in(client, alice)
    form = client.get(detail_url(preparation)).context["form"]
    data = form.as_field_values(services.stored_values(preparation, form.motives))
    data = {key: value for key, value in data.items() if value is not None}
    data["version"] = str(preparation.version)
    data["confirm_copied"] = code

    response = client.post(detail_url(preparation), data)

    assert response.status_code == 302
    assert preparation.answers.filter(copied_from_previous=True).count() == 3


def test_a_page_opened_before_the_copy_keeps_the_copies_when_it_saves(preparation, alice):
    """Alice copies in one tab; her other tab, opened before, saves another motive."""
    opened_at = preparation.version
    services.preparation_copy_previous(preparation=preparation, by=alice)
    preparation.refresh_from_db()

    services.preparation_save(
        preparation=preparation,
        by=alice,
        answers={
            code: services.AnswerInput(None)
            for code in ("capital.network", "capital.financial", "capital.innovation")
        }
        | {"development.teachers": services.AnswerInput(True, "Past bij onze missie")},
        other_motives=[],
        base_version=opened_at,
    )

    assert answers_of(preparation)["capital.innovation"] == (True, "Samen innoveren", True)
    assert answers_of(preparation)["development.teachers"] == (True, "Past bij onze missie", False)


def test_a_round_two_format_page_reads_last_round_once(
    client, preparation, alice, django_assert_max_num_queries
):
    """Last round's answers feed both the copy button's count and each motive's "last
    round" line, and the copied marks come from the answers the page read already: one
    query for last round, none more for the marks (three more before: last round twice,
    this round's answers twice)."""
    _answer(preparation, "capital.network", False, "Dit jaar niet")
    services.preparation_copy_previous(preparation=preparation, by=alice)
    client = signed_in(client, alice)
    client.get(detail_url(preparation))  # the session row and the like are read once per process
    with django_assert_max_num_queries(13):
        page = client.get(detail_url(preparation)).content.decode()
    assert page.count("copied-marker") == 2
    assert 'Last round: <span aria-hidden="true">✓</span> yes — Samen innoveren</p>' in page
    assert "Copy the answers of the previous round" not in page  # nothing left to copy
