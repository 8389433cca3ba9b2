"""The "sms-tool.session/1" interchange format: validate, import and export one session.

This is a public interface (../shared/domain/INTERCHANGE.md): keys keep their
meaning; extra keys may be added. Every problem is reported as a JSON path plus
what is wrong, and an import either creates everything or nothing.
"""

import datetime
import json
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit
from audit.models import Action
from motives.models import Cluster, Motive
from partnerships.models import (
    NAME_MAX_LENGTH,
    LearningCommunity,
    Membership,
    Organisation,
    PartnerType,
    Setting,
)
from sessions.models import (
    AGREEMENT_MAX_LENGTH,
    MAX_OTHER_MOTIVES,
    NOTE_MAX_LENGTH,
    OTHER_MOTIVE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Agreement,
    Answer,
    DialogueSession,
    JointMotive,
    Note,
    OtherMotive,
    Phase,
    Preparation,
)

FORMAT = "sms-tool.session/1"
SECTOR_MAX_LENGTH = 100
MISSING = object()


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}"


class InterchangeError(Exception):
    """The input is not a valid session; ``problems`` says where and why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _type_name(value):
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

    def __init__(self):
        self.problems = []

    def problem(self, path, message):
        self.problems.append(Problem(path, message))

    def field(self, obj, key, path, *, required=True, default=None):
        if not isinstance(obj, dict):
            return MISSING
        if key not in obj:
            if required:
                self.problem(f"{path}.{key}" if path else key, _("is missing"))
                return MISSING
            return default
        return obj[key]

    def object(self, obj, key, path, *, required=True):
        value = self.field(obj, key, path, required=required, default=None)
        where = f"{path}.{key}" if path else key
        if value is MISSING or (value is None and not required):
            return MISSING if required else None
        if not isinstance(value, dict):
            self.problem(where, _("must be an object, not %(type)s") % {"type": _type_name(value)})
            return MISSING
        return value

    def list(self, obj, key, path, *, required=False):
        value = self.field(obj, key, path, required=required, default=[])
        if value is MISSING:
            return []
        if not isinstance(value, list):
            where = f"{path}.{key}" if path else key
            self.problem(where, _("must be a list, not %(type)s") % {"type": _type_name(value)})
            return []
        return value

    def text(self, obj, key, path, *, required=True, max_length, allow_blank=True, default=""):
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

    def choice(self, obj, key, path, choices, *, required=True):
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

    def boolean(self, obj, key, path, *, required=False, default=False, allow_null=False):
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

    def date(self, obj, key, path, *, required=False):
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

    def year(self, obj, key, path):
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

    def people(self, obj, key, path):
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


def _repr(value):
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"


def parse(data, *, community=None):
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

    clean = {}
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

    organisations = []
    seen_names = {}
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
            if motive is not None:
                answers.append({"motive": motive, "applies": applies, "intended_outcome": outcome})
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
            }
        )
    clean["organisations"] = organisations

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


def _cluster(reader, obj, path, clusters):
    code = reader.field(obj, "cluster", path, required=False, default=None)
    if code is None or code is MISSING:
        return None
    cluster = clusters.get(code) if isinstance(code, str) else None
    if cluster is None:
        reader.problem(f"{path}.cluster", _("unknown cluster %(code)s") % {"code": _repr(code)})
    return cluster


def _check_existing_organisations(reader, organisations, community):
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
def import_session(data, *, community=None):
    """Create a session from interchange data; all or nothing. Returns the new session.

    Without ``community`` (the command line) the file's learning community is matched
    by name and created when missing. With it (the import page) everything goes into
    that community, whatever the file calls it, and the community itself is not changed.
    Organisations are matched by name within the community only.
    """
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
        )
    community.coordinators.add(*(people[p["email"]] for p in info["coordinators"]))

    info = clean["session"]
    session = DialogueSession.objects.create(
        community=community, title=info["title"], date=info["date"], phase=info["phase"]
    )
    session.facilitators.set([people[p["email"]] for p in info["facilitators"]])

    now = timezone.now()
    existing = {org.name.casefold(): org for org in community.organisations.all()}
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

    JointMotive.objects.bulk_create(
        JointMotive(session=session, position=position, **item)
        for position, item in enumerate(clean["joint_motives"], start=1)
    )
    Agreement.objects.bulk_create(
        Agreement(session=session, position=position, **item)
        for position, item in enumerate(clean["agreements"], start=1)
    )
    Note.objects.bulk_create(Note(session=session, **item) for item in clean["notes"])
    audit.record(Action.IMPORT, session=session, organisations=len(clean["organisations"]))
    return session


def wanted_people(clean):
    """Every person the file names, ``{email: name}``, in the order of first mention."""
    wanted = {}
    for person in clean["community"]["coordinators"] + clean["session"]["facilitators"]:
        wanted.setdefault(person["email"], person["name"])
    for org in clean["organisations"]:
        for person in org["members"]:
            wanted.setdefault(person["email"], person["name"])
    return wanted


def existing_people(emails):
    """The accounts of ``emails`` (lower-cased), ``{email: user}``, matched ignoring case."""
    User = get_user_model()
    found = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=list(emails))
    return {user.email_lower: user for user in found}


def people_by_email(clean):
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


def _person(user):
    return {"email": user.email, "name": user.name}


def export_session(session):
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
        )
    )
    community = session.community
    organisations = []
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
                "answers": [
                    {
                        "motive": answer.motive.code,
                        "applies": answer.applies,
                        "intended_outcome": answer.intended_outcome,
                    }
                    for answer in answers
                ],
                "other_motives": [
                    {
                        "cluster": other.cluster.code if other.cluster else None,
                        "text": other.text,
                        "intended_outcome": other.intended_outcome,
                    }
                    for other in (preparation.other_motives.all() if submitted else ())
                ],
            }
        )
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
        },
        "session": {
            "title": session.title,
            "date": session.date.isoformat() if session.date else None,
            "phase": session.phase,
            "facilitators": [
                _person(u) for u in sorted(session.facilitators.all(), key=lambda u: u.email)
            ],
        },
        "organisations": organisations,
        "joint_motives": [
            {
                "motive": joint.motive.code if joint.motive else None,
                "text": joint.text,
                "intended_outcome": joint.intended_outcome,
            }
            for joint in session.joint_motives.select_related("motive")
        ],
        "agreements": [
            {
                "text": agreement.text,
                "owner": agreement.owner,
                "due": agreement.due.isoformat() if agreement.due else None,
            }
            for agreement in session.agreements.all()
        ],
        "notes": [
            {"cluster": note.cluster.code if note.cluster else None, "text": note.text}
            for note in session.notes.select_related("cluster")
        ],
    }


# reading a file --------------------------------------------------------------------
#
# The command reads a path, the import page an upload; both turn the bytes into
# data here, so a broken file gets the same message in both places.

MAX_DEPTH = 64
SURROGATE = re.compile("[\ud800-\udfff]")


def load_json_bytes(raw, name):
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


def _check_structure(data, name):
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


def _surrogate_message():
    return _("contains an escaped half of a character (\\ud800 to \\udfff), which is not text")
