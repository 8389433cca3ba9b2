"""The fill-in format in the browser, as the organisation's members use it (Fase 1)."""

import pytest
from django.urls import reverse

from motives.models import Motive
from sessions.models import Phase
from tests.helpers import form_data as page_form_data


@pytest.fixture
def education(session):
    return session.preparations.get(organisation=session.education)


def url(preparation, name="preparation_detail"):
    return reverse(name, args=[preparation.session_id, preparation.pk])


def field(motive_code, kind):
    return f"{kind}_{Motive.objects.get(code=motive_code).pk}"


def form_data_from_page(html):
    return page_form_data(html, "preparation-form")


def form_data(preparation, answers):
    """What the browser posts: ``answers`` maps a motive code to (applies, outcome)."""
    data = {"version": preparation.version, "save": "1"}
    for code, (applies, outcome) in answers.items():
        data[field(code, "applies")] = applies
        data[field(code, "outcome")] = outcome
    return data


def test_a_member_sees_the_format_of_their_organisation_grouped_by_cluster(
    client, session, education
):
    client.force_login(session.people["alice"])
    response = client.get(url(education))
    assert response.status_code == 200
    text = response.text
    assert text.index("Legitimerende motieven") < text.index("Ontwikkelingsgerichte motieven")
    assert "Professionalisering van docenten" in text  # education-only motive
    assert "Professionalisering van medewerkers" not in text  # practice-only motive
    assert "Ten hoogste 2000 tekens." in text


def test_saving_a_draft_keeps_every_answer(client, session, education):
    client.force_login(session.people["alice"])
    data = form_data(
        education,
        {"capital.network": ("yes", "Meer stageplekken"), "capital.financial": ("no", "")},
    )
    response = client.post(url(education), data)
    assert response.status_code == 302
    stored = {a.motive.code: (a.applies, a.intended_outcome) for a in education.answers.all()}
    assert stored == {
        "capital.network": (True, "Meer stageplekken"),
        "capital.financial": (False, ""),
    }
    assert "Meer stageplekken" in client.get(url(education)).text


def test_invalid_input_loses_nothing_typed(client, session, education):
    client.force_login(session.people["alice"])
    data = form_data(
        education, {"capital.network": ("yes", "x" * 2001), "capital.innovation": ("no", "Bewaard")}
    )
    data["other_1_outcome"] = "Uitkomst zonder motief"
    response = client.post(url(education), data)
    assert response.status_code == 400
    assert "Bewaard" in response.text
    assert "x" * 2001 in response.text
    assert "Uitkomst zonder motief" in response.text
    assert not education.answers.exists()


def test_a_colleagues_save_of_the_same_version_is_shown_not_overwritten(client, session, education):
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(name="Collega Cees")
    MembershipFactory(person=colleague, organisation=session.education)
    opened = education.version
    client.force_login(colleague)
    client.post(
        url(education), form_data(education, {"capital.network": ("yes", "Tekst van Cees")})
    )

    client.force_login(session.people["alice"])
    data = form_data(education, {"capital.network": ("no", "Tekst van Alice")})
    data["version"] = opened
    response = client.post(url(education), data)

    assert response.status_code == 409
    assert "Collega Cees" in response.text
    assert "Tekst van Alice" in response.text  # hers, still in the form
    assert "Tekst van Cees" in response.text  # the colleague's, shown next to it
    assert education.answers.get().intended_outcome == "Tekst van Cees"

    # Saving again from the conflict page knowingly keeps Alice's version.
    education.refresh_from_db()
    data["version"] = education.version
    assert client.post(url(education), data).status_code == 302
    assert education.answers.get().intended_outcome == "Tekst van Alice"


def test_submitting_shows_what_is_unanswered_and_asks_to_confirm(client, session, education):
    client.force_login(session.people["alice"])
    data = form_data(education, {"capital.network": ("yes", "")})
    data.pop("save")
    data["submit"] = "1"
    response = client.post(url(education), data)
    assert response.headers["Location"] == url(education, "preparation_submit")

    page = client.get(url(education, "preparation_submit"))
    assert "Professionalisering van docenten" in page.text  # still unanswered
    assert "Uitbreiden/versterken netwerk" in page.text  # applies, but no outcome
    education.refresh_from_db()
    assert not education.submitted

    client.post(url(education, "preparation_submit"), {"version": education.version})
    education.refresh_from_db()
    assert education.submitted
    assert education.submitted_by == session.people["alice"]


def test_a_submitted_format_is_read_only_and_can_be_withdrawn(client, session, education):
    client.force_login(session.people["alice"])
    client.post(url(education, "preparation_submit"), {"version": education.version})
    page = client.get(url(education))
    assert "Indiening intrekken…" in page.text
    assert 'type="radio"' not in page.text

    client.post(url(education, "preparation_withdraw"))
    education.refresh_from_db()
    assert not education.submitted


def test_text_typed_after_a_colleague_submitted_comes_back(client, session, education):
    client.force_login(session.people["alice"])
    data = form_data(education, {"capital.network": ("yes", "Laat dit niet verloren gaan")})
    client.post(url(education, "preparation_submit"), {"version": education.version})
    response = client.post(url(education), data)
    assert response.status_code == 409
    assert "Laat dit niet verloren gaan" in response.text


