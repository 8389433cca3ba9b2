"""The "sms-tool.session/1" interchange format: validate, import and export one session.

This is a public interface (../shared/domain/INTERCHANGE.md): keys keep their
meaning; extra keys may be added. Every problem is reported as a JSON path plus
what is wrong, and an import either creates everything or nothing.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit
from audit.models import Action
from motives.models import Cluster, Motive, MotiveSource
from partnerships.access import communities_coordinated_by
from partnerships.models import (
    COMMUNITY_DETAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    LearningCommunity,
    Membership,
    Organisation,
    PartnerType,
    Setting,
)
from sessions.models import (
    AGREEMENT_MAX_LENGTH,
    MAX_OFFERS,
    MAX_OTHER_MOTIVES,
    MAX_PARTICIPANTS,
    NOTE_MAX_LENGTH,
    OFFER_MAX_LENGTH,
    OPEN_MOTIVES_MAX_LENGTH,
    OTHER_MOTIVE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    PARTICIPANT_NAME_MAX_LENGTH,
    PRIORITIES,
    REASON_MAX_LENGTH,
    REVIEW_NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Agreement,
    Answer,
    Catalogue,
    Consent,
    ConsentPosition,
    DialogueSession,
    JointMotive,
    Note,
    OrganisationOutcomeReview,
    OtherMotive,
    Participant,
    ParticipantRole,
    Phase,
    Preparation,
    PreparationExtra,
    ReviewStatus,
)

if TYPE_CHECKING:
    import builtins

    from partnerships.models import User

FORMAT = "sms-tool.session/1"
SECTOR_MAX_LENGTH = 100
# The optional Table 1 keys of learning_community (INTERCHANGE.md, "Optional keys").
COMMUNITY_DETAIL_KEYS = ("other_partners", "size", "programme_place")
MISSING = object()


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InterchangeError(Exception):
    """The input is not a valid session; ``problems`` says where and why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


