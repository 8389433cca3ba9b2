"""A coordinator of another community tries to reach this community's private formats.

Eve coordinates "Zorg Lab". Alice's organisation "Hogeschool Zuid" of "Smart Industry
Lab" has a private draft. Eve reuses the name of Alice's organisation, once through a
session file on Zorg Lab's import page and once through Zorg Lab's own pages with an
invitation to herself. Neither gives her a way into Alice's format, and nothing tells
her that "Hogeschool Zuid" exists elsewhere.
"""

import html
import json
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import PartnerType
from sessions.models import DialogueSession
from tests import factories
from tests.tasks import commit_each_request

SECRET = "ALICE-PRIVATE-DRAFT-OUTCOME"
LINK = re.compile(r"https?://[^/\s]+(/invite/[^\s]+/)")


@pytest.fixture(autouse=True)
def requests_commit(monkeypatch):
    """Mail leaves after the request's commit, through the worker (tests/tasks.py)."""
    commit_each_request(monkeypatch)


@pytest.fixture
def alice_draft(session):
    """Alice's organisation's draft in Smart Industry Lab, not submitted."""
    preparation = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(preparation=preparation, intended_outcome=SECRET)
    return preparation


@pytest.fixture
def eve(client, db):
    """The coordinator of another learning community, signed in, reading English."""
    person = factories.UserFactory(email="eve@example.org", name="Eve")
    zorg = factories.LearningCommunityFactory(name="Zorg Lab", sector="Zorg")
    zorg.coordinators.add(person)
    client.force_login(person)
    client.cookies["django_language"] = "en"
    client.zorg = zorg
    client.person = person
    return client


def page(response):
    return html.unescape(response.content.decode())


def assert_no_way_into(eve, session, preparation):
    url = reverse("preparation_detail", args=[session.pk, preparation.pk])
    opened = eve.get(url)
    assert opened.status_code == 404
    assert SECRET not in page(opened)
    posted = eve.post(url, {"version": preparation.version, "save": "1"})
    assert posted.status_code == 404
    preparation.refresh_from_db()
    assert preparation.answers.get().intended_outcome == SECRET
    assert list(preparation.organisation.members.all()) == [session.people["alice"]]
    assert eve.get(reverse("session_detail", args=[session.pk])).status_code == 404


def test_a_crafted_file_on_the_import_page_does_not_join_another_communitys_organisation(
    eve, session, alice_draft
):
    document = {
        "format": "sms-tool.session/1",
        "learning_community": {"name": "Zorg Lab", "setting": "public-public"},
        "session": {"title": "Overname", "phase": "preparation"},
        "organisations": [
            {
                "name": "hogeschool zuid",
                "partner_type": "education",
                "members": [{"email": "eve@example.org", "name": "Eve"}],
            },
            {"name": "Bouwbedrijf Noord", "partner_type": "practice"},
        ],
    }
    upload = SimpleUploadedFile(
        "crafted.json", json.dumps(document).encode(), content_type="application/json"
    )
    url = reverse("community_import", args=[eve.zorg.pk])

    preview = eve.post(url, {"step": "preview", "file": upload})

    text = page(preview)
    assert preview.status_code == 200
    assert "Check the import" in text
    assert "existing organisation" not in text  # nothing says the names exist elsewhere
    token = preview.context["form"].initial["token"]
    confirmed = eve.post(url, {"step": "confirm", "token": token})
    assert confirmed.status_code == 302
    assert DialogueSession.objects.get(title="Overname").community == eve.zorg

    assert_no_way_into(eve, session, alice_draft)


def test_an_organisation_named_like_another_communitys_with_a_self_invitation_gives_no_access(
    eve, session, alice_draft
):
    added = eve.post(
        reverse("organisation_add", args=[eve.zorg.pk]),
        {"name": "HOGESCHOOL ZUID", "partner_type": PartnerType.EDUCATION},
    )
    assert added.status_code == 302
    ours = eve.zorg.organisations.get()
    assert ours.pk != session.education.pk
    other = eve.post(
        reverse("organisation_add", args=[eve.zorg.pk]),
        {"name": "Zorggroep Oost", "partner_type": PartnerType.PRACTICE},
    )
    assert other.status_code == 302
    created = eve.post(
        reverse("session_create", args=[eve.zorg.pk]),
        {
            "title": "Eigen sessie",
            "date": "",
            "organisations": [o.pk for o in eve.zorg.organisations.all()],
        },
    )
    assert created.status_code == 302, page(created)
    zorg_session = DialogueSession.objects.get(title="Eigen sessie")
    invited = eve.post(
        reverse("invitation_create", args=[zorg_session.pk]),
        {"email": "eve@example.org", "name": "Eve", "role": "member", "organisation": ours.pk},
    )
    assert invited.status_code == 302, page(invited)
    path = LINK.search(mail.outbox[-1].body).group(1)
    accepted = eve.post(path)
    assert accepted.status_code == 302

    assert_no_way_into(eve, session, alice_draft)
    # Within her own community the invitation works as it should.
    own = zorg_session.preparations.get(organisation=ours)
    assert eve.get(reverse("preparation_detail", args=[zorg_session.pk, own.pk])).status_code == (
        200
    )


def test_a_membership_counts_only_in_the_community_of_its_organisation(session, alice_draft):
    """The last line of defence: a session row pointing at another community's organisation."""
    from sessions.policy.phases import roles_for

    stray = factories.OrganisationFactory(name="Elders BV", partner_type=PartnerType.PRACTICE)
    intruder = factories.MembershipFactory(organisation=stray).person
    factories.PreparationFactory(session=session, organisation=stray)  # bypasses the services

    roles = roles_for(intruder, session)

    assert not roles.any
    assert not roles.is_member_of(stray.pk)


def test_the_coordinator_and_facilitator_answers_are_about_this_person_and_this_session(
    session,
):
    """``roles_for`` asks who coordinates the session's own community and who facilitates
    this session: a coordinator or facilitator elsewhere gets nothing here."""
    from sessions.policy.phases import roles_for

    dave, carol, mallory = (session.people[name] for name in ("dave", "carol", "mallory"))
    assert roles_for(dave, session).coordinator
    assert not roles_for(dave, session).facilitator
    assert roles_for(carol, session).facilitator
    assert not roles_for(carol, session).coordinator
    assert not roles_for(mallory, session).any

    elsewhere = factories.LearningCommunityFactory()
    elsewhere.coordinators.add(mallory)
    other_session = factories.DialogueSessionFactory(community=elsewhere)
    other_session.facilitators.add(mallory)
    assert roles_for(mallory, other_session).coordinator
    assert roles_for(mallory, other_session).facilitator
    assert not roles_for(mallory, session).any
    assert not roles_for(dave, other_session).any
