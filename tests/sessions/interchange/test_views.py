"""Importing a session file in the browser, and downloading a session as a file."""

import datetime
import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Organisation, User
from sessions.interchange.format import export_session, import_session
from sessions.interchange.forms import MAX_UPLOAD_BYTES
from sessions.models import DialogueSession, ImportPreview, Phase
from tests import factories
from tests.sessions.samples import valid_document


def import_url(community):
    return reverse("community_import", args=[community.pk])


def upload(document, name="session.json"):
    if isinstance(document, bytes):
        content = document
    else:
        content = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return SimpleUploadedFile(name, content, content_type="application/json")


def preview(client, community, document, name="session.json"):
    return client.post(import_url(community), {"step": "preview", "file": upload(document, name)})


def confirm(client, community, token):
    return client.post(import_url(community), {"step": "confirm", "token": token})


def page_text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def dave(sign_in):
    """The coordinator of "Smart Industry Lab", the community named in the sample file."""
    return sign_in("dave")


# --- the upload and its preview ----------------------------------------------------


def test_the_coordinator_sees_the_upload_form_and_the_size_limit(dave, session):
    response = dave.get(import_url(session.community))
    assert response.status_code == 200
    text = page_text(response)
    assert "Import a session" in text
    assert "At most 5 MB." in text
    assert 'enctype="multipart/form-data"' in text


def test_the_community_page_links_to_the_import(dave, session):
    response = dave.get(reverse("community_detail", args=[session.community.pk]))
    assert import_url(session.community) in response.content.decode()


def test_a_preview_shows_what_will_be_created_and_imports_nothing(dave, session):
    factories.UserFactory(email="a@example.org", name="A. Member")
    sessions_before, users_before = DialogueSession.objects.count(), User.objects.count()

    response = preview(dave, session.community, valid_document())

    assert response.status_code == 200
    text = page_text(response)
    assert "Check the import" in text
    assert "Smart Industry Lab (this learning community; the session is added to it)" in text
    assert "Evaluatie voorjaar 2026" in text
    assert "12 March 2026" in text
    assert "Joint dialogue" in text
    preview_ = response.context["preview"]
    (education_type, education), (practice_type, practice) = preview_.groups
    assert [(o.name, o.exists, o.submitted, o.answers) for o in education] == [
        ("Fontys ICT", False, True, 3)
    ]
    assert [(o.name, o.exists, o.submitted, o.answers) for o in practice] == [
        ("Machinefabriek Oost", False, False, 2)
    ]
    assert "new organisation" in text
    # a@example.org has an account, but not in this community: the page does not tell.
    assert "5 people are new to this learning community" in text
    assert "0 people already take part in this learning community" in text
    assert "account is reused" not in text and "existing account" not in text
    assert [p["email"] for p in preview_.new_people] == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
        "coord@example.org",
        "fac@example.org",
    ]
    assert "C. Oordinator (coord@example.org)" in text  # becomes a coordinator as well
    assert "2 joint motives" in text
    assert "2 agreements" in text
    assert DialogueSession.objects.count() == sessions_before
    assert User.objects.count() == users_before
    assert not Organisation.objects.filter(name="Fontys ICT").exists()


def test_the_preview_says_which_organisations_already_exist(dave, session):
    document = valid_document()
    document["organisations"][0]["name"] = "Hogeschool Zuid"  # a partner of this community

    response = preview(dave, session.community, document)

    assert "existing partner of this community" in page_text(response)
    (_kind, education), _practice = response.context["preview"].groups
    assert education[0].exists


def test_people_who_already_take_part_in_the_community_are_named_as_such(dave, session):
    document = valid_document()
    document["organisations"][0]["members"] = [{"email": "ALICE@example.org", "name": ""}]

    response = preview(dave, session.community, document)

    assert "1 person already takes part in this learning community" in page_text(response)
    assert [p["email"] for p in response.context["preview"].known_people] == ["alice@example.org"]


