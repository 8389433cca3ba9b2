from django.conf import settings


def sign_in_options(request):
    signed_in_there = bool(
        settings.OIDC_ENABLED
        and settings.OIDC_OP_LOGOUT_ENDPOINT
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
        and request.session.get("oidc_id_token")
    )
    return {"institution_sign_in": settings.OIDC_ENABLED, "institution_sign_out": signed_in_there}