class _Reader:
    """Walks the parsed JSON, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def field(
        self, obj: Any, key: str, path: str, *, required: bool = True, default: Any = None
    ) -> Any:
        if not isinstance(obj, dict):
            return MISSING
        if key not in obj:
            if required:
                self.problem(f"{path}.{key}" if path else key, _("is missing"))
                return MISSING
            return default
        return obj[key]

    def object(self, obj: Any, key: str, path: str, *, required: bool = True) -> Any:
        value = self.field(obj, key, path, required=required, default=None)
        where = f"{path}.{key}" if path else key
        if value is MISSING or (value is None and not required):
            return MISSING if required else None
        if not isinstance(value, dict):
            self.problem(where, _("must be an object, not %(type)s") % {"type": _type_name(value)})
            return MISSING
        return value

    def list(self, obj: Any, key: str, path: str, *, required: bool = False) -> Any:
        value = self.field(obj, key, path, required=required, default=[])
        if value is MISSING:
            return []
        if not isinstance(value, list):
            where = f"{path}.{key}" if path else key
            self.problem(where, _("must be a list, not %(type)s") % {"type": _type_name(value)})
            return []
        return value

    def text(
        self,
        obj: Any,
        key: str,
        path: str,
        *,
        required: bool = True,
        max_length: int,
        allow_blank: bool = True,
        default: str = "",
    ) -> Any:
        value = self.field(obj, key, path, required=required, default=default)
        where = f"{path}.{key}"
        if value is MISSING:
            return MISSING
        if value is None and not required:
            return default
        if not isinstance(value, str):
            self.problem(where, _("must be text, not %(type)s") % {"type": _type_name(value)})
            return MISSING
        if "\x00" in value:
            self.problem(where, _("contains a NUL character, which cannot be stored"))
            return MISSING
        if len(value) > max_length:
            self.problem(
                where,
                _("is %(length)d characters long; at most %(max)d are allowed")
                % {"length": len(value), "max": max_length},
            )
            return MISSING
        if not allow_blank and not value.strip():
            self.problem(where, _("must not be empty"))
            return MISSING
        return value

    def choice(
        self, obj: Any, key: str, path: str, choices: Sequence[str], *, required: bool = True
    ) -> Any:
        value = self.field(obj, key, path, required=required, default=None)
        where = f"{path}.{key}"
        if value is MISSING:
            return MISSING
        if value not in choices:
            allowed = ", ".join(f'"{choice}"' for choice in choices)
            self.problem(
                where,
                _("must be one of %(allowed)s, not %(value)s")
                % {"allowed": allowed, "value": _repr(value)},
            )
            return MISSING
        return value

    def boolean(
        self,
        obj: Any,
        key: str,
        path: str,
        *,
        required: bool = False,
        default: bool = False,
        allow_null: bool = False,
    ) -> Any:
        value = self.field(obj, key, path, required=required, default=default)
        if value is MISSING or (value is None and allow_null):
            return value
        if not isinstance(value, bool):
            self.problem(
                f"{path}.{key}",
                _("must be true or false, not %(value)s") % {"value": _repr(value)},
            )
            return MISSING
        return value

    def date(self, obj: Any, key: str, path: str, *, required: bool = False) -> Any:
        value = self.field(obj, key, path, required=required, default=None)
        if value is MISSING or value is None:
            return value
        where = f"{path}.{key}"
        if not isinstance(value, str):
            self.problem(
                where,
                _("must be a date as text (YYYY-MM-DD), not %(type)s")
                % {"type": _type_name(value)},
            )
            return MISSING
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.problem(
                where, _("%(value)s is not a valid date (YYYY-MM-DD)") % {"value": _repr(value)}
            )
            return MISSING

    def year(self, obj: Any, key: str, path: str) -> Any:
        value = self.field(obj, key, path, required=False, default=None)
        if value is None or value is MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            self.problem(
                f"{path}.{key}",
                _("must be a year between 1900 and 2100, not %(value)s") % {"value": _repr(value)},
            )
            return MISSING
        return value

    def people(self, obj: Any, key: str, path: str) -> builtins.list[dict[str, str]]:
        people = []
        seen = set()
        for index, item in enumerate(self.list(obj, key, path)):
            where = f"{path}.{key}[{index}]"
            if not isinstance(item, dict):
                self.problem(
                    where, _("must be an object, not %(type)s") % {"type": _type_name(item)}
                )
                continue
            email = self.text(item, "email", where, max_length=254, allow_blank=False)
            name = self.text(item, "name", where, required=False, max_length=NAME_MAX_LENGTH)
            if email is MISSING:
                continue
            email = email.strip().lower()
            try:
                validate_email(email)
            except ValidationError:
                self.problem(
                    f"{where}.email",
                    _("%(value)s is not an e-mail address") % {"value": _repr(email)},
                )
                continue
            if email in seen:
                self.problem(
                    f"{where}.email", _("%(value)s is listed twice") % {"value": _repr(email)}
                )
                continue
            seen.add(email)
            people.append({"email": email, "name": "" if name is MISSING else name})
        return people


def _repr(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"


def parse(data: Any, *, community: LearningCommunity | None = None) -> dict[str, Any]:
    """Validate parsed JSON; return a clean dict or raise InterchangeError with every problem.

    ``community`` is the learning community the file will be imported into, when the
    caller has decided it (the import page); otherwise the file's community, matched
    by name, as ``import_session`` does.
    """
    target = community
    reader = _Reader()
    if not isinstance(data, dict):
        raise InterchangeError(
            [Problem("$", _("must be an object, not %(type)s") % {"type": _type_name(data)})]
        )
    fmt = reader.field(data, "format", "")
    if fmt is not MISSING and fmt != FORMAT:
        reader.problem(
            "format",
            _('must be "%(format)s", not %(value)s') % {"format": FORMAT, "value": _repr(fmt)},
        )

    motives = {motive.code: motive for motive in Motive.objects.select_related("cluster")}
    clusters = {cluster.code: cluster for cluster in Cluster.objects.all()}

    clean: dict[str, Any] = {}
    community = reader.object(data, "learning_community", "")
    if community is not MISSING:
        path = "learning_community"
        clean["community"] = {
            "name": reader.text(
                community, "name", path, max_length=NAME_MAX_LENGTH, allow_blank=False
            ),
            "sector": reader.text(
                community, "sector", path, required=False, max_length=SECTOR_MAX_LENGTH
            ),
            "setting": reader.choice(community, "setting", path, Setting.values),
            "start_year": reader.year(community, "start_year", path),
            "coordinators": reader.people(community, "coordinators", path),
            # Optional; absent means nobody agreed (files from before the key existed).
            "research_consent": reader.boolean(community, "research_consent", path),
            # Optional, Table 1 of the article; absent or null means not recorded.
            **{
                key: reader.text(
                    community, key, path, required=False, max_length=COMMUNITY_DETAIL_MAX_LENGTH
                )
                for key in COMMUNITY_DETAIL_KEYS
            },
        }

    session = reader.object(data, "session", "")
    if session is not MISSING:
        path = "session"
        clean["session"] = {
            "title": reader.text(
                session, "title", path, max_length=TITLE_MAX_LENGTH, allow_blank=False
            ),
            "date": reader.date(session, "date", path),
            "phase": reader.choice(session, "phase", path, Phase.values),
            "facilitators": reader.people(session, "facilitators", path),
        }
        # Optional: a file from before the choice existed (or with null) holds the
        # extended catalogue.
        catalogue = session.get("catalogue") if isinstance(session, dict) else None
        clean["session"]["catalogue"] = (
            Catalogue.EXTENDED
            if catalogue is None
            else reader.choice(session, "catalogue", path, Catalogue.values)
        )

    organisations = []
    seen_names: dict[str, int] = {}
    for index, org in enumerate(reader.list(data, "organisations", "", required=True)):
        path = f"organisations[{index}]"
        if not isinstance(org, dict):
            reader.problem(path, _("must be an object, not %(type)s") % {"type": _type_name(org)})
            continue
        name = reader.text(org, "name", path, max_length=NAME_MAX_LENGTH, allow_blank=False)
        if name is not MISSING:
            key = name.strip().casefold()
            if key in seen_names:
                reader.problem(
                    f"{path}.name",
                    _("organisation %(name)s appears twice (also at organisations[%(other)d])")
                    % {"name": _repr(name), "other": seen_names[key]},
                )
            else:
                seen_names[key] = index
        partner_type = reader.choice(org, "partner_type", path, PartnerType.values)
        answers = []
        answered = set()
        priorities: dict[int, str] = {}
        for a_index, answer in enumerate(reader.list(org, "answers", path)):
            a_path = f"{path}.answers[{a_index}]"
            if not isinstance(answer, dict):
                reader.problem(
                    a_path, _("must be an object, not %(type)s") % {"type": _type_name(answer)}
                )
                continue
            code = reader.field(answer, "motive", a_path)
            motive = None
            if code is not MISSING:
                motive = motives.get(code) if isinstance(code, str) else None
                if motive is None:
                    reader.problem(
                        f"{a_path}.motive",
                        _("unknown motive code %(code)s") % {"code": _repr(code)},
                    )
                elif code in answered:
                    reader.problem(
                        f"{a_path}.motive",
                        _("motive %(code)s is answered twice") % {"code": _repr(code)},
                    )
                elif (
                    clean.get("session", {}).get("catalogue") == Catalogue.COMPACT
                    and motive.source != MotiveSource.FORMAT
                ):
                    reader.problem(
                        f"{a_path}.motive",
                        _(
                            "motive %(code)s is not in the compact format "
                            '(session.catalogue is "compact")'
                        )
                        % {"code": _repr(code)},
                    )
                    motive = None
                elif partner_type is not MISSING and not motive.offered_to(partner_type):
                    reader.problem(
                        f"{a_path}.motive",
                        _("motive %(code)s is not offered to %(type)s partners")
                        % {"code": _repr(code), "type": partner_type},
                    )
                    motive = None
                if isinstance(code, str):  # a list or an object as the code is not hashable
                    answered.add(code)
            applies = reader.boolean(answer, "applies", a_path, required=True, allow_null=True)
            outcome = reader.text(
                answer, "intended_outcome", a_path, required=False, max_length=OUTCOME_MAX_LENGTH
            )
            priority = _priority(reader, answer, a_path, applies, priorities)
            if motive is not None:
                answers.append(
                    {
                        "motive": motive,
                        "applies": applies,
                        "intended_outcome": outcome,
                        "priority": priority,
                    }
                )
        others = []
        other_list = reader.list(org, "other_motives", path)
        if len(other_list) > MAX_OTHER_MOTIVES:
            reader.problem(
                f"{path}.other_motives",
                _("has %(count)d entries; at most %(max)d are allowed")
                % {"count": len(other_list), "max": MAX_OTHER_MOTIVES},
            )
        for o_index, other in enumerate(other_list[:MAX_OTHER_MOTIVES]):
            o_path = f"{path}.other_motives[{o_index}]"
            if not isinstance(other, dict):
                reader.problem(
                    o_path, _("must be an object, not %(type)s") % {"type": _type_name(other)}
                )
                continue
            others.append(
                {
                    "cluster": _cluster(reader, other, o_path, clusters),
                    "text": reader.text(
                        other, "text", o_path, max_length=OTHER_MOTIVE_MAX_LENGTH, allow_blank=False
                    ),
                    "intended_outcome": reader.text(
                        other,
                        "intended_outcome",
                        o_path,
                        required=False,
                        max_length=OUTCOME_MAX_LENGTH,
                    ),
                }
            )
        organisations.append(
            {
                "path": path,
                "name": name,
                "partner_type": partner_type,
                "members": reader.people(org, "members", path),
                "submitted": reader.boolean(org, "submitted", path),
                "answers": answers,
                "other_motives": others,
                **_organisation_extras(reader, org, path, motives),
            }
        )
    clean["organisations"] = organisations
    org_names = {
        org["name"].strip().casefold(): org["name"]
        for org in organisations
        if isinstance(org["name"], str)
    }

    joint = []
    for index, item in enumerate(reader.list(data, "joint_motives", "")):
        path = f"joint_motives[{index}]"
        if not isinstance(item, dict):
            reader.problem(path, _("must be an object, not %(type)s") % {"type": _type_name(item)})
            continue
        code = reader.field(item, "motive", path, required=False, default=None)
        motive = None
        if code is not None and code is not MISSING:
            motive = motives.get(code) if isinstance(code, str) else None
            if motive is None:
                reader.problem(
                    f"{path}.motive", _("unknown motive code %(code)s") % {"code": _repr(code)}
                )
        text = reader.text(item, "text", path, required=False, max_length=OTHER_MOTIVE_MAX_LENGTH)
        if code is None and text is not MISSING and not text.strip():
            reader.problem(path, _("needs a catalogue motive or a text"))
        joint.append(
            {
                "motive": motive,
                "text": text,
                "intended_outcome": reader.text(
                    item, "intended_outcome", path, required=False, max_length=OUTCOME_MAX_LENGTH
                ),
                "votes": _votes(reader, item, path),
                "consent": _consents(reader, item, path, org_names),
            }
        )
    clean["joint_motives"] = joint

    agreements = []
    for index, item in enumerate(reader.list(data, "agreements", "")):
        path = f"agreements[{index}]"
        if not isinstance(item, dict):
            reader.problem(path, _("must be an object, not %(type)s") % {"type": _type_name(item)})
            continue
        agreements.append(
            {
                "text": reader.text(
                    item, "text", path, max_length=AGREEMENT_MAX_LENGTH, allow_blank=False
                ),
                "owner": reader.text(
                    item, "owner", path, required=False, max_length=OWNER_MAX_LENGTH
                ),
                "due": reader.date(item, "due", path),
                "serves": _serves(reader, item, path, motives, len(joint)),
                "consent": _consents(reader, item, path, org_names),
            }
        )
    clean["agreements"] = agreements

    notes = []
    for index, item in enumerate(reader.list(data, "notes", "")):
        path = f"notes[{index}]"
        if not isinstance(item, dict):
            reader.problem(path, _("must be an object, not %(type)s") % {"type": _type_name(item)})
            continue
        notes.append(
            {
                "cluster": _cluster(reader, item, path, clusters),
                "text": reader.text(
                    item, "text", path, max_length=NOTE_MAX_LENGTH, allow_blank=False
                ),
            }
        )
    clean["notes"] = notes

    if target is None and "community" in clean and isinstance(clean["community"]["name"], str):
        target = LearningCommunity.objects.filter(name__iexact=clean["community"]["name"]).first()
    if target is not None:
        _check_existing_organisations(reader, organisations, target)
    if reader.problems:
        raise InterchangeError(reader.problems)
    return clean


def _priority(
    reader: _Reader, answer: Mapping[str, Any], path: str, applies: Any, taken: dict[int, str]
) -> int | None:
    """``answers[].priority``: 1, 2 or 3, each at most once per organisation, on a motive that applies."""
    value = reader.field(answer, "priority", path, required=False, default=None)
    if value is None or value is MISSING:
        return None
    where = f"{path}.priority"
    if isinstance(value, bool) or value not in PRIORITIES:
        reader.problem(where, _("must be 1, 2 or 3, not %(value)s") % {"value": _repr(value)})
        return None
    if value in taken:
        reader.problem(
            where,
            _("priority %(value)d is given twice (also at %(other)s)")
            % {"value": value, "other": taken[value]},
        )
        return None
    taken[value] = where
    if applies is not True:
        reader.problem(where, _("only a motive that applies can have a priority"))
        return None
    return cast(int, value)


def _texts(
    reader: _Reader, obj: Mapping[str, Any], key: str, path: str, *, max_length: int, max_count: int
) -> list[str]:
    """A list of short texts (offers, needs)."""
    items = reader.list(obj, key, path)
    if len(items) > max_count:
        reader.problem(
            f"{path}.{key}",
            _("has %(count)d entries; at most %(max)d are allowed")
            % {"count": len(items), "max": max_count},
        )
        return []
    texts: list[str] = []
    for index, item in enumerate(items):
        where = f"{path}.{key}[{index}]"
        if not isinstance(item, str):
            reader.problem(where, _("must be text, not %(type)s") % {"type": _type_name(item)})
        elif "\x00" in item:
            reader.problem(where, _("contains a NUL character, which cannot be stored"))
        elif len(item) > max_length:
            reader.problem(
                where,
                _("is %(length)d characters long; at most %(max)d are allowed")
                % {"length": len(item), "max": max_length},
            )
        elif item.strip():
            texts.append(item.strip())
    return texts


def _organisation_extras(
    reader: _Reader, org: Mapping[str, Any], path: str, motives: Mapping[str, Motive]
) -> dict[str, Any]:
    """The optional keys of one organisation: participants, open_motives, offers, needs, outcome_reviews."""
    participants: list[dict[str, str]] = []
    items = reader.list(org, "participants", path)
    if len(items) > MAX_PARTICIPANTS:
        reader.problem(
            f"{path}.participants",
            _("has %(count)d entries; at most %(max)d are allowed")
            % {"count": len(items), "max": MAX_PARTICIPANTS},
        )
        items = []
    for index, item in enumerate(items):
        where = f"{path}.participants[{index}]"
        if not isinstance(item, dict):
            reader.problem(where, _("must be an object, not %(type)s") % {"type": _type_name(item)})
            continue
        name = reader.text(
            item, "name", where, max_length=PARTICIPANT_NAME_MAX_LENGTH, allow_blank=False
        )
        role = reader.choice(item, "role", where, ParticipantRole.values)
        if name is not MISSING and role is not MISSING:
            participants.append({"name": name, "role": role})
    reviews: list[dict[str, Any]] = []
    reviewed: set[str] = set()
    for index, item in enumerate(reader.list(org, "outcome_reviews", path)):
        where = f"{path}.outcome_reviews[{index}]"
        if not isinstance(item, dict):
            reader.problem(where, _("must be an object, not %(type)s") % {"type": _type_name(item)})
            continue
        code = reader.field(item, "motive", where)
        motive = motives.get(code) if isinstance(code, str) else None
        if code is not MISSING and motive is None:
            reader.problem(
                f"{where}.motive", _("unknown motive code %(code)s") % {"code": _repr(code)}
            )
        elif motive is not None and code in reviewed:
            reader.problem(
                f"{where}.motive", _("motive %(code)s is reviewed twice") % {"code": _repr(code)}
            )
            motive = None
        status = reader.choice(item, "status", where, ReviewStatus.values)
        evidence = reader.text(
            item, "evidence", where, required=False, max_length=REVIEW_NOTE_MAX_LENGTH
        )
        if motive is not None and status is not MISSING and evidence is not MISSING:
            reviewed.add(code)
            reviews.append({"motive": motive, "status": status, "evidence": evidence})
    open_motives = reader.text(
        org, "open_motives", path, required=False, max_length=OPEN_MOTIVES_MAX_LENGTH
    )
    return {
        "participants": participants,
        "open_motives": "" if open_motives is MISSING else open_motives,
        "offers": _texts(
            reader, org, "offers", path, max_length=OFFER_MAX_LENGTH, max_count=MAX_OFFERS
        ),
        "needs": _texts(
            reader, org, "needs", path, max_length=OFFER_MAX_LENGTH, max_count=MAX_OFFERS
        ),
        "outcome_reviews": reviews,
    }


def _votes(reader: _Reader, item: Mapping[str, Any], path: str) -> int | None:
    value = reader.field(item, "votes", path, required=False, default=None)
    if value is None or value is MISSING:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100000:
        reader.problem(
            f"{path}.votes",
            _("must be a whole number of 0 or more, not %(value)s") % {"value": _repr(value)},
        )
        return None
    return cast(int, value)


def _consents(
    reader: _Reader, item: Mapping[str, Any], path: str, org_names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """``consent``: one position per organisation of the same file."""
    consents: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, entry in enumerate(reader.list(item, "consent", path)):
        where = f"{path}.consent[{index}]"
        if not isinstance(entry, dict):
            reader.problem(
                where, _("must be an object, not %(type)s") % {"type": _type_name(entry)}
            )
            continue
        name = reader.text(
            entry, "organisation", where, max_length=NAME_MAX_LENGTH, allow_blank=False
        )
        position = reader.choice(entry, "position", where, ConsentPosition.values)
        reason = reader.text(entry, "reason", where, required=False, max_length=REASON_MAX_LENGTH)
        if name is MISSING:
            continue
        key = name.strip().casefold()
        if key not in org_names:
            reader.problem(
                f"{where}.organisation",
                _("%(name)s is not one of the organisations of this file") % {"name": _repr(name)},
            )
            continue
        if key in seen:
            reader.problem(
                f"{where}.organisation",
                _("%(name)s has two positions here") % {"name": _repr(name)},
            )
            continue
        seen.add(key)
        if position is MISSING or reason is MISSING:
            continue
        consents.append({"organisation": key, "position": position, "reason": reason})
    return consents


JOINT_REFERENCE = re.compile(r"joint:(0|[1-9][0-9]*)")


def _serves(
    reader: _Reader,
    item: Mapping[str, Any],
    path: str,
    motives: Mapping[str, Motive],
    joint_count: int,
) -> dict[str, Any]:
    """``serves``: catalogue codes, or "joint:N" for the N-th (0-based) joint motive."""
    codes: list[Motive] = []
    joints: list[int] = []
    for index, value in enumerate(reader.list(item, "serves", path)):
        where = f"{path}.serves[{index}]"
        match = JOINT_REFERENCE.fullmatch(value) if isinstance(value, str) else None
        if match:
            number = int(match.group(1))
            if number >= joint_count:
                reader.problem(
                    where,
                    _("%(value)s names no entry of joint_motives (there are %(count)d)")
                    % {"value": _repr(value), "count": joint_count},
                )
            elif number not in joints:
                joints.append(number)
        elif isinstance(value, str) and value in motives:
            if motives[value] not in codes:
                codes.append(motives[value])
        else:
            reader.problem(
                where,
                _('must be a motive code or "joint:N", not %(value)s') % {"value": _repr(value)},
            )
    return {"motives": codes, "joint": joints}


def _cluster(
    reader: _Reader, obj: Any, path: str, clusters: Mapping[str, Cluster]
) -> Cluster | None:
    code = reader.field(obj, "cluster", path, required=False, default=None)
    if code is None or code is MISSING:
        return None
    cluster = clusters.get(code) if isinstance(code, str) else None
    if cluster is None:
        reader.problem(f"{path}.cluster", _("unknown cluster %(code)s") % {"code": _repr(code)})
    return cluster


def _check_existing_organisations(
    reader: _Reader, organisations: Iterable[Mapping[str, Any]], community: LearningCommunity
) -> None:
    """An organisation matched by name keeps its partner type.

    Matching is within the target community only: organisations of other communities
    are never matched, linked or mentioned.
    """
    existing = {org.name.casefold(): org for org in community.organisations.all()}
    for org in organisations:
        if not isinstance(org["name"], str) or org["partner_type"] is MISSING:
            continue
        match = existing.get(org["name"].strip().casefold())
        if match and match.partner_type != org["partner_type"]:
            reader.problem(
                f"{org['path']}.partner_type",
                _(
                    "organisation %(name)s already exists in this learning community as a %(type)s partner"
                )
                % {"name": _repr(match.name), "type": match.partner_type},
            )


@transaction.atomic
def import_session(
    data: Any, *, community: LearningCommunity | None = None, by: User | None = None
) -> DialogueSession:
    """Create a session from interchange data; all or nothing. Returns the new session.

    Without ``community`` (the command line) the file's learning community is matched
    by name and created when missing. With it (the import page) everything goes into
    that community, whatever the file calls it, and the community itself is not changed.
    Organisations are matched by name within the community only. The import page
    names the person importing (``by``): they must coordinate that community, checked
    on its locked row.
    """
    if community is not None and by is not None:
        locked = LearningCommunity.objects.select_for_update().filter(pk=community.pk).first()
        if locked is None or not communities_coordinated_by(by).filter(pk=locked.pk).exists():
            raise InterchangeError(
                [
                    Problem(
                        "$", _("Only a coordinator of this learning community can import into it.")
                    )
                ]
            )
    clean = parse(data, community=community)
    people = people_by_email(clean)

    info = clean["community"]
    if community is None:
        community = LearningCommunity.objects.filter(name__iexact=info["name"]).first()
    if community is None:
        # Consent from the file only for a community the file creates; an existing one
        # keeps its own: an import never grants or withdraws it (docs/interchange.md).
        consent = info["research_consent"]
        community = LearningCommunity.objects.create(
            name=info["name"],
            sector=info["sector"],
            setting=info["setting"],
            start_year=info["start_year"],
            research_consent=consent,
            research_consent_changed_at=timezone.now() if consent else None,
            research_consent_source=LearningCommunity.ConsentSource.IMPORT if consent else "",
            **{key: info[key] or "" for key in COMMUNITY_DETAIL_KEYS},
        )
    community.coordinators.add(*(people[p["email"]] for p in info["coordinators"]))

    info = clean["session"]
    session = DialogueSession.objects.create(
        community=community,
        title=info["title"],
        date=info["date"],
        phase=info["phase"],
        catalogue=info["catalogue"],
    )
    session.facilitators.set([people[p["email"]] for p in info["facilitators"]])

    now = timezone.now()
    existing = {org.name.casefold(): org for org in community.organisations.all()}
    organisations = {}
    for org_data in clean["organisations"]:
        organisation = existing.get(org_data["name"].strip().casefold())
        if organisation is None:
            organisation = Organisation.objects.create(
                community=community, name=org_data["name"], partner_type=org_data["partner_type"]
            )
        for person in org_data["members"]:
            Membership.objects.get_or_create(
                person=people[person["email"]], organisation=organisation
            )
        preparation = Preparation.objects.create(
            session=session,
            organisation=organisation,
            submitted_at=now if org_data["submitted"] else None,
        )
        Answer.objects.bulk_create(
            Answer(preparation=preparation, **answer) for answer in org_data["answers"]
        )
        OtherMotive.objects.bulk_create(
            OtherMotive(preparation=preparation, position=position, **other)
            for position, other in enumerate(org_data["other_motives"], start=1)
        )
        _import_organisation_extras(preparation, org_data)
        organisations[org_data["name"].strip().casefold()] = organisation

    joints = []
    for position, item in enumerate(clean["joint_motives"], start=1):
        fields = {k: v for k, v in item.items() if k != "consent"}
        joint = JointMotive.objects.create(session=session, position=position, **fields)
        joints.append(joint)
        _import_consents(item["consent"], organisations, joint_motive=joint)
    for position, item in enumerate(clean["agreements"], start=1):
        fields = {k: v for k, v in item.items() if k not in ("consent", "serves")}
        agreement = Agreement.objects.create(session=session, position=position, **fields)
        agreement.serves_motives.set(item["serves"]["motives"])
        agreement.serves_joint.set([joints[number] for number in item["serves"]["joint"]])
        _import_consents(item["consent"], organisations, agreement=agreement)
    Note.objects.bulk_create(Note(session=session, **item) for item in clean["notes"])
    audit.record(Action.IMPORT, session=session, organisations=len(clean["organisations"]))
    return session


def _import_organisation_extras(preparation: Preparation, org_data: Mapping[str, Any]) -> None:
    Participant.objects.bulk_create(
        Participant(preparation=preparation, position=position, **person)
        for position, person in enumerate(org_data["participants"], start=1)
    )
    if org_data["open_motives"] or org_data["offers"] or org_data["needs"]:
        PreparationExtra.objects.create(
            preparation=preparation,
            open_motives=org_data["open_motives"],
            offers=org_data["offers"],
            needs=org_data["needs"],
        )
    OrganisationOutcomeReview.objects.bulk_create(
        OrganisationOutcomeReview(preparation=preparation, **review)
        for review in org_data["outcome_reviews"]
    )


def _import_consents(
    consents: Iterable[Mapping[str, Any]],
    organisations: Mapping[str, Organisation],
    **target: JointMotive | Agreement,
) -> None:
    Consent.objects.bulk_create(
        Consent(
            organisation=organisations[entry["organisation"]],
            position=entry["position"],
            reason=entry["reason"],
            **target,
        )
        for entry in consents
    )


def wanted_people(clean: Mapping[str, Any]) -> dict[str, str]:
    """Every person the file names, ``{email: name}``, in the order of first mention."""
    wanted: dict[str, str] = {}
    for person in clean["community"]["coordinators"] + clean["session"]["facilitators"]:
        wanted.setdefault(person["email"], person["name"])
    for org in clean["organisations"]:
        for person in org["members"]:
            wanted.setdefault(person["email"], person["name"])
    return wanted


def existing_people(emails: Iterable[str]) -> dict[str, User]:
    """The accounts of ``emails`` (lower-cased), ``{email: user}``, matched ignoring case."""
    User = get_user_model()
    found = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=list(emails))
    return {user.email_lower: user for user in found}


def people_by_email(clean: Mapping[str, Any]) -> dict[str, User]:
    """The people of the file: existing accounts are reused as they are, missing ones created.

    An existing account is never changed by an import (not even an empty name filled
    in): it may belong to someone of another learning community.
    """
    wanted = wanted_people(clean)
    people = existing_people(wanted)
    User = get_user_model()
    for email, name in wanted.items():
        if email not in people:
            people[email] = User.objects.create_user(email=email, name=name)
    return people


def _person(user: User) -> dict[str, str]:
    return {"email": user.email, "name": user.name}


def export_session(session: DialogueSession) -> dict[str, Any]:
    """The session as interchange data, in a stable order (equal after a round trip)."""
    session = (
        DialogueSession.objects.select_related("community")
        .prefetch_related("community__coordinators", "facilitators")
        .get(pk=session.pk)
    )
    preparations = (
        Preparation.objects.filter(session=session)
        .select_related("organisation")
        .prefetch_related(
            "organisation__members",
            "answers__motive__cluster",
            "other_motives__cluster",
            "participants",
            "outcome_reviews__motive__cluster",
        )
        .select_related("extra")
    )
    community = session.community
    organisations = []
    names = {}
    for preparation in sorted(
        preparations,
        key=lambda p: (p.organisation.partner_type, p.organisation.name.casefold()),
    ):
        org = preparation.organisation
        # A format that was never submitted is a draft, private to its organisation:
        # the file lists the organisation, never its draft answers.
        submitted = preparation.submitted
        answers = sorted(
            (
                a
                for a in (preparation.answers.all() if submitted else ())
                if a.applies is not None or a.intended_outcome
            ),
            key=lambda a: (a.motive.cluster.order, a.motive.order, a.motive.code),
        )
        organisations.append(
            {
                "name": org.name,
                "partner_type": org.partner_type,
                "members": [_person(u) for u in sorted(org.members.all(), key=lambda u: u.email)],
                "submitted": preparation.submitted,
                "answers": [_export_answer(answer) for answer in answers],
                "other_motives": [
                    {
                        "cluster": other.cluster.code if other.cluster else None,
                        "text": other.text,
                        "intended_outcome": other.intended_outcome,
                    }
                    for other in (preparation.other_motives.all() if submitted else ())
                ],
                **(_export_organisation_extras(preparation) if submitted else {}),
            }
        )
        names[org.pk] = org.name
    joints = list(
        session.joint_motives.select_related("motive").prefetch_related("consents__organisation")
    )
    joint_index = {joint.pk: index for index, joint in enumerate(joints)}
    return {
        "format": FORMAT,
        "learning_community": {
            "name": community.name,
            "sector": community.sector,
            "setting": community.setting,
            "start_year": community.start_year,
            "coordinators": [
                _person(u) for u in sorted(community.coordinators.all(), key=lambda u: u.email)
            ],
            "research_consent": community.research_consent,
            # Written only when recorded ("an exporter writes them whenever it has the data").
            **{
                key: getattr(community, key)
                for key in COMMUNITY_DETAIL_KEYS
                if getattr(community, key)
            },
        },
        "session": {
            "title": session.title,
            "date": session.date.isoformat() if session.date else None,
            "phase": session.phase,
            "facilitators": [
                _person(u) for u in sorted(session.facilitators.all(), key=lambda u: u.email)
            ],
            "catalogue": session.catalogue,
        },
        "organisations": organisations,
        "joint_motives": [_export_joint(joint, names) for joint in joints],
        "agreements": [
            _export_agreement(agreement, names, joint_index)
            for agreement in session.agreements.prefetch_related(
                "serves_motives__cluster", "serves_joint", "consents__organisation"
            )
        ],
        "notes": [
            {"cluster": note.cluster.code if note.cluster else None, "text": note.text}
            for note in session.notes.select_related("cluster")
        ],
    }


def _export_answer(answer: Answer) -> dict[str, Any]:
    item: dict[str, Any] = {
        "motive": answer.motive.code,
        "applies": answer.applies,
        "intended_outcome": answer.intended_outcome,
    }
    if answer.priority is not None:
        item["priority"] = answer.priority
    return item


def _export_organisation_extras(preparation: Preparation) -> dict[str, Any]:
    """The optional keys of a submitted format, each only when it holds something."""
    item: dict[str, Any] = {}
    participants = [{"name": p.name, "role": p.role} for p in preparation.participants.all()]
    if participants:
        item["participants"] = participants
    extra = getattr(preparation, "extra", None)
    if extra is not None:
        if extra.open_motives:
            item["open_motives"] = extra.open_motives
        if extra.offers:
            item["offers"] = list(extra.offers)
        if extra.needs:
            item["needs"] = list(extra.needs)
    reviews = sorted(
        preparation.outcome_reviews.all(),
        key=lambda r: (r.motive.cluster.order, r.motive.order, r.motive.code),
    )
    if reviews:
        item["outcome_reviews"] = [
            {"motive": r.motive.code, "status": r.status, "evidence": r.evidence} for r in reviews
        ]
    return item


def _export_consents(consents: Iterable[Consent], names: Mapping[int, str]) -> list[dict[str, Any]]:
    """Positions of the organisations in the file, in the file's order of organisations."""
    order = {pk: index for index, pk in enumerate(names)}
    return [
        {"organisation": names[c.organisation_id], "position": c.position, "reason": c.reason}
        for c in sorted(consents, key=lambda c: order.get(c.organisation_id, -1))
        if c.organisation_id in names
    ]


