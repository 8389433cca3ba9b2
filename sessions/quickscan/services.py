"""Quick Scans (workshop mode): create one, answer it from a phone, close it, count.

A facilitator shows a short link and QR code; everyone in the room ticks, for the
education side and for the practice side, which of the four clusters play a role
in one learning community they have in mind. Participants have no account: a
browser is known by a random id in a signed cookie, and only a SHA-256 of that id
(together with the scan) is stored, so answers are neither personal nor linkable
between scans.

Keyword-only, one transaction each. Built for a conference hall (1,000 phones in a
minute): an answer is upserted per browser and takes only a *shared* lock on the
scan row (``FOR KEY SHARE``, the lock PostgreSQL's foreign key check takes anyway),
so answers never wait for each other. Closing takes ``FOR UPDATE``, which waits for
the answers in flight and makes every later one see the scan closed: a closing scan
cannot take one more answer. The projector's version is not a column that every
answer bumps (that made every answer wait on one row lock): it is ``live_version``,
the scan's own version (raised on closing) with a random token in the cache that every
committed answer replaces. A lost cache gives a new token, so the projector reloads
once. The projector's HTML is built once per version and shared by every poll
(``sessions.quickscan.live``). Counting takes two queries, whatever the number of answers.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from motives.models import Cluster, Motive
from sessions.lifecycle import services as lifecycle
from sessions.models import (
    QUICK_SCAN_CODE_ALPHABET,
    QUICK_SCAN_CODE_LENGTH,
    QUICK_SCAN_OPEN_ANSWER_MAX_LENGTH,
    QUICK_SCAN_TITLE_MAX_LENGTH,
    DialogueSession,
    QuickScan,
    QuickScanResponse,
    QuickScanSide,
)
from sessions.policy import people
from sms_tool.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from partnerships.models import LearningCommunity, Organisation, User

CODE_ATTEMPTS = 10


class QuickScanClosed(DomainError):
    """The scan was closed: no answer can be given or changed any more."""


def new_code() -> str:
    """A random short code from an alphabet without look-alike characters."""
    return "".join(secrets.choice(QUICK_SCAN_CODE_ALPHABET) for _i in range(QUICK_SCAN_CODE_LENGTH))


def normalise_code(code: object) -> str:
    """Codes are read from a screen and typed: case and surrounding spaces do not matter."""
    return str(code or "").strip().upper()


def looks_like_a_code(code: str) -> bool:
    """Whether ``code`` (normalised) could be a scan's code; anything else is not looked up."""
    return 0 < len(code) <= 8 and set(code) <= set(QUICK_SCAN_CODE_ALPHABET)


def hash_browser_key(scan: QuickScan, browser_key: str) -> str:
    """What is stored of a browser's random id: a hash, different for every scan."""
    return hashlib.sha256(f"{scan.pk}:{browser_key}".encode()).hexdigest()


def clusters_in_order() -> list[Cluster]:
    """The clusters of the catalogue, each with its active motives (two queries)."""
    motives = Motive.objects.active().order_by("order", "code")
    return list(
        Cluster.objects.order_by("order", "code").prefetch_related(
            Prefetch("motives", queryset=motives, to_attr="active_motives")
        )
    )


# --- writes ---------------------------------------------------------------------


@transaction.atomic
def quickscan_create(
    *,
    by: User,
    title: str | None,
    community: LearningCommunity | None = None,
    hide_results: bool = False,
) -> QuickScan:
    """A new open Quick Scan owned by ``by``, with a fresh short code.

    ``community``, if given, must be one ``by`` coordinates; ``hide_results`` keeps the
    results hidden until ``quickscan_reveal``.
    """
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the Quick Scan a title."), field="title")
    if len(title) > QUICK_SCAN_TITLE_MAX_LENGTH:
        raise DomainError(
            _("The title is too long: at most %(limit)d characters, now %(length)d.")
            % {"limit": QUICK_SCAN_TITLE_MAX_LENGTH, "length": len(title)},
            field="title",
        )
    if not people.can_run_quick_scans(by):
        raise DomainError(
            _("Only facilitators and coordinators can start a Quick Scan."), field="title"
        )
    if community is not None and not people.quick_scan_communities(by).filter(pk=community.pk):
        raise DomainError(
            _("Choose a learning community you coordinate, or none."), field="community"
        )
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return QuickScan.objects.create(
                    title=title,
                    code=new_code(),
                    created_by=by,
                    community=community,
                    hide_results=bool(hide_results),
                )
        except IntegrityError:
            continue  # the code was taken: draw another one
    raise DomainError(_("No free short code was found. Please try again."))