def test_confirming_imports_the_session_and_opens_it(dave, session):
    token = preview(dave, session.community, valid_document()).context["form"].initial["token"]

    response = confirm(dave, session.community, token)

    imported = DialogueSession.objects.get(title="Evaluatie voorjaar 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("session_detail", args=[imported.pk])
    assert imported.community == session.community
    assert imported.phase == Phase.DIALOGUE
    assert imported.preparations.count() == 2
    page = page_text(dave.get(response["Location"]))
    assert "Session “Evaluatie voorjaar 2026” imported into Smart Industry Lab." in page


def test_confirming_the_same_preview_twice_imports_once_and_says_it_is_gone(dave, session):
    token = preview(dave, session.community, valid_document()).context["form"].initial["token"]
    confirm(dave, session.community, token)

    response = confirm(dave, session.community, token)

    assert response.status_code == 200
    assert "This preview is no longer available" in page_text(response)
    assert DialogueSession.objects.filter(title="Evaluatie voorjaar 2026").count() == 1


def test_a_stale_preview_says_so_and_imports_nothing(dave, session):
    before = DialogueSession.objects.count()

    response = confirm(dave, session.community, "no-such-preview")

    assert response.status_code == 200
    assert "This preview is no longer available" in page_text(response)
    assert "Upload the file again" in page_text(response)
    assert DialogueSession.objects.count() == before


def test_a_preview_cannot_be_confirmed_on_another_community_page(dave, session):
    other = factories.LearningCommunityFactory(name="Zorg Lab")
    other.coordinators.add(session.people["dave"])
    token = preview(dave, session.community, valid_document()).context["form"].initial["token"]

    response = confirm(dave, other, token)

    assert "This preview is no longer available" in page_text(response)
    assert not DialogueSession.objects.filter(title="Evaluatie voorjaar 2026").exists()


def test_only_the_three_latest_previews_are_kept(dave, session):
    tokens = [
        preview(dave, session.community, valid_document()).context["form"].initial["token"]
        for _ in range(4)
    ]
    assert "no longer available" in page_text(confirm(dave, session.community, tokens[0]))
    assert confirm(dave, session.community, tokens[3]).status_code == 302


def test_the_preview_is_kept_on_the_server_not_in_the_persons_session(dave, session):
    document = valid_document()
    document["organisations"][0]["answers"][0]["intended_outcome"] = "x" * 2000
    token = preview(dave, session.community, document).context["form"].initial["token"]

    kept = ImportPreview.objects.get(token=token)
    assert (kept.created_by, kept.community) == (session.people["dave"], session.community)
    assert "x" * 2000 in kept.text
    stored = dave.session.session_key and dave.session.load()
    assert "x" * 2000 not in json.dumps(stored)
    assert len(json.dumps(stored)) < 1000


def test_a_preview_expires_after_an_hour(dave, session):
    token = preview(dave, session.community, valid_document()).context["form"].initial["token"]
    ImportPreview.objects.filter(token=token).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = confirm(dave, session.community, token)

    assert "This preview is no longer available" in page_text(response)
    assert not DialogueSession.objects.filter(title="Evaluatie voorjaar 2026").exists()


def test_a_new_preview_clears_everyones_expired_previews(dave, session):
    old = preview(dave, session.community, valid_document()).context["form"].initial["token"]
    ImportPreview.objects.filter(token=old).update(expires_at=timezone.now())
    preview(dave, session.community, valid_document())
    assert not ImportPreview.objects.filter(token=old).exists()
    assert ImportPreview.objects.count() == 1


def test_another_coordinator_of_the_same_community_cannot_confirm_someone_elses_preview(
    client, dave, session
):
    token = preview(dave, session.community, valid_document()).context["form"].initial["token"]
    colleague = factories.UserFactory(email="colleague@example.org")
    session.community.coordinators.add(colleague)
    client.force_login(colleague)

    response = confirm(client, session.community, token)

    assert "This preview is no longer available" in page_text(response)
    assert not DialogueSession.objects.filter(title="Evaluatie voorjaar 2026").exists()
    assert ImportPreview.objects.filter(token=token).exists()


# --- files that cannot be imported ------------------------------------------------------


def test_a_file_that_is_not_json_shows_the_line_and_column(dave, session):
    broken = b'{"format": "sms-tool.session/1",\n  "session": }'

    response = preview(dave, session.community, broken, name="broken.json")

    text = page_text(response)
    assert "The file has 1 problem. Nothing was imported." in text
    assert "broken.json: not valid JSON: Expecting value at line 2, column 14." in text


def test_a_file_that_is_not_utf8_is_named(dave, session):
    response = preview(dave, session.community, '"Café"'.encode("latin-1"), name="latin.json")
    assert "latin.json: not UTF-8 text (invalid continuation byte at byte 4)." in page_text(
        response
    )


def test_every_problem_shows_its_path_and_message_and_nothing_is_imported(dave, session):
    document = valid_document()
    document["organisations"][0]["answers"][0]["motive"] = "nope"
    document["agreements"][0]["due"] = "morgen"
    before = DialogueSession.objects.count()

    response = preview(dave, session.community, document)

    text = page_text(response)
    assert "The file has 2 problems. Nothing was imported." in text
    assert 'organisations[0].answers[0].motive: unknown motive code "nope"' in text
    assert 'agreements[0].due: "morgen" is not a valid date (YYYY-MM-DD)' in text
    assert "Check the import" not in text
    assert DialogueSession.objects.count() == before
    assert not Organisation.objects.filter(name="Fontys ICT").exists()


def test_problems_are_in_dutch_for_a_person_who_reads_dutch(client, session):
    dave = session.people["dave"]
    dave.language = "nl"
    dave.save()
    client.force_login(dave)
    document = valid_document()
    document["session"]["phase"] = "finished"

    response = preview(client, session.community, document)

    assert 'session.phase: moet een van "draft", "preparation"' in page_text(response)


def test_a_file_naming_another_community_goes_into_this_pages_community(dave, session):
    elsewhere = factories.LearningCommunityFactory(name="Zorg Lab")
    document = valid_document()
    document["learning_community"]["name"] = "Zorg Lab"

    text = page_text(preview_response := preview(dave, session.community, document))
    assert "The file names the learning community “Zorg Lab”." in text
    token = preview_response.context["form"].initial["token"]
    response = confirm(dave, session.community, token)

    imported = DialogueSession.objects.get(title="Evaluatie voorjaar 2026")
    assert response["Location"] == reverse("session_detail", args=[imported.pk])
    assert imported.community == session.community
    assert not elsewhere.sessions.exists()
    assert not elsewhere.organisations.exists()


def test_the_community_name_is_matched_as_the_import_matches_it(dave, session):
    document = valid_document()
    document["learning_community"]["name"] = "SMART industry LAB"
    text = page_text(preview(dave, session.community, document))
    assert "Check the import" in text
    assert "The file names the learning community" not in text


def test_a_file_larger_than_five_megabytes_is_refused(dave, session):
    big = b" " * (MAX_UPLOAD_BYTES + 1)

    response = preview(dave, session.community, big)

    text = page_text(response).replace("\xa0", " ")  # sizes keep number and unit together
    assert "The file is 5.0 MB; at most 5.0 MB can be imported." in text
    assert "Check the import" not in text


def test_sending_no_file_asks_for_one(dave, session):
    response = dave.post(import_url(session.community), {"step": "preview"})
    assert "Choose a file to upload." in page_text(response)


def test_text_that_is_half_a_character_is_refused_with_its_path(dave, session):
    raw = json.dumps(valid_document()).replace("Evaluatie voorjaar 2026", "Evaluatie \\ud800")

    response = preview(dave, session.community, raw.encode())

    assert response.status_code == 200
    assert "session.title: contains an escaped half of a character" in page_text(response)


def test_absurdly_deep_nesting_is_refused_without_an_error_page(dave, session):
    for depth in (100, 5000):
        raw = b'{"format": "sms-tool.session/1", "notes": ' + b"[" * depth + b"]" * depth + b"}"
        response = preview(dave, session.community, raw, name="deep.json")
        assert response.status_code == 200
        assert "deep.json: " in page_text(response)


@pytest.mark.parametrize("name", ["mallory", "alice", "bob", "carol"])
def test_only_the_coordinator_of_the_community_may_import(sign_in, session, name):
    client = sign_in(name)
    assert client.get(import_url(session.community)).status_code == 404
    response = preview(client, session.community, valid_document())
    assert response.status_code == 404
    assert not DialogueSession.objects.filter(title="Evaluatie voorjaar 2026").exists()


# --- the session as a file ------------------------------------------------------------------


def export_url(session):
    return reverse("session_export", args=[session.pk])


def test_the_download_equals_export_session(dave, session):
    education = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(preparation=education, intended_outcome="Netwerk 🌍 groter")
    education.submitted_at = timezone.now()
    education.save()
    session.phase = Phase.DIALOGUE
    session.save()

    response = dave.get(export_url(session))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="sms-smart-industry-lab-evaluatie-voorjaar-{session.pk}.json"'
    )
    assert "Netwerk 🌍 groter".encode() in response.content  # not \u-escaped
    assert json.loads(response.content) == export_session(session)


