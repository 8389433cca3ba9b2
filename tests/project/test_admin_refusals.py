"""Every admin page that adds or changes a row refuses a duplicate in words, never with a 500.

``ADD`` and ``CHANGE`` hold, per model, a post that repeats an existing row (or breaks
another rule of the database) and the sentence the page must show; ``None`` where a
repeat is allowed. A model the admin can add or change without an entry here fails
``test_every_admin_page_that_adds_or_changes_rows_has_a_case``.
"""

import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from motives.models import Cluster, Motive
from partnerships.models import LearningCommunity, Membership, Organisation, User
from sessions.models import (
    Agreement,
    Answer,
    DialogueSession,
    Invitation,
    JointMotive,
    Note,
    OtherMotive,
    OutcomeReview,
    Phase,
    Preparation,
    QuickScan,
    QuickScanResponse,
)
from sms_tool.admin_forms import default_constraint_messages
from tests import factories
from tests.helpers import sign_in_with_second_factor

MANAGEMENT = re.compile(
    r'<input type="hidden" name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"'
)
SAME_CASE = "(capital and small letters count as the same)"


@pytest.fixture
def staff(client, session):
    sign_in_with_second_factor(
        client, factories.UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.raise_request_exception = False
    return client


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def post(client, url, data):
    """Post ``data`` as the admin page would, with its inline formsets left empty."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    management = dict(MANAGEMENT.findall(page.text))
    for name in management:
        if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS")):
            management[name] = "0"
    return client.post(url, {**management, **data})


def errors_in(response):
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    return " ".join(found).replace("&#x27;", "'")


def saved(response):
    assert response.status_code == 302, errors_in(response)


def refused_with(response, sentence):
    assert response.status_code == 200, response.status_code
    errors = errors_in(response)
    assert sentence in errors
    assert "Constraint" not in errors


# --- the cases: model -> session -> (data, sentence or None) ---------------------


def _motive():
    return Motive.objects.get(code="capital.network")


def _review(session):
    review = factories.OutcomeReviewFactory()
    return review, factories.AgreementFactory(session=review.session.previous)


def add_answer(s):
    preparation = s.preparations.first()
    factories.AnswerFactory(preparation=preparation, motive=_motive())
    data = {"preparation": preparation.pk, "motive": _motive().pk}
    return data, "Answer with this Preparation and Motive already exists."


def add_review(s):
    review, agreement = _review(s)
    data = {
        "session": review.session_id,
        "joint_motive": review.joint_motive_id,
        "agreement": agreement.pk,
    }
    return data, (
        "A review is about one joint motive or one agreement of the previous round: "
        "choose exactly one of the two."
    )


def change_answer(s):
    preparation = s.preparations.first()
    factories.AnswerFactory(preparation=preparation, motive=_motive())
    row = factories.AnswerFactory(
        preparation=preparation, motive=Motive.objects.get(code="capital.innovation")
    )
    data = {"preparation": preparation.pk, "motive": _motive().pk}
    return row, data, "Answer with this Preparation and Motive already exists."


def change_other_motive(s):
    preparation = s.preparations.first()
    factories.OtherMotiveFactory(preparation=preparation, position=1)
    row = factories.OtherMotiveFactory(preparation=preparation, position=2)
    data = {"preparation": preparation.pk, "position": 1, "text": "Eigen motief"}
    return row, data, "Other motive with this Preparation and Position already exists."


def change_review(s):
    review, agreement = _review(s)
    row = factories.OutcomeReviewFactory(
        session=review.session, joint_motive=None, agreement=agreement
    )
    data = {"session": review.session_id, "joint_motive": review.joint_motive_id}
    return row, data, "Review of an outcome with this Session and Joint motive already exists."


ADD = {
    User: lambda s: (
        {"email": "ALICE@Example.org", "name": "Alice", "usable_password": "false"},
        "There is already an account with this e-mail address " + SAME_CASE,
    ),
    LearningCommunity: lambda s: (
        {"name": "smart industry LAB", "setting": "public-public"},
        "There is already a learning community with this name " + SAME_CASE,
    ),
    Organisation: lambda s: (
        {"community": s.community.pk, "name": "HOGESCHOOL zuid", "partner_type": "education"},
        "This learning community already has a partner organisation with this name " + SAME_CASE,
    ),
    Membership: lambda s: (
        {"person": s.people["alice"].pk, "organisation": s.education.pk},
        "Membership with this Person and Organisation already exists.",
    ),
    DialogueSession: lambda s: (
        {"community": s.community.pk, "title": s.title, "catalogue": "extended"},
        None,  # two sessions may share a title
    ),
    Preparation: lambda s: (
        {"session": s.pk, "organisation": s.education.pk},
        "Preparation with this Session and Organisation already exists.",
    ),
    Answer: add_answer,
    OtherMotive: lambda s: (
        {"preparation": s.preparations.first().pk, "position": 4, "text": "Vierde motief"},
        "The position of an other motive is 1, 2 or 3: "
        "an organisation names at most three other motives.",
    ),
    OutcomeReview: add_review,
    JointMotive: lambda s: (
        {"session": s.pk, "position": 0, "text": ""},
        "Choose a motive from the catalogue or write the joint motive in your own words.",
    ),
    Agreement: lambda s: (
        {"session": s.pk, "position": 0, "text": factories.AgreementFactory(session=s).text},
        None,  # the same agreement twice is the facilitator's choice
    ),
    Note: lambda s: (
        {"session": s.pk, "text": factories.NoteFactory(session=s).text},
        None,
    ),
    Cluster: lambda s: (
        {"code": "capital", "label_nl": "Kapitaal", "label_en": "Capital", "order": 9},
        "Cluster with this Code already exists.",
    ),
    Motive: lambda s: (
        {
            "code": "capital.network",
            "cluster": _motive().cluster_id,
            "label_nl": "Netwerk",
            "label_en": "Network",
            "order": 9,
            "audience": "both",
        },
        "Motive with this Code already exists.",
    ),
}

# model -> session -> (the row to change, data, sentence or None)
CHANGE = {
    User: lambda s: (
        s.people["bob"],
        {"email": "Alice@example.org", "name": "Bob", "is_active": "on"},
        "There is already an account with this e-mail address " + SAME_CASE,
    ),
    LearningCommunity: lambda s: (
        factories.LearningCommunityFactory(name="LC Zorg"),
        {"name": "SMART industry lab", "setting": "public-public"},
        "There is already a learning community with this name " + SAME_CASE,
    ),
    Organisation: lambda s: (
        s.practice,
        {"name": "Hogeschool ZUID", "partner_type": "practice"},
        "This learning community already has a partner organisation with this name " + SAME_CASE,
    ),
    Membership: lambda s: (
        factories.MembershipFactory(person=s.people["alice"], organisation=s.practice),
        {"person": s.people["alice"].pk, "organisation": s.education.pk},
        "Membership with this Person and Organisation already exists.",
    ),
    DialogueSession: lambda s: (
        factories.DialogueSessionFactory(community=s.community),
        {"community": s.community.pk, "title": s.title, "catalogue": "extended"},
        None,
    ),
    Preparation: lambda s: (
        s.preparations.get(organisation=s.practice),
        {"session": s.pk, "organisation": s.education.pk},
        "Preparation with this Session and Organisation already exists.",
    ),
    Answer: change_answer,
    OtherMotive: change_other_motive,
    OutcomeReview: change_review,
    JointMotive: lambda s: (
        factories.JointMotiveFactory(session=s),
        {"session": s.pk, "position": 0, "motive": "", "text": ""},
        "Choose a motive from the catalogue or write the joint motive in your own words.",
    ),
    Agreement: lambda s: (
        factories.AgreementFactory(session=s, text="Eerste"),
        {"session": s.pk, "position": 0, "text": factories.AgreementFactory(session=s).text},
        None,
    ),
    Note: lambda s: (
        factories.NoteFactory(session=s, text="Eerste"),
        {"session": s.pk, "text": factories.NoteFactory(session=s).text},
        None,
    ),
    Cluster: lambda s: (
        Cluster.objects.get(code="societal"),
        {"code": "capital", "label_nl": "Kapitaal", "label_en": "Capital", "order": 9},
        "Cluster with this Code already exists.",
    ),
    Motive: lambda s: (
        Motive.objects.get(code="capital.innovation"),
        {
            "code": "capital.network",
            "cluster": _motive().cluster_id,
            "label_nl": "Netwerk",
            "label_en": "Network",
            "order": 9,
            "audience": "both",
        },
        "Motive with this Code already exists.",
    ),
    QuickScan: lambda s: (
        factories.QuickScanFactory(title="Workshop A", created_by=s.people["carol"]),
        {
            "title": factories.QuickScanFactory(title="Workshop B").title,
            "created_by": s.people["carol"].pk,
        },
        None,  # the short code, the unique part, is not typed here
    ),
    QuickScanResponse: lambda s: (
        factories.QuickScanResponseFactory(),
        {
            "side": "practice",
            "education_clusters": '["development"]',
            "practice_clusters": '["capital"]',
        },
        None,  # the scan and the browser's key, the unique pair, cannot be changed here
    ),
}


def admin_pages(permission):
    request = RequestFactory().get("/")
    request.user = User(is_staff=True, is_superuser=True, is_active=True)
    return {
        model
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in ("auth", "axes")
        and getattr(model_admin, f"has_{permission}_permission")(request)
    }


def test_every_admin_page_that_adds_or_changes_rows_has_a_case():
    assert admin_pages("add") == set(ADD)
    assert admin_pages("change") == set(CHANGE)


@pytest.mark.parametrize("model", list(ADD), ids=lambda model: model._meta.label)
def test_adding_a_duplicate_is_refused_in_words_or_allowed_never_an_error(staff, session, model):
    data, sentence = ADD[model](session)
    before = model.objects.count()

    response = post(staff, admin_url(model, "add"), data)

    if sentence is None:
        saved(response)
        assert model.objects.count() == before + 1
    else:
        refused_with(response, sentence)
        assert model.objects.count() == before


@pytest.mark.parametrize("model", list(CHANGE), ids=lambda model: model._meta.label)
def test_changing_a_row_into_a_duplicate_is_refused_in_words_or_allowed(staff, session, model):
    row, data, sentence = CHANGE[model](session)
    before = model.objects.values().get(pk=row.pk)

    response = post(staff, admin_url(model, "change", row.pk), data)

    if sentence is None:
        saved(response)
    else:
        refused_with(response, sentence)
        assert model.objects.values().get(pk=row.pk) == before


def every_admin_form():
    """Every registered model admin and each of its inlines."""
    for model, model_admin in admin.site._registry.items():
        yield model_admin
        for inline in model_admin.inlines:
            yield inline(model, admin.site)


def test_every_rule_the_database_can_only_name_has_a_sentence_in_its_admin_form():
    missing = [
        f"{type(each).__name__}: {name}"
        for each in every_admin_form()
        for name in default_constraint_messages(each.model)
        if name not in getattr(each.form, "constraint_messages", {})
    ]
    assert missing == []


def test_every_version_counter_is_read_only_wherever_the_admin_shows_it():
    request = RequestFactory().get("/")
    editable = [
        type(each).__name__
        for each in every_admin_form()
        if any(field.name == "version" for field in each.model._meta.fields)
        and "version" not in each.get_readonly_fields(request, None)
    ]
    assert editable == []


# --- sessions: the phase moves in the app only -------------------------------------


def test_a_closed_session_cannot_be_moved_back_to_draft_in_the_admin(staff, session):
    session.phase = Phase.CLOSED
    session.version = 7
    session.save()

    response = post(
        staff,
        admin_url(DialogueSession, "change", session.pk),
        {
            "community": session.community.pk,
            "title": session.title,
            "catalogue": "extended",
            "phase": "draft",
            "version": 1,
        },
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.phase, session.version) == (Phase.CLOSED, 7)


# --- invitations: made and mailed by the app only ------------------------------------


def test_the_admin_offers_no_way_to_add_or_edit_an_invitation(staff, session):
    invitation = factories.InvitationFactory(session=session, organisation=session.practice)

    listing = staff.get(admin_url(Invitation, "changelist"))
    assert listing.status_code == 200
    assert admin_url(Invitation, "add") not in listing.text
    assert staff.get(admin_url(Invitation, "add")).status_code == 403
    page = staff.get(admin_url(Invitation, "change", invitation.pk))
    assert page.status_code == 200  # read only
    assert 'name="_save"' not in page.text
    before = Invitation.objects.values().get(pk=invitation.pk)
    response = staff.post(
        admin_url(Invitation, "change", invitation.pk),
        {"email": "mallory@example.org", "role": "facilitator"},
    )
    assert response.status_code == 403
    assert Invitation.objects.values().get(pk=invitation.pk) == before


def test_the_admin_revokes_invitations_through_the_service(staff, session):
    open_one = factories.InvitationFactory(session=session, organisation=session.practice)
    accepted = factories.InvitationFactory(
        session=session, organisation=session.practice, email="used@example.org"
    )
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=accepted.created_at)

    response = staff.post(
        admin_url(Invitation, "changelist"),
        {"action": "revoke", "_selected_action": [open_one.pk, accepted.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 invitation revoked; its link no longer works." in response.text
    assert "The invitation to used@example.org was not revoked" in response.text
    open_one.refresh_from_db()
    accepted.refresh_from_db()
    assert open_one.revoked_at is not None
    assert accepted.revoked_at is None


# --- Quick Scans: started and answered in the app only --------------------------------


@pytest.mark.parametrize("model", [QuickScan, QuickScanResponse], ids=lambda m: m.__name__)
def test_quick_scans_and_their_answers_are_not_added_in_the_admin(staff, model):
    assert staff.get(admin_url(model, "add")).status_code == 403


def test_answers_cannot_be_added_to_a_quick_scan_in_the_admin(staff):
    scan = factories.QuickScanFactory()
    url = admin_url(QuickScan, "change", scan.pk)
    row = {
        "side": "education",
        "education_clusters": '["development"]',
        "practice_clusters": '["capital"]',
    }
    prefix = "responses"

    response = staff.post(
        url,
        {
            "title": scan.title,
            "created_by": scan.created_by_id,
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-INITIAL_FORMS": "0",
            **{f"{prefix}-{n}-{key}": value for n in (0, 1) for key, value in row.items()},
        },
    )

    assert response.status_code in (200, 302)
    assert not scan.responses.exists()


def test_an_answer_stays_with_its_quick_scan(staff):
    answer = factories.QuickScanResponseFactory()
    other = factories.QuickScanFactory()

    response = post(
        staff,
        admin_url(QuickScanResponse, "change", answer.pk),
        {
            "scan": other.pk,
            "side": "education",
            "education_clusters": '["development"]',
            "practice_clusters": '["capital"]',
        },
    )

    saved(response)
    answer.refresh_from_db()
    assert answer.scan_id != other.pk