def _clean_clusters(codes: Iterable[object] | None, known: Sequence[str], field: str) -> list[str]:
    chosen = {str(code) for code in codes or ()}
    unknown = sorted(chosen - set(known))
    if unknown:
        raise DomainError(
            _("“%(code)s” is not one of the clusters of the Quick Scan.") % {"code": unknown[0]},
            field=field,
        )
    return [code for code in known if code in chosen]  # catalogue order, no duplicates


def _clean_open_answers(
    answers: Mapping[str, object] | None, known: Sequence[str]
) -> dict[str, str]:
    """Per cluster the open answer, stripped; empty ones left out. Too long or NUL: refused."""
    cleaned: dict[str, str] = {}
    for code, value in (answers or {}).items():
        if str(code) not in known:
            raise DomainError(
                _("“%(code)s” is not one of the clusters of the Quick Scan.") % {"code": code},
                field="open_answers",
            )
        text = " ".join(str(value or "").split())
        if "\x00" in text:
            raise DomainError(
                _("The text contains a NUL character, which cannot be stored. Nothing was saved."),
                field=f"open_{code}",
            )
        if len(text) > QUICK_SCAN_OPEN_ANSWER_MAX_LENGTH:
            raise DomainError(
                _("The answer is too long: at most %(limit)d characters, now %(length)d.")
                % {"limit": QUICK_SCAN_OPEN_ANSWER_MAX_LENGTH, "length": len(text)},
                field=f"open_{code}",
            )
        if text:
            cleaned[str(code)] = text
    return {code: cleaned[code] for code in known if code in cleaned}


