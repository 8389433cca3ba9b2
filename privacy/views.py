"""The privacy and accessibility statements, the account page with the own-data download,
and the coordinator's retention choice."""

import json
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit import events as audit
from audit.models import Action
from partnerships.access import community_for_coordinator
from partnerships.models import LearningCommunity, User
from privacy.export import person_data
from privacy.forms import RetentionForm
from privacy.retention import choice_for
from privacy.services import retention_choose
from sms_tool.errors import DomainError, show_in_form
from sms_tool.http import JSON, attachment


def _in_language(name: str) -> str:
    language = "en" if (get_language() or "nl").startswith("en") else "nl"
    return f"privacy/{name}_{language}.html"


def _retention_periods() -> dict[str, int]:
    return {
        "sign_in_days": settings.SIGN_IN_LOG_RETENTION_DAYS,
        "invitation_days": settings.INVITATION_RETENTION_DAYS,
        "invitation_valid_days": settings.INVITATION_VALID_DAYS,
        "closed_session_years": settings.CLOSED_SESSION_RETENTION_YEARS,
        "audit_days": settings.AUDIT_LOG_RETENTION_DAYS,
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
    }


@require_GET
def privacy_statement(request: HttpRequest) -> HttpResponse:
    """Public; a signed-in person also sees the research consent of their own communities."""
    communities: QuerySet[LearningCommunity] | list[LearningCommunity] = []
    if request.user.is_authenticated:
        communities = LearningCommunity.objects.filter(
            Q(coordinators=request.user) | Q(organisations__members=request.user)
        ).distinct()
    return render(
        request,
        _in_language("privacy"),
        {"communities": communities, "periods": _retention_periods()},
    )


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, _in_language("accessibility"))


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    memberships = (
        cast(User, request.user)
        .memberships.select_related("organisation__community")
        .order_by("organisation__community__name", "organisation__name")
    )
    return render(request, "privacy/account.html", {"memberships": memberships})


@login_required
@require_GET
def account_data(request: HttpRequest) -> HttpResponse:
    """The person's own data as a JSON download."""
    data = person_data(request.user)
    audit.record(Action.PERSON_EXPORTED, actor=request.user, subject=request.user, kind="json")
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    stamp = timezone.localdate().isoformat()
    return attachment(
        body.encode("utf-8"), content_type=JSON, filename=f"sms-tool-my-data-{stamp}.json"
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_retention(request: HttpRequest, pk: int) -> HttpResponse:
    community = community_for_coordinator(request.user, pk)
    if request.method == "POST":
        form = RetentionForm(request.POST)
        if form.is_valid():
            try:
                retention_choose(
                    community=community,
                    by=request.user,
                    closed_sessions=form.cleaned_data["closed_sessions"],
                )
            except DomainError as error:
                show_in_form(form, error)
            else:
                messages.success(request, _("The choice for old closed sessions was saved."))
                return redirect("community_detail", pk=community.pk)
    else:
        form = RetentionForm(initial={"closed_sessions": choice_for(community.pk)})
    return render(
        request,
        "privacy/retention.html",
        {"community": community, "form": form, "periods": _retention_periods()},
    )