def _export_joint(joint: JointMotive, names: Mapping[int, str]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "motive": joint.motive.code if joint.motive else None,
        "text": joint.text,
        "intended_outcome": joint.intended_outcome,
    }
    if joint.votes is not None:
        item["votes"] = joint.votes
    consent = _export_consents(joint.consents.all(), names)
    if consent:
        item["consent"] = consent
    return item


def _export_agreement(
    agreement: Agreement, names: Mapping[int, str], joint_index: Mapping[int, int]
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "text": agreement.text,
        "owner": agreement.owner,
        "due": agreement.due.isoformat() if agreement.due else None,
    }
    serves = [
        f"joint:{number}"
        for number in sorted(
            joint_index[j.pk] for j in agreement.serves_joint.all() if j.pk in joint_index
        )
    ] + [
        m.code
        for m in sorted(
            agreement.serves_motives.all(), key=lambda m: (m.cluster.order, m.order, m.code)
        )
    ]
    if serves:
        item["serves"] = serves
    consent = _export_consents(agreement.consents.all(), names)
    if consent:
        item["consent"] = consent
    return item


# reading a file --------------------------------------------------------------------
#
# The command reads a path, the import page an upload; both turn the bytes into
# data here, so a broken file gets the same message in both places.

MAX_DEPTH = 64
SURROGATE = re.compile("[\ud800-\udfff]")


