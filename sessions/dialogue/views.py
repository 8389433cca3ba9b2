"""The joint results of a session (Fase 2 and 3), the review of the previous round, the next round.

Objects come from ``sessions.policy.access`` and every decision from ``sessions.policy.phases``.
Members read; facilitators and coordinators record while the session is in the
dialogue or agreements phase. A refused or conflicting save never loses what
was typed: the form comes back bound to it, with the stored version beside it.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from sessions.dialogue import rounds
from sessions.dialogue import services as dialogue
from sessions.dialogue.forms import (
    AgreementForm,
    DeleteForm,
    JointMotiveForm,
    NextRoundForm,
    NoteForm,
    ReviewForm,
)
from sessions.dialogue.selectors import joint_results
from sessions.models import Agreement, JointMotive, Note
from sessions.policy import access, phases
from sessions.schedule.selectors import session_people
from sms_tool.errors import DomainError, show_in_form


def _results_url(session, anchor=""):
    url = reverse("session_results", args=[session.pk])
    return f"{url}#{anchor}" if anchor else url


def _closed_message(session):
    if session.phase in phases.RECORDING_PHASES:
        return None
    return _("This session is closed: its joint results are read-only.")


# --- one kind of item: how it is edited, added and deleted -------------------


@dataclass(frozen=True)
class Kind:
    name: str
    model: Any
    form: Any
    prefix: str
    anchor: str
    related: tuple
    add: Any
    update: Any
    delete: Any
    values: Any  # cleaned data -> service keyword arguments
    form_kwargs: Any = None

    def make_form(self, *args, item=None, session=None, **kwargs):
        if self.form_kwargs is not None:
            kwargs.update(self.form_kwargs(item, session or item.session))
        return self.form(*args, **kwargs)

    def labels(self):
        return {
            "joint_motive": {
                "edit": _("Edit joint motive"),
                "delete": _("Delete this joint motive?"),
                "added": _("The joint motive was added."),
                "saved": _("The joint motive was saved."),
                "deleted": _("The joint motive was deleted."),
            },
            "agreement": {
                "edit": _("Edit agreement"),
                "delete": _("Delete this agreement?"),
                "added": _("The agreement was added."),
                "saved": _("The agreement was saved."),
                "deleted": _("The agreement was deleted."),
            },
            "note": {
                "edit": _("Edit note"),
                "delete": _("Delete this note?"),
                "added": _("The note was added."),
                "saved": _("The note was saved."),
                "deleted": _("The note was deleted."),
            },
        }[self.name]


KINDS = {
    "joint_motive": Kind(
        name="joint_motive",
        model=JointMotive,
        form=JointMotiveForm,
        prefix="motive",
        anchor="joint-motives",
        related=("motive__cluster", "updated_by"),
        add=dialogue.joint_motive_add,
        update=lambda item, **kw: dialogue.joint_motive_update(joint_motive=item, **kw),
        delete=lambda item, **kw: dialogue.joint_motive_delete(joint_motive=item, **kw),
        values=lambda data: {
            "motive": data["motive"],
            "text": data["text"],
            "intended_outcome": data["intended_outcome"],
        },
        form_kwargs=lambda item, session: {"keep_motive": item.motive if item else None},
    ),
    "agreement": Kind(
        name="agreement",
        model=Agreement,
        form=AgreementForm,
        prefix="agreement",
        anchor="agreements",
        related=("updated_by",),
        add=dialogue.agreement_add,
        update=lambda item, **kw: dialogue.agreement_update(agreement=item, **kw),
        delete=lambda item, **kw: dialogue.agreement_delete(agreement=item, **kw),
        values=lambda data: {
            "text": data["text"],
            "owner": data["owner"],
            "due": data["due"],
            "owner_person": data["owner_person"],
        },
        form_kwargs=lambda item, session: {"people": session_people(session)},
    ),
    "note": Kind(
        name="note",
        model=Note,
        form=NoteForm,
        prefix="note",
        anchor="notes",
        related=("cluster", "author"),
        add=dialogue.note_add,
        update=None,
        delete=lambda item, **kw: dialogue.note_delete(note=item, **kw),
        values=lambda data: {"text": data["text"], "cluster": data["cluster"]},
    ),
}


# --- the results page ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_results(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_view_joint_results(roles, session))
    forms = {
        name: kind.make_form(prefix=kind.prefix, session=session) for name, kind in KINDS.items()
    }
    status = 200
    if request.method == "POST":
        access.require(phases.records_joint_results(roles))
        kind = KINDS.get(request.POST.get("form", ""))
        if kind is None:
            messages.error(request, _("Nothing was saved: the page sent an unknown form."))
            return redirect(_results_url(session))
        form = kind.make_form(request.POST, prefix=kind.prefix, session=session)
        forms[kind.name] = form
        if not form.is_valid():
            messages.error(request, _("Nothing was saved yet: please correct the marked fields."))
            status = 400
        else:
            try:
                kind.add(session=session, by=request.user, **kind.values(form.cleaned_data))
            except DomainError as error:
                show_in_form(form, error)
                messages.error(request, error.message)
                status = 409
            else:
                messages.success(request, kind.labels()["added"])
                return redirect(_results_url(session, kind.anchor))
    can_record = phases.can_record_joint_results(roles, session)
    return render(
        request,
        "dialogue_sessions/dialogue/results.html",
        {
            "session": session,
            "roles": roles,
            "can_record": can_record,
            "show_form": {name: can_record or form.is_bound for name, form in forms.items()},
            "forms": forms,
            "closed_message": _closed_message(session),
            "can_view_review": phases.can_view_review(roles, session),
            **joint_results(session),
        },
        status=status,
    )


# --- edit and delete one item -----------------------------------------------


def _item_for(request, pk, kind, item_pk):
    """The session and the item; on a POST an item deleted meanwhile is a placeholder.

    The service then says it is gone, and the page shows what was typed.
    """
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_open_joint_result_item(roles, session))
    queryset = kind.model.objects.select_related(*kind.related)
    item = queryset.filter(pk=item_pk, session=session).first()
    if item is None:
        if request.method != "POST":
            raise Http404
        item = kind.model(pk=item_pk, session=session)
    return session, roles, item


def _render_edit(request, session, kind, item, form, *, status=200, saved=None, gone=False):
    return render(
        request,
        "dialogue_sessions/dialogue/results_edit.html",
        {
            "session": session,
            "kind": kind.name,
            "title": kind.labels()["edit"],
            "item": item,
            "form": form,
            "saved": saved,
            "gone": gone,
            "back": _results_url(session, kind.anchor),
        },
        status=status,
    )


def _edit(request, pk, item_pk, kind):
    session, roles, item = _item_for(request, pk, kind, item_pk)
    if request.method == "GET":
        if not phases.can_record_joint_results(roles, session):
            messages.info(request, _closed_message(session))
            return redirect(_results_url(session, kind.anchor))
        form = kind.make_form(item=item, initial=kind.form.initial_for(item), with_version=True)
        return _render_edit(request, session, kind, item, form)
    form = kind.make_form(request.POST, item=item, with_version=True)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved yet: please correct the marked fields."))
        return _render_edit(request, session, kind, item, form, status=400)
    try:
        kind.update(
            item,
            by=request.user,
            version=form.cleaned_data["version"],
            **kind.values(form.cleaned_data),
        )
    except dialogue.JointResultConflict as conflict:
        messages.warning(request, conflict.message)
        current = conflict.current
        if current is None:
            return _render_edit(request, session, kind, item, form, status=409, gone=True)
        data = request.POST.copy()
        data["version"] = str(current.version)  # saving again now knowingly replaces theirs
        form = kind.make_form(data, item=current, with_version=True)
        form.is_valid()
        return _render_edit(request, session, kind, current, form, status=409, saved=current)
    except DomainError as error:
        show_in_form(form, error)
        messages.error(request, error.message)
        return _render_edit(request, session, kind, item, form, status=409)
    messages.success(request, kind.labels()["saved"])
    return redirect(_results_url(session, kind.anchor))


def _delete(request, pk, item_pk, kind):
    session, roles, item = _item_for(request, pk, kind, item_pk)
    back = _results_url(session, kind.anchor)
    if not phases.can_record_joint_results(roles, session):
        messages.info(request, _closed_message(session))
        return redirect(back)
    status = 200
    if request.method == "POST":
        form = DeleteForm(request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else None
        try:
            kind.delete(item, by=request.user, version=version)
        except dialogue.JointResultConflict as conflict:
            messages.warning(request, conflict.message)
            if conflict.current is None:
                return redirect(back)
            item, status = conflict.current, 409
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(back)
        else:
            messages.success(request, kind.labels()["deleted"])
            return redirect(back)
    return render(
        request,
        "dialogue_sessions/dialogue/results_delete.html",
        {
            "session": session,
            "kind": kind.name,
            "title": kind.labels()["delete"],
            "item": item,
            "form": DeleteForm(initial={"version": item.version}),
            "conflict": status == 409,
            "back": back,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def joint_motive_edit(request, pk, item_pk):
    return _edit(request, pk, item_pk, KINDS["joint_motive"])


@login_required
@require_http_methods(["GET", "POST"])
def joint_motive_delete(request, pk, item_pk):
    return _delete(request, pk, item_pk, KINDS["joint_motive"])


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk, item_pk):
    return _edit(request, pk, item_pk, KINDS["agreement"])


@login_required
@require_http_methods(["GET", "POST"])
def agreement_delete(request, pk, item_pk):
    return _delete(request, pk, item_pk, KINDS["agreement"])


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request, pk, item_pk):
    return _delete(request, pk, item_pk, KINDS["note"])


# --- review of the previous round ---------------------------------------------


def _review_key(target):
    return f"{'motive' if isinstance(target, JointMotive) else 'agreement'}-{target.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def review_list(request, pk):
    """The review of the previous round: one form with every item, saved at once.

    Only the items the person changed are saved. An item someone else saved
    meanwhile comes back with what was typed and the saved review next to it;
    the other changed items are saved. Nothing typed is lost.
    """
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_view_review(roles, session))
    bound = {}  # key -> (bound form, saved review shown next to it, or None)
    status = 200
    if request.method == "POST":
        access.require(phases.records_joint_results(roles))
        bound, status, anchor = _record_review(request, session)
        if status == 302:
            url = reverse("review_list", args=[session.pk])
            return redirect(f"{url}#{anchor}" if anchor else url)
    joint_motives, agreements = rounds.review_targets(session)
    can_record = phases.can_record_review(roles, session)

    def rows(items, kind):
        result = []
        for target in items:
            key = _review_key(target)
            form, saved = bound.get(key, (None, None))
            if form is None and can_record:
                form = ReviewForm(prefix=key, initial=ReviewForm.initial_for(target.review))
            result.append(
                {
                    "key": key,
                    "kind": kind,
                    "target": target,
                    "review": target.review,
                    "form": form,
                    "saved": saved,
                }
            )
        return result

    motive_rows = rows(joint_motives, "joint_motive")
    agreement_rows = rows(agreements, "agreement")
    return render(
        request,
        "dialogue_sessions/dialogue/review.html",
        {
            "session": session,
            "previous": session.previous,
            "can_record": can_record,
            "closed_message": _closed_message(session),
            "motive_rows": motive_rows,
            "agreement_rows": agreement_rows,
            "has_forms": any(row["form"] for row in [*motive_rows, *agreement_rows]),
        },
        status=status,
    )


def _sent(post, key):
    return any(f"{key}-{name}" in post for name in ReviewForm.base_fields)


def _record_review(request, session):
    """Save the review form: (forms to show bound, status, anchor); 302 when all went through.

    An item is saved when its fields were sent and differ from what the page showed.
    """
    joint_motives, agreements = rounds.review_targets(session)
    targets = {_review_key(target): target for target in [*joint_motives, *agreements]}
    forms = {key: ReviewForm(request.POST, prefix=key) for key in targets}
    if not all(form.is_valid() for form in forms.values()):
        messages.error(request, _("Nothing was saved yet: please correct the marked fields."))
        return {key: (form, None) for key, form in forms.items()}, 400, None
    changed = [
        key for key, form in forms.items() if _sent(request.POST, key) and form.changed_by_person()
    ]
    if not changed:
        messages.info(request, _("Nothing was saved: no item of the review was changed."))
        return {}, 302, None
    try:
        result = rounds.reviews_record(
            session=session,
            by=request.user,
            reviews=[
                rounds.ReviewInput(
                    target=targets[key],
                    realised=forms[key].cleaned_data["realised"],
                    note=forms[key].cleaned_data["note"],
                    version=forms[key].cleaned_data["version"],
                )
                for key in changed
            ],
        )
    except DomainError as error:
        for key in changed:
            show_in_form(forms[key], error)
        messages.error(request, error.message)
        return {key: (form, None) for key, form in forms.items()}, 409, None
    if result.saved:
        messages.success(
            request,
            ngettext(
                "The review of %(count)d item was saved.",
                "The reviews of %(count)d items were saved.",
                len(result.saved),
            )
            % {"count": len(result.saved)},
        )
    if not result.conflicts:
        return {}, 302, _review_key(result.saved[0].target)
    bound = {}
    for conflict in result.conflicts:
        messages.warning(request, conflict.message)
        key = _review_key(conflict.target)
        current = conflict.current
        data = request.POST.copy()
        # Saving again now knowingly replaces the review saved meanwhile.
        data[f"{key}-version"] = str(current.version)
        data[f"{key}-seen"] = ReviewForm.initial_for(current)["seen"]
        form = ReviewForm(data, prefix=key)
        form.is_valid()
        bound[key] = (form, current)
    return bound, 409, None


# --- the next round -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_next_round(request, pk):
    session, roles = access.session_for(request.user, pk)
    access.require(phases.can_start_next_round(roles, session))
    existing = session.next_rounds.order_by("id").first()
    if existing is not None and request.method == "GET":
        messages.info(request, rounds.NextRoundExists(existing).message)
        return redirect("session_detail", pk=existing.pk)
    form = NextRoundForm(
        request.POST if request.method == "POST" else None,
        initial=NextRoundForm.initial_for(session),
    )
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = rounds.session_start_next_round(
                session=session,
                by=request.user,
                title=form.cleaned_data["title"],
                date=form.cleaned_data["date"],
            )
        except rounds.NextRoundExists as error:
            messages.info(request, error.message)
            return redirect("session_detail", pk=error.existing.pk)
        except DomainError as error:
            show_in_form(form, error)
            status = 409
        else:
            messages.success(
                request,
                _(
                    "The next round “%(title)s” was created as a draft with the same "
                    "organisations and facilitators. Check it, invite new people, then "
                    "open the preparation."
                )
                % {"title": follow_up.title},
            )
            return redirect("session_detail", pk=follow_up.pk)
    return render(
        request,
        "dialogue_sessions/dialogue/next_round.html",
        {"session": session, "form": form},
        status=status,
    )
