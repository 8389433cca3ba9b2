"""Dialogue prompts from the article, chosen per motive from its comparison category."""

import pytest
from django.utils import translation

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.comparison import prompts
from sessions.comparison.matrix import (
    EDUCATION_ONLY,
    MIXED,
    NONE,
    PRACTICE_ONLY,
    SHARED,
    UNIQUE,
    Cell,
    Column,
    Comparison,
    Row,
)

EDUCATION = Column(1, "Hogeschool", PartnerType.EDUCATION, 11)
EDUCATION_TWO = Column(2, "Pabo", PartnerType.EDUCATION, 12)
PRACTICE = Column(3, "Bouwbedrijf", PartnerType.PRACTICE, 13)


def row(code, category, applies, columns=(EDUCATION, EDUCATION_TWO, PRACTICE), offered=None):
    offered = offered or [True] * len(columns)
    cells = [
        Cell(column=column, offered=is_offered, applies=value)
        for column, value, is_offered in zip(columns, applies, offered, strict=True)
    ]
    return Row(
        motive=Motive(code=code, label_en=code, label_nl=code),
        cells=cells,
        category=category,
        education_count=0,
        practice_count=0,
    )


COMPARISON = Comparison(session=None, columns=[EDUCATION, EDUCATION_TWO, PRACTICE], rows=[])


def texts(items):
    with translation.override("en"):
        return [str(item) for item in items]


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (UNIQUE, "Only one organisation names this motive. How can it be realised together?"),
        (EDUCATION_ONLY, "Only one side names this motive. What does it mean for the other side?"),
        (PRACTICE_ONLY, "Only one side names this motive. What does it mean for the other side?"),
        (SHARED, "Could each organisation reach it without its partners? If so, why collaborate?"),
        (NONE, "Nobody names this motive. Is that a conscious choice?"),
    ],
)
def test_each_category_has_a_prompt_from_the_article(category, expected):
    found = texts(prompts.prompts_for(row("capital.network", category, [True] * 3), COMPARISON))
    assert len(found) == 1
    assert expected in found[0]


def test_a_motive_named_by_some_of_both_sides_has_no_prompt_of_its_own():
    assert prompts.prompts_for(row("capital.network", MIXED, [True, False, True]), COMPARISON) == []


def test_teacher_development_named_by_nobody_asks_whether_it_should_be():
    teachers = row("development.teachers", NONE, [False, None, None], offered=[True, True, False])
    assert texts(prompts.prompts_for(teachers, COMPARISON)) == [
        "Teacher development is hardly ever named. Should it be?"
    ]


def test_teacher_development_named_rarely_asks_it_too_next_to_the_category_prompt():
    teachers = row(
        "development.teachers",
        UNIQUE,
        [True, False, None],
        columns=(EDUCATION, EDUCATION_TWO, Column(4, "Pabo 2", PartnerType.EDUCATION, 14)),
    )
    found = texts(prompts.prompts_for(teachers, COMPARISON))
    assert found[0] == "Teacher development is hardly ever named. Should it be?"
    assert "How can it be realised together?" in found[1]


def test_teacher_development_named_by_most_gets_only_its_category_prompt():
    teachers = row(
        "development.teachers", EDUCATION_ONLY, [True, True, None], offered=[True, True, False]
    )
    found = texts(prompts.prompts_for(teachers, COMPARISON))
    assert found == ["Only one side names this motive. What does it mean for the other side?"]


def test_the_page_has_general_prompts_from_the_article():
    found = texts(prompts.general_prompts())
    assert "How can separate and joint motives both be realised?" in found
    assert "Which expertise can the partners offer each other?" in found
    assert any("without its partners" in text for text in found)


def test_prompts_are_translatable_lazy_strings_in_english_source():
    prompt = prompts.prompts_for(row("capital.network", NONE, [False] * 3), COMPARISON)[0]
    assert type(prompt).__name__ == "__proxy__"