def _share_open(scan: QuickScan) -> None:
    """The scan's state under a shared lock: answers do not wait for each other, a closing
    scan (``FOR UPDATE``) waits for them, and an answer after it sees the scan closed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT closed_at FROM {QuickScan._meta.db_table} WHERE id = %s FOR KEY SHARE",  # noqa: S608 - our own table name
                [scan.pk],
            )
            row = cursor.fetchone()
        closed = row is None or row[0] is not None
    else:  # SQLite: writers queue anyway
        closed = QuickScan.objects.filter(pk=scan.pk, closed_at__isnull=True).count() == 0
    if closed:
        raise QuickScanClosed(
            _("This Quick Scan is closed: answers can no longer be given or changed.")
        )


def _bump(locked: QuickScan, given: QuickScan) -> None:
    locked.version += 1
    locked.save(update_fields=["version", "closed_at", "revealed_at"])
    given.version, given.closed_at = locked.version, locked.closed_at
    given.revealed_at = locked.revealed_at
    _changed(locked)


# --- the projector's version ----------------------------------------------------------

CHANGE_TIMEOUT = 60 * 60 * 24


def _change_key(scan_pk: int) -> str:
    return f"quickscan:change:{scan_pk}"


def _changed(scan: QuickScan) -> None:
    """A new random token now and another after the commit.

    The second one is what makes it right: a projector that read the first token before
    the commit may have built (and shared) results without this answer; the token after
    the commit makes every projector build them once more, with it.
    """
    key = _change_key(scan.pk)
    cache.set(key, secrets.token_hex(6), CHANGE_TIMEOUT)
    transaction.on_commit(lambda: cache.set(key, secrets.token_hex(6), CHANGE_TIMEOUT))


def live_version(scan: QuickScan) -> str:
    """What the projector compares: the scan's version and the token of its last answer.

    One cache read. Without a token (none yet, or the cache was emptied) a new one is
    made, so a projector holding an old version reloads once rather than missing an answer.
    """
    key = _change_key(scan.pk)
    token = cache.get(key)
    if token is None:
        cache.add(key, secrets.token_hex(6), CHANGE_TIMEOUT)
        token = cache.get(key) or "0"
    return f"{scan.version}.{token}"


@transaction.atomic
def quickscan_respond(
    *,
    scan: QuickScan,
    browser_key: str | None,
    side: str,
    education_clusters: Iterable[object] | None,
    practice_clusters: Iterable[object] | None,
    open_answers: Mapping[str, object] | None = None,
) -> tuple[QuickScanResponse, bool]:
    """Save one browser's answer: a new one, or a change of its earlier answer.

    ``browser_key`` is the browser's random id as read from its cookie; only its
    hash is stored. Returns ``(response, created)``.
    """
    if not browser_key:
        raise ValueError("a browser key is needed to tell participants apart")
    _share_open(scan)
    if side not in QuickScanSide.values:
        raise DomainError(
            _("Say which side you are from: education, practice or other."), field="side"
        )
    known = list(Cluster.objects.order_by("order", "code").values_list("code", flat=True))
    education = _clean_clusters(education_clusters, known, "education_clusters")
    practice = _clean_clusters(practice_clusters, known, "practice_clusters")
    texts = _clean_open_answers(open_answers, known)
    response, created = QuickScanResponse.objects.update_or_create(
        scan_id=scan.pk,
        browser_key=hash_browser_key(scan, browser_key),
        defaults={
            "side": side,
            "education_clusters": education,
            "practice_clusters": practice,
            "open_answers": texts,
        },
    )
    _changed(scan)
    return response, created


@transaction.atomic
def quickscan_close(*, scan: QuickScan, by: User) -> QuickScan:
    """No more answers; the results stay as they are."""
    locked = QuickScan.objects.select_for_update().get(pk=scan.pk)  # waits for answers in flight
    if not people.can_manage_quick_scan(by, locked):
        raise DomainError(_("Only the person who started this Quick Scan can close it."))
    if locked.closed_at is not None:
        raise DomainError(_("This Quick Scan was already closed."))
    locked.closed_at = timezone.now()
    _bump(locked, scan)
    return scan


@transaction.atomic
def quickscan_delete(*, scan: QuickScan, by: User) -> int:
    """Remove the scan with every answer (also the open texts); returns how many answers."""
    locked = QuickScan.objects.select_for_update(no_key=True).get(pk=scan.pk)
    if not people.can_manage_quick_scan(by, locked):
        raise DomainError(_("Only the person who started this Quick Scan can delete it."))
    answers = locked.responses.count()
    locked.delete()
    return answers


@transaction.atomic
def quickscan_reveal(*, scan: QuickScan, by: User) -> QuickScan:
    """Show the hidden results to the projector (on its next poll) and the participants."""
    # FOR NO KEY UPDATE: two reveals queue, answers (FOR KEY SHARE) never wait for it.
    locked = QuickScan.objects.select_for_update(no_key=True).get(pk=scan.pk)
    if not people.can_manage_quick_scan(by, locked):
        raise DomainError(_("Only the person who started this Quick Scan can reveal its results."))
    if locked.results_shown:
        raise DomainError(_("The results are already shown."))
    locked.revealed_at = timezone.now()
    _bump(locked, scan)
    return scan


@transaction.atomic
def quickscan_start_session(
    *,
    scan: QuickScan,
    by: User,
    title: str | None,
    date: datetime.date | None,
    organisations: Iterable[Organisation],
    facilitators: Iterable[User],
    catalogue: str | None = None,
) -> DialogueSession:
    """A draft session in the scan's learning community, remembered on the scan.

    The scan row is locked ``FOR NO KEY UPDATE``: it does not wait for answers (they take
    ``FOR KEY SHARE``), but two clicks cannot start two sessions.
    """
    locked = (
        QuickScan.objects.select_for_update(no_key=True, of=("self",))
        .select_related("community")
        .get(pk=scan.pk)
    )
    if not people.can_start_session_from_quick_scan(by, locked) or locked.community is None:
        raise DomainError(
            _(
                "Only the owner of this Quick Scan who coordinates its learning community can do this."
            )
        )
    if locked.session_id is not None:
        raise DomainError(_("A session was already started from this Quick Scan."))
    session = lifecycle.session_create(
        community=locked.community,
        by=by,
        title=title,
        date=date,
        organisations=organisations,
        facilitators=facilitators,
        catalogue=catalogue,
    )
    QuickScan.objects.filter(pk=locked.pk).update(session=session)
    scan.session = session
    return session


# --- reads ----------------------------------------------------------------------


def response_for(scan: QuickScan, browser_key: str | None) -> QuickScanResponse | None:
    """This browser's answer to the scan, or None."""
    if not browser_key:
        return None
    return QuickScanResponse.objects.filter(
        scan=scan, browser_key=hash_browser_key(scan, browser_key)
    ).first()


@dataclass(frozen=True)
class ClusterCount:
    cluster: Cluster
    education: int  # participants who ticked it for the education side
    practice: int  # ... and for the practice side


@dataclass(frozen=True)
class SideCount:
    side: str
    label: StrOrPromise
    count: int  # participants who said they are from this side


@dataclass(frozen=True)
class CrossTabCell:
    count: int  # respondents of this group who ticked the cluster
    n: int  # respondents in the group

    @property
    def percent(self) -> int | None:
        """The share in whole percent; None when the group has no respondents."""
        return round(self.count * 100 / self.n) if self.n else None


@dataclass(frozen=True)
class CrossTabRow:
    """One cluster, per column of the sheet, as education and practice respondents ticked it."""

    cluster: Cluster
    education_by_education: CrossTabCell  # "Onderwijs" column, ticked by education people
    education_by_practice: CrossTabCell  # "Onderwijs" column, ticked by practice people
    practice_by_education: CrossTabCell  # "Werkveldpartner(s)" column, by education people
    practice_by_practice: CrossTabCell  # "Werkveldpartner(s)" column, by practice people

    @property
    def cells(self) -> tuple[CrossTabCell, CrossTabCell, CrossTabCell, CrossTabCell]:
        """The four cells in the order of the table's columns."""
        return (
            self.education_by_education,
            self.education_by_practice,
            self.practice_by_education,
            self.practice_by_practice,
        )


