"""The joint results page in the browser: the facilitator records, everyone in the session reads."""

import pytest
from django.urls import reverse

from motives.models import Cluster, Motive
from sessions.models import Agreement, JointMotive, Note, Phase
from tests import factories


@pytest.fixture
def session(session_with_two_organisations):
    session = session_with_two_organisations
    session.phase = Phase.DIALOGUE
    session.save()
    return session


def results(session):
    return reverse("session_results", args=[session.pk])


def motive_pk(code):
    return Motive.objects.get(code=code).pk


def add_motive(client, session, **fields):
    data = {"form": "joint_motive", "motive-motive": "", "motive-text": ""}
    data.update({f"motive-{key}": value for key, value in fields.items()})
    return client.post(results(session), data)


# --- who sees what ------------------------------------------------------------------


def test_a_facilitator_sees_empty_states_and_the_forms_to_record(sign_in, session):
    response = sign_in("carol").get(results(session))
    assert response.status_code == 200
    text = response.text
    assert "No joint motives have been recorded yet." in text
    assert "No agreements have been recorded yet." in text
    assert "No notes have been taken yet." in text
    assert 'name="form" value="joint_motive"' in text
    assert 'name="form" value="agreement"' in text
    assert 'name="form" value="note"' in text


def test_the_facilitator_records_a_joint_motive_an_agreement_and_a_note(sign_in, session):
    client = sign_in("carol")
    response = add_motive(
        client,
        session,
        motive=motive_pk("capital.network"),
        intended_outcome="Tien nieuwe stageplekken",
    )
    assert response.status_code == 302
    assert response.url.endswith("#joint-motives")
    response = client.post(
        results(session),
        {
            "form": "agreement",
            "agreement-text": "Elk kwartaal een intervisie",
            "agreement-owner": "Hogeschool Zuid",
            "agreement-due": "2026-09-01",
        },
    )
    assert response.status_code == 302
    capital = Cluster.objects.get(code="capital")
    response = client.post(
        results(session), {"form": "note", "note-text": "Netwerk telt", "note-cluster": capital.pk}
    )
    assert response.status_code == 302
    page = client.get(results(session)).text
    assert "Expanding/strengthening the network" in page
    assert "Tien nieuwe stageplekken" in page
    assert "Elk kwartaal een intervisie" in page
    assert "1 September 2026" in page
    assert "Netwerk telt" in page
    assert capital.label_en in page
    session.refresh_from_db()
    assert session.version == 4


def test_a_member_sees_the_joint_results_but_no_forms(sign_in, session):
    factories.JointMotiveFactory(session=session, intended_outcome="Samen leren")
    agreement = factories.AgreementFactory(session=session)
    factories.NoteFactory(session=session, text="Notitie voor iedereen")
    response = sign_in("alice").get(results(session))
    assert response.status_code == 200
    text = response.text
    assert "Samen leren" in text
    assert agreement.text in text
    assert "Notitie voor iedereen" in text
    assert 'name="form"' not in text
    assert reverse("agreement_edit", args=[session.pk, agreement.pk]) not in text


def test_a_member_cannot_post_to_the_results_page(sign_in, session):
    response = add_motive(sign_in("alice"), session, text="Stiekem")
    assert response.status_code == 404
    assert not JointMotive.objects.exists()


def test_an_outsider_gets_404(sign_in, session):
    client = sign_in("mallory")
    assert client.get(results(session)).status_code == 404
    assert add_motive(client, session, text="Ingebroken").status_code == 404
    assert not JointMotive.objects.exists()


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.PREPARATION])
@pytest.mark.parametrize("name", ["alice", "carol", "dave"])
def test_before_the_dialogue_the_results_page_does_not_exist_yet(sign_in, session, phase, name):
    session.phase = phase
    session.save()
    client = sign_in(name)
    assert client.get(results(session)).status_code == 404
    assert add_motive(client, session, text="Te vroeg").status_code == 404


def test_notes_are_grouped_by_cluster_with_the_general_ones_first(sign_in, session):
    societal = Cluster.objects.get(code="societal")
    legitimising = Cluster.objects.get(code="legitimising")
    factories.NoteFactory(session=session, cluster=societal, text="Over maatschappij")
    factories.NoteFactory(session=session, cluster=None, text="Algemeen")
    factories.NoteFactory(session=session, cluster=legitimising, text="Over legitimiteit")
    text = sign_in("alice").get(results(session)).text
    assert (
        text.index("Algemeen") < text.index("Over legitimiteit") < text.index("Over maatschappij")
    )


