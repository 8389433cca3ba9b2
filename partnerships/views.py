"""Coordinator pages for learning communities and their partner organisations.

Objects come from ``partnerships.access``: a community that the person does not
coordinate gives the same 404 as one that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerships import access, services
from partnerships.forms import CommunityForm, LogoForm, OrganisationForm
from partnerships.models import LearningCommunity, PartnerType
from sms_tool.errors import DomainError, show_in_form

PAGE_SIZE = 20


@login_required
def community_list(request):
    communities = (
        access.communities_coordinated_by(request.user)
        .annotate(
            organisation_count=Count("organisations", distinct=True),
            session_count=Count("sessions", distinct=True),
        )
        .order_by("name")
    )
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/community_list.html",
        {"page": page, "can_create": access.can_create_communities(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_create(request):
    # Not an object in a URL, so nothing to hide: someone without the right
    # gets 403 (PermissionDenied) here rather than the 404 of the object pages.
    if not access.can_create_communities(request.user):
        raise PermissionDenied
    form = CommunityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_in_form(form, error)
        else:
            messages.success(
                request,
                _("Learning community “%(name)s” created. Add its partner organisations next.")
                % {"name": community.name},
            )
            return redirect("community_detail", pk=community.pk)
    return render(request, "partnerships/community_form.html", {"form": form, "community": None})


@login_required
def community_detail(request, pk):
    community = access.community_for_coordinator(request.user, pk)
    organisations = community.organisations.order_by("name")
    groups = [
        (kind, [o for o in organisations if o.partner_type == kind])
        for kind in (PartnerType.EDUCATION, PartnerType.PRACTICE)
    ]
    sessions = community.sessions.order_by("-date", "-id")
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/community_detail.html",
        {
            "community": community,
            "groups": groups,
            "has_organisations": bool(organisations),
            "coordinators": community.coordinators.order_by("name", "email"),
            "page": page,
            "organisation_form": OrganisationForm(),
            "consent_record": consent_record(community),
            # taking part in a session: it cannot be removed, so no "Remove" leads to a dead end
            "in_sessions": set(
                community.sessions.filter(preparations__isnull=False).values_list(
                    "preparations__organisation", flat=True
                )
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_edit(request, pk):
    community = access.community_for_coordinator(request.user, pk)
    form = CommunityForm(
        request.POST if request.method == "POST" else None,
        initial=CommunityForm.initial_for(community),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update(community=community, by=request.user, **form.cleaned_data)
        except DomainError as error:
            community.refresh_from_db()
            show_in_form(form, error)
        else:
            messages.success(request, _("The learning community is saved."))
            return redirect("community_detail", pk=community.pk)
    return render(
        request,
        "partnerships/community_form.html",
        {"form": form, "community": community, "logo_form": LogoForm()},
    )


@login_required
@require_POST
def community_logo_edit(request, pk):
    """Upload or remove the logo; the form sits on the community's edit page."""
    community = access.community_for_coordinator(request.user, pk)
    logo_form = LogoForm(request.POST, request.FILES)
    if logo_form.is_valid():
        try:
            if logo_form.cleaned_data["remove"]:
                services.community_logo_remove(community=community, by=request.user)
                done = _("The logo was removed.")
            else:
                services.community_logo_set(
                    community=community, by=request.user, upload=logo_form.cleaned_data["logo"]
                )
                done = _("The logo is saved. It appears on the cover of the joint report.")
        except DomainError as error:
            community.refresh_from_db()
            show_in_form(logo_form, error)
        else:
            messages.success(request, done)
            return redirect("community_edit", pk=community.pk)
    form = CommunityForm(initial=CommunityForm.initial_for(community))
    return render(
        request,
        "partnerships/community_form.html",
        {"form": form, "community": community, "logo_form": logo_form},
        status=400,
    )


@login_required
@require_GET
def community_logo(request, pk):
    """The logo, for the community's coordinators only: outsiders get the same 404 as
    for a community that does not exist (the file's name is random and not served)."""
    community = access.community_for_coordinator(request.user, pk)
    if not community.logo:
        raise Http404
    try:
        handle = community.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type="image/png")


@login_required
@require_http_methods(["GET", "POST"])
def organisation_add(request, pk):
    community = access.community_for_coordinator(request.user, pk)
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_add(
                community=community, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            show_in_form(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” now takes part in this learning community.")
                % {"name": organisation.name},
            )
            return redirect("community_detail", pk=community.pk)
    return render(
        request, "partnerships/organisation_form.html", {"form": form, "community": community}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_remove(request, pk, organisation_pk):
    community = access.community_for_coordinator(request.user, pk)
    organisation = get_object_or_404(community.organisations, pk=organisation_pk)
    if request.method == "POST":
        try:
            services.organisation_remove(
                community=community, by=request.user, organisation=organisation
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("“%(name)s” no longer takes part in this learning community.")
                % {"name": organisation.name},
            )
        return redirect("community_detail", pk=community.pk)
    blocker = services.organisation_removal_blocker(community=community, organisation=organisation)
    return render(
        request,
        "partnerships/organisation_remove.html",
        {"community": community, "organisation": organisation, "blocker": blocker},
    )


def consent_record(community):
    """The last change of the research consent as one sentence; None when nobody changed it."""
    if community.research_consent_changed_at is None:
        return None
    when = date_format(localtime(community.research_consent_changed_at), "j F Y, H:i")
    if community.research_consent_source == LearningCommunity.ConsentSource.IMPORT:
        return _("Recorded on %(date)s from an imported session file.") % {"date": when}
    person = community.research_consent_changed_by
    if community.research_consent:
        if person is None:
            return _("Given on %(date)s by a person whose account has since been removed.") % {
                "date": when
            }
        return _("Given by %(name)s on %(date)s.") % {"name": person.get_full_name(), "date": when}
    if person is None:
        return _("Withdrawn on %(date)s by a person whose account has since been removed.") % {
            "date": when
        }
    return _("Withdrawn by %(name)s on %(date)s.") % {"name": person.get_full_name(), "date": when}


@login_required
@require_http_methods(["GET", "POST"])
def community_research_consent(request, pk):
    """Give or withdraw consent for the research view; the page is the confirmation step."""
    community = access.community_for_coordinator(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "give":
            change, done = (
                services.research_consent_give,
                _("Consent given: “%(name)s” now appears in the research view."),
            )
        elif action == "withdraw":
            change, done = (
                services.research_consent_withdraw,
                _("Consent withdrawn: “%(name)s” no longer appears in the research view."),
            )
        else:
            messages.error(request, _("Nothing was changed: choose to give or withdraw consent."))
            return redirect("community_research_consent", pk=community.pk)
        try:
            change(community=community, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done % {"name": community.name})
        return redirect("community_detail", pk=community.pk)
    return render(
        request,
        "partnerships/research_consent.html",
        {"community": community, "consent_record": consent_record(community)},
    )
