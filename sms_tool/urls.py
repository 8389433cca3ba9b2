from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from notifications.views import mail_preferences
from partnerships.passwords import PasswordMailForm
from sms_tool.language import set_language

# The admin asks staff for a second factor (django-otp, TOTP): signin/two_factor.py.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = _("SMS-tool administration")
admin.site.site_title = _("SMS-tool")

urlpatterns = [
    path("", include("sessions.urls")),
    path("communities/", include("partnerships.urls")),
    # Before Django's own: the reset page also reaches people without a password yet.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordMailForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/mail/", mail_preferences, name="mail_preferences"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

urlpatterns += [
    path("audit/", include("audit.urls")),
    path("", include("privacy.urls")),
    path("accounts/", include("signin.urls")),
]

handler500 = "sms_tool.error_pages.server_error"