def test_a_downloaded_file_imports_again_to_an_equal_export(dave, session):
    first = import_session(valid_document())
    downloaded = dave.get(export_url(first)).content

    token = preview(dave, first.community, downloaded).context["form"].initial["token"]
    again_id = int(confirm(dave, first.community, token)["Location"].rstrip("/").split("/")[-1])

    assert json.loads(dave.get(export_url(DialogueSession.objects.get(pk=again_id))).content) == (
        json.loads(downloaded)
    )


@pytest.mark.parametrize("phase", [Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED])
@pytest.mark.parametrize("name", ["dave", "carol"])
def test_coordinators_and_facilitators_download_it_from_the_dialogue_on(
    sign_in, session, name, phase
):
    session.phase = phase
    session.save()
    assert sign_in(name).get(export_url(session)).status_code == 200


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.PREPARATION])
@pytest.mark.parametrize("name", ["dave", "carol"])
def test_before_the_dialogue_nobody_downloads_the_answers_in_it(sign_in, session, name, phase):
    session.phase = phase
    session.save()
    assert sign_in(name).get(export_url(session)).status_code == 404


@pytest.mark.parametrize("name", ["alice", "bob", "mallory"])
def test_partners_and_outsiders_never_download_the_session_file(sign_in, session, name):
    session.phase = Phase.CLOSED
    session.save()
    assert sign_in(name).get(export_url(session)).status_code == 404


def test_the_session_page_offers_the_downloads_to_the_coordinator_from_the_dialogue_on(
    dave, session
):
    detail = reverse("session_detail", args=[session.pk])
    text = page_text(dave.get(detail))
    assert "Export (JSON)" not in text
    assert "Answers (CSV)" not in text

    session.phase = Phase.DIALOGUE
    session.save()
    text = page_text(dave.get(detail))
    assert export_url(session) in text
    assert reverse("session_answers_csv", args=[session.pk]) in text
    assert reverse("session_answers_xlsx", args=[session.pk]) in text
    assert "Export (JSON)" in text
    assert "Answers (XLSX)" in text


def test_the_session_page_offers_partners_the_answers_but_not_the_session_file(sign_in, session):
    session.phase = Phase.DIALOGUE
    session.save()
    text = page_text(sign_in("alice").get(reverse("session_detail", args=[session.pk])))
    assert "Answers (CSV)" in text
    assert "Export (JSON)" not in text
