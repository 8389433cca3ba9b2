"""The sms-tool.session/1 format, which researchers rely on to move sessions around."""

import pytest
from django.utils import translation

from partnerships.models import LearningCommunity, Organisation, User
from sessions.interchange.format import InterchangeError, export_session, import_session
from sessions.models import Answer, DialogueSession
from tests import factories
from tests.sessions.samples import valid_document


def problems_of(document, language="en"):
    with translation.override(language), pytest.raises(InterchangeError) as caught:
        import_session(document)
    return {problem.path: problem.message for problem in caught.value.problems}


def test_import_creates_the_session_with_everything_in_it(db):
    session = import_session(valid_document())

    assert session.community.name == "Smart Industry Lab"
    assert session.phase == "dialogue"
    assert [p.organisation.name for p in session.preparations.all()] == [
        "Fontys ICT",
        "Machinefabriek Oost",
    ]
    fontys = session.preparations.get(organisation__name="Fontys ICT")
    assert fontys.submitted
    assert dict(fontys.answers.values_list("motive__code", "applies")) == {
        "development.teachers": True,
        "capital.network": True,
        "capital.financial": False,
    }
    assert session.joint_motives.count() == 2
    assert list(session.agreements.values_list("text", flat=True)) == [
        "Kwartaaloverleg plannen",
        "Evaluatie in het najaar",
    ]
    assert session.community.coordinators.get().email == "coord@example.org"
    assert session.facilitators.get().email == "fac@example.org"


def test_export_then_import_then_export_gives_the_same_json(db):
    first = export_session(import_session(valid_document()))
    second = export_session(import_session(first))
    assert first == second
    assert first["organisations"][0]["answers"][1]["intended_outcome"] == "Netwerk 🌍 <b>groter</b>"


def test_export_keeps_every_key_of_the_format(db):
    exported = export_session(import_session(valid_document()))
    original = valid_document()
    assert exported["format"] == "sms-tool.session/1"
    for section in ("learning_community", "session"):
        assert set(original[section]) <= set(exported[section])
    assert set(original["organisations"][0]) <= set(exported["organisations"][0])


def test_a_motive_missing_from_answers_stays_not_answered(db):
    session = import_session(valid_document())
    practice = session.preparations.get(organisation__name="Machinefabriek Oost")
    assert not practice.answers.filter(motive__code="capital.innovation").exists()
    exported = export_session(session)
    codes = [a["motive"] for a in exported["organisations"][1]["answers"]]
    assert "capital.innovation" not in codes


def test_people_are_matched_by_email_and_new_ones_cannot_sign_in_yet(db):
    existing = factories.UserFactory(email="a@example.org", name="Existing Person")
    import_session(valid_document())
    assert User.objects.get(email="a@example.org") == existing
    assert User.objects.get(email="a@example.org").name == "Existing Person"
    assert not User.objects.get(email="b@example.org").has_usable_password()


def test_a_learning_community_is_matched_by_name(db):
    import_session(valid_document())
    import_session(valid_document())
    assert DialogueSession.objects.filter(community__name="Smart Industry Lab").count() == 2
    assert Organisation.objects.filter(name="Fontys ICT").count() == 1


def test_invalid_input_changes_nothing_and_reports_every_problem(db):
    document = valid_document()
    document["organisations"][0]["answers"][0]["motive"] = "capital.unknown"
    document["organisations"][1]["partner_type"] = "company"
    document["session"]["date"] = "2026-02-30"

    problems = problems_of(document)

    assert problems == {
        "organisations[0].answers[0].motive": 'unknown motive code "capital.unknown"',
        "organisations[1].partner_type": 'must be one of "education", "practice", not "company"',
        "session.date": '"2026-02-30" is not a valid date (YYYY-MM-DD)',
    }
    assert DialogueSession.objects.count() == 0
    assert User.objects.count() == 0
    assert Answer.objects.count() == 0


