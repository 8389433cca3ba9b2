"""The Fase 2 categories and the comparison built from submitted formats."""

import pytest
from django.utils import timezone

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.comparison.matrix import (
    EDUCATION_ONLY,
    MIXED,
    NONE,
    PRACTICE_ONLY,
    SHARED,
    UNIQUE,
    build_comparison,
    categorize,
)
from sessions.models import Phase
from tests import factories

E, P = PartnerType.EDUCATION, PartnerType.PRACTICE
TYPES = {"edu1": E, "edu2": E, "prac1": P, "prac2": P}


@pytest.mark.parametrize(
    ("applies", "category"),
    [
        ({"edu1": True, "edu2": True, "prac1": True, "prac2": True}, SHARED),
        ({"edu1": True, "edu2": True, "prac1": False, "prac2": None}, EDUCATION_ONLY),
        ({"edu1": False, "edu2": None, "prac1": True, "prac2": True}, PRACTICE_ONLY),
        ({"edu1": False, "edu2": False, "prac1": True, "prac2": False}, UNIQUE),
        ({"edu1": True, "edu2": None, "prac1": None, "prac2": None}, UNIQUE),
        ({"edu1": True, "edu2": False, "prac1": True, "prac2": False}, MIXED),
        ({"edu1": False, "edu2": False, "prac1": False, "prac2": None}, NONE),
        ({"edu1": None, "edu2": None, "prac1": None, "prac2": None}, NONE),
    ],
)
def test_each_category_follows_the_rule_of_the_article(applies, category):
    assert categorize(applies, TYPES) == category


def test_unique_takes_precedence_over_one_sided():
    assert (
        categorize(
            {"edu1": True, "edu2": False, "prac1": False}, {"edu1": E, "edu2": E, "prac1": P}
        )
        == UNIQUE
    )


def test_shared_with_two_organisations_is_not_called_unique():
    assert categorize({"edu1": True, "prac1": True}, {"edu1": E, "prac1": P}) == SHARED


def submitted(session, name, partner_type, answers):
    organisation = factories.OrganisationFactory(
        community=session.community, name=name, partner_type=partner_type
    )
    preparation = factories.PreparationFactory(
        session=session, organisation=organisation, submitted_at=timezone.now()
    )
    for code, (applies, outcome) in answers.items():
        factories.AnswerFactory(
            preparation=preparation,
            motive=Motive.objects.get(code=code),
            applies=applies,
            intended_outcome=outcome,
        )
    return preparation


@pytest.fixture
def session(db):
    session = factories.DialogueSessionFactory(phase=Phase.DIALOGUE)
    submitted(
        session,
        "Zorggroep",
        P,
        {"capital.network": (True, "Netwerk"), "capital.recruitment": (True, "")},
    )
    submitted(
        session,
        "Hogeschool",
        E,
        {"capital.network": (True, "Stages"), "development.teachers": (True, "")},
    )
    submitted(
        session,
        "Bouwbedrijf",
        P,
        {"capital.network": (True, ""), "capital.recruitment": (True, "Personeel")},
    )
    factories.PreparationFactory(session=session)  # not submitted: left out
    return session


def test_columns_are_the_submitted_organisations_education_first(session):
    comparison = build_comparison(session)
    assert [c.name for c in comparison.columns] == ["Hogeschool", "Bouwbedrijf", "Zorggroep"]
    assert comparison.enough


def test_rows_follow_the_catalogue_with_counts_and_categories(session):
    rows = {row.motive.code: row for row in build_comparison(session).rows}
    assert list(rows)[0] == "legitimising.mission"
    assert (
        rows["capital.network"].category,
        rows["capital.network"].education_count,
        rows["capital.network"].practice_count,
    ) == (SHARED, 1, 2)
    assert rows["capital.recruitment"].category == PRACTICE_ONLY
    assert rows["development.teachers"].category == UNIQUE
    assert rows["capital.financial"].category == NONE
    assert [c.intended_outcome for c in rows["capital.network"].outcomes] == ["Stages", "Netwerk"]


def test_a_motive_not_offered_to_a_partner_type_is_marked_so(session):
    teachers = next(
        r for r in build_comparison(session).rows if r.motive.code == "development.teachers"
    )
    assert [cell.offered for cell in teachers.cells] == [True, False, False]


def test_shares_per_cluster_and_side(session):
    comparison = build_comparison(session)
    shares = comparison.cluster_shares()
    hogeschool = comparison.columns[0].organisation_id
    capital_motives = Motive.objects.filter(cluster__code="capital").count()
    assert shares[(hogeschool, "capital")] == pytest.approx(1 / capital_motives)
    sides = comparison.side_shares()
    assert sides[(P, "capital")] == pytest.approx(2 / capital_motives)
    assert sides[(E, "societal")] == 0


def test_fewer_than_two_submitted_formats_are_not_enough(db):
    session = factories.DialogueSessionFactory()
    submitted(session, "Alleen", E, {})
    assert not build_comparison(session).enough


def test_changes_since_the_previous_round_per_organisation(db):
    first = factories.DialogueSessionFactory(phase=Phase.CLOSED)
    old = submitted(
        first, "Hogeschool", E, {"capital.network": (True, ""), "capital.financial": (False, "")}
    )
    second = factories.DialogueSessionFactory(
        community=first.community, previous=first, phase=Phase.DIALOGUE
    )
    new = factories.PreparationFactory(
        session=second, organisation=old.organisation, submitted_at=timezone.now()
    )
    factories.AnswerFactory(
        preparation=new, motive=Motive.objects.get(code="capital.financial"), applies=True
    )
    newcomer = submitted(second, "Nieuw bedrijf", P, {"capital.network": (True, "")})

    changes = build_comparison(second).changes()

    assert [m.code for m in changes[old.organisation_id]["added"]] == ["capital.financial"]
    assert [m.code for m in changes[old.organisation_id]["dropped"]] == ["capital.network"]
    assert changes[newcomer.organisation_id] == {"added": [], "dropped": []}


@pytest.mark.parametrize("organisations", [3, 30])
def test_building_the_comparison_takes_the_same_queries_for_3_and_30_organisations(
    db, django_assert_num_queries, organisations
):
    previous = factories.DialogueSessionFactory(phase=Phase.CLOSED)
    session = factories.DialogueSessionFactory(community=previous.community, previous=previous)
    for number in range(organisations):
        last_round = submitted(
            previous, f"Org {number}", E if number % 2 else P, {"capital.network": (True, "")}
        )
        factories.PreparationFactory(
            session=session, organisation=last_round.organisation, submitted_at=timezone.now()
        )
    session = type(session).objects.get(pk=session.pk)
    # formats, answers, last round's formats and answers, motives, other motives
    with django_assert_num_queries(6):
        comparison = build_comparison(session)
        comparison.changes()
        comparison.side_shares()
    assert len(comparison.columns) == organisations
