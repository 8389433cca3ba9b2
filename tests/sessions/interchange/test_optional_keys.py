"""The optional keys of issue 14 in sms-tool.session/1: priorities, participants, consent, votes,
serves, offers, needs and reviews of each organisation's own outcomes."""

import copy

import pytest
from django.utils import translation

from sessions.interchange.format import InterchangeError, export_session, import_session
from sessions.models import Consent, DialogueSession, Participant
from tests import factories
from tests.sessions.samples import document_with_every_optional_key, valid_document


def problems_of(document, **kwargs):
    with translation.override("en"), pytest.raises(InterchangeError) as caught:
        import_session(document, **kwargs)
    return {problem.path: problem.message for problem in caught.value.problems}


def test_a_file_with_every_new_key_exports_every_key_as_it_was_given(db):
    document = document_with_every_optional_key()
    exported = export_session(import_session(copy.deepcopy(document)))
    assert exported["organisations"] == document["organisations"]
    assert exported["joint_motives"] == document["joint_motives"]
    assert exported["agreements"] == document["agreements"]


def test_an_export_of_the_new_data_imports_to_an_equal_export(db):
    first = export_session(import_session(document_with_every_optional_key()))
    second = export_session(import_session(copy.deepcopy(first)))
    assert first == second
    assert second["agreements"][0]["serves"] == ["joint:0", "joint:1", "capital.network"]


def test_a_file_without_the_new_keys_imports_and_exports_without_them(db):
    exported = export_session(import_session(valid_document()))
    fontys = exported["organisations"][0]
    for key in ("participants", "open_motives", "offers", "needs", "outcome_reviews"):
        assert key not in fontys
    assert all("priority" not in answer for answer in fontys["answers"])
    assert all("consent" not in j and "votes" not in j for j in exported["joint_motives"])
    assert all("serves" not in a for a in exported["agreements"])


def test_consent_names_organisations_of_the_same_file(db):
    session = import_session(document_with_every_optional_key())
    objection = Consent.objects.get(joint_motive__session=session, position="object")
    assert objection.organisation.name == "Machinefabriek Oost"
    assert objection.organisation.community == session.community
    assert objection.reason == "Te vaag"


def test_a_draft_keeps_its_participants_and_priorities_out_of_the_export(db):
    document = document_with_every_optional_key()
    document["organisations"][1]["submitted"] = False
    document["joint_motives"][0]["consent"] = document["joint_motives"][0]["consent"][:1]
    document["joint_motives"][1].pop("consent")
    document["agreements"][0]["consent"] = document["agreements"][0]["consent"][:1]
    session = import_session(document)
    assert Participant.objects.filter(preparation__session=session).count() == 4
    machinefabriek = export_session(session)["organisations"][1]
    assert machinefabriek["answers"] == []
    for key in ("participants", "offers", "needs", "outcome_reviews"):
        assert key not in machinefabriek


def spoil_priority_twice(d):
    d["organisations"][0]["answers"][0]["priority"] = 1
    d["organisations"][0]["answers"][1]["priority"] = 1


def spoil_priority_on_no(d):
    d["organisations"][0]["answers"][2]["priority"] = 3


@pytest.mark.parametrize(
    "spoil, path, message",
    [
        (
            lambda d: d["organisations"][0]["answers"][0].update(priority=4),
            "organisations[0].answers[0].priority",
            "must be 1, 2 or 3, not 4",
        ),
        (
            lambda d: d["organisations"][0]["answers"][0].update(priority="1"),
            "organisations[0].answers[0].priority",
            'must be 1, 2 or 3, not "1"',
        ),
        (
            spoil_priority_twice,
            "organisations[0].answers[1].priority",
            "priority 1 is given twice (also at organisations[0].answers[0].priority)",
        ),
        (
            spoil_priority_on_no,
            "organisations[0].answers[2].priority",
            "only a motive that applies can have a priority",
        ),
        (
            lambda d: d["organisations"][0]["participants"][0].update(role="boss"),
            "organisations[0].participants[0].role",
            'must be one of "manager", "staff", "other", not "boss"',
        ),
        (
            lambda d: d["organisations"][0]["participants"][0].update(name=" "),
            "organisations[0].participants[0].name",
            "must not be empty",
        ),
        (
            lambda d: d["organisations"][0].update(offers="lab"),
            "organisations[0].offers",
            "must be a list, not text",
        ),
        (
            lambda d: d["organisations"][0]["needs"].append(5),
            "organisations[0].needs[1]",
            "must be text, not a number",
        ),
        (
            lambda d: d["organisations"][0]["outcome_reviews"][0].update(status="yes"),
            "organisations[0].outcome_reviews[0].status",
            'must be one of "realised", "partly", "not", not "yes"',
        ),
        (
            lambda d: d["organisations"][0]["outcome_reviews"][1].update(
                motive="development.teachers"
            ),
            "organisations[0].outcome_reviews[1].motive",
            'motive "development.teachers" is reviewed twice',
        ),
        (
            lambda d: d["joint_motives"][0].update(votes=-1),
            "joint_motives[0].votes",
            "must be a whole number of 0 or more, not -1",
        ),
        (
            lambda d: d["joint_motives"][0]["consent"][0].update(position="yes"),
            "joint_motives[0].consent[0].position",
            'must be one of "agree", "abstain", "object", not "yes"',
        ),
        (
            lambda d: d["joint_motives"][0]["consent"][0].update(organisation="Elders BV"),
            "joint_motives[0].consent[0].organisation",
            '"Elders BV" is not one of the organisations of this file',
        ),
        (
            lambda d: d["joint_motives"][0]["consent"][1].update(organisation="fontys ict"),
            "joint_motives[0].consent[1].organisation",
            '"fontys ict" has two positions here',
        ),
        (
            lambda d: d["agreements"][0]["serves"].append("joint:2"),
            "agreements[0].serves[3]",
            '"joint:2" names no entry of joint_motives (there are 2)',
        ),
        (
            lambda d: d["agreements"][0]["serves"].append("joint:-1"),
            "agreements[0].serves[3]",
            'must be a motive code or "joint:N", not "joint:-1"',
        ),
        (
            lambda d: d["agreements"][1]["serves"].append({"motive": "x"}),
            "agreements[1].serves[1]",
            "must be a motive code or \"joint:N\", not {'motive': 'x'}",
        ),
    ],
)
def test_a_bad_new_key_is_refused_with_its_path_and_nothing_is_written(db, spoil, path, message):
    document = document_with_every_optional_key()
    spoil(document)
    assert problems_of(document) == {path: message}
    assert not DialogueSession.objects.exists()


def test_consent_in_an_import_page_file_stays_within_the_chosen_community(db):
    # Another community has an organisation of the same name: the positions go to ours.
    elsewhere = factories.OrganisationFactory(name="Fontys ICT", partner_type="education")
    ours = factories.LearningCommunityFactory(name="Ons lab")
    session = import_session(document_with_every_optional_key(), community=ours)
    organisations = {c.organisation for c in Consent.objects.filter(joint_motive__session=session)}
    assert elsewhere not in organisations
    assert {org.community for org in organisations} == {ours}
