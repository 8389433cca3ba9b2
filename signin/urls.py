from django.urls import path
from sesame.views import LoginView

from signin import oidc, views

urlpatterns = [
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("email-link/", views.email_link, name="email_link"),
    path("email-link/sign-in/", LoginView.as_view(), name="email_link_signin"),
    # The names mozilla-django-oidc's own views redirect to.
    path("institution/", oidc.institution_start, name="oidc_authentication_init"),
    path("institution/callback/", oidc.institution_callback, name="oidc_authentication_callback"),
    path("institution/sign-out/", oidc.institution_logout, name="institution_logout"),
]
