"""Second factors in the admin: listed and removable (a lost phone), never added or edited.

A device is only made by its owner on the setup page (signin/two_factor.py), so its
key is never typed into, or shown by, the admin. The same for backup codes.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice


class SecondFactorAdmin(TOTPDeviceAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, SecondFactorAdmin)


class BackupCodesAdmin(StaticDeviceAdmin):
    """Backup codes are shown once, on the owner's page: the admin lists and removes them."""

    inlines: list = []

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(StaticDevice)
admin.site.register(StaticDevice, BackupCodesAdmin)