def test_another_organisation_cannot_see_the_answers_before_the_dialogue(
    client, session, education
):
    client.force_login(session.people["alice"])
    client.post(url(education), form_data(education, {"capital.network": ("yes", "Geheim plan")}))
    for persona in ("bob", "carol", "dave", "mallory"):
        client.force_login(session.people[persona])
        response = client.get(url(education))
        assert response.status_code == 404, persona
        assert "Geheim plan" not in response.text


def test_everyone_in_the_session_reads_submitted_formats_from_the_dialogue_on(
    client, session, education
):
    client.force_login(session.people["alice"])
    client.post(url(education), form_data(education, {"capital.network": ("yes", "Gedeeld plan")}))
    education.refresh_from_db()
    client.post(url(education, "preparation_submit"), {"version": education.version})
    session.phase = Phase.DIALOGUE
    session.save()
    for persona in ("bob", "carol", "dave"):
        client.force_login(session.people[persona])
        assert "Gedeeld plan" in client.get(url(education)).text, persona
    client.force_login(session.people["mallory"])
    assert client.get(url(education)).status_code == 404


def test_a_preparation_id_from_another_session_gives_404(client, session, education):
    from tests.factories import DialogueSessionFactory

    other = DialogueSessionFactory()
    client.force_login(session.people["alice"])
    assert (
        client.get(reverse("preparation_detail", args=[other.pk, education.pk])).status_code == 404
    )


def test_members_cannot_post_to_another_organisations_format(client, session, education):
    client.force_login(session.people["bob"])
    response = client.post(
        url(education), form_data(education, {"capital.network": ("yes", "Inbraak")})
    )
    assert response.status_code == 404
    assert not education.answers.exists()


# --- two colleagues, one format: merged per field ----------------------------------


@pytest.fixture
def cees(session):
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(email="cees@example.org", name="Collega Cees")
    MembershipFactory(person=colleague, organisation=session.education)
    return colleague


def stored_answers(preparation):
    return {a.motive.code: (a.applies, a.intended_outcome) for a in preparation.answers.all()}


def test_keeping_my_version_after_a_conflict_keeps_what_only_my_colleague_changed(
    client, session, education, cees
):
    """The conflict page's Save keeps Alice's text, and Cees's answer she never touched."""
    client.force_login(session.people["alice"])
    client.cookies["django_language"] = "en"
    opened = client.get(url(education)).text  # Alice opens the format
    client.force_login(cees)
    client.post(
        url(education),
        form_data(
            education,
            {"capital.network": ("yes", "Tekst van Cees"), "capital.financial": ("no", "")},
        ),
    )

    client.force_login(session.people["alice"])
    data = form_data_from_page(opened)
    data[field("capital.network", "applies")] = "yes"
    data[field("capital.network", "outcome")] = "Tekst van Alice"
    conflict = client.post(url(education), {**data, "save": "1"})

    assert conflict.status_code == 409
    page = conflict.text
    assert page.count("saved-version") == 1  # only the field both changed
    assert "Tekst van Cees" in page
    assert "Taken over from your colleague’s save" in page  # financial, which Cees changed
    # Alice presses Save on the conflict page, sending the form as it is shown.
    again = form_data_from_page(page)
    assert client.post(url(education), {**again, "save": "1"}).status_code == 302
    assert stored_answers(education) == {
        "capital.network": (True, "Tekst van Alice"),
        "capital.financial": (False, ""),  # Cees's answer, not reverted
    }


def test_a_save_that_only_touches_other_fields_is_merged_and_says_so(
    client, session, education, cees
):
    client.force_login(session.people["alice"])
    client.cookies["django_language"] = "en"
    opened = form_data_from_page(client.get(url(education)).text)
    client.force_login(cees)
    client.post(url(education), form_data(education, {"capital.network": ("yes", "Van Cees")}))

    client.force_login(session.people["alice"])
    opened[field("capital.innovation", "applies")] = "no"
    response = client.post(url(education), {**opened, "save": "1"}, follow=True)

    assert response.status_code == 200
    assert (
        "combined with the changes of a colleague: 2 fields they changed were kept" in response.text
    )
    assert stored_answers(education) == {
        "capital.network": (True, "Van Cees"),
        "capital.innovation": (False, ""),
    }


def test_sending_the_same_form_twice_is_no_conflict(client, session, education):
    client.force_login(session.people["alice"])
    data = form_data(education, {"capital.network": ("yes", "Dubbelklik")})
    first = client.post(url(education), data)
    second = client.post(url(education), data)  # the same version, a second time
    assert (first.status_code, second.status_code) == (302, 302)
    education.refresh_from_db()
    assert education.version == data["version"] + 1
    assert stored_answers(education) == {"capital.network": (True, "Dubbelklik")}


def test_the_format_page_gives_the_autosave_script_what_is_stored(client, session, education):
    client.force_login(session.people["alice"])
    client.post(url(education), form_data(education, {"capital.network": ("yes", "Opgeslagen")}))
    page = client.get(url(education)).text
    assert 'id="preparation-stored" type="application/json"' in page
    assert "Opgeslagen" in page.split('id="preparation-stored"')[1].split("</script>")[0]
    assert f'data-autosave-url="{url(education, "preparation_autosave")}"' in page
    assert 'role="status" aria-live="polite"' in page
    assert "js/preparation-autosave.js" in page