def load_json_bytes(raw: bytes, name: str) -> Any:
    """Decode UTF-8 JSON; raise InterchangeError with one Problem at ``name`` if it cannot be read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        message = _("not UTF-8 text (%(reason)s at byte %(byte)d).") % {
            "reason": error.reason,
            "byte": error.start,
        }
        raise InterchangeError([Problem(name, message)]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = _("not valid JSON: %(reason)s at line %(line)d, column %(column)d.") % {
            "reason": error.msg,
            "line": error.lineno,
            "column": error.colno,
        }
        raise InterchangeError([Problem(name, message)]) from None
    except (ValueError, RecursionError):
        # Integers of thousands of digits, or lists nested past Python's recursion limit.
        message = _("not valid JSON: a number is too long or the data is nested too deeply.")
        raise InterchangeError([Problem(name, message)]) from None
    problems = _check_structure(data, name)
    if problems:
        raise InterchangeError(problems)
    return data


def _check_structure(data: Any, name: str) -> list[Problem]:
    """Refuse data nested absurdly deep, and text that cannot be stored or shown.

    JSON may escape half of a UTF-16 surrogate pair ("\\ud800"); Python reads that as
    a string that no database or web page can encode, so it is refused here, with its
    path. Walks without recursion.
    """
    problems = []
    stack = [(data, 0, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            if SURROGATE.search(value):
                problems.append(Problem(path or "$", _surrogate_message()))
            continue
        if isinstance(value, dict):
            children = []
            for key, child in value.items():
                shown = SURROGATE.sub("\ufffd", key)
                child_path = f"{path}.{shown}" if path else shown
                if shown != key:
                    problems.append(Problem(child_path, _surrogate_message()))
                children.append((child, child_path))
        elif isinstance(value, list):
            children = [(child, f"{path}[{index}]") for index, child in enumerate(value)]
        else:
            continue
        if depth >= MAX_DEPTH:
            message = _("is nested more than %(max)d levels deep; a session file never is.") % {
                "max": MAX_DEPTH
            }
            return [Problem(name, message)]
        stack.extend((child, depth + 1, child_path) for child, child_path in reversed(children))
    return problems


def _surrogate_message() -> str:
    return _("contains an escaped half of a character (\\ud800 to \\udfff), which is not text")