@pytest.mark.parametrize(
    ("spoil", "path", "message"),
    [
        (lambda d: d["session"].pop("title"), "session.title", "is missing"),
        (lambda d: d.pop("organisations"), "organisations", "is missing"),
        (
            lambda d: d["learning_community"].update(start_year="2016"),
            "learning_community.start_year",
            'must be a year between 1900 and 2100, not "2016"',
        ),
        (
            lambda d: d["organisations"][0].update(submitted="yes"),
            "organisations[0].submitted",
            'must be true or false, not "yes"',
        ),
        (
            lambda d: d["organisations"][0]["answers"][0].update(applies="ja"),
            "organisations[0].answers[0].applies",
            'must be true or false, not "ja"',
        ),
        (
            lambda d: d["organisations"][1].update(name="fontys ict"),
            "organisations[1].name",
            'organisation "fontys ict" appears twice (also at organisations[0])',
        ),
        (
            lambda d: d["agreements"][0].update(due="1 juni"),
            "agreements[0].due",
            '"1 juni" is not a valid date (YYYY-MM-DD)',
        ),
        (
            lambda d: d["organisations"][0]["answers"][0].update(intended_outcome="x" * 2001),
            "organisations[0].answers[0].intended_outcome",
            "is 2001 characters long; at most 2000 are allowed",
        ),
        (
            lambda d: d["organisations"][0]["answers"][0].update(
                motive="development.practice-partners"
            ),
            "organisations[0].answers[0].motive",
            'motive "development.practice-partners" is not offered to education partners',
        ),
        (
            lambda d: d["organisations"][0]["answers"].append(
                {"motive": "capital.network", "applies": False, "intended_outcome": ""}
            ),
            "organisations[0].answers[3].motive",
            'motive "capital.network" is answered twice',
        ),
        (
            lambda d: d["organisations"][0]["other_motives"].extend([{"text": "x"}] * 3),
            "organisations[0].other_motives",
            "has 4 entries; at most 3 are allowed",
        ),
        (
            lambda d: d["joint_motives"][1].update(text=""),
            "joint_motives[1]",
            "needs a catalogue motive or a text",
        ),
        (
            lambda d: d["session"]["facilitators"][0].update(email="not-an-address"),
            "session.facilitators[0].email",
            '"not-an-address" is not an e-mail address',
        ),
        (
            lambda d: d.update(format="sms-tool.session/2"),
            "format",
            'must be "sms-tool.session/1", not "sms-tool.session/2"',
        ),
        (lambda d: d["session"].update(title=7), "session.title", "must be text, not a number"),
        (
            lambda d: d["organisations"][0]["other_motives"][0].update(text="a\x00b"),
            "organisations[0].other_motives[0].text",
            "contains a NUL character, which cannot be stored",
        ),
    ],
)
def test_each_problem_names_its_json_path_and_what_is_wrong(db, spoil, path, message):
    document = valid_document()
    spoil(document)
    assert problems_of(document) == {path: message}
    assert DialogueSession.objects.count() == 0


def test_an_organisation_keeps_its_partner_type_within_its_community(db):
    lab = factories.LearningCommunityFactory(name="Smart Industry Lab")
    factories.OrganisationFactory(community=lab, name="Fontys ICT", partner_type="practice")
    message = (
        'organisation "Fontys ICT" already exists in this learning community as a practice partner'
    )
    assert problems_of(valid_document()) == {"organisations[0].partner_type": message}


def test_organisations_of_another_community_are_never_matched_joined_or_mentioned(db):
    elsewhere = factories.OrganisationFactory(name="Fontys ICT", partner_type="practice")
    insider = factories.MembershipFactory(organisation=elsewhere).person
    session = import_session(valid_document())
    fontys = session.preparations.get(organisation__name="Fontys ICT").organisation
    assert fontys != elsewhere
    assert fontys.community == session.community
    assert fontys.partner_type == "education"
    assert list(elsewhere.members.all()) == [insider]
    assert not elsewhere.members.filter(email="a@example.org").exists()


def test_an_import_never_changes_an_existing_account(db):
    existing = factories.UserFactory(email="a@example.org", name="")
    import_session(valid_document())
    existing.refresh_from_db()
    assert existing.name == ""


