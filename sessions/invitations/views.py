"""Invitations: coordinators invite, resend and revoke; the invited person accepts.

Coordinator pages get the session through sessions.policy.access, so outsiders and
other people in the session get a 404. The accept page is public: it is found
by the token in the link, changes nothing on GET (mail scanners open links)
and leaves every check to the service on POST.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sessions.invitations import services
from sessions.invitations.forms import (
    BulkInvitationForm,
    GuideInvitationForm,
    InvitationForm,
    NewPersonForm,
)
from sessions.models import Invitation, InvitationRole, InvitationStatus, Preparation
from sessions.policy import phases
from sessions.policy.access import require, session_for
from sms_tool.errors import DomainError, show_in_form

# A refused password is shown at the second box, where the person looks last.
PASSWORD_ALIASES = {"password": "password2"}
INVITATIONS_PER_PAGE = 50
OPEN_STATUSES = (InvitationStatus.SENT, InvitationStatus.EXPIRED)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_builder(request):
    def build(token):
        return request.build_absolute_uri(reverse("invitation_accept", args=[token]))

    return build


# --- the Fase 1 process guide of one organisation -------------------------


def _guide_preparation(request, session_pk, pk):
    """The session, roles and preparation, for whoever may see its guide; else 404."""
    session, roles = session_for(request.user, session_pk)
    preparation = get_object_or_404(
        Preparation.objects.select_related("organisation"), pk=pk, session=session
    )
    require(phases.can_see_guides(roles, preparation))
    return session, roles, preparation


@login_required
@require_http_methods(["GET", "POST"])
def preparation_guides(request, session_pk, pk):
    """Who the organisation's process guide is; its members and the coordinator invite one."""
    session, roles, preparation = _guide_preparation(request, session_pk, pk)
    can_invite = phases.can_invite_guide(roles, session, preparation)
    can_remove = phases.can_remove_guide(roles, session, preparation)
    form = GuideInvitationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        require(can_remove)  # a member or the coordinator; the service checks the phase
        if form.is_valid():
            try:
                invitation = services.guide_invite(
                    preparation=preparation,
                    by=request.user,
                    link_builder=_link_builder(request),
                    **form.cleaned_data,
                )
            except DomainError as error:
                show_in_form(form, error)
            else:
                messages.success(
                    request,
                    _("The invitation was sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("preparation_guides", session.pk, preparation.pk)
        status = 400
    now = timezone.now()
    open_invitations = [
        invitation
        for invitation in preparation.organisation.invitations.filter(
            session=session, role=InvitationRole.GUIDE
        )
        if invitation.status_at(now) in OPEN_STATUSES
    ]
    return render(
        request,
        "dialogue_sessions/invitations/guides.html",
        {
            "session": session,
            "preparation": preparation,
            "guides": preparation.guides.all(),
            "open_invitations": open_invitations if can_remove else [],
            "form": form,
            "can_invite": can_invite,
            "can_remove": can_remove,
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
        status=status,
    )


@login_required
@require_POST
def preparation_guide_remove(request, session_pk, pk, person_pk):
    session, roles, preparation = _guide_preparation(request, session_pk, pk)
    require(phases.can_remove_guide(roles, session, preparation))
    try:
        services.guide_remove(preparation=preparation, person_pk=person_pk, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The process guide no longer has access to the format."))
    return redirect("preparation_guides", session.pk, preparation.pk)


@login_required
@require_POST
def preparation_guide_invitation_revoke(request, session_pk, pk, invitation_pk):
    session, roles, preparation = _guide_preparation(request, session_pk, pk)
    require(phases.can_remove_guide(roles, session, preparation))
    invitation = get_object_or_404(
        Invitation, pk=invitation_pk, session=session, role=InvitationRole.GUIDE
    )
    try:
        services.guide_invitation_revoke(
            preparation=preparation, invitation=invitation, by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("preparation_guides", session.pk, preparation.pk)


# --- coordinators ----------------------------------------------------------


@login_required
def invitation_list(request, session_pk):
    session, roles = session_for(request.user, session_pk)
    require(phases.can_view_invitations(roles, session))
    invitations = session.invitations.select_related("organisation", "created_by").order_by(
        "-created_at", "-id"
    )
    page = Paginator(invitations, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    for invitation in page:
        invitation.current_status = invitation.status_at(now)
        invitation.can_change = invitation.current_status in OPEN_STATUSES
    return render(
        request,
        "dialogue_sessions/invitations/list.html",
        {
            "session": session,
            "page": page,
            "can_invite": phases.can_invite(roles, session),
            "can_revoke": phases.can_revoke_invitation(roles, session),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, session_pk):
    session, roles = session_for(request.user, session_pk)
    require(phases.can_invite(roles, session))
    form = InvitationForm(request.POST if request.method == "POST" else None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                session=session,
                by=request.user,
                link_builder=_link_builder(request),
                **form.cleaned_data,
            )
        except DomainError as error:
            show_in_form(form, error, aliases=PASSWORD_ALIASES)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("invitation_list", session.pk)
    return render(
        request,
        "dialogue_sessions/invitations/create.html",
        {"session": session, "form": form, "valid_days": settings.INVITATION_VALID_DAYS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_bulk(request, session_pk):
    """Invite several members at once from pasted lines; nothing is sent while a line is wrong."""
    session, roles = session_for(request.user, session_pk)
    require(phases.can_invite(roles, session))
    form = BulkInvitationForm(request.POST if request.method == "POST" else None, session=session)
    sent: list = []
    if request.method == "POST" and form.is_valid():
        for row in form.rows:  # first every line's reason, so a wrong line stops them all
            try:
                services.check_invitation(
                    session=session,
                    email=row["email"],
                    role=InvitationRole.MEMBER,
                    organisation=row["organisation"],
                )
            except DomainError as error:
                form.line_errors.append(
                    {"line": row["line"], "text": _row_text(row), "reason": error.message}
                )
        form.line_errors.sort(key=lambda error: error["line"])
        if not form.line_errors and form.rows:
            left = list(form.rows)
            try:
                while left:
                    row = left[0]
                    sent.append(
                        services.invitation_create(
                            session=session,
                            by=request.user,
                            email=row["email"],
                            role=InvitationRole.MEMBER,
                            organisation=row["organisation"],
                            name=row["name"],
                            link_builder=_link_builder(request),
                        )
                    )
                    left.pop(0)
            except DomainError as error:
                # the ones sent stay sent; the rest stay in the box to try again
                form.line_errors.append(
                    {"line": left[0]["line"], "text": _row_text(left[0]), "reason": error.message}
                )
                form.data = form.data.copy()
                form.data["lines"] = "\n".join(_row_text(row) for row in left)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d invitation was sent.",
                        "%(count)d invitations were sent.",
                        len(sent),
                    )
                    % {"count": len(sent)},
                )
                return redirect("invitation_list", session.pk)
    return render(
        request,
        "dialogue_sessions/invitations/bulk.html",
        {
            "session": session,
            "form": form,
            "sent": sent,
            "valid_days": settings.INVITATION_VALID_DAYS,
            "organisations": form.organisations,
        },
    )


def _row_text(row: dict) -> str:
    parts = [row["email"], row["organisation"].name] + ([row["name"]] if row["name"] else [])
    return ", ".join(parts)


@login_required
@require_POST
def invitation_resend(request, session_pk, pk):
    session, roles = session_for(request.user, session_pk)
    require(phases.can_invite(roles, session))
    invitation = get_object_or_404(Invitation, pk=pk, session=session)
    try:
        services.invitation_resend(
            invitation=invitation, by=request.user, link_builder=_link_builder(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The invitation was sent to %(email)s again, with a new link. "
                "The previous link no longer works."
            )
            % {"email": invitation.email},
        )
    return redirect("invitation_list", session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, session_pk, pk):
    session, roles = session_for(request.user, session_pk)
    require(phases.can_revoke_invitation(roles, session))
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation"), pk=pk, session=session
    )
    if request.method == "POST":
        try:
            services.invitation_revoke(invitation=invitation, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s was revoked; its link no longer works.")
                % {"email": invitation.email},
            )
        return redirect("invitation_list", session.pk)
    status = invitation.status
    return render(
        request,
        "dialogue_sessions/invitations/revoke.html",
        {
            "session": session,
            "invitation": invitation,
            "status": status,
            "can_change": status in OPEN_STATUSES,
        },
    )


# --- the invited person ----------------------------------------------------


def _closed_page(request, invitation):
    status = invitation.status
    return render(
        request,
        "dialogue_sessions/invitations/accept_closed.html",
        {
            "invitation": invitation,
            "status": status,
            "reason": services.closed_reason_message(status),
            "accepted_by_you": (
                status == InvitationStatus.ACCEPTED
                and request.user.is_authenticated
                and invitation.accepted_by_id == request.user.pk
            ),
        },
        status=410,
    )


def _after_acceptance(request, invitation):
    messages.success(
        request,
        _("Welcome! You have accepted the invitation to “%(title)s”.")
        % {"title": invitation.session.title},
    )
    return redirect("session_detail", invitation.session_id)


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_find(token)
    if invitation is None:
        return render(request, "dialogue_sessions/invitations/accept_invalid.html", status=404)
    if invitation.status != InvitationStatus.SENT:
        return _closed_page(request, invitation)

    user = request.user
    person = None
    if user.is_authenticated:
        same = services.normalise_email(user.email) == services.normalise_email(invitation.email)
        mode = "accept" if same else "other_person"
    else:
        person = services.person_with_email(invitation.email)
        if person is None:
            mode = "new_person"
        elif not person.is_active:
            mode = "inactive"
        elif person.has_usable_password():
            mode = "sign_in"
        else:
            # made by an import or in the admin: the link lets them choose a first password
            mode = "first_password"

    form = None
    if mode in ("new_person", "first_password"):
        form = NewPersonForm(
            request.POST if request.method == "POST" else None,
            email=invitation.email,
            initial={"name": (person.name if person else "") or invitation.name},
        )
    error = None
    status = 200
    if request.method == "POST":
        try:
            if user.is_authenticated:
                services.invitation_accept(invitation=invitation, person=user)
                return _after_acceptance(request, invitation)
            if form is not None and form.is_valid():
                accept = (
                    services.invitation_accept_new_person
                    if mode == "new_person"
                    else services.invitation_accept_first_password
                )
                person = accept(
                    invitation=invitation,
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, person, backend=MODEL_BACKEND)
                return _after_acceptance(request, invitation)
        except services.InvitationError as refusal:
            invitation.refresh_from_db()
            if invitation.status != InvitationStatus.SENT:
                return _closed_page(request, invitation)
            if refusal.reason == "other_email":
                status = 403
            if form is not None and refusal.field:
                show_in_form(form, refusal, aliases=PASSWORD_ALIASES)
            else:
                error = refusal.message
    return render(
        request,
        "dialogue_sessions/invitations/accept.html",
        {
            "invitation": invitation,
            "session": invitation.session,
            "mode": mode,
            "form": form,
            "error": error,
            "inactive_message": (
                services.inactive_account_message() if mode == "inactive" else None
            ),
        },
        status=status,
    )
