"""The format's autosave: the same service and merge rules as the Save button, answered in JSON."""

import pytest
from django.urls import reverse

from motives.models import Motive
from sessions.models import Phase
from tests import factories


@pytest.fixture
def education(session):
    return session.preparations.get(organisation=session.education)


def autosave_url(preparation, session_pk=None):
    return reverse(
        "preparation_autosave", args=[session_pk or preparation.session_id, preparation.pk]
    )


def field(code, kind):
    return f"{kind}_{Motive.objects.get(code=code).pk}"


def data(version, **answers):
    """What the script sends: the whole form; ``answers`` maps a motive code to its outcome."""
    sent = {"version": version}
    for code, outcome in answers.items():
        code = code.replace("_", ".")
        sent[field(code, "applies")] = "yes"
        sent[field(code, "outcome")] = outcome
    return sent


def stored(preparation):
    return {a.motive.code: a.intended_outcome for a in preparation.answers.all()}


def test_an_autosave_stores_the_text_and_answers_the_new_version_and_time(
    sign_in, education, session
):
    client = sign_in("alice")
    response = client.post(autosave_url(education), data(1, capital_network="Automatisch"))
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "saved"
    assert answer["version"] == 2
    assert answer["message"].startswith("Saved at ")
    assert answer["values"][field("capital.network", "outcome")] == "Automatisch"
    assert answer["taken"] == []
    assert stored(education) == {"capital.network": "Automatisch"}
    assert "no-store" in response["Cache-Control"]


def test_the_autosave_status_is_in_dutch_by_default(client, session, education):
    client.force_login(session.people["alice"])
    answer = client.post(autosave_url(education), data(1, capital_network="Tekst")).json()
    assert answer["message"].startswith("Opgeslagen om ")


def test_an_autosave_merges_with_a_colleagues_save_and_names_the_fields_it_kept(
    sign_in, education, session
):
    erin = factories.UserFactory(email="erin@example.org", name="Erin")
    factories.MembershipFactory(person=erin, organisation=session.education)
    client = sign_in("alice")
    client.force_login(erin)
    client.post(autosave_url(education), data(1, capital_financial="Van Erin"))

    client.force_login(session.people["alice"])
    answer = client.post(autosave_url(education), data(1, capital_network="Van Alice")).json()

    assert answer["status"] == "saved"
    assert answer["version"] == 3
    assert sorted(answer["taken"]) == sorted(
        [field("capital.financial", "applies"), field("capital.financial", "outcome")]
    )
    assert answer["values"][field("capital.financial", "outcome")] == "Van Erin"
    assert "combined with the changes of a colleague: 2 fields" in answer["message"]
    assert stored(education) == {"capital.network": "Van Alice", "capital.financial": "Van Erin"}


def test_a_colleague_changing_the_same_field_stops_the_autosave_with_a_conflict(
    sign_in, education, session
):
    erin = factories.UserFactory(email="erin@example.org", name="Erin")
    factories.MembershipFactory(person=erin, organisation=session.education)
    client = sign_in("alice")
    client.force_login(erin)
    client.post(autosave_url(education), data(1, capital_network="Van Erin"))

    client.force_login(session.people["alice"])
    response = client.post(autosave_url(education), data(1, capital_network="Van Alice"))

    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "conflict"
    assert answer["fields"] == [field("capital.network", "outcome")]
    assert "Press Save" in answer["message"]
    assert stored(education) == {"capital.network": "Van Erin"}


def test_an_autosave_of_a_submitted_format_is_refused_with_the_reason(sign_in, education):
    client = sign_in("alice")
    client.post(
        reverse("preparation_submit", args=[education.session_id, education.pk]), {"version": 1}
    )
    response = client.post(autosave_url(education), data(2, capital_network="Te laat"))
    assert response.status_code == 409
    assert response.json()["status"] == "closed"
    assert "submitted this format" in response.json()["message"]
    assert stored(education) == {}


def test_an_autosave_with_a_field_too_long_says_why_and_stores_nothing(sign_in, education):
    response = sign_in("alice").post(autosave_url(education), data(1, capital_network="x" * 2001))
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert response.json()["message"].startswith("Not saved:")
    assert stored(education) == {}


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "mallory"])
@pytest.mark.parametrize("phase", [Phase.PREPARATION, Phase.DIALOGUE])
def test_only_the_organisations_members_reach_the_autosave(
    sign_in, session, education, persona, phase
):
    session.phase = phase
    session.save()
    response = sign_in(persona).post(autosave_url(education), data(1, capital_network="Inbraak"))
    assert response.status_code == 404
    assert stored(education) == {}


def test_a_member_of_another_community_guessing_ids_gets_404(client, session, education):
    """Olga is a member in another community's session; its ids do not open this format."""
    other = factories.DialogueSessionFactory(phase=Phase.PREPARATION)
    organisation = factories.OrganisationFactory(
        community=other.community, partner_type="education"
    )
    hers = factories.PreparationFactory(session=other, organisation=organisation)
    olga = factories.UserFactory(email="olga@example.org")
    factories.MembershipFactory(person=olga, organisation=organisation)
    client.force_login(olga)
    for target in (
        autosave_url(education),  # this format
        autosave_url(education, session_pk=other.pk),  # this format under her session
        reverse("preparation_autosave", args=[session.pk, hers.pk]),  # hers under this session
    ):
        assert client.post(target, data(1, capital_network="Geraden")).status_code == 404
    assert stored(education) == {}
    assert client.post(autosave_url(hers), data(1, capital_network="Eigen")).status_code == 200


def test_signed_out_the_autosave_sends_to_sign_in(client, education):
    response = client.post(autosave_url(education), data(1, capital_network="Anoniem"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert stored(education) == {}


def test_the_autosave_only_takes_a_post(sign_in, education):
    response = sign_in("alice").get(autosave_url(education))
    assert response.status_code == 405
    assert "This page cannot be used this way" in response.text