# --- a closed session is read-only -----------------------------------------------


@pytest.fixture
def closed(session):
    factories.JointMotiveFactory(session=session, intended_outcome="Afgesproken")
    session.phase = Phase.CLOSED
    session.save()
    return session


def test_a_closed_session_shows_the_results_without_forms(sign_in, closed):
    response = sign_in("carol").get(results(closed))
    assert response.status_code == 200
    assert "Afgesproken" in response.text
    assert "read-only" in response.text
    assert 'name="form"' not in response.text
    assert "/edit/" not in response.text


def test_a_post_after_closing_is_refused_and_keeps_what_was_typed(sign_in, closed):
    response = add_motive(sign_in("carol"), closed, text="Net te laat getypt")
    assert response.status_code == 409
    assert "The session is closed" in response.text
    assert "Net te laat getypt" in response.text
    assert JointMotive.objects.count() == 1


def test_the_edit_page_of_a_closed_session_sends_back_to_the_results(sign_in, closed):
    joint = closed.joint_motives.get()
    client = sign_in("carol")
    response = client.get(reverse("joint_motive_edit", args=[closed.pk, joint.pk]))
    assert response.status_code == 302
    assert response.url.startswith(results(closed))
    response = client.post(
        reverse("joint_motive_edit", args=[closed.pk, joint.pk]),
        {"motive": joint.motive_id, "text": "Na sluiting", "intended_outcome": "", "version": 1},
    )
    assert response.status_code == 409
    assert "Na sluiting" in response.text
    joint.refresh_from_db()
    assert joint.text == ""


# --- adding: typed data is kept when refused -------------------------------------------


def test_an_add_without_motive_or_wording_keeps_the_outcome_typed(sign_in, session):
    response = add_motive(sign_in("carol"), session, intended_outcome="Een uitkomst")
    assert response.status_code == 400
    assert "Choose a motive from the catalogue" in response.text
    assert "Een uitkomst" in response.text
    assert not JointMotive.objects.exists()


def test_a_duplicate_catalogue_motive_is_refused_with_the_reason(sign_in, session):
    factories.JointMotiveFactory(session=session, motive=Motive.objects.get(code="capital.network"))
    response = add_motive(
        sign_in("carol"),
        session,
        motive=motive_pk("capital.network"),
        intended_outcome="Nog een keer",
    )
    assert response.status_code == 409
    assert "is already a joint motive of this session" in response.text
    assert "Nog een keer" in response.text
    assert JointMotive.objects.count() == 1


def test_an_agreement_without_what_is_refused(sign_in, session):
    response = sign_in("carol").post(
        results(session), {"form": "agreement", "agreement-text": "", "agreement-owner": "Bob"}
    )
    assert response.status_code == 400
    assert not Agreement.objects.exists()


# --- editing and deleting ------------------------------------------------------------


def edit_url(item):
    name = "joint_motive_edit" if isinstance(item, JointMotive) else "agreement_edit"
    return reverse(name, args=[item.session_id, item.pk])


def test_the_facilitator_edits_a_joint_motive(sign_in, session):
    joint = factories.JointMotiveFactory(session=session, intended_outcome="Oud")
    client = sign_in("carol")
    page = client.get(edit_url(joint))
    assert page.status_code == 200
    assert "Oud" in page.text
    response = client.post(
        edit_url(joint),
        {"motive": joint.motive_id, "text": "", "intended_outcome": "Nieuw", "version": 1},
    )
    assert response.status_code == 302
    joint.refresh_from_db()
    assert (joint.intended_outcome, joint.version) == ("Nieuw", 2)


