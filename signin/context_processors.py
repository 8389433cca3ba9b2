from django.conf import settings


def sign_in_options(request):
    return {"institution_sign_in": settings.OIDC_ENABLED}
