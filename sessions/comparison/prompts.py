"""Dialogue prompts from the article, shown next to the comparison where they apply.

Bos, Ros, Snoeren & Thunnissen (2023) suggest asking, in the joint dialogue, how
separate and joint motives can both be realised, whether each organisation could
reach its goals without its partners, which expertise the partners can offer
each other, and whether teacher development (hardly ever named) should be.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sessions.comparison.matrix import (
    EDUCATION_ONLY,
    NONE,
    PRACTICE_ONLY,
    SHARED,
    UNIQUE,
    Comparison,
    Row,
)

StrOrPromise = str | Promise

TEACHER_DEVELOPMENT = "development.teachers"

UNIQUE_PROMPT = _("Only one organisation names this motive. How can it be realised together?")
ONE_SIDE_PROMPT = _("Only one side names this motive. What does it mean for the other side?")
SHARED_PROMPT = _(
    "Everyone names this motive. Could each organisation reach it without its partners? "
    "If so, why collaborate?"
)
NONE_PROMPT = _("Nobody names this motive. Is that a conscious choice?")
TEACHERS_PROMPT = _("Teacher development is hardly ever named. Should it be?")

BY_CATEGORY = {
    UNIQUE: UNIQUE_PROMPT,
    EDUCATION_ONLY: ONE_SIDE_PROMPT,
    PRACTICE_ONLY: ONE_SIDE_PROMPT,
    SHARED: SHARED_PROMPT,
    NONE: NONE_PROMPT,
}

GENERAL_PROMPTS = [
    _("How can separate and joint motives both be realised?"),
    _("Could each organisation reach its goals without its partners? If so, why collaborate?"),
    _("Which expertise can the partners offer each other?"),
]


def rarely_named(row: Row) -> bool:
    """Fewer than half of the organisations the motive is offered to name it."""
    offered = [cell for cell in row.cells if cell.offered]
    named = sum(1 for cell in offered if cell.applies is True)
    return bool(offered) and named * 2 < len(offered)


def prompts_for(row: Row, comparison: Comparison) -> list[StrOrPromise]:
    """The prompts for one motive of the comparison, most specific first.

    A motive named by some organisations of both sides ("mixed") gets none of its
    own: with many organisations most motives are mixed, and the page's general
    question about the partners' expertise covers them.
    """
    if row.motive.code == TEACHER_DEVELOPMENT and rarely_named(row):
        # The article's own observation says more than "nobody names it".
        if row.category == NONE:
            return [TEACHERS_PROMPT]
        return [TEACHERS_PROMPT, BY_CATEGORY[row.category]]
    prompt = BY_CATEGORY.get(row.category)
    return [prompt] if prompt else []


def general_prompts() -> list[StrOrPromise]:
    return list(GENERAL_PROMPTS)
