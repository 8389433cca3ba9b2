"""The Quick Scan's open answers of one cluster as a word cloud: an SVG drawn on the server.

Words are counted without case, without stop words (Dutch and English) and
without words shorter than three letters; the ``TOP`` most frequent ones are laid
out in lines, most frequent first, each sized by its count (smaller where a long word
would not fit its line otherwise: it is cut only below the smallest size). The picture is a
summary only: the template shows the same words with their counts as a list, so
nothing depends on seeing it. Every word goes through ``sessions.charts.svg``,
which escapes it, before the picture is marked safe.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sessions.charts import svg

TOP = 20
WIDTH = 400
MIN_SIZE = 14
MAX_SIZE = 36
LINE_GAP = 10
PADDING = 12
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
MIN_LETTERS = 3
COLOURS = (svg.EDUCATION_FILL, svg.PRACTICE_INK, svg.INK)
# Bold DejaVu Sans is wider than the average the bar charts wrap with; a generous guess
# and a fixed gap keep neighbouring words apart without measuring them.
CHAR_WIDTH = 0.68
GAP = 16


def _width(word: str, size: float) -> float:
    return len(word) * size * CHAR_WIDTH + GAP


STOP_WORDS = frozenset(
    [
        "aan",
        "al",
        "alle",
        "als",
        "andere",
        "bij",
        "daar",
        "dan",
        "dat",
        "de",
        "deze",
        "die",
        "dit",
        "doen",
        "door",
        "een",
        "eigen",
        "en",
        "er",
        "geen",
        "het",
        "hier",
        "hoe",
        "hun",
        "ik",
        "in",
        "is",
        "je",
        "jij",
        "kan",
        "kunnen",
        "maar",
        "meer",
        "met",
        "mijn",
        "naar",
        "niet",
        "nog",
        "of",
        "om",
        "omdat",
        "onder",
        "ons",
        "onze",
        "ook",
        "op",
        "over",
        "te",
        "tot",
        "uit",
        "van",
        "veel",
        "voor",
        "waar",
        "wat",
        "we",
        "wel",
        "wij",
        "worden",
        "wordt",
        "zij",
        "zijn",
        "zo",
        "zoals",
        "zich",
        "about",
        "after",
        "all",
        "also",
        "and",
        "any",
        "are",
        "because",
        "but",
        "can",
        "for",
        "from",
        "has",
        "have",
        "how",
        "into",
        "its",
        "more",
        "not",
        "our",
        "out",
        "that",
        "the",
        "their",
        "them",
        "there",
        "these",
        "they",
        "this",
        "was",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def word_counts(texts: Iterable[str], *, top: int = TOP) -> list[tuple[str, int]]:
    """The ``top`` most frequent words (lower case, no stop words), ties alphabetical."""
    counts = Counter[str]()
    for text in texts:
        for match in WORD.finditer(str(text).casefold()):
            word = match.group(0)
            if len(word) >= MIN_LETTERS and word not in STOP_WORDS:
                counts[word] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def _size(count: int, highest: int, lowest: int) -> float:
    if highest == lowest:
        return (MIN_SIZE + MAX_SIZE) / 2
    return MIN_SIZE + (MAX_SIZE - MIN_SIZE) * (count - lowest) / (highest - lowest)


def _fitting_size(word: str, size: float, room: float) -> float:
    """``size``, or smaller so that the whole word fits on a line (Dutch compounds such as
    "samenwerkingsverband" are long); never below ``MIN_SIZE``, where a word longer than
    the line is shortened instead."""
    fits = (room - GAP) / (len(word) * CHAR_WIDTH)
    return max(MIN_SIZE, min(size, fits))


def _letters_that_fit(size: float, room: float) -> int:
    """How many letters of ``size`` fit a line; a word sized to fit exactly (above) fits
    whole, though the division may land a hair below its length."""
    return max(3, int((room - GAP) / (size * CHAR_WIDTH) + 1e-6))


def word_cloud(words: list[tuple[str, int]], *, prefix: str, label: str) -> SafeString:
    """The words, most frequent first, in centred lines; font size grows with the count."""
    title = _("Words in the open answers: %(cluster)s") % {"cluster": label}
    if not words:
        return svg.document(
            prefix=prefix,
            width=WIDTH,
            height=60,
            title=title,
            desc=_("No open answers yet."),
            body=svg.text(
                WIDTH / 2, 36, _("No open answers yet."), anchor="middle", fill=svg.MUTED
            ),
        )
    highest, lowest = words[0][1], words[-1][1]
    placed: list[list[tuple[str, int, float]]] = [[]]
    line_width = 0.0
    room = WIDTH - 2 * PADDING
    for full_word, count in words:
        size = _fitting_size(full_word, _size(count, highest, lowest), room)
        word = svg.shorten(full_word, _letters_that_fit(size, room))
        width = _width(word, size)
        if placed[-1] and line_width + width > room:
            placed.append([])
            line_width = 0.0
        placed[-1].append((word, count, size))
        line_width += width
    parts = []
    y = float(PADDING)
    number = 0
    for line in placed:
        tallest = max(size for _word, _count, size in line)
        y += tallest
        widths = [_width(word, size) for word, _count, size in line]
        x = (WIDTH - sum(widths)) / 2
        for (word, _count, size), width in zip(line, widths, strict=True):
            parts.append(
                svg.text(
                    x + width / 2,
                    y,
                    word,
                    size=round(size),
                    anchor="middle",
                    fill=COLOURS[number % len(COLOURS)],
                    weight="bold",
                )
            )
            number += 1
            x += width
        y += LINE_GAP
    desc = ", ".join(
        _("%(word)s (%(count)d)") % {"word": word, "count": count} for word, count in words
    )
    return svg.document(
        prefix=prefix,
        width=WIDTH,
        height=y + PADDING,
        title=title,
        desc=desc,
        body="".join(parts),
    )
