"""The article's own grouping and row labels for Tables 3-6 (SMS-TOOL.md, "How the article's
result tables map to codes"), shown beside the catalogue's wording on the research page.

The article groups differently from the catalogue in one place: "Werven personeel"
(``capital.recruitment``) sits in Table 3, under the legitimising motives. Row labels are
the article's (Dutch) words; the English text is a translation (msgid English, msgstr the
article's Dutch), so a Dutch page shows exactly the article's row.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy


@dataclass(frozen=True)
class ArticleTable:
    number: int
    title: str | Promise  # lazy


@dataclass(frozen=True)
class ArticleRow:
    table: ArticleTable
    label: str | Promise  # lazy


TABLE_3 = ArticleTable(3, gettext_lazy("Table 3 Legitimising motives"))
TABLE_4 = ArticleTable(4, gettext_lazy("Table 4 Development-oriented motives"))
TABLE_5 = ArticleTable(5, gettext_lazy("Table 5 Capital-related motives"))
TABLE_6 = ArticleTable(6, gettext_lazy("Table 6 Societal motives"))
TABLES = (TABLE_3, TABLE_4, TABLE_5, TABLE_6)

# In the article's order, table by table.
ARTICLE_ROWS = {
    "legitimising.image": ArticleRow(
        TABLE_3, pgettext_lazy("row of the article's tables", "Image")
    ),
    "capital.recruitment": ArticleRow(
        TABLE_3, pgettext_lazy("row of the article's tables", "Recruiting staff")
    ),
    "development.new-perspective": ArticleRow(
        TABLE_4, pgettext_lazy("row of the article's tables", "New perspective from students")
    ),
    "development.learning-community": ArticleRow(
        TABLE_4, pgettext_lazy("row of the article's tables", "Learning community")
    ),
    "development.practice-partners": ArticleRow(
        TABLE_4, pgettext_lazy("row of the article's tables", "Developing practice partners")
    ),
    "development.teachers": ArticleRow(
        TABLE_4, pgettext_lazy("row of the article's tables", "Developing teachers")
    ),
    "development.students": ArticleRow(
        TABLE_4, pgettext_lazy("row of the article's tables", "Developing students")
    ),
    "capital.network": ArticleRow(
        TABLE_5, pgettext_lazy("row of the article's tables", "Strengthening the network")
    ),
    "capital.innovation": ArticleRow(
        TABLE_5, pgettext_lazy("row of the article's tables", "New innovative solutions")
    ),
    "capital.financial": ArticleRow(
        TABLE_5, pgettext_lazy("row of the article's tables", "Cost reduction")
    ),
    "capital.curriculum": ArticleRow(
        TABLE_5, pgettext_lazy("row of the article's tables", "Up-to-date curriculum")
    ),
    "societal.quality": ArticleRow(
        TABLE_6, pgettext_lazy("row of the article's tables", "Better education/better care")
    ),
    "societal.educating-students": ArticleRow(
        TABLE_6, pgettext_lazy("row of the article's tables", "CSR by educating students")
    ),
}
ROW_ORDER = {code: index for index, code in enumerate(ARTICLE_ROWS)}
NOT_IN_THE_ARTICLE = gettext_lazy("Not in the article's tables")


def article_row(code: str) -> ArticleRow | None:
    return ARTICLE_ROWS.get(code)


def article_groups(rows: list) -> list:
    """[(title, [(motive, marks), ...]), ...]: the article's Tables 3-6 in its row order,
    then the catalogue's other motives (in catalogue order) under one heading."""
    groups: list[tuple[str | Promise, list[Any]]] = []
    for table in TABLES:
        own = [row for row in rows if (r := article_row(row[0].code)) and r.table == table]
        own.sort(key=lambda row: ROW_ORDER[row[0].code])
        if own:
            groups.append((table.title, own))
    rest = [row for row in rows if article_row(row[0].code) is None]
    if rest:
        groups.append((NOT_IN_THE_ARTICLE, rest))
    return groups
