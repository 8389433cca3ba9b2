"""Interchange in the browser: import a session file, download a session and its answers.

Importing takes two steps on one page. Step 1 ("preview") reads the upload with
the same code as the ``import_session`` command, so a broken file gets the same
messages, and shows what the import will create. The file's text is then kept on
the server as an ``ImportPreview`` row for this person and this community, named
by a random token (at most ``IMPORT_PREVIEWS_PER_PERSON`` per person, the oldest
goes first; each expires after ``IMPORT_PREVIEW_VALID_MINUTES``), so that step 2
("confirm") imports it without a second upload. Confirming removes the preview,
so sending the same confirmation twice imports once and then says the preview is
no longer there.

Everything goes into the page's learning community, whatever the file calls it;
organisations are matched within it only. The preview says nothing about other
communities: not whether an organisation name or an e-mail address exists there.
"""

import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.access import community_for_coordinator
from partnerships.models import LearningCommunity, PartnerType
from sessions.interchange.format import (
    InterchangeError,
    export_session,
    import_session,
    load_json_bytes,
    parse,
    wanted_people,
)
from sessions.interchange.forms import MAX_UPLOAD_BYTES, ImportConfirmForm, ImportUploadForm
from sessions.interchange.tables import answers_csv, answers_xlsx, export_filename
from sessions.models import (
    IMPORT_PREVIEW_VALID_MINUTES,
    IMPORT_PREVIEWS_PER_PERSON,
    ImportPreview,
    Phase,
)
from sessions.policy import access, phases
from sms_tool.http import CSV, JSON, XLSX, attachment

FILE_NAME_MAX = 100
TEMPLATE = "dialogue_sessions/exchange/import.html"
PREVIEW_TEMPLATE = "dialogue_sessions/exchange/import_preview.html"


# --- import -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def community_import(request, pk):
    community = community_for_coordinator(request.user, pk)
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
        clean = parse(data, community=community)
    except InterchangeError as error:
        return _upload_page(request, community, ImportUploadForm(), problems=error.problems)
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
        data = load_json_bytes(entry.text.encode("utf-8"), entry.file_name)
        with transaction.atomic():
            session = import_session(data, community=community)
    except InterchangeError as error:
        # Something changed since the preview, such as an organisation created meanwhile.
        return _upload_page(request, community, ImportUploadForm(), problems=error.problems)
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


def _keep(request, community, name, text):
    """Keep the previewed file on the server; return the token that names it."""
    now = timezone.now()
    ImportPreview.objects.filter(expires_at__lte=now).delete()
    mine = ImportPreview.objects.filter(created_by=request.user).order_by("-created_at", "-id")
    stale = list(mine.values_list("pk", flat=True)[IMPORT_PREVIEWS_PER_PERSON - 1 :])
    ImportPreview.objects.filter(pk__in=stale).delete()
    preview = ImportPreview.objects.create(
        token=secrets.token_urlsafe(32),
        community=community,
        created_by=request.user,
        file_name=name,
        text=text,
        expires_at=now + timedelta(minutes=IMPORT_PREVIEW_VALID_MINUTES),
    )
    return preview.token


def _take(request, community, token):
    """The kept file for ``token`` (and forget it), or None when the preview went stale."""
    with transaction.atomic():
        preview = (
            ImportPreview.objects.select_for_update()
            .filter(
                token=token,
                created_by=request.user,
                community=community,
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if preview is not None:
            preview.delete()
    return preview


@dataclass
class OrganisationPreview:
    name: str
    exists: bool
    submitted: bool
    answers: int
    members: int
    other_motives: int


@dataclass
class Summary:
    community: LearningCommunity
    file_community_name: str
    new_coordinators: list
    title: str
    date: object
    phase_label: str
    groups: list = field(default_factory=list)
    new_people: list = field(default_factory=list)
    known_people: list = field(default_factory=list)
    joint_motives: int = 0
    agreements: int = 0
    notes: int = 0


def _people_of(community):
    """The lower-cased e-mail addresses of everyone who already takes part in ``community``."""
    return {
        email.lower()
        for email in get_user_model()
        .objects.filter(
            Q(coordinated_communities=community)
            | Q(facilitated_sessions__community=community)
            | Q(memberships__organisation__community=community)
        )
        .values_list("email", flat=True)
    }


def _summary(clean, community):
    """What the import will create and what it will reuse, within this community only."""
    wanted = wanted_people(clean)
    known = _people_of(community)
    coordinators = {user.email.lower() for user in community.coordinators.only("email")}
    existing = {name.casefold() for name in community.organisations.values_list("name", flat=True)}

    by_type = {PartnerType.EDUCATION: [], PartnerType.PRACTICE: []}
    for org in clean["organisations"]:
        by_type[org["partner_type"]].append(
            OrganisationPreview(
                name=org["name"],
                exists=org["name"].strip().casefold() in existing,
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
    file_name = clean["community"]["name"]
    return Summary(
        community=community,
        file_community_name=""
        if file_name.strip().casefold() == community.name.casefold()
        else file_name,
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
            if email not in known
        ],
        known_people=[
            {"email": email, "name": name}
            for email, name in sorted(wanted.items())
            if email in known
        ],
        joint_motives=len(clean["joint_motives"]),
        agreements=len(clean["agreements"]),
        notes=len(clean["notes"]),
    )


# --- downloads ------------------------------------------------------------------


@login_required
@require_GET
def session_export(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_session(roles, session))
    body = json.dumps(export_session(session), ensure_ascii=False, indent=2) + "\n"
    return attachment(
        body.encode("utf-8"), content_type=JSON, filename=export_filename(session, ".json")
    )


@login_required
@require_GET
def session_answers_csv(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_answers(roles, session))
    return attachment(
        answers_csv(session), content_type=CSV, filename=export_filename(session, "-answers.csv")
    )


@login_required
@require_GET
def session_answers_xlsx(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_answers(roles, session))
    return attachment(
        answers_xlsx(session),
        content_type=XLSX,
        filename=export_filename(session, "-answers.xlsx"),
    )
