"""Interchange in the browser: import a session file, download a session and its answers.

Importing takes two steps on one page. Step 1 ("preview") reads the upload with
the same code as the ``import_session`` command, so a broken file gets the same
messages, and shows what the import will create. The file's text is then kept
on the server, in the person's own Django session under a random token (at most
``MAX_PENDING`` previews per person; the oldest goes first), so that step 2
("confirm") imports it without a second upload. A signed hidden field could not
carry a 5 MB file back within Django's request size limit. Confirming removes the
preview, so sending the same confirmation twice imports once and then says the
preview is no longer there.
"""

import json
import secrets
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.models import LearningCommunity, Organisation, PartnerType
from sessions import access, phases
from sessions.exports import answers_csv, answers_xlsx, export_filename
from sessions.forms_exchange import MAX_UPLOAD_BYTES, ImportConfirmForm, ImportUploadForm
from sessions.interchange import (
    InterchangeError,
    Problem,
    export_session,
    import_session,
    load_json_bytes,
    parse,
)
from sessions.models import Phase

SESSION_KEY = "exchange_imports"
MAX_PENDING = 3
FILE_NAME_MAX = 100
TEMPLATE = "dialogue_sessions/exchange/import.html"
PREVIEW_TEMPLATE = "dialogue_sessions/exchange/import_preview.html"


class _WrongCommunity(Exception):
    """Raised inside the import's transaction to undo it."""


# --- import -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def community_import(request, pk):
    community = access.community_for_coordinator(request.user, pk)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, community)
    if request.method == "POST":  # step 1, also when the step field went missing
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            return _preview(request, community, form.cleaned_data["file"])
    else:
        form = ImportUploadForm()
    return _upload_page(request, community, form)


def _upload_page(request, community, form, *, problems=(), stale=False, status=200):
    return render(
        request,
        TEMPLATE,
        {
            "community": community,
            "form": form,
            "problems": [str(problem) for problem in problems],
            "stale": stale,
            "max_bytes": MAX_UPLOAD_BYTES,
        },
        status=status,
    )


def _preview(request, community, upload):
    name = (upload.name or "session.json")[-FILE_NAME_MAX:]
    raw = upload.read()
    try:
        data = load_json_bytes(raw, name)
    except InterchangeError as error:
        return _upload_page(request, community, ImportUploadForm(), problems=error.problems)
    problems = []
    try:
        clean = parse(data)
    except InterchangeError as error:
        problems.extend(error.problems)
        clean = None
    problems.extend(_community_problems(data, community))
    if problems:
        return _upload_page(request, community, ImportUploadForm(), problems=problems)
    token = _keep(request, community, name, raw.decode("utf-8"))
    return render(
        request,
        PREVIEW_TEMPLATE,
        {
            "community": community,
            "file_name": name,
            "preview": _summary(clean, community),
            "form": ImportConfirmForm(initial={"token": token}),
        },
    )


def _confirm(request, community):
    form = ImportConfirmForm(request.POST)
    entry = _take(request, community, form.cleaned_data["token"]) if form.is_valid() else None
    if entry is None:
        return _upload_page(request, community, ImportUploadForm(), stale=True)
    try:
        data = load_json_bytes(entry["text"].encode("utf-8"), entry["name"])
        with transaction.atomic():
            session = import_session(data)
            if session.community_id != community.pk:
                raise _WrongCommunity
    except InterchangeError as error:
        # Something changed since the preview, such as an organisation created meanwhile.
        return _upload_page(request, community, ImportUploadForm(), problems=error.problems)
    except _WrongCommunity:
        return _upload_page(
            request,
            community,
            ImportUploadForm(),
            problems=_community_problems(data, community),
        )
    except IntegrityError:
        message = _(
            "Someone created an organisation, person or learning community from this file at "
            "the same moment. Nothing was imported; upload the file again to see the new preview."
        )
        return _upload_page(request, community, ImportUploadForm(), problems=[message])
    messages.success(
        request,
        _("Session “%(title)s” imported into %(community)s.")
        % {"title": session.title, "community": community.name},
    )
    return redirect("session_detail", pk=session.pk)


