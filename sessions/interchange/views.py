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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit import events as audit
from partnerships.access import community_for_coordinator
from sessions.interchange import preview
from sessions.interchange.format import (
    InterchangeError,
    export_session,
    import_session,
    load_json_bytes,
    parse,
)
from sessions.interchange.forms import MAX_UPLOAD_BYTES, ImportConfirmForm, ImportUploadForm
from sessions.interchange.tables import answers_csv, answers_xlsx, export_filename
from sessions.policy import access, phases
from sms_tool.http import CSV, JSON, XLSX, attachment

FILE_NAME_MAX = 100
TEMPLATE = "dialogue_sessions/interchange/import.html"
PREVIEW_TEMPLATE = "dialogue_sessions/interchange/import_preview.html"


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
    token = preview.keep(
        person=request.user, community=community, name=name, text=raw.decode("utf-8")
    )
    return render(
        request,
        PREVIEW_TEMPLATE,
        {
            "community": community,
            "file_name": name,
            "preview": preview.summary(clean, community),
            "form": ImportConfirmForm(initial={"token": token}),
        },
    )


def _confirm(request, community):
    form = ImportConfirmForm(request.POST)
    entry = (
        preview.take(person=request.user, community=community, token=form.cleaned_data["token"])
        if form.is_valid()
        else None
    )
    if entry is None:
        return _upload_page(request, community, ImportUploadForm(), stale=True)
    try:
        data = load_json_bytes(entry.text.encode("utf-8"), entry.file_name)
        with transaction.atomic():
            session = import_session(data, community=community, by=request.user)
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


# --- downloads ------------------------------------------------------------------


@login_required
@require_GET
def session_export(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_session(roles, session))
    body = json.dumps(export_session(session), ensure_ascii=False, indent=2) + "\n"
    audit.download(request, kind="json", what="session file", session=session)
    return attachment(
        body.encode("utf-8"), content_type=JSON, filename=export_filename(session, ".json")
    )


@login_required
@require_GET
def session_answers_csv(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_answers(roles, session))
    audit.download(request, kind="csv", what="answers", session=session)
    return attachment(
        answers_csv(session), content_type=CSV, filename=export_filename(session, "-answers.csv")
    )


@login_required
@require_GET
def session_answers_xlsx(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_export_answers(roles, session))
    audit.download(request, kind="xlsx", what="answers", session=session)
    return attachment(
        answers_xlsx(session),
        content_type=XLSX,
        filename=export_filename(session, "-answers.xlsx"),
    )