@dataclass(frozen=True)
class QuickScanCounts:
    total: int
    clusters: list[ClusterCount]  # [ClusterCount] in catalogue order
    sides: list[SideCount]  # [SideCount] in the order of QuickScanSide
    cross_tab: list[CrossTabRow] = field(default_factory=list)  # catalogue order
    education_respondents: int = 0
    practice_respondents: int = 0
    # Per cluster code, the open answers ("which motive exactly?") in order of arrival.
    open_answers: dict[str, list[str]] = field(default_factory=dict)


def quickscan_counts(scan: QuickScan) -> QuickScanCounts:
    """Per cluster, how many participants ticked it for each side; who answered; the
    cross-tab of education and practice respondents; the open answers per cluster.

    Two queries (the clusters and the answers), whatever the number of answers.
    """
    clusters = list(Cluster.objects.order_by("order", "code"))
    education, practice, sides = Counter[str](), Counter[str](), Counter[str]()
    ticks: dict[tuple[str, str], Counter[str]] = {
        (str(respondent), column): Counter[str]()
        for respondent in (QuickScanSide.EDUCATION, QuickScanSide.PRACTICE)
        for column in ("education", "practice")
    }
    texts: dict[str, list[str]] = {cluster.code: [] for cluster in clusters}
    total = 0
    rows = scan.responses.order_by("created_at", "id").values_list(
        "side", "education_clusters", "practice_clusters", "open_answers"
    )
    for side, education_codes, practice_codes, open_answers in rows:
        total += 1
        sides[side] += 1
        education_set, practice_set = set(education_codes or ()), set(practice_codes or ())
        education.update(education_set)
        practice.update(practice_set)
        if (side, "education") in ticks:
            ticks[side, "education"].update(education_set)
            ticks[side, "practice"].update(practice_set)
        for code, text in (open_answers or {}).items():
            if code in texts and text:
                texts[code].append(str(text))
    n_education, n_practice = sides[QuickScanSide.EDUCATION], sides[QuickScanSide.PRACTICE]

    def cell(respondent: str, column: str, code: str) -> CrossTabCell:
        n = n_education if respondent == QuickScanSide.EDUCATION else n_practice
        return CrossTabCell(ticks[respondent, column][code], n)

    return QuickScanCounts(
        total=total,
        clusters=[
            ClusterCount(cluster, education[cluster.code], practice[cluster.code])
            for cluster in clusters
        ],
        sides=[SideCount(value, label, sides[value]) for value, label in QuickScanSide.choices],
        cross_tab=[
            CrossTabRow(
                cluster,
                cell(QuickScanSide.EDUCATION, "education", cluster.code),
                cell(QuickScanSide.PRACTICE, "education", cluster.code),
                cell(QuickScanSide.EDUCATION, "practice", cluster.code),
                cell(QuickScanSide.PRACTICE, "practice", cluster.code),
            )
            for cluster in clusters
        ],
        education_respondents=n_education,
        practice_respondents=n_practice,
        open_answers=texts,
    )


def quickscan_table(scan: QuickScan) -> tuple[list[str], Iterator[list[str | int]]]:
    """The header and one row per answer: the side, 0/1 per side per cluster, the open
    answers per cluster, times. Nothing personal: no browser key, no address. Times in
    ISO 8601, local time. Text is not yet made safe for a spreadsheet (the writers do it).
    """
    codes = list(Cluster.objects.order_by("order", "code").values_list("code", flat=True))
    header = [
        "side",
        *(f"education_{code}" for code in codes),
        *(f"practice_{code}" for code in codes),
        *(f"open_{code}" for code in codes),
        "submitted_at",
        "updated_at",
    ]

    def rows() -> Iterator[list[str | int]]:
        for response in scan.responses.order_by("created_at", "id"):
            education = set(response.education_clusters or ())
            practice = set(response.practice_clusters or ())
            texts = response.open_answers or {}
            yield [
                response.side,
                *(int(code in education) for code in codes),
                *(int(code in practice) for code in codes),
                *(str(texts.get(code, "")) for code in codes),
                timezone.localtime(response.created_at).isoformat(timespec="seconds"),
                timezone.localtime(response.updated_at).isoformat(timespec="seconds"),
            ]

    return header, rows()


def quickscan_csv_rows(scan: QuickScan) -> Iterator[Sequence[str | int]]:
    """The table as CSV rows, header first."""
    header, rows = quickscan_table(scan)
    yield header
    yield from rows
