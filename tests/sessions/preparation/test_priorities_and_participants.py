"""Fase 1 as the seed describes it: who took part, the open question, and three priorities."""

import pytest
from django.urls import reverse

from motives.models import Motive
from sessions.models import Participant, Phase
from sessions.preparation import services
from sms_tool.errors import DomainError


@pytest.fixture
def education(session):
    return session.preparations.get(organisation=session.education)


def url(preparation, name="preparation_detail"):
    return reverse(name, args=[preparation.session_id, preparation.pk])


def field(code, kind):
    return f"{kind}_{Motive.objects.get(code=code).pk}"


def post(preparation, answers, **extra):
    """``answers`` maps a motive code to (applies, priority)."""
    data = {"version": preparation.version, "save": "1", **extra}
    for code, (applies, priority) in answers.items():
        data[field(code, "applies")] = applies
        data[field(code, "outcome")] = ""
        data[field(code, "priority")] = priority
    return data


def priorities(preparation):
    return dict(preparation.answers.exclude(priority=None).values_list("motive__code", "priority"))


def test_the_open_question_comes_before_the_list_and_is_saved(client, session, education):
    client.force_login(session.people["alice"])
    page = client.get(url(education)).text
    question = "Welke motieven heeft uw organisatie om samen te werken?"
    assert page.index(question) < page.index("Legitimerende motieven")
    data = post(education, {}, open_motives="Wij willen talent binnenhalen.")
    assert client.post(url(education), data).status_code == 302
    assert "Wij willen talent binnenhalen." in client.get(url(education)).text


def test_a_member_marks_three_priorities(client, session, education):
    client.force_login(session.people["alice"])
    data = post(
        education,
        {
            "capital.network": ("yes", "1"),
            "capital.recruitment": ("yes", "2"),
            "development.students": ("yes", "3"),
            "capital.financial": ("no", ""),
        },
    )
    assert client.post(url(education), data).status_code == 302
    assert priorities(education) == {
        "capital.network": 1,
        "capital.recruitment": 2,
        "development.students": 3,
    }


def test_a_priority_given_twice_is_refused_at_the_motive_and_nothing_is_saved(
    client, session, education
):
    client.force_login(session.people["alice"])
    data = post(education, {"capital.network": ("yes", "1"), "capital.recruitment": ("yes", "1")})
    response = client.post(url(education), data)
    assert response.status_code == 400
    assert "Prioriteit 1 is al gegeven aan" in response.text
    assert not education.answers.exists()


def test_a_priority_on_a_motive_that_does_not_apply_is_refused(client, session, education):
    client.force_login(session.people["alice"])
    data = post(education, {"capital.network": ("no", "2")})
    response = client.post(url(education), data)
    assert response.status_code == 400
    assert "Alleen een motief dat van toepassing is (Ja) kan een prioriteit krijgen." in (
        response.text
    )


def test_priorities_can_be_swapped_in_one_save(client, session, education):
    client.force_login(session.people["alice"])
    first = post(education, {"capital.network": ("yes", "1"), "capital.recruitment": ("yes", "2")})
    client.post(url(education), first)
    education.refresh_from_db()
    swapped = post(
        education, {"capital.network": ("yes", "2"), "capital.recruitment": ("yes", "1")}
    )
    assert client.post(url(education), swapped).status_code == 302
    assert priorities(education) == {"capital.network": 2, "capital.recruitment": 1}


def test_two_colleagues_giving_the_same_priority_meanwhile_is_refused_in_words(session, education):
    alice = session.people["alice"]
    network = services.AnswerInput(applies=True, priority=1)
    services.preparation_save(
        preparation=education,
        by=alice,
        answers={"capital.network": network},
        other_motives=[],
        base_version=1,
    )
    with pytest.raises(DomainError, match="Priority 1 is given to both"):
        from django.utils import translation

        with translation.override("en"):
            services.preparation_save(
                preparation=education,
                by=alice,
                answers={"capital.recruitment": services.AnswerInput(applies=True, priority=1)},
                other_motives=[],
                base_version=2,
            )


def test_a_member_lists_who_took_part(client, session, education):
    client.force_login(session.people["alice"])
    data = {"name_1": "Jan Jansen", "role_1": "manager", "name_2": "Kim", "role_2": "staff"}
    response = client.post(url(education, "preparation_participants"), data)
    assert response.status_code == 302
    assert list(education.participants.values_list("name", "role")) == [
        ("Jan Jansen", "manager"),
        ("Kim", "staff"),
    ]


def test_a_name_without_a_role_is_refused_and_the_list_is_kept(client, session, education):
    client.force_login(session.people["alice"])
    response = client.post(url(education, "preparation_participants"), {"name_1": "Jan"})
    assert response.status_code == 400
    assert "Kies een rol voor Jan." in response.text
    assert list(education.participants.values_list("name", flat=True)) == [
        "M. Manager",
        "S. Staff",
    ]


def test_submitting_without_a_staff_member_asks_for_a_reason(client, session, education):
    Participant.objects.filter(preparation=education, role="staff").delete()
    client.force_login(session.people["alice"])
    page = client.get(url(education, "preparation_submit"))
    assert "Er staat geen medewerker bij de mensen die meededen." in page.text
    response = client.post(url(education, "preparation_submit"), {"version": education.version})
    assert response.status_code == 400
    assert "Er staat geen medewerker" in response.text
    education.refresh_from_db()
    assert not education.submitted

    response = client.post(
        url(education, "preparation_submit"),
        {"version": education.version, "participants_reason": "Onze medewerker was ziek."},
    )
    assert response.status_code == 302
    education.refresh_from_db()
    assert education.submitted
    assert education.extra.participants_reason == "Onze medewerker was ziek."


def test_submitting_with_a_manager_and_a_staff_member_needs_no_reason(client, session, education):
    client.force_login(session.people["alice"])
    page = client.get(url(education, "preparation_submit")).text
    assert "participants_reason" not in page
    response = client.post(url(education, "preparation_submit"), {"version": education.version})
    assert response.status_code == 302
    education.refresh_from_db()
    assert education.submitted


def test_the_participants_page_is_only_for_the_organisations_members(client, session, education):
    for name in ("bob", "carol", "dave", "mallory"):
        client.force_login(session.people[name])
        assert client.get(url(education, "preparation_participants")).status_code == 404
        response = client.post(
            url(education, "preparation_participants"), {"name_1": "X", "role_1": "manager"}
        )
        assert response.status_code == 404
    assert education.participants.count() == 2


def test_the_list_cannot_change_once_submitted(client, session, education):
    session.phase = Phase.DIALOGUE
    session.save()
    client.force_login(session.people["alice"])
    response = client.post(
        url(education, "preparation_participants"), {"name_1": "Laat", "role_1": "other"}
    )
    assert response.status_code == 400
    assert not education.participants.filter(name="Laat").exists()