def test_an_import_into_a_chosen_community_ignores_the_files_community(db):
    ours = factories.LearningCommunityFactory(name="Ons Lab", sector="Zorg", start_year=2001)
    factories.LearningCommunityFactory(name="Smart Industry Lab")
    session = import_session(valid_document(), community=ours)
    assert session.community == ours
    ours.refresh_from_db()
    assert (ours.name, ours.sector, ours.start_year) == ("Ons Lab", "Zorg", 2001)
    assert set(ours.organisations.values_list("name", flat=True)) == {
        "Fontys ICT",
        "Machinefabriek Oost",
    }


def test_an_export_leaves_out_the_drafts_of_organisations_that_did_not_submit(db):
    document = valid_document()
    document["organisations"][1]["submitted"] = False
    draft = document["organisations"][1]
    assert draft["answers"] or draft["other_motives"]
    exported = export_session(import_session(document))
    unsubmitted = exported["organisations"][1]
    assert unsubmitted["name"] == draft["name"]
    assert unsubmitted["submitted"] is False
    assert unsubmitted["answers"] == []
    assert unsubmitted["other_motives"] == []
    assert exported["organisations"][0]["answers"]


def test_a_document_that_is_not_an_object_is_refused(db):
    assert problems_of([1, 2]) == {"$": "must be an object, not a list"}


def test_problems_are_reported_in_the_active_language(db):
    document = valid_document()
    document["session"].pop("title")
    assert problems_of(document, language="nl") == {"session.title": "ontbreekt"}


# --- learning_community.research_consent (optional) ---------------------------------


def with_consent(value):
    document = valid_document()
    document["learning_community"]["research_consent"] = value
    return document


def test_a_file_with_consent_creates_a_community_that_has_it_recorded_as_imported(db):
    community = import_session(with_consent(True)).community
    community.refresh_from_db()
    assert community.research_consent is True
    assert community.research_consent_source == LearningCommunity.ConsentSource.IMPORT
    assert community.research_consent_changed_at is not None
    assert community.research_consent_changed_by is None


@pytest.mark.parametrize("document", [valid_document(), with_consent(False)])
def test_a_file_without_the_key_or_with_false_creates_a_community_without_consent(db, document):
    community = import_session(document).community
    community.refresh_from_db()
    assert community.research_consent is False
    assert community.research_consent_changed_at is None


@pytest.mark.parametrize("value", ["yes", 1, None, []])
def test_consent_that_is_not_true_or_false_is_refused_with_its_path(db, value):
    problems = problems_of(with_consent(value))
    assert list(problems) == ["learning_community.research_consent"]
    assert problems["learning_community.research_consent"].startswith("must be true or false")
    assert LearningCommunity.objects.count() == 0


def test_an_import_never_gives_consent_to_an_existing_community(db):
    existing = factories.LearningCommunityFactory(name="Smart Industry Lab")
    session = import_session(with_consent(True))
    assert session.community == existing
    existing.refresh_from_db()
    assert existing.research_consent is False
    assert existing.research_consent_changed_at is None


def test_an_import_never_withdraws_the_consent_of_an_existing_community(db):
    existing = factories.LearningCommunityFactory(name="Smart Industry Lab", research_consent=True)
    import_session(with_consent(False))
    existing.refresh_from_db()
    assert existing.research_consent is True


@pytest.mark.parametrize("consent", [True, False])
def test_export_writes_the_communitys_consent(db, consent):
    session = import_session(with_consent(consent))
    assert export_session(session)["learning_community"]["research_consent"] is consent


def test_a_round_trip_into_an_empty_installation_keeps_the_consent(db):
    first = export_session(import_session(with_consent(True)))
    DialogueSession.objects.all().delete()
    LearningCommunity.objects.all().delete()
    second = export_session(import_session(first))
    assert second == first
    assert second["learning_community"]["research_consent"] is True


def test_an_import_into_a_community_needs_one_of_its_coordinators(db):
    """The import page's service checks the person on the locked community row."""
    community = factories.LearningCommunityFactory()
    coordinator, outsider = factories.UserFactory(), factories.UserFactory()
    community.coordinators.add(coordinator)
    with translation.override("en"), pytest.raises(InterchangeError) as refused:
        import_session(valid_document(), community=community, by=outsider)
    assert "Only a coordinator" in str(refused.value)
    assert not DialogueSession.objects.filter(community=community).exists()
    session = import_session(valid_document(), community=community, by=coordinator)
    assert session.community == community