def test_two_facilitators_editing_at_once_lose_nothing(sign_in, session):
    """Issue 7: the second save is refused, told why, and shown both versions."""
    agreement = factories.AgreementFactory(session=session, text="Origineel")
    session.facilitators.add(session.people["dave"])
    client = sign_in("dave")
    client.post(edit_url(agreement), {"text": "Versie van Dave", "owner": "", "version": 1})
    client = sign_in("carol")
    response = client.post(
        edit_url(agreement), {"text": "Versie van Carol", "owner": "Carol", "version": 1}
    )
    assert response.status_code == 409
    text = response.text
    assert "Dave changed this agreement while you were editing it" in text
    assert "Versie van Dave" in text  # the saved version
    assert "Versie van Carol" in text  # what she typed
    assert 'name="version" value="2"' in text
    agreement.refresh_from_db()
    assert agreement.text == "Versie van Dave"
    # saving again knowingly replaces Dave's version
    response = client.post(
        edit_url(agreement), {"text": "Versie van Carol", "owner": "Carol", "version": 2}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.text, agreement.version) == ("Versie van Carol", 3)


def test_an_edit_of_an_item_deleted_meanwhile_keeps_what_was_typed(sign_in, session):
    agreement = factories.AgreementFactory(session=session)
    client = sign_in("carol")
    url = edit_url(agreement)
    agreement.delete()
    response = client.post(url, {"text": "Mijn tekst", "owner": "", "version": 1})
    assert response.status_code == 409
    assert "Mijn tekst" in response.text
    assert "no longer exists" in response.text
    assert client.get(url).status_code == 404


def test_the_facilitator_deletes_after_confirming(sign_in, session):
    joint = factories.JointMotiveFactory(session=session)
    client = sign_in("carol")
    url = reverse("joint_motive_delete", args=[session.pk, joint.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Yes, delete" in page.text
    assert JointMotive.objects.filter(pk=joint.pk).exists()
    response = client.post(url, {"version": 1})
    assert response.status_code == 302
    assert not JointMotive.objects.filter(pk=joint.pk).exists()


def test_deleting_a_version_changed_meanwhile_shows_it_and_keeps_it(sign_in, session):
    agreement = factories.AgreementFactory(session=session, text="Gewijzigd", version=2)
    client = sign_in("carol")
    url = reverse("agreement_delete", args=[session.pk, agreement.pk])
    response = client.post(url, {"version": 1})
    assert response.status_code == 409
    assert "it was not deleted" in response.text
    assert "Gewijzigd" in response.text
    assert 'name="version" value="2"' in response.text
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_a_note_is_deleted_after_confirming(sign_in, session):
    note = factories.NoteFactory(session=session)
    client = sign_in("carol")
    url = reverse("note_delete", args=[session.pk, note.pk])
    assert note.text in client.get(url).text
    assert client.post(url, {"version": 1}).status_code == 302
    assert not Note.objects.exists()


@pytest.mark.parametrize("name", ["alice", "mallory"])
def test_members_and_outsiders_get_404_for_edit_and_delete(sign_in, session, name):
    agreement = factories.AgreementFactory(session=session)
    client = sign_in(name)
    assert client.get(edit_url(agreement)).status_code == 404
    delete = reverse("agreement_delete", args=[session.pk, agreement.pk])
    assert client.post(delete, {"version": 1}).status_code == 404
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_an_item_of_another_session_is_not_found_through_this_one(sign_in, session):
    elsewhere = factories.AgreementFactory(session=factories.DialogueSessionFactory())
    client = sign_in("carol")
    assert client.get(reverse("agreement_edit", args=[session.pk, elsewhere.pk])).status_code == 404
    assert (
        client.get(reverse("agreement_delete", args=[session.pk, elsewhere.pk])).status_code == 404
    )
    response = client.post(
        reverse("agreement_delete", args=[session.pk, elsewhere.pk]), {"version": 1}
    )
    assert response.status_code == 302
    assert Agreement.objects.filter(pk=elsewhere.pk).exists()


# --- the session page links to what is reachable --------------------------------------


@pytest.mark.parametrize("phase", Phase.values)
@pytest.mark.parametrize("name", ["alice", "carol", "dave"])
def test_the_session_page_links_to_the_results_exactly_when_they_open(
    sign_in, session, phase, name
):
    session.phase = phase
    session.save()
    client = sign_in(name)
    page = client.get(reverse("session_detail", args=[session.pk])).text
    opens = client.get(results(session)).status_code == 200
    assert (results(session) in page) == opens
    next_round = reverse("session_next_round", args=[session.pk])
    assert (next_round in page) == (client.get(next_round).status_code == 200)