def _community_problems(data, community):
    """The file must import into this community, matched by name as the import does."""
    info = data.get("learning_community") if isinstance(data, dict) else None
    name = info.get("name") if isinstance(info, dict) else None
    if not isinstance(name, str) or not name.strip():
        return []  # parse() already says what is wrong with it
    match = LearningCommunity.objects.filter(name__iexact=name).first()
    if match is not None and match.pk == community.pk:
        return []
    return [
        Problem(
            "learning_community.name",
            _(
                "is “%(name)s”, but you are importing into “%(community)s”. A session can only "
                "be imported into its own learning community; nothing was imported."
            )
            % {"name": name, "community": community.name},
        )
    ]


def _keep(request, community, name, text):
    """Keep the previewed file in the person's session; return the token that names it."""
    pending = request.session.get(SESSION_KEY, {})
    oldest_first = sorted(pending, key=lambda kept: pending[kept]["at"])
    for kept in oldest_first[: max(0, len(oldest_first) - MAX_PENDING + 1)]:
        del pending[kept]
    token = secrets.token_urlsafe(16)
    pending[token] = {
        "community": community.pk,
        "name": name,
        "text": text,
        "at": timezone.now().isoformat(),
    }
    request.session[SESSION_KEY] = pending
    return token


def _take(request, community, token):
    """The kept file for ``token`` (and forget it), or None when the preview went stale."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    if entry is None:
        return None
    request.session[SESSION_KEY] = pending
    return entry if entry["community"] == community.pk else None


@dataclass
class OrganisationPreview:
    name: str
    exists: bool
    partner_already: bool
    submitted: bool
    answers: int
    members: int
    other_motives: int


@dataclass
class Summary:
    community: LearningCommunity
    new_coordinators: list
    title: str
    date: object
    phase_label: str
    groups: list = field(default_factory=list)
    new_people: list = field(default_factory=list)
    reused_people: list = field(default_factory=list)
    joint_motives: int = 0
    agreements: int = 0
    notes: int = 0


def _summary(clean, community):
    """What the import will create and what it will reuse, as the import decides it."""
    wanted = {}
    for person in clean["community"]["coordinators"] + clean["session"]["facilitators"]:
        wanted.setdefault(person["email"], person["name"])
    for org in clean["organisations"]:
        for person in org["members"]:
            wanted.setdefault(person["email"], person["name"])
    existing = {
        user.email.lower()
        for user in get_user_model().objects.filter(email__in=list(wanted)).only("email")
    }
    coordinators = {user.email.lower() for user in community.coordinators.only("email")}
    partners = set(community.organisations.values_list("pk", flat=True))

    by_type = {PartnerType.EDUCATION: [], PartnerType.PRACTICE: []}
    for org in clean["organisations"]:
        match = Organisation.objects.filter(name__iexact=org["name"]).first()
        by_type[org["partner_type"]].append(
            OrganisationPreview(
                name=org["name"],
                exists=match is not None,
                partner_already=match is not None and match.pk in partners,
                submitted=org["submitted"],
                answers=len(org["answers"]),
                members=len(org["members"]),
                other_motives=len(org["other_motives"]),
            )
        )
    groups = [
        (PartnerType(kind), sorted(items, key=lambda o: o.name.casefold()))
        for kind, items in by_type.items()
    ]
    session = clean["session"]
    return Summary(
        community=community,
        new_coordinators=[
            p for p in clean["community"]["coordinators"] if p["email"] not in coordinators
        ],
        title=session["title"],
        date=session["date"],
        phase_label=Phase(session["phase"]).label,
        groups=groups,
        new_people=[
            {"email": email, "name": name}
            for email, name in sorted(wanted.items())
            if email not in existing
        ],
        reused_people=[
            {"email": email, "name": name}
            for email, name in sorted(wanted.items())
            if email in existing
        ],
        joint_motives=len(clean["joint_motives"]),
        agreements=len(clean["agreements"]),
        notes=len(clean["notes"]),
    )


# --- downloads ------------------------------------------------------------------


def _download(body, content_type, filename):
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def session_export(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_session(roles, session))
    body = json.dumps(export_session(session), ensure_ascii=False, indent=2) + "\n"
    return _download(
        body.encode("utf-8"),
        "application/json; charset=utf-8",
        export_filename(session, ".json"),
    )


@login_required
@require_GET
def session_answers_csv(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_answers(roles, session))
    return _download(
        answers_csv(session),
        "text/csv; charset=utf-8",
        export_filename(session, "-answers.csv"),
    )


@login_required
@require_GET
def session_answers_xlsx(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_answers(roles, session))
    return _download(
        answers_xlsx(session),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export_filename(session, "-answers.xlsx"),
    )
