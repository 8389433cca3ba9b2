"""Sign-in with the institution's account (SURFconext speaks OpenID Connect).

Off unless ``OIDC_RP_CLIENT_ID`` is set (see ``sms_tool/settings.py``); the two URLs
then give 404. A person is linked to an existing account by a *verified* e-mail
address, in any letter case (accounts are unique by ``Lower(email)``), so someone
invited by e-mail who signs in through SURFconext lands in the same account. Without
a verified address nobody is signed in. A new person gets an account without a
password; nothing about an existing account is changed by the provider's claims.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from partnerships.models import NAME_MAX_LENGTH, normalise_email


class InstitutionBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(normalise_email(claims.get("email"))) and claims.get("email_verified") is True

    def filter_users_by_claims(self, claims: dict[str, Any]):
        email = normalise_email(claims.get("email"))
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def create_user(self, claims: dict[str, Any]):
        name = (claims.get("name") or "").strip()[:NAME_MAX_LENGTH]
        return self.UserModel.objects.create_user(email=claims["email"], name=name)

    def update_user(self, user, claims: dict[str, Any]):
        return user


def _enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


@require_GET
def institution_start(request: HttpRequest) -> HttpResponse:
    _enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


@require_GET
def institution_callback(request: HttpRequest) -> HttpResponse:
    _enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)


def provider_logout_url(request: HttpRequest) -> str:
    """Where signing out leads: the provider's end_session endpoint for someone who signed
    in through it (when ``OIDC_OP_LOGOUT_ENDPOINT`` is set), else the home page."""
    home = resolve_url(settings.LOGOUT_REDIRECT_URL)
    endpoint: str = settings.OIDC_OP_LOGOUT_ENDPOINT
    id_token = request.session.get("oidc_id_token")
    if not (settings.OIDC_ENABLED and endpoint and id_token):
        return home
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(home),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


@require_POST
def institution_logout(request: HttpRequest) -> HttpResponse:
    """Sign out here, and at the institution too when signed in through it."""
    response: HttpResponse = OIDCLogoutView.as_view()(request)
    return response
